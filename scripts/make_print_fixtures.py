"""Records how PyTorch prints a list of tensors, for LossLang's TensorFormatter tests.

Run from the repository root with a python that has torch (2.x):
    /tmp/venv/bin/python scripts/make_print_fixtures.py
Writes Tests/LossLangTests/Fixtures/print.json: a list of {name, dtype, shape, values,
repr}. Values are Python float reprs ("0.1", "nan", "-inf") of the exact stored numbers
(a bool is "1.0" or "0.0"); Float64 reprs name the dtype LossLang's way ("dtype=float64"),
with torch's own _add_suffixes deciding whether that shorter suffix still fits on the last
line; an empty bool tensor's "dtype=torch.bool" likewise becomes "dtype=bool".
"""
import json
import math
import os

import torch
from torch._tensor_str import _add_suffixes, _tensor_str

OUT = os.path.join("Tests", "LossLangTests", "Fixtures", "print.json")
f32, f64 = torch.float32, torch.float64


def cases():
    """The tensors to print: (name, tensor)."""
    g = torch.Generator().manual_seed(0)

    def randn(*shape, dtype=f32):
        return torch.randn(*shape, generator=g, dtype=dtype)

    nan, inf = math.nan, math.inf
    return [
        ("vector", torch.tensor([0.2424, 1.0])),
        ("scalar", torch.tensor(0.5)),
        ("scalar float64", torch.tensor(1 / 3, dtype=f64)),
        ("scalar nan", torch.tensor(nan)),
        ("scalar int-valued", torch.tensor(3.0)),
        ("int-valued", torch.tensor([1.0, 2.0, 3.0])),
        ("int-valued mixed sign", torch.tensor([-1.0, 10.0, 100.0])),
        ("zeros", torch.zeros(2)),
        ("negative zero", torch.tensor([-0.0, 1.0])),
        ("nonfinite mixed", torch.tensor([nan, inf, -inf, 1.5])),
        ("nonfinite int", torch.tensor([nan, inf, -inf, 2.0])),
        ("only nonfinite", torch.tensor([nan, inf])),
        ("sci small", torch.tensor([1e-5, 1.0])),
        ("sci large", torch.tensor([1e9, 1.5])),
        ("sci ratio", torch.tensor([1.0, 2000.5])),
        ("sci int-valued", torch.tensor([1e10, 2.0])),
        ("sci float32 1e-4", torch.tensor([1e-4])),
        ("float64 1e-4 not sci", torch.tensor([1e-4], dtype=f64)),
        ("float64 vector", torch.tensor([0.1, 0.2, 0.3], dtype=f64)),
        ("matrix", randn(3, 4)),
        ("matrix float64", randn(2, 3, dtype=f64)),
        ("matrix wide values", randn(3, 4) * 1000),
        ("matrix wraps rows", randn(3, 12) * 100),
        ("cube", randn(2, 3, 4)),
        ("4-d", randn(2, 1, 2, 2)),
        ("column", randn(3, 1)),
        ("one by one", randn(1, 1)),
        ("wide vector", randn(30)),
        ("wide vector float64", randn(30, dtype=f64)),
        ("float64 suffix wraps", randn(6, dtype=f64) * 10),
        ("summarized vector", randn(1001)),
        ("summarized int vector", torch.arange(1001, dtype=f32)),
        ("summarized matrix", randn(34, 31)),
        ("summarized 3-d", randn(11, 10, 10)),
        ("summarized float64", randn(7, 150, dtype=f64)),
        ("summarized narrow rows", randn(501, 2)),
        ("empty 0x4", torch.zeros(0, 4)),
        ("empty vector", torch.zeros(0)),
        ("empty vector float64", torch.zeros(0, dtype=f64)),
        ("empty 2x0x3", torch.zeros(2, 0, 3)),
        ("bool vector", torch.tensor([True, False])),
        ("bool all true", torch.tensor([True, True, True])),
        ("bool all false", torch.tensor([False, False])),
        ("bool matrix", torch.tensor([[True, False], [False, True]])),
        ("bool scalar", torch.tensor(True)),
        ("bool 3-d", randn(2, 3, 4) > 0),
        ("bool wide", randn(40) > 0),
        ("bool summarized vector", randn(1001) > 0),
        ("bool summarized matrix", randn(34, 31) > 0),
        ("empty bool", torch.zeros(0, dtype=torch.bool)),
        ("empty bool 0x3", torch.zeros(0, 3, dtype=torch.bool)),
    ]


def losslang_repr(t):
    """torch's repr, with LossLang's dtype name for float64 tensors."""
    text = repr(t)
    if t.dtype == torch.bool:
        return text.replace("dtype=torch.bool", "dtype=bool")
    if t.dtype != f64:
        return text
    suffixes = [f"size={tuple(t.shape)}"] if t.numel() == 0 and t.dim() != 1 else []
    ours = _add_suffixes("tensor(" + _tensor_str(t, 7), suffixes + ["dtype=float64"], 7, False)
    unwrap = lambda s: s.replace(",\n       dtype", ", dtype")
    assert unwrap(text.replace("torch.float64", "float64")) == unwrap(ours), (text, ours)
    return ours


def main():
    rows = []
    for name, t in cases():
        rows.append({
            "name": name,
            "dtype": {f64: "float64", torch.bool: "bool"}.get(t.dtype, "float32"),
            "shape": list(t.shape),
            "values": [repr(float(v)) for v in t.reshape(-1).tolist()],
            "repr": losslang_repr(t),
        })
    with open(OUT, "w") as f:
        json.dump(rows, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
