"""The two databases an archive can live in, and what differs between them below the
statements: connecting (a SQLite file, read-only where asked, or a PostgreSQL URL through
psycopg 3), reading the catalogue (tables, columns), and running a statement compiled from the
schema's SQLAlchemy Core description for that database.

Statements are SQLAlchemy Core, written once (archive.py); each is compiled once per
database to its SQL text and parameter order, then run on the plain DB-API connection, so
the archive keeps its own transactions (BEGIN IMMEDIATE in SQLite) and its own errors."""
from __future__ import annotations

import functools
import itertools
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Optional
from urllib.parse import urlsplit, urlunsplit

from .schema import DIALECTS

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
URL_SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")

BUSY_TIMEOUT = 60.0  # seconds a SQLite writer waits for another writer's transaction
CONNECT_TIMEOUT = 20  # seconds to reach a PostgreSQL server
RETRYABLE = {"40001", "40P01"}  # PostgreSQL: serialization failure, deadlock detected: run the transaction again


def is_url(location) -> bool:
    """Whether an --archive value names a PostgreSQL database rather than a SQLite file."""
    return isinstance(location, str) and location.startswith(URL_SCHEMES)


def shown_url(url: str) -> str:
    """The URL as it may be printed: without its password."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    return urlunsplit(parts._replace(netloc=netloc[0].split(":", 1)[0] + ":***@" + netloc[1]))


def libpq_url(url: str) -> str:
    return "postgresql://" + url.split("://", 1)[1]


# --- SQLite -----------------------------------------------------------------------------

def readonly_medium(path: Path) -> bool:
    """Whether the file system holding `path` is mounted read-only (a DVD, a read-only share)."""
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):
        return False


def sqlite_connect(path: Path, readonly: bool = False) -> sqlite3.Connection:
    if readonly:
        # Opened read-only (a `mode=ro` URI): nothing is written, so a file without write
        # permission reads. In a folder that cannot be written, SQLite (3.22 and later) reads
        # a WAL archive without creating its -shm index, and still sees changes left in a
        # -wal file. On a read-only medium, though, `mode=ro` cannot open a WAL archive at
        # all (it cannot even take its shared-memory lock): there, and only where nothing can
        # be writing the file (the medium is read-only and no -wal file is left over), it is
        # opened `immutable`, which takes no lock and reads the main file as it is.
        uri = path.resolve().as_uri() + "?mode=ro"
        if readonly_medium(path) and not os.path.exists(str(path) + "-wal"):
            uri += "&immutable=1"
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT, isolation_level=None)
    else:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT, isolation_level=None)  # explicit transactions
    conn.row_factory = sqlite3.Row
    return conn


def busy(e: sqlite3.Error) -> bool:
    return getattr(e, "sqlite_errorcode", None) in (5, 6) or "locked" in str(e)  # SQLITE_BUSY, SQLITE_LOCKED


def out_of_space(e: BaseException, path: Optional[Path]) -> bool:
    """Whether a failed write of the archive at `path` failed for want of space. SQLite says
    SQLITE_FULL when the disk is full, but a plain I/O error when a file may not grow (a
    file size limit, some file systems): then the disk and the limit are looked at.
    PostgreSQL says disk_full (SQLSTATE 53100)."""
    if getattr(e, "sqlstate", None) in ("53100", "53200"):
        return True
    code = getattr(e, "sqlite_errorcode", None)
    if code == 13:  # SQLITE_FULL
        return True
    if path is None or code is None or code & 0xFF != 10:  # not an SQLITE_IOERR_*
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


# --- PostgreSQL -------------------------------------------------------------------------

def postgresql_connect(url: str, readonly: bool = False):
    try:
        import psycopg
    except ImportError:
        raise ImportError("a PostgreSQL archive needs psycopg 3: pip install 'jeonyong[postgresql]'") from None
    # autocommit: the archive opens its transactions itself (BEGIN … COMMIT), as in SQLite.
    conn = psycopg.connect(libpq_url(url), autocommit=True, connect_timeout=CONNECT_TIMEOUT,
                           application_name="jeonyong")
    if readonly:
        conn.execute("SET default_transaction_read_only = on")
    return conn


# --- the catalogue ----------------------------------------------------------------------

CATALOGUE = {
    SQLITE: {
        "tables": "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        "views": "SELECT name, sql FROM sqlite_master WHERE type = 'view'",
        "columns": "SELECT name FROM pragma_table_info(?)",
    },
    POSTGRESQL: {
        "tables": "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()",
        "views": "SELECT viewname, definition FROM pg_views WHERE schemaname = current_schema()",
        "columns": "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
                   "AND table_name = %s ORDER BY ordinal_position",
    },
}


# --- statements -------------------------------------------------------------------------

@dataclass(frozen=True)
class Compiled:
    sql: str
    names: tuple  # the parameters the caller gives, in the order the SQL takes them
    order: tuple = ()  # every parameter in the SQL's order: a caller's name, or ("const", value)

    def params(self, values) -> tuple:
        given = [values[n] for n in self.names] if isinstance(values, dict) else list(values)
        if not self.order:
            return tuple(given)
        given.reverse()
        return tuple(p[1] if isinstance(p, tuple) else given.pop() for p in self.order)


@functools.lru_cache(maxsize=None)
def compiled(build: Callable, dialect: str, *args) -> Compiled:
    """`build(*args)` (a SQLAlchemy Core statement) as SQL for `dialect`, compiled once. A
    constant in the statement (`substr(x, 1, 64)`) travels as a parameter of its own value;
    the caller gives the others (its bindparams), by name or in order."""
    c = build(dialect, *args).compile(dialect=DIALECTS[dialect])
    names = tuple(c.positiontup or ())
    consts = {n: c.binds[n].effective_value for n in names if n in c.binds and not c.binds[n].required}
    if not consts:
        return Compiled(c.string, names)
    return Compiled(c.string, tuple(n for n in names if n not in consts),
                    tuple(("const", consts[n]) if n in consts else n for n in names))


def execute(conn, stmt: Compiled, values=()):
    return conn.execute(stmt.sql, stmt.params(values))


def execute_many(conn, dialect: str, stmt: Compiled, rows) -> None:
    rows = [stmt.params(r) for r in rows]
    if not rows:
        return
    if dialect == SQLITE:
        conn.executemany(stmt.sql, rows)
    else:
        with conn.cursor() as cur:
            cur.executemany(stmt.sql, rows)


_cursor_numbers = itertools.count(1)  # server-side cursors open at once need names of their own


def stream(conn, dialect: str, stmt: Compiled, values=(), size: int = 500) -> Iterator[tuple]:
    """The rows of a query, `size` at a time (in PostgreSQL through a server-side cursor, so a
    large archive is never held in memory at once)."""
    if dialect == SQLITE:
        cur = conn.execute(stmt.sql, stmt.params(values))
        cur.row_factory = None
        while True:
            batch = cur.fetchmany(size)
            if not batch:
                return
            yield from batch
    else:
        with conn.transaction(), conn.cursor(name=f"jeonyong_stream_{next(_cursor_numbers)}") as cur:
            cur.execute(stmt.sql, stmt.params(values))
            while True:
                batch = cur.fetchmany(size)
                if not batch:
                    return
                yield from batch


def as_dicts(cur) -> list[dict]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur]
