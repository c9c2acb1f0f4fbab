"""The archive's schema: its tables (the contract's four, plus report documents, sources,
failures, runs and meta), keys, indexes and views, as DDL; and an empty archive built from it
in memory, for the code that describes the archive rather than reads one (the data
package's foreign keys, Datasette's metadata)."""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from typing import Iterator

from ..tables import COLUMNS, TABLES

ARCHIVE_SCHEMA_VERSION = 1

# --- schema -----------------------------------------------------------------------------

INT_TYPE = "INTEGER"
TEXT_TYPE = "TEXT"
COLUMN_TYPES = {
    "fiscal_year": INT_TYPE, "quarter": INT_TYPE, "transfer_count": INT_TYPE, "finding_count": INT_TYPE, "error_count": INT_TYPE,
    "unparsed_count": INT_TYPE, "transfer_seq": INT_TYPE, "amount_won": INT_TYPE, "total_before": INT_TYPE,
    "total_decrease": INT_TYPE, "total_increase": INT_TYPE, "total_after": INT_TYPE, "line_count": INT_TYPE, "loc_page": INT_TYPE,
    "loc_line": INT_TYPE, "line": INT_TYPE, "before": INT_TYPE, "decrease": INT_TYPE, "increase": INT_TYPE, "after": INT_TYPE,
    "finding_no": INT_TYPE, "expected": INT_TYPE, "actual": INT_TYPE,
}

# Columns the archive adds to the contract's tables (after the contract's own).
EXTRA_COLUMNS = {
    "reports": [
        ("size_bytes", "INTEGER"),
        ("schema_error_count", "INTEGER NOT NULL DEFAULT 0"),
        ("pipeline_version", "TEXT"),
        ("parsed_at", "TEXT"),
    ],
}

KEYS = {
    "reports": ["report_id"],
    "transfers": ["report_id", "transfer_seq"],
    "budget_lines": ["report_id", "transfer_seq", "line"],
    "findings": ["report_id", "finding_no"],
}

FOREIGN_KEYS = {
    "transfers": 'FOREIGN KEY ("report_id") REFERENCES reports ("report_id") ON DELETE CASCADE',
    "budget_lines": 'FOREIGN KEY ("report_id", "transfer_seq") REFERENCES transfers ("report_id", "transfer_seq") ON DELETE CASCADE',
    "findings": 'FOREIGN KEY ("report_id") REFERENCES reports ("report_id") ON DELETE CASCADE',
}

NOT_NULL = {
    "reports": {"source_path", "source_format", "title"},
    "findings": {"check", "severity", "message"},
}


def q(name: str) -> str:
    """Quote an identifier (`check`, `before` and `after` are SQL keywords)."""
    return '"' + name.replace('"', '""') + '"'


def _column_def(table: str, name: str) -> str:
    decl = COLUMN_TYPES.get(name, TEXT_TYPE)
    if name in KEYS[table] or name in NOT_NULL.get(table, ()):
        decl += " NOT NULL"
    return f"{q(name)} {decl}"


def _table_ddl(name: str) -> str:
    cols = [_column_def(name, c) for c in COLUMNS[name]]
    cols += [f"{q(c)} {decl}" for c, decl in EXTRA_COLUMNS.get(name, [])]
    cols.append(f"PRIMARY KEY ({', '.join(q(k) for k in KEYS[name])})")
    if name in FOREIGN_KEYS:
        cols.append(FOREIGN_KEYS[name])
    return f"CREATE TABLE {q(name)} (\n  " + ",\n  ".join(cols) + "\n)"


BASE_DDL = [
    """CREATE TABLE meta (
  "key" TEXT PRIMARY KEY,
  "value" TEXT NOT NULL
)""",
    *(_table_ddl(name) for name in TABLES),
    """CREATE TABLE report_documents (
  "report_id" TEXT PRIMARY KEY REFERENCES reports ("report_id") ON DELETE CASCADE,
  "report_json" TEXT NOT NULL
)""",
    """CREATE TABLE sources (
  "path" TEXT NOT NULL,
  "sha256" TEXT NOT NULL,
  "size_bytes" INTEGER,
  "modified_at" TEXT,
  "first_seen" TEXT NOT NULL,
  "last_seen" TEXT NOT NULL,
  PRIMARY KEY ("path", "sha256")
)""",
    """CREATE TABLE failures (
  "failure_id" INTEGER PRIMARY KEY,
  "path" TEXT NOT NULL,
  "sha256" TEXT,
  "size_bytes" INTEGER,
  "stage" TEXT NOT NULL,
  "reason" TEXT NOT NULL,
  "pipeline_version" TEXT,
  "attempts" INTEGER NOT NULL DEFAULT 1,
  "first_seen" TEXT NOT NULL,
  "last_seen" TEXT NOT NULL
)""",
    """CREATE TABLE runs (
  "run_id" INTEGER PRIMARY KEY,
  "started_at" TEXT NOT NULL,
  "finished_at" TEXT,
  "pipeline_version" TEXT NOT NULL,
  "inputs" TEXT,
  "files_found" INTEGER,
  "ingested" INTEGER,
  "skipped" INTEGER,
  "failed" INTEGER,
  "status" TEXT
)""",
    'CREATE UNIQUE INDEX failures_path ON failures ("path")',
    'CREATE INDEX failures_sha256 ON failures ("sha256")',
    'CREATE INDEX sources_sha256 ON sources ("sha256")',
    'CREATE INDEX reports_office_year ON reports ("office", "fiscal_year", "quarter")',
    'CREATE INDEX reports_source_path ON reports ("source_path")',
    'CREATE INDEX findings_check ON findings ("check", "severity")',
    'CREATE INDEX findings_transfer ON findings ("report_id", "transfer_seq", "line")',
    'CREATE INDEX budget_lines_stat_code ON budget_lines ("stat_code")',
]

VIEWS = {
    "finding_details": """
SELECT f."report_id", f."finding_no", f."check", f."severity", f."message",
       r."source_path", r."office", r."fiscal_year", r."quarter", r."title" AS "report_title",
       f."transfer_seq", t."label" AS "transfer_label", t."title" AS "transfer_title",
       t."amount_won", t."transfer_date",
       f."line", b."department", b."policy_program", b."unit_program", b."detail_program",
       b."stat_code", b."stat_name", b."before", b."decrease", b."increase", b."after",
       f."field", f."expected", f."actual", f."actual" - f."expected" AS "difference",
       f."loc_page", f."loc_line", f."loc_bbox", f."loc_cell"
FROM findings f
JOIN reports r ON r."report_id" = f."report_id"
LEFT JOIN transfers t ON t."report_id" = f."report_id" AND t."transfer_seq" = f."transfer_seq"
LEFT JOIN budget_lines b ON b."report_id" = f."report_id" AND b."transfer_seq" = f."transfer_seq"
                         AND b."line" = f."line"
""",
    "report_overview": """
SELECT r."report_id", r."office", r."fiscal_year", r."quarter", r."title", r."meeting_date",
       r."source_path", r."source_format", r."transfer_count",
       (SELECT sum(t."amount_won") FROM transfers t WHERE t."report_id" = r."report_id") AS "amount_won_total",
       r."error_count", r."finding_count" - r."error_count" AS "warning_count", r."unparsed_count",
       r."schema_error_count",
       (SELECT count(*) FROM sources s WHERE s."sha256" = substr(r."report_id", 1, 64)) AS "path_count",
       r."pipeline_version", r."parsed_at"
FROM reports r
""",
    "transfer_details": """
SELECT t."report_id", r."office", r."fiscal_year", r."quarter", t."transfer_seq", t."label", t."title",
       t."amount_won", t."transfer_date", t."budget_unit", t."total_before", t."total_decrease",
       t."total_increase", t."total_after", t."line_count",
       (SELECT count(*) FROM findings f WHERE f."report_id" = t."report_id"
                                         AND f."transfer_seq" = t."transfer_seq") AS "finding_count",
       t."reasons", r."source_path", t."loc_page", t."loc_line"
FROM transfers t
JOIN reports r ON r."report_id" = t."report_id"
""",
    "source_files": """
SELECT s."path", s."sha256", s."size_bytes",
       CASE WHEN r."report_id" IS NOT NULL THEN 'archived'
            WHEN EXISTS (SELECT 1 FROM failures f WHERE f."sha256" = s."sha256") THEN 'failed'
            ELSE 'unknown' END AS "status",
       r."office", r."fiscal_year", r."quarter", r."title",
       (SELECT f."reason" FROM failures f WHERE f."sha256" = s."sha256" ORDER BY f."last_seen" DESC LIMIT 1)
           AS "failure_reason",
       s."path" = r."source_path" AS "is_primary_path",
       s."first_seen", s."last_seen"
FROM sources s
LEFT JOIN reports r ON r."report_id" BETWEEN s."sha256" AND s."sha256" || '$'
""",
    "findings_by_check": """
SELECT f."check", f."severity", count(*) AS "finding_count", count(DISTINCT f."report_id") AS "report_count"
FROM findings f
GROUP BY f."check", f."severity"
""",
    "stat_code_names": """
SELECT b."stat_code", b."stat_name", count(*) AS "line_count", count(DISTINCT b."report_id") AS "report_count"
FROM budget_lines b
WHERE b."stat_code" <> ''
GROUP BY b."stat_code", b."stat_name"
""",
    # Readings a heuristic decided (a line break in a printed name, a merged cell a page may
    # have cut), kept as decided and listed with the other reading: from the report's JSON.
    "reading_notes": """
SELECT d."report_id", r."source_path", n."key" + 1 AS "note_no",
       json_extract(n."value", '$.text') AS "text", json_extract(n."value", '$.alternative') AS "alternative",
       json_extract(n."value", '$.basis') AS "basis", json_extract(n."value", '$.reason') AS "reason",
       json_extract(n."value", '$.loc.page') AS "loc_page", json_extract(n."value", '$.loc.line') AS "loc_line",
       json_extract(n."value", '$.loc.bbox') AS "loc_bbox", json_extract(n."value", '$.loc.cell') AS "loc_cell"
FROM report_documents d
JOIN reports r ON r."report_id" = d."report_id",
     json_each(d."report_json", '$.notes') n
""",
    "stat_code_conflicts": """
SELECT n."stat_code", count(*) AS "name_count", group_concat(n."stat_name", ' | ') AS "names",
       sum(n."report_count") AS "report_count"
FROM (SELECT * FROM stat_code_names ORDER BY "stat_code", "stat_name") n
GROUP BY n."stat_code"
HAVING count(*) > 1
""",
}



@contextmanager
def empty_archive() -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(":memory:")
    try:
        for ddl in BASE_DDL:
            conn.execute(ddl)
        for name, sql in VIEWS.items():
            conn.execute(f"CREATE VIEW {q(name)} AS {sql.strip()}")
        yield conn
    finally:
        conn.close()
