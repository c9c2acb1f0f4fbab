"""The archive's schema with no rows: an in-memory SQLite database built from the archive's
own DDL and views (pipeline/archive.py), for the code that describes the archive rather
than reads one (the data package's foreign keys, Datasette's metadata)."""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from typing import Iterator

from .archive import BASE_DDL, VIEWS, q


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
