"""An archive on a read-only medium (a read-only mount, a DVD, a read-only share) reads: a
cleanly closed archive is opened `immutable` (nothing can be writing it), one with a -wal file
left over is read with its changes (`mode=ro`, never immutable). On a real read-only mount:
as root, a tmpfs remounted read-only; skipped, saying so, where one cannot be made."""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

import pytest

from conftest import SAMPLES, run_cli
from pipeline.storage.database import readonly_medium


def _mount(args) -> subprocess.CompletedProcess:
    return subprocess.run(["mount", *args], capture_output=True, text=True)


@pytest.fixture
def medium():
    """A folder on its own file system, and a function that makes that file system read-only."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("making a read-only mount needs root and mount(8); the permission-bit cases are in test_hardening")
    folder = Path(tempfile.mkdtemp(prefix="jeonyong-medium-"))
    r = _mount(["-t", "tmpfs", "-o", "size=64m", "tmpfs", str(folder)])
    if r.returncode != 0:
        folder.rmdir()
        pytest.skip(f"cannot mount a tmpfs here ({r.stderr.strip()}): no read-only medium to test on")

    def make_readonly() -> None:
        r = _mount(["-o", "remount,ro,bind", str(folder), str(folder)])
        assert r.returncode == 0, r.stderr
        assert readonly_medium(folder)

    yield folder, make_readonly
    subprocess.run(["umount", "-l", str(folder)], capture_output=True)
    folder.rmdir()


def _archive(folder: Path, n: int = 3) -> Path:
    src = folder / "in"
    src.mkdir()
    for p in sorted(SAMPLES.glob("00*.txt"))[:n]:
        shutil.copy(p, src / p.name)
    db = folder / "a.sqlite"
    r = run_cli("ingest", src, "--archive", db, "--jobs", "1")
    assert r.returncode in (0, 1), r.stderr
    return db


def test_clean_archive_on_a_read_only_mount_reads(medium, tmp_path):
    folder, make_readonly = medium
    db = _archive(folder)
    assert not Path(str(db) + "-wal").exists()  # closed cleanly
    want = run_cli("export", "--archive", db, "--out", tmp_path / "want")
    assert want.returncode == 0, want.stderr
    want_audit = run_cli("audit", "--archive", db)
    make_readonly()
    r = run_cli("export", "--archive", db, "--out", tmp_path / "got")
    assert r.returncode == 0, r.stderr
    for p in (tmp_path / "want").iterdir():
        assert (tmp_path / "got" / p.name).read_bytes() == p.read_bytes(), p.name
    r = run_cli("audit", "--archive", db)
    assert r.returncode == want_audit.returncode and r.stdout == want_audit.stdout, r.stderr
    # and writing it says so in one line
    r = run_cli("ingest", folder / "in", "--archive", db, "--jobs", "1")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_archive_with_changes_left_in_its_wal_file_reads_them(medium, tmp_path):
    """A copy taken while a writer had committed changes not yet in the main file: the -wal
    (and -shm) file holds them. Read-only, they are read (immutable would miss them)."""
    folder, make_readonly = medium
    db = _archive(folder)
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    gone = writer.execute("SELECT report_id FROM reports ORDER BY report_id LIMIT 1").fetchone()[0]
    writer.execute("PRAGMA foreign_keys = ON")
    writer.execute("DELETE FROM reports WHERE report_id = ?", (gone,))
    copy = folder / "copy.sqlite"
    for suffix in ("", "-wal", "-shm"):
        shutil.copyfile(str(db) + suffix, str(copy) + suffix)
    writer.close()
    assert Path(str(copy) + "-wal").stat().st_size > 0
    make_readonly()
    r = run_cli("export", "--archive", copy, "--out", tmp_path / "got", "--format", "json")
    assert r.returncode == 0, r.stderr
    assert len(list((tmp_path / "got").glob("*.json"))) == 2  # the deletion in the -wal file is seen
    assert all(gone not in p.name for p in (tmp_path / "got").iterdir())
