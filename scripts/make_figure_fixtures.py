#!/usr/bin/env python3
"""Generates Tests/LossLangTests/Fixtures/pictures_figure.json: what matplotlib and numpy do
for the figure model in Sources/LossLang/Pictures (Histogram, NamedColor, Axes' colour cycles).

Run with a Python that has matplotlib and numpy:

    /tmp/venv/bin/python scripts/make_figure_fixtures.py

Sections:
- "histograms": numpy.histogram(values, bins) edges and counts (what plt.hist draws), over
  ordinary, equal, single, edge-valued and wide-ranging data, with NaN left out first (numpy
  refuses NaN; LossLang skips it with a warning).
- "colors": matplotlib.colors.to_hex(name) for every name LossLang accepts.
- "cycles": on a fresh Axes, a sequence of plot / scatter / bar / hist / axvline / axhline
  calls without a colour and the colour matplotlib gave each (lines and patches keep separate
  cycles; reference lines take rcParams["lines.color"], "C0").
"""

import json
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.colors as mcolors  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = "Tests/LossLangTests/Fixtures/pictures_figure.json"

NAMES = [
    "b", "g", "r", "c", "m", "y", "k", "w", "black", "white", "red", "green", "blue", "gray",
    "grey", "orange", "purple", "brown", "pink", "olive", "cyan", "magenta", "yellow", "navy",
    "teal", "lightgray", "darkgray", "C0", "C3", "C9", "tab:blue", "tab:orange", "tab:green",
    "tab:red", "tab:purple", "tab:brown", "tab:pink", "tab:gray", "tab:olive", "tab:cyan",
    "#1F77B4", "#abcdef", "Red", "BLUE",
]


def histogram_cases():
    rng = np.random.default_rng(7)
    data = {
        "normal": rng.normal(size=200).tolist(),
        "uniform": rng.uniform(-3, 5, size=97).tolist(),
        "integers": [0, 1, 1, 2, 2, 2, 3, 3, 3, 3, 4, 5, 6, 7, 8, 9, 10],
        "equal": [2.5, 2.5, 2.5],
        "single": [-4.0],
        "thirds": [0.1 * k for k in range(31)],
        "wide": [1e-3, 1.0, 10.0, 1e3, 1e5],
        "with_nan": [1.0, float("nan"), 2.0, 3.5, float("inf"), -1.0],
    }
    cases = []
    for name, values in data.items():
        finite = [v for v in values if np.isfinite(v)]
        for bins in (1, 3, 10, 17):
            counts, edges = np.histogram(np.array(finite), bins=bins)
            cases.append({"name": name, "values": [v if np.isfinite(v) else None for v in values],
                          "bins": bins, "edges": edges.tolist(), "counts": counts.astype(float).tolist()})
    return cases


CALLS = ["plot", "scatter", "plot", "bar", "hist", "axvline", "scatter", "axhline", "plot", "bar",
         "hist", "plot", "plot", "plot", "plot", "plot", "plot", "plot", "plot"]


def cycle_case():
    fig, ax = plt.subplots()
    colors = []
    for call in CALLS:
        if call == "plot":
            colors.append(ax.plot([0, 1], [0, 1])[0].get_color())
        elif call == "scatter":
            colors.append(ax.scatter([0, 1], [0, 1]).get_facecolor()[0])
        elif call == "bar":
            colors.append(ax.bar(["a", "b"], [1, 2]).patches[0].get_facecolor())
        elif call == "hist":
            colors.append(ax.hist([0, 1, 2])[2].patches[0].get_facecolor())
        elif call == "axvline":
            colors.append(ax.axvline(0.5).get_color())
        elif call == "axhline":
            colors.append(ax.axhline(0.5).get_color())
    plt.close(fig)
    return {"calls": CALLS, "colors": [mcolors.to_hex(c) for c in colors]}


def main():
    data = {
        "matplotlib": matplotlib.__version__,
        "numpy": np.__version__,
        "histograms": histogram_cases(),
        "colors": [{"name": n, "hex": mcolors.to_hex(n)} for n in NAMES],
        "cycles": cycle_case(),
    }
    with open(os.path.join(ROOT, OUT), "w") as fh:
        json.dump(data, fh, indent=1, allow_nan=False)
        fh.write("\n")


if __name__ == "__main__":
    main()
