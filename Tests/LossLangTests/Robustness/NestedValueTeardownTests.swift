import Testing

@testable import LossLang

/// A list nested 100 000 deep is freed without overflowing the host's stack when its
/// interpreter is released (Swift frees nested arrays recursively). If this regresses, the
/// test process dies with SIGSEGV — which fails the run.
@Suite struct NestedValueTeardownTests {
  @Test func releasingAnInterpreterHoldingADeepListDoesNotCrash() throws {
    var interp: Interpreter? = try Interpreter()
    let length = try interp?.eval("l = []\nfor i in 0..<100000 { l = [l, \"x\"] }\nlen(l)").number
    #expect(length == 2)
    interp = nil
    #expect(interp == nil)
  }
}
