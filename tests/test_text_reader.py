"""The text reader: encodings detected from the bytes, NFC, and three table styles that
become the same grid."""
import unicodedata

import pytest

from pipeline.errors import InputError
from pipeline.extract import parse_file
from pipeline.ir import Paragraph, Table
from pipeline.limits import Limits
from pipeline.readers import read_bytes, read_file
from pipeline.readers.text import decode

from conftest import FIXTURES, SEED, comparable

TEXT = FIXTURES / "text"


@pytest.fixture(scope="module")
def seed_records():
    return comparable(parse_file(SEED).to_json())


@pytest.mark.parametrize("name", ["utf8", "utf8bom", "utf16", "utf16le-nobom", "utf16be-nobom", "crlf", "nfd"])
def test_every_encoding_gives_the_seed_records(name, seed_records):
    assert comparable(parse_file(TEXT / f"seed.{name}.txt").to_json()) == seed_records


@pytest.mark.parametrize("name", ["cp949", "euckr"])
def test_korean_legacy_encodings(name, seed_records):
    got = comparable(parse_file(TEXT / f"seed.{name}.txt").to_json())
    # ➡ has no CP949 code, so those files print → (see scripts/make_text_fixtures.py).
    line = got["transfers"][1]["transfer"]["lines"][0]
    assert "→" in line and "➡" not in line
    got["transfers"][1]["transfer"]["lines"][0] = line.replace("→", "➡")
    assert got == seed_records


def test_nfc_normalisation():
    raw = (TEXT / "seed.nfd.txt").read_bytes().decode("utf-8")
    assert raw != unicodedata.normalize("NFC", raw)  # the fixture really is decomposed
    text = decode((TEXT / "seed.nfd.txt").read_bytes())
    assert text == unicodedata.normalize("NFC", text)


def test_crlf_line_numbers_match_lf():
    a = read_file(TEXT / "seed.crlf.txt")
    b = read_file(SEED)
    assert [blk.loc.line for blk in a.blocks] == [blk.loc.line for blk in b.blocks]


def _tables(path):
    return [b for b in read_file(path).blocks if isinstance(b, Table)]


def test_three_table_styles_give_the_same_grids():
    grids = {}
    for style in ("tab", "pipe", "box"):
        grids[style] = [[[c.text for c in row] for row in t.rows] for t in _tables(TEXT / f"seed_model.{style}.txt")]
    assert len(grids["tab"]) == 3
    assert grids["tab"] == grids["pipe"] == grids["box"]


def test_box_table_knows_its_merges():
    t = _tables(TEXT / "seed_model.box.txt")[0]
    header, body1, body2, total = t.rows[0], t.rows[2], t.rows[3], t.rows[4]
    assert header[2].text == "예산과목" and header[3].merged and header[4].merged  # spans three columns
    assert t.rows[1][0].merged  # 부서명 spans two header rows
    assert body2[0].merged and body2[1].merged and not body2[2].merged
    assert total[0].text == "총 계" and all(c.merged for c in total[1:5])


def test_table_cells_carry_their_line_numbers():
    t = _tables(SEED)[0]
    assert t.rows[2][5].text == "355,000"
    assert t.rows[2][5].loc.line == 56 and t.rows[2][5].loc.cell == (1, 3, 6)
    total = _tables(SEED)[2].rows[-1]
    assert total[0].text == "총 계" and total[0].loc.line == 166


def test_markup_is_removed_but_text_kept():
    paras = [b.text for b in read_file(SEED).blocks if isinstance(b, Paragraph)]
    assert any("첨단 IT기술 적용 및 프로그램 확대" in p for p in paras)
    assert not any("**" in p for p in paras)


@pytest.mark.parametrize(
    "data, why",
    [
        (b"", "empty file"),
        (b"\x00\x01\x02\x03binary\xff\xfe\x00junk" * 50, "binary data"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "damaged image"),  # a PNG's magic: read as a scan, which it is not
    ],
)
def test_bad_bytes_get_a_reason(data, why):
    with pytest.raises(InputError) as e:
        read_bytes("x", data)
    assert why in e.value.reason


def test_huge_single_line_is_refused():
    data = ("가" * 2_000_000).encode("utf-8")  # 6 MB on one line
    with pytest.raises(InputError) as e:
        read_bytes("big.txt", data, Limits())
    assert "line of 2,000,000 characters" in e.value.reason


def test_undecodable_text():
    data = "보고".encode("utf-8") + b"\x81\x20\xc8" * 10 + b"\n"
    with pytest.raises(InputError) as e:
        read_bytes("x.txt", data)
    assert "encoding" in e.value.reason
