#!/usr/bin/env python3
"""Shared machinery of the PyTorch fixture generators (make_fixtures.py and
loss_fixtures_*.py): input generators, the `case` recorder and the JSON writer.

See make_fixtures.py for the case format, tolerances and the float32 sanity check.
Each generator script imports this module, records cases with `case(...)` using
hand-written torch code as the oracle, and calls `write(path)`.
"""


import json
import math
import os
import sys
import zlib

import torch
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The tolerances of BuiltinFixtureTests.swift: |got - want| <= max(rtol*|want|, atol).
TOL = {"float32": (1e-5, 1e-6), "float64": (1e-9, 1e-12)}
DTYPES = {"float32": torch.float32, "float64": torch.float64}

# --------------------------------------------------------------------------------------
# Input generators. All produce float64 tensors from the per-case generator G; the case
# converts them to its dtype (float32 inputs are therefore exactly representable).

G = torch.Generator()


def seed(name):
    G.manual_seed(zlib.crc32(name.encode()))


def U(*shape, lo=-1.0, hi=1.0):
    return torch.rand(shape, generator=G, dtype=torch.float64) * (hi - lo) + lo


def N(*shape, scale=1.0):
    return torch.randn(shape, generator=G, dtype=torch.float64) * scale


def Pos(*shape, lo=0.2, hi=2.0):
    return U(*shape, lo=lo, hi=hi)


def Away(*shape, lo=0.2, hi=2.0):
    """Random sign times U(lo, hi): bounded away from 0."""
    s = torch.where(torch.rand(shape, generator=G, dtype=torch.float64) < 0.5, -1.0, 1.0)
    return s * U(*shape, lo=lo, hi=hi)


def Frac(*shape):
    """Integer in [-3, 3] plus a fraction in [0.1, 0.4] or [0.6, 0.9]: away from
    integers and from halves (floor/ceil/round are smooth there)."""
    k = torch.randint(-3, 4, shape, generator=G).double()
    f = U(*shape, lo=0.1, hi=0.4)
    f = torch.where(torch.rand(shape, generator=G, dtype=torch.float64) < 0.5, f, f + 0.5)
    return k + f


def Idx(*shape, n):
    return torch.randint(0, n, shape, generator=G).double()


def Bin(*shape):
    return (torch.rand(shape, generator=G, dtype=torch.float64) < 0.5).double()


def T(values):
    return torch.tensor(values, dtype=torch.float64)


def distinct(*shape, lo=-2.0, hi=2.0, gap=0.05):
    """Values with all pairwise gaps >= gap (no ties anywhere, for max/min/argmax)."""
    n = math.prod(shape)
    base = torch.arange(n, dtype=torch.float64) * gap
    perm = torch.randperm(n, generator=G)
    jitter = U(n, lo=0.0, hi=gap * 0.4)
    v = (base + jitter)[perm]
    v = lo + (v - v.min()) / (v.max() - v.min()) * (hi - lo) if n > 1 else v
    return v.reshape(shape)


# --------------------------------------------------------------------------------------
# Case machinery.

CASES = []
NAMES = set()


class NS(dict):
    __getattr__ = dict.__getitem__


# How a case that allows them (`nonfinite=True`) writes non-finite numbers: JSON has none,
# so they are strings, which FixtureSupport.swift's decoder reads back.
NONFINITE = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}


def to_json_tensor(t, nonfinite=False):
    t = t.detach()
    if t.dtype == torch.bool or not t.is_floating_point():
        t = t.to(torch.float64)
    data = [float(v) for v in t.reshape(-1).tolist()]
    for i, v in enumerate(data):
        if not math.isfinite(v):
            if not nonfinite:
                raise ValueError("non-finite value in fixture")
            data[i] = NONFINITE[str(v)]
    return {"shape": list(t.shape), "data": data}


def evaluate(fn, inputs, cot, dt, wrt, second, grads):
    """Runs fn on inputs converted to dt; returns (value, grads, second) tensors."""
    d = NS({k: v.to(dt).detach().clone().requires_grad_(k in wrt) for k, v in inputs.items()})
    d["dt"] = dt
    y = fn(d)
    if not isinstance(y, torch.Tensor):
        y = torch.tensor(y)
    gs, ss = {}, {}
    if grads and wrt:
        c = cot.to(dt)
        loss = (y * c).sum()
        gl = torch.autograd.grad(loss, [d[w] for w in wrt], create_graph=bool(second))
        gs = dict(zip(wrt, gl))
        for w in second or []:
            g = gs[w]
            if not g.requires_grad:
                continue
            (s,) = torch.autograd.grad(g.sum(), d[w], allow_unused=True, retain_graph=True)
            if s is not None:
                ss[w] = s
    return y, gs, ss


def close(a, b, rtol, atol):
    a = a.detach().double().reshape(-1)
    b = b.detach().double().reshape(-1)
    if a.shape != b.shape:
        return False, "shape"
    same = (a == b) | (a.isnan() & b.isnan())
    err = torch.where(same, 0.0, (a - b).abs().nan_to_num(nan=math.inf))
    lim = torch.clamp(b.abs().nan_to_num(nan=0.0, posinf=0.0) * rtol, min=atol)
    ratio = (err / lim).max().item() if a.numel() else 0.0
    return ratio <= 1.0, ratio


def pick(tol, dname):
    """A tolerance override: a number for every dtype, or a dict dtype-name -> number."""
    return tol.get(dname) if isinstance(tol, dict) else tol


def case(name, expr, inputs, fn, wrt=(), second=(), grads=True, check_dtype=True,
         dtypes=("float32", "float64"), rtol=None, atol=None, nonfinite=False):
    """Adds `name/<dtype>` for each dtype.

    expr: LossLang source, or a function dtype-name -> source.
    inputs: dict name -> float64 tensor, or a function () -> dict (drawn after seeding).
    fn: NS(inputs converted to the dtype, plus dt) -> torch tensor: the torch oracle.
    nonfinite: the value and gradients may hold NaN and ±inf (expected exactly).
    """
    seed(name)
    if callable(inputs):
        inputs = inputs()
    inputs = dict(inputs)
    wrt = list(wrt)
    second = list(second)
    if not wrt:
        grads = False
    for dname in dtypes:
        full = f"{name}/{dname}"
        assert full not in NAMES, full
        NAMES.add(full)
        dt = DTYPES[dname]
        src = expr(dname) if callable(expr) else expr
        # Inputs rounded to the case dtype first; the float64 check reuses these values.
        cin = {k: v.to(dt).to(torch.float64) for k, v in inputs.items()}
        y0 = fn(NS({**{k: v.to(dt) for k, v in cin.items()}, "dt": dt}))
        if not isinstance(y0, torch.Tensor):
            y0 = torch.tensor(y0)
        seed(name + "/cot")
        cot = U(*y0.shape, lo=-1.0, hi=1.0) if grads else None
        if cot is not None:
            cot = cot.to(dt).to(torch.float64)
        y, gs, ss = evaluate(fn, cin, cot, dt, wrt, second, grads)
        # Self-check: the float32 oracle must sit well inside the float32 tolerance of
        # the float64 computation on the same inputs.
        if dname == "float32":
            y64, gs64, ss64 = evaluate(fn, cin, cot, torch.float64, wrt, second, grads)
            r, a = TOL["float32"]
            r, a = (pick(rtol, dname) or r), (pick(atol, dname) or a)
            pairs = [("value", y, y64)] + [(f"grad {k}", gs[k], gs64[k]) for k in gs] + \
                    [(f"second {k}", ss[k], ss64[k]) for k in ss]
            for what, lo, hi in pairs:
                ok, ratio = close(lo, hi, r / 2, a / 2)
                if not ok:
                    raise SystemExit(f"{full}: float32 oracle too far from float64 in {what} "
                                     f"(ratio {ratio}); choose better-conditioned inputs")
        rec = {"name": full, "dtype": dname, "expr": src, "wrt": wrt if grads else []}
        ins = {k: to_json_tensor(v.to(dt), nonfinite) for k, v in cin.items()}
        if grads:
            ins["__cot"] = to_json_tensor(cot.to(dt))
        rec["inputs"] = ins
        rec["value"] = to_json_tensor(y, nonfinite)
        if check_dtype and (y.is_floating_point() or y.dtype == torch.bool):
            rec["value_dtype"] = {torch.float32: "float32", torch.float64: "float64", torch.bool: "bool"}[y.dtype]
        if grads:
            rec["grads"] = {k: to_json_tensor(v, nonfinite) for k, v in gs.items()}
        if ss:
            rec["second"] = {k: to_json_tensor(v, nonfinite) for k, v in ss.items()}
        if pick(rtol, dname) is not None:
            rec["rtol"] = pick(rtol, dname)
        if pick(atol, dname) is not None:
            rec["atol"] = pick(atol, dname)
        CASES.append(rec)


def wrap64(src):
    """For creation functions (float32 by default): the float64 case converts."""
    return lambda d: src if d == "float32" else f"float64({src})"


# --------------------------------------------------------------------------------------
# Creation (values only).



def write(path):
    """Writes every recorded case to `path` (relative to the repository root)."""
    out = os.path.join(ROOT, path)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    text = json.dumps(CASES, allow_nan=False, separators=(",", ":"))
    with open(out, "w") as f:
        f.write(text)
        f.write("\n")
    print(f"wrote {len(CASES)} cases, {len(text)} bytes to {path}")
