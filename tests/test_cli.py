"""The `jeonyong` command as a user runs it: outputs, exit statuses, one-line errors."""
import csv
import io
import json
import subprocess
import sys

import pytest

from conftest import SAMPLES, SEED, SHARED, run_cli

CONTRACT_CHECK = SHARED / "tools" / "contract_check.py"


def contract_check(*paths):
    if not CONTRACT_CHECK.exists():
        pytest.skip("shared/tools/contract_check.py not beside the checkout")
    return subprocess.run([sys.executable, str(CONTRACT_CHECK), *map(str, paths)], capture_output=True, text=True)


def test_version_and_help():
    r = run_cli("--version")
    assert r.returncode == 0 and r.stdout.startswith("jeonyong ")
    r = run_cli("--help")
    assert r.returncode == 0
    for cmd in ("extract", "audit"):
        assert cmd in r.stdout
    r = run_cli("extract", "--help")
    assert "--out" in r.stdout and "--format" in r.stdout


def test_extract_to_stdout_conforms(tmp_path):
    r = run_cli("extract", SEED)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["title"] == "2021 회계연도 4/4분기 예산 전용 보고"
    (tmp_path / "seed.json").write_text(r.stdout, encoding="utf-8")
    cc = contract_check(tmp_path / "seed.json")
    assert cc.returncode == 0, cc.stdout


def test_extract_out_dir_names_and_contract(tmp_path):
    # Every sample in every format: each JSON must conform to the contract.
    files = sorted(p for p in SAMPLES.iterdir() if p.is_file())
    assert {p.suffix for p in files} >= {".txt", ".pdf", ".docx", ".hwpx", ".hwp"}
    r = run_cli("extract", *files, "--out", tmp_path)
    assert r.returncode == 0, r.stderr
    written = sorted(p.name for p in tmp_path.glob("*.json"))
    assert written == sorted(f.name + ".json" for f in files)
    cc = contract_check(*tmp_path.glob("*.json"))
    assert cc.returncode == 0, cc.stdout
    assert not list(tmp_path.glob("*.part")) and not list(tmp_path.glob(".*"))


def test_csv_tables_with_bom(tmp_path):
    r = run_cli("extract", SEED, SAMPLES / "err_row_balance_001.txt", "--format", "csv", "--out", tmp_path)
    assert r.returncode == 0, r.stderr
    tables = {}
    for name in ("reports", "transfers", "budget_lines", "findings"):
        raw = (tmp_path / f"{name}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), name
        tables[name] = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(tables["reports"]) == 2
    assert len(tables["transfers"]) == 5
    assert len(tables["budget_lines"]) == 10
    (f,) = tables["findings"]
    assert f["check"] == "row_balance" and f["line"] == "1" and f["field"] == "after"
    seed_lines = [b for b in tables["budget_lines"] if b["report_id"] == tables["reports"][0]["report_id"] or True]
    assert any(b["stat_name"] == "사무관리비" and b["before"] == "355000000" for b in seed_lines)


def test_audit_exit_statuses():
    r = run_cli("audit", SEED)
    assert r.returncode == 0, r.stderr
    assert "clean" in r.stdout
    r = run_cli("audit", SAMPLES / "err_row_balance_001.txt")
    assert r.returncode == 1
    assert "row_balance" in r.stdout and "97,000,000" in r.stdout and "96,000,000" in r.stdout
    r = run_cli("audit", SAMPLES / "err_date_period_001.txt")
    assert r.returncode == 0  # a warning does not fail the audit
    assert "date_period" in r.stdout


def _bad_inputs(tmp_path):
    bad = {
        "empty.txt": b"",
        "junk.bin": bytes(range(256)) * 64,
        "novel.txt": "옛날 옛적에 한 마을에 농부가 살았습니다.\n그는 매일 밭을 갈았습니다.\n".encode("utf-8"),
        "huge.txt": ("가" * 2_000_000).encode("utf-8"),
        "fake.pdf": b"this is not a pdf at all\n" * 10,
    }
    paths = []
    for name, data in bad.items():
        p = tmp_path / name
        p.write_bytes(data)
        paths.append(p)
    return paths + [tmp_path / "missing.txt"]


def test_bad_inputs_one_line_each_exit_2_and_the_rest_written(tmp_path):
    out = tmp_path / "out"
    bad = _bad_inputs(tmp_path)
    r = run_cli("extract", SEED, *bad, "--out", out)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == len(bad)
    for p, line in zip(bad, lines):
        assert line.startswith(f"{p}: ") and len(line) > len(str(p)) + 5
    assert "not a 예산 전용 보고" in lines[2]
    assert "2,000,000 characters" in lines[3]
    assert "no such file" in lines[5]
    assert [p.name for p in out.iterdir()] == [SEED.name + ".json"]


def test_audit_unreadable_is_2(tmp_path):
    r = run_cli("audit", SEED, *_bad_inputs(tmp_path)[:1])
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "empty file" in r.stderr


def test_existing_output_survives_a_failed_run(tmp_path):
    out = tmp_path / "out"
    assert run_cli("extract", SEED, "--out", out).returncode == 0
    before = (out / (SEED.name + ".json")).read_bytes()
    bad = tmp_path / SEED.name
    bad.write_bytes(b"")
    r = run_cli("extract", bad, "--out", out)
    assert r.returncode == 2
    assert (out / (SEED.name + ".json")).read_bytes() == before
