#!/usr/bin/env python3
"""PyTorch fixtures of the stable rewrites (docs/numerics.md, "Stable rewrites").

Each case is a LossLang expression written the textbook way (`log(sigmoid(x))`) on
inputs where that way overflows or loses everything (±inf, NaN, or 0 for a value of
1e-20), with the value and the gradients of `sum(expression)` that PyTorch's stable
function gives (`F.logsigmoid`, `torch.log_softmax`, `torch.logsumexp`, `torch.softmax`,
`torch.log1p`, `torch.expm1`, `F.binary_cross_entropy_with_logits`). The rewritten
LossLang expression must match them (RewriteFixtureTests.swift); without rewrites it
does not (the naive values are checked to be non-finite or wrong here).

Run: /tmp/venv/bin/python scripts/make_rewrite_fixtures.py
"""

import json
import math
import os

import torch
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "LossLangTests", "Fixtures", "rewrites.json")
DTYPES = {"float32": torch.float32, "float64": torch.float64}
# The tolerances of RewriteFixtureTests.swift by dtype: (rtol, atol).
TOL = {"float32": (1e-5, 1e-6), "float64": (1e-9, 1e-12)}


def number(v):
    """JSON-safe float: ±inf and NaN as the strings FixtureSupport.swift reads (JSON has none)."""
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def tensor(t):
    """A tensor as FixtureSupport.swift's FixtureTensor: shape and C-order data."""
    return {"shape": list(t.shape), "data": [number(float(x)) for x in t.detach().flatten()]}


def case(cases, name, source, inputs, stable, naive, dtype, wrt, atol=None):
    """Records `source` on `inputs` with torch's `stable` value and the gradients of its sum
    with respect to `wrt`, compared within |got - want| <= max(rtol*|want|, atol) (the
    dtype's TOL, or `atol` given: 0 where the values themselves are tiny). `naive` (torch,
    the written form) must be non-finite or outside that tolerance somewhere, so the case
    shows a real failure of the written form."""
    rtol, default_atol = TOL[dtype]
    atol = default_atol if atol is None else atol
    tensors = {k: torch.tensor(v, dtype=DTYPES[dtype], requires_grad=(k in wrt)) for k, v in inputs.items()}
    value = stable(**tensors)
    grads = torch.autograd.grad(value.sum(), [tensors[k] for k in wrt])
    with torch.no_grad():
        written = naive(**tensors)
    allowed = torch.clamp(rtol * value.abs(), min=atol)
    off = ~torch.isfinite(written) | ((written - value).abs() > allowed)
    assert bool(off.any()), f"{name}: the written form is fine on these inputs"
    cases.append({
        "name": name, "source": source, "dtype": dtype,
        "wrt": wrt, "rtol": rtol, "atol": atol,
        "inputs": {k: tensor(t) for k, t in tensors.items()},
        "value": tensor(value),
        "grads": {k: tensor(g) for k, g in zip(wrt, grads)},
    })


def main():
    cases = []
    # sigmoid(±800) is 0 or 1 even in float64 (e^-800 underflows), ±200 in float32.
    wide = [-800.0, -200.0, -100.0, -20.0, -1.0, 0.0, 1.0, 20.0, 100.0, 200.0, 800.0]
    logits = [[1000.0, 0.0, -1000.0], [0.5, 1.0, 2.0]]
    big = [[1000.0, 999.0, 0.0], [-1000.0, -1001.0, -999.0]]
    for dtype in ["float32", "float64"]:
        case(cases, "log_sigmoid", "log(sigmoid(x))", {"x": wide},
             lambda x: F.logsigmoid(x), lambda x: torch.log(torch.sigmoid(x)), dtype, ["x"])
        case(cases, "log_one_minus_sigmoid", "log(1 - sigmoid(x))", {"x": wide},
             lambda x: F.logsigmoid(-x), lambda x: torch.log(1 - torch.sigmoid(x)), dtype, ["x"])
        case(cases, "log_softmax", "log(softmax(x, axis=1))", {"x": logits},
             lambda x: torch.log_softmax(x, 1), lambda x: torch.log(torch.softmax(x, 1)), dtype, ["x"])
        case(cases, "logsumexp", "log(sum(exp(x), axis=1))", {"x": big},
             lambda x: torch.logsumexp(x, 1), lambda x: torch.log(torch.exp(x).sum(1)), dtype, ["x"])
        case(cases, "softmax", "exp(x) / sum(exp(x), axis=1, keepdims=true)", {"x": big},
             lambda x: torch.softmax(x, 1), lambda x: torch.exp(x) / torch.exp(x).sum(1, keepdim=True), dtype, ["x"])
        case(cases, "softmax_all", "exp(x) / sum(exp(x))", {"x": big},
             lambda x: torch.softmax(x.flatten(), 0).reshape(x.shape),
             lambda x: torch.exp(x) / torch.exp(x).sum(), dtype, ["x"])
        tiny = [1e-20, -1e-12, 3e-9, 1e-30]
        case(cases, "log1p", "log(1 + x)", {"x": tiny},
             lambda x: torch.log1p(x), lambda x: torch.log(1 + x), dtype, ["x"], atol=0.0)
        case(cases, "expm1", "exp(x) - 1", {"x": tiny},
             lambda x: torch.expm1(x), lambda x: torch.exp(x) - 1, dtype, ["x"], atol=0.0)
        z = [-200.0, 200.0, -50.0, 50.0, 0.0, -800.0]
        t = [1.0, 0.0, 1.0, 0.0, 0.5, 0.25]
        case(cases, "binary_cross_entropy", "t * log(sigmoid(z)) + (1 - t) * log(1 - sigmoid(z))", {"z": z, "t": t},
             lambda z, t: -F.binary_cross_entropy_with_logits(z, t, reduction="none"),
             lambda z, t: t * torch.log(torch.sigmoid(z)) + (1 - t) * torch.log(1 - torch.sigmoid(z)),
             dtype, ["z", "t"])
    with open(OUT, "w") as f:
        json.dump({"generator": "scripts/make_rewrite_fixtures.py", "torch": torch.__version__, "cases": cases},
                  f, indent=1)
        f.write("\n")
    print(f"wrote {len(cases)} cases to {os.path.relpath(OUT, ROOT)}")


if __name__ == "__main__":
    main()
