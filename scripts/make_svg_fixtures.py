#!/usr/bin/env python3
"""Generates Tests/LossLangTests/Fixtures/pictures_svg.json: the geometry matplotlib gives the
figures the SVG renderer (Sources/LossLang/Pictures/SVG*.swift) draws.

Run with a Python that has matplotlib:

    /tmp/venv/bin/python scripts/make_svg_fixtures.py

Sections (lengths in points, y measured down from the top as in SVG):
- "layouts": figures of matplotlib's default size or of a size in text cells (8 px a column,
  20 px a row at 100 dpi), with a grid of panels each plotting [0, 1] against [0, 1]: the
  figure's size in pixels and points, and per panel its axes box (`ax.get_position()`) and
  the tick space of each axis (`axis.get_tick_space()`, which AutoLocator caps at 9).
- "lines": the linewidth, the scaled dash pattern of "--" and ":" and the marker size of
  matplotlib's default lines.
- "legends": where `legend()` (loc="best") puts the legend for a few data sets: the corner
  (vertical, horizontal) and the gap between the legend box and the nearest axes edges.
"""

import json
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = "Tests/LossLangTests/Fixtures/pictures_svg.json"
DPI = 100.0

LAYOUTS = [
    {"name": "default", "cells": None, "rows": 1, "columns": 1, "panels": [1]},
    {"name": "grid 2x2", "cells": None, "rows": 2, "columns": 2, "panels": [1, 2, 3, 4]},
    {"name": "column 2x1", "cells": None, "rows": 2, "columns": 1, "panels": [1, 2]},
    {"name": "cells 100x30", "cells": [100, 30], "rows": 1, "columns": 1, "panels": [1]},
    {"name": "cells 60x15", "cells": [60, 15], "rows": 1, "columns": 1, "panels": [1]},
]


def layout_case(spec):
    if spec["cells"] is None:
        fig = plt.figure(dpi=DPI)
    else:
        columns, rows = spec["cells"]
        fig = plt.figure(figsize=(columns * 8 / DPI, rows * 20 / DPI), dpi=DPI)
    width_in, height_in = fig.get_size_inches()
    width, height = width_in * 72, height_in * 72
    panels = []
    for index in spec["panels"]:
        ax = fig.add_subplot(spec["rows"], spec["columns"], index)
        ax.plot([0, 1], [0, 1])
        box = ax.get_position()
        panels.append({
            "index": index,
            "box": [box.x0 * width, (1 - box.y1) * height, box.width * width, box.height * height],
            "xbins": max(1, min(9, ax.xaxis.get_tick_space())),
            "ybins": max(1, min(9, ax.yaxis.get_tick_space())),
        })
    plt.close(fig)
    return {**spec, "pixels": [round(width_in * DPI), round(height_in * DPI)], "points": [width, height],
            "axes": panels}


def lines_case():
    fig, ax = plt.subplots()
    dashed = ax.plot([0, 1], [0, 1], "--")[0]
    dotted = ax.plot([0, 1], [0, 1], ":")[0]
    markers = ax.plot([0, 1], [0, 1], "o")[0]
    case = {
        "linewidth": dashed.get_linewidth(),
        "dashed": list(dashed._dash_pattern[1]),
        "dotted": list(dotted._dash_pattern[1]),
        "markersize": markers.get_markersize(),
        "gridcolor": matplotlib.colors.to_hex(matplotlib.rcParams["grid.color"]),
        "axeslinewidth": matplotlib.rcParams["axes.linewidth"],
        "ticksize": matplotlib.rcParams["xtick.major.size"],
    }
    plt.close(fig)
    return case


LEGENDS = {
    "rising": (np.linspace(0, 1, 51), np.linspace(0, 1, 51)),
    "falling": (np.linspace(0, 1, 51), np.linspace(1, 0, 51)),
    "parabola": (np.linspace(-3, 3, 121), np.linspace(-3, 3, 121) ** 2),
}


def legend_case(name, x, y):
    fig, ax = plt.subplots(dpi=DPI)
    ax.plot(x, y, label=name)
    legend = ax.legend()
    fig.canvas.draw()
    scale = 72 / DPI
    box, frame = ax.get_window_extent(), legend.get_window_extent()
    gaps = {"left": (frame.x0 - box.x0) * scale, "right": (box.x1 - frame.x1) * scale,
            "top": (box.y1 - frame.y1) * scale, "bottom": (frame.y0 - box.y0) * scale}
    vertical = "upper" if gaps["top"] < gaps["bottom"] - 1 else "lower" if gaps["bottom"] < gaps["top"] - 1 else "center"
    horizontal = "left" if gaps["left"] < gaps["right"] - 1 else "right" if gaps["right"] < gaps["left"] - 1 else "center"
    plt.close(fig)
    return {"name": name, "x": x.tolist(), "y": y.tolist(), "vertical": vertical, "horizontal": horizontal,
            "gap": min(gaps.values())}


def main():
    data = {
        "matplotlib": matplotlib.__version__,
        "layouts": [layout_case(spec) for spec in LAYOUTS],
        "lines": lines_case(),
        "legends": [legend_case(name, x, y) for name, (x, y) in LEGENDS.items()],
    }
    with open(os.path.join(ROOT, OUT), "w") as fh:
        json.dump(data, fh, indent=1, allow_nan=False)
        fh.write("\n")


if __name__ == "__main__":
    main()
