#!/usr/bin/env python3
"""Tables as offices print them (issue 20): one small report per rule, each named after
the rule it proves, in text (tab cells, UTF-8), DOCX and PDF (LibreOffice; skipped when
`soffice` is missing).

    python scripts/make_table_class_fixtures.py [OUT_DIR]   # default tests/fixtures/tables

Every fixture is the climate sample (scripts/sample_reports.py: two transfers, 천원) with
the same money printed another way, so that its budget lines in won are known: the
tests read each fixture against the sample itself.

Units read, never assumed (figures printed in 원, 1,000 times the sample's):
* `unit_in_header_cell`: no unit line; the figure columns' header cells say `(원)`;
* `unit_beside_heading`: `□ 예산 현황 (단위 : 원)`, no unit line;
* `unit_alone_in_brackets`: the unit line is `(원)`;
* `unit_in_figures`: no unit printed but on every figure (`120,000,000원`);
* `unit_by_tie_out`: no unit printed anywhere; the 전용개요 amount (`금 24,000천원`) ties to
  the table's total only when its figures are read in 원;
* `unit_not_established`: no unit printed anywhere and the 전용개요 amounts tie in no unit:
  the tables must be set aside, never read as 천원.
"""
from __future__ import annotations

import copy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_samples import render_text  # noqa: E402
from render_docx import build_docx  # noqa: E402
from sample_reports import SampleReport, climate_2022q1, header_a, header_b  # noqa: E402


def base() -> SampleReport:
    r = copy.deepcopy(climate_2022q1())
    r.encoding, r.newline, r.text_style = "utf-8", "\n", "tab"
    return r


def _scaled(text: str, factor: int, suffix: str = "") -> str:
    digits = text.replace(",", "")
    if not digits.isdigit():
        return text  # `-`, names
    return f"{int(digits) * factor:,}{suffix}"


def in_won(r: SampleReport, suffix: str = "") -> SampleReport:
    """The sample's tables with every figure printed in 원 (the sample prints 천원)."""
    for t in r.transfers:
        tab = t.table
        n = tab.text_columns
        tab.body = [row[:n] + [_scaled(v, 1000, suffix) for v in row[n:]] for row in tab.body]
        if tab.total:
            tab.total = tab.total[:1] + [_scaled(v, 1000, suffix) for v in tab.total[1:]]
        t.unit = "원"
    return r


def unit_in_header_cell() -> SampleReport:
    r = in_won(base())
    for t, header in zip(r.transfers, (header_a, header_b)):
        t.unit_form = None
        t.table.header = header(before="예산현액(원)", change="증감내역(원)", after="전용 후 예산현액(원)")
    return r


def unit_beside_heading() -> SampleReport:
    r = in_won(base())
    for t in r.transfers:
        t.unit_form = None
        t.budget_heading = "예산 현황 (단위 : 원)"
    return r


def unit_alone_in_brackets() -> SampleReport:
    r = in_won(base())
    for t in r.transfers:
        t.unit_form = "({})"
    return r


def unit_in_figures() -> SampleReport:
    r = in_won(base(), suffix="원")
    for t in r.transfers:
        t.unit_form = None
    return r


def unit_by_tie_out() -> SampleReport:
    r = in_won(base())
    for t in r.transfers:
        t.unit_form = None
    return r


def unit_not_established() -> SampleReport:
    r = unit_by_tie_out()
    for t in r.transfers:  # 전용개요 amounts that tie to no reading of the tables
        t.transfer_lines = [line.replace("금 24,000천원", "금 25,000천원").replace("금 8,500천원", "금 9,100천원")
                            for line in t.transfer_lines]
    return r


FIXTURES = [unit_in_header_cell, unit_beside_heading, unit_alone_in_brackets, unit_in_figures,
            unit_by_tie_out, unit_not_established]


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    docx_files = []
    models = [("model", base())] + [(make.__name__, make()) for make in FIXTURES]
    for name, report in models:
        (out / f"{name}.txt").write_text(render_text(report, "tab"), encoding="utf-8")
        doc = build_docx(report)
        doc.save(str(out / f"{name}.docx"))
        docx_files.append(out / f"{name}.docx")
    try:
        from render_pdf import docx_to_pdfs

        docx_to_pdfs(docx_files, out)
    except RuntimeError as e:
        print(f"PDF not made: {e}", file=sys.stderr)
    for p in sorted(out.iterdir()):
        print(p)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parent / "tests" / "fixtures" / "tables")
