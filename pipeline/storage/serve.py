"""`jeonyong serve ARCHIVE`: the archive in Datasette, read-only, with metadata generated
from the code.

Datasette (an optional extra: `pip install -e '.[serve]'` in the clone) opens the archive as an
immutable database: it cannot write to it, and the SQL it runs is read-only. What it shows
about the tables comes from the code that makes them, never from a hand-kept copy:

- the contract's four tables: titles (Korean), descriptions (English), amounts in won, from
  the tables' one description (pipeline/schemas.py, which the pandera models are built from);
- the archive's own tables and views (pipeline/storage/schema.py): described here, and a test
  fails when a table, view or column has no description;
- facets, sortable columns, labels and amounts in won follow from the columns each
  table has;
- canned queries: findings by check, money moved from one 통계목 to another, the lines and
  findings of one report, reports whose arithmetic failed by year; each finding with its
  place in the original file (page, line, bounding box, table cell) and the file's path.
"""
from __future__ import annotations

import os
import socket
import sqlite3
import sys
import types
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional
from urllib.request import pathname2url

from ..tables import TABLES
from .schema import ARCHIVE_SCHEMA_VERSION, empty_archive, q

INSTALL_HINT = ("jeonyong serve needs Datasette, an optional extra: in the clone, with its venv active, "
                "pip install -e '.[serve]'")
FACETS = ("fiscal_year", "quarter", "office", "check", "severity", "source_format", "stage", "status")
# Long text is read, not sorted: every other column is sortable.
LONG_TEXT = {"summary", "transfer_lines", "reasons", "overview_json", "timeline_json", "message",
             "report_json", "inputs", "loc_bbox", "names", "failure_reason", "reason", "value"}
LABEL_COLUMNS = {"reports": "title", "transfers": "title"}
WON = "won"


class ServeError(Exception):
    """The archive cannot be served; the message is one line for the user."""


@dataclass(frozen=True)
class ColumnDoc:
    ko: str
    en: str
    unit: Optional[str] = None

    def text(self) -> str:
        return f"{self.ko} — {self.en}"


# --- what the archive's own tables and views mean (the contract's come from schemas.SPECS) -

TABLE_DOCS = {
    "meta": ("메타데이터", "The archive's schema version and the jeonyong versions that created and last wrote it."),
    "report_documents": ("보고서 JSON", "Each report's full JSON, exactly what `jeonyong extract` writes."),
    "sources": ("원본 경로", "Every path a file was found under, with its size and when it was first and last seen; a renamed copy is one report with two sources."),
    "failures": ("실패한 파일", "Files that could not be archived, with the stage (read, parse, timeout, crash, archive, changed) and the reason."),
    "runs": ("수집 실행", "One row per `jeonyong ingest` run, with its counts."),
    "finding_details": ("검증 결과 상세", "Each finding with its report, office, year, quarter, transfer and the budget line's figures, and where the faulty figure is printed."),
    "report_overview": ("보고서 개요", "One row per report: office, period, transfers, money moved, errors and warnings."),
    "transfer_details": ("전용 건 상세", "One row per transfer with its report's office and period, its table's printed totals and its number of findings."),
    "source_files": ("원본 파일 상태", "Every path found, whether it is archived or failed, with the report it holds."),
    "archive_counts": ("전체 건수", "The counts every overview prints: reports by status (clean, warnings only, not fully checked, with errors), findings by severity, files recorded as failed."),
    "reviews": ("검토", "Auditors' verdicts on findings (confirmed, misread, dismissed), with a note, who and when; kept across re-ingests, never written over what was extracted."),
    "finding_reviews": ("검증 결과와 검토", "Every finding with its latest verdict, if any."),
    "corrections": ("정정", "Archivists' corrections of extracted values (a budget line's figure or name, a transfer's amount), with the reason, who and when; kept across re-ingests, never written over what was extracted; the latest of a value counts."),
    "corrected_values": ("정정된 값", "Each corrected value's latest correction, beside the value as extracted, with its reason, who and when."),
    "findings_by_check": ("검사별 검증 결과 수", "Number of findings and of reports with them, per check and severity."),
    "stat_code_names": ("통계목 코드와 이름", "Each 통계목 code with each name it is printed with, and how often."),
    "stat_code_conflicts": ("통계목 코드 충돌", "통계목 codes printed with more than one name across the archive."),
    "reading_notes": ("판독 메모", "Readings decided by a heuristic that could be wrong (a line break inside a printed name, a merged cell a page may have cut), kept as decided, with the other reading and where it is printed."),
}

# Columns of the archive's own tables, and computed columns of the views, by name.
ARCHIVE_COLUMN_DOCS = {
    "key": ColumnDoc("키", "setting name"),
    "value": ColumnDoc("값", "setting value"),
    "report_json": ColumnDoc("보고서 JSON", "the report's JSON (output contract version 1)"),
    "path": ColumnDoc("경로", "path the file was found under"),
    "sha256": ColumnDoc("파일 해시(SHA-256)", "sha256 of the file's bytes (the report_id when it was archived; <sha256>#2 … for a file holding several reports)"),
    "size_bytes": ColumnDoc("크기(바이트)", "size of the file in bytes"),
    "modified_at": ColumnDoc("수정 시각", "the file's modification time (UTC)"),
    "first_seen": ColumnDoc("처음 발견", "when a run first found it (UTC)"),
    "last_seen": ColumnDoc("마지막 발견", "when a run last found it (UTC)"),
    "failure_id": ColumnDoc("실패 번호", "row number"),
    "stage": ColumnDoc("단계", "where it failed: read, parse, timeout, crash, archive or changed"),
    "reason": ColumnDoc("사유", "why, in one line"),
    "attempts": ColumnDoc("시도 횟수", "how many runs tried it"),
    "pipeline_version": ColumnDoc("jeonyong 버전", "version of jeonyong that wrote the row"),
    "schema_error_count": ColumnDoc("스키마 오류 수", "pandera schema violations (listed in the report's JSON)"),
    "parsed_at": ColumnDoc("분석 시각", "when the report was parsed (UTC)"),
    "run_id": ColumnDoc("실행 번호", "run number"),
    "started_at": ColumnDoc("시작", "when the run started (UTC)"),
    "finished_at": ColumnDoc("종료", "when the run ended (UTC); empty while running or after a crash"),
    "inputs": ColumnDoc("입력 경로", "the paths given to the run (JSON list)"),
    "files_found": ColumnDoc("발견 파일 수", "files found under the inputs"),
    "ingested": ColumnDoc("수집 파일 수", "files parsed and archived"),
    "skipped": ColumnDoc("건너뛴 파일 수", "files whose content was already archived"),
    "failed": ColumnDoc("실패 파일 수", "files that could not be archived"),
    "review_id": ColumnDoc("검토 번호", "row number"),
    "finding_key": ColumnDoc("검증 결과 키", "check:transfer:line:column, the same for the same finding after a re-ingest"),
    "verdict": ColumnDoc("판정", "confirmed (an error in the document), misread (the reader got it wrong) or dismissed"),
    "note": ColumnDoc("메모", "the reviewer's note"),
    "reviewer": ColumnDoc("검토자", "who reviewed it"),
    "reviewed_at": ColumnDoc("검토 시각", "when (UTC)"),
    "correction_id": ColumnDoc("정정 번호", "row number"),
    "corrected": ColumnDoc("정정된 값", "the value as corrected"),
    "extracted": ColumnDoc("추출된 값", "the value as extracted from the document"),
    "corrected_by": ColumnDoc("정정자", "who corrected it"),
    "corrected_at": ColumnDoc("정정 시각", "when (UTC)"),
    "status": ColumnDoc("상태", "run: running, done or interrupted; source file: archived, failed or unknown"),
}

# table or view → tables whose column descriptions its columns take, in order; then its
# own columns (a name, or the (table, column) it shows under another name).
COLUMN_SOURCES = {
    "report_documents": ("reports",),
    "finding_details": ("findings", "reports", "transfers", "budget_lines"),
    "report_overview": ("reports",),
    "transfer_details": ("transfers", "reports"),
    "source_files": ("sources", "reports"),
    "findings_by_check": ("findings",),
    "reviews": ("findings",),
    "finding_reviews": ("findings", "reviews"),
    "corrections": ("budget_lines",),
    "corrected_values": ("corrections", "reports"),
    "stat_code_names": ("budget_lines",),
    "stat_code_conflicts": ("budget_lines",),
    "reading_notes": ("reports",),
}
OWN_COLUMN_DOCS = {
    "corrections": {
        "field": ColumnDoc("정정한 항목", "the value corrected: before, decrease, increase, after, a name (department … stat_name) or amount_won"),
        "value": ColumnDoc("정정된 값", "the value as corrected (a figure as digits, or a name)"),
    },
    "finding_details": {
        "report_title": ("reports", "title"),
        "transfer_label": ("transfers", "label"),
        "transfer_title": ("transfers", "title"),
        "difference": ColumnDoc("차이(원)", "actual − expected: printed minus computed (won, 원)", WON),
        "loc_page": ("findings", "loc_page"), "loc_line": ("findings", "loc_line"),
        "loc_bbox": ("findings", "loc_bbox"), "loc_cell": ("findings", "loc_cell"),
    },
    "report_overview": {
        "amount_won_total": ColumnDoc("전용금액 합계(원)", "sum of the 전용개요 amounts of its transfers (won, 원)", WON),
        "warning_count": ColumnDoc("경고 수", "findings of severity warning"),
        "path_count": ColumnDoc("경로 수", "paths the same bytes were found under"),
    },
    "transfer_details": {
        "finding_count": ColumnDoc("검증 결과 수", "findings on this transfer"),
        "source_path": ("reports", "source_path"),
    },
    "source_files": {
        "title": ("reports", "title"),
        "failure_reason": ColumnDoc("실패 사유", "why the file failed, when it did"),
        "is_primary_path": ColumnDoc("대표 경로", "1 when this is the path the report is listed under"),
    },
    "archive_counts": {
        "reports": ColumnDoc("보고서 수", "reports in the archive"),
        "clean_reports": ColumnDoc("정상 보고서 수", "reports read and checked without findings"),
        "warning_reports": ColumnDoc("경고만 있는 보고서 수", "reports with warnings and no error"),
        "unchecked_reports": ColumnDoc("미검증 보고서 수", "reports without errors of which a table or figure could not be read"),
        "error_reports": ColumnDoc("오류 보고서 수", "reports with a finding of severity error"),
        "error_findings": ColumnDoc("오류 수", "findings of severity error"),
        "warning_findings": ColumnDoc("경고 수", "findings of severity warning"),
        "failed_files": ColumnDoc("실패한 파일 수", "files recorded as failed"),
    },
    "findings_by_check": {
        "finding_count": ColumnDoc("검증 결과 수", "number of findings"),
        "report_count": ColumnDoc("보고서 수", "number of reports with such a finding"),
    },
    "stat_code_names": {
        "line_count": ColumnDoc("행 수", "budget lines printing this code with this name"),
        "report_count": ColumnDoc("보고서 수", "reports printing it"),
    },
    "reading_notes": {
        "note_no": ColumnDoc("메모 번호", "the note's place in the report's notes (1-based)"),
        "text": ColumnDoc("판독", "the text as read"),
        "alternative": ColumnDoc("다른 판독", "the other reading the page allows"),
        "basis": ColumnDoc("근거", "what decided it: vocabulary (printed so elsewhere in the report), layout or default"),
        "reason": ColumnDoc("사유", "why the reading is uncertain, in one line"),
        "loc_page": ("findings", "loc_page"), "loc_line": ("findings", "loc_line"),
        "loc_bbox": ("findings", "loc_bbox"), "loc_cell": ("findings", "loc_cell"),
    },
    "stat_code_conflicts": {
        "name_count": ColumnDoc("이름 수", "different names printed with the code"),
        "names": ColumnDoc("이름", "the names, separated by |"),
        "report_count": ColumnDoc("보고서 수", "reports printing the code"),
    },
}


@lru_cache(maxsize=None)
def _contract_docs(table: str) -> dict[str, ColumnDoc]:
    from ..schemas import SPECS

    return {col.name: ColumnDoc(col.title, col.description, (col.metadata or {}).get("unit"))
            for col in SPECS[table].columns}


@lru_cache(maxsize=1)
def archive_columns() -> dict[str, list[str]]:
    """table or view → its columns, as the archive's DDL and views declare them."""
    with empty_archive() as conn:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY rowid")]
        return {n: [r[1] for r in conn.execute(f"PRAGMA table_info({q(n)})")] for n in names}


def column_doc(table: str, column: str) -> ColumnDoc:
    """What one column of the archive means. KeyError when nobody has said."""
    if table in TABLES:
        docs = _contract_docs(table)
        if column in docs:
            return docs[column]
    own = OWN_COLUMN_DOCS.get(table, {}).get(column)
    if isinstance(own, ColumnDoc):
        return own
    if isinstance(own, tuple):
        return column_doc(*own)
    for source in COLUMN_SOURCES.get(table, ()):
        if column in archive_columns().get(source, ()):
            return column_doc(source, column)
    return ARCHIVE_COLUMN_DOCS[column]


def table_doc(table: str) -> tuple[str, str]:
    if table in TABLES:
        from ..schemas import SPECS

        return SPECS[table].title, SPECS[table].description
    return TABLE_DOCS[table]


def money_columns() -> set[str]:
    """Names of the columns that hold amounts in won, anywhere in the archive or the
    canned queries (for the cell renderer)."""
    out = {c for t, cols in archive_columns().items() for c in cols if column_doc(t, c).unit == WON}
    return out | {c for query in CANNED_QUERIES.values() for c in query.get("money", ())}


# --- canned queries ----------------------------------------------------------------------

def place_sql(alias: str) -> str:
    """SQL for where a figure is printed, from the loc_ columns of `alias`, in the words
    of the terminal table: `p.2 · line 61 · table 1 · row 3 · col 9 · bbox 56.7,120,98,131`
    (the parts that are known)."""
    a = alias
    cell = f'{a}."loc_cell"'
    rest = f"substr({cell}, instr({cell}, ',') + 1)"
    cell_words = (f"'table ' || substr({cell}, 1, instr({cell}, ',') - 1) || ' · row ' || "
                  f"substr({rest}, 1, instr({rest}, ',') - 1) || ' · col ' || substr({rest}, instr({rest}, ',') + 1)")
    return (
        "nullif(trim(trim("
        f"coalesce('p.' || {a}.\"loc_page\" || ' · ', '') || "
        f"coalesce('line ' || {a}.\"loc_line\" || ' · ', '') || "
        f"coalesce({cell_words} || ' · ', '') || "
        f"coalesce('bbox ' || {a}.\"loc_bbox\", '')"
        "), ' ·'), '')"
    )


def _stat_label(alias: str) -> str:
    """SQL of overview.stat_label: `name (편성목-통계목)`, the code's leading group dropped."""
    key = (f"CASE WHEN {alias}.\"stat_code\" GLOB '*[0-9][0-9][0-9]-[0-9][0-9]' "
           f"THEN substr({alias}.\"stat_code\", -6) ELSE {alias}.\"stat_code\" END")
    return (f"CASE WHEN {alias}.\"stat_code\" <> '' AND {alias}.\"stat_name\" <> '' "
            f"THEN {alias}.\"stat_name\" || ' (' || {key} || ')' "
            f"ELSE coalesce(nullif({alias}.\"stat_name\", ''), nullif({alias}.\"stat_code\", ''), '?') END")


_FINDINGS_BY_CHECK = f"""
SELECT f."check", f."severity", r."fiscal_year", r."quarter", r."office",
       f."transfer_seq", f."line", f."field", f."expected", f."actual", f."message",
       {place_sql('f')} AS "place", f."source_path", f."report_id", f."finding_no"
FROM findings f JOIN reports r ON r."report_id" = f."report_id"
WHERE :check = '' OR f."check" = :check
ORDER BY f."check", f."severity", r."fiscal_year", r."quarter", r."office", f."source_path", f."finding_no"
"""

_MONEY_MOVED = f"""
WITH lines AS (
  SELECT b."report_id", b."transfer_seq", {_stat_label('b')} AS "stat", b."decrease", b."increase"
  FROM budget_lines b
),
totals AS (
  SELECT "report_id", "transfer_seq", sum("increase") AS "increase_total"
  FROM lines WHERE "increase" > 0 GROUP BY "report_id", "transfer_seq"
),
flows AS (
  SELECT s."report_id", s."transfer_seq", s."stat" AS "from_stat", d."stat" AS "to_stat",
         CAST(round(1.0 * s."decrease" * d."increase" / t."increase_total") AS INTEGER) AS "won"
  FROM lines s
  JOIN lines d ON d."report_id" = s."report_id" AND d."transfer_seq" = s."transfer_seq" AND d."increase" > 0
  JOIN totals t ON t."report_id" = s."report_id" AND t."transfer_seq" = s."transfer_seq"
  WHERE s."decrease" > 0
)
SELECT "from_stat", "to_stat", sum("won") AS "moved_won",
       count(DISTINCT "report_id" || ':' || "transfer_seq") AS "transfers", count(DISTINCT "report_id") AS "reports"
FROM flows
WHERE "won" <> 0
  AND (:from_stat = '' OR instr("from_stat", :from_stat) > 0)
  AND (:to_stat = '' OR instr("to_stat", :to_stat) > 0)
GROUP BY "from_stat", "to_stat"
ORDER BY "moved_won" DESC, "from_stat", "to_stat"
"""

_REPORT_MATCH = """(r."report_id" = lower(:report)
       OR (length(:report) >= 6 AND substr(r."report_id", 1, length(:report)) = lower(:report))
       OR (length(:report) >= 3 AND instr(r."source_path", :report) > 0))"""

_REPORT_LINES_AND_FINDINGS = f"""
SELECT * FROM (
SELECT b."transfer_seq", t."label" AS "transfer_label", b."line", b."stat_code", b."stat_name",
       b."before", b."decrease", b."increase", b."after",
       f."check", f."severity", f."field", f."expected", f."actual", f."message",
       {place_sql('f')} AS "finding_place", {place_sql('b')} AS "line_place",
       b."department", b."detail_program", r."source_path", r."report_id"
FROM budget_lines b
JOIN reports r ON r."report_id" = b."report_id"
JOIN transfers t ON t."report_id" = b."report_id" AND t."transfer_seq" = b."transfer_seq"
LEFT JOIN findings f ON f."report_id" = b."report_id" AND f."transfer_seq" = b."transfer_seq" AND f."line" = b."line"
WHERE {_REPORT_MATCH}
UNION ALL
SELECT f."transfer_seq", t."label", NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       f."check", f."severity", f."field", f."expected", f."actual", f."message",
       {place_sql('f')}, NULL, NULL, NULL, r."source_path", r."report_id"
FROM findings f
JOIN reports r ON r."report_id" = f."report_id"
LEFT JOIN transfers t ON t."report_id" = f."report_id" AND t."transfer_seq" = f."transfer_seq"
WHERE f."line" IS NULL AND {_REPORT_MATCH}
)
ORDER BY "source_path", "report_id", "transfer_seq" IS NULL, "transfer_seq", "line" IS NULL, "line"
"""

_FAILED_BY_YEAR = """
SELECT r."fiscal_year", count(*) OVER (PARTITION BY r."fiscal_year") AS "failed_that_year",
       (SELECT count(*) FROM reports y WHERE y."fiscal_year" IS r."fiscal_year") AS "reports_that_year",
       r."quarter", r."office", r."title", r."error_count",
       (SELECT group_concat(c, ', ') FROM (SELECT DISTINCT f."check" AS c FROM findings f
         WHERE f."report_id" = r."report_id" AND f."severity" = 'error' ORDER BY c)) AS "checks",
       r."source_path", r."report_id"
FROM reports r
WHERE r."error_count" > 0 AND (:fiscal_year = '' OR r."fiscal_year" = CAST(:fiscal_year AS INTEGER))
ORDER BY r."fiscal_year" IS NULL, r."fiscal_year" DESC, r."quarter", r."office", r."source_path"
"""

CANNED_QUERIES = {
    "findings_by_check": {
        "title": "검사별 검증 결과 — findings by check",
        "description": "Every finding of one check (leave check empty for all), with its report's period "
                       "and office and where the faulty figure is printed (place) in which file. "
                       "Checks: row_balance, column_total, transfer_balance, summary_amount, overdraw, "
                       "date_period, stat_code_name.",
        "sql": _FINDINGS_BY_CHECK,
        "params": ["check"],
        "money": ["expected", "actual"],
    },
    "money_moved": {
        "title": "통계목 간 전용 금액 — money moved from one 통계목 to another",
        "description": "Within each transfer money leaves the lines with a 감 and reaches those with a 증; "
                       "with several of each, every source is split over the destinations in proportion "
                       "to what they received (the document does not say who paid whom), as in the "
                       "overview's flows. 통계목 are named `name (편성목-통계목)`. Filter by part of either name.",
        "sql": _MONEY_MOVED,
        "params": ["from_stat", "to_stat"],
        "money": ["moved_won"],
    },
    "report_lines_and_findings": {
        "title": "보고서의 예산 현황과 검증 결과 — the lines and findings of one report",
        "description": "Every budget line of one report with the findings on it, then the findings that "
                       "concern a whole transfer or the report. report: its report_id (or its first six "
                       "or more characters), or part of its source path.",
        "sql": _REPORT_LINES_AND_FINDINGS,
        "params": ["report"],
        "money": ["before", "decrease", "increase", "after", "expected", "actual"],
    },
    "failed_arithmetic_by_year": {
        "title": "연도별 산식 오류 보고서 — reports whose arithmetic failed, by year",
        "description": "Reports with at least one finding of severity error, newest fiscal year first, "
                       "with how many failed that year out of how many, and which checks failed. Leave fiscal_year empty "
                       "for every year.",
        "sql": _FAILED_BY_YEAR,
        "params": ["fiscal_year"],
    },
}


# --- metadata ----------------------------------------------------------------------------

def datasette_metadata(database: str, present: Optional[dict[str, list[str]]] = None) -> dict:
    """Datasette metadata for the archive served as `database`. `present` (table → columns)
    limits it to what the archive file has (an archive from an older jeonyong may lack a
    column); by default, everything the code creates."""
    columns = archive_columns()
    present = present if present is not None else columns
    tables = {}
    for name, cols in columns.items():
        if name not in present:
            continue
        cols = [c for c in cols if c in present[name]]
        ko, en = table_doc(name)
        docs = {c: column_doc(name, c) for c in cols}
        meta = {
            "title": f"{name} · {ko}",
            "description": en,
            "columns": {c: d.text() for c, d in docs.items()},
            "sortable_columns": [c for c in cols if c not in LONG_TEXT],
            "facets": [c for c in FACETS if c in cols],
        }
        if name in LABEL_COLUMNS:
            meta["label_column"] = LABEL_COLUMNS[name]
        if "fiscal_year" in cols and name in ("reports", "report_overview", "transfer_details", "finding_details"):
            meta["sort_desc"] = "fiscal_year"
        tables[name] = meta
    queries = {}
    for name, query in CANNED_QUERIES.items():
        queries[name] = {"title": query["title"], "description": query["description"],
                         "sql": query["sql"].strip(), "params": list(query["params"]), "hide_sql": True}
    description = ("예산 전용 보고 (budget transfer reports) read by jeonyong: reports, transfers, budget "
                   "lines and audit findings, read-only. Amounts are in won (원). Every finding says where "
                   "its faulty figure is printed (page, line, bounding box or table cell) in which file; "
                   "start with the queries, or with finding_details.")
    return {
        "title": "jeonyong · 예산 전용 보고 archive",
        "description": description,
        "databases": {database: {"title": f"{database} · 예산 전용 보고", "description": description,
                                 "tables": tables, "queries": queries}},
    }


# --- the archive file, read-only ----------------------------------------------------------

def open_read_only(path: Path) -> sqlite3.Connection:
    """The archive opened the way Datasette opens it: read-only and immutable."""
    return sqlite3.connect(f"file:{pathname2url(str(path.resolve()))}?mode=ro&immutable=1", uri=True)


def check_archive(path: Path) -> dict[str, list[str]]:
    """The archive's tables and columns; ServeError when it is not an archive this
    jeonyong can serve."""
    if not path.exists():
        raise ServeError(f"{path}: no such archive")
    if path.is_dir():
        raise ServeError(f"{path}: is a folder, not an archive file")
    try:
        conn = open_read_only(path)
        try:
            names = [r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'")]
            if "meta" not in names:
                raise ServeError(f"{path}: not a jeonyong archive (no meta table)")
            row = conn.execute("SELECT \"value\" FROM meta WHERE \"key\" = 'archive_schema_version'").fetchone()
            present = {n: [r[1] for r in conn.execute(f"PRAGMA table_info({q(n)})")] for n in names}
        finally:
            conn.close()
    except sqlite3.DatabaseError as e:
        raise ServeError(f"{path}: not a usable SQLite archive ({e})") from None
    try:
        version = int(row[0]) if row else None
    except ValueError:
        version = None
    if version is None:
        raise ServeError(f"{path}: not a jeonyong archive (no archive_schema_version in meta)")
    if version > ARCHIVE_SCHEMA_VERSION:
        raise ServeError(f"{path}: archive schema version {version} was written by a newer jeonyong "
                         f"(this one knows up to {ARCHIVE_SCHEMA_VERSION}); upgrade jeonyong")
    if version < ARCHIVE_SCHEMA_VERSION:
        raise ServeError(f"{path}: archive schema version {version} is older than this jeonyong's "
                         f"{ARCHIVE_SCHEMA_VERSION}; run `jeonyong ingest` on it once to migrate it, then serve it")
    return present


def pending_wal_bytes(path: Path) -> int:
    """Bytes in the archive's write-ahead log: changes an ingest has committed but not yet
    copied into the file. An immutable reader does not see them."""
    try:
        return os.path.getsize(f"{path}-wal")
    except OSError:
        return 0


# --- Datasette -----------------------------------------------------------------------------

def won_html(value) -> Optional[str]:
    """An amount as an exact figure with digit grouping, `355,000,000원` (None for other
    values). This, not Datasette's `units` metadata, carries the unit on screen: Datasette
    shows units through Pint, which rounds 1,234,567,891 won to `1.234568 G원` (a wrong
    figure is worse than none), and with units a column's `__in` filter fails with a 500."""
    if isinstance(value, int) and not isinstance(value, bool):
        return f'<span class="won">{value:,}원</span>'
    return None


def report_link_html(value, database_url: str) -> Optional[str]:
    """A report_id (shown where Datasette does not already link it to the report) as a
    link to the canned query of that report's lines and findings, shortened on screen."""
    if not (isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)):
        return None
    return (f'<a href="{database_url}/report_lines_and_findings?report={value}" title="{value}: '
            f'its lines and findings">{value[:12]}…</a>')


def cell_html(value) -> Optional[str]:
    """`1,3,9` → `table 1 · row 3 · col 9` (the stored text stays in the JSON and CSV)."""
    parts = value.split(",") if isinstance(value, str) else []
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    return f'<span title="{value}">table {parts[0]} · row {parts[1]} · col {parts[2]}</span>'


# Table pages: the column descriptions (one per column, 30 and more for a view) fold into
# a <details> above the rows, and each column header shows its description on hover;
# amounts sit right-aligned like figures on paper.
PAGE_SCRIPT = """
document.querySelectorAll('dl.column-descriptions').forEach(function (dl) {
  var described = {};
  dl.querySelectorAll('dt').forEach(function (dt) {
    var dd = dt.nextElementSibling;
    if (dd) { described[dt.textContent.trim()] = dd.textContent.trim(); }
  });
  document.querySelectorAll('th[data-column]').forEach(function (th) {
    var text = described[th.getAttribute('data-column')];
    if (text) { th.title = text; }
  });
  var details = document.createElement('details');
  details.className = 'column-descriptions';
  var summary = document.createElement('summary');
  summary.textContent = '열 설명 · column descriptions (' + Object.keys(described).length + ')';
  dl.parentNode.insertBefore(details, dl);
  details.appendChild(summary);
  details.appendChild(dl);
});
var style = document.createElement('style');
style.textContent = 'td.col-message, td.col-reasons, td.col-title, td.col-report_title, td.col-transfer_title'
  + ' { min-width: 22em; } details.column-descriptions { margin: 0.5em 0 1em; }'
  + ' table.rows-and-columns td { word-break: keep-all; }';
document.head.appendChild(style);
document.querySelectorAll('span.won').forEach(function (span) {
  span.parentNode.style.textAlign = 'right';
  span.parentNode.style.whiteSpace = 'nowrap';
});
"""


def read_only_http(app):
    """ASGI middleware: only GET and HEAD reach Datasette. The database is immutable
    anyway; this also answers a POST (to a canned query, say) with a plain 405 instead of
    the 500 Datasette 0.65 gives it."""

    async def wrapped(scope, receive, send):
        if scope.get("type") == "http" and scope.get("method") not in ("GET", "HEAD"):
            await send({"type": "http.response.start", "status": 405,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"allow", b"GET, HEAD")]})
            await send({"type": "http.response.body", "body": b"This archive is served read-only.\n"})
            return
        await app(scope, receive, send)

    return wrapped


def make_datasette(path: Path, present: dict[str, list[str]]):
    """A Datasette instance serving the archive at `path`, immutable, with its metadata."""
    from datasette.app import Datasette  # first: it registers Datasette's own plugins
    from datasette import handle_exception as datasette_handle_exception, hookimpl
    from datasette.plugins import pm
    from markupsafe import Markup

    database = path.stem
    money = money_columns()

    def render_cell(value, column, database, datasette):
        if column in money:
            html = won_html(value)
        elif column == "report_id":
            html = report_link_html(value, datasette.urls.database(database))
        elif column == "loc_cell":
            html = cell_html(value)
        else:
            html = None
        return Markup(html) if html else None

    def extra_body_script():
        return PAGE_SCRIPT

    def asgi_wrapper():
        return read_only_http

    # Datasette plugins are modules: this one lives only in this process.
    plugin = types.ModuleType("jeonyong_serve_plugin")
    plugin.render_cell = hookimpl(render_cell)
    plugin.extra_body_script = hookimpl(extra_body_script)
    plugin.asgi_wrapper = hookimpl(asgi_wrapper)
    if pm.get_plugin(plugin.__name__) is not None:
        pm.unregister(name=plugin.__name__)
    pm.register(plugin, name=plugin.__name__)
    # Datasette 0.65 prints a rich traceback with every local variable for each refused
    # request (a mistyped SQL query, say), and with rich 14 or later that printing itself
    # fails outside an `except` block and turns the answer into a 500. Its handler then
    # answers as it should, printing only for real server errors.
    datasette_handle_exception.rich = None
    ds = Datasette(
        immutables=[str(path)],
        metadata=datasette_metadata(database, present),
        settings={"truncate_cells_html": 400, "default_page_size": 50, "allow_csv_stream": True},
    )
    return ds, database


def serve(path, host: str = "127.0.0.1", port: int = 8001, say=None) -> int:
    """Serve the archive until interrupted; returns the exit status (2 when it cannot)."""
    say = say or (lambda msg: print(msg, file=sys.stderr, flush=True))
    try:
        import datasette  # noqa: F401
        import uvicorn
    except ImportError:
        say(INSTALL_HINT)
        return 2
    path = Path(path)
    try:
        present = check_archive(path)
    except ServeError as e:
        say(str(e))
        return 2
    pending = pending_wal_bytes(path)
    if pending:
        say(f"{path}-wal: {pending:,} bytes of changes not yet in the archive file (an ingest is running or was "
            "interrupted); they are not shown: let the ingest finish (or run it again), then restart serve")
    try:
        sock = _bind(host, port)
    except OSError as e:
        say(f"{host}:{port}: cannot listen ({e.strerror or e}); choose another --port or --host")
        return 2
    ds, database = make_datasette(path, present)
    bound_host, bound_port = sock.getsockname()[:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    say(f"jeonyong serve: http://{shown}:{bound_port}{ds.urls.database(database)} (read-only; Ctrl-C to stop)")
    config = uvicorn.Config(ds.app(), log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn shut down gracefully, then passed Ctrl-C on: the way to stop
        pass
    return 0


def _bind(host: str, port: int) -> socket.socket:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    family, _, _, _, addr = infos[0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(addr)
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock
