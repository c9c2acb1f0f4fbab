"""`jeonyong ingest` on a generated corpus of a few hundred real files (scripts/make_corpus.py):
counts, idempotence, a run killed with SIGKILL and resumed, failures with reasons, the
export against `extract`, and the per-file time and memory limits."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import frictionless
import pytest

from conftest import ROOT, SAMPLES, run_cli
from make_corpus import build_corpus

from pipeline.storage.archive import Archive
from pipeline.datapackage import descriptor_text
from pipeline.storage.ingest import IngestOptions, ingest
from pipeline.tables import TABLES

# Columns whose values depend on when a run happened, not on what it found.
VOLATILE = {"first_seen", "last_seen", "parsed_at", "failure_id"}


def snapshot(db: Path) -> dict:
    """Every table's rows (timestamps and surrogate ids left out), as sorted tuples."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        out = {}
        for name in list(TABLES) + ["report_documents", "sources", "failures"]:
            cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{name}")') if r[1] not in VOLATILE]
            rows = conn.execute(f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} FROM "{name}"').fetchall()
            out[name] = sorted(rows, key=repr)
        return out
    finally:
        conn.close()


def assert_same(got: dict, want: dict) -> None:
    """Snapshots equal; otherwise say which tables differ and show a few rows."""
    problems = []
    for name in sorted(set(got) | set(want)):
        g, w = set(got.get(name, [])), set(want.get(name, []))
        if g != w:
            extra, missing = sorted(g - w, key=repr)[:2], sorted(w - g, key=repr)[:2]
            problems.append(f"{name}: {len(g - w)} extra, {len(w - g)} missing; "
                            f"extra e.g. {str(extra)[:300]}; missing e.g. {str(missing)[:300]}")
        elif len(got[name]) != len(want[name]):
            problems.append(f"{name}: duplicate rows ({len(got[name])} vs {len(want[name])})")
    assert not problems, "\n".join(problems)


def count(db: Path, table: str) -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        return conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    finally:
        conn.close()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus") / "in"
    manifest = build_corpus(root, reports=200, broken=0.1, seed=7)
    return root, manifest


@pytest.fixture(scope="module")
def first_run(corpus, tmp_path_factory):
    root, manifest = corpus
    work = tmp_path_factory.mktemp("run")
    db = work / "archive.sqlite"
    r = run_cli("ingest", root, "--archive", db, "--out", work / "out", "--jobs", "2", timeout=300)
    return db, work / "out", r


def test_counts_match_what_was_put_in(corpus, first_run):
    root, manifest = corpus
    db, _, r = first_run
    assert "Traceback" not in r.stderr
    assert r.returncode == 2, r.stdout + r.stderr  # the corpus holds broken files
    with Archive(db) as a:
        assert a.report_ids() == set(manifest["report_hashes"])
        failed_paths = {f["path"] for f in a.failures()}
        assert failed_paths == set(manifest["broken_paths"])
        sources = {(r["path"], r["sha256"]) for r in a.conn.execute("SELECT path, sha256 FROM sources")}
    assert sources == {(e["path"], e["sha256"]) for e in manifest["files"]}
    c = {t: count(db, t) for t in ("reports", "report_documents", "transfers", "budget_lines", "findings")}
    assert c["reports"] == c["report_documents"] == len(manifest["report_hashes"])
    assert c["transfers"] > c["reports"] and c["budget_lines"] > c["transfers"]
    # the summary says the same
    n_report_files = sum(1 for e in manifest["files"] if e["expect"] == "report")
    assert f"files found        {len(manifest['files'])}" in r.stdout
    assert f"ingested         {n_report_files}  ({len(manifest['report_hashes'])} new reports)" in r.stdout
    assert f"failed           {len(manifest['broken_paths'])}" in r.stdout


def test_failures_are_listed_with_reasons(corpus, first_run):
    root, manifest = corpus
    db, _, r = first_run
    expected_reason = {
        "empty": "empty file",
        "junk": "binary data",
        "prose": "not a 예산 전용 보고",
        "long-line": "characters; not a report",
        "header-only": "no numbered transfer item",
        "truncated-zip": "zip",
        "truncated-pdf": "pdf",
    }
    with Archive(db) as a:
        by_path = {f["path"]: f for f in a.failures()}
    lines = [ln for ln in r.stderr.splitlines() if not ln.startswith("jeonyong ingest:")]
    for e in manifest["files"]:
        if e["expect"] != "fail":
            continue
        f = by_path[e["path"]]
        assert f["sha256"] == e["sha256"] and f["size_bytes"] == e["size"]
        assert expected_reason.get(e["kind"], "").lower() in f["reason"].lower() and f["reason"], (e["kind"], f["reason"])
        assert f"{e['path']}: {f['reason']}" in lines
    assert len(lines) == len(manifest["broken_paths"])


def test_renamed_copies_are_one_report_with_several_sources(corpus, first_run):
    root, manifest = corpus
    db, _, _ = first_run
    copies = [e for e in manifest["files"] if e["kind"] == "copy"]
    assert copies
    conn = sqlite3.connect(db)
    for e in copies:
        paths = {p for (p,) in conn.execute("SELECT path FROM sources WHERE sha256 = ?", (e["sha256"],))}
        originals = {x["path"] for x in manifest["files"] if x["sha256"] == e["sha256"]}
        assert paths == originals and len(paths) >= 2
        (primary,) = conn.execute("SELECT source_path FROM reports WHERE report_id = ?", (e["sha256"],)).fetchone()
        assert primary == min(originals)
    assert conn.execute("SELECT count(*) FROM source_files WHERE status = 'archived'").fetchone()[0] == \
        sum(1 for e in manifest["files"] if e["expect"] == "report")


def test_second_run_adds_nothing(corpus, first_run, tmp_path):
    root, manifest = corpus
    db, _, first = first_run
    before = snapshot(db)
    r = run_cli("ingest", root, "--archive", db, "--jobs", "2")
    assert r.returncode == first.returncode == 2
    assert_same(snapshot(db), before)
    n_report_files = sum(1 for e in manifest["files"] if e["expect"] == "report")
    assert f"already archived {n_report_files}" in r.stdout
    assert "ingested         0  (0 new reports)" in r.stdout
    assert "recorded by an earlier run" in r.stdout


def test_export_equals_extract(corpus, first_run, tmp_path):
    """The archive loses nothing: its CSV tables and JSON equal what extract writes for the
    same files (one path per distinct report, the one the archive names)."""
    root, manifest = corpus
    db, out, _ = first_run
    with Archive(db) as a:
        primaries = sorted(r[0] for r in a.conn.execute("SELECT source_path FROM reports"))
    lst = tmp_path / "extract"
    r = subprocess.run([sys.executable, "-m", "pipeline.cli", "extract", *primaries, "--format", "csv", "--out", lst / "csv"],
                       capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    r = subprocess.run([sys.executable, "-m", "pipeline.cli", "extract", *primaries, "--out", lst / "json"],
                       capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    exp = tmp_path / "export"
    assert run_cli("export", "--archive", db, "--out", exp / "csv").returncode == 0
    assert run_cli("export", "--archive", db, "--out", exp / "json", "--format", "json").returncode == 0
    for name in TABLES:
        want = (lst / "csv" / f"{name}.csv").read_bytes()
        assert (exp / "csv" / f"{name}.csv").read_bytes() == want, name
        assert (out / f"{name}.csv").read_bytes() == want, name  # ingest --out wrote the same
    assert want.startswith(b"\xef\xbb\xbf")
    package = descriptor_text()
    for d in (lst / "csv", exp / "csv", out):
        assert (d / "datapackage.json").read_text(encoding="utf-8") == package
    report = frictionless.validate(str(exp / "csv" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:20]
    names = sorted(p.name for p in (lst / "json").iterdir())
    assert names == sorted(p.name for p in (exp / "json").iterdir())
    assert len(names) == len(manifest["report_hashes"])
    for n in names:
        want = (lst / "json" / n).read_bytes()
        for got in ((exp / "json" / n).read_bytes(), (out / n).read_bytes()):
            if b'"schema_errors"' in want:
                # pandera lists a batch's failure cases in an order that depends on the
                # batch, so the order of these messages is not stable (schemas.py)
                got, want_ = json.loads(got), json.loads(want)
                got["schema_errors"].sort()
                want_["schema_errors"].sort()
                assert got == want_, n
            else:
                assert got == want, n


def _group_members(pgid: int) -> list[str]:
    out = []
    for d in os.listdir("/proc"):
        try:
            if d.isdigit() and os.getpgid(int(d)) == pgid:
                out.append(Path(f"/proc/{d}/cmdline").read_bytes().replace(b"\0", b" ").decode()[:120])
        except OSError:
            pass
    return out


def _descendants_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False


def test_killed_run_resumes_to_the_same_archive(corpus, first_run, tmp_path):
    root, manifest = corpus
    full_db, _, _ = first_run
    db = tmp_path / "killed.sqlite"
    total = len(manifest["report_hashes"])
    p = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "ingest", str(root), "--archive", str(db), "--jobs", "1"],
                         cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    seen = 0
    while time.monotonic() < deadline and p.poll() is None:
        try:
            seen = count(db, "reports")
        except sqlite3.Error:
            seen = 0
        if seen >= total // 4:
            break
        time.sleep(0.02)
    os.kill(p.pid, signal.SIGKILL)  # the parent only: its workers must go by themselves
    p.wait()
    assert p.returncode == -signal.SIGKILL
    partial = count(db, "reports")
    assert 0 < partial < total, f"the run was not caught part-way ({partial} of {total} reports)"
    # the killed run left a consistent archive
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("SELECT count(*) FROM reports r WHERE NOT EXISTS "
                        "(SELECT 1 FROM report_documents d WHERE d.report_id = r.report_id)").fetchone()[0] == 0
    conn.close()
    for _ in range(200):  # workers notice their parent is gone
        if not _descendants_alive(p.pid):
            break
        time.sleep(0.05)
    assert not _descendants_alive(p.pid), f"processes outlived the killed run: {_group_members(p.pid)}"
    r = run_cli("ingest", root, "--archive", db, "--jobs", "2")
    assert r.returncode == 2, r.stdout + r.stderr
    assert_same(snapshot(db), snapshot(full_db))


def _big_report(lines_in_table: int) -> str:
    seed = (SAMPLES / "000_seed.txt").read_bytes().decode("utf-8-sig")
    lines = seed.split("\n")
    i = next(k for k, ln in enumerate(lines) if ln.startswith("스마트정책관"))
    return "\n".join(lines[: i + 1] + [lines[i + 1]] * lines_in_table + lines[i + 1:])


def test_slow_and_hungry_files_fail_alone(tmp_path):
    """A file over the time limit and one over the memory limit are recorded as failed; the
    workers are replaced and every other file is archived."""
    src = tmp_path / "in"
    src.mkdir()
    for p in sorted(SAMPLES.glob("00*.txt"))[:4]:
        (src / p.name).write_bytes(p.read_bytes())
    (src / "002a_slow.txt").write_text(_big_report(20000), encoding="utf-8")  # several seconds to parse
    # ~110 MB of long lines: its bytes and their text alone overrun 250 MB at once, whatever a
    # worker has imported (about 35 MB of address space; pandas only once a schema check needs it)
    (src / "002b_hungry.txt").write_text(("ab " * 30_000 + "\n") * 1_200, encoding="utf-8")
    opts = IngestOptions(archive=tmp_path / "a.sqlite", jobs=1, timeout=1.0, max_memory_mb=250)
    result = ingest([src], opts)
    assert result.exit_status == 2
    reasons = {Path(f.path).name: f.reason for f in result.failures}
    assert set(reasons) == {"002a_slow.txt", "002b_hungry.txt"}
    assert "longer than 1 s" in reasons["002a_slow.txt"]
    assert "memory" in reasons["002b_hungry.txt"]
    assert result.workers_replaced >= 1
    with Archive(opts.archive) as a:
        assert len(a.report_ids()) == 4
        stages = {Path(f["path"]).name: f["stage"] for f in a.failures()}
    assert stages["002a_slow.txt"] == "timeout"


def test_missing_path_and_force(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for p in sorted(SAMPLES.glob("00*.txt"))[:2]:
        (src / p.name).write_bytes(p.read_bytes())
    db = tmp_path / "a.sqlite"
    r = run_cli("ingest", src, tmp_path / "nowhere.txt", "--archive", db, "--jobs", "1")
    assert r.returncode == 2
    assert f"{tmp_path / 'nowhere.txt'}: no such file or folder" in r.stderr.splitlines()
    before = snapshot(db)
    r = run_cli("ingest", src, "--archive", db, "--jobs", "1", "--force")
    assert r.returncode in (0, 1), r.stderr
    assert "ingested         2  (2 new reports)" in r.stdout
    after = snapshot(db)
    assert {k: v for k, v in after.items() if k != "failures"} == {k: v for k, v in before.items() if k != "failures"}


def test_a_file_fixed_in_place_leaves_no_stale_failure(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    target = src / "report.txt"
    target.write_bytes(b"")
    opts = IngestOptions(archive=tmp_path / "a.sqlite", jobs=1)
    first = ingest([src], opts)
    assert [f.reason for f in first.failures] == ["empty file"]
    target.write_bytes((SAMPLES / "000_seed.txt").read_bytes())
    second = ingest([src], opts)
    assert second.failures == [] and second.ingested == 1
    with Archive(opts.archive) as a:
        assert a.failures() == []
        shas = {r[0] for r in a.conn.execute("SELECT sha256 FROM sources WHERE path = ?", (str(target),))}
    assert len(shas) == 2  # the sources table keeps what was seen at that path


def test_a_file_name_that_is_not_utf8_is_archived(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    odd = os.path.join(os.fsencode(src), "보고서".encode("cp949") + b".txt")  # CP949 bytes in a name
    with open(odd, "wb") as fh:
        fh.write((SAMPLES / "000_seed.txt").read_bytes())
    opts = IngestOptions(archive=tmp_path / "a.sqlite", out=tmp_path / "out", jobs=1)
    result = ingest([src], opts)
    assert result.failures == [] and result.ingested == 1
    with Archive(opts.archive) as a:
        (path,) = [r[0] for r in a.conn.execute("SELECT source_path FROM reports")]
    assert path.startswith(str(src)) and "\\x" in path
    assert (tmp_path / "out" / "reports.csv").exists()
