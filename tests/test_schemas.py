"""The published contract in schemas/ stays in sync with the code, and validation turns
violations into messages instead of crashes."""
import json
import subprocess
import sys

import jsonschema
import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from pandera import errors as pandera_errors

from pipeline.contract import REPORT_JSON_SCHEMA, schema_files
from pipeline.extract import extract_files, parse_file, validate_reports
from pipeline.schemas import INT, SPECS, certainly_valid, frame, pandera_models, validate_rows
from pipeline.tables import COLUMNS, TABLES, report_rows

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


# --- the plain check (no pandas) that lets a clean output skip pandera ------------------
_ODD_TEXT = ["", "1", "x", "0", "text", "pdf", "천원", "억원", "error", "warning", "before", "date", "row_balance",
             "100-201-03", "100-201-03\n", "10-2", "1-201-03", "١٠٠-٢٠١", "2022-02", "2022-2", "2022-02-31x",
             "f" * 64, "F" * 64, "f" * 63, "1,2,3", "1,2", "3.5", "\n"]
_ODD_VALUES = st.one_of(
    st.none(), st.booleans(), st.floats(allow_nan=True), st.text(max_size=5), st.sampled_from(_ODD_TEXT),
    st.integers(min_value=-(2**64), max_value=2**64),
    st.sampled_from([-1, 0, 1, 2, 4, 5, 1947, 1948, 2100, 2101, 2**63 - 1, 2**63, -(2**63), -(2**63) - 1]),
)


class Rows(dict):
    def __repr__(self):  # Hypothesis prints the arguments of a failing case: keep it short
        return f"<rows of {len(self['reports'])} reports>"


@pytest.fixture(scope="module")
def two_reports_rows():
    docs = [parse_file(SAMPLES / name).to_json() for name in ("000_seed.txt", "err_stat_code_name_001.txt")]
    return Rows({k: [r for d in docs for r in report_rows(d)[k]] for k in report_rows(docs[0])})


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_what_the_plain_check_passes_pandera_passes(two_reports_rows, data):
    """Random edits of real rows (any value into any column, rows duplicated): whenever the
    plain check vouches for a table, pandera accepts it; and when every value is of exactly
    its column's type (str, None, or an int that float64 holds exactly: pandera coerces
    through it) the two agree both ways."""
    table = data.draw(st.sampled_from(TABLES))
    rows = [dict(r) for r in two_reports_rows[table]]
    for _ in range(data.draw(st.integers(1, 3))):
        i = data.draw(st.integers(0, len(rows) - 1))
        if data.draw(st.integers(0, 9)) == 0:
            rows.append(dict(rows[i]))
        else:
            rows[i][data.draw(st.sampled_from(COLUMNS[table]))] = data.draw(_ODD_VALUES)
    quick = certainly_valid(table, rows)
    try:
        pandera_models()[table].validate(frame(table, rows), lazy=True)
        pandera_ok = True
    except pandera_errors.SchemaErrors:
        pandera_ok = False
    note(f"{table}: plain {quick}, pandera {pandera_ok}")
    if quick:
        assert pandera_ok
    kinds = {c.name: int if c.dtype == INT else str for c in SPECS[table].columns}
    if all(v is None or type(v) is kinds[k] and (type(v) is str or abs(v) <= 2**53) for r in rows for k, v in r.items()):
        assert quick == pandera_ok


def _python(code: str) -> str:
    """Run `code` in a fresh interpreter (so that what it imports is its own) on the seed."""
    done = subprocess.run([sys.executable, "-c", "import sys; " + code, str(SAMPLES / "000_seed.txt")],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_clean_report_is_validated_without_pandas():
    out = _python("from pipeline.extract import extract_files; o = list(extract_files([sys.argv[1]]))[0]; "
                  "assert o.ok and not o.reports[0].schema_errors; "
                  "print(sorted(m for m in ('pandas', 'pandera', 'numpy') if m in sys.modules))")
    assert out == "[]"


def test_a_faulty_report_still_gets_pandera_messages():
    out = _python("from pipeline.extract import parse_file, validate_reports; r = parse_file(sys.argv[1]); "
                  "r.transfers[0].budget.lines[0].stat_code = 'x-y'; validate_reports([r]); "
                  "print('pandera' in sys.modules); print(r.schema_errors[0])")
    imported, message = out.splitlines()[:2]
    assert imported == "True" and "stat_code fails str_matches" in message
