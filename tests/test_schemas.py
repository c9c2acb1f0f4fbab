"""The published contract in schemas/ stays in sync with the code, and validation turns
violations into messages instead of crashes."""
import json

import jsonschema
import pytest

from pipeline.contract import REPORT_JSON_SCHEMA, schema_files
from pipeline.extract import extract_files, parse_file, validate_reports
from pipeline.schemas import validate_rows
from pipeline.tables import report_rows

from conftest import ROOT, SAMPLES, SEED


def test_schemas_dir_matches_the_code():
    stale = []
    for rel, text in schema_files().items():
        path = ROOT / "schemas" / rel
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(rel)
    assert not stale, f"schemas/ is out of date ({stale}); run: python scripts/export_schemas.py"


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.txt")), ids=lambda p: p.name)
def test_every_sample_validates_against_the_json_schema(path):
    doc = parse_file(path).to_json()
    jsonschema.validate(doc, REPORT_JSON_SCHEMA)


def test_json_schema_rejects_a_broken_report():
    doc = parse_file(SEED).to_json()
    doc["transfers"][0]["budget"]["lines"][0]["before"] = "355,000"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, REPORT_JSON_SCHEMA)


def test_pandera_accepts_all_samples():
    outcomes = list(extract_files(sorted(str(p) for p in SAMPLES.glob("*.txt"))))
    assert all(o.ok for o in outcomes)
    assert [o.path for o in outcomes for r in o.reports if r.schema_errors] == []


def test_pandera_violation_is_a_message_for_its_report():
    good = parse_file(SEED).to_json()
    bad = json.loads(json.dumps(good))
    bad["source"]["sha256"] = "f" * 64
    bad["quarter"] = 7
    bad["transfers"][0]["budget"]["lines"][0]["stat_code"] = "code?"
    tables = {k: report_rows(good)[k] + report_rows(bad)[k] for k in report_rows(good)}
    problems = validate_rows(tables)
    assert set(problems) == {"f" * 64}
    text = "\n".join(problems["f" * 64])
    assert "quarter" in text and "stat_code" in text


def test_duplicate_keys_are_caught():
    doc = parse_file(SEED).to_json()
    rows = report_rows(doc)
    rows["budget_lines"].append(dict(rows["budget_lines"][0]))
    problems = validate_rows(rows)
    assert any("budget_lines" in p for p in problems[doc["source"]["sha256"]])


def test_validate_reports_attaches_errors():
    r = parse_file(SEED)
    r.transfers[0].budget.lines[0].stat_code = "x-y"
    validate_reports([r])
    assert r.schema_errors and "stat_code" in r.schema_errors[0]
    assert "schema_errors" in r.to_json()
