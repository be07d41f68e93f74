#!/usr/bin/env python3
"""Generates Tests/LossLangTests/Fixtures/pictures_axes.json: matplotlib's axis arithmetic
(tick placement, autoscaled limits, tick labels, the colour cycle) as the oracle for
Sources/LossLang/Pictures (TickLocator, AxisLimits, TickLabels, ColorCycle).

Run with a Python that has matplotlib:

    /tmp/venv/bin/python scripts/make_picture_fixtures.py

Sections of the JSON file:
- "maxn": MaxNLocator(nbins=n, steps=[1, 2, 2.5, 5, 10]).tick_values(vmin, vmax) (what
  AutoLocator configures, with nbins given) over tiny, huge, negative, zero-crossing and
  equal-ended ranges, n in 3..9.
- "log": LogLocator().tick_values(vmin, vmax) (base 10, subs (1,), no axis: 9 ticks requested).
- "limits": a real Axes: ax.plot(x, y) then ax.get_xlim() / get_ylim() with default margins,
  linear and log scales; and set_xlim(lo, hi) for explicit limits.
- "labels": ScalarFormatter(useOffset=False) labels of a real Axes after fig.canvas.draw()
  (Agg backend), with every major tick location the locator gave and the view limits; the
  last cases fix the locations (a single tick, two equal ones) to reach the formatter's
  fallbacks. "multiplier" is the axis's offset text: "1e7" when the labels are in units of
  10^7 (visible ticks at or beyond 10^6, or at or below 10^-5), "" otherwise.
  matplotlib writes minus as U+2212; the file keeps its text as is.
- "loglabels": labels of a log axis (LogFormatterSciNotation, mathtext "$\\mathdefault{10^{k}}$").
- "colors": rcParams["axes.prop_cycle"] colours as "#rrggbb" (matplotlib.colors.to_hex).
"""

import json
import os

import matplotlib
import matplotlib.colors

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.ticker import FixedLocator, LogLocator, MaxNLocator, ScalarFormatter  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = "Tests/LossLangTests/Fixtures/pictures_axes.json"
STEPS = [1, 2, 2.5, 5, 10]

RANGES = [
    (0.0, 1.0), (-1.0, 1.0), (0.0, 10.0), (-3.0, 3.0), (0.0, 1000.0), (0.0, 2000.0),
    (-0.15, 3.15), (0.001, 0.0037), (1e-9, 3e-9), (-7e-12, 2e-12), (1e5, 1e5 + 3),
    (123456.0, 123999.0), (1e12, 5e12), (-5e20, 3e20), (-250.0, -17.0), (-1e-3, -2e-4),
    (2.0, 2.0), (0.0, 0.0), (-4.0, -4.0), (1e-300, 1e-300), (0.3, 0.7), (1.0, 1.0 + 1e-9),
    (-0.5, 10.5), (0.05, 0.95), (3.14159, 2.71828), (-1e6, 1e6), (17.0, 23.0),
    (0.0, 0.1), (-0.05, 1.05), (99.0, 101.0), (1e15, 1e15 + 1e3),
]

LOG_RANGES = [
    (1.0, 10.0), (1e-3, 1e3), (0.5, 200.0), (1e-12, 1e12), (2.0, 3.0), (1e-200, 1e200),
    (0.011, 0.97), (3.0, 3e7), (1e-5, 1.0), (7.0, 1e20), (1e4, 1e-2), (0.9, 1.1),
]

SERIES = {
    "unit_line": ([0, 1], [0, 1]),
    "residual": (list(np.linspace(-3, 3, 61)), list(np.linspace(-3, 3, 61) ** 2)),
    "negative": ([-250, -17, -100], [-1e-3, -2e-4, -5e-4]),
    "flat": ([1, 2, 3], [2.0, 2.0, 2.0]),
    "zero": ([0, 0], [0, 0]),
    "point": ([5.0], [-4.0]),
    "huge": ([0, 1e12], [-5e20, 3e20]),
    "tiny": ([1e-9, 3e-9], [0.001, 0.0037]),
    "steps": (list(range(1, 101)), [1 / k for k in range(1, 101)]),
}
LOG_SERIES = {
    "decay": (list(range(1, 101)), [10 ** (-k / 20) for k in range(1, 101)]),
    "decades": ([1, 2, 3], [1e-3, 1.0, 1e3]),
    "with_zero": ([0, 1, 2, 3], [0.0, 0.5, 2.0, 50.0]),
    "flat": ([1, 2], [5.0, 5.0]),
    "decade_flat": ([1, 2], [100.0, 100.0]),
}
EXPLICIT = [(0.0, 1.0), (-2.0, 5.0), (5.0, 5.0), (3.0, -1.0), (0.0, 0.0)]

LABEL_RANGES = [
    (0.0, 1.0), (-2.0, 2.0), (-3.0, 3.0), (0.0, 2000.0), (0.0, 1000.0), (0.0, 0.1),
    (0.0, 10.0), (-1.0, 1.0), (0.25, 0.75), (-0.15, 3.15), (0.001, 0.0037), (17.0, 23.0),
    (-250.0, -17.0), (0.0, 100000.0), (0.0, 2.5), (-0.05, 1.05), (0.9, 1.1), (0.0, 0.01),
    (0.0, 1e7), (-2e8, 5e8), (0.0, 3e-6), (1e-6, 9e-6), (0.0, 999999.0), (-1e-4, 1e-4),
    (123456.0, 123999.0), (0.0, 1e-5),
]


def f(x):
    return float(x)


def maxn_cases():
    out = []
    for vmin, vmax in RANGES:
        for n in range(3, 10):
            ticks = MaxNLocator(nbins=n, steps=STEPS).tick_values(vmin, vmax)
            out.append({"vmin": vmin, "vmax": vmax, "nbins": n, "ticks": [f(t) for t in ticks]})
    return out


def log_cases():
    return [{"vmin": a, "vmax": b, "ticks": [f(t) for t in LogLocator().tick_values(a, b)]}
            for a, b in LOG_RANGES]


def limits_cases():
    out = []
    for name, (x, y) in SERIES.items():
        fig, ax = plt.subplots()
        ax.plot(x, y)
        out.append({"name": name, "scale": "linear", "x": x, "y": y,
                    "xlim": list(map(f, ax.get_xlim())), "ylim": list(map(f, ax.get_ylim()))})
        plt.close(fig)
    for name, (x, y) in LOG_SERIES.items():
        fig, ax = plt.subplots()
        ax.plot(x, y)
        ax.set_yscale("log")
        out.append({"name": "log_" + name, "scale": "log", "x": x, "y": y,
                    "xlim": list(map(f, ax.get_xlim())), "ylim": list(map(f, ax.get_ylim()))})
        plt.close(fig)
    return out


def explicit_cases():
    out = []
    for lo, hi in EXPLICIT:
        fig, ax = plt.subplots()
        ax.plot([0, 10], [0, 10])
        with np.errstate(all="ignore"):
            import warnings
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ax.set_xlim(lo, hi)
        out.append({"lo": lo, "hi": hi, "xlim": list(map(f, ax.get_xlim()))})
        plt.close(fig)
    return out


def label_cases():
    out = []
    fixed = [(0.45, 0.55, [0.5]), (-3.0, 7.0, [2.0]), (0.0, 1.0, [0.0, 0.0])]
    for lo, hi, fixed_locs in [(lo, hi, None) for lo, hi in LABEL_RANGES] + fixed:
        fig, ax = plt.subplots()
        if fixed_locs is not None:
            ax.xaxis.set_major_locator(FixedLocator(fixed_locs))
        ax.xaxis.set_major_formatter(ScalarFormatter(useOffset=False))
        ax.set_xlim(lo, hi)
        fig.canvas.draw()
        locs = ax.xaxis.get_majorticklocs()
        labels = [t.get_text() for t in ax.xaxis.get_ticklabels()]
        assert len(labels) == len(locs), (lo, hi)
        out.append({"vmin": lo, "vmax": hi, "fixed": fixed_locs is not None,
                    "ticks": [f(t) for t in locs], "labels": labels,
                    "multiplier": ax.xaxis.get_offset_text().get_text()})
        plt.close(fig)
    return out


def loglabel_cases():
    out = []
    for lo, hi in [(1e-3, 1e3), (1.0, 1e5), (1e-12, 1e-6)]:
        fig, ax = plt.subplots()
        ax.set_xscale("log")
        ax.set_xlim(lo, hi)
        fig.canvas.draw()
        locs = ax.xaxis.get_majorticklocs()
        labels = [t.get_text() for t in ax.xaxis.get_ticklabels()]
        out.append({"vmin": lo, "vmax": hi, "ticks": [f(t) for t in locs], "labels": labels})
        plt.close(fig)
    return out


def main():
    colors = [matplotlib.colors.to_hex(c["color"]) for c in matplotlib.rcParams["axes.prop_cycle"]]
    data = {
        "matplotlib": matplotlib.__version__,
        "maxn": maxn_cases(),
        "log": log_cases(),
        "limits": limits_cases(),
        "explicit": explicit_cases(),
        "labels": label_cases(),
        "loglabels": loglabel_cases(),
        "colors": colors,
    }
    with open(os.path.join(ROOT, OUT), "w") as fh:
        json.dump(data, fh, indent=1, allow_nan=False)
        fh.write("\n")
    print(f"wrote {OUT}: {len(data['maxn'])} MaxNLocator, {len(data['log'])} LogLocator, "
          f"{len(data['limits'])} limits, {len(data['labels'])} label cases")


if __name__ == "__main__":
    main()
