/// `fit`: the training loop with a progress bar (``FitRun``).
extension Builtins {
  static func registerFit(in r: Registry) {
    r.builtin(
      "fit", ["loss_fn", "params", "opt", "steps=none", "epochs=none", "data=none", "batch_size=32", "seed=none", "every=none"],
      category: "training",
      doc: """
        fit(loss_fn, params, opt, steps=none, epochs=none, data=none, batch_size=32, seed=none, every=none): \
        trains params (a tensor, or a list or dict of tensors) and returns [params, history], history being \
        the float64 tensor of the loss at each step taken. Each step computes loss_fn(params) and its gradient \
        grads, then params = opt.step(params, grads). Without data, steps= says how many steps. With data \
        (a tree like batches takes), each step uses loss_fn(params, batch) on the next mini-batch of \
        batch_size rows, reshuffled every epoch (seed=, or the interpreter's random stream); give epochs= \
        (a pass over all rows each, the last batch shorter) or steps=. On a terminal a progress bar shows \
        step/total, the smoothed loss, the time so far and left, and steps/s; otherwise a line \
        "step K/N: loss L" every `every` steps (none: nothing). Ctrl-C ends training early and returns the \
        parameters after the last completed step with the losses so far; the program goes on after fit.
        """
    ) { a in
      try FitRun(arguments: a).run()
    }
  }
}
