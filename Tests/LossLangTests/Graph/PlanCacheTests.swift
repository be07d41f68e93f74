import Testing
@testable import LossLang

/// Plans are reused for graphs of the same structure, shapes and dtypes on new data.
@Suite("Plan cache")
struct PlanCacheTests {
  @Test func sameStructureOnNewDataReusesThePlan() throws {
    let cache = PlanCache(capacity: 8)
    let interp = try Interpreter()
    var results: [Double] = []
    for seed in 1...3 {
      let live = LiveGraph(roots: [try PlanTestSupport.trace(interp, "mean((randn([100], seed=\(seed)) - 1)^2)")])
      let value = try cache.executable(for: live).run(live, context: ExecutionContext(planCache: cache))
      results.append(try #require(value.first?.scalarValue))
    }
    #expect(cache.count == 1)
    #expect(Set(results).count == 3, "each run sees its own data")
    let other = LiveGraph(roots: [try PlanTestSupport.trace(interp, "mean((randn([100], seed=1) - 2)^2)")])
    _ = try cache.plan(for: other)
    #expect(cache.count == 2, "a different literal is a different plan")
  }

  @Test func theCacheStaysBounded() throws {
    let cache = PlanCache(capacity: 4)
    let interp = try Interpreter()
    for n in 1...10 {
      _ = try cache.plan(for: LiveGraph(roots: [try PlanTestSupport.trace(interp, "exp(randn([\(n)], seed=1))")]))
    }
    #expect(cache.count <= 4)
  }
}
