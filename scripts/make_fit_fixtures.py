#!/usr/bin/env python3
"""Generates Tests/LossLangTests/Fixtures/training_fit.json: reference runs of `fit` and
`batches` (Tests/LossLangTests/Training/FitTests.swift and BatchesTests.swift).

Run with a Python that has torch:

    /tmp/venv/bin/python scripts/make_fit_fixtures.py

The oracle is a hand-written PyTorch loop in float64: at each step the loss and its
gradient by torch.autograd, then plain gradient descent p -= lr * grad (what LossLang's
`sgd(lr=lr)` does). With data, the batches follow LossLang's
documented order: one generator seeded by `seed`, each epoch the permutation
randperm(rows) drawn from it (scripts/rng_reference.py, an independent implementation of
LossLang's generator), cut into batches of batch_size rows, the last one shorter.

Each case holds the LossLang `setup` (the inputs as float64 literals), the `fit` call, and
the expected per-step losses and final parameters; a batches case holds the expected rows
of each batch.
"""

import json
import os

import torch

from rng_reference import Rng

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
G = torch.Generator().manual_seed(15)


def literal(t):
    """A float64 LossLang literal of a tensor, exact (repr round-trips)."""
    def items(v):
        return "[" + ", ".join(items(x) for x in v) + "]" if isinstance(v, list) else repr(float(v))
    return f"float64({items(t.tolist())})"


def normal(*shape):
    return torch.randn(shape, generator=G, dtype=torch.float64)


def descend(params, loss_at, steps, lr):
    """Plain gradient descent; the loss before each step and the final parameters."""
    params = {k: v.clone().requires_grad_(True) for k, v in params.items()}
    history = []
    for k in range(steps):
        loss = loss_at(params, k)
        grads = torch.autograd.grad(loss, list(params.values()))
        history.append(loss.item())
        with torch.no_grad():
            params = {name: (p - lr * g).requires_grad_(True) for (name, p), g in zip(params.items(), grads)}
    return history, {k: v.detach().reshape(-1).tolist() for k, v in params.items()}


def epoch_rows(rows, batch_size, seed, epochs):
    """The rows of every batch of `epochs` epochs, as fit and batches cut them."""
    rng = Rng(seed)
    out = []
    for _ in range(epochs):
        order = rng.randperm(rows)
        out += [order[i:i + batch_size] for i in range(0, rows, batch_size)]
    return out


STEP = 'opt = sgd(lr=0.1)\n'


def quadratic():
    c, w, b = normal(3), normal(3), normal(1)[0]
    setup = f"c = {literal(c)}\np = {{\"w\": {literal(w)}, \"b\": {literal(b)}}}\n" + STEP
    setup += 'def loss(p) = sum((p["w"] - c) ^ 2) + (p["b"] - 3.0) ^ 2\n'
    history, final = descend({"w": w, "b": b}, lambda p, k: ((p["w"] - c) ** 2).sum() + (p["b"] - 3.0) ** 2, 25, 0.1)
    return {"name": "quadratic_tree_25_steps", "setup": setup, "call": "fit(loss, p, opt, steps=25)",
            "history": history, "params": final}


def regression(name, call, seed, steps):
    x, y, w, b = normal(20, 3), normal(20), normal(3), normal(1)[0]
    setup = f"x = {literal(x)}\ny = {literal(y)}\np = {{\"w\": {literal(w)}, \"b\": {literal(b)}}}\n" + STEP
    setup += 'def loss(p, batch) = mean((batch[0] @ p["w"] + p["b"] - batch[1]) ^ 2)\n'
    batches = epoch_rows(20, 6, seed, 5)

    def loss_at(p, k):
        rows = batches[k]
        return ((x[rows] @ p["w"] + p["b"] - y[rows]) ** 2).mean()

    history, final = descend({"w": w, "b": b}, loss_at, steps, 0.1)
    return {"name": name, "setup": setup, "call": call, "history": history, "params": final}


def batch_orders():
    cases = []
    for seed, size, drop in [(3, 6, False), (-1, 4, False), (8, 7, True)]:
        rows = epoch_rows(20, size, seed, 1)
        if drop:
            rows = [r for r in rows if len(r) == size]
        cases.append({"seed": seed, "batch_size": size, "drop_last": drop, "rows": rows})
    return cases


def main():
    fits = [
        quadratic(),
        regression("regression_3_epochs_seed_7", "fit(loss, p, opt, data=[x, y], batch_size=6, epochs=3, seed=7)", 7, 12),
        regression("regression_10_steps_seed_11", "fit(loss, p, opt, data=[x, y], batch_size=6, steps=10, seed=11)", 11, 10),
    ]
    out = {"fit": fits, "batches": batch_orders()}
    path = os.path.join(ROOT, "Tests/LossLangTests/Fixtures/training_fit.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print("wrote", path)


if __name__ == "__main__":
    main()
