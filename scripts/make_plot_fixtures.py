#!/usr/bin/env python3
"""Generates Tests/LossLangTests/Fixtures/pictures_builtins.json: what numpy, torch and
matplotlib do for the drawing builtins (Sources/LossLang/Runtime/Builtins/Builtins+Plot.swift).

Run with a Python that has matplotlib, numpy and torch:

    /tmp/venv/bin/python scripts/make_plot_fixtures.py

Sections:
- "linspace": numpy.linspace(lo, hi, n) in float64, the points plot(f, lo, hi, n=n) samples.
- "huber": torch.nn.functional.huber_loss(r, 0, reduction="none") in float64 at
  numpy.linspace(lo, hi, n): what plot(fn(r) => huber_loss(r, 0 * r, reduction="none"), lo,
  hi, n=n) draws.
- "bars": plt.bar(labels, heights): each bar's left edge, width and height, and the x ticks
  and tick labels matplotlib puts under them.
- "hists": plt.hist(values, bins): each bar's left edge, width and height.
"""

import json
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = "Tests/LossLangTests/Fixtures/pictures_builtins.json"

LINSPACE = [(-3.0, 3.0, 200), (-3.0, 3.0, 7), (0.0, 1.0, 2), (0.1, 0.7, 11), (-1e-3, 2.5, 13),
            (5.0, -5.0, 9), (1e10, 1e10 + 1, 5), (0.0, 1e-310, 4)]


def linspace_cases():
    return [{"lo": lo, "hi": hi, "n": n, "xs": np.linspace(lo, hi, n).tolist()} for lo, hi, n in LINSPACE]


def huber_cases():
    cases = []
    for lo, hi, n in [(-3.0, 3.0, 13), (-0.5, 2.0, 6)]:
        r = torch.tensor(np.linspace(lo, hi, n), dtype=torch.float64)
        ys = F.huber_loss(r, torch.zeros_like(r), reduction="none")
        cases.append({"lo": lo, "hi": hi, "n": n, "ys": ys.tolist()})
    return cases


def bar_cases():
    cases = []
    for labels, heights in [(["mse", "l1", "huber"], [0.5, 0.25, 0.125]), (["a"], [3.0]),
                            (["w", "x", "y", "z", "v"], [1.0, -2.0, 0.0, 4.5, 2.0])]:
        fig, ax = plt.subplots()
        bars = ax.bar(labels, heights)
        fig.canvas.draw()
        cases.append({
            "labels": labels, "heights": heights,
            "left": [p.get_x() for p in bars.patches], "widths": [p.get_width() for p in bars.patches],
            "bar_heights": [p.get_height() for p in bars.patches],
            "ticks": [float(t) for t in ax.get_xticks()], "tick_labels": [t.get_text() for t in ax.get_xticklabels()],
        })
        plt.close(fig)
    return cases


def hist_cases():
    rng = np.random.default_rng(16)
    cases = []
    for name, values, bins in [("normal", rng.normal(size=50).tolist(), 10), ("integers", [0, 1, 1, 2, 3, 3, 3, 9], 3),
                               ("equal", [2.0, 2.0], 4), ("uniform", rng.uniform(-1, 4, size=31).tolist(), 7)]:
        fig, ax = plt.subplots()
        _, _, patches = ax.hist(values, bins=bins)
        cases.append({"name": name, "values": values, "bins": bins,
                      "left": [p.get_x() for p in patches], "widths": [p.get_width() for p in patches],
                      "heights": [p.get_height() for p in patches]})
        plt.close(fig)
    return cases


def main():
    data = {
        "matplotlib": matplotlib.__version__,
        "numpy": np.__version__,
        "torch": torch.__version__,
        "linspace": linspace_cases(),
        "huber": huber_cases(),
        "bars": bar_cases(),
        "hists": hist_cases(),
    }
    with open(os.path.join(ROOT, OUT), "w") as fh:
        json.dump(data, fh, indent=1, allow_nan=False)
        fh.write("\n")


if __name__ == "__main__":
    main()
