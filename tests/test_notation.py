import pytest

from pipeline.parse.notation import (
    NotationError,
    find_money,
    find_unit,
    parse_amount,
    parse_date,
    parse_timeline_entry,
    quarter_bounds,
    date_within,
    PartialDate,
)


@pytest.mark.parametrize(
    "text, unit, won",
    [
        ("355,000", "천원", 355_000_000),
        ("-", "천원", 0),
        ("", "천원", 0),
        ("−", "원", 0),
        ("△10,000", "천원", -10_000_000),
        ("▲ 5", "백만원", -5_000_000),
        ("1.25", "백만원", 1_250_000),
        ("862.5", "백만원", 862_500_000),
        ("7,200,000", "원", 7_200_000),
        ("12", "만원", 120_000),
    ],
)
def test_amounts_in_won(text, unit, won):
    assert parse_amount(text, unit).won == won


def test_irregular_grouping_is_read_but_flagged():
    a = parse_amount("30,00", "천원")
    assert a.irregular and a.won == 3_000_000
    assert not parse_amount("30,000", "천원").irregular


@pytest.mark.parametrize("text", ["abc", "12a", "1,2,3x", "0.0001", "3,000원원"])
def test_not_a_figure(text):
    with pytest.raises(NotationError):
        parse_amount(text, "천원" if text != "0.0001" else "원")


@pytest.mark.parametrize(
    "text, won",
    [
        ("금 30,000천원 / '21.10.12.", 30_000_000),
        ("금30,000천원", 30_000_000),
        ("30백만원", 30_000_000),
        ("30,000,000원", 30_000_000),
        ("전용금액 : 금 1.25백만원", 1_250_000),
    ],
)
def test_money_in_prose(text, won):
    assert find_money(text)[0] == won


def test_unit_line():
    assert find_unit("(단위 : 천원)") == "천원"
    assert find_unit("예산현액 (단위: 백만원)") == "백만원"
    assert find_unit("(단위:원)") == "원"
    assert find_unit("예산현액") is None
    # the unit word spaced by a converter or broken by a wrap (`(단위: 백만` / `원)`)
    assert find_unit("예산현액 ( 단위: 백만 원)") == "백만원"
    assert find_unit("(단위 : 천 원)") == "천원"


@pytest.mark.parametrize(
    "text, iso",
    [
        ("2022. 2.", "2022-02"),
        ("'21.10.12.", "2021-10-12"),
        ("’21.10.12.", "2021-10-12"),
        ("‘21. 6. 9.", "2021-06-09"),
        ("2021. 10. 12.", "2021-10-12"),
        ("'21.10.18.(월)", "2021-10-18"),
        ("'22.1.현재", "2022-01"),
        ("2020년 5월 11일", "2020-05-11"),
    ],
)
def test_dates_as_precise_as_printed(text, iso):
    assert parse_date(text).iso() == iso


def test_impossible_date_is_not_a_date():
    assert parse_date("'21.02.30.") is None or parse_date("'21.02.30.").day is None


def test_timeline_entries():
    start, end, text = parse_timeline_entry("'21.10.12. ~ '21.10.19. : '21 서울 스마트시티 워크 개최")
    assert (start.iso(), end.iso(), text) == ("2021-10-12", "2021-10-19", "'21 서울 스마트시티 워크 개최")
    start, end, text = parse_timeline_entry("'21.10.12. ~ 10.19. : 행사")
    assert end.iso() == "2021-10-19"
    start, end, text = parse_timeline_entry("2019. 10. 4. ~ 2019. 10. 6. : 축제 개최")
    assert (start.iso(), end.iso()) == ("2019-10-04", "2019-10-06")
    assert parse_timeline_entry("계약체결 '21.08.05.") is None


def test_quarter_bounds_and_partial_dates():
    lo, hi = quarter_bounds(2021, 4)
    assert (str(lo), str(hi)) == ("2021-10-01", "2021-12-31")
    lo, hi = quarter_bounds(2020, 1)
    assert str(hi) == "2020-03-31"
    assert date_within(PartialDate(2021, 12), *quarter_bounds(2021, 4))
    assert not date_within(PartialDate(2021, 9, 30), *quarter_bounds(2021, 4))


@pytest.mark.parametrize("line,start,end", [
    ("'24.12.23. ~ 1.3. : 지원 계약 체결", "2024-12-23", "2025-01-03"),  # the short end crosses New Year
    ("'21.10.12. ~ 10.19. : 행사", "2021-10-12", "2021-10-19"),
    ("2019. 12. 31. ~ 12. 31. : 하루", "2019-12-31", "2019-12-31"),
])
def test_a_range_ends_on_the_first_such_day_after_its_start(line, start, end):
    s, e, _ = parse_timeline_entry(line)
    assert (s.iso(), e.iso()) == (start, end)
