"""Writes the CSV fixtures for LossLang's load_csv tests: files made the way people make
them (NumPy's savetxt, Python's csv module as pandas and Excel write, with a BOM, CRLF,
CR-only line ends and quoted headers), each with the array it holds as a float32 .npy.

Run from the repository root with a python3 that has numpy:
    python3 scripts/make_csv_fixtures.py
Files go to Tests/LossLangTests/Fixtures/csv/: NAME.csv and NAME.npy. Before writing,
each file is read back with NumPy's loadtxt (the oracle) and must give its array exactly.
"""
import csv
import io
import os

import numpy as np

OUT = os.path.join("Tests", "LossLangTests", "Fixtures", "csv")


def values(seed, shape):
    """Float32 values from every part of the range, plus NaN, infinities and signed zero."""
    rng = np.random.default_rng(seed)
    bits = rng.integers(0, 2**32, size=shape, dtype=np.uint64).astype(np.uint32)
    a = bits.view(np.float32).copy()
    a[~np.isfinite(a)] = 1.5
    special = np.array([np.nan, np.inf, -np.inf, -0.0, 0.1, 1e-45, 3.4028235e38, 16777217], dtype=np.float32)
    flat = a.reshape(-1)
    flat[: min(len(special), flat.size)] = special[: flat.size]
    return a


def rows_text(a, header, lineterminator, quoting=csv.QUOTE_MINIMAL):
    """The file text Python's csv module (which pandas' to_csv uses) writes for `a`."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator=lineterminator, quoting=quoting)
    if header is not None:
        writer.writerow(header)
    for row in a:
        writer.writerow([repr(float(x)) for x in row])
    return buffer.getvalue()


def savetxt_text(a, **options):
    """The file text NumPy's savetxt writes for `a`."""
    buffer = io.StringIO()
    np.savetxt(buffer, a, delimiter=",", **options)
    return buffer.getvalue()


def check(name, data, a, skiprows):
    """NumPy's loadtxt reads `data` back to exactly `a`."""
    text = data.decode("utf-8-sig")
    got = np.loadtxt(io.StringIO(text, newline=None), delimiter=",", dtype=np.float32,
                     skiprows=skiprows, quotechar='"', ndmin=2, comments=None)
    same = (got.view(np.uint32) == a.view(np.uint32)) | (np.isnan(got) & np.isnan(a))
    assert got.shape == a.shape and same.all(), name


def save(name, data, a, skiprows):
    check(name, data, a, skiprows)
    with open(os.path.join(OUT, name + ".csv"), "wb") as f:
        f.write(data)
    np.save(os.path.join(OUT, name + ".npy"), a.astype("<f4"))


def main():
    os.makedirs(OUT, exist_ok=True)
    a = values(1, (6, 3))
    # savetxt's own header line ("# x,y,z") and its default %.18e format.
    save("savetxt_header", savetxt_text(a, header="x,y,z").encode(), a, 1)
    # savetxt with a plain header line and the shortest exact float32 format.
    b = values(2, (5, 4))
    save("savetxt_g9", savetxt_text(b, fmt="%.9g", header="a,b,c,d", comments="").encode(), b, 1)
    # Excel / pandas to_csv(encoding="utf-8-sig"): BOM, CRLF, a quoted header with a comma,
    # a doubled quote and an embedded line break (two physical lines: loadtxt skips 2).
    c = values(3, (4, 3))
    header = ["loss, total", 'say "hi"', "two\r\nlines"]
    save("excel_bom_crlf", b"\xef\xbb\xbf" + rows_text(c, header, "\r\n").encode(), c, 2)
    # Classic Mac line ends (CR only), a header with a quoted comma, no BOM.
    d = values(4, (5, 2))
    save("cr_only", rows_text(d, ["p,q", "r"], "\r").encode(), d, 1)
    # Every cell quoted, numbers too (csv.QUOTE_ALL), LF line ends, no header.
    e = values(5, (3, 3))
    save("quote_all", rows_text(e, None, "\n", csv.QUOTE_ALL).encode(), e, 0)


if __name__ == "__main__":
    main()
