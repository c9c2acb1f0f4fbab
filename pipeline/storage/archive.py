"""The archive: every report ever ingested, every path it was found under, every file that
could not be read, in tables that read well in the `sqlite3` shell, in Datasette and in psql.
It is a SQLite file (one machine, embedded: the default) or a PostgreSQL database
(`--archive postgresql://user@host:port/db`: shared, many writers at once); one schema
description (schema.py) and one set of statements (statements.py) serve both.

Only this module writes the archive, and only ingesting (main) processes call it. Each file
is committed in its own transaction (WAL journal in SQLite), so a run killed at any moment
leaves a consistent archive that the next run completes. In PostgreSQL any number of runs may
write at once: a report is inserted `ON CONFLICT DO NOTHING` on its content hash (stored once,
whoever is first), and a transaction that loses a deadlock or serialisation conflict to
another writer is run again.

Tables (keys in brackets)

- `meta` [key]: `archive_schema_version`, the pipeline version that created and last wrote it.
- `reports` [report_id = sha256 of the file's bytes, `<sha256>#<place>` for each report of a
  file holding several]: the contract's reports.csv columns,
  plus size, parse time, pipeline version and the number of schema problems.
- `report_documents` [report_id]: each report's full JSON, exactly what `extract` writes.
- `transfers` [report_id, transfer_seq], `budget_lines` [report_id, transfer_seq, line],
  `findings` [report_id, finding_no]: the contract's CSV tables, same column names.
- `sources` [path, sha256]: every path a file was found under, with its size and when it
  was first and last seen; a renamed copy of a report is one report with two sources.
- `failures` [path]: files that could not be archived, with the reason and the stage
  (read, parse, timeout, crash, archive, changed); the sha256 when the bytes could be read.
- `runs` [run_id]: one row per `jeonyong ingest` run, with its counts.

Views: `finding_details`, `report_overview`, `transfer_details`, `source_files`,
`findings_by_check`, `stat_code_names`, `stat_code_conflicts`, `reading_notes`.

Schema changes: `ARCHIVE_SCHEMA_VERSION` is stored in `meta`. Opening an older archive
applies `MIGRATIONS` step by step in one transaction; columns added to the contract tables
(tables.COLUMNS) and tables added to the schema are added to an older archive automatically;
views are recreated. An
archive written by a newer pipeline is refused with a message saying what to do.
"""
from __future__ import annotations

import json
import os
import random
import sqlite3
import time
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from sqlalchemy import Column

from .. import __version__
from . import statements as st
from .database import (BUSY_TIMEOUT, CATALOGUE, POSTGRESQL, RETRYABLE, SQLITE, Compiled, as_dicts, busy, compiled,
                       execute, execute_many, is_url, out_of_space, postgresql_connect, shown_url, sqlite_connect,
                       stream)
from .prepared import PreparedReport, SourceFile, now_iso, prepare_report
from .schema import (ALL_TABLES, ARCHIVE_SCHEMA_VERSION, VIEWS, add_column_ddl, ddl, q, table_ddl,
                     view_ddl, views, views_digest)

WRITE_ATTEMPTS = 30  # a PostgreSQL transaction that lost to another writer is run again this often


# version v → function(conn) that turns a v archive into a v+1 archive. Inside the open
# transaction; must not commit.
Migration = Callable[[object], None]  # the DB-API connection
MIGRATIONS: dict[int, Migration] = {}


class ArchiveError(Exception):
    """An archive that cannot be used; the message says why and what to do."""


class ArchiveFull(ArchiveError):
    """The archive could not be written for want of space; what was committed before is whole."""


# --- opening ---------------------------------------------------------------------------

def database_errors(dialect: str) -> tuple:
    """The exceptions the database driver of an archive raises."""
    if dialect == SQLITE:
        return (sqlite3.Error,)
    import psycopg

    return (psycopg.Error,)


class Archive:
    """An open archive: a SQLite file, or a PostgreSQL database named by its URL
    (`postgresql://user@host:port/db`). Use as a context manager, or call close().

    `readonly`: open it read-only (nothing is ever written, not even a migration), for
    readers such as `export` and `audit --archive`; an archive that needs a migration is
    refused with the command that migrates it."""

    def __init__(self, location, migrations: Optional[dict[int, Migration]] = None, create: bool = True,
                 readonly: bool = False):
        self.dialect = POSTGRESQL if is_url(location) else SQLITE
        self.url = location if self.dialect == POSTGRESQL else None
        self.path = Path(location) if self.dialect == SQLITE else None
        self.name = shown_url(location) if self.url else str(self.path)  # as messages show it
        self.migrations = MIGRATIONS if migrations is None else migrations
        self.readonly = readonly
        self.create = create
        self.migrated: list[str] = []  # what opening changed (for `jeonyong migrate`)
        self.wrote = False
        self.conn = None
        self._pipeline = None  # PostgreSQL: the open transaction's psycopg pipeline
        if self.dialect == SQLITE:
            self._open_file()
        else:
            self._open_server()

    def _open_file(self) -> None:
        readonly, create = self.readonly, self.create
        if not self.path.exists() and (readonly or not create):
            raise ArchiveError(f"{self.path}: no such archive")
        if self.path.exists() and self.path.is_dir():
            raise ArchiveError(f"{self.path}: is a folder, not an archive file")
        if (readonly or not create) and self.path.exists() and self.path.stat().st_size == 0:
            raise ArchiveError(f"{self.path}: empty file, not an archive")
        self.errors = database_errors(SQLITE)
        try:
            if readonly:
                self.conn = sqlite_connect(self.path, readonly=True)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.conn = sqlite_connect(self.path)
            self._open()
        except ArchiveError:
            self.close()
            raise
        except sqlite3.DatabaseError as e:
            self.close()
            if not readonly and isinstance(self._write_error(e), ArchiveFull):
                raise self._write_error(e) from None
            raise ArchiveError(f"{self.path}: not a usable SQLite archive ({e})") from None
        except OSError as e:
            self.close()
            raise ArchiveError(f"{self.path}: cannot open ({e.strerror or e})") from None

    def _open_server(self) -> None:
        try:
            self.errors = database_errors(POSTGRESQL)
        except ImportError as e:
            raise ArchiveError(f"{self.name}: {e}") from None
        try:
            self.conn = postgresql_connect(self.url, readonly=self.readonly)
        except self.errors as e:
            why = " ".join(str(e).split()) or type(e).__name__
            raise ArchiveError(f"{self.name}: cannot connect to the archive's database ({why})") from None
        try:
            self._open()
        except ArchiveError:
            self.close()
            raise
        except self.errors as e:
            self.close()
            error = self._write_error(e)
            if isinstance(error, ArchiveError):
                raise error from None
            why = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise ArchiveError(f"{self.name}: not a usable PostgreSQL archive ({why})") from None

    # context manager
    def __enter__(self) -> "Archive":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        conn = getattr(self, "conn", None)
        if conn is not None:
            if self.wrote and self.dialect == SQLITE:
                try:
                    conn.execute("PRAGMA optimize")
                except sqlite3.Error:
                    pass
            conn.close()
            self.conn = None

    # --- statements (database.py compiles each once for this archive's database) --------

    def _run(self, build, *args, values=()):
        return execute(self.conn, compiled(build, self.dialect, *args), values)

    def _run_many(self, build, rows, *args) -> None:
        execute_many(self.conn, self.dialect, compiled(build, self.dialect, *args), rows)

    def _sync(self) -> None:
        """Wait for the results of the statements sent so far (PostgreSQL's pipeline; in
        SQLite every statement has run already)."""
        if self._pipeline is not None:
            self._pipeline.sync()

    def _catalogue(self, what: str, *params):
        return self.conn.execute(CATALOGUE[self.dialect][what], params)

    # --- schema -------------------------------------------------------------------------

    def _open(self) -> None:
        """Check the archive; create or migrate it when needed. Two processes may open one
        new archive at once: whoever takes the lock first creates (or migrates) it, in one
        transaction, and the other, waiting for the lock, then finds it done."""
        c = self.conn
        if self.dialect == SQLITE:
            c.execute("PRAGMA foreign_keys = ON")
        if self.readonly:
            version = self._check(self._tables())
            if self._needs_upgrade(version):
                raise ArchiveError(
                    f"{self.name}: written by an older jeonyong (archive schema version {version}, columns or views "
                    f"missing); it must be migrated before it can be read: run `jeonyong migrate {self.name}` "
                    "as a user who may write it")
            return
        if self.dialect == SQLITE:
            self._tune()
        tables = self._tables()
        if tables and not self._needs_upgrade(self._check(tables)):
            return  # nothing to do: opening writes nothing
        with self.transaction():
            if self.dialect == POSTGRESQL:
                self._run(st.lock_schema)
            tables = self._tables()  # again, under the lock: another process may have been first
            if not tables:
                if not self.create:
                    raise ArchiveError(f"{self.name}: no jeonyong archive in this database")
                self._create()
            else:
                self._upgrade(self._check(tables))

    def _tables(self) -> set[str]:
        return {r[0] for r in self._catalogue("tables")}

    def _check(self, tables: set[str]) -> int:
        """The schema version of an existing archive, or ArchiveError for a foreign or newer one."""
        if "meta" not in tables:
            raise ArchiveError(f"{self.name}: an {'SQLite' if self.dialect == SQLITE else 'PostgreSQL'} database, "
                               "but not a jeonyong archive (no meta table); choose another --archive")
        version = self.schema_version()
        if version is None:
            raise ArchiveError(f"{self.name}: not a jeonyong archive (no archive_schema_version in meta)")
        if version > ARCHIVE_SCHEMA_VERSION:
            raise ArchiveError(
                f"{self.name}: archive schema version {version} was written by a newer jeonyong "
                f"(this is jeonyong {__version__}, which knows archive versions up to {ARCHIVE_SCHEMA_VERSION}); "
                "upgrade jeonyong (git pull in the clone, then pip install -e .) or use another --archive")
        return version

    def _needs_upgrade(self, version: int) -> bool:
        return (version < ARCHIVE_SCHEMA_VERSION or bool(self._missing_tables()) or bool(self._missing_columns())
                or not self._views_current())

    def _tune(self) -> None:
        # WAL: each file's transaction is durable against a killed process (synchronous
        # NORMAL loses nothing committed unless the machine itself fails), readers never
        # block the writer; checkpoints every ~16 MB rather than every 4 MB. Switching a new
        # file to WAL needs it to itself, and SQLite does not wait for that: retry while
        # another process holds it (it is creating the archive).
        deadline = time.monotonic() + BUSY_TIMEOUT
        while True:
            try:
                self.conn.execute("PRAGMA journal_mode = WAL")
                break
            except sqlite3.OperationalError as e:
                if not busy(e) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        self.conn.execute("PRAGMA synchronous = NORMAL")
        self.conn.execute("PRAGMA wal_autocheckpoint = 4000")

    def _create(self) -> None:
        """The schema of a new archive, inside the caller's transaction."""
        for statement in ddl(self.dialect):
            self.conn.execute(statement)
        self._create_views()
        stamp = now_iso()
        self._run_many(st.set_meta, [
            ("archive_schema_version", str(ARCHIVE_SCHEMA_VERSION)),
            ("created_by", f"jeonyong {__version__}"),
            ("created_at", stamp),
            ("last_written_by", f"jeonyong {__version__}"),
            ("contract_version", "1"),
        ])

    def _upgrade(self, version: int) -> None:
        """Migrate an older archive; add tables and contract columns it lacks; recreate views.
        Inside the caller's transaction: a failed migration leaves the archive as it was."""
        start = version
        while version < ARCHIVE_SCHEMA_VERSION:
            step = self.migrations.get(version)
            if step is None:
                raise ArchiveError(
                    f"{self.name}: archive schema version {version} is too old for jeonyong {__version__} "
                    f"(archive version {ARCHIVE_SCHEMA_VERSION}) and cannot be migrated; ingest the source files "
                    "into a new archive (--archive NEW.sqlite)")
            step(self.conn)
            version += 1
            self._set_meta("archive_schema_version", str(version))
        if version != start:
            self.migrated.append(f"schema version {start} → {version}")
        new_tables = self._missing_tables()
        for name in new_tables:
            for statement in table_ddl(name, self.dialect):
                self.conn.execute(statement)
        if new_tables:
            self.migrated.append(f"tables added: {', '.join(new_tables)}")
        added = self._add_missing_columns()
        if "reports.status" in added:
            self._fill_statuses()
        if added:
            self._set_meta("columns_added", f"{now_iso()}: {', '.join(added)}; run ingest --force to fill them")
            self.migrated.append(f"columns added: {', '.join(added)}")
        if not self._views_current():
            self.migrated.append("views recreated")
        self._create_views()

    def _missing_tables(self) -> list[str]:
        have = self._tables()
        return [name for name in ALL_TABLES if name not in have]

    def _missing_columns(self) -> list[tuple[str, Column]]:
        """(table, column) of the columns the code writes that the archive lacks."""
        missing = []
        have_tables = self._tables()
        for name, table in ALL_TABLES.items():
            if name not in have_tables:
                continue  # a whole new table: _missing_tables
            have = {r[0] for r in self._catalogue("columns", name)}
            missing += [(name, col) for col in table.columns if col.name not in have]
        return missing

    def _add_missing_columns(self) -> list[str]:
        added = []
        for name, col in self._missing_columns():
            self.conn.execute(add_column_ddl(name, col, self.dialect))
            added.append(f"{name}.{col.name}")
        return added

    def _fill_statuses(self) -> None:
        """Reports archived before reports had a status get it from their stored JSON (the
        same rule a fresh parse applies), so that old and new reports count alike."""
        from ..audit import doc_status, doc_unchecked

        rows = self.sql('SELECT d."report_id", d."report_json" FROM report_documents d').fetchall() \
            if self.dialect == POSTGRESQL else self.conn.execute('SELECT "report_id", "report_json" FROM report_documents')
        for rid, text in rows:
            doc = json.loads(text)
            self.sql('UPDATE reports SET "status" = ?, "unchecked" = ? WHERE "report_id" = ?',
                     (doc_status(doc), "\n".join(doc_unchecked(doc)), rid))

    def _views_current(self) -> bool:
        if self.dialect == SQLITE:
            # The views' own SQL, as SQLite keeps it: an archive written by any earlier
            # jeonyong with the same views is current.
            have = {r[0]: r[1] for r in self._catalogue("views")}
            return all(have.get(name) == view_ddl(name, sql) for name, sql in views(SQLITE).items())
        # PostgreSQL keeps a view rewritten: compare what the archive recorded it made.
        have = {r[0] for r in self._catalogue("views")}
        return all(name in have for name in VIEWS) and self.meta().get("views_sha256") == views_digest(self.dialect)

    def _create_views(self) -> None:
        for name in reversed(list(VIEWS)):  # a view before the views it reads
            self.conn.execute(f"DROP VIEW IF EXISTS {q(name)}")
        for name, sql in views(self.dialect).items():
            self.conn.execute(view_ddl(name, sql))
        if self.dialect == POSTGRESQL:
            self._set_meta("views_sha256", views_digest(self.dialect))

    def _set_meta(self, key: str, value: str) -> None:
        self._run(st.set_meta, values=(key, value))

    def schema_version(self) -> Optional[int]:
        value = self.meta().get("archive_schema_version")
        if value is None:
            return None
        try:
            return int(value)
        except ValueError:
            raise ArchiveError(f"{self.name}: unreadable archive_schema_version {value!r} in meta") from None

    def meta(self) -> dict[str, str]:
        return {r[0]: r[1] for r in self._run(st.get_meta)}

    # --- transactions -------------------------------------------------------------------

    class _Tx:
        # In PostgreSQL the transaction is a psycopg pipeline: its statements go to the server
        # together, and only reading a result (or Archive._sync) waits for the server, so
        # BEGIN travels with the first statement and COMMIT with the last.

        def __init__(self, archive: "Archive"):
            self.archive = archive
            self.conn = archive.conn
            self.pipeline = None

        def __enter__(self):
            try:
                if self.archive.dialect == POSTGRESQL:
                    self.pipeline = self.conn.pipeline()
                    self.archive._pipeline = self.pipeline.__enter__()
                self.conn.execute("BEGIN IMMEDIATE" if self.archive.dialect == SQLITE else "BEGIN")
            except self.archive.errors as e:
                self._end_pipeline(e)
                raise self.archive._write_error(e) from None
            return self.conn

        def _end_pipeline(self, exc=None) -> None:
            """Leave pipeline mode: sends what is queued and waits; raises the server's error,
            if any, when nothing else went wrong (else the error already raised stands, and
            psycopg is not left to log the second one)."""
            pipeline, self.pipeline = self.pipeline, None
            self.archive._pipeline = None
            if pipeline is None:
                return
            try:
                pipeline.__exit__(None, None, None)
            except self.archive.errors:
                if exc is None:
                    raise

        def __exit__(self, exc_type, exc, tb):
            if exc_type is None:
                try:
                    self.conn.execute("COMMIT")
                    self._end_pipeline()
                    return False
                except self.archive.errors as e:
                    exc = e
            self._end_pipeline(exc if exc is not None else exc_type)
            # A failed write (a full disk) may have rolled the transaction back already.
            if self.archive._in_transaction():
                try:
                    self.conn.execute("ROLLBACK")
                except self.archive.errors:
                    pass
            if isinstance(exc, self.archive.errors):
                error = self.archive._write_error(exc)
                if error is not exc or exc_type is None:
                    raise error from None
            return False

    def _in_transaction(self) -> bool:
        if self.dialect == SQLITE:
            return self.conn.in_transaction
        from psycopg.pq import TransactionStatus

        return self.conn.info.transaction_status != TransactionStatus.IDLE

    def transaction(self) -> "Archive._Tx":
        if self.readonly:
            raise ArchiveError(f"{self.name}: opened read-only")
        self.wrote = True
        return Archive._Tx(self)

    def _write(self, work: Callable[[], object]):
        """`work()` in one transaction. In PostgreSQL, where many writers may meet, a
        transaction that lost a deadlock or a serialisation conflict to another writer is
        run again (after a short, random wait), so no batch fails because another was busy."""
        for attempt in range(WRITE_ATTEMPTS):
            try:
                with self.transaction():
                    return work()
            except self.errors as e:
                if self.dialect == SQLITE or getattr(e, "sqlstate", None) not in RETRYABLE \
                        or attempt == WRITE_ATTEMPTS - 1:
                    raise
                time.sleep(random.uniform(0, min(2.0, 0.02 * 2 ** attempt)))

    def _write_error(self, e: Exception) -> Exception:
        """The one-line error a failed write of the archive becomes (or `e` itself)."""
        if out_of_space(e, self.path):
            return ArchiveFull(f"{self.name}: the disk is full; cannot write the archive ({e})")
        if (getattr(e, "sqlite_errorcode", 0) or 0) & 0xFF == 8 or getattr(e, "sqlstate", None) == "25006":
            return ArchiveError(f"{self.name}: cannot write the archive: it (or its folder) is read-only for this "
                                "user; `jeonyong export` and `jeonyong audit --archive` read it as it is")
        if getattr(e, "sqlstate", None) in ("42501",):  # insufficient_privilege
            return ArchiveError(f"{self.name}: cannot write the archive: this database user may not ({e})")
        if self.dialect == POSTGRESQL and getattr(e, "sqlstate", None) is None:  # the server is gone
            return ArchiveError(f"{self.name}: lost the connection to the archive's server ({e})")
        return e

    # --- reading ------------------------------------------------------------------------

    def report_ids(self) -> set[str]:
        return {r[0] for r in stream(self.conn, self.dialect, compiled(st.report_ids, self.dialect), size=5000)}

    def archived_hashes(self) -> set[str]:
        """sha256 of every file whose reports are archived (a package's reports share it)."""
        return {rid[:64] for rid in self.report_ids()}

    def failed_hashes(self) -> dict[str, tuple[str, str]]:
        """sha256 → (reason, stage), for files recorded as failed (with a known hash)."""
        return {r[0]: (r[1], r[2]) for r in self._run(st.failed_hashes)}

    def counts(self) -> dict[str, int]:
        return {n: self._run(st.count_rows, n).fetchone()[0] for n in ALL_TABLES if n != "meta"}

    def failures(self, reason: Optional[str] = None, since: Optional[str] = None, stage: Optional[str] = None) -> list[dict]:
        """Files recorded as failed, by path; `reason`: only those whose reason contains this
        text (any case); `since`: last seen on or after this ISO date or time; `stage`: only
        those that failed at this stage (read, parse, timeout, crash, archive, changed)."""
        values = {"reason": (reason or "").lower(), "since": since, "stage": stage}
        return as_dicts(self._run(st.list_failures, bool(reason), bool(since), bool(stage), values=values))

    def source_paths(self) -> list[tuple[str, str]]:
        """(path, sha256) of every path a file was found under, latest seen first."""
        return [(r[0], r[1]) for r in self._run(st.source_paths)]

    def add_reviews(self, rows: Iterable[dict]) -> int:
        """Record auditors' verdicts (dicts of the reviews table's columns), in one
        transaction; what was extracted is never touched. Returns how many."""
        rows = list(rows)
        with self.transaction():
            self._run_many(st.add_review, rows)
        return len(rows)

    def add_corrections(self, rows: Iterable[dict]) -> int:
        """Record archivists' corrections (dicts of the corrections table's columns), in one
        transaction, beside what was extracted (never over it). Returns how many."""
        rows = list(rows)
        with self.transaction():
            self._run_many(st.add_correction, rows)
        return len(rows)

    def sql(self, text: str, args=()):
        """A read-only query of portable SQL written with `?` placeholders (for the overviews'
        aggregates), on either database; a cursor of plain rows."""
        if self.dialect == POSTGRESQL:
            text = text.replace("%", "%%").replace("?", "%s")
        return self.conn.execute(text, tuple(args))

    def stream_sql(self, text: str, args=(), size: int = 500) -> Iterator[tuple]:
        """`sql`, a batch at a time (a server-side cursor in PostgreSQL)."""
        if self.dialect == POSTGRESQL:
            text = text.replace("%", "%%").replace("?", "%s")
        return stream(self.conn, self.dialect, Compiled(text, ()), tuple(args), size=size)

    def iter_rows(self, table: str) -> Iterator[tuple]:
        """The rows of one contract table in COLUMNS order, sorted by source path and keys:
        the order `jeonyong extract --format csv` writes them in."""
        return stream(self.conn, self.dialect, compiled(st.table_rows, self.dialect, table))

    def iter_documents(self, where: str = "", args: Iterable = ()) -> Iterator[dict]:
        """Every report's JSON (or those of the reports `r` meeting `where`, portable SQL with
        `?` placeholders), sorted by source path then report_id; streamed, a batch at a time."""
        if not where:
            rows = stream(self.conn, self.dialect, compiled(st.documents, self.dialect), size=200)
        else:
            order = 'r."source_path" COLLATE "C"' if self.dialect == POSTGRESQL else 'r."source_path"'
            rows = self.stream_sql('SELECT d."report_json" FROM report_documents d JOIN reports r ON r."report_id" = d."report_id" '
                                   f'WHERE {where} ORDER BY {order}, r."report_id"', args, size=200)
        for (text,) in rows:
            yield json.loads(text)

    def summarise(self, hashes: Iterable[str]) -> tuple[dict, int, int, int]:
        """Over the reports with these sha256s: findings by (check, severity), how many
        reports are archived, how many of them have schema problems, how many were not
        fully checked."""
        c = self.conn
        c.execute(st.create_run_inputs(self.dialect))
        self._run(st.clear_run_inputs)
        self._run_many(st.add_run_input, [(h,) for h in hashes])
        findings = {(check, severity): n for check, severity, n in self._run(st.run_findings)}
        total = self._run(st.run_reports, False).fetchone()[0]
        problems = self._run(st.run_reports, True).fetchone()[0]
        unchecked = self._run(st.run_unchecked_reports).fetchone()[0]
        self._run(st.clear_run_inputs)
        return findings, total, problems, unchecked

    # --- writing ------------------------------------------------------------------------

    def add_report(self, report: "PreparedReport | dict", sources: Iterable[SourceFile],
                   size_bytes: Optional[int] = None, replace: bool = False) -> bool:
        """Archive one report (its JSON and its rows in the four tables) and the paths it was
        found under, in one transaction. Returns False when the report was already archived
        (and `replace` is false; or another writer stored it first): then only the sources
        are recorded."""
        return self.add_reports([report], sources, size_bytes, replace) > 0

    def add_reports(self, reports: list, sources: Iterable[SourceFile],
                    size_bytes: Optional[int] = None, replace: bool = False) -> int:
        """Archive the reports of one file (a committee's package holds several) and the
        paths it was found under, all in one transaction; returns how many were new."""
        reports = [prepare_report(r) if isinstance(r, dict) else r for r in reports]
        sources = sorted(sources, key=lambda s: (s.path, s.sha256))  # one order for every writer: no deadlock
        hashes = sorted({r.report_id[:64] for r in reports})

        def work() -> int:
            stamp = now_iso()
            added = 0
            for report in reports:
                rid = report.report_id
                if replace:
                    self._run(st.delete_report, values=(rid,))
                (row,) = report.rows["reports"]
                inserted = self._run(st.insert_report, values=row + (size_bytes, report.schema_error_count, __version__,
                                                                     stamp))
                self._sync()  # PostgreSQL: the row count says whether this writer was first
                if inserted.rowcount == 1:
                    added += 1
                    self._run(st.insert_document, values=(rid, report.json_text))
                    for name in ("transfers", "budget_lines", "findings"):
                        self._run_many(st.insert_rows, report.rows[name], name)
            self._touch_sources(sources, stamp)
            # The file now reads: forget earlier failures of these bytes, and at these paths.
            self._run_many(st.forget_failures_of_bytes, [(h,) for h in hashes])
            self._run_many(st.forget_failures_at_path, [(s.path,) for s in sources])
            return added

        return self._write(work)

    def _touch_sources(self, sources: Iterable[SourceFile], stamp: str) -> None:
        self._run_many(st.touch_source, [(s.path, s.sha256, s.size_bytes, s.modified_at, stamp, stamp)
                                         for s in sources])

    def touch_sources(self, sources: Iterable[SourceFile]) -> None:
        """Record paths of files already archived (one transaction)."""
        sources = sorted(sources, key=lambda s: (s.path, s.sha256))
        self._write(lambda: self._touch_sources(sources, now_iso()))

    def add_failure(self, path: str, reason: str, stage: str, sha256: Optional[str] = None,
                    size_bytes: Optional[int] = None, source: Optional[SourceFile] = None) -> None:
        """Record that the file at `path` (with these bytes, when known) could not be archived;
        `source`, when given, is recorded in `sources` too. One row per path: what the file
        there was last found to be."""
        def work() -> None:
            stamp = now_iso()
            self._run(st.forget_other_failures_at_path, values=(path, sha256 or ""))
            self._run(st.record_failure, values=(path, sha256, size_bytes, stage, reason, __version__, stamp, stamp))
            if sha256 is not None and source is not None:
                self._touch_sources([source], stamp)

        self._write(work)

    def note_known_failure(self, sources: Iterable[SourceFile], reason: str, stage: str) -> None:
        """Files whose bytes failed before and are not tried again: record any new path
        (a renamed copy) with the earlier reason, and the sources' last_seen."""
        sources = sorted(sources, key=lambda s: (s.path, s.sha256))

        def work() -> None:
            stamp = now_iso()
            for s in sources:
                self._run(st.forget_other_failures_at_path, values=(s.path, s.sha256))
                self._run(st.record_failure_once, values=(s.path, s.sha256, s.size_bytes, stage, reason, __version__,
                                                          stamp, stamp))
            self._touch_sources(sources, stamp)

        self._write(work)

    def start_run(self, inputs: list[str]) -> int:
        def work() -> int:
            self._set_meta("last_written_by", f"jeonyong {__version__}")
            return self._run(st.start_run, values=(now_iso(), __version__, json.dumps(inputs, ensure_ascii=False),
                                                   "running")).fetchone()[0]

        return self._write(work)

    def finish_run(self, run_id: int, status: str, **counts) -> None:
        values = {"finished_at": now_iso(), "status": status, "run_id": run_id,
                  **{k: counts.get(k) for k in ("files_found", "ingested", "skipped", "failed")}}
        self._write(lambda: self._run(st.finish_run, values=values))


def open_archive(path, create: bool = True) -> Archive:
    return Archive(os.fspath(path), create=create)


def iter_report_docs(path) -> Iterator[dict]:
    """Every report JSON in the archive at `path`, sorted by source path (for readers such
    as `jeonyong audit --archive`); read-only. Raises ArchiveError for a missing or foreign file."""
    with Archive(os.fspath(path), readonly=True) as archive:
        yield from archive.iter_documents()
