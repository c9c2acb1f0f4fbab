"""Item numbering in every style offices print, recognised by meaning (issue 9 §1)."""
import pytest

from pipeline.parse.numbering import numeral_of

from test_parse_variants import HEAD, item, parse

STYLES = [
    # (printed numerals of three items, expected labels)
    (["I", "II", "III"], ["I", "II", "III"]),
    (["Ⅰ", "II", "Ⅲ"], ["Ⅰ", "II", "Ⅲ"]),  # ASCII and Unicode mixed in one file
    (["Ⅰ.", "Ⅱ.", "Ⅲ."], ["Ⅰ", "Ⅱ", "Ⅲ"]),
    (["1.", "2.", "3."], ["1", "2", "3"]),
    (["1)", "2)", "3)"], ["1", "2", "3"]),
    (["(1)", "(2)", "(3)"], ["1", "2", "3"]),
    (["[1]", "[2]", "[3]"], ["1", "2", "3"]),
    (["제1", "제2", "제3"], ["1", "2", "3"]),
    (["①", "②", "③"], ["①", "②", "③"]),
    (["가.", "나.", "다."], ["가", "나", "다"]),
]
TITLES = ["골목상권 행사 예산 전용", "두번째 사업 예산 전용", "세번째 사업 예산 전용"]


def numbered(numerals, inline: bool, overview="○ 필요성\n- 필요\n") -> str:
    text = HEAD
    for numeral, title in zip(numerals, TITLES):
        block = item(numeral, overview=overview).replace("골목상권 행사 예산 전용", title, 1)
        if inline:
            block = block.replace(f"{numeral}\n{title}\n", f"{numeral} {title}\n", 1)
        text += block
    return text


@pytest.mark.parametrize("inline", [False, True], ids=["numeral-alone", "numeral-and-title"])
@pytest.mark.parametrize("numerals,labels", STYLES, ids=[s[0][0] for s in STYLES])
def test_every_numbering_style_alone_or_inline(numerals, labels, inline):
    r = parse(numbered(numerals, inline))
    assert [t.label for t in r.transfers] == labels
    assert [t.title for t in r.transfers] == TITLES
    assert [t.summary for t in r.transfers] == ["상권 활성화 행사 개최"] * 3
    assert all(len(t.budget.lines) == 2 for t in r.transfers)
    assert r.findings == []  # each item's table is its own: no false column_total / summary_amount


@pytest.mark.parametrize("numerals", [["1.", "2.", "3."], ["I", "II", "III"]])
def test_numbered_lines_inside_overview_are_not_items(numerals):
    overview = "○ 사업내용\n1. 일 시 : '23.4.3.(월) 14:00\n2. 장 소 : 시청 다목적홀\n3. 내 용 : 발대식\n○ 필요성\n- 필요\n"
    r = parse(numbered(numerals, inline=False, overview=overview))
    assert [t.title for t in r.transfers] == TITLES
    for t in r.transfers:
        assert t.overview["사업내용"] == ["1. 일 시 : '23.4.3.(월) 14:00", "2. 장 소 : 시청 다목적홀", "3. 내 용 : 발대식"]
    assert r.findings == []


def test_numbered_reasons_before_the_next_item_are_not_items():
    # The previous item's 전용사유 prints `2. …` just before the item numbered `2.`.
    text = HEAD
    for numeral, title in zip(["1.", "2."], TITLES):
        block = item(numeral).replace("골목상권 행사 예산 전용", title, 1)
        # put the budget table before the reasons, so that the reasons end the item
        text += block.replace("□ 전용사유\n- 행사 수요 증가\n", "")
        text += "□ 전용사유\n1. 행사 수요 증가\n2. 참가자 확대\n"
    r = parse(text)
    assert [(t.label, t.title) for t in r.transfers] == [("1", TITLES[0]), ("2", TITLES[1])]
    assert [t.reasons for t in r.transfers] == [["1. 행사 수요 증가", "2. 참가자 확대"]] * 2


def test_numbered_header_fields_are_not_items():
    head = "2023 회계연도 2/4분기 예산 전용 보고\n1. 일 시 : 2023. 7. 12.\n2. 장 소 : 기획경제위원회 회의실\n경제정책실\n"
    r = parse(head + item("1.") + item("2."))
    assert [t.label for t in r.transfers] == ["1", "2"]


def test_a_withdrawn_item_may_leave_a_gap():
    r = parse(numbered(["I", "II", "IV"], inline=False))
    assert [t.label for t in r.transfers] == ["I", "II", "IV"]


def test_single_item_numbered_or_not():
    assert [t.label for t in parse(HEAD + item("1.")).transfers] == ["1"]
    assert [t.label for t in parse(HEAD + item("").lstrip("\n")).transfers] == [""]


@pytest.mark.parametrize("text", ["2022. 2.", "1.5배 증가", "10,000천원", "IT기술 적용", "3 개소", "제1차 추경", "2021년 계획"])
def test_prose_is_not_a_numeral(text):
    assert numeral_of(text) is None


@pytest.mark.parametrize("text,label,rest", [
    ("제6 안전 지원 사업 예산 전용", "6", "안전 지원 사업 예산 전용"),  # 안 after a space begins the title
    ("제1호 골목상권 예산 전용", "1", "골목상권 예산 전용"),
    ("제2. 두번째", "2", "두번째"),
])
def test_je_numerals_and_their_counter_words(text, label, rest):
    n = numeral_of(text)
    assert (n.family, n.label, n.rest) == ("je", label, rest)
