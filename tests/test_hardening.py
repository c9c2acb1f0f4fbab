"""Hardening, tried as a careless user and an attacker would: CSV that Excel cannot be made
to evaluate, two ingest runs on one archive at once, archives that may only be read, and
a disk that fills up in the middle of a batch."""
from __future__ import annotations

import csv
import io
import json
import os
import pwd
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLES, run_cli
from make_corpus import build_corpus

from pipeline.tables import COLUMNS, TABLES, merge_rows
from test_ingest import assert_same, snapshot

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# --- 1. CSV formula injection ---------------------------------------------------------------


def _error_lines(stderr: str) -> list[str]:
    """Standard error without ingest's one progress summary line (printed there when piped,
    exactly once per run): what is left are the one-line errors."""
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    summary = [ln for ln in lines if ln.startswith("jeonyong ingest: ")]
    assert len(summary) <= 1, stderr
    return [ln for ln in lines if ln not in summary]

def _hostile_report(tmp_path: Path) -> Path:
    """The seed sample with names, a title and a reason that begin like spreadsheet formulas."""
    text = (SAMPLES / "000_seed.txt").read_bytes().decode("utf-8-sig")
    swaps = [
        ("스마트정책관 스마트도시 담당관\t지식정보사회 선도기반구축\t정보화기반 시설확충\t스마트도시 민·관 협력",
         '=HYPERLINK("http://example.invalid/?x="&A1,"클릭")\t@SUM(1+1)\t+cmd|\' /C calc\'!A0\t-2+3 협력'),
        ("서울 스마트도시 간 국제교류 장 마련을 위한 예산 전용", "=1+2 서울 스마트도시 간 국제교류 장 마련을 위한 예산 전용"),
        ("- 서울시 우수 스마트도시 정책", "- @서울시 우수 스마트도시 정책"),
    ]
    for old, new in swaps:
        assert text.count(old) >= 1, old
        text = text.replace(old, new, 1)
    path = tmp_path / "hostile.txt"
    path.write_text(text, encoding="utf-8")
    return path


def _csv_cell(v) -> str:
    """What the CSV must hold for one value of the contract's tables."""
    if v is None:
        return ""
    if isinstance(v, str):
        return "'" + v if v.startswith(FORMULA_STARTS) else v
    return str(v)


def _read_csv(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_csv_cells_cannot_start_a_formula(tmp_path):
    src = _hostile_report(tmp_path)
    r = run_cli("extract", src)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    line = doc["transfers"][0]["budget"]["lines"][0]
    # JSON keeps the text as printed
    assert line["department"].startswith("=HYPERLINK(") and line["policy_program"] == "@SUM(1+1)"
    assert line["unit_program"].startswith("+cmd|") and line["detail_program"] == "-2+3 협력"
    assert doc["transfers"][0]["title"].startswith("=1+2 ")
    assert doc["transfers"][0]["reasons"][0].startswith("@서울시")

    r = run_cli("extract", src, "--format", "csv", "--out", tmp_path / "csv")
    assert r.returncode == 0, r.stderr
    want = merge_rows([doc])
    dangerous = 0
    for name in TABLES:
        got = _read_csv(tmp_path / "csv" / f"{name}.csv")
        assert len(got) == len(want[name])
        for g, w in zip(got, want[name]):
            for col in COLUMNS[name]:
                assert g[col] == _csv_cell(w[col]), (name, col, g[col], w[col])
                if isinstance(w[col], str) and w[col].startswith(FORMULA_STARTS):
                    dangerous += 1
                    assert g[col].startswith("'")
    assert dangerous >= 6  # the planted cells, at least
    first = _read_csv(tmp_path / "csv" / "budget_lines.csv")[0]
    assert first["department"].startswith("'=HYPERLINK(") and first["policy_program"] == "'@SUM(1+1)"
    assert first["before"] == str(line["before"]) and first["decrease"] == str(line["decrease"])

    # pandas reads the cells as Excel would import them: text, the apostrophe first
    import pandas as pd

    frame = pd.read_csv(tmp_path / "csv" / "budget_lines.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert frame.loc[0, "unit_program"] == "'+cmd|' /C calc'!A0"
    assert frame.loc[0, "before"] == str(line["before"])


def test_csv_numbers_stay_numbers_and_tabs_and_returns_are_neutralised(tmp_path):
    from pipeline.writers.csv_writer import write_csv_tables

    rows = [{"report_id": "\tx", "finding_no": 1, "check": "\r=1", "severity": "error", "transfer_seq": -3,
             "line": None, "field": "-", "expected": -5, "actual": 0, "message": "+1", "loc_page": None,
             "loc_line": None, "loc_bbox": "-2.5,1,2,3", "loc_cell": None, "source_path": "@x"}]
    write_csv_tables(tmp_path, {"findings": rows})
    (got,) = _read_csv(tmp_path / "findings.csv")
    assert got["report_id"] == "'\tx" and got["check"] == "'\r=1" and got["field"] == "'-"
    assert got["message"] == "'+1" and got["loc_bbox"] == "'-2.5,1,2,3" and got["source_path"] == "'@x"
    assert got["transfer_seq"] == "-3" and got["expected"] == "-5" and got["actual"] == "0"


def test_sqlite_and_xlsx_keep_the_text_and_export_equals_extract(tmp_path):
    src = _hostile_report(tmp_path)
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(src, folder / src.name)
    db = tmp_path / "a.sqlite"
    r = run_cli("ingest", folder, "--archive", db, "--jobs", "1")
    assert r.returncode in (0, 1), r.stderr
    conn = sqlite3.connect(db)
    (dept,) = conn.execute("SELECT department FROM budget_lines ORDER BY transfer_seq, line LIMIT 1").fetchone()
    conn.close()
    assert dept.startswith("=HYPERLINK(")
    assert run_cli("export", "--archive", db, "--out", tmp_path / "exp").returncode == 0
    assert run_cli("extract", folder / src.name, "--format", "csv", "--out", tmp_path / "ext").returncode == 0
    for name in TABLES:
        assert (tmp_path / "exp" / f"{name}.csv").read_bytes() == (tmp_path / "ext" / f"{name}.csv").read_bytes()
    assert "'=HYPERLINK(" in (tmp_path / "exp" / "budget_lines.csv").read_text(encoding="utf-8-sig")

    from openpyxl import load_workbook

    book = tmp_path / "t.xlsx"
    assert run_cli("extract", folder / src.name, "--format", "xlsx", "--out", book).returncode == 0
    ws = load_workbook(book)["budget_lines"]
    header = [c.value for c in ws[1]]
    cell = ws.cell(row=3, column=header.index("department") + 1)
    assert cell.value.startswith("=HYPERLINK(") and cell.data_type == "s"  # text, never a formula
    cell = ws.cell(row=3, column=header.index("policy_program") + 1)
    assert cell.value == "@SUM(1+1)"


# --- 2. two writers on one archive ----------------------------------------------------------

def _holds_open(pid: int, path: Path) -> bool:
    try:
        return any(os.readlink(f"/proc/{pid}/fd/{fd}") == str(path) for fd in os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return False


def test_two_ingest_runs_on_one_new_archive_both_complete(tmp_path):
    root = tmp_path / "in"
    manifest = build_corpus(root, reports=80, broken=0.1, seed=11, text_only=True)
    years = sorted(p for p in root.iterdir() if p.name.isdigit())
    assert len(years) >= 4
    shared = [root / "copies", root / "broken"]
    first = years[: len(years) // 2 + 1] + shared
    second = years[len(years) // 2:] + shared  # one year, the copies and the broken files in both
    db = tmp_path / "both.sqlite"

    # Both runs must meet while the archive is being created, every time: hold a write lock
    # on the empty archive until both have opened it (and found it empty), then let go.
    db.touch()
    lock = sqlite3.connect(db, isolation_level=None)
    lock.execute("BEGIN IMMEDIATE")
    procs = [subprocess.Popen([sys.executable, "-m", "pipeline.cli", "ingest", *map(str, paths), "--archive", str(db),
                               "--jobs", "1"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for paths in (first, second)]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not all(_holds_open(p.pid, db) for p in procs):
        time.sleep(0.05)
    time.sleep(0.5)
    lock.execute("ROLLBACK")
    lock.close()
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert "Traceback" not in err and "not a usable" not in err, err[-2000:]
        assert p.returncode == 2, out + err  # both met the broken files, nothing else
        lines = _error_lines(err)
        assert all(line.startswith(str(root)) for line in lines), err[-2000:]

    single = tmp_path / "single.sqlite"
    r = run_cli("ingest", root, "--archive", single, "--jobs", "2", timeout=300)
    assert r.returncode == 2, r.stderr[-2000:]
    # Every report once, every path, every failure, as one run over all the folders makes
    # them. Which of a report's identical copies names it depends on which run archived it
    # first (as it does for runs one after the other), so paths of identical bytes are
    # compared as one; a failure met by both runs counts two attempts.
    canonical: dict = {}
    for e in manifest["files"]:
        canonical[e["sha256"]] = min(canonical.get(e["sha256"], e["path"]), e["path"])
    got, want = snapshot(db), snapshot(single)
    for snap in (got, want):
        for name in ("reports", "report_documents", "findings"):
            del snap[name]  # compared below, through the export
        snap["failures"] = sorted({row[:-1] for row in snap["failures"]}, key=repr)  # without "attempts"
    assert_same(got, want)
    for fmt in ("csv", "json"):
        assert run_cli("export", "--archive", db, "--out", tmp_path / "e1" / fmt, "--format", fmt).returncode == 0
        assert run_cli("export", "--archive", single, "--out", tmp_path / "e2" / fmt, "--format", fmt).returncode == 0
    assert _exported(tmp_path / "e1", canonical) == _exported(tmp_path / "e2", canonical)
    assert len(_exported(tmp_path / "e1", canonical)["json"]) == len(manifest["report_hashes"])
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM runs WHERE status = 'done'").fetchone()[0] == 2
    conn.close()


def _exported(folder: Path, canonical: dict) -> dict:
    """An export's CSV rows and JSON documents, each report named by one path of its bytes."""
    out: dict = {"json": {}}
    for name in TABLES:
        rows = _read_csv(folder / "csv" / f"{name}.csv")
        for row in rows:
            if "source_path" in row:
                row["source_path"] = canonical[row["report_id"]]
        out[name] = sorted((tuple(r.items()) for r in rows), key=repr)
    for p in (folder / "json").iterdir():
        doc = json.loads(p.read_bytes())
        doc["source"]["path"] = canonical[doc["source"]["sha256"]]
        doc.get("schema_errors", []).sort()
        assert doc["source"]["sha256"] not in out["json"]
        out["json"][doc["source"]["sha256"]] = doc
    return out


# --- 3. read-only archives ------------------------------------------------------------------

def _drop_override() -> None:
    """preexec_fn for root: drop from the capability bounding set what lets root ignore
    permission bits (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER), so the program it
    runs is held to the files' modes like any owner."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2, 3):
        if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def _run_restricted(args, user_kwargs, timeout=120) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", HOME=tempfile.gettempdir())
    return subprocess.run([sys.executable, *map(str, args)], capture_output=True, text=True, cwd=ROOT,
                          timeout=timeout, env=env, **user_kwargs)


_RESTRICTION: list = []


def _restriction() -> dict:
    """subprocess arguments that run a command as a user who cannot write what has no write
    bits for it. Not root: the current user. Root (tests and CI may run as root, which ignores
    permission bits): `nobody` when it can run this checkout's Python, else root without the
    capabilities that override permissions (a Python under /root is out of nobody's reach)."""
    if _RESTRICTION:
        return _RESTRICTION[0]
    choice: dict = {}
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        choice = {"user": nobody.pw_uid, "group": nobody.pw_gid, "extra_groups": []}
        try:
            ok = _run_restricted(["-c", "import pipeline"], choice).returncode == 0
        except PermissionError:
            ok = False
        if not ok:
            choice = {"preexec_fn": _drop_override}
    _RESTRICTION.append(choice)
    return choice


def _as_other_user(*args, timeout=120) -> subprocess.CompletedProcess:
    return _run_restricted(["-m", "pipeline.cli", *args], _restriction(), timeout)


def _cannot_write(path: Path) -> bool:
    r = _run_restricted(["-c", f"open({str(path)!r}, 'r+b')"], _restriction())
    return r.returncode != 0 and "PermissionError" in r.stderr


@pytest.fixture
def shared_dir():
    """A folder the other user can reach (pytest's tmp_path is private to its owner)."""
    d = Path(tempfile.mkdtemp(prefix="jeonyong-ro-"))
    d.chmod(0o755)
    yield d
    for p in [d, *d.rglob("*")]:
        if p.is_dir():
            p.chmod(0o755)
    shutil.rmtree(d)


def _small_archive(folder: Path) -> Path:
    src = folder / "in"
    src.mkdir()
    for p in sorted(SAMPLES.glob("00*.txt"))[:3]:
        shutil.copy(p, src / p.name)
    db = folder / "store" / "a.sqlite"
    r = run_cli("ingest", src, "--archive", db, "--jobs", "1")
    assert r.returncode in (0, 1), r.stderr
    assert not Path(str(db) + "-wal").exists()  # closed cleanly: everything is in the file
    return db


@pytest.mark.parametrize("folder_writable", [True, False], ids=["file-read-only", "folder-read-only"])
def test_read_only_archive_is_read(shared_dir, folder_writable):
    db = _small_archive(shared_dir)
    r = run_cli("export", "--archive", db, "--out", shared_dir / "want")
    assert r.returncode == 0, r.stderr
    want_audit = run_cli("audit", "--archive", db)
    out = shared_dir / "out"
    out.mkdir(mode=0o777)
    out.chmod(0o777)
    db.chmod(0o444)
    db.parent.chmod(0o777 if folder_writable else 0o555)
    before = db.read_bytes()
    assert _cannot_write(db)

    r = _as_other_user("export", "--archive", db, "--out", out / "csv")
    assert r.returncode == 0, r.stderr
    for p in (shared_dir / "want").iterdir():
        assert (out / "csv" / p.name).read_bytes() == p.read_bytes(), p.name
    r = _as_other_user("export", "--archive", db, "--out", out / "json", "--format", "json")
    assert r.returncode == 0, r.stderr
    assert len(list((out / "json").glob("*.json"))) == 3
    r = _as_other_user("audit", "--archive", db, "--html", out / "overview.html")
    assert r.returncode == want_audit.returncode, r.stderr
    assert r.stdout == want_audit.stdout and (out / "overview.html").stat().st_size > 0
    # a run that would write it says so in one line
    r = _as_other_user("ingest", shared_dir / "in", "--archive", db, "--jobs", "1")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.strip().splitlines() == [r.stderr.strip()] and "read-only" in r.stderr, r.stderr
    assert db.read_bytes() == before


def test_read_only_archive_that_needs_a_migration_says_how(shared_dir):
    db = _small_archive(shared_dir)
    conn = sqlite3.connect(db)
    conn.execute('ALTER TABLE reports DROP COLUMN "venue"')  # as an older jeonyong wrote it
    conn.close()
    db.chmod(0o444)
    db.parent.chmod(0o777)
    assert _cannot_write(db)
    r = _as_other_user("export", "--archive", db, "--out", shared_dir / "out")
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr, r.stderr
    assert lines[0].startswith(f"{db}: ") and f"jeonyong migrate {db}" in lines[0], lines[0]
    # whoever may write it migrates it; then it reads (read-only again)
    db.chmod(0o644)
    r = run_cli("migrate", db)
    assert r.returncode == 0, r.stderr
    db.chmod(0o444)
    r = _as_other_user("audit", "--archive", db)
    assert r.returncode in (0, 1), r.stderr
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    assert "venue" in {row[1] for row in conn.execute('PRAGMA table_info("reports")')}
    conn.close()


# --- 4. disk full in the middle of a batch ---------------------------------------------------

def _limited(max_bytes: int):
    """preexec_fn: files this process writes may grow to `max_bytes`; past that a write
    fails with EFBIG (SIGXFSZ ignored), as on a full disk."""
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))
    return apply


def _complete_reports(db: Path) -> int:
    """Every archived report is whole (its JSON, its transfers, lines and findings all
    there); returns how many there are."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        n = 0
        for rid, doc_json, n_transfers, n_findings in conn.execute(
                "SELECT r.report_id, d.report_json, r.transfer_count, r.finding_count FROM reports r "
                "LEFT JOIN report_documents d ON d.report_id = r.report_id"):
            assert doc_json is not None, rid
            doc = json.loads(doc_json)
            assert conn.execute("SELECT count(*) FROM transfers WHERE report_id = ?", (rid,)).fetchone()[0] == n_transfers
            assert conn.execute("SELECT count(*) FROM findings WHERE report_id = ?", (rid,)).fetchone()[0] == n_findings
            lines = sum(len(t["budget"]["lines"]) for t in doc["transfers"])
            assert conn.execute("SELECT count(*) FROM budget_lines WHERE report_id = ?", (rid,)).fetchone()[0] == lines
            n += 1
        return n
    finally:
        conn.close()


def test_disk_full_during_ingest_stops_cleanly_and_a_rerun_finishes(tmp_path):
    src = tmp_path / "in"
    manifest = build_corpus(src, reports=120, broken=0.0, seed=5, text_only=True)
    db = tmp_path / "a.sqlite"
    r = subprocess.run([sys.executable, "-m", "pipeline.cli", "ingest", str(src), "--archive", str(db), "--jobs", "1"],
                       capture_output=True, text=True, cwd=ROOT, timeout=300, preexec_fn=_limited(1_200_000))
    assert r.returncode == 2, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    lines = _error_lines(r.stderr)
    assert len(lines) == 1 and lines[0].startswith(f"{db}: ") and "disk is full" in lines[0], r.stderr
    partial = _complete_reports(db)
    assert 0 < partial < len(manifest["report_hashes"]), partial
    r = run_cli("ingest", src, "--archive", db, "--jobs", "2", timeout=300)
    assert r.returncode in (0, 1), r.stderr[-2000:]
    assert _complete_reports(db) == len(manifest["report_hashes"])
    single = tmp_path / "single.sqlite"
    assert run_cli("ingest", src, "--archive", single, "--jobs", "2", timeout=300).returncode in (0, 1)
    assert_same(snapshot(db), snapshot(single))


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_disk_full_during_extract_leaves_no_half_file(tmp_path, fmt):
    files = sorted(SAMPLES.glob("*.txt"))
    scratch = tmp_path / "scratch"
    assert run_cli("extract", *files, "--format", fmt, "--out", scratch).returncode == 0
    sizes = {p.name: p.stat().st_size for p in scratch.iterdir()}
    if fmt == "json":  # the smaller reports first: some are written before the disk fills
        files.sort(key=lambda f: sizes[f.name + ".json"])
    limit = (min(sizes.values()) + max(sizes.values())) // 2  # the larger outputs cannot be written
    out = tmp_path / "out"
    out.mkdir()
    if fmt == "csv":  # an earlier, complete output must survive the failed run whole
        assert run_cli("extract", files[0], "--format", "csv", "--out", out).returncode == 0
    earlier = {p.name: p.read_bytes() for p in out.iterdir()}
    r = subprocess.run([sys.executable, "-m", "pipeline.cli", "extract", *map(str, files), "--format", fmt,
                        "--out", str(out)], capture_output=True, text=True, cwd=ROOT, timeout=300,
                       preexec_fn=_limited(limit))
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.strip() and not ln.startswith("jeonyong extract: writing")]
    assert len(lines) == 1 and "disk is full" in lines[0], r.stderr
    written = sorted(out.iterdir())
    assert not [p for p in written if p.name.endswith(".part") or p.name.startswith(".")], written
    if fmt == "json":
        assert 0 < len(written) < len(files)
        for p in written:
            assert p.read_bytes() == (scratch / p.name).read_bytes()  # whole, or not there
    else:
        assert {p.name: p.read_bytes() for p in out.iterdir()} == earlier
