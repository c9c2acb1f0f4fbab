"""The contract's four tables, described once (plain data, no pandas) and used everywhere:

* pandera schemas built from the description on demand (`pandera_models()`; pandas and
  pandera are imported only then), exported to `schemas/pandera/` by pipeline/contract.py;
* the Frictionless data package (pipeline/datapackage.py) and the Datasette metadata
  (pipeline/serve.py), which read the description itself;
* `validate_rows`, run on every extraction in batches. It asks first, in plain Python, whether
  every row certainly passes the same checks read from the same description
  (`certainly_valid`): values of exactly the column's type (int, str, or None where nullable),
  each check and row rule as pandera applies it, unique keys. A table it cannot vouch for is
  validated by pandera, whose messages are the ones reported; so a clean output never
  imports pandas (about 0.7 s of start-up), and a table with a violation is judged by
  pandera as before. tests/test_schemas.py checks on random rows that whatever the plain
  check passes pandera passes too.

A violation becomes a message attached to the report it came from (`schema_errors`), never
an exception that stops a batch.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, Optional

from .audit import CHECKS
from .domain.codes import RECORDED_CODE
from .domain.figures import UNIT_WON
from .domain.labels import KOREAN_HEADERS
from .records import STATUSES
from .tables import COLUMNS, TABLES

ISO_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
SHA256 = r"^[0-9a-f]{64}$"
REPORT_ID = r"^[0-9a-f]{64}(#[1-9][0-9]*)?$"  # `<sha256>#2`: a report's place in a file holding several
FORMATS = ["text", "pdf", "docx", "hwpx", "hwp", "image"]
MONEY = ("before", "decrease", "increase", "after")
INT = "Int64"  # pandas' nullable integer: whole numbers, None where the column allows it
STR = "str"

WON = {"unit": "won"}  # column metadata: an amount in won (원), whatever unit the table printed
JSON_OBJECT = {"json": "object"}  # column metadata: JSON text of an object
JSON_ARRAY = {"json": "array"}  # column metadata: JSON text of an array
CELL = r"^\d+,\d+,\d+$"


@dataclass(frozen=True)
class Column:
    """One column: its type, English description and value checks (pandera's Field keywords:
    eq, ge, le, isin, str_matches, str_length). Its Korean title (domain.labels.KOREAN_HEADERS, also
    the xlsx header) and description travel into schemas/, the data package and Datasette."""

    name: str
    dtype: str  # INT or STR
    description: str
    checks: dict = field(default_factory=dict)
    nullable: bool = False
    metadata: Optional[dict] = None

    @property
    def title(self) -> str:
        return KOREAN_HEADERS[self.name]


@dataclass(frozen=True)
class TableSpec:
    name: str
    model_name: str  # the pandera model's name, as schemas/pandera/ prints it
    title: str
    description: str
    columns: tuple
    unique: tuple
    row_rules: tuple = ()  # names in ROW_RULES


def _col(name: str, dtype: str, description: str, nullable: bool = False, metadata: Optional[dict] = None, **checks) -> Column:
    return Column(name, dtype, description, checks, nullable, metadata)


def _money(name: str, description: str, **kw) -> Column:
    return _col(name, INT, description + " (won, 원)", metadata=WON, **kw)


_LOC_COLS = {
    "loc_page": (INT, "1-based page where {} is printed (PDF); empty for other formats", {"ge": 1}),
    "loc_line": (INT, "1-based line where {} is printed (text; the paragraph number for DOCX, HWPX and HWP)", {"ge": 1}),
    "loc_bbox": (STR, "bounding box of {} as x0,top,x1,bottom in PDF points from the page's top-left", {}),
    "loc_cell": (STR, "table cell of {} as table,row,column (1-based)", {"str_matches": CELL}),
}


def _loc_cols(what: str, *names: str) -> tuple:
    return tuple(_col(n, _LOC_COLS[n][0], _LOC_COLS[n][1].format(what), nullable=True, **_LOC_COLS[n][2]) for n in names)


_HEADING = "the item's heading"
_LINE = "the line's figures"
_FINDING = "the faulty figure"
_REPORT_ID = "the report: sha256 of the source file's bytes, with #<place> for each report of a file holding several"


def _present(value) -> bool:
    return value is not None and value != ""


# Row rules: one predicate over a row (a dict, None for a missing value) each, run as is by
# the plain check and through pandera's extension API by the pandera schema (so that they
# serialise into schemas/pandera/ like the built-in checks).
ROW_RULES: dict[str, Callable[[dict], bool]] = {
    # A budget line prints a 통계목 code or name.
    "stat_printed": lambda row: _present(row.get("stat_code")) or _present(row.get("stat_name")),
    # A budget line says where its figures sit in the source.
    "located": lambda row: any(row.get(k) is not None for k in ("loc_page", "loc_line", "loc_cell")),
}

SPECS: dict[str, TableSpec] = {
    "reports": TableSpec("reports", "ReportSchema", "보고서", "One row per report (reports.csv).", (
        _col("report_id", STR, _REPORT_ID, str_matches=REPORT_ID),
        _col("source_path", STR, "path of the source file the report was read from"),
        _col("source_format", STR, "format recognised from the file's bytes", isin=FORMATS),
        _col("schema_version", STR, "version of the output contract", eq="1"),
        _col("title", STR, "the report's title as printed", str_length={"min_value": 1}),
        _col("fiscal_year", INT, "fiscal year", ge=1948, le=2100, nullable=True),
        _col("quarter", INT, "quarter of the fiscal year (1-4)", isin=[1, 2, 3, 4], nullable=True),
        _col("office", STR, "the reporting office (실·국·본부)", nullable=True),
        _col("meeting_date", STR, "date of the committee meeting, ISO 8601 as precise as printed", str_matches=ISO_DATE, nullable=True),
        _col("venue", STR, "where the report was given", nullable=True),
        _col("transfer_count", INT, "number of numbered transfers (I, II, Ⅲ …)", ge=1),
        _col("finding_count", INT, "number of audit findings (errors and warnings)", ge=0),
        _col("error_count", INT, "number of findings of severity error", ge=0),
        _col("unparsed_count", INT, "printed lines the parser could not place (listed in the report's JSON)", ge=0),
        _col("status", STR, "error (a finding of severity error), unchecked (a table or figure could not be read, so not all was checked; never clean), warning (warnings only) or clean", isin=list(STATUSES)),
        _col("unchecked", STR, "why the report was not fully checked, one cause per line; empty when everything printed was read and checked"),
    ), ("report_id",)),
    "transfers": TableSpec("transfers", "TransferSchema", "전용 건", "One row per numbered transfer (transfers.csv).", (
        _col("report_id", STR, _REPORT_ID, str_matches=REPORT_ID),
        _col("transfer_seq", INT, "the transfer's position in the report: 1, 2, 3 … in document order", ge=1),
        _col("label", STR, "the item's numeral as printed (I, Ⅲ, 1); empty for a lone transfer printed without one"),
        _col("title", STR, "the item's heading line as printed"),
        _col("summary", STR, "the lead paragraph(s) between the heading and the first □ section", nullable=True),
        _money("amount_won", "전용개요: the amount the summary states", ge=0, nullable=True),
        _col("transfer_date", STR, "date of the transfer, ISO 8601 as precise as printed", str_matches=ISO_DATE, nullable=True),
        _col("budget_unit", STR, "the unit the 예산 현황 table prints (amounts here are converted to won)", isin=list(UNIT_WON), nullable=True),
        _money("total_before", "the 총계 row's 예산현액 as printed (never recomputed)", nullable=True),
        _money("total_decrease", "the 총계 row's 감 as printed", nullable=True),
        _money("total_increase", "the 총계 row's 증 as printed", nullable=True),
        _money("total_after", "the 총계 row's 전용 후 예산현액 as printed", nullable=True),
        _col("line_count", INT, "number of lines in the 예산 현황 table", ge=0),
        _col("transfer_lines", STR, "전용개요: its lines, one per line, bullet marks removed"),
        _col("reasons", STR, "전용사유: its lines, one per line, bullet marks removed"),
        _col("overview_json", STR, "사업개요 as JSON: each ○ heading → list of its lines", metadata=JSON_OBJECT),
        _col("timeline_json", STR, "추진경과 as JSON: a list of {date, end_date, text}", metadata=JSON_ARRAY),
        *_loc_cols(_HEADING, 'loc_page', 'loc_line'),
    ), ("report_id", "transfer_seq")),
    "budget_lines": TableSpec("budget_lines", "BudgetLineSchema", "예산 현황 행", "One row per line of a 예산 현황 table (budget_lines.csv); amounts in won.", (
        _col("report_id", STR, _REPORT_ID, str_matches=REPORT_ID),
        _col("transfer_seq", INT, "the transfer the line belongs to", ge=1),
        _col("line", INT, "1-based line of the 예산 현황 table", ge=1),
        _col("department", STR, "department, merged cells filled down from the line above"),
        _col("policy_program", STR, "policy programme"),
        _col("unit_program", STR, "unit programme"),
        _col("detail_program", STR, "detailed programme"),
        _col("stat_code", STR, "통계목 code as printed, e.g. 100-201-03", str_matches=RECORDED_CODE),
        _col("stat_name", STR, "통계목 name as printed, e.g. 행사운영비"),
        _money("before", "예산현액: budget before the transfer"),
        _money("decrease", "감: decrease (- or blank is 0)"),
        _money("increase", "증: increase"),
        _money("after", "전용 후 예산현액: budget after the transfer, as printed"),
        *_loc_cols(_LINE, 'loc_page', 'loc_line', 'loc_bbox', 'loc_cell'),
    ), ("report_id", "transfer_seq", "line"), ("stat_printed", "located")),
    "findings": TableSpec("findings", "FindingSchema", "검증 결과", "One row per finding of the arithmetic audit (findings.csv).", (
        _col("report_id", STR, _REPORT_ID, str_matches=REPORT_ID),
        _col("finding_no", INT, "1-based number of the finding within its report", ge=1),
        _col("check", STR, "the audit check that fired (see schemas/checks.json)", isin=sorted(CHECKS)),
        _col("severity", STR, "error or warning", isin=["error", "warning"]),
        _col("transfer_seq", INT, "the transfer at fault; empty for a report-level finding", ge=1, nullable=True),
        _col("line", INT, "the budget line at fault (1-based), when one line is", ge=1, nullable=True),
        _col("field", STR, "the column at fault", isin=list(MONEY) + ["change", "amount_won", "date"], nullable=True),
        _money("expected", "the figure the arithmetic gives", nullable=True),
        _money("actual", "the figure as printed", nullable=True),
        _col("message", STR, "one sentence a person can act on", str_length={"min_value": 1}),
        *_loc_cols(_FINDING, 'loc_page', 'loc_line', 'loc_bbox', 'loc_cell'),
        _col("source_path", STR, "path of the source file the finding is in"),
        _col("cause_no", INT, "findings of one report with the same number are explained by one misprinted figure", ge=1, nullable=True),
        _col("cause", STR, "the figure that explains them: as printed, and the value every explained check needs", nullable=True),
    ), ("report_id", "finding_no")),
}


# --- the plain check: does every row certainly pass? ------------------------------------
# Each value check as pandera's pandas backend applies it to a non-missing value (its
# builtin_checks: str_matches is `re.match`, anchored at the start only, as `Series.str.match`).
_VALUE_CHECKS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda v, arg: v == arg,
    "ge": lambda v, arg: v >= arg,
    "le": lambda v, arg: v <= arg,
    "isin": lambda v, arg: v in arg,
    "str_matches": lambda v, arg: re.match(arg, v) is not None,
    "str_length": lambda v, arg: (arg.get("min_value") is None or len(v) >= arg["min_value"])
    and (arg.get("max_value") is None or len(v) <= arg["max_value"]),
}
# pandera coerces a column of Python ints through float64 on its way to Int64, so only whole
# numbers within ±2**53 (9,007조 원) are certain to arrive unchanged; larger ones are left to it.
_EXACT_INT = 2**53


def _certain_value(column: Column, value) -> bool:
    """True when pandera would take `value` in `column` as is and pass it: a value of any
    other type (a float, a bool, a number in a text column) is left to pandera's coercion."""
    if value is None:
        return column.nullable
    if column.dtype == INT:
        if type(value) is not int or not -_EXACT_INT <= value <= _EXACT_INT:
            return False
    elif type(value) is not str:
        return False
    return all(_VALUE_CHECKS[name](value, arg) for name, arg in column.checks.items())


def certainly_valid(table: str, rows: list[dict]) -> bool:
    """Whether every row of `table` certainly passes its schema, decided without pandas. False
    means only that pandera must look (it may still pass them)."""
    spec = SPECS[table]
    rules = [ROW_RULES[r] for r in spec.row_rules]
    keys = set()
    for row in rows:
        if not all(_certain_value(c, row.get(c.name)) for c in spec.columns):
            return False
        if not all(rule(row) for rule in rules):
            return False
        keys.add(tuple(row.get(k) for k in spec.unique))
    return len(keys) == len(rows)


def validate_rows(tables: dict[str, list[dict]]) -> dict[str, list[str]]:
    """Validate the four tables of one or many reports at once. Returns, per report_id, the
    messages of the rows that violate a schema (empty when all is well). Tables the plain
    check vouches for are not handed to pandera."""
    doubtful = {name: rows for name in TABLES if (rows := tables.get(name) or []) and not certainly_valid(name, rows)}
    return _pandera_problems(doubtful) if doubtful else {}


# --- pandera, built from the description on demand -------------------------------------
@lru_cache(maxsize=1)
def pandera_models() -> dict:
    """table → its pandera DataFrameModel, built from SPECS (imports pandas and pandera)."""
    import pandas as pd
    import pandera.pandas as pa
    from pandera import extensions
    from pandera.typing import Series

    for rule in {r for spec in SPECS.values() for r in spec.row_rules}:
        extensions.register_check_method(check_type="vectorized")(_vectorized(rule))
    models = {}
    for name, spec in SPECS.items():
        annotations, fields = {}, {}
        for c in spec.columns:
            annotations[c.name] = Series[pd.Int64Dtype] if c.dtype == INT else Series[str]
            extra = {"nullable": True} if c.nullable else {}
            fields[c.name] = pa.Field(title=c.title, description=c.description, metadata=c.metadata, **extra, **c.checks)
        config = type("Config", (), {
            "title": spec.title, "description": spec.description, "strict": False, "coerce": True,
            "unique": list(spec.unique), **{r: () for r in spec.row_rules},
        })
        models[name] = type(spec.model_name, (pa.DataFrameModel,), {
            "__module__": __name__, "__doc__": spec.description, "__annotations__": annotations,
            **fields, "Config": config,
        })
    return models


def _vectorized(rule: str):
    """The row rule as a pandera dataframe check: the same predicate on every row, pandas'
    missing values read as None."""

    def check(df):
        import pandas as pd

        records = df.astype(object).where(df.notna(), None).to_dict("records")
        return pd.Series([bool(ROW_RULES[rule](r)) for r in records], index=df.index, dtype=bool)

    check.__name__ = check.__qualname__ = rule
    return check


def __getattr__(name: str):
    if name == "SCHEMAS":  # table → pandera model, for the exporters and tests
        return pandera_models()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def frame(table: str, rows: list[dict]):
    """Rows → a DataFrame with the table's columns (object dtype; the schema coerces)."""
    import pandas as pd

    return pd.DataFrame.from_records(rows, columns=COLUMNS[table])


def _pandera_problems(tables: dict[str, list[dict]]) -> dict[str, list[str]]:
    import pandera.pandas as pa

    problems: dict[str, list[str]] = defaultdict(list)
    for name, model in pandera_models().items():
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


def _report_of(df, idx) -> str:
    import pandas as pd

    try:
        if idx is not None and not pd.isna(idx):
            return str(df.loc[int(idx), "report_id"])
    except (KeyError, ValueError, TypeError):
        pass
    ids = df["report_id"].unique()
    return str(ids[0]) if len(ids) == 1 else "*"


def _describe_row(name: str, df, idx) -> str:
    import pandas as pd

    try:
        row = df.loc[int(idx)]
    except (KeyError, ValueError, TypeError):
        return ""
    parts = []
    for key in ("transfer_seq", "line", "finding_no"):
        if key in row and not pd.isna(row[key]):
            parts.append(f"{key}={row[key]}")
    return f"[{', '.join(parts)}]" if parts else ""
