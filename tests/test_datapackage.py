"""datapackage.json beside the CSV tables: a Frictionless Data Package that the frictionless
library validates against the very CSV files jeonyong wrote, generated from the pandera
schemas (so it cannot disagree with them) and the archive's foreign keys."""
from __future__ import annotations

import csv
import json

import pytest
from frictionless import Package, validate

from pipeline.datapackage import descriptor, descriptor_text
from pipeline.schemas import SCHEMAS
from pipeline.tables import COLUMNS, TABLES

from conftest import ROOT, SAMPLES, run_cli


AMOUNTS = {"amount_won", "total_before", "total_decrease", "total_increase", "total_after",
           "before", "decrease", "increase", "after", "expected", "actual"}


def _errors(report) -> set:
    return {e.type for t in report.tasks for e in t.errors} | {e.type for e in report.errors}


@pytest.fixture(scope="module")
def csv_dir(tmp_path_factory):
    """The CSV tables of every sample in every format, as `extract --format csv` writes them."""
    out = tmp_path_factory.mktemp("csv")
    files = sorted(p for p in SAMPLES.iterdir() if p.is_file())
    r = run_cli("extract", *files, "--format", "csv", "--out", out, timeout=300)
    assert r.returncode == 0, r.stderr
    return out


def test_the_written_package_validates_with_frictionless(csv_dir):
    assert sorted(p.name for p in csv_dir.iterdir()) == sorted([f"{t}.csv" for t in TABLES] + ["datapackage.json"])
    report = validate(str(csv_dir / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:20]
    rows = {t.name: t.stats["rows"] for t in report.tasks}
    for name in TABLES:
        with open(csv_dir / f"{name}.csv", encoding="utf-8-sig", newline="") as fh:
            n = sum(1 for _ in csv.reader(fh)) - 1
        assert rows[name] == n > 0, name  # every row was read and checked
    assert (csv_dir / "datapackage.json").read_text(encoding="utf-8") == (ROOT / "schemas" / "datapackage.json").read_text(encoding="utf-8")


def test_package_describes_the_tables_as_written(csv_dir):
    pkg = json.loads((csv_dir / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in pkg["resources"]] == list(TABLES)
    for res in pkg["resources"]:
        # the declared encoding reads the header as the field names (the BOM is consumed)
        with open(csv_dir / res["path"], encoding=res["encoding"], newline="") as fh:
            header = next(csv.reader(fh))
        fields = res["schema"]["fields"]
        assert header == [f["name"] for f in fields] == COLUMNS[res["name"]]
        assert (csv_dir / res["path"]).read_bytes().startswith(b"\xef\xbb\xbf") and res["encoding"] == "utf-8-sig"
        schema = SCHEMAS[res["name"]].to_schema()
        assert res["schema"]["primaryKey"] == list(schema.unique)
        for f in fields:
            col = schema.columns[f["name"]]
            assert f["type"] in ("integer", "string", "object", "array")
            assert (f["type"] == "integer") == (str(col.dtype) == "Int64")
            assert f["title"] == col.title and f["description"] == col.description
            # every amount, and nothing else, says it is in won
            assert (f.get("unit") == "won") == (f["name"] in AMOUNTS), f["name"]
    by_name = {r["name"]: r["schema"] for r in pkg["resources"]}
    assert by_name["budget_lines"]["foreignKeys"] == [
        {"fields": ["report_id", "transfer_seq"], "reference": {"resource": "transfers", "fields": ["report_id", "transfer_seq"]}}]
    for name in ("transfers", "findings"):
        assert by_name[name]["foreignKeys"] == [{"fields": ["report_id"], "reference": {"resource": "reports", "fields": ["report_id"]}}]
    assert "foreignKeys" not in by_name["reports"]
    assert "leading apostrophe" in pkg["description"] and "utf-8-sig" in pkg["description"]


def _rewrite(path, edit):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    edit(rows)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, lineterminator="\r\n").writerows(rows)


@pytest.mark.parametrize("table,edit,error", [
    # a transfer of a report that is not in reports.csv
    ("transfers", lambda rows: rows[1].__setitem__(0, "f" * 64), "foreign-key"),
    # a budget line whose transfer does not exist
    ("budget_lines", lambda rows: rows[1].__setitem__(1, "99"), "foreign-key"),
    # the same (report_id, transfer_seq, line) twice
    ("budget_lines", lambda rows: rows.append(list(rows[1])), "primary-key"),
    # an amount that is not an integer
    ("budget_lines", lambda rows: rows[1].__setitem__(COLUMNS["budget_lines"].index("before"), "355,000"), "type-error"),
    # a check the contract does not know
    ("findings", lambda rows: rows[1].__setitem__(COLUMNS["findings"].index("check"), "row_balanse"), "constraint-error"),
    # a quarter out of range
    ("reports", lambda rows: rows[1].__setitem__(COLUMNS["reports"].index("quarter"), "5"), "constraint-error"),
])
def test_the_package_catches_broken_tables(csv_dir, tmp_path, table, edit, error):
    for p in csv_dir.iterdir():
        (tmp_path / p.name).write_bytes(p.read_bytes())
    _rewrite(tmp_path / f"{table}.csv", edit)
    report = Package(str(tmp_path / "datapackage.json")).validate()
    assert not report.valid and error in _errors(report)


def test_export_writes_the_same_package(tmp_path, csv_dir):
    from pipeline.storage.archive import Archive, SourceFile
    from pipeline.extract import parse_file

    with Archive(tmp_path / "a.sqlite") as a:
        for p in sorted(SAMPLES.glob("err_*.txt")):
            doc = parse_file(p).to_json()
            a.add_report(doc, [SourceFile(doc["source"]["path"], doc["source"]["sha256"])])
    r = run_cli("export", "--archive", tmp_path / "a.sqlite", "--out", tmp_path / "out")
    assert r.returncode == 0, r.stderr
    written = tmp_path / "out" / "datapackage.json"
    assert written.read_bytes() == (csv_dir / "datapackage.json").read_bytes()
    assert validate(str(written)).valid
    # written atomically: nothing but the five files is left behind
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted([f"{t}.csv" for t in TABLES] + ["datapackage.json"])


def test_descriptor_is_deterministic_and_json():
    assert json.loads(descriptor_text()) == descriptor()
    assert descriptor_text() == descriptor_text()


def test_a_lone_unnumbered_transfer_is_valid(tmp_path):
    """A report of one transfer printed without a numeral has an empty label, as printed:
    the schemas accept it and the package still validates."""
    from test_parse_variants import HEAD, item

    report = tmp_path / "unnumbered.txt"
    report.write_text(HEAD + item("").lstrip("\n"), encoding="utf-8")
    out = tmp_path / "csv"
    r = run_cli("extract", report, "--format", "csv", "--out", out)
    assert r.returncode == 0 and "schema" not in r.stderr, r.stderr
    with open(out / "transfers.csv", encoding="utf-8-sig", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert row["label"] == "" and row["title"] == "골목상권 행사 예산 전용"
    assert validate(str(out / "datapackage.json")).valid
