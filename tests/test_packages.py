"""Several reports in one file (a committee's package): each report found by meaning, with
its own header and transfers, keyed `<sha256>#<place>`; cover pages and contents are never
an office or a transfer (issue 20). Fixtures: scripts/make_package_fixtures.py."""
from __future__ import annotations

import copy
import hashlib
import json
import shutil
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, SAMPLES, comparable, run_cli
from make_package_fixtures import COMMITTEE, cover_lines, package_text, parts
from make_samples import render_text
from sample_reports import clean_samples

from pipeline.storage.archive import Archive
from pipeline.extract import _finish, parse_bytes, parse_file, parse_file_reports
from pipeline.storage.ingest import IngestOptions, ingest
from pipeline.parse.notation import UNIT_WON
from pipeline.parse.package import FRONT_MATTER
from pipeline.readers import read_bytes

PACKAGES = FIXTURES / "packages"
FORMATS = ["txt", "docx", "pdf"]
NAMES = ["committee_cover_toc", "bare"]


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("ext", FORMATS)
@pytest.mark.parametrize("name", NAMES)
def test_each_report_of_a_package_reads_as_it_does_alone(name, ext):
    path = PACKAGES / f"{name}.{ext}"
    reports = parse_file_reports(path)
    assert len(reports) == 3
    assert [r.report_id for r in parse_file(path)] == [r.report_id for r in reports]  # a list for a package
    sha = _sha(path)
    for k, report in enumerate(reports, start=1):
        alone = parse_file(PACKAGES / f"{name}.part{k}.{ext}")
        got, want = report.to_json(), alone.to_json()
        assert comparable(got) == comparable(want)
        assert [t["seq"] for t in got["transfers"]] == list(range(1, len(want["transfers"]) + 1))
        assert report.report_id == f"{sha}#{k}"
        assert got["source"]["report_index"] == k and got["source"]["reports_in_file"] == 3
        assert got["source"]["sha256"] == sha


@pytest.mark.parametrize("ext", FORMATS)
def test_a_cover_page_is_front_matter_never_an_office(ext):
    reports = parse_file_reports(PACKAGES / f"committee_cover_toc.{ext}")
    offices = [r.office for r in reports]
    assert all(COMMITTEE not in (o or "") for o in offices)
    front = [u.text for u in reports[0].unparsed if u.reason == FRONT_MATTER]
    # every line of the cover and its contents, in order, and nothing of a report
    assert [" ".join(t.split()) for t in front] == [" ".join(t.split()) for t in cover_lines(parts(True))]
    assert all(u.reason != FRONT_MATTER for r in reports[1:] for u in r.unparsed)
    assert all(u.loc is not None for u in reports[0].unparsed if u.reason == FRONT_MATTER)


@pytest.mark.parametrize("sample", ["000_seed", "001_climate_2022q1", "err_row_balance_001"])
@pytest.mark.parametrize("ext", ["txt", "docx", "pdf", "hwpx", "hwp"])
def test_a_file_of_one_report_keeps_its_plain_sha256(sample, ext):
    path = SAMPLES / f"{sample}.{ext}"
    (report,) = parse_file_reports(path)
    assert report.report_id == _sha(path)
    assert report.to_json()["source"]["reports_in_file"] == 1


def test_the_audit_runs_per_report():
    """An error injected into the second report's second transfer is that report's
    finding, numbered within it; the other reports stay clean."""
    reports = parts(shared_title=False)
    row = reports[1].transfers[1].table.body[0]
    wrong = int(row[-1].replace(",", "")) + 1
    row[-1] = f"{wrong:,}"
    parsed = _finish(read_bytes("package.txt", package_text(reports, cover=False).encode("utf-8")))
    assert parsed[0].findings == [] and parsed[2].findings == []
    assert parsed[1].findings and {f.transfer_seq for f in parsed[1].findings} == {2}
    (f,) = [f for f in parsed[1].findings if f.check == "row_balance"]
    assert (f.transfer_seq, f.line, f.actual) == (2, 1, wrong * UNIT_WON[reports[1].transfers[1].unit])


def test_extract_writes_one_json_per_report(tmp_path):
    src = PACKAGES / "bare.txt"
    res = run_cli("extract", src, PACKAGES / "bare.part1.txt", "--out", tmp_path)
    assert res.returncode == 0, res.stderr
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["bare.part1.txt.json", "bare.txt#1.json", "bare.txt#2.json", "bare.txt#3.json"]
    offices = [json.loads((tmp_path / f"bare.txt#{k}.json").read_text(encoding="utf-8"))["office"] for k in (1, 2, 3)]
    assert offices == [r.office for r in parts(False)]
    # without --out: the file's reports as one JSON array, in file order
    res = run_cli("extract", src)
    assert res.returncode == 0, res.stderr
    docs = json.loads(res.stdout)
    assert [d["office"] for d in docs] == offices


def test_csv_rows_are_keyed_by_report_id(tmp_path):
    res = run_cli("extract", PACKAGES / "bare.txt", "--format", "csv", "--out", tmp_path)
    assert res.returncode == 0, res.stderr
    text = (tmp_path / "reports.csv").read_text(encoding="utf-8-sig").splitlines()
    sha = _sha(PACKAGES / "bare.txt")
    assert [ln.split(",")[0] for ln in text[1:]] == [f"{sha}#{k}" for k in (1, 2, 3)]
    lines = (tmp_path / "budget_lines.csv").read_text(encoding="utf-8-sig").splitlines()[1:]
    assert {ln.split(",")[0] for ln in lines} == {f"{sha}#{k}" for k in (1, 2, 3)}


def test_ingest_stores_a_package_once_renamed_or_repeated(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(PACKAGES / "committee_cover_toc.txt", inputs / "a.txt")
    shutil.copy(SAMPLES / "000_seed.txt", inputs / "seed.txt")
    db = tmp_path / "archive.sqlite"
    first = ingest([inputs], IngestOptions(archive=db, jobs=1))
    assert first.reports_new == 4 and first.reports_total == 4 and not first.failures
    shutil.copy(PACKAGES / "committee_cover_toc.txt", inputs / "renamed.txt")
    again = ingest([inputs], IngestOptions(archive=db, jobs=1))
    assert again.reports_new == 0 and again.skipped == 3 and again.ingested == 0 and again.reports_total == 4
    con = sqlite3.connect(db)
    sha = _sha(PACKAGES / "committee_cover_toc.txt")
    ids = sorted(r[0] for r in con.execute('SELECT "report_id" FROM reports'))
    assert ids == sorted([f"{sha}#1", f"{sha}#2", f"{sha}#3", _sha(SAMPLES / "000_seed.txt")])
    rows = con.execute('SELECT "status", "office" FROM source_files WHERE "sha256" = ? ORDER BY "path", "office"', (sha,)).fetchall()
    assert {s for s, _ in rows} == {"archived"} and len(rows) == 6  # two paths × three reports
    counts = dict(con.execute('SELECT "report_id", "path_count" FROM report_overview'))
    assert counts[f"{sha}#2"] == 2
    # --force reads the file again and replaces its reports, never duplicating them
    forced = ingest([inputs], IngestOptions(archive=db, jobs=1, force=True))
    assert forced.reports_new == 4
    assert con.execute("SELECT count(*) FROM reports").fetchone()[0] == 4
    with Archive(str(db)) as a:
        assert a.archived_hashes() == {sha, _sha(SAMPLES / "000_seed.txt")}


# --- random packages (text): any order of the clean samples, with or without a cover ----

def _alone(report) -> dict:
    return comparable(parse_bytes(f"{report.name}.txt", render_text(report, "tab").encode("utf-8")).to_json())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(order=st.permutations(range(5)), n=st.integers(2, 4), cover=st.booleans(), same_title=st.booleans())
def test_random_packages_recover_every_report(order, n, cover, same_title):
    reports = []
    for i in order[:n]:
        r = copy.deepcopy(clean_samples()[i])
        r.text_style, r.newline = "tab", "\n"
        if same_title:
            r.title = "2022 회계연도 1/4분기 예산 전용 보고"
        reports.append(r)
    data = package_text(reports, cover).encode("utf-8")
    got = _finish(read_bytes("package.txt", data))
    assert len(got) == n
    for report, model in zip(got, reports):
        assert comparable(report.to_json()) == _alone(model)
