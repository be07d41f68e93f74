import Testing

@testable import LossLang

/// Names resolved through interned symbols mean what they meant by string: shadowing,
/// rebinding, removal, indexed scopes, and registry functions remembered by symbol.
@Suite struct NameResolutionTests {
  @Test func symbolsAreInternedByText() {
    let a = Symbol("some_name_\(#line)"), b = Symbol(a.text)
    #expect(a == b && a.id == b.id && a.text == b.text)
    #expect(Symbol("other_\(#line)") != a)
    #expect(Symbol.existing(a.text) == a)
    #expect(Symbol.existing("never_interned_\(#line)_xyz") == nil)
  }

  @Test func scopesAgreeWithADictionaryAcrossTheIndexThreshold() {
    // Defines, redefines and removes names in one scope, from a few names to many, and
    // compares every lookup (here and through a child scope) with a plain dictionary.
    let scope = Environment()
    let child = Environment(parent: scope, names: [Symbol("n3"), Symbol("fresh")], values: [.bool(true), .none])
    var reference: [String: Int] = [:]
    for step in 0..<60 {
      let name = "n\(step * 7 % 23)"
      if step % 5 == 4 {
        scope.remove(name)
        reference[name] = nil
      } else {
        scope.define(name, .string("\(step)"))
        reference[name] = step
      }
      for k in 0..<25 {
        let key = "n\(k)"
        let expected = reference[key].map { "\($0)" }
        guard case .string(let s)? = scope.lookup(key) else {
          #expect(expected == nil, "\(key) after step \(step)")
          continue
        }
        #expect(s == expected, "\(key) after step \(step)")
        if key != "n3" {
          guard case .string(let t)? = child.lookup(Symbol(key)) else {
            Issue.record("\(key) not seen through the child scope")
            continue
          }
          #expect(t == s)
        }
      }
      if case .bool(true)? = child.lookup("n3") {} else { Issue.record("the child's own n3 is shadowed") }
    }
    #expect(scope.names == reference.keys.sorted())
  }

  @Test func builtinsGlobalsAndLocalsShadowInOrder() throws {
    let interp = try Interpreter()
    let source = """
      def f(x) = len(x)
      a = f([1, 2, 3])
      len = fn(x) => 42
      b = f([1, 2, 3])
      def g(len) = len
      print(a, b, g(7))
      """
    #expect(try printedOutput(source, in: interp) == "3 42 7\n")
    interp.unbind("len")
    #expect(try printedOutput("print(f([1]))", in: interp) == "1\n")
  }

  @Test func loopVariablesAndAssignmentsBindTheirSymbol() throws {
    let interp = try Interpreter()
    #expect(try printedOutput("t = 0\nfor i in 0..<4 { t = t + i }\nfor s in [\"a\", \"b\"] { u = s }\nprint(t, i, u)", in: interp) == "6 3 b\n")
  }

  @Test func aRegisteredFunctionIsFoundAfterEarlierLookups() throws {
    let interp = try Interpreter()
    let registry = interp.evaluator.registry
    let name = Symbol("late_function_\(#line)")
    #expect(registry.function(name) == nil)
    #expect(throws: LossLangError.self) { try interp.run("\(name.text)(1)") }
    registry.builtin(name.text, ["x"], category: "test", doc: "") { a in a.values[0] }
    #expect(registry.function(name) != nil)
    #expect(try printedOutput("print(\(name.text)(5))", in: interp) == "5\n")
  }
}
