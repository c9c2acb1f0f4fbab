"""Ingest on a real Dask cluster (`.ci/run` starts a scheduler and two workers as separate
processes on loopback and names it in JEONYONG_TEST_DASK; skipped, saying so, without it):
the same archive as the local pool; a Dask worker killed (SIGKILL) in the middle of a batch
loses nothing; a client killed in the middle resumes when run again; a file that hangs, and
one that blows its memory, are recorded as failed with their reasons."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from backends import dask_scheduler
from conftest import archived_reports, ROOT, SAMPLES, run_cli
from pipeline.storage.archive import Archive
from pipeline.storage.ingest import IngestOptions, ingest
from test_ingest import _big_report

def _utf8(p: Path) -> bool:
    try:
        p.read_bytes().decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


TEXTS = [p for p in sorted(SAMPLES.glob("*.txt")) if _utf8(p)]  # blank lines can be added to these


def _distinct_reports(folder: Path, n: int) -> Path:
    """`n` report files, each different bytes (a sample, with one to a few blank lines more at
    its end): `n` reports to archive."""
    folder.mkdir()
    for i in range(n):
        p = TEXTS[i % len(TEXTS)]
        (folder / f"{i:03d}_{p.name}").write_bytes(p.read_bytes() + b"\n" * (1 + i // len(TEXTS)))
    return folder



def _start_ingest(src: Path, db: Path, scheduler: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "pipeline.cli", "ingest", str(src), "--archive", str(db),
                             "--scheduler", scheduler], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def _wait_until_archived(db: Path, proc: subprocess.Popen, at_least: int, timeout: float = 180) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        n = archived_reports(db)
        if n >= at_least:
            return n
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    raise AssertionError(f"fewer than {at_least} reports archived after {timeout} s")


def test_killed_dask_worker_loses_nothing(tmp_path):
    scheduler = dask_scheduler()
    from dask.distributed import Client

    n = 60
    src = _distinct_reports(tmp_path / "in", n)
    db = tmp_path / "a.sqlite"
    with Client(scheduler, timeout=30) as client:
        pids = client.run(os.getpid)
        assert len(pids) >= 2, "the test cluster has two workers"
        proc = _start_ingest(src, db, scheduler)
        _wait_until_archived(db, proc, 2)
        victim = sorted(pids.values())[0]
        assert proc.poll() is None
        os.kill(victim, signal.SIGKILL)  # mid-batch: it holds a chunk
        out, err = proc.communicate(timeout=300)
        assert proc.returncode in (0, 1), err
        client.wait_for_workers(len(pids), timeout=60)  # the nanny restarts it: the cluster is whole again
    with Archive(db, readonly=True) as a:
        assert a.counts()["reports"] == n
        assert a.failures() == []


def test_killed_client_resumes(tmp_path):
    scheduler = dask_scheduler()
    n = 40
    src = _distinct_reports(tmp_path / "in", n)
    db = tmp_path / "a.sqlite"
    proc = _start_ingest(src, db, scheduler)
    first = _wait_until_archived(db, proc, 3)
    proc.kill()  # SIGKILL: no cleanup at all
    proc.wait(30)
    assert first < n
    r = run_cli("ingest", src, "--archive", db, "--scheduler", scheduler, timeout=300)
    assert r.returncode in (0, 1), r.stderr
    with Archive(db, readonly=True) as a:
        assert a.counts()["reports"] == n and a.failures() == []
        runs = a.conn.execute("SELECT status, ingested, skipped FROM runs ORDER BY run_id").fetchall()
    assert [tuple(row)[0] for row in runs] == ["running", "done"]  # the killed run never finished
    status, ingested, skipped = runs[1]
    assert skipped >= first and ingested + skipped == n  # it took up where the killed run stopped


def test_hanging_and_hungry_files_fail_on_the_cluster(tmp_path):
    """As with the local pool: a file over the time limit and one over the memory limit are
    recorded as failed (timeout, crash or memory), every other file is archived, and the
    archive is the one the local pool makes of the same files."""
    scheduler = dask_scheduler()
    src = tmp_path / "in"
    src.mkdir()
    for p in sorted(SAMPLES.glob("*.txt"))[:6]:
        (src / p.name).write_bytes(p.read_bytes())
    (src / "002a_slow.txt").write_text(_big_report(60000), encoding="utf-8")  # far more than 3 s to parse
    (src / "002b_hungry.txt").write_text("ab\n" * 10_000_000, encoding="utf-8")  # ~10 million line objects
    opts = IngestOptions(archive=tmp_path / "a.sqlite", timeout=3.0, max_memory_mb=400, scheduler=scheduler)
    result = ingest([src], opts)
    assert result.exit_status == 2
    reasons = {Path(f.path).name: f.reason for f in result.failures}
    assert set(reasons) == {"002a_slow.txt", "002b_hungry.txt"}, reasons
    assert "longer than 3 s" in reasons["002a_slow.txt"]
    assert "memory" in reasons["002b_hungry.txt"]
    with Archive(opts.archive) as a:
        assert len(a.report_ids()) == 6
        stages = {Path(f["path"]).name: f["stage"] for f in a.failures()}
    assert stages["002a_slow.txt"] == "timeout"
    # the same reports, byte for byte, as this machine's pool makes of them
    local = IngestOptions(archive=tmp_path / "local.sqlite", jobs=1, timeout=3.0, max_memory_mb=400)
    ingest([src], local)
    for archive, out in ((opts.archive, tmp_path / "dask"), (local.archive, tmp_path / "local")):
        r = run_cli("export", "--archive", archive, "--out", out, "--format", "json")
        assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in (tmp_path / "dask").iterdir()) == sorted(p.name for p in (tmp_path / "local").iterdir())
    for p in (tmp_path / "local").iterdir():
        assert (tmp_path / "dask" / p.name).read_bytes() == p.read_bytes(), p.name
