"""The SQLite archive: every report ever ingested, every path it was found under, every file
that could not be read, in tables that read well in the `sqlite3` shell and in Datasette.

One writer, one module: only this module writes the archive, and only the ingesting (main)
process calls it. Each file is committed in its own transaction (WAL journal), so a run
killed at any moment leaves a consistent archive that the next run completes.

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
`findings_by_check`, `stat_code_names`, `stat_code_conflicts`.

Schema changes: `ARCHIVE_SCHEMA_VERSION` is stored in `meta`. Opening an older archive
applies `MIGRATIONS` step by step in one transaction; columns added to the contract tables
(tables.COLUMNS) are added to an older archive automatically; views are recreated. An
archive written by a newer pipeline is refused with a message saying what to do.
"""
from __future__ import annotations

import functools
import json
import os
import shutil
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from .. import __version__
from ..records import report_id_of
from ..tables import COLUMNS, TABLES, report_rows
from .schema import ARCHIVE_SCHEMA_VERSION, BASE_DDL, COLUMN_TYPES, EXTRA_COLUMNS, KEYS, TEXT_TYPE, VIEWS, q


# version v → function(conn) that turns a v archive into a v+1 archive. Inside the open
# transaction; must not commit.
Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: dict[int, Migration] = {}


class ArchiveError(Exception):
    """An archive that cannot be used; the message says why and what to do."""


class ArchiveFull(ArchiveError):
    """The archive could not be written for want of space; what was committed before is whole."""


@dataclass(frozen=True)
class SourceFile:
    """One path a file was found under."""

    path: str
    sha256: str
    size_bytes: Optional[int] = None
    modified_at: Optional[str] = None


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")



# --- opening ---------------------------------------------------------------------------

BUSY_TIMEOUT = 60.0  # seconds a writer waits for another writer's transaction


def _connect(path: Path, readonly: bool = False) -> sqlite3.Connection:
    if readonly:
        # Opened read-only (a `mode=ro` URI): nothing is written, so a file without write
        # permission, or on a read-only share, reads. In a folder that cannot be written
        # either, SQLite (3.22 and later) reads a WAL archive without creating its -shm
        # index file, keeping the index in memory, and still sees changes left in a -wal
        # file; `immutable=1`, which would skip the -wal file, is therefore never needed.
        uri = path.resolve().as_uri() + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT, isolation_level=None)
    else:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT, isolation_level=None)  # explicit transactions
    conn.row_factory = sqlite3.Row
    return conn


def _user_tables(conn) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}


def _busy(e: sqlite3.Error) -> bool:
    return getattr(e, "sqlite_errorcode", None) in (5, 6) or "locked" in str(e)  # SQLITE_BUSY, SQLITE_LOCKED


def out_of_space(e: BaseException, path: Path) -> bool:
    """Whether a failed write of the archive at `path` failed for want of space. SQLite says
    SQLITE_FULL when the disk is full, but a plain I/O error when a file may not grow (a
    file size limit, some file systems): then the disk and the limit are looked at."""
    code = getattr(e, "sqlite_errorcode", None)
    if code == 13:  # SQLITE_FULL
        return True
    if code is None or code & 0xFF != 10:  # not an SQLITE_IOERR_*
        return False
    try:
        if shutil.disk_usage(path.parent).free < 64 * 1024 * 1024:
            return True
    except OSError:
        pass
    try:
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_FSIZE)
    except (ImportError, OSError, ValueError):
        return False
    if soft == resource.RLIM_INFINITY:
        return False
    sizes = []
    for suffix in ("", "-wal", "-journal"):
        try:
            sizes.append(os.path.getsize(str(path) + suffix))
        except OSError:
            pass
    return any(size + 1024 * 1024 >= soft for size in sizes)


class Archive:
    """An open archive. Use as a context manager, or call close().

    `readonly`: open the file read-only (nothing is ever written, not even a migration), for
    readers such as `export` and `audit --archive`; an archive that needs a migration is
    refused with the command that migrates it."""

    def __init__(self, path, migrations: Optional[dict[int, Migration]] = None, create: bool = True,
                 readonly: bool = False):
        self.path = Path(path)
        self.migrations = MIGRATIONS if migrations is None else migrations
        self.readonly = readonly
        self.migrated: list[str] = []  # what opening changed (for `jeonyong migrate`)
        if not self.path.exists() and (readonly or not create):
            raise ArchiveError(f"{self.path}: no such archive")
        if self.path.exists() and self.path.is_dir():
            raise ArchiveError(f"{self.path}: is a folder, not an archive file")
        if (readonly or not create) and self.path.exists() and self.path.stat().st_size == 0:
            raise ArchiveError(f"{self.path}: empty file, not an archive")
        try:
            if readonly:
                self.conn = _connect(self.path, readonly=True)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.conn = _connect(self.path)
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

    # context manager
    def __enter__(self) -> "Archive":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        conn = getattr(self, "conn", None)
        if conn is not None:
            if getattr(self, "wrote", False):
                try:
                    conn.execute("PRAGMA optimize")
                except sqlite3.Error:
                    pass
            conn.close()
            self.conn = None

    def _open(self) -> None:
        """Check the archive; create or migrate it when needed. Two processes may open one
        new archive at once: whoever takes the write lock first creates (or migrates) it, in
        one transaction, and the other, waiting for the lock, then finds it done."""
        c = self.conn
        c.execute("PRAGMA foreign_keys = ON")
        if self.readonly:
            version = self._check(_user_tables(c))
            if self._needs_upgrade(version):
                raise ArchiveError(
                    f"{self.path}: written by an older jeonyong (archive schema version {version}, columns or views "
                    f"missing); it must be migrated before it can be read: run `jeonyong migrate {self.path}` "
                    "as a user who may write it")
            return
        self._tune()
        tables = _user_tables(c)
        if tables and not self._needs_upgrade(self._check(tables)):
            return  # nothing to do: opening writes nothing
        with self.transaction():
            tables = _user_tables(c)  # again, under the lock: another process may have been first
            if not tables:
                self._create()
            else:
                self._upgrade(self._check(tables))

    def _check(self, tables: set[str]) -> int:
        """The schema version of an existing archive, or ArchiveError for a foreign or newer file."""
        if "meta" not in tables:
            raise ArchiveError(f"{self.path}: an SQLite database, but not a jeonyong archive (no meta table); "
                               "choose another --archive file")
        version = self.schema_version()
        if version is None:
            raise ArchiveError(f"{self.path}: not a jeonyong archive (no archive_schema_version in meta)")
        if version > ARCHIVE_SCHEMA_VERSION:
            raise ArchiveError(
                f"{self.path}: archive schema version {version} was written by a newer jeonyong "
                f"(this is jeonyong {__version__}, which knows archive versions up to {ARCHIVE_SCHEMA_VERSION}); "
                "upgrade jeonyong (pip install -U jeonyong) or use another --archive file")
        return version

    def _needs_upgrade(self, version: int) -> bool:
        return version < ARCHIVE_SCHEMA_VERSION or bool(self._missing_columns()) or not self._views_current()

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
                if not _busy(e) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        self.conn.execute("PRAGMA synchronous = NORMAL")
        self.conn.execute("PRAGMA wal_autocheckpoint = 4000")

    def _create(self) -> None:
        """The schema of a new archive, inside the caller's transaction."""
        c = self.conn
        for ddl in BASE_DDL:
            c.execute(ddl)
        self._create_views()
        stamp = now_iso()
        c.executemany('INSERT INTO meta ("key", "value") VALUES (?, ?)', [
            ("archive_schema_version", str(ARCHIVE_SCHEMA_VERSION)),
            ("created_by", f"jeonyong {__version__}"),
            ("created_at", stamp),
            ("last_written_by", f"jeonyong {__version__}"),
            ("contract_version", "1"),
        ])

    def _upgrade(self, version: int) -> None:
        """Migrate an older archive; add contract columns it lacks; recreate views. Inside the
        caller's transaction: a failed migration leaves the archive as it was."""
        c = self.conn
        start = version
        while version < ARCHIVE_SCHEMA_VERSION:
            step = self.migrations.get(version)
            if step is None:
                raise ArchiveError(
                    f"{self.path}: archive schema version {version} is too old for jeonyong {__version__} "
                    f"(archive version {ARCHIVE_SCHEMA_VERSION}) and cannot be migrated; ingest the source files "
                    "into a new archive (--archive NEW.sqlite)")
            step(c)
            version += 1
            self._set_meta("archive_schema_version", str(version))
        if version != start:
            self.migrated.append(f"schema version {start} → {version}")
        added = self._add_missing_columns()
        if added:
            self._set_meta("columns_added", f"{now_iso()}: {', '.join(added)}; run ingest --force to fill them")
            self.migrated.append(f"columns added: {', '.join(added)}")
        if not self._views_current():
            self.migrated.append("views recreated")
        self._create_views()

    def _missing_columns(self) -> list[tuple[str, str, str]]:
        """(table, column, declaration) of the columns the code writes that the archive lacks."""
        missing = []
        for name in TABLES:
            have = {r["name"] for r in self.conn.execute(f"PRAGMA table_info({q(name)})")}
            want = [(col, COLUMN_TYPES.get(col, TEXT_TYPE)) for col in COLUMNS[name]] + EXTRA_COLUMNS.get(name, [])
            missing += [(name, col, decl) for col, decl in want if col not in have]
        return missing

    def _add_missing_columns(self) -> list[str]:
        added = []
        for name, col, decl in self._missing_columns():
            decl = decl.replace(" NOT NULL", "") if "DEFAULT" not in decl else decl
            self.conn.execute(f"ALTER TABLE {q(name)} ADD COLUMN {q(col)} {decl}")
            added.append(f"{name}.{col}")
        return added

    def _views_current(self) -> bool:
        have = {r[0]: r[1] for r in self.conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'view'")}
        return all(have.get(name) == f"CREATE VIEW {q(name)} AS {sql.strip()}" for name, sql in VIEWS.items())

    def _create_views(self) -> None:
        for name in VIEWS:
            self.conn.execute(f"DROP VIEW IF EXISTS {q(name)}")
        for name, sql in VIEWS.items():
            self.conn.execute(f"CREATE VIEW {q(name)} AS {sql.strip()}")

    def _set_meta(self, key: str, value: str) -> None:
        self.conn.execute('INSERT INTO meta ("key", "value") VALUES (?, ?) '
                          'ON CONFLICT ("key") DO UPDATE SET "value" = excluded."value"', (key, value))

    def schema_version(self) -> Optional[int]:
        row = self.conn.execute('SELECT "value" FROM meta WHERE "key" = \'archive_schema_version\'').fetchone()
        if row is None:
            return None
        try:
            return int(row[0])
        except ValueError:
            raise ArchiveError(f"{self.path}: unreadable archive_schema_version {row[0]!r} in meta") from None

    def meta(self) -> dict[str, str]:
        return {r[0]: r[1] for r in self.conn.execute('SELECT "key", "value" FROM meta')}

    # --- transactions -------------------------------------------------------------------

    class _Tx:
        def __init__(self, archive: "Archive"):
            self.archive = archive
            self.conn = archive.conn

        def __enter__(self):
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as e:
                raise self.archive._write_error(e) from None
            return self.conn

        def __exit__(self, exc_type, exc, tb):
            if exc_type is None:
                try:
                    self.conn.execute("COMMIT")
                    return False
                except sqlite3.Error as e:
                    exc = e
            # A failed write (a full disk) may have rolled the transaction back already.
            if self.conn.in_transaction:
                try:
                    self.conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
            if isinstance(exc, sqlite3.Error):
                error = self.archive._write_error(exc)
                if error is not exc or exc_type is None:
                    raise error from None
            return False

    def transaction(self) -> "Archive._Tx":
        if self.readonly:
            raise ArchiveError(f"{self.path}: opened read-only")
        self.wrote = True
        return Archive._Tx(self)

    def _write_error(self, e: sqlite3.Error) -> Exception:
        """The one-line error a failed write of the archive becomes (or `e` itself)."""
        if out_of_space(e, self.path):
            return ArchiveFull(f"{self.path}: the disk is full; cannot write the archive ({e})")
        if (getattr(e, "sqlite_errorcode", 0) or 0) & 0xFF == 8:  # SQLITE_READONLY_*
            return ArchiveError(f"{self.path}: cannot write the archive: it (or its folder) is read-only for this "
                                "user; `jeonyong export` and `jeonyong audit --archive` read it as it is")
        return e

    # --- reading ------------------------------------------------------------------------

    def report_ids(self) -> set[str]:
        return {r[0] for r in self.conn.execute('SELECT "report_id" FROM reports')}

    def archived_hashes(self) -> set[str]:
        """sha256 of every file whose reports are archived (a package's reports share it)."""
        return {rid[:64] for rid in self.report_ids()}

    def failed_hashes(self) -> dict[str, tuple[str, str]]:
        """sha256 → (reason, stage), for files recorded as failed (with a known hash)."""
        return {r[0]: (r[1], r[2]) for r in self.conn.execute(
            'SELECT "sha256", "reason", "stage" FROM failures WHERE "sha256" IS NOT NULL ORDER BY "last_seen", "failure_id"')}

    def counts(self) -> dict[str, int]:
        names = list(TABLES) + ["report_documents", "sources", "failures", "runs"]
        return {n: self.conn.execute(f"SELECT count(*) FROM {q(n)}").fetchone()[0] for n in names}

    def failures(self) -> list[dict]:
        return [dict(r) for r in self.conn.execute('SELECT * FROM failures ORDER BY "path", "sha256"')]

    def iter_rows(self, table: str) -> Iterator[tuple]:
        """The rows of one contract table in COLUMNS order, sorted by source path and keys:
        the order `jeonyong extract --format csv` writes them in."""
        cols = ", ".join(f"x.{q(c)}" for c in COLUMNS[table])
        keys = ", ".join(f"x.{q(k)}" for k in KEYS[table][1:])
        order = 'r."source_path", r."report_id"' + (f", {keys}" if keys else "")
        sql = (f"SELECT {cols} FROM {q(table)} x JOIN reports r ON r.\"report_id\" = x.\"report_id\" "
               f"ORDER BY {order}")
        cur = self.conn.execute(sql)
        cur.row_factory = None
        while True:
            batch = cur.fetchmany(500)
            if not batch:
                return
            yield from batch

    def iter_documents(self) -> Iterator[dict]:
        """Every report's JSON, sorted by source path then report_id."""
        cur = self.conn.execute(
            'SELECT d."report_json" FROM report_documents d JOIN reports r ON r."report_id" = d."report_id" '
            'ORDER BY r."source_path", r."report_id"')
        cur.row_factory = None
        while True:
            batch = cur.fetchmany(200)
            if not batch:
                return
            for (text,) in batch:
                yield json.loads(text)

    # --- writing ------------------------------------------------------------------------

    def add_report(self, report: "PreparedReport | dict", sources: Iterable[SourceFile],
                   size_bytes: Optional[int] = None, replace: bool = False) -> bool:
        """Archive one report (its JSON and its rows in the four tables) and the paths it was
        found under, in one transaction. Returns False when the report was already archived
        (and `replace` is false): then only the sources are recorded."""
        return self.add_reports([report], sources, size_bytes, replace) > 0

    def add_reports(self, reports: list, sources: Iterable[SourceFile],
                    size_bytes: Optional[int] = None, replace: bool = False) -> int:
        """Archive the reports of one file (a committee's package holds several) and the
        paths it was found under, all in one transaction; returns how many were new."""
        reports = [prepare_report(r) if isinstance(r, dict) else r for r in reports]
        sources = list(sources)
        stamp = now_iso()
        c = self.conn
        added = 0
        with self.transaction():
            if replace:  # the file's reports as read now replace all those read before
                for sha in sorted({r.report_id[:64] for r in reports}):
                    c.execute('DELETE FROM reports WHERE "report_id" = ? OR "report_id" LIKE ?', (sha, sha + "#%"))
            for report in reports:
                added += self._insert_report(report, size_bytes, stamp)
            self._touch_sources(sources, stamp)
            # The file now reads: forget earlier failures of these bytes, and at these paths.
            c.executemany('DELETE FROM failures WHERE "sha256" = ?', sorted({(r.report_id[:64],) for r in reports}))
            c.executemany('DELETE FROM failures WHERE "path" = ?', [(s.path,) for s in sources])
        return added

    def _insert_report(self, report: "PreparedReport", size_bytes: Optional[int], stamp: str) -> bool:
        rid = report.report_id
        c = self.conn
        if c.execute('SELECT 1 FROM reports WHERE "report_id" = ?', (rid,)).fetchone():
            return False
        (row,) = report.rows["reports"]
        c.execute(_insert_sql("reports", _REPORT_EXTRA), row + (size_bytes, report.schema_error_count, __version__, stamp))
        c.execute('INSERT INTO report_documents ("report_id", "report_json") VALUES (?, ?)', (rid, report.json_text))
        for name in ("transfers", "budget_lines", "findings"):
            if report.rows[name]:
                c.executemany(_insert_sql(name), report.rows[name])
        return True

    def _touch_sources(self, sources: Iterable[SourceFile], stamp: str) -> None:
        self.conn.executemany(
            'INSERT INTO sources ("path", "sha256", "size_bytes", "modified_at", "first_seen", "last_seen") '
            'VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT ("path", "sha256") DO UPDATE SET '
            '"last_seen" = excluded."last_seen", "size_bytes" = excluded."size_bytes", '
            '"modified_at" = excluded."modified_at"',
            [(s.path, s.sha256, s.size_bytes, s.modified_at, stamp, stamp) for s in sources])

    def touch_sources(self, sources: Iterable[SourceFile]) -> None:
        """Record paths of files already archived (one transaction)."""
        with self.transaction():
            self._touch_sources(list(sources), now_iso())

    def add_failure(self, path: str, reason: str, stage: str, sha256: Optional[str] = None,
                    size_bytes: Optional[int] = None, source: Optional[SourceFile] = None) -> None:
        """Record that the file at `path` (with these bytes, when known) could not be archived;
        `source`, when given, is recorded in `sources` too. One row per path: what the file
        there was last found to be."""
        stamp = now_iso()
        c = self.conn
        with self.transaction():
            c.execute('DELETE FROM failures WHERE "path" = ? AND ifnull("sha256", \'\') <> ?', (path, sha256 or ""))
            c.execute('INSERT INTO failures ("path", "sha256", "size_bytes", "stage", "reason", "pipeline_version", '
                      '"first_seen", "last_seen") VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT ("path") DO UPDATE SET '
                      '"reason" = excluded."reason", "stage" = excluded."stage", "size_bytes" = excluded."size_bytes", '
                      '"pipeline_version" = excluded."pipeline_version", "attempts" = "attempts" + 1, '
                      '"last_seen" = excluded."last_seen"',
                      (path, sha256, size_bytes, stage, reason, __version__, stamp, stamp))
            if sha256 is not None and source is not None:
                self._touch_sources([source], stamp)

    def note_known_failure(self, sources: Iterable[SourceFile], reason: str, stage: str) -> None:
        """Files whose bytes failed before and are not tried again: record any new path
        (a renamed copy) with the earlier reason, and the sources' last_seen."""
        stamp = now_iso()
        sources = list(sources)
        c = self.conn
        with self.transaction():
            for s in sources:
                c.execute('DELETE FROM failures WHERE "path" = ? AND ifnull("sha256", \'\') <> ?', (s.path, s.sha256))
                c.execute('INSERT INTO failures ("path", "sha256", "size_bytes", "stage", "reason", "pipeline_version", '
                          '"first_seen", "last_seen") VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT ("path") DO NOTHING',
                          (s.path, s.sha256, s.size_bytes, stage, reason, __version__, stamp, stamp))
            self._touch_sources(sources, stamp)

    def start_run(self, inputs: list[str]) -> int:
        with self.transaction():
            self._set_meta("last_written_by", f"jeonyong {__version__}")
            cur = self.conn.execute('INSERT INTO runs ("started_at", "pipeline_version", "inputs", "status") '
                                    "VALUES (?, ?, ?, 'running')", (now_iso(), __version__, json.dumps(inputs, ensure_ascii=False)))
            return cur.lastrowid

    def finish_run(self, run_id: int, status: str, **counts) -> None:
        with self.transaction():
            self.conn.execute(
                'UPDATE runs SET "finished_at" = ?, "status" = ?, "files_found" = ?, "ingested" = ?, "skipped" = ?, '
                '"failed" = ? WHERE "run_id" = ?',
                (now_iso(), status, counts.get("files_found"), counts.get("ingested"), counts.get("skipped"),
                 counts.get("failed"), run_id))


# --- preparing a report (in the worker that parsed it) --------------------------------------

_REPORT_EXTRA = ("size_bytes", "schema_error_count", "pipeline_version", "parsed_at")


@functools.lru_cache(maxsize=None)
def _insert_sql(table: str, extra: tuple = ()) -> str:
    cols = list(COLUMNS[table]) + list(extra)
    return f"INSERT INTO {q(table)} ({', '.join(q(c) for c in cols)}) VALUES ({', '.join('?' * len(cols))})"


@dataclass(frozen=True)
class PreparedReport:
    """A report ready to archive: its JSON text and its rows (tuples in COLUMNS order).
    Made by the worker that parsed the report, so the archiving process only inserts."""

    report_id: str
    source_path: str
    json_text: str
    rows: dict
    schema_error_count: int


def prepare_report(doc: dict) -> PreparedReport:
    rows = report_rows(doc)
    return PreparedReport(
        report_id=report_id_of(doc),
        source_path=doc["source"]["path"],
        json_text=json.dumps(doc, ensure_ascii=False),
        rows={name: [tuple(r.get(c) for c in COLUMNS[name]) for r in rows[name]] for name in TABLES},
        schema_error_count=len(doc.get("schema_errors") or []),
    )




def open_archive(path, create: bool = True) -> Archive:
    return Archive(os.fspath(path), create=create)


def iter_report_docs(path) -> Iterator[dict]:
    """Every report JSON in the archive at `path`, sorted by source path (for readers such
    as `jeonyong audit --archive`); read-only. Raises ArchiveError for a missing or foreign file."""
    with Archive(os.fspath(path), readonly=True) as archive:
        yield from archive.iter_documents()
