"""`jeonyong audit` as a user runs it: files, folders or an archive; the terminal table,
the HTML page and the workbook; the contract's exit statuses; one-line errors."""
from __future__ import annotations

import shutil
from pathlib import Path

import lxml.html
import openpyxl
import pytest

from conftest import SAMPLES, SEED, run_cli


def bad_cells(tree) -> set:
    out = set()
    for el in tree.xpath('//*[contains(concat(" ", @class, " "), " bad ")]'):
        rid = el.xpath("ancestor::article[1]")[0].get("data-report-id")
        seq = el.xpath("ancestor::section[@data-transfer][1]")[0].get("data-transfer")
        out.add((rid, seq, el.get("data-line"), el.get("data-field")))
    return out


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    d = tmp_path_factory.mktemp("arch")
    src = d / "reports"
    src.mkdir()
    for p in sorted(SAMPLES.glob("*.txt")):
        shutil.copy(p, src / p.name)
    target = d / "a.sqlite"
    r = run_cli("ingest", src, "--archive", target, "--jobs", "1", timeout=300)
    assert r.returncode in (0, 1), r.stderr
    return src, target


def test_exit_statuses():
    assert run_cli("audit", SEED).returncode == 0
    assert run_cli("audit", SAMPLES / "err_row_balance_001.txt").returncode == 1
    assert run_cli("audit", SAMPLES / "err_date_period_001.txt").returncode == 0  # a warning only
    r = run_cli("audit", SEED, SAMPLES / "nonexistent.txt")
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == [f"{SAMPLES / 'nonexistent.txt'}: no such file"]
    r = run_cli("audit")
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_archive_page_matches_the_fresh_parse(archive, tmp_path):
    src, target = archive
    fresh, stored = tmp_path / "fresh.html", tmp_path / "stored.html"
    r1 = run_cli("audit", src, "--html", fresh)
    r2 = run_cli("audit", "--archive", target, "--html", stored, "--xlsx", tmp_path / "stored.xlsx")
    assert r1.returncode == r2.returncode == 1, (r1.stderr, r2.stderr)
    assert r1.stdout.splitlines()[-1] == r2.stdout.splitlines()[-1]
    t1 = lxml.html.parse(str(fresh)).getroot()
    t2 = lxml.html.parse(str(stored)).getroot()
    assert bad_cells(t1) == bad_cells(t2) and len(bad_cells(t2)) >= 8
    clean = lambda t: {li.get("data-report-id") for li in t.xpath('//li[@class="clean-report"]')}  # noqa: E731
    assert clean(t1) == clean(t2) and clean(t2)
    # the overview: charts and the cross-report 통계목 conflict naming the reports involved
    ov = t2.xpath('//section[@id="overview"]')[0]
    assert len(ov.xpath(".//*[local-name()='svg']")) >= 5
    assert ov.xpath('.//table[@id="conflicts"]//tr[@data-key="201-02"]')
    wb = openpyxl.load_workbook(tmp_path / "stored.xlsx")
    assert wb.sheetnames == ["reports", "transfers", "budget_lines", "findings"]
    assert wb["reports"].max_row - 2 == len(t2.xpath('//table[@id="by-report"]//tr[@data-report-id]'))


def test_unreadable_archive_is_one_line(tmp_path):
    for bad in (SEED, tmp_path / "missing.sqlite", tmp_path):
        r = run_cli("audit", "--archive", bad)
        assert r.returncode == 2, bad
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"{bad}: ") and "Traceback" not in r.stderr


def test_terminal_table_lists_cross_report_conflicts():
    r = run_cli("audit", SAMPLES)
    assert r.returncode == 1
    assert "stat_code_name (across reports): 통계목 201-02" in r.stdout
    assert "err_stat_code_name_001.txt" in r.stdout
    # the leading group of a code (110-/100-) is no conflict
    assert "110-201-01" not in r.stdout.split("(across reports)", 1)[1]


def test_archive_pdf_picture_uses_any_path_the_file_was_found_under(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    shutil.copy(SAMPLES / "err_row_balance_001.pdf", a / "first.pdf")
    shutil.copy(SAMPLES / "err_row_balance_001.pdf", b / "second.pdf")
    target = tmp_path / "x.sqlite"
    r = run_cli("ingest", a, b, "--archive", target, "--jobs", "1", timeout=300)
    assert r.returncode == 1, r.stderr
    page = tmp_path / "x.html"
    assert run_cli("audit", "--archive", target, "--html", page).returncode == 1
    tree = lxml.html.parse(str(page)).getroot()
    assert len(tree.xpath("//article")) == 1 and len(tree.xpath("//figure/img")) == 1
    primary = tree.xpath("//article//p[@class='meta']/code")[0].text
    Path(primary).unlink()  # the path the report was first archived under is gone
    assert run_cli("audit", "--archive", target, "--html", page).returncode == 1
    tree = lxml.html.parse(str(page)).getroot()
    assert len(tree.xpath("//figure/img")) == 1
    for p in (a / "first.pdf", b / "second.pdf"):
        p.unlink(missing_ok=True)
    assert run_cli("audit", "--archive", target, "--html", page).returncode == 1
    tree = lxml.html.parse(str(page)).getroot()
    assert not tree.xpath("//figure") and "not available here" in tree.text_content()


def test_a_report_whose_tables_were_not_read_is_not_called_clean(tmp_path):
    """Plain `pdftotext` loses the table layout: no finding can be raised, and the audit
    must say the report was not fully checked rather than clean (terminal and HTML)."""
    lost = Path(__file__).parent / "fixtures" / "layout" / "001_climate_2022q1.raw.txt"
    page = tmp_path / "audit.html"
    r = run_cli("audit", lost, SAMPLES / "001_climate_2022q1.txt", "--html", page)
    assert r.returncode == 3, r.stderr  # unchecked is not clean
    lines = r.stdout.splitlines()
    (unchecked,) = [ln for ln in lines if str(lost) in ln]
    assert unchecked.startswith("? ") and "not fully checked" in unchecked and "clean" not in unchecked
    assert any(ln.startswith("✓ ") and "001_climate_2022q1.txt" in ln for ln in lines)
    assert "1 clean, 1 not fully checked" in lines[-1]
    doc = lxml.html.fromstring(page.read_text(encoding="utf-8"))
    statuses = {row.get("data-status") for row in doc.xpath('//table[@id="by-report"]//tr[@data-status]')}
    assert statuses == {"unchecked", "clean"}
    assert len(doc.xpath('//li[contains(@class, "clean-report")]')) == 1


def test_the_audit_table_says_when_readings_were_decided_by_a_heuristic():
    """A PDF whose wrapped names were rejoined by the document's vocabulary or by default
    carries notes; the audit table points the auditor at them."""
    pdf = Path(__file__).parent / "fixtures" / "pdf" / "split_syllable_centre.pdf"
    r = run_cli("audit", pdf)
    assert r.returncode == 0, r.stderr
    (line,) = [ln for ln in r.stdout.splitlines() if "decided by a heuristic" in ln]
    n = int(line.split("(")[1].split()[0])
    from pipeline.extract import parse_file

    assert n == len(parse_file(pdf).to_json()["notes"]) > 0
