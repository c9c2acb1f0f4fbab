"""Many writers, one PostgreSQL archive: `jeonyong ingest` processes started together on
overlapping inputs (the same files, and renamed copies of them) store every report exactly
once, lose none and fail no file because another writer was busy; what they leave exports the
same bytes as one SQLite ingest of all the inputs."""
from __future__ import annotations

import csv
import shutil
import subprocess
import sys

import pytest

from backends import new_postgresql_archive, raw_connect  # noqa: F401 (a fixture)
from conftest import ROOT, SAMPLES, run_cli
from pipeline.storage.archive import Archive
from pipeline.storage.files import hash_file

INPUTS = sorted(SAMPLES.glob("*.txt"))


def _writer_folders(tmp_path, writers: int):
    """One folder per writer: each file goes to all writers but one (so every file is met by
    several at once), and every third file also as a renamed copy in another writer's folder."""
    folders = [tmp_path / f"writer{i}" for i in range(writers)]
    for f in folders:
        f.mkdir()
    for j, p in enumerate(INPUTS):
        for i, folder in enumerate(folders):
            if writers == 2 or j % writers != i:
                shutil.copyfile(p, folder / p.name)
        if j % 3 == 0:
            shutil.copyfile(p, folders[(j + 1) % writers] / f"copy_of_{p.name}")
    return folders


@pytest.mark.parametrize("writers", [2, 4])
def test_concurrent_ingests_store_every_report_once(tmp_path, new_postgresql_archive, writers):
    url = new_postgresql_archive
    folders = _writer_folders(tmp_path, writers)
    procs = [subprocess.Popen([sys.executable, "-m", "pipeline.cli", "ingest", str(f), "--archive", url, "-j", "1"],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for f in folders]
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode in (0, 1), err  # findings at most: no file failed
        assert "Traceback" not in err
    paths = {str(p.resolve()): hash_file(str(p)).sha256 for f in folders for p in f.iterdir()}
    with Archive(url, readonly=True) as a:
        assert a.report_ids() == set(paths.values())
        counts = a.counts()
        assert counts["reports"] == len(set(paths.values())) == len(INPUTS)
        assert counts["failures"] == 0
        assert counts["runs"] == writers
        assert set(a.source_paths()) == set(paths.items())
    # nothing lost, nothing twice: the same tables as one writer's SQLite archive of it all
    single = tmp_path / "single.sqlite"
    r = run_cli("ingest", *folders, "--archive", single, "-j", "1", timeout=300)
    assert r.returncode in (0, 1), r.stderr
    for archive, out in ((url, tmp_path / "pg"), (single, tmp_path / "sqlite")):
        r = run_cli("export", "--archive", archive, "--out", out)
        assert r.returncode == 0, r.stderr
    for name in ("reports.csv", "transfers.csv", "budget_lines.csv", "findings.csv"):
        assert _rows(tmp_path / "pg" / name, paths) == _rows(tmp_path / "sqlite" / name, paths), name


def _rows(path, hashes: dict) -> list[tuple]:
    """A CSV table's rows, sorted, each path replaced by its file's hash: which of a report's
    copies a writer parsed first (its source_path) depends on who was first."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows or path.name == "findings.csv"
    return sorted(tuple(hashes.get(v, v) if k == "source_path" else v for k, v in row.items()) for row in rows)


def test_a_user_who_may_only_read_reads_and_cannot_write(tmp_path, new_postgresql_archive):
    """An analyst's database user with SELECT only: export and audit read the archive; an
    ingest says in one line that this user may not write it, and changes nothing."""
    url = new_postgresql_archive
    src = tmp_path / "in"
    src.mkdir()
    for p in INPUTS[:3]:
        shutil.copyfile(p, src / p.name)
    r = run_cli("ingest", src, "--archive", url, "-j", "1")
    assert r.returncode in (0, 1), r.stderr
    role = "reader_" + url.rsplit("_", 1)[1]
    conn = raw_connect(url)
    conn.execute(f'CREATE ROLE "{role}" LOGIN')
    conn.execute(f'GRANT USAGE ON SCHEMA public TO "{role}"')
    conn.execute(f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{role}"')
    reader = url.replace("://" + url.split("://")[1].split("@")[0] + "@", f"://{role}@")
    try:
        r = run_cli("export", "--archive", reader, "--out", tmp_path / "out")
        assert r.returncode == 0, r.stderr
        assert len((tmp_path / "out" / "reports.csv").read_text(encoding="utf-8-sig").splitlines()) == 4
        (src / "new.txt").write_bytes(INPUTS[3].read_bytes())
        r = run_cli("ingest", src, "--archive", reader, "-j", "1")
        assert r.returncode == 2 and "Traceback" not in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1 and "may not" in r.stderr, r.stderr
        with Archive(url, readonly=True) as a:
            assert a.counts()["reports"] == 3 and a.counts()["runs"] == 1
    finally:
        conn.execute(f'DROP OWNED BY "{role}"')
        conn.execute(f'DROP ROLE "{role}"')
        conn.close()
