"""Shared test helpers. Tests run on real files under samples/ and tests/fixtures/."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
FIXTURES = ROOT / "tests" / "fixtures"
SEED = SAMPLES / "seed_000_69d6960250ab482a.txt"
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT / "scripts"))


def comparable(obj):
    """A report's JSON without what legitimately differs between renderings of one report:
    its source, every location, the list of unplaced lines, and the notes (readings a
    heuristic decided, which only some renderings need)."""
    if isinstance(obj, dict):
        return {k: comparable(v) for k, v in obj.items() if k not in ("loc", "source", "unparsed", "notes", "schema_errors")}
    if isinstance(obj, list):
        return [comparable(v) for v in obj]
    return obj


def run_cli(*args, cwd=None, timeout=120) -> subprocess.CompletedProcess:
    """The real `jeonyong` command in a child process (exit status and stderr as a user sees them)."""
    return subprocess.run(
        [sys.executable, "-m", "pipeline.cli", *map(str, args)],
        capture_output=True, text=True, cwd=cwd or ROOT, timeout=timeout,
    )


def archived_reports(db) -> int:
    """Reports in a SQLite archive another process may be writing (0 while it is not there yet)."""
    import sqlite3

    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
        try:
            return conn.execute("SELECT count(*) FROM reports").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES


@pytest.fixture
def new_postgresql_archive():
    """A new, empty database on the test PostgreSQL server (skipped without one), dropped after."""
    from backends import NewDatabase

    db = NewDatabase()
    yield db.url
    db.drop()
