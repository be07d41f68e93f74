#!/usr/bin/env python3
"""Embeds stdlib/*.loss into Sources/LossLang/Runtime/EmbeddedStdlib/ (one Swift file per module).

The prelude ships inside the library so it is found from any working directory, installed
or embedded, with no environment variables. Run this after editing stdlib/; a test fails
when the embedded copy is stale.
"""
import pathlib

from embed_text import write_split

root = pathlib.Path(__file__).resolve().parent.parent
out = root / "Sources/LossLang/Runtime/EmbeddedStdlib"
write_split(out, "EmbeddedStdlib", "modules", "scripts/embed_stdlib.py from stdlib/*.loss",
            "/// The standard library's `.loss` sources, compiled into the library (`prelude.loss`, …).",
            [(path.name, path.read_text()) for path in sorted((root / "stdlib").glob("*.loss"))])
print(f"wrote {out.relative_to(root)}")
