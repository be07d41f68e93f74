#!/usr/bin/env python3
"""Converts scikit-learn's copy of the UCI handwritten digits to the file LossLang ships,
and writes the test fixture that checks what `load_dataset("digits")` returns.

Run from anywhere with a Python that has scikit-learn (no network: the data ship with it):

    /tmp/venv/bin/python scripts/make_digits.py

Data: "Optical Recognition of Handwritten Digits" (E. Alpaydin, C. Kaynak, 1998), UCI
Machine Learning Repository, CC BY 4.0; the 1 797 8×8 test-set images as
`sklearn.datasets.load_digits` ships them (pixel counts 0..16, labels 0..9).

Writes
- Sources/LossLang/Training/Datasets/digits.bin, read by PackedDigits.swift:
    bytes 0..3   "LLDG" (format 1)
    bytes 4..5   the number of rows, little-endian
    byte  6      pixels per row
    then         one 4-bit label per row, two per byte, the first in the high half
                 (a zero half pads an odd count)
    then         the pixels row by row as a bit stream, most significant bit first:
                 `0` for a pixel of 0, `1` and 4 bits holding value − 1 for 1..16;
                 zero bits pad the last byte.
  Half the pixels are 0, so this takes 3.04 bits a pixel (44.6 KB in all, against 116.8 KB
  for one byte a value). SwiftPM's `.embedInCode` turns every byte into an element of an
  array literal, which the compiler handles at about 0.1-0.2 ms an element: the compact file
  keeps the build seconds shorter (docs/training.md, "Data").
- Tests/LossLangTests/Fixtures/digits.json: computed from scikit-learn's arrays (not from
  the packed file): shape, class counts, per-class pixel sums, the total, and a few rows.
"""

import json
import os

import numpy as np
from sklearn.datasets import load_digits

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "Sources", "LossLang", "Training", "Datasets", "digits.bin")
FIXTURE = os.path.join(ROOT, "Tests", "LossLangTests", "Fixtures", "digits.json")
ROWS_IN_FIXTURE = [0, 1, 2, 17, 500, 1000, 1795, 1796]


def load():
    """scikit-learn's arrays as whole numbers, checked against what the format can hold."""
    digits = load_digits()
    x = digits.data
    y = digits.target
    assert x.shape == (1797, 64) and y.shape == (1797,)
    assert np.array_equal(x, np.round(x)) and x.min() == 0 and x.max() == 16
    assert y.min() == 0 and y.max() == 9
    return x.astype(np.int64), y.astype(np.int64)


class BitWriter:
    """Appends bits, most significant first."""

    def __init__(self):
        self.out = bytearray()
        self.current = 0
        self.used = 0

    def write(self, value, bits):
        for shift in range(bits - 1, -1, -1):
            self.current = (self.current << 1) | ((value >> shift) & 1)
            self.used += 1
            if self.used == 8:
                self.out.append(self.current)
                self.current, self.used = 0, 0

    def finish(self):
        if self.used:
            self.out.append(self.current << (8 - self.used))
            self.current, self.used = 0, 0
        return bytes(self.out)


def pack(x, y):
    """The file's bytes (format in the module docstring)."""
    rows, width = x.shape
    head = b"LLDG" + rows.to_bytes(2, "little") + bytes([width])
    labels = list(y) + ([0] if rows % 2 else [])
    label_bytes = bytes((labels[i] << 4) | labels[i + 1] for i in range(0, len(labels), 2))
    bits = BitWriter()
    for v in x.reshape(-1):
        if v == 0:
            bits.write(0, 1)
        else:
            bits.write(0b10000 | (int(v) - 1), 5)
    return head + label_bytes + bits.finish()


def unpack(data):
    """Reads the file back (a check of `pack`, independent of the Swift decoder)."""
    assert data[:4] == b"LLDG"
    rows, width = int.from_bytes(data[4:6], "little"), data[6]
    label_bytes = data[7:7 + (rows + 1) // 2]
    y = [(b >> (4 - 4 * (i % 2))) & 15 for i, b in
         ((i, label_bytes[i // 2]) for i in range(rows))]
    stream = data[7 + len(label_bytes):]
    position = 0

    def bit():
        nonlocal position
        b = (stream[position // 8] >> (7 - position % 8)) & 1
        position += 1
        return b

    x = []
    for _ in range(rows * width):
        if bit() == 0:
            x.append(0)
        else:
            v = 0
            for _ in range(4):
                v = (v << 1) | bit()
            x.append(v + 1)
    assert (position + 7) // 8 == len(stream)
    return np.array(x).reshape(rows, width), np.array(y)


def fixture(x, y):
    """What the test compares `load_dataset("digits")` against."""
    return {
        "source": "sklearn.datasets.load_digits",
        "shape": list(x.shape),
        "class_counts": np.bincount(y, minlength=10).tolist(),
        "class_pixel_sums": [x[y == c].sum(axis=0).tolist() for c in range(10)],
        "total": int(x.sum()),
        "rows": {str(i): {"x": x[i].tolist(), "y": int(y[i])} for i in ROWS_IN_FIXTURE},
    }


def main():
    x, y = load()
    data = pack(x, y)
    rx, ry = unpack(data)
    assert np.array_equal(rx, x) and np.array_equal(ry, y)
    with open(DATA, "wb") as f:
        f.write(data)
    with open(FIXTURE, "w") as f:
        json.dump(fixture(x, y), f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {len(data)} bytes to {os.path.relpath(DATA, ROOT)} "
          f"({x.size + y.size} at one byte a value)")
    print(f"wrote {os.path.relpath(FIXTURE, ROOT)}")


if __name__ == "__main__":
    main()
