#!/usr/bin/env python3
"""The torch eager peer of W7_train_step: one full training step on the digits.

The step: an MLP 64→128→10 with ReLU (two `F.linear`s), `F.cross_entropy`, `backward()` and
`torch.optim.Adam(lr=1e-3)`'s step (torch's defaults: on the CPU its single-tensor update), on
the batch of the first 256 digits of scikit-learn's `load_digits` divided by 16 — the rows
LossLang's `load_dataset("digits")` returns in the same order. The initial weights are
`nn.Linear`'s default draws under `torch.manual_seed(0)`; `--save DIR` writes them as
DIR/W7_train_step/{w1,b1,w2,b2}.npy for benchmarks/W7_train_step.loss to `load`.

    python3 benchmarks/peers_training.py --save DIR      # write the initial weights
    python3 benchmarks/peers_training.py [--json]        # time torch eager (THREADS=2)

The time is the median over `--reps` blocks of `--block` consecutive steps (after `--warmup`
steps) of the block's time divided by its length, measured as the LossLang script measures its
own. The loss reported is the one computed in step CHECK_STEPS of a fresh run from the initial
weights with a fresh optimizer: the value make_results.py compares with LossLang's.
"""
import argparse, json, os, statistics, time
import numpy as np

NAME = "W7_train_step"
BATCH, HIDDEN, CLASSES, LR = 256, 128, 10, 1e-3
CHECK_STEPS = 100  # W7_train_step.loss reports the loss of the same step


def make_batch():
    """The first BATCH digits as (float32 pixels / 16, int64 labels)."""
    from sklearn.datasets import load_digits
    digits = load_digits()
    return (digits.data[:BATCH] / 16).astype(np.float32), digits.target[:BATCH].astype(np.int64)


def make_weights():
    """nn.Linear(64, 128) and nn.Linear(128, 10) as torch draws them after manual_seed(0)."""
    import torch
    torch.manual_seed(0)
    first, second = torch.nn.Linear(64, HIDDEN), torch.nn.Linear(HIDDEN, CLASSES)
    return {k: v.detach().numpy().copy() for k, v in
            {"w1": first.weight, "b1": first.bias, "w2": second.weight, "b2": second.bias}.items()}


def trainer(weights, x, y):
    """A fresh Adam over fresh copies of `weights`; returns step(), which takes one training step
    and returns its loss (computed before the update)."""
    import torch, torch.nn.functional as F
    params = [torch.from_numpy(weights[k].copy()).requires_grad_(True) for k in ("w1", "b1", "w2", "b2")]
    w1, b1, w2, b2 = params
    opt = torch.optim.Adam(params, lr=LR)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(F.linear(F.relu(F.linear(x, w1, b1)), w2, b2), y)
        loss.backward()
        opt.step()
        return loss
    return step


def time_steps(step, warmup, block, reps):
    """The median over `reps` blocks of `block` steps of the time per step, in seconds."""
    for _ in range(warmup):
        step()
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        for _ in range(block):
            step()
        times.append((time.perf_counter() - start) / block)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--save", metavar="DIR", help="write the initial weights under DIR/W7_train_step")
    ap.add_argument("--json", action="store_true", help='print {"W7_train_step": {"torch": {"ms", "loss"}}}')
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--block", type=int, default=10)
    ap.add_argument("--reps", type=int, default=50)
    a = ap.parse_args()
    if a.save:
        d = os.path.join(a.save, NAME)
        os.makedirs(d, exist_ok=True)
        for k, v in make_weights().items():
            np.save(os.path.join(d, k + ".npy"), v)
        print("saved", NAME, "weights under", a.save)
        return
    import torch
    torch.set_num_threads(int(os.environ.get("THREADS", "2")))
    x, y = (torch.from_numpy(v) for v in make_batch())
    weights = make_weights()
    check = trainer(weights, x, y)
    for _ in range(CHECK_STEPS - 1):
        check()
    loss = check().item()
    ms = time_steps(trainer(weights, x, y), a.warmup, a.block, a.reps) * 1e3
    if a.json:
        print(json.dumps({NAME: {"torch": {"ms": ms, "loss": loss}}}, indent=1))
    else:
        print(f"{NAME} torch median_ms={ms:.4f} loss={loss!r}")


if __name__ == "__main__":
    main()
