"""The archive's schema, one description for SQLite and PostgreSQL: its tables (the
contract's four, plus report documents, sources, failures, runs and meta), keys and indexes
as SQLAlchemy Core `Table`s; its views as SQL, written once where the SQL is portable and per
database only where it must differ; and an empty SQLite archive built from it in memory, for
the code that describes the archive rather than reads one (the data package's foreign keys,
Datasette's metadata).

Adding a table is one change here: a `Table(...)` on `METADATA` (with its indexes). Opening an
archive that lacks it creates it (see archive.Archive._upgrade); its rows are counted, and the
statements that write it are built from it like every other."""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from typing import Iterator

from sqlalchemy import (BigInteger, Column, ForeignKeyConstraint, Index, Integer, MetaData, PrimaryKeyConstraint,
                        Table, Text, text)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.schema import CreateIndex, CreateTable

from ..tables import COLUMNS, TABLES

ARCHIVE_SCHEMA_VERSION = 1

# --- types ------------------------------------------------------------------------------

# Whole numbers: INTEGER in SQLite (64-bit there; and `INTEGER PRIMARY KEY` is the rowid),
# BIGINT in PostgreSQL (amounts in won run past 2³¹).
INT = BigInteger().with_variant(Integer(), "sqlite")
TEXT = Text()

INT_COLUMNS = {
    "fiscal_year", "quarter", "transfer_count", "finding_count", "error_count", "unparsed_count", "transfer_seq",
    "amount_won", "total_before", "total_decrease", "total_increase", "total_after", "line_count", "loc_page",
    "loc_line", "line", "before", "decrease", "increase", "after", "finding_no", "expected", "actual", "cause_no",
}

KEYS = {
    "reports": ["report_id"],
    "transfers": ["report_id", "transfer_seq"],
    "budget_lines": ["report_id", "transfer_seq", "line"],
    "findings": ["report_id", "finding_no"],
}

NOT_NULL = {
    "reports": {"source_path", "source_format", "title"},
    "findings": {"check", "severity", "message"},
}

# Columns the archive adds to the contract's tables (after the contract's own).
EXTRA_COLUMNS = {
    "reports": lambda: [
        Column("size_bytes", INT),
        Column("schema_error_count", INT, nullable=False, server_default=text("0")),
        Column("pipeline_version", TEXT),
        Column("parsed_at", TEXT),
    ],
}

FOREIGN_KEYS = {
    "transfers": [(["report_id"], "reports", ["report_id"])],
    "budget_lines": [(["report_id", "transfer_seq"], "transfers", ["report_id", "transfer_seq"])],
    "findings": [(["report_id"], "reports", ["report_id"])],
}

# --- tables -----------------------------------------------------------------------------

METADATA = MetaData()


def _contract_table(name: str) -> Table:
    cols = [Column(c, INT if c in INT_COLUMNS else TEXT,
                   nullable=not (c in KEYS[name] or c in NOT_NULL.get(name, ())), autoincrement=False)
            for c in COLUMNS[name]]
    cols += EXTRA_COLUMNS.get(name, list)()
    constraints = [PrimaryKeyConstraint(*KEYS[name])]
    constraints += [ForeignKeyConstraint(src, [f"{other}.{c}" for c in dst], ondelete="CASCADE")
                    for src, other, dst in FOREIGN_KEYS.get(name, [])]
    return Table(name, METADATA, *cols, *constraints)


meta = Table("meta", METADATA, Column("key", TEXT, primary_key=True), Column("value", TEXT, nullable=False))
reports, transfers, budget_lines, findings = (_contract_table(name) for name in TABLES)
report_documents = Table(
    "report_documents", METADATA,
    Column("report_id", TEXT, primary_key=True),
    Column("report_json", TEXT, nullable=False),
    ForeignKeyConstraint(["report_id"], ["reports.report_id"], ondelete="CASCADE"),
)
sources = Table(
    "sources", METADATA,
    Column("path", TEXT, nullable=False),
    Column("sha256", TEXT, nullable=False),
    Column("size_bytes", INT),
    Column("modified_at", TEXT),
    Column("first_seen", TEXT, nullable=False),
    Column("last_seen", TEXT, nullable=False),
    PrimaryKeyConstraint("path", "sha256"),
)
failures = Table(
    "failures", METADATA,
    Column("failure_id", INT, primary_key=True, autoincrement=True),
    Column("path", TEXT, nullable=False),
    Column("sha256", TEXT),
    Column("size_bytes", INT),
    Column("stage", TEXT, nullable=False),
    Column("reason", TEXT, nullable=False),
    Column("pipeline_version", TEXT),
    Column("attempts", INT, nullable=False, server_default=text("1")),
    Column("first_seen", TEXT, nullable=False),
    Column("last_seen", TEXT, nullable=False),
)
runs = Table(
    "runs", METADATA,
    Column("run_id", INT, primary_key=True, autoincrement=True),
    Column("started_at", TEXT, nullable=False),
    Column("finished_at", TEXT),
    Column("pipeline_version", TEXT, nullable=False),
    Column("inputs", TEXT),
    Column("files_found", INT),
    Column("ingested", INT),
    Column("skipped", INT),
    Column("failed", INT),
    Column("status", TEXT),
)

# An auditor's verdict on a finding: a table of its own, never written over what was
# extracted; keyed by the report and the finding's stable key (check, transfer, line, column:
# the same finding of the same bytes after a re-ingest), with no foreign key, so that
# re-ingesting a report (or --force) keeps every review.
reviews = Table(
    "reviews", METADATA,
    Column("review_id", INT, primary_key=True, autoincrement=True),
    Column("report_id", TEXT, nullable=False),
    Column("finding_key", TEXT, nullable=False),
    Column("finding_no", INT),
    Column("verdict", TEXT, nullable=False),
    Column("note", TEXT),
    Column("reviewer", TEXT, nullable=False),
    Column("reviewed_at", TEXT, nullable=False),
)

# An archivist's correction of one extracted value (a budget line's figure or name, or a
# transfer's amount): a table of its own, like reviews, with no foreign key, so re-ingesting
# keeps it; what was extracted stays as it was, and the latest correction of a value counts.
corrections = Table(
    "corrections", METADATA,
    Column("correction_id", INT, primary_key=True, autoincrement=True),
    Column("report_id", TEXT, nullable=False),
    Column("transfer_seq", INT, nullable=False),
    Column("line", INT),  # empty for a transfer's own value (amount_won)
    Column("field", TEXT, nullable=False),
    Column("value", TEXT, nullable=False),  # a figure as decimal digits, or a name
    Column("reason", TEXT, nullable=False),
    Column("corrected_by", TEXT, nullable=False),
    Column("corrected_at", TEXT, nullable=False),
)

Index("failures_path", failures.c.path, unique=True)
Index("corrections_value", corrections.c.report_id, corrections.c.transfer_seq, corrections.c.line, corrections.c.field)
Index("reviews_finding", reviews.c.report_id, reviews.c.finding_key)
Index("failures_sha256", failures.c.sha256)
Index("sources_sha256", sources.c.sha256)
Index("reports_office_year", reports.c.office, reports.c.fiscal_year, reports.c.quarter)
Index("reports_source_path", reports.c.source_path)
Index("findings_check", findings.c.check, findings.c.severity)
Index("findings_transfer", findings.c.report_id, findings.c.transfer_seq, findings.c.line)
Index("budget_lines_stat_code", budget_lines.c.stat_code)

# Tables in the order they are created (a table after those it refers to).
ALL_TABLES: dict[str, Table] = dict(METADATA.tables)

DIALECTS = {"sqlite": sqlite.dialect(), "postgresql": postgresql.psycopg.dialect(paramstyle="format")}


def ddl(dialect: str) -> list[str]:
    """CREATE TABLE and CREATE INDEX statements of the whole schema, for one database."""
    d = DIALECTS[dialect]
    out = [str(CreateTable(t).compile(dialect=d)).strip() for t in ALL_TABLES.values()]
    out += [str(CreateIndex(i).compile(dialect=d)).strip() for t in ALL_TABLES.values() for i in sorted(t.indexes, key=lambda i: i.name)]
    return out


BASE_DDL = ddl("sqlite")


def q(name: str) -> str:
    """Quote an identifier (`check`, `before` and `after` are SQL keywords)."""
    return '"' + name.replace('"', '""') + '"'


# --- views ------------------------------------------------------------------------------

VIEWS = {
    "finding_details": """
SELECT f."report_id", f."finding_no", f."check", f."severity", f."message",
       r."source_path", r."office", r."fiscal_year", r."quarter", r."title" AS "report_title",
       f."transfer_seq", t."label" AS "transfer_label", t."title" AS "transfer_title",
       t."amount_won", t."transfer_date",
       f."line", b."department", b."policy_program", b."unit_program", b."detail_program",
       b."stat_code", b."stat_name", b."before", b."decrease", b."increase", b."after",
       f."field", f."expected", f."actual", f."actual" - f."expected" AS "difference",
       f."loc_page", f."loc_line", f."loc_bbox", f."loc_cell", f."cause_no", f."cause"
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
       r."status", r."error_count", r."finding_count" - r."error_count" AS "warning_count", r."unparsed_count",
       r."unchecked",
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
LEFT JOIN reports r ON substr(r."report_id", 1, 64) = s."sha256"
""",
    # The counts every overview prints (terminal, HTML): reports by status, findings by
    # severity, files recorded as failed.
    "archive_counts": """
SELECT (SELECT count(*) FROM reports) AS "reports",
       (SELECT count(*) FROM reports WHERE "status" = 'clean') AS "clean_reports",
       (SELECT count(*) FROM reports WHERE "status" = 'warning') AS "warning_reports",
       (SELECT count(*) FROM reports WHERE "status" = 'unchecked') AS "unchecked_reports",
       (SELECT count(*) FROM reports WHERE "status" = 'error') AS "error_reports",
       (SELECT count(*) FROM findings WHERE "severity" = 'error') AS "error_findings",
       (SELECT count(*) FROM findings WHERE "severity" = 'warning') AS "warning_findings",
       (SELECT count(*) FROM failures) AS "failed_files"
""",
    # Every finding with its latest review, if any (reviews are kept, never overwritten).
    "finding_reviews": """
SELECT f."report_id", f."finding_no", f."check", f."severity", f."transfer_seq", f."line", f."field",
       f."expected", f."actual", f."message", f."source_path", f."finding_key",
       v."verdict", v."note", v."reviewer", v."reviewed_at"
FROM (SELECT f0.*, f0."check" || ':' || coalesce(CAST(f0."transfer_seq" AS TEXT), '') || ':'
             || coalesce(CAST(f0."line" AS TEXT), '') || ':' || coalesce(f0."field", '') AS "finding_key" FROM findings f0) f
LEFT JOIN reviews v ON v."review_id" = (SELECT max(v2."review_id") FROM reviews v2
                                         WHERE v2."report_id" = f."report_id" AND v2."finding_key" = f."finding_key")
""",
    # Each corrected value's latest correction, the extracted reading beside it, with who,
    # when and why (the corrections table keeps every earlier one).
    "corrected_values": """
SELECT c."report_id", r."source_path", c."transfer_seq", c."line", c."field",
       CASE c."field" WHEN 'amount_won' THEN CAST(t."amount_won" AS TEXT)
            WHEN 'before' THEN CAST(b."before" AS TEXT) WHEN 'decrease' THEN CAST(b."decrease" AS TEXT)
            WHEN 'increase' THEN CAST(b."increase" AS TEXT) WHEN 'after' THEN CAST(b."after" AS TEXT)
            WHEN 'department' THEN b."department" WHEN 'policy_program' THEN b."policy_program"
            WHEN 'unit_program' THEN b."unit_program" WHEN 'detail_program' THEN b."detail_program"
            WHEN 'stat_code' THEN b."stat_code" WHEN 'stat_name' THEN b."stat_name" END AS "extracted",
       c."value" AS "corrected", c."reason", c."corrected_by", c."corrected_at", c."correction_id"
FROM corrections c
LEFT JOIN reports r ON r."report_id" = c."report_id"
LEFT JOIN transfers t ON t."report_id" = c."report_id" AND t."transfer_seq" = c."transfer_seq"
LEFT JOIN budget_lines b ON b."report_id" = c."report_id" AND b."transfer_seq" = c."transfer_seq" AND b."line" = c."line"
WHERE c."correction_id" = (SELECT max(c2."correction_id") FROM corrections c2
                           WHERE c2."report_id" = c."report_id" AND c2."transfer_seq" = c."transfer_seq"
                             AND coalesce(c2."line", 0) = coalesce(c."line", 0) AND c2."field" = c."field")
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

# Where a database's SQL differs: PostgreSQL reads the JSON with its jsonb functions (the
# column stays text, so a report's JSON keeps its bytes) and joins names with string_agg.
DIALECT_VIEWS = {
    "postgresql": {
        "reading_notes": """
SELECT d."report_id", r."source_path", n."ordinality" AS "note_no",
       n."value" ->> 'text' AS "text", n."value" ->> 'alternative' AS "alternative",
       n."value" ->> 'basis' AS "basis", n."value" ->> 'reason' AS "reason",
       (n."value" #>> '{loc,page}')::bigint AS "loc_page", (n."value" #>> '{loc,line}')::bigint AS "loc_line",
       (n."value" #> '{loc,bbox}')::text AS "loc_bbox", n."value" #>> '{loc,cell}' AS "loc_cell"
FROM report_documents d
JOIN reports r ON r."report_id" = d."report_id",
     jsonb_array_elements(d."report_json"::jsonb -> 'notes') WITH ORDINALITY AS n("value", "ordinality")
""",
        "stat_code_conflicts": """
SELECT n."stat_code", count(*) AS "name_count", string_agg(n."stat_name", ' | ' ORDER BY n."stat_name") AS "names",
       sum(n."report_count") AS "report_count"
FROM stat_code_names n
GROUP BY n."stat_code"
HAVING count(*) > 1
""",
    },
}


def views(dialect: str) -> dict[str, str]:
    """name → SELECT of every view, for one database (in creation order: a view after those it reads)."""
    own = DIALECT_VIEWS.get(dialect, {})
    return {name: own.get(name, sql) for name, sql in VIEWS.items()}


def view_ddl(name: str, sql: str) -> str:
    return f"CREATE VIEW {q(name)} AS {sql.strip()}"


@contextmanager
def empty_archive() -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(":memory:")
    try:
        for statement in BASE_DDL:
            conn.execute(statement)
        for name, sql in views("sqlite").items():
            conn.execute(view_ddl(name, sql))
        yield conn
    finally:
        conn.close()


def table_ddl(name: str, dialect: str) -> list[str]:
    """CREATE TABLE and CREATE INDEX of one table (one added to an older archive)."""
    d = DIALECTS[dialect]
    t = ALL_TABLES[name]
    return [str(CreateTable(t).compile(dialect=d)).strip()] + \
        [str(CreateIndex(i).compile(dialect=d)).strip() for i in sorted(t.indexes, key=lambda i: i.name)]


def add_column_ddl(table: str, col: Column, dialect: str) -> str:
    """ALTER TABLE … ADD COLUMN for a column an older archive lacks (NOT NULL only with a
    default: the rows already there have no value)."""
    decl = col.type.compile(dialect=DIALECTS[dialect])
    if col.server_default is not None:
        decl += f" DEFAULT {col.server_default.arg.text}"
        if not col.nullable:
            decl += " NOT NULL"
    return f"ALTER TABLE {q(table)} ADD COLUMN {q(col.name)} {decl}"


def views_digest(dialect: str) -> str:
    """A fingerprint of the views' SQL for one database (PostgreSQL rewrites a view's text,
    so the archive records which views it made)."""
    import hashlib

    return hashlib.sha256("\n".join(view_ddl(n, s) for n, s in views(dialect).items()).encode()).hexdigest()
