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

One signed change column instead of 감 and 증 (the total row prints the net change):
* `signed_change_triangle`: `증감(△)` holding `△24,000` and `24,000`, net total `-`;
* `signed_change_minus`: `전용액` holding `-24,000`, net total `0`;
* `signed_change_parentheses`: `증감` holding `(24,000)`, net total `-`;
* `change_column_by_content`: a header word no list holds (`변동분`) over the signed
  figures between 예산현액 and 전용 후: the arithmetic decides it is the change column.

Header words offices use and letter labels:
* `unknown_header_words`: `비목` for 통계목, `전용액` over `감액(B)` and `증액(C)`,
  `예산현액(A)`, `전용 후 예산액(A-B+C)`;
* `columns_by_content`: words no list holds for 통계목 (`구분`), 감 (`줄임`) and 증 (`늘림`):
  the codes and the arithmetic decide.
"""
from __future__ import annotations

import copy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_samples import render_text  # noqa: E402
from render_docx import build_docx  # noqa: E402
from sample_reports import HCell, SampleReport, SampleTable, climate_2022q1, header_a, header_b  # noqa: E402


class SignedTable(SampleTable):
    """A budget table with one signed change column: total = [label, before, net, after]."""

    @property
    def width(self) -> int:
        return self.text_columns + 3


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


def _number(text: str) -> int:
    return 0 if text in ("-", "") else int(text.replace(",", ""))


def signed(r: SampleReport, word: str, minus: str = "△{}", net_zero: str = "-") -> SampleReport:
    """The sample's tables with 감 and 증 printed as one signed change column."""
    for t in r.transfers:
        tab = t.table
        n = tab.text_columns

        def change(dec: str, inc: str) -> str:
            v = _number(inc) - _number(dec)
            return "-" if v == 0 else (f"{v:,}" if v > 0 else minus.format(f"{-v:,}"))

        body = [row[:n] + [row[n], change(row[n + 1], row[n + 2]), row[n + 3]] for row in tab.body]
        label, before, dec, inc, after = tab.total
        net = _number(inc) - _number(dec)
        total = [label, before, net_zero if net == 0 else change(dec, inc), after]
        header = [
            [HCell("부서명", 2), HCell("정책사업", 2), HCell("예산과목", 1, 3), HCell("예산현액", 2), HCell(word, 2),
             HCell("전용 후 예산현액", 2)],
            [HCell("단위사업"), HCell("세부사업"), HCell("통계목")],
        ]
        t.table = SignedTable(header=header, body=body, total=total, text_columns=n)
    r.col_widths = [2.8, 2.3, 2.8, 3.1, 2.4, 1.7, 1.7, 1.7]
    return r


def signed_change_triangle() -> SampleReport:
    return signed(base(), "증감(△)")


def signed_change_minus() -> SampleReport:
    return signed(base(), "전용액", minus="-{}", net_zero="0")


def signed_change_parentheses() -> SampleReport:
    return signed(base(), "증감", minus="({})")


def change_column_by_content() -> SampleReport:
    return signed(base(), "변동분")


def unknown_header_words() -> SampleReport:
    r = base()
    for t, header in zip(r.transfers, (header_a, header_b)):
        t.table.header = header(before="예산현액(A)", dec="감액(B)", inc="증액(C)", after="전용 후 예산액(A-B+C)",
                                change="전용액", stat="비목")
    return r


def columns_by_content() -> SampleReport:
    r = base()
    for t, header in zip(r.transfers, (header_a, header_b)):
        t.table.header = header(dec="줄임", inc="늘림", stat="구분")
    return r


FIXTURES = [unit_in_header_cell, unit_beside_heading, unit_alone_in_brackets, unit_in_figures,
            unit_by_tie_out, unit_not_established, signed_change_triangle, signed_change_minus,
            signed_change_parentheses, change_column_by_content, unknown_header_words, columns_by_content]


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
