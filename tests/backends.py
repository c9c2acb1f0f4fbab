"""The archive's two databases for the tests: a SQLite file in the test's folder, or a fresh
PostgreSQL database on the server `.ci/run` starts (JEONYONG_TEST_POSTGRESQL, a URL of a user
who may create databases); and a Dask scheduler `.ci/run` starts (JEONYONG_TEST_DASK). Tests
that need either skip, saying so, where the variable is not set."""
from __future__ import annotations

import os
import sqlite3
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest

POSTGRESQL_ENV = "JEONYONG_TEST_POSTGRESQL"
DASK_ENV = "JEONYONG_TEST_DASK"
BACKENDS = ["sqlite", "postgresql"]


def postgresql_server() -> str:
    url = os.environ.get(POSTGRESQL_ENV)
    if not url:
        pytest.skip(f"no PostgreSQL server for the tests: set {POSTGRESQL_ENV}=postgresql://user@host:port/db "
                    "(.ci/run starts one)")
    return url


def dask_scheduler() -> str:
    address = os.environ.get(DASK_ENV)
    if not address:
        pytest.skip(f"no Dask cluster for the tests: set {DASK_ENV}=tcp://host:port (.ci/run starts a scheduler "
                    "and two workers)")
    return address


def _with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


class NewDatabase:
    """A database of its own on the test server, dropped afterwards."""

    def __init__(self):
        import psycopg

        self.server = postgresql_server()
        self.name = "jeonyong_test_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.server, autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{self.name}"')
        self.url = _with_db(self.server, self.name)

    def drop(self) -> None:
        import psycopg

        with psycopg.connect(self.server, autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture
def new_postgresql_archive():
    db = NewDatabase()
    yield db.url
    db.drop()


def archive_location(backend: str, tmp_path, request):
    """Where a test's archive lives: a new SQLite file, or a new PostgreSQL database."""
    if backend == "sqlite":
        return tmp_path / "a.sqlite"
    db = NewDatabase()
    request.addfinalizer(db.drop)
    return db.url


def raw_connect(location):
    """A plain DB-API connection to an archive, committing each statement (for a test that
    changes an archive behind the Archive class's back)."""
    if isinstance(location, str):
        import psycopg

        return psycopg.connect(location, autocommit=True)
    return sqlite3.connect(location, isolation_level=None)


def integrity_error(location):
    if isinstance(location, str):
        import psycopg

        return psycopg.errors.IntegrityError
    return sqlite3.IntegrityError


def table_names(conn, location) -> set[str]:
    if isinstance(location, str):
        return {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")}
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def column_names(conn, location, table: str) -> list[str]:
    if isinstance(location, str):
        return [r[0] for r in conn.execute("SELECT column_name FROM information_schema.columns WHERE table_schema = "
                                           f"current_schema() AND table_name = '{table}' ORDER BY ordinal_position")]
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
