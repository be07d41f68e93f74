#!/usr/bin/env python3
"""Generates Tests/LossLangTests/Fixtures/builtins_bool.json: PyTorch conformance fixtures
for bool tensors and mask indexing (LANGUAGE.md "(v2) Bool tensors" and "Indexing").

Run from the scripts directory with a Python that has torch:

    cd scripts && /tmp/venv/bin/python builtin_fixtures_bool.py

Fixture inputs are float tensors of the case dtype, so every mask is made in the
expression (`x > 0`, `m > 0`). Where LANGUAGE.md departs from torch's result dtype the
oracle says so explicitly: `sum`/`mean` of a mask and bool + bool are float32 in
LossLang (torch gives int64 and a logical or), so those oracles convert with `.float()`
first. Everything else is torch's own behaviour, dtypes included (`value_dtype` "bool"
for comparisons, `!`, `&&`, `||`, `bool(x)`, `any`, `all`).
"""

import torch

from fixturelib import *  # noqa: F401,F403 (generators, case, write)


def masks():
    """`x[mask]`: whole-shape masks, leading-axes masks, masks inside a multi-item index."""
    case("mask/whole_shape_2d", "x[x > 0]", lambda: {"x": Away(3, 4)},
         lambda d: d.x[d.x > 0], wrt=["x"])
    case("mask/whole_shape_3d", "x[m > 0]", lambda: {"x": N(2, 3, 4), "m": Away(2, 3, 4)},
         lambda d: d.x[d.m > 0], wrt=["x"])
    case("mask/leading_rows", "x[m > 0]", lambda: {"x": N(5, 3), "m": Away(5)},
         lambda d: d.x[d.m > 0], wrt=["x"])
    case("mask/leading_two_axes", "x[m > 0]", lambda: {"x": N(2, 3, 4), "m": Away(2, 3)},
         lambda d: d.x[d.m > 0], wrt=["x"])
    case("mask/rows_then_int", "x[m > 0, 1]", lambda: {"x": N(5, 3), "m": Away(5)},
         lambda d: d.x[d.m > 0, 1], wrt=["x"])
    case("mask/columns", "x[:, m > 0]", lambda: {"x": N(3, 6), "m": Away(6)},
         lambda d: d.x[:, d.m > 0], wrt=["x"])
    case("mask/second_order", "x[x > 0]^3", lambda: {"x": Away(3, 4)},
         lambda d: d.x[d.x > 0] ** 3, wrt=["x"], second=["x"])
    case("mask/not", "x[!(x > 0)]", lambda: {"x": Away(3, 4)},
         lambda d: d.x[~(d.x > 0)], wrt=["x"])
    case("mask/and", "x[(x > -1) && (x < 1)]", lambda: {"x": Away(4, 3, lo=0.2, hi=2.0)},
         lambda d: d.x[torch.logical_and(d.x > -1, d.x < 1)], wrt=["x"])
    # A float index is integer indexing even when it holds only 0s and 1s.
    case("mask/float_index_is_integer", "x[t]", lambda: {"x": N(4, 2), "t": T([1.0, 0.0, 1.0, 1.0])},
         lambda d: d.x[d.t.long()], wrt=["x"])


def comparisons():
    """Comparisons, `!`, `&&`, `||` and conversions give bool tensors."""
    def cmp_inputs():
        x = distinct(2, 3)
        y = distinct(3, lo=-1.5, hi=1.5)
        x[1, 0] = y[0]
        return {"x": x, "y": y}
    for op, f in [("<", torch.lt), ("<=", torch.le), (">", torch.gt), (">=", torch.ge),
                  ("==", torch.eq), ("!=", torch.ne)]:
        nm = {"<": "lt", "<=": "le", ">": "gt", ">=": "ge", "==": "eq", "!=": "ne"}[op]
        case(f"bool/compare_{nm}", f"x {op} y", cmp_inputs, (lambda f: lambda d: f(d.x, d.y))(f))
    case("bool/not", "!(x > 0)", lambda: {"x": Away(2, 3)}, lambda d: ~(d.x > 0))
    case("bool/not_number", "!x", {"x": T([0.0, 1.5, -2.0, 0.0])}, lambda d: torch.logical_not(d.x))
    case("bool/and", "(x > 0) && (y > 0)", lambda: {"x": Away(2, 3), "y": Away(3)},
         lambda d: torch.logical_and(d.x > 0, d.y > 0))
    case("bool/or", "(x > 0) || (y > 0)", lambda: {"x": Away(2, 3), "y": Away(3)},
         lambda d: torch.logical_or(d.x > 0, d.y > 0))
    case("bool/of_number", "bool(x)", {"x": T([0.0, 1.5, -2.0, 0.0, 1e-30])}, lambda d: d.x.bool())
    case("bool/tensor_dtype_bool", 'tensor(x, dtype="bool")', {"x": T([[0.0, 3.0], [-1.0, 0.0]])},
         lambda d: d.x.bool())
    case("bool/float32_of_mask", "float32(x > 0)", lambda: {"x": Away(2, 3)}, lambda d: (d.x > 0).float())
    case("bool/float64_of_mask", "float64(x > 0)", lambda: {"x": Away(2, 3)}, lambda d: (d.x > 0).double())


def arithmetic():
    """Promotion of bool in arithmetic, and reductions of masks."""
    case("bool/times_tensor", "(m > 0) * x", lambda: {"m": Away(2, 3), "x": N(2, 3)},
         lambda d: (d.m > 0) * d.x, wrt=["x"])
    case("bool/plus_literal", "(x > 0) + 0.5", lambda: {"x": Away(2, 3)}, lambda d: (d.x > 0) + 0.5)
    case("bool/one_minus_mask", "(1 - (x > 0)) * x", lambda: {"x": Away(2, 3)},
         lambda d: (1 - (d.x > 0).float()) * d.x, wrt=["x"])
    # LANGUAGE.md: bool + bool is arithmetic (2.0), not torch's logical or.
    case("bool/plus_bool", "(x > 0) + (x > -0.5)", lambda: {"x": Away(2, 3)},
         lambda d: (d.x > 0).float() + (d.x > -0.5).float())
    # LANGUAGE.md: sum(mask) counts and mean(mask) is the fraction, as float32.
    case("bool/sum_counts", "sum(x > 0)", lambda: {"x": Away(3, 4)}, lambda d: (d.x > 0).float().sum())
    case("bool/sum_axis", "sum(x > 0, axis=1)", lambda: {"x": Away(3, 4)},
         lambda d: (d.x > 0).float().sum(dim=1))
    case("bool/mean_fraction", "mean(x > 0)", lambda: {"x": Away(3, 4)}, lambda d: (d.x > 0).float().mean())
    case("bool/masked_mean", "masked_mean(x, m > 0)", lambda: {"x": N(3, 4), "m": Away(3, 4)},
         lambda d: (d.x * (d.m > 0)).sum() / (d.m > 0).sum(), wrt=["x"])
    case("bool/where", "where(x > 0, x, y)", lambda: {"x": Away(2, 3), "y": N(3)},
         lambda d: torch.where(d.x > 0, d.x, d.y), wrt=["x", "y"])
    case("bool/where_float_condition", "where(m, x, 0)", {"m": T([0.0, 0.25, -3.0, 0.0]), "x": T([1.0, 2.0, 3.0, 4.0])},
         lambda d: torch.where(d.m != 0, d.x, 0.0), wrt=["x"])
    case("bool/any", "any(x > 0.5)", lambda: {"x": Away(3, 4)}, lambda d: torch.any(d.x > 0.5))
    case("bool/any_axis", "any(x > 1, axis=1)", lambda: {"x": Away(4, 3)}, lambda d: torch.any(d.x > 1, dim=1))
    case("bool/all_axis_keepdims", "all(x > -1, axis=0, keepdims=true)", lambda: {"x": Away(3, 4)},
         lambda d: torch.all(d.x > -1, dim=0, keepdim=True))
    case("bool/all_of_numbers", "all(x)", {"x": T([1.0, -2.0, 0.5])}, lambda d: torch.all(d.x))


if __name__ == "__main__":
    masks()
    comparisons()
    arithmetic()
    write("Tests/LossLangTests/Fixtures/builtins_bool.json")
