"""PDF tables broken by pages and names wrapped in cells (issue 9, §2–3), on fixtures made by
tests/fixtures/pdf/make_pdf_fixtures.py: DOCX rendered from a model, converted by
LibreOffice, and the model's own budget lines (expected.json)."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pdfplumber
import pytest
from conftest import FIXTURES, ROOT, comparable

from pipeline.extract import parse_file
from pipeline.ir import Paragraph, Table
from pipeline.parse import notes_of
from pipeline.parse.budget import is_header_row
from pipeline.readers import read_file
from pipeline.readers.wraps import LineBreak, Wrapped, resolve

PDF = FIXTURES / "pdf"
EXPECTED = json.loads((PDF / "expected.json").read_text(encoding="utf-8"))
NAMES = sorted(EXPECTED)
TEXT_FIELDS = ("department", "policy_program", "unit_program", "detail_program", "stat_code", "stat_name")
MONEY = ("before", "decrease", "increase", "after")
SCHEMA = json.loads((ROOT / "schemas" / "report.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def reports():
    return {(name, fmt): parse_file(PDF / f"{name}.{fmt}").to_json() for name in NAMES for fmt in ("pdf", "docx")}


def _lines(report: dict) -> list[list[dict]]:
    return [[{k: ln[k] for k in TEXT_FIELDS + MONEY} for ln in t["budget"]["lines"]] for t in report["transfers"]]


def test_fixtures_show_what_they_are_for():
    """Each layout the fixtures exist for is really in the PDFs (read without the parser)."""
    assert sum(len(EXPECTED[n]["split"]) for n in NAMES) >= 6
    assert any(s["figures_page"] == s["pages"][1] for n in NAMES for s in EXPECTED[n]["split"])  # figures on the next page
    assert any(e["split"] and EXPECTED[n]["layout"]["repeat_header"] for n, e in EXPECTED.items())
    assert any(e["split"] and not EXPECTED[n]["layout"]["repeat_header"] for n, e in EXPECTED.items())
    assert {EXPECTED[n]["layout"]["korean"] for n in NAMES if EXPECTED[n]["overflow"]} == {True, False}
    with pdfplumber.open(PDF / "split_word_repeat.pdf") as pdf:
        texts = [p.extract_text() for p in pdf.pages]
    assert len(texts) >= 3 and all("기획경제위원회 보고자료" in t and f"- {k} -" in t for k, t in enumerate(texts, 1))


@pytest.mark.parametrize("name", NAMES)
def test_docx_rendering_reads_as_the_model(reports, name):
    """The DOCX, the reference the PDF is compared with, gives the model's lines exactly."""
    assert _lines(reports[(name, "docx")]) == EXPECTED[name]["lines"]


@pytest.mark.parametrize("name", [n for n in NAMES if EXPECTED[n]["split"]])
def test_rows_split_by_the_page_are_one_line_on_both_pages(reports, name):
    report = reports[(name, "pdf")]
    lines = _lines(report)
    assert [len(t) for t in lines] == [len(t) for t in EXPECTED[name]["lines"]]  # no line made of a row's rest
    for split in EXPECTED[name]["split"]:
        t, k = split["transfer"], split["line"]
        assert lines[t][k] == EXPECTED[name]["lines"][t][k]
        loc = report["transfers"][t]["budget"]["lines"][k]["loc"]
        assert loc["pages"] == split["pages"] and loc["page"] == split["figures_page"]
        # The bbox is where the figures are printed (their first lines, when a figure
        # itself wraps over the page).
        figures = _chars_in(PDF / f"{name}.pdf", loc["page"], loc["bbox"])
        printed = f"{EXPECTED[name]['lines'][t][k]['before'] // 1000:,}"
        assert printed[:5] in figures
    unsplit = [ln["loc"] for t in report["transfers"] for ln in t["budget"]["lines"]]
    assert sum(1 for loc in unsplit if "pages" in loc) == len(EXPECTED[name]["split"])


def _chars_in(path: Path, page: int, bbox) -> str:
    x0, top, x1, bottom = bbox
    with pdfplumber.open(path) as pdf:
        chars = pdf.pages[page - 1].chars
    return "".join(c["text"] for c in chars if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom)


@pytest.mark.parametrize("name", NAMES)
def test_names_read_as_the_docx_prints_them_or_the_doubt_is_noted(reports, name):
    """Every name and figure equals the DOCX rendering's; where it does not, a note holds
    the PDF's reading as its text and the DOCX's as its alternative."""
    pdf, docx = reports[(name, "pdf")], reports[(name, "docx")]
    notes = {(n["text"], n["alternative"]) for n in pdf["notes"]}
    unexplained = []
    for t_pdf, t_docx in zip(_lines(pdf), _lines(docx)):
        for a, b in zip(t_pdf, t_docx):
            for f in TEXT_FIELDS + MONEY:
                if a[f] != b[f] and not any(_reads(text, a[f], alt, b[f]) for text, alt in notes):
                    unexplained.append((f, a[f], b[f]))
    assert not unexplained
    assert comparable({k: v for k, v in pdf.items() if k != "transfers"}) == comparable({k: v for k, v in docx.items() if k != "transfers"})


def _reads(text: str, value: str, alternative: str, other: str) -> bool:
    """A note on a cell printing `value` (after the same prefix, e.g. a 통계목 code), whose
    alternative reading gives `other`."""
    return text.endswith(value) and alternative.endswith(other) and text[: len(text) - len(value)] == alternative[: len(alternative) - len(other)]


def test_most_wrapped_names_are_exact(reports):
    """Across the fixtures (names wrapped at spaces or anywhere, centred or not), the PDF's
    names equal the DOCX's but for a few the geometry and the vocabulary left open."""
    total = differ = 0
    for name in NAMES:
        for t_pdf, t_docx in zip(_lines(reports[(name, "pdf")]), _lines(reports[(name, "docx")])):
            for a, b in zip(t_pdf, t_docx):
                for f in TEXT_FIELDS:
                    total += 1
                    differ += a[f] != b[f]
    assert total > 500 and differ / total < 0.03


def test_a_merged_department_broken_by_the_page_reads_on():
    """overflow_syllable: the department's name runs on to the next page at a full line;
    the lines under it read the whole name, and the join is noted (layout evidence)."""
    name = "overflow_syllable"
    (over,) = EXPECTED[name]["overflow"]
    report = parse_file(PDF / f"{name}.pdf").to_json()
    t, k = over["transfer"], over["line"]
    expected = EXPECTED[name]["lines"][t]
    got = _lines(report)[t]
    start = max(j for j in range(k) if expected[j]["department"] != expected[j - 1]["department"] or j == 0)
    for j in range(start, len(expected)):
        if expected[j]["department"] == expected[k]["department"]:
            assert got[j]["department"] == expected[k]["department"]
    assert _squash(over["printed_on_next_page"]) in _squash(expected[k]["department"])
    notes = [n for n in report["notes"] if n["basis"] == "layout"]
    # The other reading, two names: the part on each page.
    assert len(notes) == 2 and _squash(notes[1]["alternative"]) == _squash(over["printed_on_next_page"])
    for note in notes:
        assert note["text"] == expected[k]["department"] and note["loc"]["pages"] == over["pages"]
    assert _squash(notes[0]["alternative"]) + _squash(notes[1]["alternative"]) == _squash(expected[k]["department"])


def test_a_department_that_may_run_on_is_kept_apart_and_noted():
    """overflow_word: the name at the foot ends short of the cell's edge, so geometry cannot
    tell a cut name from a whole one exactly as tall as its row: both cells are noted, each
    with the joined name as the alternative."""
    name = "overflow_word"
    (over,) = EXPECTED[name]["overflow"]
    report = parse_file(PDF / f"{name}.pdf").to_json()
    whole = EXPECTED[name]["lines"][over["transfer"]][over["line"]]["department"]
    notes = [n for n in report["notes"] if n["basis"] == "layout"]
    layout = [n for n in notes if n["alternative"] == whole]
    assert len(layout) == 2
    # The doubt spreads to the right: a name right of one that may go on may go on too
    # (noted with the joined reading, kept apart as printed), never the other way.
    for n in notes:
        if n not in layout:
            assert n["alternative"].replace(" ", "").startswith(n["text"].replace(" ", "")) or \
                n["alternative"].replace(" ", "").endswith(n["text"].replace(" ", ""))
    rest = _squash(over["printed_on_next_page"])
    assert _squash(whole).endswith(rest)
    assert {_squash(n["text"]) for n in layout} == {_squash(whole)[: -len(rest)], rest}
    assert sorted(n["loc"]["page"] for n in layout) == over["pages"]


def _squash(text: str) -> str:
    return text.replace(" ", "")


@pytest.mark.parametrize("name", NAMES)
def test_no_findings_where_the_arithmetic_is_right(reports, name):
    for fmt in ("pdf", "docx"):
        assert reports[(name, fmt)]["findings"] == []


@pytest.mark.parametrize("name", NAMES)
def test_notes_are_in_the_contract_and_name_their_place(reports, name):
    report = reports[(name, "pdf")]
    jsonschema.validate(report, SCHEMA)
    assert report["notes"]
    for n in report["notes"]:
        assert n["text"] != n["alternative"]
        assert n["loc"]["page"] and n["loc"]["bbox"]
        if n["basis"] != "layout":
            assert n["text"].replace(" ", "") == n["alternative"].replace(" ", "")  # one break read the other way


def test_notes_reach_the_cells_they_are_about():
    doc = read_file(PDF / "split_syllable_centre.pdf")
    noted = [c for b in doc.blocks if isinstance(b, Table) for row in b.rows for c in row if c.notes]
    assert noted and all(n.text == c.text and n.loc == c.loc for c in noted for n in c.notes)
    report = parse_file(PDF / "split_syllable_centre.pdf")
    header = [n for b in doc.blocks if isinstance(b, Table) for row in b.rows if is_header_row(row) for c in row for n in c.notes]
    assert header and report.notes == [n for n in notes_of(doc)] and not set(map(id, header)) & set(map(id, report.notes))
    assert len(report.notes) == sum(len(c.notes) for c in noted) + sum(len(b.notes) for b in doc.blocks if isinstance(b, Paragraph)) - len(header)


def test_a_header_repeated_on_the_next_page_is_dropped():
    doc = read_file(PDF / "split_word_repeat.pdf")
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    assert len(tables) == len(EXPECTED["split_word_repeat"]["lines"])
    for t, lines in zip(tables, EXPECTED["split_word_repeat"]["lines"]):
        pages = {c.loc.page for row in t.rows for c in row}
        assert len(pages) == 2
        assert sum(1 for row in t.rows if row[0].text == "부서명" or "예산과목" in row[0].text) == 1
        assert len(t.rows) - sum(1 for row in t.rows if not any(ch.isdigit() for c in row for ch in c.text)) == len(lines) + 1


# ---------------------------------------------------------------- the vocabulary pass
def _wrapped(pieces, room=1.0):
    """Lines of one cell, every break at a full line of Hangul (undecided by geometry)."""
    breaks = [LineBreak(before=a, after=b, room=room, next_w=9.0, size=9.0) for a, b in zip(pieces, pieces[1:])]
    return Wrapped(list(pieces), breaks)


def _plain(text):
    return Wrapped([text], [])


def test_vocabulary_reads_a_break_as_the_document_prints_the_name_elsewhere():
    cell = _wrapped(["스마트 거점", "기후 대응"])
    title = _plain("스마트 거점 기후 대응 사업 추진")
    resolve([cell, title])
    assert cell.text == "스마트 거점 기후 대응"
    (note,) = cell.notes
    assert note.basis == "vocabulary" and note.alternative == "스마트 거점기후 대응" and "스마트 거점 기후 대응" in note.reason


def test_vocabulary_from_the_words_around_the_break():
    cell = _wrapped(["시민대학 운", "영 지원"])
    other = _plain("평생학습 운영 계획")
    resolve([cell, other])
    assert cell.text == "시민대학 운영 지원" and cell.notes[0].basis == "vocabulary"


def test_without_evidence_a_full_line_of_hangul_is_joined_and_noted():
    cell = _wrapped(["맑은 공", "기 도시 조성"])
    resolve([cell, _plain("관련 없는 문장")])
    assert cell.text == "맑은 공기 도시 조성"
    (note,) = cell.notes
    assert note.basis == "default" and note.alternative == "맑은 공 기 도시 조성"


def test_a_text_is_not_its_own_evidence():
    """The same name wrapped the same way in two cells proves nothing."""
    a, b = _wrapped(["스마트 거점", "기후"]), _wrapped(["스마트 거점", "기후"])
    resolve([a, b])
    assert a.text == b.text == "스마트 거점기후" and a.notes[0].basis == "default"


def test_decided_breaks_make_no_notes():
    cell = _wrapped(["교통실", "보행정책과"], room=20.0)  # room for a syllable: a break at a space
    resolve([cell])
    assert cell.text == "교통실 보행정책과" and not cell.notes


def test_a_row_left_open_at_the_page_foot_is_found_and_joined():
    """Chromium draws no rule under a row it splits (nor under a cell spanning rows that
    goes on over the page): pdfplumber alone finds no cell there; the reader closes the
    table where its column rules end and joins the row with its rest on the next page."""
    from pipeline.limits import DEFAULT_LIMITS
    from pipeline.readers.pdf.geometry import open_pdf
    from pipeline.readers.pdf.reader import ruled_table_settings
    from pipeline.readers.pdf.tables import find_tables

    name = "split_chromium"
    (split,) = EXPECTED[name]["split"]
    line = EXPECTED[name]["lines"][split["transfer"]][split["line"]]
    figure = f"{line['before'] // 1000:,}"
    with pdfplumber.open(PDF / f"{name}.pdf") as pdf:
        page = pdf.pages[split["pages"][0] - 1]
        (word,) = [w for w in page.extract_words() if w["text"] == figure]
    with open_pdf((PDF / f"{name}.pdf").read_bytes(), DEFAULT_LIMITS) as source:
        tables = find_tables(source.page(split["pages"][0]).edges, ruled_table_settings())  # the ruling alone
    assert all(max(c[3] for c in t) < word["top"] for t in tables)  # outside every ruled table
    report = parse_file(PDF / f"{name}.pdf").to_json()
    got = report["transfers"][split["transfer"]]["budget"]["lines"][split["line"]]
    assert {k: got[k] for k in TEXT_FIELDS + MONEY} == line
    assert got["loc"]["pages"] == split["pages"]


def test_no_control_character_reaches_the_output():
    """Chromium's text layer maps its space glyph to U+0001: it is read as a space."""
    with pdfplumber.open(PDF / "split_chromium.pdf") as pdf:
        assert any(c["text"] == "\x01" for c in pdf.pages[0].chars)
    strings = list(_strings(parse_file(PDF / "split_chromium.pdf").to_json()))
    assert len(strings) > 200 and not [s for s in strings if any(ord(ch) < 32 for ch in s)]


def _strings(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _strings(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _strings(v)
