"""The auditor's HTML page, read back with an HTML parser: every finding is on it, the
highlighted cells are exactly the ones the findings name (with the expected figure beside
the printed one), clean reports are listed as clean, and nothing is fetched from outside."""
from __future__ import annotations

import base64
import copy
import io
import json
import re
import shutil
from decimal import Decimal

import lxml.html
import pytest

from conftest import SAMPLES, SEED, run_cli
from pipeline.extract import parse_file
from pipeline.overview import build_overview, cross_report_conflicts, stat_key, transfer_flows
from pipeline.records import MONEY_FIELDS
from pipeline.writers.html_report import fmt_unit, render_html

UNIT = {"원": 1, "천원": 1000, "백만원": 1_000_000}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The sample reports, plus two broken copies of the seed made here by editing printed
    figures, plus a file that is not a report."""
    d = tmp_path_factory.mktemp("corpus")
    for p in sorted(SAMPLES.glob("*.txt")):
        shutil.copy(p, d / p.name)
    seed = SEED.read_text(encoding="utf-8")
    # line 1 of transfer I: 355,000 − 30,000 + 0 printed as 326,000 (row_balance; the 총계 then fails footing too)
    broken = seed.replace("355,000\t30,000\t-\t325,000", "355,000\t30,000\t-\t326,000", 1)
    assert broken != seed
    (d / "mine_row.txt").write_text(broken, encoding="utf-8")
    # transfer II: the 전용개요 amount and the 총계 전용 후 disagree with the table
    broken2 = seed.replace("금 16,500천원", "금 16,600천원", 1).replace("448,320\t16,500\t16,500\t448,320", "448,320\t16,500\t16,500\t448,330", 1)
    assert broken2.count("16,600천원") == 1 and "448,330" in broken2
    (d / "mine_two.txt").write_text(broken2, encoding="utf-8")
    (d / "not_a_report.txt").write_text("장보기 목록\n- 우유\n- 달걀\n", encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def docs(corpus):
    out = []
    for p in sorted(corpus.glob("*.txt")):
        if p.name == "not_a_report.txt":
            continue
        out.append(parse_file(p).to_json())
    return out


@pytest.fixture(scope="module")
def page(corpus, tmp_path_factory):
    target = tmp_path_factory.mktemp("html") / "audit.html"
    r = run_cli("audit", corpus, "--html", target)
    assert r.returncode == 2, r.stderr  # not_a_report.txt is unreadable as a report
    assert "not_a_report.txt" in r.stderr and "Traceback" not in r.stderr
    text = target.read_text(encoding="utf-8")
    return text, lxml.html.fromstring(text)


def expected_targets(doc: dict) -> set:
    """What the findings name, worked out here from the contract's fields."""
    out = set()
    transfers = {t["seq"]: t for t in doc["transfers"]}
    for f in doc["findings"]:
        if f["transfer_seq"] not in transfers:
            continue
        fld, line = f["field"], f["line"]
        if fld in ("amount_won", "date"):
            out.add((f["transfer_seq"], None, fld))
        elif line is not None:
            out.add((f["transfer_seq"], str(line), fld if fld in MONEY_FIELDS else "stat_code"))
        elif fld in MONEY_FIELDS:
            out.add((f["transfer_seq"], "total", fld))
    return out


def article(tree, doc):
    found = tree.xpath(f'//article[@data-report-id="{doc["source"]["sha256"]}"]')
    return found[0] if found else None


def test_page_is_korean_and_self_contained(page):
    text, tree = page
    assert tree.tag == "html" and tree.get("lang") == "ko"
    assert tree.xpath("//meta[@charset]")[0].get("charset").lower() == "utf-8"
    assert not tree.xpath("//script") and not tree.xpath("//link") and not tree.xpath("//iframe")
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in ("src", "href", "xlink:href", "{http://www.w3.org/1999/xlink}href", "action", "poster"):
            v = el.get(attr)
            if v is not None:
                assert v.startswith("#") or v.startswith("data:"), (el.tag, attr, v[:80])
    style = " ".join(tree.xpath("//style/text()"))
    assert "@import" not in style and "url(" not in style and "@font-face" not in style
    assert not re.search(r"(src|href)\s*=\s*[\"']?\s*(https?:)?//", text, re.I)


def test_every_finding_appears_with_its_message(page, docs):
    _, tree = page
    for doc in docs:
        art = article(tree, doc)
        if not doc["findings"]:
            assert art is None
            continue
        assert art is not None, doc["source"]["path"]
        items = art.xpath('.//li[contains(concat(" ", @class, " "), " finding ")]')
        assert len(items) == len(doc["findings"])
        assert sorted(li.get("data-check") for li in items) == sorted(f["check"] for f in doc["findings"])
        page_text = art.text_content()
        for f in doc["findings"]:
            assert f["message"] in page_text


def test_highlighted_cells_are_exactly_the_ones_the_findings_name(page, docs):
    _, tree = page
    checked = 0
    for doc in docs:
        art = article(tree, doc)
        if art is None:
            continue
        ids = {li.get("id"): li for li in art.xpath('.//li[contains(@class, "finding")]')}
        got = set()
        for el in art.xpath('.//*[contains(concat(" ", @class, " "), " bad ")]'):
            seq = int(el.xpath("ancestor::section[@data-transfer][1]")[0].get("data-transfer"))
            got.add((seq, el.get("data-line"), el.get("data-field")))
            refs = el.get("data-findings").split()
            assert refs and all(r in ids for r in refs)
        assert got == expected_targets(doc), doc["source"]["path"]
        # and nothing unflagged carries a highlight class of its own
        assert len(art.xpath('.//*[contains(@class, "sev-error") or contains(@class, "sev-warning")]')) == len(got)
        checked += len(got)
    assert checked >= 8


def test_faulty_cell_shows_printed_and_expected_figures(page, docs):
    _, tree = page
    (doc,) = [d for d in docs if d["source"]["path"].endswith("mine_row.txt")]
    (f,) = [f for f in doc["findings"] if f["check"] == "row_balance"]
    t = next(t for t in doc["transfers"] if t["seq"] == f["transfer_seq"])
    unit = t["budget"]["unit"]
    cell = article(tree, doc).xpath(
        f'.//section[@data-transfer="{f["transfer_seq"]}"]//td[@data-line="{f["line"]}"][@data-field="after"]'
    )[0]
    assert "bad" in cell.get("class")
    printed = cell.xpath('.//span[@class="printed"]')[0].text_content()
    expected = cell.xpath('.//span[@class="expected"]')[0].text_content()
    assert printed == f"{f['actual'] // UNIT[unit]:,}" == "326,000"
    assert expected == f"{f['expected'] // UNIT[unit]:,}" == "325,000"
    # the finding's place in the source is on the page (text source: a line number)
    assert f"{f['loc']['line']}번째 줄" in article(tree, doc).text_content()


def test_clean_reports_are_listed_as_clean(page, docs):
    _, tree = page
    clean = {d["source"]["sha256"] for d in docs if not d["findings"]}
    assert clean
    listed = {li.get("data-report-id") for li in tree.xpath('//section[@id="clean"]//li[@class="clean-report"]')}
    assert listed == clean
    rows = {tr.get("data-report-id"): tr.get("data-status") for tr in tree.xpath('//table[@id="by-report"]//tr[@data-report-id]')}
    assert {rid for rid, st in rows.items() if st == "clean"} == clean
    assert len(rows) == len(docs)
    failed = tree.xpath('//section[@id="failed"]//li')
    assert len(failed) == 1 and "not_a_report.txt" in failed[0].text_content()


def test_counts_by_check(page, docs):
    _, tree = page
    for tr in tree.xpath('//table[@id="by-check"]//tr[@data-check]'):
        n = sum(1 for d in docs for f in d["findings"] if f["check"] == tr.get("data-check"))
        assert int(tr.get("data-count")) == n


def test_overview_charts_and_cross_report_stat_conflicts(page, docs):
    _, tree = page
    ov = tree.xpath('//section[@id="overview"]')[0]
    assert len(ov.xpath(".//*[local-name()='svg']")) >= 5
    # err_stat_code_name prints 201-02 as 홍보물제작비 where every other report has 공공운영비
    bad = next(d for d in docs if "err_stat_code_name" in d["source"]["path"])
    others = {d["source"]["sha256"] for d in docs if d is not bad and any(
        stat_key(ln["stat_code"]) == "201-02" and ln["stat_name"] == "공공운영비"
        for t in d["transfers"] for ln in (t["budget"] or {}).get("lines", []))}
    assert others
    rows = ov.xpath('.//table[@id="conflicts"]//tr[@data-key="201-02"]')
    assert rows and rows[0].get("data-kind") == "code"
    involved = {s.get("data-report-id") for r in rows for s in r.xpath(".//span[@data-report-id]")}
    assert bad["source"]["sha256"] in involved and others <= involved


def test_no_conflict_from_the_leading_code_group(docs):
    # The seed prints 110-201-01 and 100-201-03; other samples print 201-01 / 201-03: the
    # same 통계목 (shared/domain.md), so no cross-report warning may come from that.
    clean = [d for d in docs if not d["findings"]]
    assert {ln["stat_code"] for d in clean for t in d["transfers"] for ln in t["budget"]["lines"]} >= {"110-201-01", "201-01"}
    assert cross_report_conflicts(clean) == []


def test_a_real_code_conflict_across_reports_is_found(docs):
    a = copy.deepcopy(next(d for d in docs if not d["findings"]))
    b = copy.deepcopy(a)
    b["source"] = dict(b["source"], sha256="0" * 64, path="other.txt")
    b["transfers"][0]["budget"]["lines"][0]["stat_name"] = "다른이름"
    code = stat_key(a["transfers"][0]["budget"]["lines"][0]["stat_code"])
    conflicts = cross_report_conflicts([a, b])
    assert any(c.kind == "code" and c.key == code and len(c.report_ids) == 2 for c in conflicts)


def test_flows_follow_money_from_decreased_to_increased_lines(docs):
    for d in docs:
        for t in d["transfers"]:
            lines = t["budget"]["lines"]
            dec = sum(ln["decrease"] for ln in lines if ln["decrease"] > 0)
            inc = sum(ln["increase"] for ln in lines if ln["increase"] > 0)
            flows = transfer_flows(t)
            if dec and inc:
                assert abs(sum(v for _, _, v in flows) - dec) <= len(flows)
            else:
                assert flows == []
    ov = build_overview(docs)
    assert ov.flows == sorted(ov.flows, key=lambda f: -f.amount)
    assert sum(n for _, n in ov.by_quarter) == len(docs)


def test_untrusted_text_is_escaped(docs):
    d = copy.deepcopy(next(d for d in docs if d["findings"]))
    d["office"] = '<script>alert(1)</script><img src="http://x/y.png">'
    d["transfers"][0]["title"] = "</table><a href='https://evil'>x</a>"
    d["transfers"][0]["budget"]["lines"][0]["stat_name"] = '"><svg onload=alert(1)>'
    tree = lxml.html.fromstring(render_html([d], overview=True))
    assert not tree.xpath("//script") and not tree.xpath("//img[starts-with(@src,'http')]")
    assert not tree.xpath("//a[starts-with(@href,'http')]") and not tree.xpath("//*[@onload]")
    assert "<script>alert(1)</script>" in tree.text_content()


def test_table_unit_formatting():
    assert fmt_unit(355_000_000, "천원") == "355,000"
    assert fmt_unit(0, "천원") == "-"
    assert fmt_unit(-1_000_000, "천원") == "△1,000"
    assert fmt_unit(1_500_000, "백만원") == "1.5"
    assert fmt_unit(1_234, "원") == "1,234"


def test_a_single_clean_report_page(tmp_path):
    target = tmp_path / "one.html"
    r = run_cli("audit", SEED, "--html", target)
    assert r.returncode == 0, r.stderr
    tree = lxml.html.parse(str(target)).getroot()
    assert not tree.xpath("//article")
    assert len(tree.xpath('//li[@class="clean-report"]')) == 1


def test_unwritable_html_target_is_one_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    r = run_cli("audit", SEED, "--html", blocker / "sub" / "out.html")
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    assert [ln for ln in r.stderr.splitlines() if "out.html" in ln][0].startswith(str(blocker / "sub" / "out.html") + ": ")


# ---------------------------------------------------------------- PDF sources: a picture of the table
PDF_FIXTURE = SEED.parent.parent / "tests" / "fixtures" / "auditor" / "table_err.pdf"
RED = (215, 25, 28)


def _pdf_doc():
    """A report JSON for tests/fixtures/auditor/table_err.pdf with the locs a PDF reader
    gives (page, bbox in points), the bboxes found here with pdfplumber."""
    import hashlib

    import pdfplumber

    data = PDF_FIXTURE.read_bytes()
    with pdfplumber.open(PDF_FIXTURE) as pdf:
        words = pdf.pages[0].extract_words()
    w326 = next(w for w in words if w["text"] == "326,000")
    row_words = [w for w in words if abs(w["top"] - w326["top"]) < 3]
    row_box = [min(w["x0"] for w in row_words), min(w["top"] for w in row_words), max(w["x1"] for w in row_words), max(w["bottom"] for w in row_words)]
    cell = [w326["x0"], w326["top"], w326["x1"], w326["bottom"]]
    line = lambda **kw: {"department": "스마트정책관 스마트도시담당관", "policy_program": "지식정보사회 선도기반구축", "unit_program": "정보화기반 시설확충",
                         "detail_program": "스마트도시 민·관 협력", "stat_code": "110-201-01", "stat_name": "사무관리비", **kw}
    return {
        "schema_version": "1",
        "source": {"path": str(PDF_FIXTURE), "sha256": hashlib.sha256(data).hexdigest(), "format": "pdf"},
        "title": "2021 회계연도 4/4분기 예산 전용 보고", "fiscal_year": 2021, "quarter": 4, "office": "스마트도시정책관",
        "meeting_date": "2022-02", "venue": None,
        "transfers": [{
            "seq": 1, "label": "I", "title": "서울 스마트도시 간 국제교류 장 마련을 위한 예산 전용", "summary": None, "overview": {}, "timeline": [],
            "transfer": {"amount_won": 30_000_000, "date": "2021-10-12", "lines": []}, "reasons": [],
            "budget": {"unit": "천원", "total": {"before": 355_000_000, "decrease": 30_000_000, "increase": 30_000_000, "after": 355_000_000},
                       "lines": [line(before=355_000_000, decrease=30_000_000, increase=0, after=326_000_000,
                                      loc={"page": 1, "line": None, "bbox": row_box, "cell": None})]},
            "loc": {"page": 1, "line": None, "bbox": None, "cell": None},
        }],
        "findings": [{"check": "row_balance", "severity": "error", "transfer_seq": 1, "line": 1, "field": "after",
                      "expected": 325_000_000, "actual": 326_000_000, "message": "Transfer I line 1: 326,000 printed, 325,000 expected.",
                      "loc": {"page": 1, "line": None, "bbox": cell, "cell": None}}],
    }, cell


def _red_box(img):
    px = img.convert("RGB").load()
    xs, ys = [], []
    for y in range(img.height):
        for x in range(img.width):
            r, g, b = px[x, y]
            if abs(r - RED[0]) < 12 and abs(g - RED[1]) < 12 and abs(b - RED[2]) < 12:
                xs.append(x)
                ys.append(y)
    return (min(xs), min(ys), max(xs), max(ys)) if xs else None


def test_pdf_source_gets_a_picture_with_the_faulty_cell_outlined():
    from PIL import Image

    from pipeline.writers.pdf_snippets import RESOLUTION

    doc, cell = _pdf_doc()
    tree = lxml.html.fromstring(render_html([doc]))
    imgs = tree.xpath('//section[@data-transfer="1"]//figure[@class="pdf-snippet"]/img')
    assert len(imgs) == 1
    src = imgs[0].get("src")
    assert src.startswith("data:image/png;base64,")
    img = Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1])))
    box = _red_box(img)
    assert box is not None, "no outline drawn"
    scale = RESOLUTION / 72
    w_pt, h_pt = cell[2] - cell[0], cell[3] - cell[1]
    # the outline hugs the cell: its size is the word's size plus the 2pt margin and stroke
    assert abs((box[2] - box[0]) / scale - (w_pt + 4)) < 6
    assert abs((box[3] - box[1]) / scale - (h_pt + 4)) < 6
    # the picture shows the region around the table, not the whole page
    assert img.height / scale < 300


def test_pdf_picture_is_left_out_when_the_source_changed(tmp_path):
    doc, _ = _pdf_doc()
    moved = tmp_path / "table_err.pdf"
    moved.write_bytes(PDF_FIXTURE.read_bytes() + b"\n%changed\n")
    doc["source"]["path"] = str(moved)
    tree = lxml.html.fromstring(render_html([doc]))
    assert not tree.xpath("//figure")
    assert "has changed" in tree.text_content()


@pytest.mark.parametrize("name", ["err_row_balance_001", "err_column_total_001", "err_summary_amount_001"])
def test_pdf_sample_end_to_end(name, tmp_path):
    """A PDF the pipeline reads itself: the page carries a picture of the table's region on
    its page, the faulty figure outlined where the finding's bbox says."""
    from PIL import Image

    from pipeline.writers.pdf_snippets import RESOLUTION

    pdf = SAMPLES / f"{name}.pdf"
    doc = parse_file(pdf).to_json()
    (f,) = [f for f in doc["findings"] if f["severity"] == "error"]
    assert f["loc"]["page"] and f["loc"]["bbox"]
    target = tmp_path / "p.html"
    r = run_cli("audit", pdf, "--html", target)
    assert r.returncode == 1, r.stderr
    tree = lxml.html.parse(str(target)).getroot()
    figs = tree.xpath(f'//section[@data-transfer="{f["transfer_seq"]}"]//figure[@class="pdf-snippet"]')
    assert [fig.get("data-page") for fig in figs] == [str(f["loc"]["page"])]
    img = Image.open(io.BytesIO(base64.b64decode(figs[0].xpath(".//img")[0].get("src").split(",", 1)[1])))
    box = _red_box(img)
    assert box is not None
    x0, top, x1, bottom = f["loc"]["bbox"]
    scale = RESOLUTION / 72
    assert abs((box[2] - box[0]) / scale - (x1 - x0 + 4)) < 6
    assert abs((box[3] - box[1]) / scale - (bottom - top + 4)) < 6


def test_unplaced_lines_are_shown_not_hidden(docs):
    flagged = copy.deepcopy(next(d for d in docs if d["findings"]))
    clean = copy.deepcopy(next(d for d in docs if not d["findings"]))
    odd = {"text": "<b>합 계</b> 9,999", "reason": "a figure outside any table", "loc": {"page": None, "line": 77, "bbox": None, "cell": None}}
    flagged["unparsed"] = [odd]
    clean["unparsed"] = [odd, odd]
    tree = lxml.html.fromstring(render_html([flagged, clean]))
    box = article(tree, flagged).xpath('.//details[@class="unparsed"]')[0].text_content()
    assert "<b>합 계</b> 9,999" in box and "77번째 줄" in box
    (li,) = tree.xpath(f'//li[@data-report-id="{clean["source"]["sha256"]}"]')
    assert "분류하지 못한 줄 2개" in li.text_content()


def test_reading_notes_are_shown_with_the_other_reading_and_the_place(docs):
    """A name read one way where the page allows another (`notes`) is listed under its report,
    with the other reading and where it is printed; a clean report shows how many it has."""
    noted = [d for d in (parse_file(p).to_json() for p in sorted(SAMPLES.glob("*.pdf"))) if d["notes"]]
    assert noted
    notes = noted[0]["notes"]
    flagged = copy.deepcopy(next(d for d in docs if d["findings"]))
    clean = copy.deepcopy(next(d for d in docs if not d["findings"]))
    flagged["notes"] = notes
    clean["notes"] = notes[:1]
    tree = lxml.html.fromstring(render_html([flagged, clean]))
    box = article(tree, flagged).xpath('.//details[@class="reading-notes"]')[0]
    assert f"판독 메모 {len(notes)}개" in box.text_content()
    items = box.xpath(".//li")
    assert len(items) == len(notes)
    for li, n in zip(items, notes):
        codes = [c.text_content() for c in li.xpath(".//code")]
        assert codes == [n["text"], n["alternative"]]
        assert f'{n["loc"]["page"]}쪽' in li.text_content()
    (li,) = tree.xpath(f'//li[@data-report-id="{clean["source"]["sha256"]}"]')
    assert "판독 메모 1개" in li.text_content()
