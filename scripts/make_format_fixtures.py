#!/usr/bin/env python3
"""Generates Tests/LossLangTests/Fixtures/format.json: Python's own `format(value, spec)`
results for the format-spec mini-language that LossLang's f-strings implement
(Sources/LossLang/Runtime/FormatSpec.swift). Needs only the standard library:

    python3 scripts/make_format_fixtures.py

Numbers are written as text (`repr`), so NaN, infinities and -0.0 survive JSON. A `d` spec
is applied to `int(value)` (Python's `d` takes integers; LossLang's takes whole floats).
Specs with neither a type nor a precision are left out: there the number's own text is
LossLang's display (`3`, not Python's `3.0`), tested in the golden scripts instead.
"""

import json
import os

VALUES = [0.0, -0.0, 1.0, -1.0, 0.5, 2.5, 3.5, 0.1, 1 / 3, -2 / 3, 12.0, 100.0, 1234.5,
          1234567.891, -98765.4321, 1e-5, 0.0001, 1e16, 123456789.0, 6.02214076e23,
          -1.5e-7, float("nan"), float("inf"), float("-inf")]
FLOAT_SPECS = [".4f", ".2f", ".0f", "f", "F", "#.0f", ".3e", "e", "E", ".2E", "g", "G",
               ".3g", "#g", ".10g", ".1g", ".0g", ".3", ".1", ".6", "%", ".1%", "+.2f",
               " .2f", "-.2f", "z.2f", "z.1e", "10.3f", "<10.3f", "^10.3f", "=+10.2f",
               "*>12.4g", "_^11.2e", "010.3f", "+010.2f", ",.2f", "_.1f", ",.0f",
               "015,.2f", "0=12,.1f", ",g", ",.3", ".2%", "12.4%"]
INT_VALUES = [0, 7, -7, 42, -42, 1000, 1234567, -98765432]
INT_SPECS = ["d", "03d", "05d", "+d", " d", ",d", "_d", "<6d", "^7d", ">6d", "=+8d",
             "*^9d", "010,d"]
STRINGS = ["", "ab", "abcdef", "héllo"]
STRING_SPECS = ["", "s", "8", "<8", ">8", "^8", "*^7", "-<6s", ".3", "10.2", ".0"]


def main():
    cases = []
    for v in VALUES:
        for spec in FLOAT_SPECS:
            cases.append({"kind": "number", "value": repr(v), "spec": spec, "expected": format(v, spec)})
    for v in INT_VALUES:
        for spec in INT_SPECS:
            cases.append({"kind": "number", "value": repr(float(v)), "spec": spec, "expected": format(v, spec)})
    for s in STRINGS:
        for spec in STRING_SPECS:
            cases.append({"kind": "string", "value": s, "spec": spec, "expected": format(s, spec)})
    out = os.path.join(os.path.dirname(__file__), "..", "Tests", "LossLangTests", "Fixtures", "format.json")
    with open(out, "w", encoding="utf-8") as f:
        json.dump(cases, f, indent=0, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {len(cases)} cases to {os.path.normpath(out)}")


if __name__ == "__main__":
    main()
