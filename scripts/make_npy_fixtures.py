"""Writes the .npy fixtures for LossLang's NpyFormat tests.

Run from the repository root with a python3 that has numpy:
    python3 scripts/make_npy_fixtures.py
Files go to Tests/LossLangTests/Fixtures/npy/.
"""
import os
import warnings

import numpy as np

OUT = os.path.join("Tests", "LossLangTests", "Fixtures", "npy")


def save(name, array, version=None):
    """Writes one array with numpy's own writer."""
    path = os.path.join(OUT, name)
    with open(path, "wb") as f:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            np.lib.format.write_array(f, array, version=version)


def main():
    os.makedirs(OUT, exist_ok=True)
    save("f4_2x3.npy", np.array([[0.5, -1.25, 3.0], [1e-3, 2.5e6, -0.0]], dtype="<f4"))
    save("f8_3.npy", np.array([0.1, -2.0, 1e300], dtype="<f8"))
    save("f8_scalar.npy", np.array(3.25, dtype="<f8"))
    save("f4_empty_0x4.npy", np.zeros((0, 4), dtype="<f4"))
    save("i4_2x2.npy", np.array([[1, -2], [30000, -2147483648]], dtype="<i4"))
    save("i8_3.npy", np.array([0, -7, 2**40], dtype="<i8"))
    save("b1_4.npy", np.array([True, False, False, True]))
    save("b1_2x3.npy", np.array([[False, True, True], [True, False, False]]))
    save("u1_3.npy", np.array([0, 128, 255], dtype="|u1"))
    save("bigendian_f4_2.npy", np.array([1.5, -2.0], dtype=">f4"))
    save("bigendian_f8_2.npy", np.array([1.5, -2.0], dtype=">f8"))
    save("v2_f4_3.npy", np.array([1.0, 2.0, 3.0], dtype="<f4"), version=(2, 0))
    save("v3_f4_2.npy", np.array([4.0, 5.0], dtype="<f4"), version=(3, 0))
    save("fortran_2x3.npy", np.asfortranarray(np.arange(6, dtype="<f4").reshape(2, 3)))
    save("c8_2.npy", np.array([1 + 2j, 3 - 4j], dtype="<c8"))
    save("structured_2.npy", np.zeros(2, dtype=[("a", "<f4"), ("b", "<i4")]))


if __name__ == "__main__":
    main()
