"""Writes a Swift file holding text files as a `[String: String]` table (for scripts/embed_*.py)."""
import pathlib


def write_table(out: pathlib.Path, header: list, files: list) -> None:
    """Writes `header` lines, then one `"name": raw string` entry per (name, text) of `files`, then the closing lines."""
    lines = list(header)
    fence = "#" * 4
    for name, text in files:
        assert f'"""{fence}' not in text
        lines.append(f'    "{name}": {fence}"""')
        lines.extend(text.rstrip("\n").split("\n"))
        lines.append(f"\"\"\"{fence},")
    lines += ["  ]", "}", ""]
    out.write_text("\n".join(lines))
