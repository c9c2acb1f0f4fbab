"""The domain vocabulary (pipeline/domain/): what its patterns accept and reject, and the
rule that no other module spells a budget code, figure, unit or header-word pattern."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from pipeline.domain import codes, figures, glyphs, headers, labels, marks, pages
from pipeline.parse.notation import parse_amount

ROOT = Path(__file__).resolve().parent.parent
PIPELINE = ROOT / "pipeline"


# ---------------------------------------------------------------- codes
@pytest.mark.parametrize("code", ["100-201-03", "110-202-01", "201-03", "110-201-02"])
def test_a_whole_code_is_a_code(code):
    assert codes.CODE_WHOLE.match(code)
    assert codes.CODE_OPENS.match(code + " 사무관리비")
    assert codes.CODE_AND_NAME.match(code + " 사무관리비").group(1) == code


@pytest.mark.parametrize("text", ["120202703", "201", "110-202-0", "110-", "2,353", "△1,000", "10-1-1"])
def test_what_is_no_whole_code(text):
    assert not codes.CODE_WHOLE.match(text)


@pytest.mark.parametrize("piece", ["110-202-0", "110-", "110-201-", "201"])
def test_a_cut_code_is_a_prefix_and_begins_like_one(piece):
    assert codes.CODE_PREFIX.match(piece)
    assert codes.CODE_CHARS.match(piece)


def test_the_stat_key_is_the_codes_last_two_groups_whatever_leads():
    assert codes.stat_key("110-201-03") == codes.stat_key("100-201-03") == codes.stat_key("201-03") == "201-03"
    assert codes.stat_key("110 - 201 - 03") == "201-03"
    assert codes.stat_key("행사운영비") == "행사운영비"


@given(st.lists(st.integers(10, 999), min_size=1, max_size=3), st.integers(0, 99))
def test_every_code_of_two_and_three_digit_groups_is_whole(groups, last):
    code = "-".join(str(g) for g in groups) + f"-{last:02d}"
    assert codes.CODE_WHOLE.match(code)
    assert codes.CODE_PREFIX.match(code[:-1])  # the page cut its last digit
    assert codes.re.fullmatch(codes.RECORDED_CODE, code)


# ---------------------------------------------------------------- figures and units
def test_unit_multipliers():
    assert figures.UNIT_WON == {"원": 1, "천원": 1_000, "만원": 10_000, "백만원": 1_000_000, "억원": 100_000_000}
    assert parse_amount("355,000", "천원").won == 355_000_000
    assert parse_amount("9,537.4", "백만원").won == 9_537_400_000
    assert not hasattr(figures, "USUAL_UNIT")  # a unit is read, never assumed (issue 20)


@pytest.mark.parametrize("text, unit", [
    ("(단위 : 천원)", "천원"), ("[단위: 원]", "원"), ("단위:백만원", "백만원"), ("예산현액 (단위: 백만 원)", "백만원"),
    ("(단위: 억원)", "억원"), ("(단위: 만원)", "만원"), ("단 위 : 천 원", "천원"),
])
def test_a_unit_notice_names_its_unit(text, unit):
    assert figures.unit_of(text) == unit


def test_a_unit_line_stands_alone_and_a_wrapped_piece_does_not():
    assert figures.UNIT_LINE.match("(단위 : 천원)") and figures.UNIT_LINE.match("단위 : 백만원")
    assert not figures.UNIT_LINE.match("단위: 천원)")  # a header cell's wrapped piece
    assert not figures.UNIT_LINE.match("예산현액 (단위: 천원)")


@pytest.mark.parametrize("text", ["17,439,865", "9,537.4", "△1,000", "▲30", "-", "—", "0", "355000"])
def test_whole_figures(text):
    assert figures.FIGURE_WHOLE.match(text) and figures.FIGURE.match(text)


@pytest.mark.parametrize("text", ["17,43", "1,3", "88,"])
def test_pieces_of_figures_are_figures_but_not_whole(text):
    assert figures.FIGURE.match(text) and not figures.FIGURE_WHOLE.match(text)


def test_only_a_figure_prints_figure_marks_a_code_never():
    assert figures.FIGURE_MARK.search("1,000") and figures.FIGURE_MARK.search("△5")
    assert not figures.FIGURE_MARK.search("110-202-01")


def test_every_minus_mark_reads_negative_and_every_zero_dash_zero():
    for mark in figures.MINUS_MARKS:
        assert parse_amount(f"{mark}1,000", "원").won == -1000
    for dash in figures.ZERO_DASHES:
        assert parse_amount(dash, "원").won == 0 and figures.DASH.match(dash)


# ---------------------------------------------------------------- header words
def test_every_header_word_names_a_role_or_groups_columns():
    for word in headers.COLUMN_WORDS:
        assert headers.column_role(word) or word in headers.GROUPS, word
    for word in headers.HEADER_WORDS:
        assert headers.is_header_piece(word)


def test_every_group_word_groups_roles_that_header_words_name():
    named = {headers.column_role(w) for w in headers.COLUMN_WORDS} | {"stat_code", "stat_name", "stat"}
    for group, roles in headers.GROUP_ROLES.items():
        assert headers.is_group(group) and headers.column_role(group) is None
        assert set(roles) <= named | set(headers.COLUMN_RANK), group


def test_every_role_has_a_rank_and_money_roles_come_last():
    for role, _ in headers.CELL_ROLES:
        assert role in headers.COLUMN_RANK
    assert min(headers.COLUMN_RANK[r] for r in headers.MONEY_ROLES) > max(headers.COLUMN_RANK[r] for r in headers.TEXT_ROLES)


@pytest.mark.parametrize("label", ["총 계", "합계", "계", "소계", "부서계"])
def test_total_labels(label):
    assert headers.is_total_label(label)


def test_a_header_term_is_short_prose_is_not():
    assert headers.is_header_term("전용 후 예산현액") and headers.is_header_term("통계목")
    assert not headers.is_header_term("세부사업 변경 및 추진 계획 안내")
    assert headers.is_header_piece("예산현") and not headers.is_header_piece("사무관리비")


# ---------------------------------------------------------------- marks and pages
@pytest.mark.parametrize("text, n", [
    ("- 3 -", 3), ("— 12 —", 12), ("3 / 10", 3), ("3/12", 3), ("page 3", 3), ("Page 3 of 10", 3), ("p. 7", 7),
    ("3쪽", 3), ("3 페이지", 3), ("페이지 3", 3), ("3 of 10", 3), ("3", 3), ("(3)", 3),
])
def test_page_number_forms(text, n):
    assert pages.page_number(text) == n


@pytest.mark.parametrize("text", ["110-207-0", "1,000", "3. 추진경과", "제3", "12-3"])
def test_what_is_no_page_number(text):
    assert pages.page_number(text) is None


def test_bare_numbers_are_page_numbers_only_where_the_page_says_so():
    assert not pages.PAGE_NUMBER.match("3") and not pages.PAGE_NUMBER.match("(3)")
    assert pages.DASHED_PAGE_NUMBER.match("- 3 -") and not pages.DASHED_PAGE_NUMBER.match("3 / 10")


def test_section_names_with_or_without_their_mark():
    for name in ("사업개요", "전용개요", "전용내역", "전용사유", "예산현황", "예산전용현황", "예산현황표"):
        assert marks.SECTION_WORDS.match(name) and marks.SECTION_WORDS.match("□" + name)
        assert sum(1 for p in marks.SECTIONS.values() if p.match(name)) == 1
    assert not marks.SECTION_WORDS.match("사업개요와 추진경과")


def test_every_section_and_heading_mark_opens_a_paragraph():
    assert set(marks.HEADING_MARKS) <= marks.OPENERS and set(marks.ROMAN_NUMERALS) <= marks.OPENERS


# ---------------------------------------------------------------- glyph widths and labels
@given(st.text(alphabet="가나다1234abc ,.△-()", max_size=20))
def test_glyph_widths_are_ordered_low_typical_high(s):
    low, typical, high = (glyphs.text_width(s, e) for e in (glyphs.LOW, glyphs.TYPICAL, glyphs.HIGH))
    assert low <= typical <= high
    assert glyphs.display_width(s) >= len(s)


def test_hangul_is_one_em_and_two_columns_digits_about_half():
    assert glyphs.text_width("예산", glyphs.LOW) == glyphs.text_width("예산", glyphs.HIGH) == 2.0
    assert glyphs.display_width("예산") == 4 and glyphs.display_width("12") == 2
    assert 0.5 < glyphs.glyph_width("1") < 0.7
    assert glyphs.glyph_width("△") == 1.0


def test_labels_name_every_table_column_and_check():
    from pipeline.audit import CHECKS
    from pipeline.tables import COLUMNS

    assert set(CHECKS) == set(labels.CHECK_KO)
    for columns in COLUMNS.values():
        assert set(columns) <= set(labels.KOREAN_HEADERS)
    assert [role for role, _ in labels.TEXT_COLUMNS_KO] == list(headers.TEXT_ROLES)


# ---------------------------------------------------------------- the rule itself
_UNIT_WORDS = set(figures.UNIT_WON) - {"원"}  # `원` alone is too common a syllable to look for
_WORDS = set(headers.COLUMN_WORDS) | set(headers.GROUPS) | {"총계", "합계", "소계", "통계목", "예산현액"} | _UNIT_WORDS
_REGEX_SIGNS = ("\\d", "\\s", "[", "(?", "|")
_CODE_SHAPES = ("\\d{2,3}", "\\d{3}", "\\d+(?:-", "\\d{2}$", "[\\d-", "[\\d\\-")
_FIGURE_SHAPES = ("△▲", "\\d{1,3}(?:,", "[\\d,.]")


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                out.add(id(first.value))
    return out


def _spelled(text: str) -> str | None:
    """What vocabulary a string literal spells, if any: a pattern of codes, figures, units
    or header words, or one such word on its own (a message or a docstring mentions them
    in prose, which is not spelling them)."""
    s = text.strip()
    if s in _WORDS:
        return "a header word, total label or unit"
    if not any(sign in s for sign in _REGEX_SIGNS):
        return None
    if any(shape in s for shape in _FIGURE_SHAPES):
        return "a figure pattern"
    if any(shape in s for shape in _CODE_SHAPES):
        return "a budget-code pattern"
    if any(w in s for w in _WORDS) or "단\\s*위" in s:
        return "a header-word or unit pattern"
    return None


def _offences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):  # an f-string is a message
            skip.update(id(v) for v in ast.walk(node) if isinstance(v, ast.Constant))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            what = _spelled(node.value)
            if what:
                out.append(f"{path.relative_to(ROOT)}:{node.lineno}: {what}: {node.value[:60]!r}")
    return out


def test_the_scan_finds_what_it_looks_for():
    assert _spelled(r"^\d{2,3}(?:-\d{2,3})*-\d{2}$") and _spelled(r"^[△▲\-]?\d") and _spelled("천원")
    assert _spelled(r"단\s*위\s*[:：]") and _spelled(r"예산현액|현액")
    assert not _spelled("the table prints no unit; figures read as 천원") and not _spelled(r"\s+")


def test_no_module_but_the_vocabulary_spells_codes_figures_units_or_header_words():
    offences = [o for path in sorted(PIPELINE.rglob("*.py")) if "domain" not in path.relative_to(PIPELINE).parts
                for o in _offences(path)]
    assert not offences, "spelled outside pipeline/domain/:\n" + "\n".join(offences)
