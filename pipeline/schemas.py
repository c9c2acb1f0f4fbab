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
from .tables import COLUMNS

ISO_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
SHA256 = r"^[0-9a-f]{64}$"
FORMATS = ["text", "pdf", "docx", "hwpx", "hwp"]
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


class ReportSchema(pa.DataFrameModel):
    """One row per report (reports.csv)."""

    report_id: Series[str] = pa.Field(str_matches=SHA256)
    source_path: Series[str]
    source_format: Series[str] = pa.Field(isin=FORMATS)
    schema_version: Series[str] = pa.Field(eq="1")
    title: Series[str] = pa.Field(str_length={"min_value": 1})
    fiscal_year: Series[pd.Int64Dtype] = pa.Field(ge=1948, le=2100, nullable=True)
    quarter: Series[pd.Int64Dtype] = pa.Field(isin=[1, 2, 3, 4], nullable=True)
    office: Series[str] = pa.Field(nullable=True)
    meeting_date: Series[str] = pa.Field(str_matches=ISO_DATE, nullable=True)
    venue: Series[str] = pa.Field(nullable=True)
    transfer_count: Series[pd.Int64Dtype] = pa.Field(ge=1)

    class Config:
        strict = False
        coerce = True
        unique = ["report_id"]


class TransferSchema(pa.DataFrameModel):
    """One row per numbered transfer (transfers.csv)."""

    report_id: Series[str] = pa.Field(str_matches=SHA256)
    transfer_seq: Series[pd.Int64Dtype] = pa.Field(ge=1)
    label: Series[str] = pa.Field(str_length={"min_value": 1})
    title: Series[str]
    amount_won: Series[pd.Int64Dtype] = pa.Field(ge=0, nullable=True)
    transfer_date: Series[str] = pa.Field(str_matches=ISO_DATE, nullable=True)
    budget_unit: Series[str] = pa.Field(isin=["원", "천원", "만원", "백만원", "억원"], nullable=True)

    class Config:
        strict = False
        coerce = True
        unique = ["report_id", "transfer_seq"]


class BudgetLineSchema(pa.DataFrameModel):
    """One row per line of a 예산 현황 table (budget_lines.csv); amounts in won."""

    report_id: Series[str] = pa.Field(str_matches=SHA256)
    transfer_seq: Series[pd.Int64Dtype] = pa.Field(ge=1)
    line: Series[pd.Int64Dtype] = pa.Field(ge=1)
    department: Series[str]
    policy_program: Series[str]
    unit_program: Series[str]
    detail_program: Series[str]
    stat_code: Series[str] = pa.Field(str_matches=r"^(\d{2,3}(-\d{2,3}){1,3})?$")
    stat_name: Series[str]
    before: Series[pd.Int64Dtype]
    decrease: Series[pd.Int64Dtype]
    increase: Series[pd.Int64Dtype]
    after: Series[pd.Int64Dtype]

    class Config:
        strict = False
        coerce = True
        unique = ["report_id", "transfer_seq", "line"]
        stat_printed = ()
        located = ()


class FindingSchema(pa.DataFrameModel):
    """One row per finding (findings.csv)."""

    report_id: Series[str] = pa.Field(str_matches=SHA256)
    finding_no: Series[pd.Int64Dtype] = pa.Field(ge=1)
    check: Series[str] = pa.Field(isin=sorted(CHECKS))
    severity: Series[str] = pa.Field(isin=["error", "warning"])
    transfer_seq: Series[pd.Int64Dtype] = pa.Field(ge=1, nullable=True)
    line: Series[pd.Int64Dtype] = pa.Field(ge=1, nullable=True)
    field: Series[str] = pa.Field(isin=list(MONEY) + ["amount_won", "date"], nullable=True)
    expected: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    actual: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    message: Series[str] = pa.Field(str_length={"min_value": 1})

    class Config:
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
