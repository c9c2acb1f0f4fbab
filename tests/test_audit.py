"""Every check fires on its injected error and stays silent on clean reports."""
import pytest

from pipeline.extract import parse_file
from pipeline.readers import read_bytes
from pipeline.parse import parse_document
from pipeline.audit import audit_report

from conftest import SAMPLES, SEED
from sample_reports import clean_samples, error_samples

CHECKS = ["row_balance", "column_total", "transfer_balance", "summary_amount", "overdraw", "date_period", "stat_code_name"]


def test_every_check_has_an_injected_sample():
    assert sorted(r.name.split("_0")[0][4:] for r in error_samples()) == sorted(CHECKS)


@pytest.mark.parametrize("name", [r.name for r in clean_samples()] + ["seed_000_69d6960250ab482a"])
def test_clean_reports_have_no_findings(name):
    report = parse_file(SAMPLES / f"{name}.txt")
    assert report.findings == []
    assert report.transfers and all(t.budget and t.budget.lines for t in report.transfers)


@pytest.mark.parametrize("check", CHECKS)
def test_check_fires_on_its_injected_error(check):
    report = parse_file(SAMPLES / f"err_{check}_001.txt")
    fired = [f for f in report.findings if f.check == check]
    assert fired, f"{check} did not fire: {[f.check for f in report.findings]}"
    for f in fired:
        assert f.loc is not None and (f.loc.line or f.loc.page)
        assert f.message


def test_row_balance_points_at_the_printed_figure():
    report = parse_file(SAMPLES / "err_row_balance_001.txt")
    (f,) = report.findings
    assert (f.transfer_seq, f.line, f.field, f.expected, f.actual) == (1, 1, "after", 96_000_000, 97_000_000)
    # The loc names the line of the file where 97,000 is printed.
    lines = (SAMPLES / "err_row_balance_001.txt").read_bytes().decode("cp949").splitlines()
    assert "97,000" in lines[f.loc.line - 1]


def test_column_total_names_column_and_total_cell():
    report = parse_file(SAMPLES / "err_column_total_001.txt")
    (f,) = report.findings
    assert (f.transfer_seq, f.line, f.field, f.expected, f.actual) == (2, None, "before", 52_000_000, 53_000_000)
    lines = (SAMPLES / "err_column_total_001.txt").read_bytes().decode("cp949").splitlines()
    assert lines[f.loc.line - 1].startswith("총 계") and "53,000" in lines[f.loc.line - 1]


def test_summary_amount_and_overdraw_details():
    (f,) = parse_file(SAMPLES / "err_summary_amount_001.txt").findings
    assert (f.field, f.expected, f.actual) == ("amount_won", 8_500_000, 8_000_000)
    (f,) = parse_file(SAMPLES / "err_overdraw_001.txt").findings
    assert (f.line, f.field, f.expected, f.actual) == (1, "decrease", 20_000_000, 24_000_000)


def test_transfer_balance_reports_the_difference():
    report = parse_file(SAMPLES / "err_transfer_balance_001.txt")
    (f,) = [f for f in report.findings if f.check == "transfer_balance"]
    assert (f.expected, f.actual) == (24_000_000, 25_000_000)
    assert "appeared" in f.message


def test_date_period_is_a_warning():
    (f,) = parse_file(SAMPLES / "err_date_period_001.txt").findings
    assert f.severity == "warning" and f.field == "date" and f.transfer_seq == 1


def test_stat_code_name_within_a_report():
    (f,) = parse_file(SAMPLES / "err_stat_code_name_001.txt").findings
    assert f.severity == "warning" and "201-02" in f.message


def test_wrong_printed_total_is_reported_not_repaired():
    text = SEED.read_text(encoding="utf-8").replace("총 계\t\t\t\t\t448,320\t16,500\t16,500\t448,320", "총 계\t\t\t\t\t448,320\t16,500\t16,500\t448,000")
    report = audit_ready(text)
    assert report.transfers[1].budget.total["after"] == 448_000_000
    assert [(f.check, f.field) for f in report.findings] == [("column_total", "after")]


def test_overdraw_below_zero():
    text = SEED.read_text(encoding="utf-8").replace("10,000\t10,000\t-\t-", "10,000\t10,000\t-\t△0")
    text = text.replace("100,000\t-\t10,000\t110,000", "100,000\t-\t10,000\t110,000")
    assert audit_ready(text).findings == []  # △0 is still zero
    text = SEED.read_text(encoding="utf-8").replace("355,000\t30,000\t-\t325,000", "25,000\t30,000\t-\t△5,000")
    text = text.replace("355,000\t30,000\t30,000\t355,000", "25,000\t30,000\t30,000\t25,000")
    checks = [(f.check, f.field) for f in audit_ready(text).findings]
    assert ("overdraw", "decrease") in checks and all(c == "overdraw" for c, _ in checks)


def audit_ready(text: str):
    report = parse_document(read_bytes("t.txt", text.encode("utf-8")))
    report.findings = audit_report(report)
    return report


def test_stat_code_leading_group_is_not_a_second_code():
    # The seed prints 110-201-01 and 100-201-03: the first group varies (domain.md), so
    # 110-201-03 and 100-201-03 with one name are one code, not a conflict.
    text = SEED.read_text(encoding="utf-8").replace("100-201-03 행사운영비\t100,000", "110-201-03 행사운영비\t100,000")
    assert audit_ready(text).findings == []
    text = SEED.read_text(encoding="utf-8").replace("100-201-03 행사운영비\t100,000", "110-201-03 행사운영비(기타)\t100,000")
    (f,) = audit_ready(text).findings
    assert f.check == "stat_code_name" and "201-03" in f.message
