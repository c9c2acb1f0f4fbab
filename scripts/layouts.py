"""Random reports in random notation: Hypothesis strategies over the sample model
(scripts/sample_reports.py), and the records the pipeline must extract from every rendering.

A drawn `LayoutCase` holds the report as printed (a `SampleReport`, rendered by the sample
renderers into every format) and `expected`: the records, made from the draw itself
(amounts drawn as integers in won and then printed in the table's unit; names, labels and
dates as drawn), never from a parser. Nothing here imports `pipeline`: only the harness
(tests/test_layouts.py, scripts/layout_run.py) runs the pipeline and compares its records
with these (scripts/layout_compare.py).

What is drawn (issue 9 §4): 1–6 transfers of 1–16 budget lines; names of 2–12 Hangul
syllables (real budget words, some random syllables; with and without spaces); units
천원 / 백만원 with decimals / 원; zero figures printed `-`, blank or `0`; `△`/`▲` where a
figure may be negative; item numerals `I`/`Ⅱ` (ASCII and Unicode mixed), `Ⅰ.`, `1.`, `1)`,
`(1)`, `①`, `제1`, `[1]`, alone on their line or before the title, and no numeral for a
single transfer; numbered `1. 일 시 : …` lines inside 사업개요 that are not items; the date
and amount forms of the domain guide; header wording drift; one- or two-row headers with
different merges; 총 계 / 합 계 / 계; `□사업개요` / `□ 사업개요`; `○` / `ㅇ`; merged or
repeated names; and the page layout (portrait/landscape, narrow or wide columns, tables
pushed over a page break, rows allowed to split, repeated header rows, running headers).

Injected faults: a faulty draw gives some transfers one fault each, from `FAULTS`; each
fault states the findings (check, transfer_seq, line, field) it implies. `contract_findings`
applies the contract's check definitions to the expected records; the harness expects
exactly those, and tests/test_layouts.py checks that they equal the faults' own statements
(so a fault with a side effect is a generator bug, caught without rendering anything).
"""
from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Optional

from hypothesis import strategies as st

from sample_reports import DEFAULT_COL_WIDTHS, HEADER_FORMS, HCell, SampleReport, SampleTable, Transfer

TEXT_FIELDS = ("department", "policy_program", "unit_program", "detail_program", "stat_code", "stat_name")
MONEY_FIELDS = ("before", "decrease", "increase", "after")
NAME_LEVELS = ("department", "policy_program", "unit_program", "detail_program")
FAULTS = ("row_balance", "column_total", "transfer_balance", "summary_amount", "overdraw", "date_period", "stat_code_name")
UNIT_WON = {"원": 1, "천원": 1_000, "백만원": 1_000_000}

# ---------------------------------------------------------------- vocabulary
# Words of real budget names; combined (with or without a space) into 2–12 syllables.
WORDS = (
    "스마트 도시 정책 기반 조성 시설 확충 운영 지원 관리 개선 홍보 교육 복지 문화 예술 환경 보행 안전 교통 "
    "청년 일자리 창업 주거 녹지 공원 하천 정비 민관 협력 시민 참여 디지털 행정 서비스 구축 강화 활성화 증진 "
    "진흥 기후 대응 탄소중립 미세먼지 저감 어르신 돌봄 건강 방역 예방 축제 맑은 공기 소상공인 시민대학 도서관 "
    "체육 생활 공동체 마을 자치 평생학습 관광 경제 산업 혁신 성장 물순환 상수도 도로 주차 대중교통 버스 "
    "자전거 보건 의료 감염병 장애인 아동 청소년 가족 다문화 노인 주민 센터 네트워크 플랫폼 데이터 정보화 "
    "통신 장비 유지 보수 확대 추진 계획 연구 용역 조사 평가 행사 국제 교류 민·관 보행전용거리 어린이 "
    "보호구역 노후 긴급 첨단 안심 녹색 에너지 전환 친환경 공공 스마트폴 사물인터넷 메타버스"
).split()
# No name may contain these: they would make a name read as a report title (보고, 분기)
# or a table line as a total (합계, 총계, 소계). Offices never print such names.
FORBIDDEN_IN_NAMES = ("보고", "분기", "합계", "총계", "소계")
DEPARTMENT_SUFFIXES = ("과", "담당관", "팀", "센터")
OFFICES = ("기후환경본부", "스마트도시정책관", "복지정책실", "교통실", "문화본부", "도시계획국", "경제정책실", "안전총괄실", "평생교육국", "주택정책실")
COMMITTEES = ("행정자치", "환경수자원", "보건복지", "교통", "문화체육관광", "도시안전건설", "기획경제", "교육")
# 통계목: one name per code (the part after the leading group), as the budget classification has it.
STAT_ITEMS = {
    "101-04": "기간제근로자등보수", "201-01": "사무관리비", "201-02": "공공운영비", "201-03": "행사운영비",
    "202-01": "국내여비", "202-02": "국외업무여비", "203-01": "기관운영업무추진비", "203-02": "시책추진업무추진비",
    "206-01": "재료비", "207-01": "연구용역비", "207-02": "전산개발비", "301-09": "행사실비지원금",
    "307-02": "민간경상사업보조", "307-04": "민간위탁금", "307-05": "민간행사사업보조", "401-01": "시설비",
    "401-02": "감리비", "401-03": "시설부대비", "405-01": "자산및물품취득비",
}
STAT_KEYS = tuple(STAT_ITEMS)
# Names printed under a code that means something else (the stat_code_name fault): never in STAT_ITEMS.
STRAY_STAT_NAMES = ("홍보물제작비", "일반용역비", "교육훈련비", "포상금", "보상금", "운영수당")
TITLE_PURPOSES = ("운영을 위한", "추진을 위한", "확대에 따른", "시설 개선", "기능 고도화", "")
LEAD_PHRASES = ("추진에 따른 예산 전용", "관련 사업비 부족분 충당", "수요 증가에 따른 사업비 확보", "집행잔액 활용을 위한 전용")
WEEKDAYS = "월화수목금토일"


@lru_cache(maxsize=1)
def ksx_syllables() -> tuple[str, ...]:
    """The 2,350 Hangul syllables of KS X 1001: encodable in every text encoding drawn
    (EUC-KR is the narrowest)."""
    out = []
    for code in range(0xAC00, 0xD7A4):
        ch = chr(code)
        try:
            # Two bytes: Python's EUC-KR codec writes the other syllables as 8-byte jamo
            # sequences (KS X 1001 annex 3), which CP949 readers do not know.
            if len(ch.encode("euc-kr")) == 2:
                out.append(ch)
        except UnicodeEncodeError:
            continue
    return tuple(out)


def syllables(text: str) -> int:
    return sum(1 for ch in text if "가" <= ch <= "힣")


# ---------------------------------------------------------------- the truth of a draw
@dataclass
class Line:
    department: str
    policy_program: str
    unit_program: str
    detail_program: str
    stat_code: str
    stat_name: str
    before: int = 0
    decrease: int = 0
    increase: int = 0
    after: int = 0

    def names(self) -> tuple:
        return tuple(getattr(self, f) for f in NAME_LEVELS)


@dataclass(frozen=True)
class FigureStyle:
    """How a table prints its figures."""

    unit: str = "천원"
    decimals: int = 0  # 백만원: places the figures may carry
    fixed: bool = False  # 백만원: every figure printed with `decimals` places (`12.50`)
    zero: str = "-"  # `-`, `` or `0`
    minus: str = "△"

    @property
    def step(self) -> int:
        """The smallest amount (won) the table can print."""
        return UNIT_WON[self.unit] // 10 ** self.decimals


def fmt_figure(won: int, style: FigureStyle) -> str:
    if won == 0:
        return style.zero
    sign = style.minus if won < 0 else ""
    won = abs(won)
    assert won % style.step == 0, (won, style)
    if style.unit == "백만원":
        s = f"{Decimal(won) / 1_000_000:,.{style.decimals}f}"
        if not style.fixed and "." in s:
            s = s.rstrip("0").rstrip(".")
    else:
        s = f"{won // UNIT_WON[style.unit]:,}"
    return sign + s


# Amount forms in prose (전용개요): (format, unit, decimals).
AMOUNT_FORMS = (
    ("금 {}천원", "천원", 0), ("금{}천원", "천원", 0), ("{}백만원", "백만원", 2), ("금 {}백만원", "백만원", 2),
    ("금 {}원", "원", 0), ("{}원", "원", 0),
)


def fmt_amount(won: int, form: tuple) -> str:
    text, unit, decimals = form
    return text.format(fmt_figure(won, FigureStyle(unit=unit, decimals=decimals)))


def amount_forms_for(won: int) -> list[tuple]:
    return [f for f in AMOUNT_FORMS if won % FigureStyle(unit=f[1], decimals=f[2]).step == 0]


# Date forms (domain guide): `'21.10.12.`, `'21. 6. 9.`, `2021. 10. 12.`, `2021.10.12.`.
DATE_FORMS = ("'yy.mm.dd.", "'yy.m.d.", "'yy. m. d.", "yyyy. m. d.", "yyyy.mm.dd.")


def fmt_date(d: dt.date, form: str, apostrophe: str = "'", weekday: bool = False) -> str:
    yy = f"{apostrophe}{d.year % 100:02d}"
    text = {
        "'yy.mm.dd.": f"{yy}.{d.month:02d}.{d.day:02d}.",
        "'yy.m.d.": f"{yy}.{d.month}.{d.day}.",
        "'yy. m. d.": f"{yy}. {d.month}. {d.day}.",
        "yyyy. m. d.": f"{d.year}. {d.month}. {d.day}.",
        "yyyy.mm.dd.": f"{d.year}.{d.month:02d}.{d.day:02d}.",
    }[form]
    return text + (f"({WEEKDAYS[d.weekday()]})" if weekday else "")


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, 3 * quarter - 2, 1)
    nxt = dt.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)
    return first, nxt - dt.timedelta(days=1)


# ---------------------------------------------------------------- the case
@dataclass
class LayoutCase:
    report: SampleReport
    expected: dict  # see `project`: the records the pipeline must give for every rendering
    faults: list = field(default_factory=list)  # [{"kind", "transfer_seq", "implies": [[check, seq, line, field], …]}]
    klass: str = "plain"  # the class of layout drawn (scripts/layout_classes.py CLASSES)
    styles: list = field(default_factory=list, repr=False)  # each transfer's FigureStyle (not saved: the report prints them)

    @property
    def name(self) -> str:
        return self.report.name

    def size(self) -> int:
        """A rough measure of how much the case prints (smaller reproduces more clearly)."""
        return sum(1 + len(t["budget"]["lines"]) for t in self.expected["transfers"])

    def declared_findings(self) -> list:
        return sorted(tuple(f) for fault in self.faults for f in fault["implies"])

    def to_json(self) -> dict:
        return {"report": dataclasses.asdict(self.report), "expected": self.expected, "faults": self.faults, "class": self.klass}

    @classmethod
    def from_json(cls, data: dict) -> "LayoutCase":
        return cls(report=report_from_dict(data["report"]), expected=data["expected"], faults=data["faults"], klass=data.get("class", "plain"))


def report_from_dict(d: dict) -> SampleReport:
    d = dict(d)
    d["bound"] = [report_from_dict(b) for b in d.get("bound") or []]
    if d.get("margins_cm") is not None:
        d["margins_cm"] = tuple(d["margins_cm"])
    transfers = []
    for t in d.pop("transfers"):
        t = dict(t)
        tab = dict(t.pop("table"))
        tab["header"] = [[HCell(**c) for c in row] for row in tab["header"]]
        t["overview"] = [tuple(x) for x in t["overview"]]
        transfers.append(Transfer(table=SampleTable(**tab), **t))
    return SampleReport(transfers=transfers, **d)


# ---------------------------------------------------------------- strategies
# Strategies built once: a strategy's label is computed per object, which for a sampled_from
# over thousands of syllables would cost more than the draw.
_WORD = st.sampled_from(WORDS)
_RANDOM_SYLLABLES = st.lists(st.integers(0, len(ksx_syllables()) - 1), min_size=1, max_size=3).map(
    lambda ks: "".join(ksx_syllables()[k] for k in ks)
)


@st.composite
def hangul_name(draw, max_syllables: int = 12) -> str:
    """2..max_syllables syllables of budget words and random syllables, spaces or none between."""
    parts: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        token = draw(_RANDOM_SYLLABLES) if draw(st.integers(0, 5)) == 5 else draw(_WORD)
        if sum(map(syllables, parts)) + syllables(token) > max_syllables:
            break
        parts.append(token)
    if sum(map(syllables, parts)) < 2:
        parts.append("운영")
    name = parts[0]
    for p in parts[1:]:
        name += (" " if draw(st.booleans()) else "") + p
    if any(w in name for w in FORBIDDEN_IN_NAMES):
        name = "사업 운영"
    return name


@st.composite
def department_name(draw) -> str:
    suffix = draw(st.sampled_from(DEPARTMENT_SUFFIXES))
    return draw(hangul_name(max_syllables=12 - len(suffix))) + suffix


@st.composite
def budget_lines(draw, n: int, stat_prefix: str) -> list[Line]:
    """n lines of a program tree, in print order: each line stays in the previous line's
    department / policy / unit / detail program or opens a new one at some level."""
    lines: list[Line] = []
    for i in range(n):
        # 4: same detail program (a new 통계목 only) … 0: a new department; shrinks towards 4.
        level = 0 if i == 0 else draw(st.sampled_from((4, 4, 4, 3, 3, 2, 1, 0)))
        names = list(lines[-1].names()) if lines else [""] * 4
        for k in range(level, 4):
            names[k] = draw(department_name() if k == 0 else hangul_name())
        key = draw(st.sampled_from(STAT_KEYS))
        prefix = stat_prefix if stat_prefix != "mixed" else draw(st.sampled_from(("", "100-", "110-")))
        lines.append(Line(*names, stat_code=prefix + key, stat_name=STAT_ITEMS[key]))
    return lines


@st.composite
def figures(draw, lines: list[Line], step: int) -> int:
    """Fill the lines' figures with clean arithmetic, every figure a multiple of `step` won;
    returns the amount moved (won). Each line decreases, increases or stays (zero figures);
    total 감 = total 증."""
    n = len(lines)
    if n == 1:
        roles = ["both"]  # a one-line table moves money within its line
    else:
        roles = [draw(st.sampled_from(("dec", "inc", "zero"))) for _ in lines]
        if "dec" not in roles:
            roles[0] = "dec"
        if "inc" not in roles:  # the last line that does not decrease (or the last line) increases
            roles[max((k for k in range(n) if roles[k] != "dec"), default=n - 1)] = "inc"
    n_inc = roles.count("inc")
    amount_steps = 0
    for ln, role in zip(lines, roles):
        if role in ("dec", "both"):
            ln.decrease = draw(st.integers(1, 99_999)) * step
            amount_steps += ln.decrease // step
    if amount_steps < n_inc:
        bump = n_inc - amount_steps
        first = roles.index("dec") if "dec" in roles else 0
        lines[first].decrease += bump * step
        amount_steps += bump
    cuts = sorted(draw(st.lists(st.integers(1, amount_steps - 1), min_size=n_inc - 1, max_size=n_inc - 1, unique=True))) if n_inc > 1 else []
    parts = [b - a for a, b in zip([0] + cuts, cuts + [amount_steps])]
    for ln, role in zip(lines, roles):
        if role == "both":
            ln.increase = ln.decrease
        elif role == "inc":
            ln.increase = parts.pop(0) * step
    for ln, role in zip(lines, roles):
        spare = draw(st.sampled_from((0, 1, 2, 3))) and draw(st.integers(1, 9_999_999)) * step
        if role == "inc" and draw(st.integers(0, 9)) == 9:
            ln.before = -draw(st.integers(0, ln.increase // step)) * step  # a negative 예산현액 (△), lifted by the increase
        else:
            ln.before = ln.decrease + spare
        ln.after = ln.before - ln.decrease + ln.increase
    return amount_steps * step


@st.composite
def figure_style(draw) -> FigureStyle:
    unit = draw(st.sampled_from(("천원", "백만원", "원")))
    decimals = draw(st.integers(0, 2)) if unit == "백만원" else 0
    return FigureStyle(
        unit=unit,
        decimals=decimals,
        fixed=decimals > 0 and draw(st.booleans()),
        zero=draw(st.sampled_from(("-", "", "0"))),
        minus=draw(st.sampled_from(("△", "△", "▲"))),
    )


def numeral_text(value: int, kind: str, unicode_roman: bool) -> str:
    if kind == "roman":
        return "ⅠⅡⅢⅣⅤⅥ"[value - 1] if unicode_roman else ("I", "II", "III", "IV", "V", "VI")[value - 1]
    if kind == "circled":
        return "①②③④⑤⑥"[value - 1]
    return str(value)


# Item numbering styles: (numeral kind, heading form). Roman numerals mix ASCII and Unicode per item.
NUMBERING = {
    "roman": ("roman", "{}"), "roman.": ("roman", "{}."), "1.": ("arabic", "{}."), "1)": ("arabic", "{})"),
    "(1)": ("arabic", "({})"), "①": ("circled", "{}"), "제1": ("arabic", "제{}"), "[1]": ("arabic", "[{}]"),
}
OVERVIEW_NUMBERING = ("{}.", "{})", "({})", "①")


def overview_numeral(value: int, form: str) -> str:
    return "①②③④⑤"[value - 1] if form == "①" else form.format(value)


@st.composite
def timeline_entry(draw, around: dt.date, apostrophe: str):
    start = around - dt.timedelta(days=draw(st.integers(0, 200)))
    form = draw(st.sampled_from(DATE_FORMS))
    printed = fmt_date(start, form, apostrophe, weekday=draw(st.integers(0, 3)) == 3)
    end = None
    shape = draw(st.sampled_from(("single", "single", "range", "range_short")))
    if shape != "single":
        end = start + dt.timedelta(days=draw(st.integers(1, 20)))
        if shape == "range":
            printed += " ~ " + fmt_date(end, form, apostrophe)
        else:
            printed += f" ~ {end.month}.{end.day}."
    text = draw(hangul_name(max_syllables=8)) + " " + draw(st.sampled_from(("계획 수립", "개최", "계약 체결", "실태조사", "추진계획 설명회")))
    entry = {"date": start.isoformat(), "end_date": end.isoformat() if end else None, "text": text}
    return f"- {printed} : {text}", entry


@st.composite
def overview(draw, venue: str, when: dt.date, apostrophe: str, item_form: str):
    """사업개요: ○ sub-headings with their lines, and the timeline the 추진경과 lines give."""
    out: list[tuple[str, list[str]]] = []
    timeline: list[dict] = []
    chosen = [h for h in ("필요성", "추진경과", "사업내용", "기대효과") if draw(st.booleans())] or ["필요성"]
    for heading in chosen:
        lines: list[str] = []
        if heading == "추진경과":
            for _ in range(draw(st.integers(1, 3))):
                line, entry = draw(timeline_entry(when, apostrophe))
                lines.append(line)
                timeline.append(entry)
        elif heading == "사업내용":
            # Numbered facts (`1. 일 시 : …`): numbered like an item, but not items.
            form = draw(st.sampled_from((item_form,) + OVERVIEW_NUMBERING))
            day = when - dt.timedelta(days=draw(st.integers(0, 30)))
            facts = [
                f"일 시 : {fmt_date(day, draw(st.sampled_from(DATE_FORMS)), apostrophe, weekday=True)} 14:00~16:40",
                f"장 소 : {venue}",
                f"내 용 : {draw(hangul_name())}",
            ][: draw(st.integers(1, 3))]
            numbered = draw(st.booleans())
            for k, fact in enumerate(facts, start=1):
                lines.append(f"{overview_numeral(k, form)} {fact}" if numbered else f"- {fact}")
            if draw(st.booleans()):
                lines.append(f" - ※ {draw(hangul_name())} 병행 추진")
        else:
            for _ in range(draw(st.integers(1, 2))):
                lines.append(f"- {draw(hangul_name())} " + ("필요" if heading == "필요성" else "기대"))
        out.append((heading, lines))
    return out, timeline


@st.composite
def table_words(draw) -> dict:
    """Header wording drift between offices and years."""
    return {
        "before": draw(st.sampled_from(("예산현액", "예산액"))),
        "dec": draw(st.sampled_from(("감", "감액"))),
        "inc": draw(st.sampled_from(("증", "증액"))),
        "after": draw(st.sampled_from(("전용 후 예산현액", "전용후 예산액", "전용 후 예산액", "전용후 예산현액"))),
        "dept": draw(st.sampled_from(("부서명", "부서"))),
        "change": draw(st.sampled_from(("증감내역", "증감", "전용내역"))),
    }


@st.composite
def transfer_case(draw, k: int, year: int, quarter: int, numbering: Optional[str], apostrophe: str,
                  venue: str, stat_prefix: str) -> tuple[Transfer, dict, list[Line], dict]:
    """One transfer, clean: the printed Transfer (table filled later), its expected record
    (without budget figures) and its lines."""
    if numbering is None:
        numeral, form = "", "{}"
    else:
        kind, form = NUMBERING[numbering]
        numeral = numeral_text(k + 1, kind, unicode_roman=kind == "roman" and draw(st.booleans()))
    subject = draw(hangul_name(max_syllables=10))
    purpose = draw(st.sampled_from(TITLE_PURPOSES))
    title = " ".join(w for w in (subject, purpose, "예산 전용") if w)
    if draw(st.integers(0, 5)) == 5:
        title = f"{apostrophe}{year % 100:02d} {title}"
    lo, hi = quarter_bounds(year, quarter)
    when = lo + dt.timedelta(days=draw(st.integers(0, (hi - lo).days)))
    item_form = form if numbering and NUMBERING[numbering][0] == "arabic" else "{}."
    ov, timeline = draw(overview(venue, when, apostrophe, item_form))
    n_lines = draw(st.integers(1, 16))
    lines = draw(budget_lines(n_lines, stat_prefix))
    style = draw(figure_style())
    # A table in 원 mostly prints whole thousands (`7,200,000`), sometimes any figure.
    grain = draw(st.sampled_from((1_000, 1_000, 10, 1))) if style.unit == "원" else style.step
    amount = draw(figures(lines, grain))
    notation = {
        "style": style,
        "date_form": draw(st.sampled_from(DATE_FORMS)),
        "weekday": draw(st.integers(0, 3)) == 3,
        "amount_form": draw(st.sampled_from(amount_forms_for(amount))),
        "split_lines": draw(st.booleans()),  # 전용금액 and 전용일자 on lines of their own
        "describe": draw(st.sampled_from(("stat", "detail", "program", None))),
        "header": draw(st.sampled_from(tuple(HEADER_FORMS))),
        "words": draw(table_words()),
        "unit_in_header": draw(st.integers(0, 3)) == 3,
        "total": draw(st.sampled_from(("총 계", "합 계", "계", "총계", "합계", None))) if draw(st.integers(0, 9)) else None,
        "merge": draw(st.integers(0, 3)) != 3,
    }
    if notation["total"] is None and draw(st.integers(0, 9)):
        notation["total"] = "총 계"  # keep the total row in most tables
    transfer = Transfer(
        numeral=numeral,
        title=title,
        lead=[f"{draw(hangul_name())} {draw(st.sampled_from(LEAD_PHRASES))}" for _ in range(draw(st.integers(0, 2)))],
        overview=ov,
        transfer_lines=[],
        reasons=[f"- {draw(hangul_name())} 사업비 부족분 충당" for _ in range(draw(st.integers(1, 2)))],
        table=SampleTable(header=[], body=[]),
        unit=style.unit,
        title_inline=numbering is not None and draw(st.booleans()),
        budget_heading=draw(st.sampled_from(("예산 현황", "예산현황"))),
        numeral_form=form,
        unit_form=None if notation["unit_in_header"] and draw(st.booleans()) else draw(st.sampled_from(("(단위 : {})", "(단위: {})", "(단위:{})", "[단위 : {}]", "단위 : {}"))),
        push_pt=draw(st.sampled_from((0, 0, 0, 120, 240, 360, 480))),
    )
    record = {"seq": k + 1, "label": numeral, "title": title, "amount_won": amount, "date": when.isoformat(), "timeline": timeline}
    return transfer, record, lines, notation


# ---------------------------------------------------------------- faults
def _fault(kind: str, seq: int, *implies) -> dict:
    return {"kind": kind, "transfer_seq": seq, "implies": [list(f) for f in implies]}


@st.composite
def inject_fault(draw, kind: str, seq: int, record: dict, lines: list[Line], notation: dict,
                 year: int, quarter: int, all_lines: list[list[Line]], used_keys: set) -> Optional[dict]:
    """Change what one transfer prints so that exactly the stated findings follow; None
    when this transfer cannot carry the fault. Runs before totals are summed (except
    column_total, which changes a printed total afterwards: see `finish_transfer`)."""
    step = notation["style"].step
    delta = draw(st.integers(1, 999)) * step
    if kind == "row_balance":
        n = draw(st.integers(0, len(lines) - 1))
        ln = lines[n]
        ln.after += delta if draw(st.booleans()) or ln.after - delta < 0 else -delta
        return _fault(kind, seq, ("row_balance", seq, n + 1, "after"))
    if kind == "transfer_balance":
        inc = [i for i, ln in enumerate(lines) if ln.increase > 0]
        n = draw(st.sampled_from(inc))
        lines[n].increase += delta
        lines[n].after += delta
        # The 전용개요 amount equals the (unchanged) 감 total, so it now differs from the 증 total too.
        return _fault(kind, seq, ("transfer_balance", seq, None, "increase"), ("summary_amount", seq, None, "amount_won"))
    if kind == "overdraw":
        dec = [i for i, ln in enumerate(lines) if ln.decrease > 0]
        n = draw(st.sampled_from(dec))
        ln = lines[n]
        ln.before = ln.decrease - draw(st.integers(1, ln.decrease // step)) * step  # decreases more than it had
        ln.after = ln.before - ln.decrease + ln.increase
        return _fault(kind, seq, ("overdraw", seq, n + 1, "decrease"))
    if kind == "column_total":
        if notation["total"] is None:
            return None
        f = draw(st.sampled_from(MONEY_FIELDS))
        notation["total_delta"] = (f, delta if draw(st.booleans()) else -delta)
        implied = [("column_total", seq, None, f)]
        if f in ("decrease", "increase"):  # the tie-out reads the printed totals
            implied.append(("summary_amount", seq, None, "amount_won"))
        return _fault(kind, seq, *implied)
    if kind == "summary_amount":
        unit_step = FigureStyle(unit=notation["amount_form"][1], decimals=notation["amount_form"][2]).step
        change = draw(st.integers(1, 999)) * unit_step
        record["amount_won"] += change if draw(st.booleans()) or record["amount_won"] - change <= 0 else -change
        return _fault(kind, seq, ("summary_amount", seq, None, "amount_won"))
    if kind == "date_period":
        lo, hi = quarter_bounds(year, quarter)
        days = draw(st.integers(1, 300))
        outside = lo - dt.timedelta(days=days) if draw(st.booleans()) else hi + dt.timedelta(days=days)
        record["date"] = outside.isoformat()
        return _fault(kind, seq, ("date_period", seq, None, "date"))
    if kind == "stat_code_name":
        # Line j takes the code of an earlier line i of the same transfer while keeping its
        # own name: that code is then printed with two names. j's name must be printed
        # nowhere else (or it would also be one name under two codes).
        counts = Counter(ln.stat_name for group in all_lines for ln in group)
        pairs = [
            (i, j) for j in range(len(lines)) for i in range(j)
            if stat_key(lines[i].stat_code) != stat_key(lines[j].stat_code)
            and counts[lines[j].stat_name] == 1
            and stat_key(lines[i].stat_code) not in used_keys and stat_key(lines[j].stat_code) not in used_keys
        ]
        if not pairs:
            return None
        i, j = draw(st.sampled_from(pairs))
        used_keys.update((stat_key(lines[i].stat_code), stat_key(lines[j].stat_code)))
        lines[j].stat_code = lines[i].stat_code
        return _fault(kind, seq, ("stat_code_name", seq, j + 1, None))
    raise ValueError(kind)


def stat_key(code: str) -> str:
    """The part of a 통계목 code that names it (편성목-통계목): the leading group varies
    between documents (docs/auditing.md, `stat_code_name` across reports)."""
    m = re.search(r"(\d{3})\s*-\s*(\d{2})\s*$", code)
    return f"{m.group(1)}-{m.group(2)}" if m else code


def finish_transfer(transfer: Transfer, record: dict, lines: list[Line], notation: dict, apostrophe: str) -> None:
    """Print the table and the 전용개요 lines from the (possibly faulted) truth, and complete
    the expected record with them."""
    style: FigureStyle = notation["style"]
    total = None
    if notation["total"] is not None:
        total = {f: sum(getattr(ln, f) for ln in lines) for f in MONEY_FIELDS}
        if "total_delta" in notation:
            f, d = notation["total_delta"]
            total[f] += d
    words = dict(notation["words"])
    if notation["unit_in_header"]:
        words["before"] = f"{words['before']} (단위: {style.unit})"
    body = []
    for i, ln in enumerate(lines):
        row = []
        for level, f in enumerate(NAME_LEVELS):
            same = i > 0 and lines[i - 1].names()[: level + 1] == ln.names()[: level + 1]
            row.append("" if notation["merge"] and same else getattr(ln, f))
        row.append(f"{ln.stat_code} {ln.stat_name}")
        row += [fmt_figure(getattr(ln, f), style) for f in MONEY_FIELDS]
        body.append(row)
    transfer.table = SampleTable(
        header=HEADER_FORMS[notation["header"]](**words),
        body=body,
        total=[notation["total"]] + [fmt_figure(total[f], style) for f in MONEY_FIELDS] if total else None,
    )
    date = dt.date.fromisoformat(record["date"])
    amount = fmt_amount(record["amount_won"], notation["amount_form"])
    when = fmt_date(date, notation["date_form"], apostrophe, notation["weekday"])
    described = {
        "stat": f"- 통계목간 전용 ({lines[0].stat_name}→{lines[-1].stat_name})",
        "detail": f"- 세부사업간 전용 ({lines[0].detail_program} → {lines[-1].detail_program})",
        "program": f"- 전용예산사업 : {lines[0].detail_program}, “{lines[0].stat_name}” 집행잔액 → “{lines[-1].stat_name}”로 전용",
        None: None,
    }[notation["describe"]]
    transfer.transfer_lines = [described] if described else []
    if notation["split_lines"]:
        transfer.transfer_lines += [f"- 전용금액 : {amount}", f"- 전용일자 : {when}"]
    else:
        transfer.transfer_lines.append(f"- 전용금액/전용일자 : {amount} / {when}")
    record["budget"] = {
        "unit": style.unit,
        "lines": [{f: getattr(ln, f) for f in TEXT_FIELDS + MONEY_FIELDS} for ln in lines],
        "total": total,
    }


def _wrapped_lines(text: str, width_pt: float, size_pt: float = 9.0) -> int:
    """Lines a cell's text takes at this width: words wrap at spaces, a word longer than
    the line breaks between characters (a Hangul syllable is one em wide, other characters
    about half, a space less)."""
    def w(word: str) -> float:
        return sum(size_pt if ord(ch) > 0x2E80 else size_pt * 0.55 for ch in word)

    lines, used = 1, 0.0
    for word in text.split():
        need = w(word) + (size_pt * 0.3 if used else 0)
        if used and used + need > width_pt:
            lines, used = lines + 1, 0.0
            need = w(word)
        while need > width_pt:  # a word wider than the cell breaks inside
            lines += 1
            need -= width_pt
        used += need
    return lines


def fit_repeated_headers(report: SampleReport) -> None:
    """LibreOffice draws a header repeated on a new page at its rows' own height, so the
    text of a header cell merged over both rows spills into the first body row when it
    needs more than that: then the rows are made tall enough (the PDF shows overlapping
    text otherwise, which no reader could be asked to read)."""
    if not report.repeat_header:
        return
    widths = report.col_widths or DEFAULT_COL_WIDTHS
    for t in report.transfers:
        table = t.table
        if len(table.header) < 2:
            continue
        need = 17.0
        for r, row in enumerate(table.header_grid()):
            for c, cell in enumerate(row):
                if cell is not None:
                    width_pt = sum(widths[c : c + cell.colspan]) * 28.35 - 11  # cell margins
                    need = max(need, (_wrapped_lines(cell.text, width_pt) * 12 + 4) / cell.rowspan)
        table.header_row_pt = need if need > 17 else None


@st.composite
def page_layout(draw) -> dict:
    """DOCX/PDF page layout knobs (SampleReport fields)."""
    landscape = draw(st.integers(0, 3)) == 3
    width = 26.7 if landscape else 18.0
    cols = draw(st.sampled_from(("default", "narrow", "wide", "random")))
    if cols == "default" and not landscape:
        col_widths = None
    elif cols == "narrow":
        col_widths = [1.7, 1.5, 1.7, 1.9, 1.8, 1.25, 1.15, 1.15, 1.25]
    elif cols == "wide":
        col_widths = [w * width / 18.0 for w in (2.6, 2.1, 2.6, 2.9, 2.0, 1.45, 1.45, 1.45, 1.45)]
    else:
        tenths = [draw(st.integers(12, 45)) for _ in range(5)] + [draw(st.integers(12, 30)) for _ in range(4)]
        scale = min(1.0, width * 10 / sum(tenths))
        col_widths = [round(t * scale / 10, 2) for t in tenths]
    return {
        "landscape": landscape,
        "col_widths": col_widths,
        "repeat_header": draw(st.booleans()),
        "rows_can_split": draw(st.integers(0, 2)) == 2,
        "open_sided": draw(st.integers(0, 5)) == 5,
        "word_bullets": draw(st.integers(0, 3)) != 3,
    }


@st.composite
def layout_cases(draw, faults: Optional[bool] = None) -> LayoutCase:
    """A random report in random notation and layout, with its expected records. `faults`:
    True/False forces a faulty/clean draw; None draws it (one draw in three is faulty)."""
    year = draw(st.integers(2016, 2025))
    quarter = draw(st.integers(1, 4))
    n_items = draw(st.integers(1, 6))
    numbering = draw(st.sampled_from(tuple(NUMBERING)))
    if n_items == 1 and draw(st.integers(0, 2)) == 2:
        numbering = None  # one transfer, printed without a numeral
    apostrophe = draw(st.sampled_from(("'", "'", "’", "‘")))
    committee = draw(st.sampled_from(COMMITTEES))
    venue = f"{committee}위원회 " + draw(st.sampled_from(("회의실", "소회의실")))
    office = draw(st.sampled_from(OFFICES))
    title = draw(st.sampled_from((
        "{y} 회계연도 {q}/4분기 예산 전용 보고", "{y}회계연도 {q}/4분기 예산전용 보고",
        "{y}년도 제{q}분기 예산 전용 보고", "{y}년 {q}/4분기 예산 전용 보고",
    ))).format(y=year, q=quarter)
    _, hi = quarter_bounds(year, quarter)
    meeting_day = hi + dt.timedelta(days=draw(st.integers(10, 70)))
    meeting_form = draw(st.sampled_from(("month", "day", "day_weekday", "short")))
    if meeting_form == "month":
        meeting, meeting_iso = f"{meeting_day.year}. {meeting_day.month}.", f"{meeting_day.year}-{meeting_day.month:02d}"
    else:
        meeting = fmt_date(meeting_day, "'yy. m. d." if meeting_form == "short" else "yyyy. m. d.", apostrophe, meeting_form == "day_weekday")
        meeting_iso = meeting_day.isoformat()
    stat_prefix = draw(st.sampled_from(("", "", "100-", "110-", "mixed")))

    faulty = draw(st.integers(0, 2)) == 2 if faults is None else faults
    items = [draw(transfer_case(k, year, quarter, numbering, apostrophe, venue, stat_prefix)) for k in range(n_items)]
    all_lines = [lines for _, _, lines, _ in items]
    fault_list, used_keys = [], set()
    for k, (transfer, record, lines, notation) in enumerate(items):
        if not faulty:
            continue
        kind = draw(st.sampled_from((None,) + FAULTS))
        if kind is not None:
            fault = draw(inject_fault(kind, k + 1, record, lines, notation, year, quarter, all_lines, used_keys))
            if fault is not None:
                fault_list.append(fault)
    for transfer, record, lines, notation in items:
        finish_transfer(transfer, record, lines, notation, apostrophe)

    printed = [t for t, _, _, _ in items]
    layout = draw(page_layout())
    # Word list numbering can print every style but the Unicode Roman numerals, and only a
    # numeral followed by its title (a numbered empty paragraph is no heading).
    word_items = (
        numbering is not None
        and all(t.title_inline and not "Ⅰ" <= t.numeral <= "Ⅻ" for t in printed)
        and draw(st.integers(0, 2)) == 2
    )
    report = SampleReport(
        name="layout",
        title=title,
        meeting=meeting,
        venue=venue,
        office=office,
        transfers=printed,
        encoding=draw(st.sampled_from(("utf-8", "utf-8-sig", "cp949", "euc-kr", "utf-16", "utf-16-le"))),
        newline=draw(st.sampled_from(("\n", "\r\n"))),
        section_mark=draw(st.sampled_from(("□ ", "□"))),
        section_mark_rest=draw(st.sampled_from((None, "", "□ ", "□"))),
        bullet=draw(st.sampled_from(("○", "ㅇ"))),
        meeting_form=draw(st.sampled_from(("- 일 시 : {}", "일 시 : {}", "- 일시: {}"))),
        venue_form=draw(st.sampled_from(("- 장 소 : {}", "장 소 : {}", "- 장소: {}"))),
        running_header=draw(st.sampled_from((None, None, f"{committee}위원회 보고자료"))),
        word_item_numbering=word_items,
        **layout,
    )
    fit_repeated_headers(report)
    expected = {
        "title": title,
        "fiscal_year": year,
        "quarter": quarter,
        "office": office,
        "meeting_date": meeting_iso,
        "venue": venue,
        "transfers": [record for _, record, _, _ in items],
    }
    expected["findings"] = [list(f) for f in contract_findings(expected)]
    return LayoutCase(report=report, expected=expected, faults=fault_list, styles=[n["style"] for _, _, _, n in items])


# ---------------------------------------------------------------- the contract's checks, on the expected records
def contract_findings(records: dict) -> list[tuple]:
    """(check, transfer_seq, line, field) of every finding the contract's checks raise on
    these records (docs/contract.md; README "The checks"; the line a stat_code_name
    finding names is the first printing of the code's second name, or of the name's
    second code). Sorted, duplicates kept."""
    out = []
    year, quarter = records["fiscal_year"], records["quarter"]
    entries = []
    for t in records["transfers"]:
        seq, b = t["seq"], t["budget"]
        lines = b["lines"]
        for n, ln in enumerate(lines, start=1):
            if ln["before"] - ln["decrease"] + ln["increase"] != ln["after"]:
                out.append(("row_balance", seq, n, "after"))
            if ln["decrease"] > ln["before"] and ln["decrease"] > 0:
                out.append(("overdraw", seq, n, "decrease"))
            elif ln["after"] < 0:
                out.append(("overdraw", seq, n, "after"))
            entries.append((stat_key(ln["stat_code"]), ln["stat_name"], (seq, n)))
        sums = {f: sum(ln[f] for ln in lines) for f in MONEY_FIELDS}
        if b["total"] is not None:
            out += [("column_total", seq, None, f) for f in MONEY_FIELDS if sums[f] != b["total"][f]]
        if lines and sums["decrease"] != sums["increase"]:
            out.append(("transfer_balance", seq, None, "increase"))
        shown = b["total"] if b["total"] is not None else sums
        amount = t["amount_won"]
        if amount is not None and lines and (amount != shown["decrease"] or amount != shown["increase"]):
            out.append(("summary_amount", seq, None, "amount_won"))
        if t["date"] is not None:
            lo, hi = quarter_bounds(year, quarter)
            if not lo <= dt.date.fromisoformat(t["date"]) <= hi:
                out.append(("date_period", seq, None, "date"))
    by_code: dict = {}
    by_name: dict = {}
    for key, name, where in entries:
        by_code.setdefault(key, {}).setdefault(name, where)
        by_name.setdefault(name, {}).setdefault(key, where)
    for groups in list(by_code.values()) + list(by_name.values()):
        if len(groups) > 1:
            seq, n = list(groups.values())[1]
            out.append(("stat_code_name", seq, n, None))
    return sorted(out, key=finding_order)


def finding_order(f) -> tuple:
    return tuple("" if v is None else str(v) for v in f)


def describe(case: LayoutCase) -> str:
    """One line on what a case prints: numbering, units, header forms, layout."""
    r = case.report
    nums = " ".join(t.heading + ("+title" if t.title_inline else "") for t in r.transfers) or "(no numeral)"
    tables = ", ".join(f"{t.unit}/{len(t.table.header)}-row/{len(t.table.body)} lines" for t in r.transfers)
    return (f"{len(r.transfers)} transfers [{nums}]; tables: {tables}; {r.encoding} "
            f"{'CRLF' if r.newline == chr(13) + chr(10) else 'LF'}; {'landscape' if r.landscape else 'portrait'}"
            f"{'; rows split' if r.rows_can_split else ''}{'; Word item numbering' if r.word_item_numbering else ''}"
            f"; faults: {', '.join(f['kind'] + '@' + str(f['transfer_seq']) for f in case.faults) or 'none'}")


def named(case: LayoutCase, name: str) -> LayoutCase:
    out = copy.copy(case)
    out.report = dataclasses.replace(case.report, name=name)
    return out
