#!/usr/bin/env python3
"""Render every sample report (scripts/sample_reports.py) into samples/.

    python scripts/make_samples.py [--only text,docx,pdf,hwpx] [--out samples]

Text renderings use the sample's own table style (tab, Markdown pipe or box drawing),
encoding and line ending. DOCX, HWPX and PDF renderers live in their own modules beside
this one and are used when present; PDF needs LibreOffice (`soffice`) and is made from the
DOCX, as HWP's own PDF export would give ruled tables with embedded Korean fonts. The
generated files are checked in, so tests and CI need none of these tools.
"""
from __future__ import annotations

import argparse
import importlib
import shutil
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from sample_reports import SampleReport, SampleTable, all_samples, bound_reports, package_front  # noqa: E402

SEED = ROOT.parent / "shared" / "seed" / "000_69d6960250ab482a.txt"


# ---------------------------------------------------------------- text
def _w(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in s)


def table_tab(t: SampleTable) -> list[str]:
    return ["\t".join(row) for row in t.text_grid()]


def table_pipe(t: SampleTable) -> list[str]:
    rows = t.text_grid()
    out = ["| " + " | ".join(rows[0]) + " |", "|" + "|".join("---" for _ in rows[0]) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return out


def table_box(t: SampleTable) -> list[str]:
    """A fully ruled box-drawing table that shows merges the way a monospace export does:
    no bar inside a horizontal span, no rule inside a vertical one."""
    rows = t.text_grid()
    n_rows, n_cols = len(rows), len(rows[0])
    owner = [[(r, c) for c in range(n_cols)] for r in range(n_rows)]  # origin of the cell covering (r, c)
    for r0, c0, rs, cs in t.merges():
        for r in range(r0, r0 + rs):
            for c in range(c0, c0 + cs):
                owner[r][c] = (r0, c0)
    widths = [2] * n_cols
    for r in range(n_rows):
        for c in range(n_cols):
            if owner[r][c] == (r, c) and not any(m[0] == r and m[1] == c and m[3] > 1 for m in t.merges()):
                widths[c] = max(widths[c], _w(rows[r][c]) + 2)
    for r0, c0, rs, cs in t.merges():  # a spanning cell must fit its span
        need = _w(rows[r0][c0]) + 2
        have = sum(widths[c0 : c0 + cs]) + (cs - 1)
        if need > have:
            widths[c0 + cs - 1] += need - have

    def rule(ra, rb) -> str:
        """The rule between rows ra and rb (None above the first or below the last): blank
        where a cell continues downward, a junction wherever a bar meets it."""
        cont = [ra is not None and rb is not None and owner[ra][c] == owner[rb][c] for c in range(n_cols)]
        line = []
        for k in range(n_cols + 1):
            if k == 0:
                j = "┌" if ra is None else "└" if rb is None else ("│" if cont[0] else "├")
            elif k == n_cols:
                j = "┐" if ra is None else "┘" if rb is None else ("│" if cont[-1] else "┤")
            else:
                split_above = ra is not None and owner[ra][k - 1] != owner[ra][k]
                split_below = rb is not None and owner[rb][k - 1] != owner[rb][k]
                if cont[k - 1] and cont[k]:
                    j = "│" if split_above else " "
                elif split_above or split_below:
                    j = "┬" if ra is None else "┴" if rb is None else "┼"
                else:
                    j = "─"
            line.append(j)
            if k < n_cols:
                line.append((" " if cont[k] else "─") * widths[k])
        return "".join(line)

    out = [rule(None, 0)]
    for r in range(n_rows):
        parts = ["│"]
        c = 0
        while c < n_cols:
            span = 1
            while c + span < n_cols and owner[r][c + span] == owner[r][c]:
                span += 1
            width = sum(widths[c : c + span]) + span - 1
            text = rows[r][c] if owner[r][c] == (r, c) else ""
            parts.append(" " + text + " " * (width - 1 - _w(text)) + "│")
            c += span
        out.append("".join(parts))
        out.append(rule(r, r + 1 if r + 1 < n_rows else None))
    return out


TEXT_TABLES = {"tab": table_tab, "pipe": table_pipe, "box": table_box}


def render_text(report: SampleReport, style: str | None = None) -> str:
    lines: list[str] = ["", ""]
    for line in package_front(report):  # a package's cover and contents, then each report
        lines += [line, ""]
    for one in bound_reports(report):
        for block in one.blocks():
            if isinstance(block, SampleTable):
                lines += TEXT_TABLES[style or report.text_style](block)
            else:
                lines.append(block)
            lines.append("")
    return report.newline.join(lines)


def write_text(report: SampleReport, out: Path) -> Path:
    target = out / f"{report.name}.txt"
    target.write_bytes(render_text(report).encode(report.encoding))
    return target


# ---------------------------------------------------------------- other formats
RENDERERS = {
    "text": ("make_samples", "write_text"),
    "docx": ("render_docx", "write_docx"),
    "hwpx": ("render_hwpx", "write_hwpx"),
    "hwp": ("render_hwp", "write_hwp"),  # HWP 5, converted from the HWPX by python-hwpx
    "pdf": ("render_pdf", "write_pdf"),  # after docx: converts the DOCX
}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "samples")
    ap.add_argument("--only", default=",".join(RENDERERS), help="comma-separated formats")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    if SEED.exists():
        shutil.copyfile(SEED, args.out / f"seed_{SEED.name}")
    wanted = [f for f in RENDERERS if f in args.only.split(",")]
    for fmt in wanted:
        module, func = RENDERERS[fmt]
        try:
            write = globals()[func] if module == "make_samples" else getattr(importlib.import_module(module), func)
        except (ImportError, AttributeError) as e:
            print(f"skipping {fmt}: {e}", file=sys.stderr)
            continue
        for report in all_samples():
            path = write(report, args.out)
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
