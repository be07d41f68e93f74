/// Registration of every native builtin, grouped by family (one file per family).
enum Builtins {
  /// Registers all builtins into `registry`.
  static func registerAll(in registry: Registry) {
    registerCreation(in: registry)
    registerElementwise(in: registry)
    registerReductions(in: registry)
    registerShape(in: registry)
    registerLinearAlgebra(in: registry)
    registerAutograd(in: registry)
    registerDerive(in: registry)
    registerIO(in: registry)
    registerUtilities(in: registry)
    registerSequence(in: registry)
    registerDict(in: registry)
    registerOrdering(in: registry)
    registerScans(in: registry)
    registerCounting(in: registry)
    registerLists(in: registry)
    registerPermutation(in: registry)
    registerClassificationMetrics(in: registry)
    registerBatches(in: registry)
    registerFit(in: registry)
    registerGradientClipping(in: registry)
    registerData(in: registry)
    registerRankingMetrics(in: registry)
    registerOptimizers(in: registry)
    registerPictures(in: registry)
  }
}
