/// `batches`: a data tree cut into mini-batches along axis 0 (``TreeBatches``), shuffled by
/// LossLang's own generator as `randperm` is.
extension Builtins {
  static func registerBatches(in r: Registry) {
    r.builtin("batches", ["tree", "batch_size", "shuffle=true", "seed=none", "drop_last=false"], category: "training",
              doc: """
                batches(tree, batch_size, shuffle=true, seed=none, drop_last=false): a list of mini-batches of tree \
                (a tensor, or a list or dict of tensors with the same length along axis 0), each the same structure \
                with every tensor sliced to the same rows: for [xb, yb] in batches([x, y], 64, seed=0) { … }. \
                Every row is in exactly one batch; shuffled, the rows follow randperm(n, seed=seed) (without seed, \
                the interpreter's random stream, so each call shuffles anew); the last batch is shorter unless \
                drop_last=true leaves it out.
                """) { a in
      let data = try TreeBatches(a.values[0], evaluator: a.evaluator) { a.error(0, $0) }
      let plan = BatchPlan(rows: data.rows, batchSize: try TreeBatches.batchSize(a, 1), dropLast: try a.bool(4))
      let shuffled = try a.bool(2)
      var order: [Int] = []
      try a.withGenerator(seedIndex: 3) { g in order = plan.order(shuffled: shuffled, &g) }
      return .list(data.epoch(plan, order: order, evaluator: a.evaluator))
    }
  }
}
