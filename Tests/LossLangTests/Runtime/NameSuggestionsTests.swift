import Testing

@testable import LossLang

/// The "did you mean" rule: close names only, the closest first, hints before suggestions.
@Suite struct NameSuggestionsTests {
  @Test func distanceCountsInsertionsDeletionsSubstitutionsAndSwaps() {
    func d(_ a: String, _ b: String) -> Int { NameSuggestions.distance(Array(a), Array(b)) }
    #expect(d("softmx", "softmax") == 1)
    #expect(d("sofmtax", "softmax") == 1)
    #expect(d("gama", "gamma") == 1)
    #expect(d("kitten", "sitting") == 3)
    #expect(d("", "abc") == 3)
    #expect(d("abc", "abc") == 0)
    #expect(d("ca", "abc") == 3)  // optimal string alignment: a swap is not edited again
  }

  @Test func suggestsOnlyCloseNames() {
    let names = ["softmax", "log_softmax", "gamma", "mean", "y", "loss", "_private"]
    #expect(NameSuggestions.closest(to: "softmx", among: names) == "softmax")
    #expect(NameSuggestions.closest(to: "gama", among: names) == "gamma")
    #expect(NameSuggestions.closest(to: "x", among: names) == nil)
    #expect(NameSuggestions.closest(to: "mn", among: names) == nil)
    #expect(NameSuggestions.closest(to: "meen", among: names) == "mean")
    #expect(NameSuggestions.closest(to: "maen", among: names) == "mean")
    #expect(NameSuggestions.closest(to: "mxyz", among: names) == nil)
    #expect(NameSuggestions.closest(to: "private", among: names) == nil)
    #expect(NameSuggestions.closest(to: "_privte", among: names) == "_private")
  }

  @Test func tiesGoToTheAlphabeticallyFirst() {
    #expect(NameSuggestions.closest(to: "cost", among: ["post", "most", "cast"]) == "cast")
  }

  @Test func errorsCarryTheNote() throws {
    let interp = try Interpreter()
    try interp.eval("learning_rate = 0.1")
    let error = #expect(throws: LossLangError.self) { try interp.eval("learning_rat") }
    #expect(error?.message == "undefined name 'learning_rat' (did you mean 'learning_rate'?)")
  }
}
