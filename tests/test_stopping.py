"""Stopping `jeonyong ingest` the way people and schedulers do: Ctrl-C (SIGINT to the whole
foreground process group) and `kill -TERM` (SIGTERM to the command alone), sent to a real
run part-way through a generated corpus (scripts/make_corpus.py). The run must stop without
a traceback, keep what it finished, record itself as interrupted, say how to resume and exit
130 / 143; the same command then completes the archive."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from conftest import archived_reports, ROOT, run_cli
from make_corpus import build_corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("stop") / "in"
    manifest = build_corpus(root, reports=150, broken=0.1, seed=11)
    return root, manifest



def _stop_part_way(root, db, signum: int, whole_group: bool):
    p = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "ingest", str(root), "--archive", str(db), "--jobs", "1"],
                         cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and p.poll() is None and archived_reports(db) == 0:
        time.sleep(0.02)
    if whole_group:
        os.killpg(p.pid, signum)
    else:
        os.kill(p.pid, signum)
    out, err = p.communicate(timeout=60)
    return p, out, err


@pytest.mark.parametrize("signum, whole_group", [(signal.SIGTERM, False), (signal.SIGINT, True)],
                         ids=["SIGTERM to the command", "SIGINT to its process group (Ctrl-C)"])
def test_a_stopped_run_says_so_and_resumes(corpus, tmp_path, signum, whole_group):
    root, manifest = corpus
    total = len(manifest["report_hashes"])
    db = tmp_path / "a.sqlite"
    p, out, err = _stop_part_way(root, db, signum, whole_group)
    assert p.returncode == 128 + signum, out + err
    assert "Traceback" not in err and "Error" not in err.replace("error", ""), err
    for line in err.splitlines():  # only `<path>: <why>` lines and the progress line
        assert line.startswith((str(root), "jeonyong ingest: ")), line
    archived = archived_reports(db)
    assert 0 < archived < total, f"not stopped part-way ({archived} of {total})"
    name = signal.Signals(signum).name
    head = next(ln for ln in out.splitlines() if ln.startswith("interrupted"))
    assert f"interrupted ({name}):" in head
    remain = int(head.split(", ")[-1].split()[0])
    assert remain > 0
    assert f"to resume: jeonyong ingest {root} --archive {db}" in out
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT status FROM runs").fetchall() == [("interrupted",)]
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()

    r = run_cli("ingest", root, "--archive", db, "--jobs", "2", timeout=300)
    assert r.returncode == 2, r.stdout + r.stderr  # the corpus's broken files
    assert "Traceback" not in r.stderr
    conn = sqlite3.connect(db)
    got = {row[0] for row in conn.execute("SELECT report_id FROM reports")}
    assert got == set(manifest["report_hashes"])
    assert [s for (s,) in conn.execute("SELECT status FROM runs ORDER BY run_id")] == ["interrupted", "done"]
    conn.close()
