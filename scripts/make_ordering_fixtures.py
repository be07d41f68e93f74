#!/usr/bin/env python3
"""Generates Tests/LossLangTests/Fixtures/builtins_ordering.json: PyTorch conformance
fixtures for the ordering, scan and counting builtins (sort argsort topk cumsum cumprod
bincount histc), values and gradients, float32 and float64.

Run with a Python that has torch:

    /tmp/venv/bin/python scripts/make_ordering_fixtures.py

The case format, tolerances and the float32 self-check are those of make_fixtures.py
(shared through fixturelib.py). LossLang's sort is stable, so the oracle for indices with
ties is torch.sort(stable=True); topk cases have no ties (torch leaves their order open).
NaN cannot be stored in a fixture, so the NaN-ordering cases make NaN inside the
expression (log of a negative number) and check only the indices.
"""

import torch

from fixturelib import *  # noqa: F401,F403 (generators, case, write)


def ordering():
    X = lambda f: (lambda: {"x": f()})
    case("sort/values", "sort(x)[0]", X(lambda: distinct(3, 5)),
         lambda d: torch.sort(d.x).values, wrt=["x"])
    case("sort/indices", "sort(x)[1]", X(lambda: distinct(3, 5)),
         lambda d: torch.sort(d.x).indices)
    case("sort/axis0_descending_values", "sort(x, axis=0, descending=true)[0]",
         X(lambda: distinct(4, 3)),
         lambda d: torch.sort(d.x, dim=0, descending=True).values, wrt=["x"])
    case("sort/axis0_descending_indices", "sort(x, axis=0, descending=true)[1]",
         X(lambda: distinct(4, 3)),
         lambda d: torch.sort(d.x, dim=0, descending=True).indices)
    case("sort/3d_middle_axis_values", "sort(x, axis=1)[0] * x",
         X(lambda: distinct(2, 4, 3)),
         lambda d: torch.sort(d.x, dim=1).values * d.x, wrt=["x"], second=["x"])
    ties = {"x": T([[1.0, 0.0, 1.0, 0.0, 2.0], [3.0, 3.0, 1.0, 1.0, 3.0]])}
    for desc in [False, True]:
        tag = "descending" if desc else "ascending"
        src = ", descending=true" if desc else ""
        case(f"sort/ties_stable_{tag}_values", f"sort(x{src})[0]", ties,
             lambda d, desc=desc: torch.sort(d.x, descending=desc, stable=True).values, wrt=["x"])
        case(f"sort/ties_stable_{tag}_indices", f"sort(x{src})[1]", ties,
             lambda d, desc=desc: torch.sort(d.x, descending=desc, stable=True).indices)
        case(f"sort/nan_largest_{tag}_indices", f"sort(log(x){src})[1]",
             {"x": T([[2.0, -1.0, 0.5, 3.0, -2.0, 1.0]])},
             lambda d, desc=desc: torch.sort(torch.log(d.x), descending=desc, stable=True).indices)
    case("argsort/default", "argsort(x)", X(lambda: distinct(3, 4)),
         lambda d: torch.argsort(d.x))
    case("argsort/axis0_descending", "argsort(x, axis=0, descending=true)",
         X(lambda: distinct(4, 3)),
         lambda d: torch.argsort(d.x, dim=0, descending=True))
    case("argsort/ties_stable", "argsort(x)", ties,
         lambda d: torch.argsort(d.x, stable=True))
    case("topk/largest_values", "topk(x, 2)[0]", X(lambda: distinct(3, 5)),
         lambda d: torch.topk(d.x, 2).values, wrt=["x"])
    case("topk/largest_indices", "topk(x, 2)[1]", X(lambda: distinct(3, 5)),
         lambda d: torch.topk(d.x, 2).indices)
    case("topk/smallest_axis0_values", "topk(x, 3, axis=0, largest=false)[0]",
         X(lambda: distinct(4, 3)),
         lambda d: torch.topk(d.x, 3, dim=0, largest=False).values, wrt=["x"])
    case("topk/smallest_axis0_indices", "topk(x, 3, axis=0, largest=false)[1]",
         X(lambda: distinct(4, 3)),
         lambda d: torch.topk(d.x, 3, dim=0, largest=False).indices)
    case("topk/all_3d_squared", "topk(x, 4, axis=-1)[0] ^ 2",
         X(lambda: distinct(2, 3, 4)),
         lambda d: torch.topk(d.x, 4, dim=-1).values ** 2, wrt=["x"], second=["x"])


def scans():
    X = lambda f: (lambda: {"x": f()})
    case("cumsum/axis1", "cumsum(x, 1)", X(lambda: N(3, 4)),
         lambda d: torch.cumsum(d.x, 1), wrt=["x"])
    case("cumsum/axis0_3d", "cumsum(x, 0)", X(lambda: N(3, 2, 4)),
         lambda d: torch.cumsum(d.x, 0), wrt=["x"])
    case("cumsum/negative_axis", "cumsum(x, -2)", X(lambda: N(2, 5, 3)),
         lambda d: torch.cumsum(d.x, -2), wrt=["x"])
    case("cumsum/0d", "cumsum(x, 0)", X(lambda: N()),
         lambda d: torch.cumsum(d.x, 0), wrt=["x"])
    case("cumsum/of_square_second_order", "cumsum(x * x, 1)", X(lambda: N(3, 4)),
         lambda d: torch.cumsum(d.x * d.x, 1), wrt=["x"], second=["x"])
    case("cumprod/axis1", "cumprod(x, 1)", X(lambda: Away(3, 5, lo=0.5, hi=1.5)),
         lambda d: torch.cumprod(d.x, 1), wrt=["x"], second=["x"])
    case("cumprod/axis0_3d", "cumprod(x, 0)", X(lambda: Away(4, 2, 3, lo=0.5, hi=1.5)),
         lambda d: torch.cumprod(d.x, 0), wrt=["x"], second=["x"])
    case("cumprod/zeros", "cumprod(x, 1)",
         {"x": T([[1.5, 0.0, 2.0, -1.0, 0.5], [0.5, 2.0, 0.0, 3.0, 0.0], [0.0, 0.0, 1.5, 2.0, 1.0],
                  [1.2, -0.7, 0.9, 1.1, 0.0], [0.0, 1.3, -0.8, 1.4, 0.6]])},
         lambda d: torch.cumprod(d.x, 1), wrt=["x"], second=["x"])
    case("cumprod/zeros_axis0", "cumprod(x, 0)",
         {"x": T([[1.5, 0.0, 0.7], [0.0, 2.0, -1.2], [2.0, 0.0, 0.0], [-1.0, 1.5, 0.8]])},
         lambda d: torch.cumprod(d.x, 0), wrt=["x"], second=["x"])
    case("cumprod/0d", "cumprod(x, -1)", X(lambda: N()),
         lambda d: torch.cumprod(d.x, -1), wrt=["x"])


def counting():
    f32 = lambda t: t.to(torch.float32)
    case("bincount/default", "bincount(x)", lambda: {"x": Idx(12, n=5)},
         lambda d: f32(torch.bincount(d.x.long())))
    case("bincount/minlength", "bincount(x, minlength=9)", lambda: {"x": Idx(10, n=4)},
         lambda d: f32(torch.bincount(d.x.long(), minlength=9)))
    case("bincount/minlength_smaller", "bincount(x, minlength=2)", {"x": T([0.0, 6.0, 6.0, 3.0])},
         lambda d: f32(torch.bincount(d.x.long(), minlength=2)))
    case("histc/data_range", "histc(x, bins=5)", lambda: {"x": N(40)},
         lambda d: torch.histc(d.x, bins=5))
    case("histc/default_100_bins", "histc(x)", lambda: {"x": U(3, 50)},
         lambda d: torch.histc(d.x))
    case("histc/given_range_outside_ignored", "histc(x, bins=4, min=-1, max=1)",
         lambda: {"x": N(5, 8, scale=1.5)},
         lambda d: torch.histc(d.x, bins=4, min=-1, max=1))
    case("histc/edges_last_bin_closed", "histc(x, bins=4, min=0, max=1)",
         {"x": T([0.0, 0.25, 0.5, 0.75, 1.0, 1.0, -0.0, 1.5])},
         lambda d: torch.histc(d.x, bins=4, min=0, max=1))
    case("histc/single_value_widened", "histc(x, bins=3)", {"x": T([2.0, 2.0, 2.0])},
         lambda d: torch.histc(d.x, bins=3))
    case("histc/min_equals_max_uses_data", "histc(x, bins=6, min=0.5, max=0.5)",
         lambda: {"x": U(25, lo=-3, hi=2)},
         lambda d: torch.histc(d.x, bins=6, min=0.5, max=0.5))
    # The bin computation overflows the dtype: torch counts nothing.
    case("histc/range_overflow_counts_nothing", "histc(x, bins=2, min=-1.7e308, max=1.7e308)",
         {"x": T([1e308, -1e308, 0.0])},
         lambda d: torch.histc(d.x, bins=2, min=-1.7e308, max=1.7e308), dtypes=("float64",))


def main():
    ordering()
    scans()
    counting()
    write("Tests/LossLangTests/Fixtures/builtins_ordering.json")


if __name__ == "__main__":
    main()
