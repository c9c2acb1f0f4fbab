"""pandera schemas for the contract's tables, declared once and used everywhere: on every
extraction (in batches, so that validation stays cheap), and exported to `schemas/`.

A violation becomes a message attached to the report it came from (`schema_errors`), never
an exception that stops a batch.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Optional

import pandas as pd
import pandera.pandas as pa
from pandera import extensions
from pandera.typing import Series

from .audit import CHECKS
from .tables import COLUMNS, KOREAN_HEADERS

ISO_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
SHA256 = r"^[0-9a-f]{64}$"
FORMATS = ["text", "pdf", "docx", "hwpx", "hwp", "image"]
MONEY = ("before", "decrease", "increase", "after")


# Row-level rules registered with pandera's extension API, so that they serialise with the
# schema into schemas/pandera/ like the built-in checks do.
@extensions.register_check_method()
def stat_printed(df: pd.DataFrame) -> "pd.Series":
    """A budget line prints a 통계목 code or name."""
    return (df["stat_code"].str.len() > 0) | (df["stat_name"].str.len() > 0)


@extensions.register_check_method()
def located(df: pd.DataFrame) -> "pd.Series":
    """A budget line says where its figures sit in the source."""
    return df[["loc_page", "loc_line", "loc_cell"]].notna().any(axis=1)


WON = {"unit": "won"}  # column metadata: an amount in won (원), whatever unit the table printed
JSON_OBJECT = {"json": "object"}  # column metadata: JSON text of an object
JSON_ARRAY = {"json": "array"}  # column metadata: JSON text of an array
CELL = r"^\d+,\d+,\d+$"


def _col(name: str, description: str, **kw):
    """A column: its Korean title (tables.KOREAN_HEADERS, also the xlsx header) and its
    English description travel with the schema into schemas/, the data package and the
    Datasette metadata."""
    return pa.Field(title=KOREAN_HEADERS[name], description=description, **kw)


def _money(name: str, description: str, **kw):
    return _col(name, description + " (won, 원)", metadata=WON, **kw)


def _loc_cols(what: str) -> dict:
    return {
        "loc_page": _col("loc_page", f"1-based page where {what} is printed (PDF); empty for other formats", ge=1, nullable=True),
        "loc_line": _col("loc_line", f"1-based line where {what} is printed (text; the paragraph number for DOCX, HWPX and HWP)", ge=1, nullable=True),
        "loc_bbox": _col("loc_bbox", f"bounding box of {what} as x0,top,x1,bottom in PDF points from the page's top-left", nullable=True),
        "loc_cell": _col("loc_cell", f"table cell of {what} as table,row,column (1-based)", str_matches=CELL, nullable=True),
    }


_HEADING_LOC = _loc_cols("the item's heading")
_LINE_LOC = _loc_cols("the line's figures")
_FINDING_LOC = _loc_cols("the faulty figure")
_REPORT_ID = "the report: sha256 of the source file's bytes"


class ReportSchema(pa.DataFrameModel):
    """One row per report (reports.csv)."""

    report_id: Series[str] = _col("report_id", _REPORT_ID, str_matches=SHA256)
    source_path: Series[str] = _col("source_path", "path of the source file the report was read from")
    source_format: Series[str] = _col("source_format", "format recognised from the file's bytes", isin=FORMATS)
    schema_version: Series[str] = _col("schema_version", "version of the output contract", eq="1")
    title: Series[str] = _col("title", "the report's title as printed", str_length={"min_value": 1})
    fiscal_year: Series[pd.Int64Dtype] = _col("fiscal_year", "fiscal year", ge=1948, le=2100, nullable=True)
    quarter: Series[pd.Int64Dtype] = _col("quarter", "quarter of the fiscal year (1-4)", isin=[1, 2, 3, 4], nullable=True)
    office: Series[str] = _col("office", "the reporting office (실·국·본부)", nullable=True)
    meeting_date: Series[str] = _col("meeting_date", "date of the committee meeting, ISO 8601 as precise as printed", str_matches=ISO_DATE, nullable=True)
    venue: Series[str] = _col("venue", "where the report was given", nullable=True)
    transfer_count: Series[pd.Int64Dtype] = _col("transfer_count", "number of numbered transfers (I, II, Ⅲ …)", ge=1)
    finding_count: Series[pd.Int64Dtype] = _col("finding_count", "number of audit findings (errors and warnings)", ge=0)
    error_count: Series[pd.Int64Dtype] = _col("error_count", "number of findings of severity error", ge=0)
    unparsed_count: Series[pd.Int64Dtype] = _col("unparsed_count", "printed lines the parser could not place (listed in the report's JSON)", ge=0)

    class Config:
        title = "보고서"
        description = "One row per report (reports.csv)."
        strict = False
        coerce = True
        unique = ["report_id"]


class TransferSchema(pa.DataFrameModel):
    """One row per numbered transfer (transfers.csv)."""

    report_id: Series[str] = _col("report_id", _REPORT_ID, str_matches=SHA256)
    transfer_seq: Series[pd.Int64Dtype] = _col("transfer_seq", "the transfer's position in the report: 1, 2, 3 … in document order", ge=1)
    label: Series[str] = _col("label", "the item's numeral as printed (I, Ⅲ, 1); empty for a lone transfer printed without one")
    title: Series[str] = _col("title", "the item's heading line as printed")
    summary: Series[str] = _col("summary", "the lead paragraph(s) between the heading and the first □ section", nullable=True)
    amount_won: Series[pd.Int64Dtype] = _money("amount_won", "전용개요: the amount the summary states", ge=0, nullable=True)
    transfer_date: Series[str] = _col("transfer_date", "date of the transfer, ISO 8601 as precise as printed", str_matches=ISO_DATE, nullable=True)
    budget_unit: Series[str] = _col("budget_unit", "the unit the 예산 현황 table prints (amounts here are converted to won)", isin=["원", "천원", "만원", "백만원", "억원"], nullable=True)
    total_before: Series[pd.Int64Dtype] = _money("total_before", "the 총계 row's 예산현액 as printed (never recomputed)", nullable=True)
    total_decrease: Series[pd.Int64Dtype] = _money("total_decrease", "the 총계 row's 감 as printed", nullable=True)
    total_increase: Series[pd.Int64Dtype] = _money("total_increase", "the 총계 row's 증 as printed", nullable=True)
    total_after: Series[pd.Int64Dtype] = _money("total_after", "the 총계 row's 전용 후 예산현액 as printed", nullable=True)
    line_count: Series[pd.Int64Dtype] = _col("line_count", "number of lines in the 예산 현황 table", ge=0)
    transfer_lines: Series[str] = _col("transfer_lines", "전용개요: its lines, one per line, bullet marks removed")
    reasons: Series[str] = _col("reasons", "전용사유: its lines, one per line, bullet marks removed")
    overview_json: Series[str] = _col("overview_json", "사업개요 as JSON: each ○ heading → list of its lines", metadata=JSON_OBJECT)
    timeline_json: Series[str] = _col("timeline_json", "추진경과 as JSON: a list of {date, end_date, text}", metadata=JSON_ARRAY)
    loc_page: Series[pd.Int64Dtype] = _HEADING_LOC["loc_page"]
    loc_line: Series[pd.Int64Dtype] = _HEADING_LOC["loc_line"]

    class Config:
        title = "전용 건"
        description = "One row per numbered transfer (transfers.csv)."
        strict = False
        coerce = True
        unique = ["report_id", "transfer_seq"]


class BudgetLineSchema(pa.DataFrameModel):
    """One row per line of a 예산 현황 table (budget_lines.csv); amounts in won."""

    report_id: Series[str] = _col("report_id", _REPORT_ID, str_matches=SHA256)
    transfer_seq: Series[pd.Int64Dtype] = _col("transfer_seq", "the transfer the line belongs to", ge=1)
    line: Series[pd.Int64Dtype] = _col("line", "1-based line of the 예산 현황 table", ge=1)
    department: Series[str] = _col("department", "department, merged cells filled down from the line above")
    policy_program: Series[str] = _col("policy_program", "policy programme")
    unit_program: Series[str] = _col("unit_program", "unit programme")
    detail_program: Series[str] = _col("detail_program", "detailed programme")
    stat_code: Series[str] = _col("stat_code", "통계목 code as printed, e.g. 100-201-03", str_matches=r"^(\d{2,3}(-\d{2,3}){1,3})?$")
    stat_name: Series[str] = _col("stat_name", "통계목 name as printed, e.g. 행사운영비")
    before: Series[pd.Int64Dtype] = _money("before", "예산현액: budget before the transfer")
    decrease: Series[pd.Int64Dtype] = _money("decrease", "감: decrease (- or blank is 0)")
    increase: Series[pd.Int64Dtype] = _money("increase", "증: increase")
    after: Series[pd.Int64Dtype] = _money("after", "전용 후 예산현액: budget after the transfer, as printed")
    loc_page: Series[pd.Int64Dtype] = _LINE_LOC["loc_page"]
    loc_line: Series[pd.Int64Dtype] = _LINE_LOC["loc_line"]
    loc_bbox: Series[str] = _LINE_LOC["loc_bbox"]
    loc_cell: Series[str] = _LINE_LOC["loc_cell"]

    class Config:
        title = "예산 현황 행"
        description = "One row per line of a 예산 현황 table (budget_lines.csv); amounts in won."
        strict = False
        coerce = True
        unique = ["report_id", "transfer_seq", "line"]
        stat_printed = ()
        located = ()


class FindingSchema(pa.DataFrameModel):
    """One row per finding (findings.csv)."""

    report_id: Series[str] = _col("report_id", _REPORT_ID, str_matches=SHA256)
    finding_no: Series[pd.Int64Dtype] = _col("finding_no", "1-based number of the finding within its report", ge=1)
    check: Series[str] = _col("check", "the audit check that fired (see schemas/checks.json)", isin=sorted(CHECKS))
    severity: Series[str] = _col("severity", "error or warning", isin=["error", "warning"])
    transfer_seq: Series[pd.Int64Dtype] = _col("transfer_seq", "the transfer at fault; empty for a report-level finding", ge=1, nullable=True)
    line: Series[pd.Int64Dtype] = _col("line", "the budget line at fault (1-based), when one line is", ge=1, nullable=True)
    field: Series[str] = _col("field", "the column at fault", isin=list(MONEY) + ["amount_won", "date"], nullable=True)
    expected: Series[pd.Int64Dtype] = _money("expected", "the figure the arithmetic gives", nullable=True)
    actual: Series[pd.Int64Dtype] = _money("actual", "the figure as printed", nullable=True)
    message: Series[str] = _col("message", "one sentence a person can act on", str_length={"min_value": 1})
    loc_page: Series[pd.Int64Dtype] = _FINDING_LOC["loc_page"]
    loc_line: Series[pd.Int64Dtype] = _FINDING_LOC["loc_line"]
    loc_bbox: Series[str] = _FINDING_LOC["loc_bbox"]
    loc_cell: Series[str] = _FINDING_LOC["loc_cell"]
    source_path: Series[str] = _col("source_path", "path of the source file the finding is in")

    class Config:
        title = "검증 결과"
        description = "One row per finding of the arithmetic audit (findings.csv)."
        strict = False
        coerce = True
        unique = ["report_id", "finding_no"]


SCHEMAS = {
    "reports": ReportSchema,
    "transfers": TransferSchema,
    "budget_lines": BudgetLineSchema,
    "findings": FindingSchema,
}


def frame(table: str, rows: list[dict]) -> pd.DataFrame:
    """Rows → a DataFrame with the table's columns (object dtype; the schema coerces)."""
    return pd.DataFrame.from_records(rows, columns=COLUMNS[table])


def validate_rows(tables: dict[str, list[dict]]) -> dict[str, list[str]]:
    """Validate the four tables of one or many reports at once. Returns, per report_id, the
    messages of the rows that violate a schema (empty when all is well)."""
    problems: dict[str, list[str]] = defaultdict(list)
    for name, model in SCHEMAS.items():
        rows = tables.get(name) or []
        if not rows:
            continue
        df = frame(name, rows)
        try:
            model.validate(df, lazy=True)
        except pa.errors.SchemaErrors as exc:
            for _, case in exc.failure_cases.iterrows():
                idx = case.get("index")
                rid = _report_of(df, idx)
                col = case.get("column") or ""
                check = case.get("check")
                value = case.get("failure_case")
                where = _describe_row(name, df, idx)
                problems[rid].append(f"{name}{where}: {col + ' ' if col and col != name else ''}fails {check} (value {value!r})")
    # Sorted, so that a report's messages do not depend on which reports shared its batch.
    return {rid: sorted(msgs) for rid, msgs in problems.items()}


def _report_of(df: pd.DataFrame, idx) -> str:
    try:
        if idx is not None and not pd.isna(idx):
            return str(df.loc[int(idx), "report_id"])
    except (KeyError, ValueError, TypeError):
        pass
    ids = df["report_id"].unique()
    return str(ids[0]) if len(ids) == 1 else "*"


def _describe_row(name: str, df: pd.DataFrame, idx) -> str:
    try:
        row = df.loc[int(idx)]
    except (KeyError, ValueError, TypeError):
        return ""
    parts = []
    for key in ("transfer_seq", "line", "finding_no"):
        if key in row and not pd.isna(row[key]):
            parts.append(f"{key}={row[key]}")
    return f"[{', '.join(parts)}]" if parts else ""


def pandera_schema(table: str) -> Optional[pa.DataFrameSchema]:
    return SCHEMAS[table].to_schema()
