"""HWPX and HWP 5 read directly (issue 6).

Every sample's HWPX and HWP renderings must give the records of its text rendering; the
HWPX must read the same through a second, independent reader (python-hwpx); genuine
Hancom files must read as Hancom's own text preview says; and every bad input must end in
one clear error.
"""
from __future__ import annotations

import io
import struct
import zipfile
import zlib

import olefile
import pytest

from conftest import FIXTURES, SAMPLES, SEED, comparable, run_cli
from pipeline.detect import sniff
from pipeline.errors import InputError
from pipeline.extract import parse_bytes, parse_file
from pipeline.ir import Cell, Document, Loc, Paragraph, Table
from pipeline.limits import DEFAULT_LIMITS, Limits
from pipeline.parse import parse_document
from pipeline.readers import read_bytes
from pipeline.readers.hwp import _para_pieces, _Rec, _tree, read_hwp
from pipeline.readers.hwpx import read_hwpx
from sample_reports import SampleTable, all_samples, clean_samples, transport_2023q3

HWP_FIX = FIXTURES / "hwp"
REAL = HWP_FIX / "real"
NAMES = [s.name for s in all_samples()]


def _json(path):
    return parse_file(path).to_json()


def _blocks(path):
    data = path.read_bytes()
    return (read_hwpx if path.suffix == ".hwpx" else read_hwp)(data, DEFAULT_LIMITS)


# ---------------------------------------------------------------- equivalence with text
@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("ext", ["hwpx", "hwp"])
def test_same_records_as_text(name, ext):
    text = _json(SAMPLES / f"{name}.txt")
    doc = _json(SAMPLES / f"{name}.{ext}")
    assert doc["source"]["format"] == ext
    assert comparable(doc) == comparable(text)
    # Nothing left unplaced in either rendering (a leaked footer would land here).
    assert [u["text"] for u in doc["unparsed"]] == [u["text"] for u in text["unparsed"]]
    assert doc["transfers"], "a sample with no transfer proves nothing"


@pytest.mark.parametrize("ext", ["hwpx", "hwp"])
def test_seed_original_text_against_hwpx_and_hwp(ext):
    original = _json(SEED)
    doc = _json(SAMPLES / f"000_seed.{ext}")
    assert comparable(doc) == comparable(original)
    assert doc["title"] == "2021 회계연도 4/4분기 예산 전용 보고"
    assert [t["budget"]["total"]["decrease"] for t in doc["transfers"]] == [30_000_000, 16_500_000, 10_000_000]


@pytest.mark.parametrize("name", NAMES)
def test_hwp_and_hwpx_give_identical_blocks_and_locations(name):
    """The HWP is the HWPX converted by another program: same paragraphs, same cells, same
    locations (section, paragraph, table/row/column)."""
    hwpx, hwp = _blocks(SAMPLES / f"{name}.hwpx"), _blocks(SAMPLES / f"{name}.hwp")
    assert hwpx == hwp
    a, b = _json(SAMPLES / f"{name}.hwpx"), _json(SAMPLES / f"{name}.hwp")
    a.pop("source"), b.pop("source")
    assert a == b


# ---------------------------------------------------------------- locations
@pytest.mark.parametrize("ext", ["hwpx", "hwp"])
def test_every_budget_line_loc_points_at_its_printed_figure(ext):
    for sample in clean_samples():
        path = SAMPLES / f"{sample.name}.{ext}"
        tables = [b for b in _blocks(path) if isinstance(b, Table)]
        doc = _json(path)
        for tr, model in zip(doc["transfers"], sample.transfers):
            for k, line in enumerate(tr["budget"]["lines"]):
                loc = line["loc"]
                assert loc["section"] == 1 and loc["paragraph"] >= 1 and loc["line"] is None
                t, r, c = loc["cell"]
                cell = tables[t - 1].rows[r - 1][c - 1]
                assert cell.text == model.table.body[k][5]  # 예산현액 as printed
                assert cell.loc.cell == (t, r, c)


def test_paragraph_locs_count_section_paragraphs():
    blocks = _blocks(SAMPLES / "000_seed.hwpx")
    paras = [b for b in blocks if isinstance(b, Paragraph)]
    assert paras[0].text == "2021 회계연도 4/4분기 예산 전용 보고"
    assert (paras[0].loc.section, paras[0].loc.paragraph) == (1, 1)
    numbers = [p.loc.paragraph for p in paras]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    first_table = next(b for b in blocks if isinstance(b, Table))
    assert first_table.loc.cell == (1, 1, 1) and first_table.loc.paragraph > paras[0].loc.paragraph


# ---------------------------------------------------------------- merges
def _covered(t: SampleTable) -> set[tuple[int, int]]:
    out = set()
    for r0, c0, rs, cs in t.merges():
        out |= {(r, c) for r in range(r0, r0 + rs) for c in range(c0, c0 + cs)} - {(r0, c0)}
    return out


@pytest.mark.parametrize("ext", ["hwpx", "hwp"])
def test_real_merges_become_merged_cells(ext):
    for sample in clean_samples():
        tables = [b for b in _blocks(SAMPLES / f"{sample.name}.{ext}") if isinstance(b, Table)]
        assert len(tables) == len(sample.transfers)
        for table, tr in zip(tables, sample.transfers):
            grid = tr.table.text_grid()
            assert [[c.text for c in row] for row in table.rows] == grid
            merged = {(r, c) for r, row in enumerate(table.rows) for c, cell in enumerate(row) if cell.merged}
            assert merged == _covered(tr.table)
            assert merged, "every sample table has merges"


# ---------------------------------------------------------------- headers, footers, notes
def test_page_header_footer_and_footnote_are_present_but_not_content():
    sample = transport_2023q3()
    with zipfile.ZipFile(SAMPLES / f"{sample.name}.hwpx") as zf:
        xml = zf.read("Contents/section0.xml").decode()
    for tag in ("<hp:header ", "<hp:footer ", "<hp:footNote ", "예산 전용 보고</hp:t>", "참조</hp:t>"):
        assert tag in xml  # the rendering really has them
    hwp_ids = _ctrl_ids(SAMPLES / f"{sample.name}.hwp")
    assert {"head", "foot", "fn  ", "tbl "} <= hwp_ids
    for ext in ("hwpx", "hwp"):
        texts = [b.text for b in _blocks(SAMPLES / f"{sample.name}.{ext}") if isinstance(b, Paragraph)]
        assert texts.count(sample.title) == 1  # the page header repeats the title: not read
        assert not any("참조" in t for t in texts)  # the footnote's body
        assert not any(t.endswith(f"{sample.office} 예산 전용 보고") for t in texts)  # the footer
        assert sample.transfers[0].lead[0] in texts  # the footnote's anchor paragraph is intact


def _ctrl_ids(path) -> set[str]:
    ole = olefile.OleFileIO(str(path))
    raw = ole.openstream("BodyText/Section0").read()
    ole.close()
    root = _tree(zlib.decompress(raw, -15), "s")
    ids, stack = set(), [root]
    while stack:
        node = stack.pop()
        if node.tag == 71:
            ids.add(node.data[:4][::-1].decode("latin-1"))
        stack.extend(node.children)
    return ids


# ---------------------------------------------------------------- independent HWPX reader
def _blocks_by_python_hwpx(path) -> list:
    """The report's blocks as python-hwpx (another implementation) reads the package, with
    locations numbered the way the contract says: section and paragraph, table/row/column."""
    hwpx = pytest.importorskip("hwpx")
    doc = hwpx.HwpxDocument.open(str(path))
    out, n_tables = [], 0
    for s_no, section in enumerate(doc.sections, start=1):
        for p_no, p in enumerate(section.paragraphs, start=1):
            text = " ".join(p.text.split())
            if text:
                out.append(Paragraph(text, Loc(section=s_no, paragraph=p_no)))
            for t in p.tables:
                n_tables += 1
                rows = [[None] * t.column_count for _ in range(t.row_count)]
                for pos in t.iter_grid():
                    txt = " ".join(pos.cell.text.split()) if pos.is_anchor else ""
                    loc = Loc(section=s_no, paragraph=p_no, cell=(n_tables, pos.row + 1, pos.column + 1))
                    rows[pos.row][pos.column] = Cell(txt, loc, merged=not pos.is_anchor)
                out.append(Table(rows, Loc(section=s_no, paragraph=p_no, cell=(n_tables, 1, 1))))
    return out


def _shape(blocks):
    return [
        ("p", b.text) if isinstance(b, Paragraph) else ("t", [[(c.text, c.merged) for c in row] for row in b.rows])
        for b in blocks
    ]


@pytest.mark.parametrize("name", NAMES)
def test_independent_reader_reads_our_hwpx_the_same(name):
    path = SAMPLES / f"{name}.hwpx"
    theirs = _blocks_by_python_hwpx(path)
    ours = _blocks(path)
    assert _shape(theirs) == _shape(ours)
    assert theirs == ours  # locations included
    report_theirs = parse_document(Document(str(path), "hwpx", "0" * 64, theirs)).to_json()
    report_ours = parse_document(Document(str(path), "hwpx", "0" * 64, ours)).to_json()
    assert report_theirs == report_ours


def test_independent_reader_on_a_genuine_hancom_hwpx():
    path = REAL / "sample_document.hwpx"
    assert _blocks_by_python_hwpx(path) == _blocks(path)


# ---------------------------------------------------------------- genuine Hancom files
def test_genuine_hwp_matches_hancoms_own_text_preview():
    """HWP files carry Hancom's plain-text preview (PrvText): our reading of the body
    records must give the same lines."""
    path = REAL / "sample_document.hwp"
    ole = olefile.OleFileIO(str(path))
    preview = ole.openstream("PrvText").read().decode("utf-16-le")
    ole.close()
    expected = [ln.strip().strip("<>") for ln in preview.splitlines() if ln.strip()]
    got = []
    for b in _blocks(path):
        if isinstance(b, Paragraph):
            got.append(b.text)
        else:
            got += [c.text for row in b.rows for c in row if c.text]
    assert got == expected
    assert len(got) == 9


def test_genuine_hwp_and_hwpx_of_one_document_read_the_same():
    hwp, hwpx = _blocks(REAL / "sample_document.hwp"), _blocks(REAL / "sample_document.hwpx")
    assert hwp == hwpx
    table = [b for b in hwp if isinstance(b, Table)]
    assert len(table) == 1 and table[0].loc.paragraph == 13 and table[0].loc.cell == (1, 1, 1)


def test_formats_are_sniffed_from_content():
    assert sniff((REAL / "sample_document.hwp").read_bytes()) == "hwp"
    assert sniff((REAL / "sample_document.hwpx").read_bytes()) == "hwpx"
    assert sniff((SAMPLES / "000_seed.hwp").read_bytes()) == "hwp"
    assert sniff((SAMPLES / "000_seed.hwpx").read_bytes()) == "hwpx"
    # The name does not matter: an HWPX named .txt is still HWPX.
    assert read_bytes("x.txt", (SAMPLES / "000_seed.hwpx").read_bytes()).format == "hwpx"


# ---------------------------------------------------------------- bad input
BAD = {
    "truncated.hwp": "damaged or truncated OLE",
    "truncated_body.hwp": "truncated HWP",
    "not_hwp.ole": "not an HWP document",
    "bad_signature.hwp": "bad signature",
    "encrypted.hwp": "password-protected",
    "distribution.hwp": "배포용",
    "bomb.hwp": "decompression bomb",
    "deep_records.hwp": "levels deep",
    "bad_record.hwp": "runs past the end",
    "hwp3.hwp": "HWP 3.x",
    "real/protected_document.hwp": "password-protected",
    "truncated.hwpx": "damaged or truncated zip",
    "bomb.hwpx": "zip bomb",
    "deep.hwpx": "levels deep",
    "doctype.hwpx": "document type declaration",
    "no_section.hwpx": "without any section",
    "encrypted.hwpx": "password-protected",
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_is_one_clear_error(name):
    path = HWP_FIX / name
    assert path.stat().st_size < 64 * 1024, "fixtures stay small"
    with pytest.raises(InputError) as e:
        parse_bytes(str(path), path.read_bytes())
    assert BAD[name] in e.value.reason
    assert "\n" not in e.value.reason


def test_cli_exits_2_with_one_line_per_bad_file():
    paths = [HWP_FIX / n for n in sorted(BAD)]
    r = run_cli("extract", *paths, "--out", "/tmp/jeonyong-hwp-bad-out")
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == len(paths), r.stderr
    assert "Traceback" not in r.stderr
    for line, path, name in zip(lines, paths, sorted(BAD)):
        assert line.startswith(f"{path}: ") and BAD[name] in line


def test_cli_extracts_hwpx_and_hwp(tmp_path):
    r = run_cli("extract", SAMPLES / "001_climate_2022q1.hwpx", SAMPLES / "001_climate_2022q1.hwp", "--out", tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "001_climate_2022q1.hwpx.json").exists() and (tmp_path / "001_climate_2022q1.hwp.json").exists()


def test_table_cell_limit_is_enforced():
    small = Limits(max_table_cells=20)
    for ext in ("hwpx", "hwp"):
        with pytest.raises(InputError, match="cells"):
            read_bytes(f"x.{ext}", (SAMPLES / f"001_climate_2022q1.{ext}").read_bytes(), small)


def test_inflate_cap_is_enforced_on_a_genuine_file():
    tiny = Limits(max_zip_member_bytes=2000)
    with pytest.raises(InputError, match="bomb|limit"):
        read_bytes("x.hwp", (REAL / "sample_document.hwp").read_bytes(), tiny)


# ---------------------------------------------------------------- PARA_TEXT and records
def _para(text_units: list, ctrls=()) -> _Rec:
    data = b"".join(struct.pack("<H", u) if isinstance(u, int) else u.encode("utf-16-le") for u in text_units)
    p = _Rec(66, 0, b"")
    p.children.append(_Rec(67, 1, data))
    for cid in ctrls:
        p.children.append(_Rec(71, 1, cid[::-1].encode("latin-1") + b"\0" * 20))
    return p


def _extended(code: int, cid: str) -> list:
    idb = cid[::-1].encode("latin-1")
    return [code, *struct.unpack("<HH", idb), 0, 0, 0, 0, code]


def test_para_text_control_characters():
    units = (
        _extended(2, "secd") + ["가나"] + [9, 0, 0, 0, 0, 0, 0, 9] + ["다", 10, "라", 24, "마", 30, "바", 31, 0]
        + _extended(11, "tbl ") + ["끝"] + _extended(17, "fn  ") + [13]
    )
    pieces = list(_para_pieces(_para(units)))
    text = "".join(v for k, v in pieces if k == "text")
    assert text == "가나\t다\n라-마 바 끝"
    assert [v for k, v in pieces if k == "ctrl"] == ["secd", "tbl ", "fn  "]


def test_record_tree_and_extended_size():
    long_text = ("가" * 3000).encode("utf-16-le")  # 6000 bytes: needs the 0xFFF extended size
    body = struct.pack("<I", 66 | 0 << 10 | 22 << 20) + b"\0" * 22
    body += struct.pack("<II", 67 | 1 << 10 | 0xFFF << 20, len(long_text)) + long_text
    body += struct.pack("<I", 66 | 0 << 10 | 22 << 20) + b"\0" * 22
    root = _tree(body, "s")
    assert [c.tag for c in root.children] == [66, 66]
    assert root.children[0].children[0].data == long_text
    assert "".join(v for _, v in _para_pieces(root.children[0])) == "가" * 3000


# ---------------------------------------------------------------- generated files are current
def test_committed_hwpx_samples_are_what_the_renderer_writes():
    from render_hwpx import hwpx_bytes

    for sample in all_samples():
        assert (SAMPLES / f"{sample.name}.hwpx").read_bytes() == hwpx_bytes(sample), sample.name


def test_hwpx_samples_follow_the_package_structure():
    data = (SAMPLES / "000_seed.hwpx").read_bytes()
    assert data[30:38] == b"mimetype" and data[38:57] == b"application/hwp+zip"  # stored, first
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        assert zf.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
    for part in ("version.xml", "META-INF/container.xml", "Contents/content.hpf", "Contents/header.xml", "Contents/section0.xml"):
        assert part in names


def test_committed_hwp_samples_and_fixtures_are_what_the_scripts_write():
    pytest.importorskip("hwpx")
    from make_hwp_fixtures import hwp_fixtures, hwpx_fixtures
    from render_hwp import hwp_bytes

    for sample in all_samples():
        assert (SAMPLES / f"{sample.name}.hwp").read_bytes() == hwp_bytes(sample), sample.name
    made = {**hwp_fixtures(), **hwpx_fixtures()}
    assert set(made) == {n for n in BAD if "/" not in n}
    for name, data in made.items():
        assert (HWP_FIX / name).read_bytes() == data, name


# ---------------------------------------------------------------- a document made by another writer
def test_features_in_a_document_written_by_python_hwpx():
    """A document authored with python-hwpx (not our renderer), then converted by it to
    HWP 5: page header and footer, footnote and endnote are skipped; a nested table's
    text joins its cell; a text box reads in place; merges are merged cells; HWPX and HWP
    read the same."""
    hwpx = pytest.importorskip("hwpx")
    import warnings

    from hwpx.hwp5.writer import write_hwp5

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        d = hwpx.HwpxDocument.new()
        d.set_header_text("머리말 글")
        d.set_footer_text("꼬리말 글")
        p1 = d.add_paragraph("첫째 문단")
        d.add_footnote("각주 본문", paragraph=p1)
        d.add_endnote("미주 본문", paragraph=p1)
        t = d.add_table(3, 3)
        for r in range(3):
            for c in range(3):
                t.set_cell_text(r, c, f"칸{r}{c}")
        t.merge_cells(0, 2, 1, 2)  # column 3, rows 1-2
        t.merge_cells(2, 0, 2, 1)  # row 3, columns 1-2
        inner = t.cell(1, 1).add_table(1, 2)
        inner.set_cell_text(0, 0, "안쪽1")
        inner.set_cell_text(0, 1, "안쪽2")
        d.add_rectangle().set_draw_text("상자 안의 글")
        d.add_paragraph("끝 문단")
        data = d.to_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        hwp = write_hwp5({n: zf.read(n) for n in zf.namelist()})
    a, b = read_hwpx(data, DEFAULT_LIMITS), read_hwp(hwp, DEFAULT_LIMITS)
    assert a == b
    texts = [x.text for x in a if isinstance(x, Paragraph)]
    assert texts == ["첫째 문단", "상자 안의 글", "끝 문단"]
    (table,) = [x for x in a if isinstance(x, Table)]
    grid = [[c.text for c in row] for row in table.rows]
    merged = [[c.merged for c in row] for row in table.rows]
    assert grid[0][:2] == ["칸00", "칸01"] and grid[1][0] == "칸10"
    assert grid[1][1] == "칸11 안쪽1 안쪽2"
    assert grid[0][2].startswith("칸02") and grid[2][0].startswith("칸20")
    assert merged == [[False, False, False], [False, False, True], [False, True, False]]
    assert table.loc.cell == (1, 1, 1)
