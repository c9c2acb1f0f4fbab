"""Parsing by meaning: notation variants the domain guide lists, each in a small report."""
import pytest

from pipeline.audit import audit_report
from pipeline.errors import NotAReport
from pipeline.parse import parse_document
from pipeline.readers import read_bytes

HEAD = "2023 회계연도 2/4분기 예산 전용 보고\n- 일 시 : 2023. 7. 12.\n- 장 소 : 기획경제위원회 회의실\n경제정책실\n"


def item(numeral="I", table=None, overview="○ 필요성\n- 필요\n", sections=("□ 사업개요", "□ 전용개요", "□ 전용사유", "□ 예산 현황"), amount="금 5,000천원 / '23.05.02.", unit="(단위 : 천원)"):
    table = table or (
        "부서명\t정책사업\t단위사업\t세부사업\t통계목\t예산현액\t감\t증\t전용 후 예산현액\n"
        "경제정책과\t경제 활성화\t소상공인 지원\t골목상권 지원\t201-01 사무관리비\t20,000\t5,000\t-\t15,000\n"
        "\t\t\t\t201-03 행사운영비\t-\t-\t5,000\t5,000\n"
        "총 계\t\t\t\t\t20,000\t5,000\t5,000\t20,000\n"
    )
    ov, tr, rs, bu = sections
    return f"{numeral}\n골목상권 행사 예산 전용\n상권 활성화 행사 개최\n{ov}\n{overview}{tr}\n- 전용금액/전용일자 : {amount}\n{rs}\n- 행사 수요 증가\n{bu}\n{unit}\n{table}"


def parse(text: str):
    report = parse_document(read_bytes("t.txt", text.encode("utf-8")))
    report.findings = audit_report(report)
    return report


def test_baseline():
    r = parse(HEAD + item())
    assert (r.fiscal_year, r.quarter, r.office, r.meeting_date, r.venue) == (2023, 2, "경제정책실", "2023-07-12", "기획경제위원회 회의실")
    (t,) = r.transfers
    assert t.transfer.amount_won == 5_000_000 and t.transfer.date == "2023-05-02"
    assert [ln.after for ln in t.budget.lines] == [15_000_000, 5_000_000]
    assert r.findings == [] and r.unparsed == []


def test_sections_without_marks_or_spaces_and_ieung_bullets():
    text = HEAD + item(sections=("□사업개요", "전용 개요", "□전용사유", "예산현황"), overview="ㅇ 필요성\n· 필요\n")
    (t,) = parse(text).transfers
    assert t.overview == {"필요성": ["필요"]} and t.reasons == ["행사 수요 증가"] and t.budget.lines


def test_roman_numerals_mixed_and_inline_titles():
    text = HEAD + item("I") + item("Ⅱ") + item("III.").replace("III.\n골목", "III. 골목")
    r = parse(text)
    assert [t.label for t in r.transfers] == ["I", "Ⅱ", "III"]
    assert [t.title for t in r.transfers] == ["골목상권 행사 예산 전용"] * 3


def test_arabic_numbering_when_no_roman():
    text = HEAD + item("1. 골목상권 행사 예산 전용").replace("1. 골목상권 행사 예산 전용\n골목상권 행사 예산 전용\n", "1. 골목상권 행사 예산 전용\n")
    text += item("2. 두번째 전용").replace("2. 두번째 전용\n골목상권 행사 예산 전용\n", "2. 두번째 전용\n")
    r = parse(text)
    assert [(t.label, t.title) for t in r.transfers] == [("1", "골목상권 행사 예산 전용"), ("2", "두번째 전용")]


def test_roman_numeral_in_prose_is_not_a_heading():
    text = HEAD + item(overview="○ 사업내용\nI 단계 : 설계\n- 내용\n")
    r = parse(text)
    assert len(r.transfers) == 1 and "I 단계 : 설계" in r.transfers[0].overview["사업내용"]


def test_header_word_variants_and_single_header_row():
    table = (
        "부서명\t정책사업\t단위사업\t세부사업\t통계목\t예산액\t감액\t증액\t전용후 예산액\n"
        "경제정책과\t경제 활성화\t소상공인 지원\t골목상권 지원\t201-01 사무관리비\t20,000\t5,000\t-\t15,000\n"
        "\t\t\t\t201-03 행사운영비\t\t\t5,000\t5,000\n"
        "합 계\t\t\t\t\t20,000\t5,000\t5,000\t20,000\n"
    )
    (t,) = parse(HEAD + item(table=table)).transfers
    assert [(ln.before, ln.decrease, ln.increase) for ln in t.budget.lines] == [(20_000_000, 5_000_000, 0), (0, 0, 5_000_000)]
    assert t.budget.total == {"before": 20_000_000, "decrease": 5_000_000, "increase": 5_000_000, "after": 20_000_000}


def test_columns_in_another_order_are_found_by_their_words():
    table = (
        "통계목\t세부사업\t단위사업\t정책사업\t부서명\t전용 후 예산현액\t증\t감\t예산현액\n"
        "201-01 사무관리비\t골목상권 지원\t소상공인 지원\t경제 활성화\t경제정책과\t15,000\t-\t5,000\t20,000\n"
        "201-03 행사운영비\t\t\t\t\t5,000\t5,000\t-\t-\n"
    )
    (t,) = parse(HEAD + item(table=table)).transfers
    ln = t.budget.lines[0]
    assert (ln.department, ln.stat_name, ln.before, ln.decrease, ln.after) == ("경제정책과", "사무관리비", 20_000_000, 5_000_000, 15_000_000)
    assert t.budget.total is None


def test_units_and_minus_marks():
    table = (
        "부서명\t정책사업\t단위사업\t세부사업\t통계목\t예산현액\t감\t증\t전용 후 예산현액\n"
        "경제정책과\t경제 활성화\t소상공인 지원\t골목상권 지원\t201-01 사무관리비\t▲1.5\t-\t2\t0.5\n"
        "\t\t\t\t201-03 행사운영비\t4\t2\t-\t2\n"
    )
    (t,) = parse(HEAD + item(table=table, unit="(단위 : 백만원)", amount="금 2백만원 / '23.05.02.")).transfers
    assert [ln.before for ln in t.budget.lines] == [-1_500_000, 4_000_000]
    assert t.budget.unit == "백만원"


def test_unplaceable_lines_are_kept_with_their_location():
    table = (
        "부서명\t정책사업\t단위사업\t세부사업\t통계목\t예산현액\t감\t증\t전용 후 예산현액\n"
        "경제정책과\t경제 활성화\t소상공인 지원\t골목상권 지원\t201-01 사무관리비\t20,000\t5,000\t-\t15,000\n"
        "\t\t\t\t201-03 행사운영비\t-\t-\t5,000\t5,000\n"
        "소 계\t\t\t\t\t20,000\t5,000\t5,000\t20,000\n"
        "총 계\t\t\t\t\t20,000\t5,000\t5,000\t20,000\n"
    )
    text = HEAD + "보고자 : 홍길동\n" + item(table=table) + "※ 위 금액은 잠정치임\n"
    r = parse(text)
    reasons = {u.reason.split(" (")[0].split(" of ")[0] for u in r.unparsed}
    assert "subtotal row" in reasons and "header line not recognised" in reasons
    notes = [u for u in r.unparsed if u.text == "※ 위 금액은 잠정치임"]
    assert notes and notes[0].loc.line == text.splitlines().index("※ 위 금액은 잠정치임") + 1
    assert len(r.transfers[0].budget.lines) == 2  # the subtotal is not a line


def test_unreadable_figure_is_reported_not_guessed():
    table = (
        "부서명\t정책사업\t단위사업\t세부사업\t통계목\t예산현액\t감\t증\t전용 후 예산현액\n"
        "경제정책과\t경제 활성화\t소상공인 지원\t골목상권 지원\t201-01 사무관리비\t2O,000\t5,000\t-\t15,000\n"
        "\t\t\t\t201-03 행사운영비\t-\t-\t5,000\t5,000\n"
    )
    r = parse(HEAD + item(table=table))
    assert len(r.transfers[0].budget.lines) == 1
    assert any(u.text == "2O,000" and "not a figure" in u.reason for u in r.unparsed)


def test_not_a_report():
    with pytest.raises(NotAReport):
        parse("회의록\n참석자 : 10명\n안건 : 없음\n")
    with pytest.raises(NotAReport):
        parse("2023 회계연도 2/4분기 예산 전용 보고\n내용 없음\n")


def test_ragged_rows_are_padded_not_crashed():
    from pipeline.ir import Cell, Document, Loc, Paragraph, Table

    def row(*texts, line):
        return [Cell(t, Loc(line=line, cell=(1, line, c + 1))) for c, t in enumerate(texts)]

    lines = [p for p in (HEAD + item()).splitlines() if p and "\t" not in p]
    blocks = [Paragraph(t, Loc(line=i + 1)) for i, t in enumerate(lines)]
    header = row("부서명", "정책사업", "단위사업", "세부사업", "통계목", "예산현액", "감", "증", "전용 후 예산현액", line=90)
    short = row("경제정책과", "경제 활성화", "소상공인 지원", "골목상권 지원", "201-01 사무관리비", "20,000", "5,000", line=91)
    blocks.append(Table([header, short], Loc(line=90)))
    report = parse_document(Document("t", "text", "0" * 64, blocks))
    (ln,) = report.transfers[0].budget.lines
    assert (ln.before, ln.decrease, ln.increase, ln.after) == (20_000_000, 5_000_000, 0, 0)


def test_single_unnumbered_transfer():
    text = HEAD + item("").lstrip("\n")
    r = parse(text)
    (t,) = r.transfers
    assert (t.seq, t.label, t.title) == (1, "", "골목상권 행사 예산 전용")
    assert t.summary == "상권 활성화 행사 개최"
    assert r.office == "경제정책실" and t.budget.lines and r.findings == []


def test_header_only_text_is_still_not_a_report():
    with pytest.raises(NotAReport):
        parse(HEAD + "골목상권 행사 예산 전용\n행사 개최 예정\n")


def test_a_line_above_the_title_is_not_the_office():
    """A page's header line above the title (`기획경제위원회 보고자료`, which a one-page report
    does not show to be running) is kept unparsed; the office is the line under the venue."""
    r = parse("기획경제위원회 보고자료\n" + HEAD + item())
    assert r.office == "경제정책실"
    assert [u.text for u in r.unparsed if u.reason == "header line not recognised"] == ["기획경제위원회 보고자료"]
    only_above = parse(HEAD.replace("경제정책실\n", "").join(["경제정책실\n", ""]) + item())
    assert only_above.office == "경제정책실"  # with nothing under the title, the line above is all there is
