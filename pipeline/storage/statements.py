"""Every statement the archive runs, written once as SQLAlchemy Core over the schema's tables;
database.compiled() turns each into SQL for SQLite or PostgreSQL. Each builder takes the
database's name first (for `INSERT … ON CONFLICT`, which each database spells through its own
SQLAlchemy dialect, with one API)."""
from __future__ import annotations

from sqlalchemy import (Column, MetaData, Table, bindparam, delete, func, insert, literal_column, select,
                        update)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.schema import CreateTable

from ..tables import COLUMNS
from .schema import (ALL_TABLES, DIALECTS, KEYS, TEXT, corrections, failures, findings, meta, report_documents, reports, reviews, runs,
                     sources)

REPORT_EXTRA = ("size_bytes", "schema_error_count", "pipeline_version", "parsed_at")

_INSERT = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}

# The sha256 of every input of one run, for the run's summary (a temporary table: each
# connection has its own).
RUN_INPUTS = Table("run_inputs", MetaData(), Column("sha256", TEXT, primary_key=True), prefixes=["TEMPORARY"])


def _binds(table: Table, names) -> dict:
    return {n: bindparam(n, type_=table.c[n].type) for n in names}


def insert_rows(dialect: str, table: str, extra: tuple = ()):
    """A contract table's row (its COLUMNS, then `extra`), in that order."""
    t = ALL_TABLES[table]
    return insert(t).values(_binds(t, list(COLUMNS[table]) + list(extra)))


def insert_report(dialect: str):
    """A report's row, unless the report is there already (another writer may have stored it
    a moment ago: then nothing happens, and the rowcount says so)."""
    return (_INSERT[dialect](reports).values(_binds(reports, list(COLUMNS["reports"]) + list(REPORT_EXTRA)))
            .on_conflict_do_nothing(index_elements=KEYS["reports"]))


def insert_document(dialect: str):
    return insert(report_documents).values(_binds(report_documents, ["report_id", "report_json"]))


def delete_report(dialect: str):
    return delete(reports).where(reports.c.report_id == bindparam("report_id"))


def touch_source(dialect: str):
    ins = _INSERT[dialect](sources).values(_binds(sources, [c.name for c in sources.c]))
    return ins.on_conflict_do_update(index_elements=["path", "sha256"], set_={
        "last_seen": ins.excluded.last_seen, "size_bytes": ins.excluded.size_bytes,
        "modified_at": ins.excluded.modified_at})


def forget_failures_of_bytes(dialect: str):
    return delete(failures).where(failures.c.sha256 == bindparam("sha256"))


def forget_failures_at_path(dialect: str):
    return delete(failures).where(failures.c.path == bindparam("path"))


def forget_other_failures_at_path(dialect: str):
    """An earlier failure at this path of other bytes (or of unread ones)."""
    return delete(failures).where(failures.c.path == bindparam("path"),
                                  func.coalesce(failures.c.sha256, literal_column("''")) != bindparam("sha256", type_=TEXT))


_FAILURE_COLUMNS = ["path", "sha256", "size_bytes", "stage", "reason", "pipeline_version", "first_seen", "last_seen"]


def record_failure(dialect: str):
    ins = _INSERT[dialect](failures).values(_binds(failures, _FAILURE_COLUMNS))
    return ins.on_conflict_do_update(index_elements=["path"], set_={
        "reason": ins.excluded.reason, "stage": ins.excluded.stage, "size_bytes": ins.excluded.size_bytes,
        "pipeline_version": ins.excluded.pipeline_version, "attempts": failures.c.attempts + literal_column("1"),
        "last_seen": ins.excluded.last_seen})


def record_failure_once(dialect: str):
    return _INSERT[dialect](failures).values(_binds(failures, _FAILURE_COLUMNS)).on_conflict_do_nothing(
        index_elements=["path"])


def set_meta(dialect: str):
    ins = _INSERT[dialect](meta).values(_binds(meta, ["key", "value"]))
    return ins.on_conflict_do_update(index_elements=["key"], set_={"value": ins.excluded.value})


def get_meta(dialect: str):
    return select(meta.c.key, meta.c.value)


def start_run(dialect: str):
    return insert(runs).values(_binds(runs, ["started_at", "pipeline_version", "inputs", "status"])).returning(runs.c.run_id)


def finish_run(dialect: str):
    names = ["finished_at", "status", "files_found", "ingested", "skipped", "failed"]
    return update(runs).where(runs.c.run_id == bindparam("run_id")).values(_binds(runs, names))


def report_ids(dialect: str):
    return select(reports.c.report_id)


def failed_hashes(dialect: str):
    return (select(failures.c.sha256, failures.c.reason, failures.c.stage).where(failures.c.sha256.is_not(None))
            .order_by(failures.c.last_seen, failures.c.failure_id))


def count_rows(dialect: str, table: str):
    return select(func.count()).select_from(ALL_TABLES[table])


def list_failures(dialect: str, by_reason: bool = False, since: bool = False, by_stage: bool = False):
    """Failed files by path; narrowed by a part of the reason (lower case; any case matches),
    by when they were last seen, by stage."""
    q = select(failures)
    if by_reason:
        q = q.where(func.lower(failures.c.reason).contains(bindparam("reason", type_=TEXT)))
    if since:
        q = q.where(failures.c.last_seen >= bindparam("since", type_=TEXT))
    if by_stage:
        q = q.where(failures.c.stage == bindparam("stage", type_=TEXT))
    return q.order_by(_by_path(dialect, failures.c.path), failures.c.sha256)


def source_paths(dialect: str):
    return select(sources.c.path, sources.c.sha256).order_by(sources.c.last_seen.desc())


def _by_path(dialect: str, column):
    """Paths sorted by their bytes (code points), as SQLite sorts them, whatever the
    PostgreSQL database's locale: an export is the same bytes from either archive."""
    return column.collate("C") if dialect == "postgresql" else column


def table_rows(dialect: str, table: str):
    """A contract table's rows in COLUMNS order, sorted by source path and keys: the order
    `jeonyong extract --format csv` writes them in."""
    x = ALL_TABLES[table].alias("x")
    r = reports.alias("r")
    keys = [x.c[k] for k in KEYS[table][1:]]
    return (select(*[x.c[c] for c in COLUMNS[table]]).join_from(x, r, r.c.report_id == x.c.report_id)
            .order_by(_by_path(dialect, r.c.source_path), r.c.report_id, *keys))


def documents(dialect: str):
    d = report_documents.alias("d")
    r = reports.alias("r")
    return (select(d.c.report_json).join_from(d, r, r.c.report_id == d.c.report_id)
            .order_by(_by_path(dialect, r.c.source_path), r.c.report_id))


def create_run_inputs(dialect: str) -> str:
    return str(CreateTable(RUN_INPUTS, if_not_exists=True).compile(dialect=DIALECTS[dialect])).strip()


def add_run_input(dialect: str):
    return insert(RUN_INPUTS).values(sha256=bindparam("sha256", type_=TEXT))


def clear_run_inputs(dialect: str):
    return delete(RUN_INPUTS)


def _file_of(report_id):
    """The sha256 of the file a report was read from: its id's first 64 characters (a
    committee's package gives its reports `<sha256>#2` …)."""
    return func.substr(report_id, 1, 64)


def run_findings(dialect: str):
    return (select(findings.c.check, findings.c.severity, func.count())
            .join_from(findings, RUN_INPUTS, RUN_INPUTS.c.sha256 == _file_of(findings.c.report_id))
            .group_by(findings.c.check, findings.c.severity))


def run_reports(dialect: str, with_schema_problems: bool):
    q = select(func.count()).select_from(reports).join(RUN_INPUTS, RUN_INPUTS.c.sha256 == _file_of(reports.c.report_id))
    return q.where(reports.c.schema_error_count > literal_column("0")) if with_schema_problems else q


def run_unchecked_reports(dialect: str):
    """Reports among the run's inputs of which a table or figure could not be read."""
    return (select(func.count()).select_from(reports).join(RUN_INPUTS, RUN_INPUTS.c.sha256 == _file_of(reports.c.report_id))
            .where(func.coalesce(reports.c.unchecked, literal_column("''")) != literal_column("''")))


def add_review(dialect: str):
    return insert(reviews).values(_binds(reviews, ["report_id", "finding_key", "finding_no", "verdict", "note",
                                                   "reviewer", "reviewed_at"]))


def add_correction(dialect: str):
    return insert(corrections).values(_binds(corrections, ["report_id", "transfer_seq", "line", "field", "value",
                                                           "reason", "corrected_by", "corrected_at"]))


def lock_schema(dialect: str):
    """PostgreSQL: one writer at a time creates or migrates the archive (a lock held to the
    end of the transaction); SQLite's BEGIN IMMEDIATE already does this."""
    return select(func.pg_advisory_xact_lock(literal_column("7301813110")))
