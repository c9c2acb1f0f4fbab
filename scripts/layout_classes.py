"""Classes of layout the readers are measured on (issues 20 and 21), drawn on top of a
random report (scripts/layouts.py `layout_cases`), and random page geometry for all of them.

Every class changes what the report prints, and says in the case's expected records what a
reader must give back; the expected data always come from the draw, never from a parser:

- `plain`: the report as drawn, in random geometry only;
- `signed`: one signed change column (`증감(△)`, `전용액` …) instead of 감 and 증: decreases
  printed `△1,400`, `-1,400` or `(1,400)`, increases bare, the total row printing the net
  change; a reader gives each line's decrease / increase, and the total's 예산현액 and 전용 후
  as printed (`budget.signed`: the net printed in the total row);
- `header_words`: header words the readers do not know (`비목`, `감액(B)`, `(A-B+C)` …, from
  `HEADER_WORDS` below, a list kept here only), so that a column's content must decide it;
- `unruled`: tables drawn without vertical rules (rules between rows only, or booktabs:
  above, under the header and below) in DOCX and the PDFs;
- `turned`: landscape pages stored as portrait pages with `/Rotate 90` (every page, or the
  pages that print a budget table) in the PDFs;
- `unit_place`: the unit printed elsewhere: a unit line against the table's right edge,
  under the table, or only in the figure columns' header cells (`예산액(천원)`);
- `package`: 2–4 offices' reports bound one after the other in one file, sometimes behind a
  cover page naming the committee and a table of contents (`expected["bound"]`: the records
  of the reports after the first).

`CLASS_FORMATS` says where a class makes sense. Nothing here imports `pipeline`.
"""
from __future__ import annotations

import dataclasses
from typing import Optional

from hypothesis import strategies as st

from layouts import COMMITTEES, FigureStyle, LayoutCase, fit_repeated_headers, fmt_figure, layout_cases
from sample_reports import HEADER_FORMS, PAGE_SIZES_CM, HCell, SampleReport, SampleTable, margins_cm

CLASSES = ("plain", "signed", "header_words", "unruled", "turned", "unit_place", "package")
TEXT_FORMATS = ("tab", "pipe", "box")
PDF_FORMATS = ("pdf", "pdftotext", "pdf.plain", "chromium.pdf", "chromium.layout", "chromium.plain",
               "reportlab.pdf", "reportlab.layout", "reportlab.plain")
CLASS_FORMATS = {
    "plain": TEXT_FORMATS + ("docx", "hwpx", "hwp") + PDF_FORMATS,
    "signed": TEXT_FORMATS + ("docx", "hwpx", "hwp") + PDF_FORMATS,
    "header_words": TEXT_FORMATS + ("docx", "hwpx", "hwp") + PDF_FORMATS,
    "unit_place": TEXT_FORMATS + ("docx", "hwpx", "hwp") + PDF_FORMATS,
    "unruled": ("docx",) + PDF_FORMATS,
    "turned": PDF_FORMATS,
    "package": TEXT_FORMATS + ("docx",) + PDF_FORMATS,
}

# Header words offices print that the readers' vocabulary does not hold (issue 20): the
# generator's own list, never imported by a reader, so that what a column holds must decide
# its role. Keys are `table_words` keys (scripts/layouts.py) and `stat`.
HEADER_WORDS = {
    "stat": ("비목", "목", "통계목(비목)", "과목명", "세목"),
    "before": ("예산액(A)", "현계상액(A)", "(A)", "당초예산", "현예산액"),
    "dec": ("감액(B)", "(B)", "감소액", "감액분"),
    "inc": ("증액(C)", "(C)", "증가액", "증액분"),
    "after": ("(A-B+C)", "전용후(A-B+C)", "변경예산액", "조정후예산", "D=A-B+C"),
    "change": ("전용액", "전용금액", "조정액", "변경내역"),
    "dept": ("소관", "담당부서", "부 서", "과명"),
}
SIGNED_WORDS = ("증감(△)", "전용액", "증감", "증감액(△)", "전용액(△)")
SIGNED_MINUS = ("△", "-", "()")  # how a decrease prints: △1,400, -1,400, (1,400)
FIGURE_COLUMNS_IN_HEADER = ("before", "dec", "inc", "after")
FONTS = ("NanumGothic", "NanumMyeongjo", "NanumBarunGothic")


# ---------------------------------------------------------------- random geometry
@st.composite
def geometry(draw, report: SampleReport, columns: int) -> SampleReport:
    """The report in random page geometry: page size, orientation, margins, fonts and sizes,
    cell padding, row heights, and column widths from narrow to wide (`columns` of them),
    made to fit the page's text width."""
    page_size = draw(st.sampled_from(tuple(PAGE_SIZES_CM)))
    landscape = draw(st.integers(0, 2)) == 2
    margins = tuple(draw(st.sampled_from((1.0, 1.5, 2.0, 2.5, 3.0))) for _ in range(4))
    w, h = PAGE_SIZES_CM[page_size]
    text_width = (h if landscape else w) - margins[1] - margins[3]
    tenths = [draw(st.integers(10, 50)) for _ in range(5)] + [draw(st.integers(10, 32)) for _ in range(columns - 5)]
    scale = min(1.0, text_width * 10 / sum(tenths))
    cell_pt = draw(st.sampled_from((7.0, 8.0, 9.0, 10.0, 11.0)))
    return dataclasses.replace(
        report,
        page_size=page_size,
        landscape=landscape,
        margins_cm=margins,
        font=draw(st.sampled_from(FONTS)),
        body_pt=draw(st.sampled_from((9.0, 10.0, 11.0, 12.0))),
        cell_pt=cell_pt,
        cell_pad_pt=draw(st.sampled_from((None, 1.0, 2.0, 4.0, 6.0))),
        row_pt=draw(st.sampled_from((None, None, cell_pt * 2, cell_pt * 3))),
        col_widths=[round(t * scale / 10, 2) for t in tenths],
        repeat_header=draw(st.booleans()),
        rows_can_split=draw(st.booleans()),
    )


# ---------------------------------------------------------------- the classes
def _signed_figure(won: int, style: FigureStyle, minus: str) -> str:
    if won < 0 and minus == "()":
        return "(" + fmt_figure(-won, style) + ")"
    return fmt_figure(won, dataclasses.replace(style, minus=minus))


@st.composite
def _signed(draw, case: LayoutCase) -> None:
    """Every transfer whose lines each move money one way prints one signed change column."""
    for t, record, style in zip(case.report.transfers, case.expected["transfers"], case.styles):
        lines = record["budget"]["lines"]
        if any(ln["decrease"] and ln["increase"] for ln in lines):
            continue  # a line that gives and takes has no one signed change
        minus = draw(st.sampled_from(SIGNED_MINUS))
        word = draw(st.sampled_from(SIGNED_WORDS))
        before = draw(st.sampled_from(("예산현액", "예산액")))
        after = draw(st.sampled_from(("전용 후 예산현액", "전용후 예산액", "전용 후 예산액")))
        names = ["부서명", "정책사업", "단위사업", "세부사업", "통계목"]
        if draw(st.booleans()):
            header = [[HCell(w) for w in names] + [HCell(before), HCell(word), HCell(after)]]
        else:
            header = [[HCell("예산과목", 1, 5), HCell(before, 2), HCell(word, 2), HCell(after, 2)], [HCell(w) for w in names]]
        body = [row[:5] + [fmt_figure(ln["before"], style), _signed_figure(ln["increase"] - ln["decrease"], style, minus),
                           fmt_figure(ln["after"], style)] for row, ln in zip(t.table.body, lines)]
        total = record["budget"]["total"]
        printed_total = None
        if total is not None:
            net = total["increase"] - total["decrease"]
            printed_total = [t.table.total[0], fmt_figure(total["before"], style), _signed_figure(net, style, minus),
                             fmt_figure(total["after"], style)]
            record["budget"]["signed"] = {"net": net}
        t.table = SampleTable(header=header, body=body, total=printed_total, figure_columns=3)
        record["budget"]["signed_column"] = word


@st.composite
def _header_words(draw, case: LayoutCase) -> None:
    for t in case.report.transfers:
        form = draw(st.sampled_from(tuple(HEADER_FORMS)))
        words = {k: draw(st.sampled_from(v)) for k, v in HEADER_WORDS.items()}
        if form == "flat":
            words.pop("change")
        t.table.header = HEADER_FORMS[form](**words)
        t.table.header_row_pt = None


@st.composite
def _unit_place(draw, case: LayoutCase) -> Optional[str]:
    place = draw(st.sampled_from(("right", "below", "header_cells")))
    for t, style in zip(case.report.transfers, case.styles):
        if place == "header_cells":
            t.unit_form = None
            grid = t.table.header_grid()
            for row in grid:
                for c, cell in enumerate(row):
                    if cell is not None and c >= t.table.text_columns and cell.colspan == 1:
                        cell.text = draw(st.sampled_from(("{}({})", "{} ({})"))).format(cell.text, style.unit)
        else:
            t.unit_form = draw(st.sampled_from(("(단위: {})", "(단위 : {})", "단위: {}", "[단위 : {}]", "※ 단위 : {}" if place == "below" else "<단위: {}>")))
            t.unit_below = place == "below"
    if place == "right":
        case.report = dataclasses.replace(case.report, unit_align="right")
    return place


@st.composite
def _package(draw, case: LayoutCase, seed_cases) -> None:
    others = [draw(seed_cases) for _ in range(draw(st.integers(1, 3)))]
    committee = draw(st.sampled_from(COMMITTEES))
    first = case.report
    if draw(st.booleans()):
        cover = [f"{committee}위원회", first.title.replace("보고", "보고 자료"), draw(st.sampled_from(("소관 실·국 보고", "위원회 보고자료", "")))]
        first = dataclasses.replace(first, cover=[c for c in cover if c], contents=draw(st.booleans()))
    bound = [dataclasses.replace(o.report, word_item_numbering=False) for o in others]
    case.report = dataclasses.replace(first, word_item_numbering=False, bound=bound)
    case.expected["bound"] = [o.expected for o in others]


@st.composite
def class_cases(draw, klass: str = "plain") -> LayoutCase:
    """A clean random report of class `klass`, in random geometry."""
    case = draw(layout_cases(faults=False))
    case.klass = klass
    if klass == "signed":
        draw(_signed(case))
    elif klass == "header_words":
        draw(_header_words(case))
    elif klass == "unit_place":
        draw(_unit_place(case))
    elif klass == "package":
        draw(_package(case, layout_cases(faults=False)))
    columns = max(t.table.width for t in case.report.transfers)
    report = draw(geometry(case.report, columns))
    if klass == "unruled":
        report = dataclasses.replace(report, rules=draw(st.sampled_from(("horizontal", "booktabs"))), open_sided=False)
    if klass == "turned":
        report = dataclasses.replace(report, landscape=True, turned=draw(st.sampled_from(("all", "tables"))))
        report = draw(geometry_width(report, columns))
    fit_repeated_headers(report)
    case.report = report
    return case


@st.composite
def geometry_width(draw, report: SampleReport, columns: int) -> SampleReport:
    """Column widths refitted to a page turned landscape."""
    w, h = PAGE_SIZES_CM[report.page_size]
    top, right, bottom, left = margins_cm(report)
    text_width = max(w, h) - left - right
    widths = report.col_widths or [2.0] * columns
    scale = min(1.0, text_width / sum(widths)) if draw(st.booleans()) else text_width / sum(widths) * 0.95
    return dataclasses.replace(report, col_widths=[round(x * scale, 2) for x in widths])
