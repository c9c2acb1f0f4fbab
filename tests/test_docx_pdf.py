"""DOCX and PDF readers (issue 3): the same report rendered as text, DOCX and PDF yields the
same records; tables keep their merges and survive page breaks; page furniture is not
content; every location points into the file; bad files fail with one clear reason."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from conftest import FIXTURES, SAMPLES, SEED, comparable, run_cli
from docx import Document as DocxDocument

from pipeline.errors import InputError
from pipeline.extract import parse_file
from pipeline.ir import Paragraph, Table
from pipeline.limits import DEFAULT_LIMITS, Limits
from pipeline.readers import read_bytes, read_file
from pipeline.readers.wraps import LineBreak, WrapStyle, decide
from sample_reports import all_samples

NAMES = [r.name for r in all_samples()]
BAD = FIXTURES / "bad"


def _records(path: Path) -> dict:
    return comparable(parse_file(path).to_json())


# ---------------------------------------------------------------- equivalence
@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_same_records_as_text(name, fmt):
    text = _records(SAMPLES / f"{name}.txt")
    other = _records(SAMPLES / f"{name}.{fmt}")
    assert other == text
    assert other["transfers"] and all(t["budget"]["lines"] for t in other["transfers"])


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_seed_model_reads_like_the_real_seed(fmt):
    assert _records(SAMPLES / f"000_seed.{fmt}") == _records(SEED)


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_nothing_left_unplaced_in_clean_samples(fmt):
    for name in NAMES:
        text = parse_file(SAMPLES / f"{name}.txt")
        other = parse_file(SAMPLES / f"{name}.{fmt}")
        assert [u.text for u in other.unparsed] == [u.text for u in text.unparsed], name


# ---------------------------------------------------------------- PDF layout
def _tables(doc):
    return [b for b in doc.blocks if isinstance(b, Table)]


def test_table_over_a_page_break_with_repeated_header_is_one_table():
    path = SAMPLES / "003_transport_2023q3.pdf"
    with pdfplumber.open(path) as pdf:  # the rendering really breaks the table, header repeated
        assert len(pdf.pages) >= 2
        assert "부서명" in pdf.pages[1].extract_text() and "부서명" in pdf.pages[0].extract_text()
    doc = read_file(path)
    (table,) = _tables(doc)
    pages = [row[0].loc.page for row in table.rows]
    assert pages[0] == 1 and pages[-1] == 2
    texts = [c.text for row in table.rows for c in row]
    assert texts.count("부서명") == 1  # the repeated header was dropped
    assert len(table.rows) == 2 + 7 + 1  # header, seven lines, 총 계
    assert table.rows[-1][0].text == "총 계" and table.rows[-1][1].merged
    assert {len(r) for r in table.rows} == {9}


def test_total_row_alone_on_the_next_page_joins_its_table():
    """The seed's tables leave their 총 계 row (label merged over five columns, so only five
    ruled columns on that page) to the next page, without a repeated header."""
    doc = read_file(SAMPLES / "000_seed.pdf")
    tables = _tables(doc)
    assert len(tables) == 3
    split = [t for t in tables if len({row[0].loc.page for row in t.rows}) == 2]
    assert split, "no table of the seed rendering runs over a page break any more"
    for t in split:
        assert {len(r) for r in t.rows} == {9}
        assert t.rows[-1][0].text == "총 계"
        assert [c.merged for c in t.rows[-1][1:5]] == [True] * 4
        assert t.rows[-1][0].loc.page == t.rows[0][0].loc.page + 1


def test_merged_cells_become_origin_plus_merged_positions():
    doc = read_file(SAMPLES / "001_climate_2022q1.pdf")
    t = _tables(doc)[0]
    head = t.rows[0]
    assert head[2].text == "예산과목" and head[3].merged and head[4].merged  # 1×3 span
    assert t.rows[1][0].merged and t.rows[1][1].merged  # 부서명/정책사업 over two rows
    assert t.rows[3][0].merged and t.rows[3][0].text == ""  # department continued downward


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_page_footers_are_not_content(fmt):
    for name in NAMES:
        doc = read_file(SAMPLES / f"{name}.{fmt}")
        texts = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
        assert not [t for t in texts if t.strip("- ").isdigit()], name
        assert not [t for t in texts if "보고자료" in t], name  # running page headers


def test_running_headers_are_printed_on_every_page():
    """The furniture the test above looks for really is in the renderings."""
    with pdfplumber.open(SAMPLES / "000_seed.pdf") as pdf:
        assert len(pdf.pages) >= 3
        assert all("행정자치위원회 보고자료" in p.extract_text() for p in pdf.pages)
        assert all(f"- {k} -" in p.extract_text() for k, p in enumerate(pdf.pages, start=1))


def test_docx_samples_have_a_page_field_footer():
    d = DocxDocument(str(SAMPLES / "001_climate_2022q1.docx"))
    xml = d.sections[0].footer._element.xml
    assert "PAGE" in xml and "- " in d.sections[0].footer.paragraphs[0].text
    with pdfplumber.open(SAMPLES / "001_climate_2022q1.pdf") as pdf:
        assert "- 1 -" in pdf.pages[0].extract_text()


def test_wrapped_cells_are_joined_by_the_documented_rule():
    """In the PDF, `355,000` and the department name wrap inside their narrow cells; the
    reader gives them back as the text rendering prints them."""
    with pdfplumber.open(SAMPLES / "000_seed.pdf") as pdf:
        text = "\n".join(p.extract_text() for p in pdf.pages)
    assert re.search(r"355,0{0,2}\n", text)  # the figure really wraps in the rendering
    assert "지식정보사" in text and "지식정보사회" not in text  # a word broken over lines
    doc = read_file(SAMPLES / "000_seed.pdf")
    t = _tables(doc)[0]
    cells = [c.text for row in t.rows for c in row]
    assert "355,000" in cells
    assert "스마트정책관 스마트도시 담당관" in cells
    assert "지식정보사회 선도기반구축" in cells  # broken inside words over four lines


@pytest.mark.parametrize(
    "a,room,b,expected",
    [
        ("355,00", 1.0, "0", "355,000"),  # a number split where the cell is full
        ("201-", 1.0, "01 사무관리비", "201-01 사무관리비"),  # a code split at its hyphen
        ("스마트정책", 1.0, "관", "스마트정책관"),  # a full line of Hangul (undecided: joined)
        ("교통실", 17.0, "보행정책과", "교통실 보행정책과"),  # room left for a syllable: a break at a space
        ("110-201-01", 1.0, "사무관리비", "110-201-01 사무관리비"),  # digits then Hangul: a space
        ("예산현액 (", 1.0, "단위: 천원)", "예산현액 (단위: 천원)"),  # no space after an opening bracket
        ("민·", 12.0, "관 플랫폼", "민·관 플랫폼"),  # LibreOffice breaks after a middle dot, room left or not
        ("소상공인민", 1.0, "·관", "소상공인민·관"),  # … and before one
        ("201", 1.0, "-01 사무관리비", "201-01 사무관리비"),  # a code split before its hyphen
        ("Smart", 1.0, "City", "SmartCity"),  # a Latin word longer than the line
        ("the Smart", 1.0, "City", "the Smart City"),  # Latin words wrap at spaces
    ],
)
def test_line_break_rule(a, room, b, expected):
    """The geometric rule (pipeline/readers/wraps.py), one break at a time: 8.5 pt syllables."""
    d = decide(LineBreak(before=a, after=b, room=room, next_w=8.5, size=9.0), WrapStyle())
    assert a + d.sep + b == expected


@pytest.mark.parametrize(
    "style,room,trailing,expected,certain",
    [
        (WrapStyle(), 1.0, True, "시민대학 운영", True),  # the break space is drawn
        (WrapStyle(trailing_spaces=frozenset({"left"})), 4.0, False, "시민대학운영", True),  # a space would have been drawn: none is
        (WrapStyle(trailing_spaces=frozenset({"left"})), 1.0, False, "시민대학운영", False),  # no room for one: undecided
        (WrapStyle(by_word=True), 1.0, False, "시민대학운영", False),  # one word filling the line: undecided
    ],
)
def test_line_break_rule_with_the_documents_style(style, room, trailing, expected, certain):
    d = decide(LineBreak(before="시민대학", after="운영", room=room, next_w=8.5, size=9.0, space_w=2.8, trailing_space=trailing), style)
    assert ("시민대학" + d.sep + "운영", d.certain) == (expected, certain)


def test_multi_word_full_line_follows_the_documents_wrapping():
    br = LineBreak(before="맑은 공", after="기 도시 조성", room=1.0, next_w=8.5, size=9.0)
    assert decide(br, WrapStyle(by_word=True)).sep == " "  # Hangul wrapped at spaces: a break at one
    assert not decide(br, WrapStyle(by_word=False)).certain  # wrapped anywhere: left to the vocabulary


def test_korean_lines_have_no_spurious_or_missing_spaces():
    doc = read_file(SAMPLES / "000_seed.pdf")
    texts = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert texts[0] == "2021 회계연도 4/4분기 예산 전용 보고"
    assert "- 일 시 : '21.10.18.(월) 15:00~16:40 (100분)" in texts
    long = [t for t in texts if t.startswith("멕시코시티")]  # wrapped over two lines in the PDF
    assert long and long[0].endswith("말레이시아·브라질·멕시코 대사관 등")


# ---------------------------------------------------------------- locations
def test_pdf_locations():
    doc = read_file(SAMPLES / "003_transport_2023q3.pdf")
    for b in doc.blocks:
        if isinstance(b, Paragraph):
            assert b.loc.page and b.loc.bbox and b.loc.line
        else:
            for row in b.rows:
                for c in row:
                    assert c.loc.page and c.loc.bbox and c.loc.cell
    report = parse_file(SAMPLES / "003_transport_2023q3.pdf").to_json()
    for ln in report["transfers"][0]["budget"]["lines"]:
        assert ln["loc"]["page"] in (1, 2) and len(ln["loc"]["bbox"]) == 4
    assert {ln["loc"]["page"] for ln in report["transfers"][0]["budget"]["lines"]} == {1, 2}


def test_docx_locations():
    doc = read_file(SAMPLES / "000_seed.docx")
    d = DocxDocument(str(SAMPLES / "000_seed.docx"))
    for b in doc.blocks:
        if isinstance(b, Paragraph):
            assert b.loc.paragraph
            # the index is python-docx's Document.paragraphs index (+1); marks come from numbering
            assert b.text.endswith(d.paragraphs[b.loc.paragraph - 1].text.strip())
        else:
            for r, row in enumerate(b.rows, start=1):
                for c, cell in enumerate(row, start=1):
                    assert cell.loc.cell[1:] == (r, c)
    report = parse_file(SAMPLES / "000_seed.docx").to_json()
    cells = [ln["loc"]["cell"] for t in report["transfers"] for ln in t["budget"]["lines"]]
    assert cells[:2] == [[1, 3, 6], [1, 4, 6]] and cells[2][0] == 2


def _chars_in(path: Path, page: int, bbox) -> str:
    x0, top, x1, bottom = bbox
    with pdfplumber.open(path) as pdf:
        chars = pdf.pages[page - 1].chars
    return "".join(c["text"] for c in chars if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom).replace(" ", "")


@pytest.mark.parametrize("name", [n for n in NAMES if n.startswith("err_")])
def test_findings_point_at_the_printed_figure_in_the_pdf(name):
    path = SAMPLES / f"{name}.pdf"
    report = parse_file(path)
    check = name[4:-4]
    assert any(f.check == check for f in report.findings)
    for f in report.findings:
        loc = f.loc.to_json()
        assert loc["page"] and loc["bbox"], f
        inside = _chars_in(path, loc["page"], loc["bbox"])
        if f.check == "date_period":
            assert "21.12.14." in inside
        elif f.field in ("before", "decrease", "increase", "after", "amount_won") and f.actual is not None:
            printed = f"{abs(f.actual) // 1000:,}"  # the climate samples print 천원
            assert printed in inside, (f.check, printed, inside)
        else:
            assert inside


def test_docx_findings_point_at_the_cell():
    report = parse_file(SAMPLES / "err_row_balance_001.docx")
    (f,) = [f for f in report.findings if f.check == "row_balance"]
    assert f.loc.cell == (1, 3, 9)
    d = DocxDocument(str(SAMPLES / "err_row_balance_001.docx"))
    assert d.tables[0].cell(2, 8).text == "97,000"


# ---------------------------------------------------------------- DOCX structure
def _docx_bytes(build) -> bytes:
    d = DocxDocument()
    build(d)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_docx_merges_nested_tables_headers_and_numbering():
    def build(d):
        d.sections[0].header.paragraphs[0].text = "RUNNING HEADER"
        d.sections[0].footer.paragraphs[0].text = "- 1 -"
        d.add_paragraph("첫 문단")
        d.add_paragraph("글머리 문단", style="List Bullet")
        d.add_paragraph("번호 문단", style="List Number")
        d.add_paragraph("번호 문단 둘", style="List Number")
        t = d.add_table(rows=3, cols=4)
        t.cell(0, 0).merge(t.cell(0, 2)).text = "가로 병합"
        t.cell(1, 0).merge(t.cell(2, 0)).text = "세로 병합"
        t.cell(1, 1).text = "a"
        inner = t.cell(1, 3).add_table(rows=1, cols=2)
        inner.cell(0, 0).text = "안쪽"
        inner.cell(0, 1).text = "표"
        t.cell(2, 1).paragraphs[0].add_run("줄").add_break()
        t.cell(2, 1).paragraphs[0].add_run("바꿈")
        p = d.add_paragraph("한 문단")
        p.runs[0].add_break()
        p.add_run("두 줄")

    blocks = read_bytes("t.docx", _docx_bytes(build)).blocks
    texts = [b.text for b in blocks if isinstance(b, Paragraph)]
    assert "RUNNING HEADER" not in texts and "- 1 -" not in texts
    assert texts[:4] == ["첫 문단", "• 글머리 문단", "1. 번호 문단", "2. 번호 문단 둘"]
    assert texts[-2:] == ["한 문단", "두 줄"]
    (t,) = [b for b in blocks if isinstance(b, Table)]
    grid = [[(c.text, c.merged) for c in row] for row in t.rows]
    assert grid[0][:3] == [("가로 병합", False), ("", True), ("", True)]
    assert grid[1][0] == ("세로 병합", False) and grid[2][0] == ("", True)
    assert grid[1][3] == ("안쪽 표", False)
    assert grid[2][1] == ("줄 바꿈", False)
    assert t.rows[2][0].loc.cell == (1, 3, 1)


def test_docx_numbered_bullets_print_like_text():
    """The sample DOCX carry `-`/`○` as Word numbering, not as typed characters."""
    d = DocxDocument(str(SAMPLES / "003_transport_2023q3.docx"))
    numbered = [p for p in d.paragraphs if p._p.pPr is not None and p._p.pPr.numPr is not None]
    assert len(numbered) > 10 and not any(p.text.startswith(("-", "○")) for p in numbered)
    texts = [b.text for b in read_file(SAMPLES / "003_transport_2023q3.docx").blocks if isinstance(b, Paragraph)]
    assert "○ 필요성" in texts and "- 보행자 중심의 안전한 도로환경 조성" in texts and "- ⇒ 총 34개소" not in texts


def test_docx_table_cell_limit():
    data = (SAMPLES / "003_transport_2023q3.docx").read_bytes()
    with pytest.raises(InputError, match="table cells"):
        read_bytes("x.docx", data, Limits(max_table_cells=50))


def test_pdf_page_limit():
    data = (SAMPLES / "003_transport_2023q3.pdf").read_bytes()
    with pytest.raises(InputError, match="pages"):
        read_bytes("x.pdf", data, Limits(max_pdf_pages=1))


def test_format_is_found_from_content_not_name(tmp_path):
    disguised = tmp_path / "report.docx"
    disguised.write_bytes((SAMPLES / "001_climate_2022q1.pdf").read_bytes())
    assert read_file(disguised).format == "pdf"
    disguised = tmp_path / "report.pdf"
    disguised.write_bytes((SAMPLES / "001_climate_2022q1.docx").read_bytes())
    assert read_file(disguised).format == "docx"


# ---------------------------------------------------------------- bad files
BAD_CASES = {
    "encrypted.pdf": "encrypted PDF (password-protected)",
    "truncated.pdf": "truncated or damaged PDF",
    "damaged.pdf": "damaged PDF",
    "scanned.pdf": "has no text layer (scanned?)",
    "bomb.docx": "zip bomb",
    "entities.docx": "entities are refused",
    "truncated.docx": "damaged or truncated zip archive",
    "not_a_zip.docx": "binary data in no supported format",
    "empty.pdf": "empty file",
}


@pytest.mark.parametrize("name", sorted(BAD_CASES))
def test_bad_file_gives_one_clear_reason(name):
    path = BAD / name
    assert path.stat().st_size < 200 * 1024
    with pytest.raises(InputError) as e:
        read_file(path)
    assert BAD_CASES[name] in e.value.reason
    assert "\n" not in e.value.reason


def test_bad_files_on_the_command_line(tmp_path):
    paths = [BAD / n for n in sorted(BAD_CASES)]
    r = run_cli("extract", *paths, "--out", tmp_path)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert "Traceback" not in r.stderr
    assert len(lines) == len(paths)
    for line, p, n in zip(lines, paths, sorted(BAD_CASES)):
        assert line.startswith(f"{p}: ") and BAD_CASES[n] in line


@pytest.mark.parametrize("name", ["encrypted.pdf", "bomb.docx", "scanned.pdf"])
def test_single_bad_file_cli(name):
    r = run_cli("extract", BAD / name)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.strip() == f"{BAD / name}: {read_reason(BAD / name)}"


def read_reason(path: Path) -> str:
    try:
        read_file(path)
    except InputError as e:
        return e.reason
    raise AssertionError("no error")


def test_owner_password_only_pdf_reads_normally():
    data = (BAD / "owner_password.pdf").read_bytes()
    assert b"/Encrypt" in data
    assert _records(BAD / "owner_password.pdf") == _records(SAMPLES / "001_climate_2022q1.txt")


def test_zip_bomb_is_stopped_early():
    import tracemalloc

    data = (BAD / "bomb.docx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.getinfo("word/document.xml").file_size > 100 * 2**20
    tracemalloc.start()
    with pytest.raises(InputError, match="zip bomb"):
        read_bytes("bomb.docx", data, DEFAULT_LIMITS)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 80 * 2**20


def test_truncated_at_any_point_never_tracebacks():
    data = (SAMPLES / "004_culture_2019q4.pdf").read_bytes()
    for k in (100, 1000, len(data) // 3, len(data) - 10):
        with pytest.raises(InputError):
            read_bytes("t.pdf", data[:k])
    data = (SAMPLES / "004_culture_2019q4.docx").read_bytes()
    for k in (10, 2000, len(data) // 2, len(data) - 30):
        with pytest.raises(InputError):
            read_bytes("t.docx", data[:k])


def _mutations(data: bytes, n: int, seed: int):
    import random

    rnd = random.Random(seed)
    for _ in range(n):
        b = bytearray(data)
        for _ in range(rnd.choice([1, 5, 50])):
            b[rnd.randrange(len(b))] = rnd.randrange(256)
        yield bytes(b)


@pytest.mark.parametrize("name", ["001_climate_2022q1.pdf", "001_climate_2022q1.docx"])
def test_damaged_bytes_give_input_error_or_a_reading(name):
    """Random byte damage: the reader either reads something or says why it cannot; any
    other exception would reach the user as an internal error."""
    for data in _mutations((SAMPLES / name).read_bytes(), 25, seed=11):
        try:
            read_bytes(name, data)
        except InputError as e:
            assert e.reason and "\n" not in e.reason


def test_damaged_pdf_warnings_do_not_reach_stderr(tmp_path):
    """pdfminer logs a warning for every damaged operator; the CLI prints one line per
    file that fails and nothing for a file it could read."""
    paths = []
    for k, data in enumerate(_mutations((SAMPLES / "001_climate_2022q1.pdf").read_bytes(), 6, seed=1)):
        p = tmp_path / f"damaged_{k}.pdf"
        p.write_bytes(data)
        paths.append(p)
    r = run_cli("extract", *paths, "--out", tmp_path / "out")
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) <= len(paths)
    for line in lines:
        assert any(line.startswith(f"{p}: ") for p in paths), line


def _chars(words, size=10.0, gap_in=0.0, gap_between=3.0, advance=10.0, spaces=False):
    """Character dicts as pdfplumber gives them, for words laid out left to right."""
    out, x = [], 50.0
    for k, word in enumerate(words):
        if k:
            if spaces:
                out.append({"text": " ", "x0": x, "x1": x + 2.5, "top": 100.0, "bottom": 100.0 + size, "size": size})
            x += gap_between
        for ch in word:
            out.append({"text": ch, "x0": x, "x1": x + advance, "top": 100.0, "bottom": 100.0 + size, "size": size})
            x += advance + gap_in
    return out


def test_line_assembly_without_space_glyphs():
    """PDFs that position words without drawing spaces: a gap over a fifth of the font size
    is a space; letters set tight are one word."""
    from pipeline.readers.pdf.lines import lines_of as _lines

    (ln,) = _lines(_chars(["예산", "전용", "보고"], gap_between=3.0), spaced=False)
    assert ln.text == "예산 전용 보고"
    (ln,) = _lines(_chars(["예산전용"], gap_in=0.4), spaced=False)
    assert ln.text == "예산전용"


def test_line_assembly_with_space_glyphs_ignores_small_gaps():
    """With space glyphs on the page, a quarter-em gap (digits beside Hangul, `4/4분기`)
    is no space; a drawn space is."""
    from pipeline.readers.pdf.lines import lines_of as _lines

    def ch(t, x):
        return {"text": t, "x0": x, "x1": x + 8.0, "top": 100.0, "bottom": 110.0, "size": 10.0}

    chars = [ch("4", 0), ch("/", 8), ch("4", 16), ch("분", 26.5), ch("기", 34.5), ch(" ", 42.5), ch("예", 45.5), ch("산", 53.5)]
    (ln,) = _lines(chars, spaced=True)
    assert ln.text == "4/4분기 예산"
    (ln,) = _lines([c for c in chars if c["text"] != " "], spaced=False)
    assert ln.text == "4/4 분기 예산"  # without space glyphs the same gap reads as a space


def test_docx_grid_before_keeps_columns():
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def build(d):
        t = d.add_table(rows=2, cols=3)
        for c, text in enumerate(["a", "b", "c"]):
            t.cell(0, c).text = text
        tr = t.rows[1]._tr
        tr.remove(tr.tc_lst[0])  # the second row starts one grid column in
        trpr = tr.get_or_add_trPr()
        gb = OxmlElement("w:gridBefore")
        gb.set(qn("w:val"), "1")
        trpr.append(gb)
        t.rows[1].cells[-1].text = "y"

    blocks = read_bytes("t.docx", _docx_bytes(build)).blocks
    (t,) = [b for b in blocks if isinstance(b, Table)]
    assert [[c.text for c in row] for row in t.rows] == [["a", "b", "c"], ["", "", "y"]]


@pytest.mark.parametrize("name", ["000_seed", "003_transport_2023q3"])
def test_docx_saved_by_libreoffice_reads_the_same(name):
    """Another writer's DOCX: symbol-font bullets, its own numbering and styles."""
    path = FIXTURES / "docx" / f"lo_resaved_{name}.docx"
    with zipfile.ZipFile(path) as z:
        numbering = z.read("word/numbering.xml").decode()
    assert "Wingdings" in numbering or "Symbol" in numbering
    assert _records(path) == _records(SAMPLES / f"{name}.txt")


def test_docx_symbol_characters_print_as_their_glyph():
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def build(d):
        p = d.add_paragraph()
        run = p.add_run()
        sym = OxmlElement("w:sym")
        sym.set(qn("w:font"), "Wingdings")
        sym.set(qn("w:char"), "F0A1")
        run._r.append(sym)
        p.add_run(" 필요성")

    texts = [b.text for b in read_bytes("t.docx", _docx_bytes(build)).blocks]
    assert texts == ["○ 필요성"]


def test_tables_without_outer_side_borders_keep_their_outer_columns():
    """004's tables print no left and right borders (as Korean official documents often
    do): the ruling alone gives pdfplumber seven of the nine columns; the reader closes the
    sides where the horizontal rules end."""
    from pipeline.limits import DEFAULT_LIMITS
    from pipeline.readers.pdf.geometry import open_pdf
    from pipeline.readers.pdf.reader import ruled_table_settings
    from pipeline.readers.pdf.tables import find_tables

    path = SAMPLES / "004_culture_2019q4.pdf"
    with open_pdf(path.read_bytes(), DEFAULT_LIMITS) as pdf:
        plain = find_tables(pdf.page(1).edges, ruled_table_settings())  # the ruling alone
        assert plain and all(len({c[0] for c in t if c[1] == min(c[1] for c in t)}) < 9 for t in plain)
    tables = _tables(read_file(path))
    assert len(tables) == 2 and all({len(r) for r in t.rows} == {9} for t in tables)
    assert tables[0].rows[2][0].text == "문화본부 문화예술과" and tables[0].rows[2][8].text == "142,800,000"


def test_docx_hidden_and_deleted_text_is_not_content():
    from docx.oxml import OxmlElement

    def build(d):
        p = d.add_paragraph("보이는 글")
        hidden = p.add_run(" 숨은 글")
        hidden.font.hidden = True
        dele = OxmlElement("w:del")
        r = OxmlElement("w:r")
        t = OxmlElement("w:delText")
        t.text = " 지운 글"
        r.append(t)
        dele.append(r)
        p._p.append(dele)

    assert [b.text for b in read_bytes("t.docx", _docx_bytes(build)).blocks] == ["보이는 글"]
