#!/usr/bin/env python3
"""Generates Tests/LossLangTests/Fixtures/optimizers.json: trajectories of torch.optim's
SGD, Adam, AdamW, Adagrad and RMSprop (single-tensor code, foreach=False) for the
optimizers of LossLang's contract (LANGUAGE.md, "(v2) Training").

Run with a Python that has torch:

    /tmp/venv/bin/python scripts/make_optimizer_fixtures.py

Every case is one optimizer with some options (each option on its own, a few
combinations, maximize, and the defaults), in float32 or float64, run for STEPS steps on
a small tree of three tensors {"w": (3, 2), "rest": [(2,), (2,)]} minimising a fixed
smooth loss of that tree (LOSS below, also written in LossLang in the file). A case
records the gradients torch computed before each step and the parameters after each step
(the data x, y and the initial parameters, the same for every case of a dtype, are under
"start"), so a test can feed the recorded gradients to LossLang's
optimizer and compare every step, or compute the gradients itself with `grad`.
"""

import json
import os
import zlib

import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = "Tests/LossLangTests/Fixtures/optimizers.json"
STEPS = 25

# The loss, in LossLang, over the tree p = {"w": w, "rest": [b, s]} and the data x, y.
LOSS = "mean((tanh(x @ p[\"w\"] + p[\"rest\"][0]) * p[\"rest\"][1] - y)^2) + 0.01 * sum(p[\"w\"]^4)"


def loss(p, x, y):
    w, (b, s) = p["w"], p["rest"]
    return ((torch.tanh(x @ w + b) * s - y) ** 2).mean() + 0.01 * (w**4).sum()


CLASSES = {
    "sgd": torch.optim.SGD,
    "adam": torch.optim.Adam,
    "adamw": torch.optim.AdamW,
    "adagrad": torch.optim.Adagrad,
    "rmsprop": torch.optim.RMSprop,
}

# Each optimizer's cases: a name and the options given (none: every default).
CASES = {
    "sgd": [
        ("defaults", {}),
        ("lr", {"lr": 0.05}),
        ("momentum", {"lr": 0.05, "momentum": 0.9}),
        ("dampening", {"lr": 0.05, "momentum": 0.9, "dampening": 0.3}),
        ("weight_decay", {"lr": 0.05, "weight_decay": 0.1}),
        ("nesterov", {"lr": 0.05, "momentum": 0.9, "nesterov": True}),
        ("maximize", {"lr": 0.05, "maximize": True}),
        ("nesterov_weight_decay", {"lr": 0.05, "momentum": 0.8, "weight_decay": 0.05, "nesterov": True}),
        ("all_but_nesterov", {"lr": 0.03, "momentum": 0.7, "dampening": 0.2, "weight_decay": 0.1, "maximize": True}),
    ],
    "adam": [
        ("defaults", {}),
        ("lr", {"lr": 0.05}),
        ("betas", {"lr": 0.05, "betas": (0.8, 0.95)}),
        ("eps", {"lr": 0.05, "eps": 1e-3}),
        ("weight_decay", {"lr": 0.05, "weight_decay": 0.1}),
        ("amsgrad", {"lr": 0.05, "amsgrad": True}),
        ("maximize", {"lr": 0.05, "maximize": True}),
        ("amsgrad_weight_decay_betas", {"lr": 0.02, "betas": (0.5, 0.9), "weight_decay": 0.2, "amsgrad": True}),
        ("everything", {"lr": 0.02, "betas": (0.7, 0.99), "eps": 1e-4, "weight_decay": 0.05, "amsgrad": True, "maximize": True}),
    ],
    "adamw": [
        ("defaults", {}),
        ("lr", {"lr": 0.05}),
        ("betas", {"lr": 0.05, "betas": (0.8, 0.95)}),
        ("eps", {"lr": 0.05, "eps": 1e-3}),
        ("weight_decay", {"lr": 0.05, "weight_decay": 0.3}),
        ("no_weight_decay", {"lr": 0.05, "weight_decay": 0.0}),
        ("amsgrad", {"lr": 0.05, "amsgrad": True}),
        ("maximize", {"lr": 0.05, "maximize": True}),
        ("everything", {"lr": 0.02, "betas": (0.7, 0.99), "eps": 1e-4, "weight_decay": 0.5, "amsgrad": True, "maximize": True}),
    ],
    "adagrad": [
        ("defaults", {}),
        ("lr", {"lr": 0.1}),
        ("lr_decay", {"lr": 0.1, "lr_decay": 0.2}),
        ("weight_decay", {"lr": 0.1, "weight_decay": 0.1}),
        ("initial_accumulator_value", {"lr": 0.1, "initial_accumulator_value": 0.5}),
        ("eps", {"lr": 0.1, "eps": 1e-2}),
        ("maximize", {"lr": 0.1, "maximize": True}),
        ("everything", {"lr": 0.2, "lr_decay": 0.05, "weight_decay": 0.1, "initial_accumulator_value": 0.3, "eps": 1e-4, "maximize": True}),
    ],
    "rmsprop": [
        ("defaults", {}),
        ("lr", {"lr": 0.005}),
        ("alpha", {"lr": 0.005, "alpha": 0.9}),
        ("eps", {"lr": 0.005, "eps": 1e-3}),
        ("weight_decay", {"lr": 0.005, "weight_decay": 0.1}),
        ("momentum", {"lr": 0.005, "momentum": 0.9}),
        ("centered", {"lr": 0.005, "centered": True}),
        ("maximize", {"lr": 0.005, "maximize": True}),
        ("centered_momentum", {"lr": 0.005, "momentum": 0.8, "centered": True}),
        ("everything", {"lr": 0.003, "alpha": 0.95, "eps": 1e-5, "weight_decay": 0.05, "momentum": 0.5, "centered": True, "maximize": True}),
    ],
}


def lossl(value):
    """A Python option value written in LossLang."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "[" + ", ".join(lossl(v) for v in value) + "]"
    return repr(value)


def source(name, options):
    """The LossLang constructor call, e.g. adam(lr=0.05, amsgrad=true)."""
    return name + "(" + ", ".join(f"{k}={lossl(v)}" for k, v in options.items()) + ")"


def tensor_json(t):
    return {"shape": list(t.shape), "data": [float(v) for v in t.detach().double().flatten()]}


def leaves(p):
    return [p["w"], p["rest"][0], p["rest"][1]]


def start(dtype):
    """The data and initial parameters: the same for every case (float32 ones are float64
    values rounded once, so both dtypes start from one point)."""
    g = torch.Generator().manual_seed(zlib.crc32(b"optimizers"))
    r = lambda *shape, scale=1.0: (torch.randn(shape, generator=g, dtype=torch.float64) * scale).to(dtype)
    x, y = r(5, 3), r(5, 2, scale=0.5)
    w, b, s = r(3, 2, scale=0.7), r(2, scale=0.3), r(2)
    return x, y, {"w": w, "rest": [b, s]}


def trajectory(name, options, dtype):
    x, y, p = start(dtype)
    for t in leaves(p):
        t.requires_grad_(True)
    opt = CLASSES[name](leaves(p), **options, foreach=False)
    grads, params = [], []
    for _ in range(STEPS):
        opt.zero_grad()
        loss(p, x, y).backward()
        grads.append([tensor_json(t.grad) for t in leaves(p)])
        opt.step()
        params.append([tensor_json(t) for t in leaves(p)])
    return {"grads": grads, "params": params}


def main():
    dtypes = [("float32", torch.float32), ("float64", torch.float64)]
    starts = {}
    for dname, dtype in dtypes:
        x, y, p = start(dtype)
        starts[dname] = {"x": tensor_json(x), "y": tensor_json(y), "initial": [tensor_json(t) for t in leaves(p)]}
    cases = []
    for name, variants in CASES.items():
        for variant, options in variants:
            for dname, dtype in dtypes:
                case = {"name": f"{name}/{variant}", "dtype": dname, "source": source(name, options)}
                case.update(trajectory(name, options, dtype))
                cases.append(case)
    doc = {"loss": LOSS, "steps": STEPS, "start": starts, "cases": cases}
    out = os.path.join(ROOT, OUT)
    text = json.dumps(doc, allow_nan=False, separators=(",", ":"))
    with open(out, "w") as f:
        f.write(text + "\n")
    print(f"wrote {len(cases)} cases, {len(text)} bytes to {OUT}")


if __name__ == "__main__":
    main()
