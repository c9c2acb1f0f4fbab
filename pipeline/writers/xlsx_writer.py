"""The contract's four tables as one Excel workbook, for auditors who work in a spreadsheet.

- one sheet per table (`reports`, `transfers`, `budget_lines`, `findings`), columns as in
  tables.COLUMNS; row 1 holds the stable English column names (as in the CSV), row 2 the
  Korean headers (domain.labels.KOREAN_HEADERS); data start at row 3, panes frozen above it;
- numbers are numbers (won, integers), shown with thousands separators;
- the cell each finding names is filled (red for an error, amber for a warning) and carries
  a comment with the expected figure and the message: the budget_lines cell for a line's
  figure (`transfer_seq`/`line`/`field`), its 통계목 cells for `stat_code_name`, the
  transfers row's `total_*` cell for a column total or the 감/증 balance, its `amount_won`
  or `transfer_date` cell for the 전용개요 amount or date;
- the findings sheet colours each finding by severity and links to the highlighted cell.

Text from the documents is written as text, never as a formula.
"""
from __future__ import annotations

from typing import Iterable, Optional

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink

from ..records import MONEY_FIELDS, report_id_of
from ..domain.labels import KOREAN_HEADERS
from ..tables import COLUMNS, TABLES, merge_rows
from .atomic import atomic_path

FILL = {
    "error": PatternFill("solid", start_color="FFF4B6B2", end_color="FFF4B6B2"),
    "warning": PatternFill("solid", start_color="FFFFE2A8", end_color="FFFFE2A8"),
}
ROW_FILL = {
    "error": PatternFill("solid", start_color="FFFDE0DD", end_color="FFFDE0DD"),
    "warning": PatternFill("solid", start_color="FFFFF1D6", end_color="FFFFF1D6"),
}
HEADER_FILL = PatternFill("solid", start_color="FFE7EBEF", end_color="FFE7EBEF")
MONEY_COLUMNS = {
    "before", "decrease", "increase", "after", "expected", "actual", "amount_won",
    "total_before", "total_decrease", "total_increase", "total_after",
}
WIDE = {"title": 40, "message": 70, "summary": 40, "transfer_lines": 40, "reasons": 40, "source_path": 36,
        "overview_json": 30, "timeline_json": 30, "department": 24, "policy_program": 24, "unit_program": 22,
        "detail_program": 24, "report_id": 18, "office": 20, "venue": 20}
HEADER_ROWS = 2
MAX_CELL_CHARS = 32_767


def _clean(v):
    """A value openpyxl can store and Excel will show as written."""
    if isinstance(v, str):
        v = ILLEGAL_CHARACTERS_RE.sub("", v)
        if len(v) > MAX_CELL_CHARS:
            v = v[: MAX_CELL_CHARS - 1] + "…"
    return v


def _put(ws, row: int, col: int, value):
    cell = ws.cell(row=row, column=col, value=_clean(value))
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # a document's text is never a formula
    return cell


def finding_cell(f: dict) -> Optional[tuple[str, tuple, list[str]]]:
    """(sheet, row key, [columns]) of the cell(s) a finding names, or None.
    Row keys: budget_lines (report_id, transfer_seq, line); transfers (report_id, transfer_seq)."""
    seq, line, fld = f.get("transfer_seq"), f.get("line"), f.get("field")
    if seq is None:
        return None
    if line is not None:
        if fld in MONEY_FIELDS:
            return ("budget_lines", (line,), [fld])
        if fld is None:
            return ("budget_lines", (line,), ["stat_code", "stat_name"])
        return None
    if fld in MONEY_FIELDS:
        return ("transfers", (), [f"total_{fld}"])
    if fld == "amount_won":
        return ("transfers", (), ["amount_won"])
    if fld == "date":
        return ("transfers", (), ["transfer_date"])
    return None


def build_workbook(docs: Iterable[dict], korean_headers: bool = True) -> Workbook:
    docs = list(docs)
    tables = merge_rows(docs)
    wb = Workbook()
    wb.remove(wb.active)
    sheets, row_of = {}, {}
    first_data = HEADER_ROWS + 1 if korean_headers else 2
    for name in TABLES:
        ws = wb.create_sheet(name)
        sheets[name] = ws
        cols = COLUMNS[name]
        for c, key in enumerate(cols, start=1):
            h = ws.cell(row=1, column=c, value=key)
            h.font = Font(bold=True)
            h.fill = HEADER_FILL
            if korean_headers:
                k = ws.cell(row=2, column=c, value=KOREAN_HEADERS.get(key, key))
                k.font = Font(bold=True)
                k.fill = HEADER_FILL
            ws.column_dimensions[get_column_letter(c)].width = WIDE.get(key, 14 if key in MONEY_COLUMNS else 11)
        index = {}
        for r, row in enumerate(tables[name], start=first_data):
            for c, key in enumerate(cols, start=1):
                cell = _put(ws, r, c, row.get(key))
                if key in MONEY_COLUMNS:
                    cell.number_format = "#,##0"
                elif key in ("message", "summary", "reasons", "transfer_lines"):
                    cell.alignment = Alignment(wrap_text=False, vertical="top")
            if name == "budget_lines":
                index[(row["report_id"], row["transfer_seq"], row["line"])] = r
            elif name == "transfers":
                index[(row["report_id"], row["transfer_seq"])] = r
        row_of[name] = index
        ws.freeze_panes = ws.cell(row=first_data, column=1)
        last = max(first_data - 1 + len(tables[name]), first_data - 1)
        ws.auto_filter.ref = f"A{first_data - 1}:{get_column_letter(len(cols))}{max(last, first_data - 1)}"

    findings_ws = sheets["findings"]
    fcols = COLUMNS["findings"]
    link_col = len(fcols) + 1
    h = findings_ws.cell(row=1, column=link_col, value="cell")
    h.font, h.fill = Font(bold=True), HEADER_FILL
    if korean_headers:
        k = findings_ws.cell(row=2, column=link_col, value="해당 셀")
        k.font, k.fill = Font(bold=True), HEADER_FILL
    findings_ws.column_dimensions[get_column_letter(link_col)].width = 22
    frow = first_data
    for doc in docs:
        rid = report_id_of(doc)
        for f in doc.get("findings", []):
            sev = f.get("severity", "warning")
            for c in range(1, len(fcols) + 1):
                findings_ws.cell(row=frow, column=c).fill = ROW_FILL.get(sev, ROW_FILL["warning"])
            target = finding_cell(f)
            if target is not None:
                sheet, extra, cols = target
                r = row_of[sheet].get((rid, f["transfer_seq"]) + extra)
                if r is not None:
                    ws = sheets[sheet]
                    first_ref = None
                    for key in cols:
                        c = COLUMNS[sheet].index(key) + 1
                        cell = ws.cell(row=r, column=c)
                        cell.fill = FILL.get(sev, FILL["warning"])
                        note = f"[{f['check']}] {f['message']}"
                        if f.get("expected") is not None:
                            note = f"기대값 {f['expected']:,} / 인쇄값 {f.get('actual') if f.get('actual') is None else format(f['actual'], ',')}\n" + note
                        if cell.comment is not None:
                            note = cell.comment.text + "\n\n" + note
                        cell.comment = Comment(_clean(note), "jeonyong", width=320, height=140)
                        first_ref = first_ref or f"{sheet}!{cell.coordinate}"
                    link = findings_ws.cell(row=frow, column=link_col, value=first_ref)
                    link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{first_ref.split('!')[0]}'!{first_ref.split('!')[1]}")
                    link.font = Font(color="FF0563C1", underline="single")
            frow += 1
    return wb


def write_xlsx(target, docs: Iterable[dict], korean_headers: bool = True) -> None:
    """Write the workbook atomically: readers see the old file or the new one."""
    wb = build_workbook(docs, korean_headers=korean_headers)
    with atomic_path(target) as tmp:
        wb.save(tmp)


def workbook_path(out) -> "Path":
    """Where `extract --format xlsx` writes: `--out FILE.xlsx` as named, `--out DIR` as
    DIR/jeonyong.xlsx, no --out as ./jeonyong.xlsx."""
    from pathlib import Path

    if out is None:
        return Path("jeonyong.xlsx")
    out = Path(out)
    return out if out.suffix.lower() == ".xlsx" else out / "jeonyong.xlsx"
