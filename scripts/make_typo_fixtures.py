#!/usr/bin/env python3
"""Fixtures of one misprinted figure: copies of clean text samples in which one figure of one
budget line has two neighbouring digits swapped (`16,500` → `15,600`), the total and every
other figure left as printed, so that the one typo trips every check the figure takes part in.

    python scripts/make_typo_fixtures.py   # writes tests/fixtures/typo/

For each sample and each money column (예산현액, 감, 증, 전용 후) of each budget line with
a figure there to misprint: `<sample>.line<N>.<column>.txt`, and `manifest.json` saying which line
and column were changed, the figure as now printed and as it was (the expectation comes from
here, not from the parser)."""
from __future__ import annotations

import codecs
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "typo"
SAMPLES = ["000_seed.txt", "seed_000_69d6960250ab482a.txt"]  # the tab-separated tables
COLUMNS = ("before", "decrease", "increase", "after")
CODE = re.compile(r"^\d{3}-\d{3}-\d{2}")
FIGURE = re.compile(r"^\d{1,3}(,\d{3})+$|^\d+$")


def swapped(figure: str) -> str | None:
    """The figure with its first two different neighbouring digits swapped, grouped again."""
    digits = figure.replace(",", "")
    for i in range(len(digits) - 1):
        if digits[i] != digits[i + 1]:
            d = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2:]
            if d[0] == "0":
                continue
            return f"{int(d):,}" if "," in figure else d
    return None


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    manifest = {}
    for name in SAMPLES:
        raw = (ROOT / "samples" / name).read_bytes()
        bom = raw.startswith(codecs.BOM_UTF8)
        text = raw.decode("utf-8-sig")
        lines = text.split("\n")
        rows = [k for k, ln in enumerate(lines) if any(CODE.match(c.strip()) for c in ln.split("\t"))]
        for no, col in ((no, col) for no in rows for col in COLUMNS):
            cells = lines[no].rstrip("\r").split("\t")
            figures = cells[-4:]
            printed = figures[COLUMNS.index(col)]
            if not FIGURE.match(printed.strip()):
                continue
            typo = swapped(printed.strip())
            if typo is None:
                continue
            changed = cells[:-4] + [typo if c == col else f for c, f in zip(COLUMNS, figures)]
            out_lines = list(lines)
            out_lines[no] = "\t".join(changed) + ("\r" if lines[no].endswith("\r") else "")
            target = f"{Path(name).stem}.line{rows.index(no) + 1}.{col}.txt"
            (OUT / target).write_bytes((codecs.BOM_UTF8 if bom else b"") + "\n".join(out_lines).encode("utf-8"))
            manifest[target] = {"sample": name, "text_line": no + 1, "column": col, "printed": typo, "was": printed.strip()}
    (OUT / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(manifest)} fixtures")


if __name__ == "__main__":
    main()
