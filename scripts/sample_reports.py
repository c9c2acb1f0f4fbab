"""The sample reports, as a logical model every renderer shares.

Each sample is written once here, as the sequence of printed blocks a report shows
(paragraphs and tables with their real merges), and rendered by `make_samples.py` to text
(tab, Markdown pipe and box-drawing tables; several encodings), DOCX, PDF, HWPX and HWP.
The records extracted from every rendering of one sample must be equal: that is what the
equivalence tests check. How a report is laid out (numeral forms, unit line, page
orientation, column widths, pushed tables, repeated headers, rows that may split, running
headers, Word numbering) is part of the model too, as fields whose defaults give the
committed samples; `layouts.py` draws all of it at random.

Injected-error copies (`err_<check>`) change one printed figure or word of a clean sample
so that exactly the named check has something to find.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Optional, Union


@dataclass
class HCell:
    """A header cell; spans as in the word processor's table."""

    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass
class SampleTable:
    header: list[list[HCell]]  # cells of each header row, left to right, covered positions omitted
    body: list[list[str]]  # full-width rows; "" in a text column = merged with the cell above
    total: Optional[list[str]] = None  # [label, before, decrease, increase, after]; label spans the text columns
    text_columns: int = 5  # columns before the figures
    header_row_pt: Optional[float] = None  # DOCX: least height of each row of a two-row header; None: 17 pt
    figure_columns: int = 4  # 예산현액, 감, 증, 전용 후; 3 when one signed column holds the change (증감(△), 전용액)

    @property
    def width(self) -> int:
        return self.text_columns + self.figure_columns

    def header_grid(self) -> list[list[Optional[HCell]]]:
        """Header as a full grid: the HCell at its origin, None where a merge covers."""
        rows = len(self.header)
        grid: list[list[Optional[HCell]]] = [[None] * self.width for _ in range(rows)]
        taken = [[False] * self.width for _ in range(rows)]
        for r, cells in enumerate(self.header):
            c = 0
            for cell in cells:
                while c < self.width and taken[r][c]:
                    c += 1
                grid[r][c] = cell
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        taken[r + dr][c + dc] = True
                c += cell.colspan
        return grid

    def text_grid(self) -> list[list[str]]:
        """Every row as printed when merges are shown as empty cells (the seed's text form)."""
        out = [[cell.text if cell else "" for cell in row] for row in self.header_grid()]
        out += [list(r) for r in self.body]
        if self.total:
            out.append([self.total[0]] + [""] * (self.text_columns - 1) + list(self.total[1:]))
        return out

    def merges(self) -> list[tuple[int, int, int, int]]:
        """(row, col, rowspan, colspan) of every merged region in text_grid coordinates:
        header spans, body text cells continued downward, the total label across."""
        spans = []
        for r, row in enumerate(self.header_grid()):
            for c, cell in enumerate(row):
                if cell and (cell.rowspan > 1 or cell.colspan > 1):
                    spans.append((r, c, cell.rowspan, cell.colspan))
        top = len(self.header)
        for c in range(self.text_columns):
            r = 0
            while r < len(self.body):
                n = 1
                while r + n < len(self.body) and self.body[r + n][c] == "":
                    n += 1
                if n > 1 and self.body[r][c] != "":
                    spans.append((top + r, c, n, 1))
                r += n
        if self.total:
            spans.append((top + len(self.body), 0, 1, self.text_columns))
        return spans


Block = Union[str, SampleTable]


@dataclass(frozen=True)
class Printed:
    """One printed block with what it is (`role`) and the transfer it belongs to (index
    into `SampleReport.transfers`, None in the report's header), so that renderers style
    blocks by meaning rather than by matching their text."""

    block: Block
    role: str  # title | meeting | venue | office | numeral | heading | item_title | lead | section | budget_heading | subheading | line | unit | table
    transfer: Optional[int] = None


@dataclass
class Transfer:
    numeral: str  # the numeral itself, as the item's label prints it (`I`, `Ⅲ`, `1`, `①`); "" = printed without one
    title: str
    lead: list[str]
    overview: list[tuple[str, list[str]]]
    transfer_lines: list[str]
    reasons: list[str]
    table: SampleTable
    unit: str = "천원"
    title_inline: bool = False  # `Ⅲ 제목` on one line, as the seed prints its third item
    budget_heading: str = "예산 현황"
    numeral_form: str = "{}"  # how the heading prints the numeral: "{}", "{}.", "{})", "({})", "[{}]", "제{}"
    unit_form: Optional[str] = "(단위 : {})"  # the unit line above the table; None: the unit is printed only in the table's header
    push_pt: int = 0  # DOCX/PDF: space before the unit line, moving the table down the page (over a page break)
    lead_footnote: Optional[str] = None  # HWPX/HWP: a footnote on the first lead paragraph (page furniture, not content)
    unit_below: bool = False  # the unit line printed under the table (`※ 단위 : 천원`) rather than above it

    def pushes(self, role: str) -> bool:
        """Whether the block of this role is the one `push_pt` moves down (with the table
        under it): the unit line above the table, else the 예산 현황 heading."""
        unit_above = self.unit_form is not None and not self.unit_below
        return role == "unit" and unit_above or role == "budget_heading" and not unit_above

    @property
    def heading(self) -> str:
        """The numeral as the heading prints it (`Ⅰ.`, `(2)`, `제3`); "" when none."""
        return self.numeral_form.format(self.numeral) if self.numeral else ""


@dataclass
class SampleReport:
    name: str
    title: str
    meeting: str
    venue: str
    office: str
    transfers: list[Transfer]
    text_style: str = "tab"  # tab | pipe | box
    encoding: str = "utf-8"  # utf-8 | utf-8-sig | cp949 | euc-kr | utf-16
    newline: str = "\n"
    section_mark: str = "□ "  # before 사업개요: "□ ", "□" or ""
    section_mark_rest: Optional[str] = None  # before the other sections (the seed prints none); None = same
    bullet: str = "○"
    notes: str = ""
    meeting_form: str = "- 일 시 : {}"
    venue_form: str = "- 장 소 : {}"
    # Page layout of the DOCX (and so of the PDF made from it); HWPX takes landscape and widths too.
    landscape: bool = False
    col_widths: Optional[list[float]] = None  # cm per table column; None = the renderers' defaults
    repeat_header: bool = False  # DOCX: header rows repeated on every page a table runs over (w:tblHeader)
    rows_can_split: bool = False  # DOCX: a row may break across pages (no w:cantSplit)
    open_sided: bool = False  # DOCX: tables without left and right outer borders
    running_header: Optional[str] = None  # DOCX: a page header line on every page
    word_bullets: bool = True  # DOCX: `- ` lines and ○/ㅇ sub-headings as Word bullet numbering (else printed marks)
    word_item_numbering: bool = False  # DOCX: item numerals as Word list numbering (inline headings only)
    # Page geometry of the DOCX, HTML and reportlab renderings (defaults: the committed samples').
    page_size: str = "A4"  # A4 | B4 | Letter (PAGE_SIZES_CM)
    margins_cm: Optional[tuple] = None  # (top, right, bottom, left); None: 2.0, 1.5, 2.0, 1.5
    font: str = "NanumGothic"  # a Nanum face: NanumGothic | NanumMyeongjo | NanumBarunGothic
    body_pt: float = 10.0  # paragraph text
    cell_pt: float = 9.0  # table text
    cell_pad_pt: Optional[float] = None  # left/right cell padding; None: the word processor's own
    row_pt: Optional[float] = None  # least height of a body row; None: as its text needs
    rules: str = "grid"  # table rules: grid | horizontal (no vertical rules) | booktabs (above, under the header, below)
    unit_align: str = "left"  # the unit line: left | right (printed against the table's right edge)
    turned: str = "none"  # PDF: landscape pages stored as portrait pages with /Rotate 90: none | all | tables
    cover: Optional[list] = None  # a package's cover page (committee, title lines), printed before the first report
    contents: bool = False  # a package's table of contents after its cover
    bound: list = field(default_factory=list)  # reports bound after this one in the same file (a committee package)

    def printed(self) -> list[Printed]:
        """The report as printed, top to bottom, each block with its role."""
        out = [
            Printed(self.title, "title"),
            Printed(self.meeting_form.format(self.meeting), "meeting"),
            Printed(self.venue_form.format(self.venue), "venue"),
            Printed(self.office, "office"),
        ]
        rest = self.section_mark if self.section_mark_rest is None else self.section_mark_rest
        for k, t in enumerate(self.transfers):
            if not t.heading:
                out.append(Printed(t.title, "item_title", k))
            elif t.title_inline:
                out.append(Printed(f"{t.heading} {t.title}", "heading", k))
            else:
                out += [Printed(t.heading, "numeral", k), Printed(t.title, "item_title", k)]
            out += [Printed(line, "lead", k) for line in t.lead]
            out.append(Printed(f"{self.section_mark}사업개요", "section", k))
            for heading, lines in t.overview:
                out.append(Printed(f"{self.bullet} {heading}", "subheading", k))
                out += [Printed(line, "line", k) for line in lines]
            out.append(Printed(f"{rest}전용개요", "section", k))
            out += [Printed(line, "line", k) for line in t.transfer_lines]
            out.append(Printed(f"{rest}전용사유", "section", k))
            out += [Printed(line, "line", k) for line in t.reasons]
            out.append(Printed(f"{rest}{t.budget_heading}", "budget_heading", k))
            unit = [Printed(t.unit_form.format(t.unit), "unit", k)] if t.unit_form is not None else []
            out += [Printed(t.table, "table", k)] + unit if t.unit_below else unit + [Printed(t.table, "table", k)]
        return out

    def blocks(self) -> list[Block]:
        """The report as printed, top to bottom."""
        return [p.block for p in self.printed()]


PAGE_SIZES_CM = {"A4": (21.0, 29.7), "B4": (25.7, 36.4), "Letter": (21.59, 27.94)}


def page_cm(report: "SampleReport") -> tuple[float, float]:
    """(width, height) of the report's pages in cm, landscape turned."""
    w, h = PAGE_SIZES_CM[report.page_size]
    return (h, w) if report.landscape else (w, h)


def margins_cm(report: "SampleReport") -> tuple:
    return report.margins_cm or (2.0, 1.5, 2.0, 1.5)


def column_widths_cm(report: "SampleReport", table: SampleTable) -> list[float]:
    """The table's column widths in cm: the report's (one per column), else the defaults."""
    if report.col_widths and len(report.col_widths) == table.width:
        return list(report.col_widths)
    if table.width == len(DEFAULT_COL_WIDTHS):
        return list(DEFAULT_COL_WIDTHS)
    return [16.0 / table.width] * table.width


def bound_reports(report: "SampleReport") -> list["SampleReport"]:
    """The reports a file binds, in order: this one and those bound after it."""
    return [report] + list(report.bound)


def package_front(report: "SampleReport") -> list[str]:
    """The lines a package prints before its first report: its cover, then (when the model
    has one) the table of contents, each report's office and title."""
    if not report.cover:
        return []
    out = list(report.cover)
    if report.contents:
        out.append("목 차")
        out += [f"{k}. {one.office} {one.title}" for k, one in enumerate(bound_reports(report), start=1)]
    return out


# DOCX/PDF column widths (cm) of the 9-column budget table when the report sets none:
# narrow enough that long names and the widest figures wrap inside their cells in the PDF.
DEFAULT_COL_WIDTHS = [2.6, 2.1, 2.6, 2.9, 2.0, 1.45, 1.45, 1.45, 1.45]


# ---------------------------------------------------------------- table headers
def header_a(before="예산현액", dec="감", inc="증", after="전용 후 예산현액", dept="부서명", change="증감내역", stat="통계목"):
    """The seed's first form: 부서명 and 정책사업 span two rows; 예산과목 spans three columns."""
    return [
        [HCell(dept, 2), HCell("정책사업", 2), HCell("예산과목", 1, 3), HCell(before, 2), HCell(change, 1, 2), HCell(after, 2)],
        [HCell("단위사업"), HCell("세부사업"), HCell(stat), HCell(dec), HCell(inc)],
    ]


def header_b(before="예산현액", dec="감", inc="증", after="전용 후 예산현액", dept="부서명", change="증감내역", stat="통계목"):
    """The seed's second form: 예산과목 spans all five name columns."""
    return [
        [HCell("예산과목", 1, 5), HCell(before, 2), HCell(change, 1, 2), HCell(after, 2)],
        [HCell(dept), HCell("정책사업"), HCell("단위사업"), HCell("세부사업"), HCell(stat), HCell(dec), HCell(inc)],
    ]


def header_c(before="예산현액", dec="감", inc="증", after="전용 후 예산현액", dept="부서명", change="증감내역", stat="통계목"):
    """Two rows where only the change columns merge: every other header spans both rows."""
    names = [dept, "정책사업", "단위사업", "세부사업", stat, before]
    return [
        [HCell(w, 2) for w in names] + [HCell(change, 1, 2), HCell(after, 2)],
        [HCell(dec), HCell(inc)],
    ]


def header_flat(before="예산액", dec="감액", inc="증액", after="전용후 예산액", dept="부서명", change=None, stat="통계목"):
    """One header row, as some offices print it (no 증감내역 over 감 and 증)."""
    return [[HCell(dept), HCell("정책사업"), HCell("단위사업"), HCell("세부사업"), HCell(stat), HCell(before), HCell(dec), HCell(inc), HCell(after)]]


HEADER_FORMS = {"a": header_a, "b": header_b, "c": header_c, "flat": header_flat}


def _overview_default(bullet_lines: dict) -> list[tuple[str, list[str]]]:
    return list(bullet_lines.items())


# ---------------------------------------------------------------- the samples
def climate_2022q1() -> SampleReport:
    dept = "기후환경본부 기후변화대응과"
    return SampleReport(
        name="001_climate_2022q1",
        title="2022 회계연도 1/4분기 예산 전용 보고",
        meeting="2022. 4. 20.",
        venue="환경수자원위원회 회의실",
        office="기후환경본부",
        encoding="cp949",
        newline="\r\n",
        transfers=[
            Transfer(
                numeral="I",
                title="탄소중립 시민실천단 운영을 위한 예산 전용",
                lead=["탄소중립 실천 문화 확산을 위한 시민실천단 발대식 개최 비용 마련을 위한 전용"],
                overview=[
                    ("필요성", ["- 2050 탄소중립 목표 달성을 위한 시민 참여 기반 마련 필요", "- 자치구별 실천단 간 협력체계 구축"]),
                    ("추진경과", ["- '21.12.15. : 시민실천단 운영계획 수립", "- '22.01.10. ~ '22.01.28. : 실천단원 공개 모집", "- '22.02.07. : 실천단 구성 완료(500명)"]),
                    ("사업내용", ["- 일 시 : '22.3.8.(화) 14:00~16:00", "- 장 소 : 서울시청 다목적홀", "- 내 용 : 발대식, 탄소중립 실천 서약, 우수사례 발표"]),
                    ("기대효과", ["- 시민 주도의 탄소중립 실천 문화 확산"]),
                ],
                transfer_lines=["- 통계목간 전용 (사무관리비→행사운영비)", "- 전용금액/전용일자 : 금 24,000천원 / '22.02.14."],
                reasons=["- 발대식 행사 개최를 위한 행사운영비 부족분 충당"],
                table=SampleTable(
                    header=header_a(),
                    body=[
                        [dept, "기후변화 대응", "탄소중립 기반조성", "시민실천단 운영", "201-01 사무관리비", "120,000", "24,000", "-", "96,000"],
                        ["", "", "", "", "201-03 행사운영비", "15,000", "-", "24,000", "39,000"],
                    ],
                    total=["총 계", "135,000", "24,000", "24,000", "135,000"],
                ),
            ),
            Transfer(
                numeral="II",
                title="미세먼지 저감 홍보 콘텐츠 제작 예산 전용",
                lead=["고농도 미세먼지 계절관리제 홍보 강화를 위한 영상 콘텐츠 제작 비용 전용"],
                overview=[
                    ("필요성", ["- 계절관리제 기간 시민 행동요령 홍보 필요"]),
                    ("사업내용", ["- 홍보 영상 3편 제작 및 SNS 송출", " - ※ 지하철 역사 영상매체 활용"]),
                ],
                transfer_lines=["- 전용예산사업 : 미세먼지 저감 홍보, “공공운영비” → “홍보물제작비”로 전용", "- 전용금액/전용일자 : 금 8,500천원 / '22.03.02."],
                reasons=["- 영상 콘텐츠 제작 수요 증가에 따른 홍보물제작비 부족"],
                table=SampleTable(
                    header=header_b(),
                    body=[
                        [dept, "대기질 개선", "미세먼지 저감", "미세먼지 저감 홍보", "201-02 공공운영비", "42,000", "8,500", "-", "33,500"],
                        ["", "", "", "", "201-05 홍보물제작비", "10,000", "-", "8,500", "18,500"],
                    ],
                    total=["총 계", "52,000", "8,500", "8,500", "52,000"],
                ),
            ),
        ],
    )


def welfare_2020q2() -> SampleReport:
    dept = "복지정책실 노인복지과"
    return SampleReport(
        name="002_welfare_2020q2",
        title="2020 회계연도 2/4분기 예산 전용 보고",
        meeting="2020. 7.",
        venue="보건복지위원회 회의실",
        office="복지정책실",
        text_style="pipe",
        encoding="utf-16",
        section_mark="□",
        bullet="ㅇ",
        transfers=[
            Transfer(
                numeral="Ⅰ",
                title="어르신 비대면 돌봄 서비스 확대를 위한 예산 전용",
                lead=["코로나19 확산에 따른 경로당 휴관 기간 중 어르신 안부확인 서비스 확대"],
                overview=[
                    ("필요성", ["- 경로당 휴관 장기화로 어르신 고립 우려", "- 인공지능 스피커 활용 안부확인 수요 증가"]),
                    ("추진경과", ["- 2020. 3. 2. : 경로당 임시 휴관", "- 2020. 4. 14. : 비대면 돌봄 확대계획 수립"]),
                    ("사업내용", ["- 인공지능 스피커 1,000대 추가 보급", "- 24시간 응급 알림 서비스 연계"]),
                ],
                transfer_lines=["- 정책사업 내 세부사업간 전용", "- 전용금액/전용일자 : 금 1.25백만원 / 2020. 5. 11."],
                reasons=["- 경로당 운영비 집행잔액을 비대면 돌봄 서비스로 전용"],
                unit="백만원",
                table=SampleTable(
                    header=header_flat(),
                    body=[
                        [dept, "어르신 복지 증진", "노인여가 활성화", "경로당 운영 지원", "307-02 민간경상사업보조", "850.5", "1.25", "-", "849.25"],
                        ["", "", "노인돌봄 강화", "비대면 안부확인 서비스", "307-02 민간경상사업보조", "12", "-", "1.25", "13.25"],
                    ],
                    total=["합 계", "862.5", "1.25", "1.25", "862.5"],
                ),
            ),
            Transfer(
                numeral="Ⅱ",
                title="무더위쉼터 운영 물품 구입 예산 전용",
                title_inline=True,
                lead=["폭염 대비 무더위쉼터 방역물품 구입비 확보"],
                overview=[
                    ("필요성", ["- 생활 속 거리두기에 따른 쉼터 방역 강화"]),
                    ("기대효과", ["- 폭염 취약계층의 안전한 쉼터 이용 보장"]),
                ],
                transfer_lines=["- 전용금액 : 금 3백만원", "- 전용일자 : '20.06.22."],
                reasons=["- 방역물품 구입비 부족분 충당", "- 행사 취소에 따른 행사운영비 잔액 활용"],
                unit="백만원",
                table=SampleTable(
                    header=header_flat(),
                    body=[
                        [dept, "어르신 복지 증진", "노인건강 증진", "무더위쉼터 운영", "201-03 행사운영비", "5", "3", "-", "2"],
                        ["", "", "", "", "206-01 재료비", "△0.5", "-", "3", "2.5"],
                    ],
                    total=["합 계", "4.5", "3", "3", "4.5"],
                ),
            ),
        ],
    )


def transport_2023q3() -> SampleReport:
    dept = "교통실 보행정책과"
    body = [
        [dept, "보행환경 개선", "보행친화도시 조성", "보행전용거리 운영", "201-01 사무관리비", "88,000", "12,000", "-", "76,000"],
        ["", "", "", "", "201-02 공공운영비", "64,500", "9,500", "-", "55,000"],
        ["", "", "", "", "201-03 행사운영비", "30,000", "-", "6,000", "36,000"],
        ["", "", "", "보행약자 이동편의", "201-01 사무관리비", "21,000", "2,000", "-", "19,000"],
        ["", "", "", "", "401-01 시설비", "350,000", "-", "17,500", "367,500"],
        ["", "", "교통안전 강화", "어린이보호구역 개선", "201-01 사무관리비", "45,000", "3,000", "-", "42,000"],
        ["", "", "", "", "401-01 시설비", "510,000", "-", "3,000", "513,000"],
    ]
    return SampleReport(
        name="003_transport_2023q3",
        title="2023 회계연도 3/4분기 예산 전용 보고",
        meeting="2023. 10.",
        venue="교통위원회 회의실",
        office="교통실",
        text_style="box",
        encoding="utf-8-sig",
        notes="long table: runs over a page break in the PDF",
        repeat_header=True,
        running_header="교통위원회 보고자료",
        transfers=[
            Transfer(
                numeral="Ⅰ",
                title="보행전용거리 및 어린이보호구역 시설 개선 예산 전용",
                lead=["보행전용거리 운영 방식 변경과 어린이보호구역 안전시설 보강에 따른 전용"],
                overview=[
                    ("필요성", ["- 보행전용거리 운영 구간 확대에 따른 시설 보강 필요", "- 어린이보호구역 교통사고 예방을 위한 안전시설 확충"]),
                    ("추진경과", ["- '23.07.03. : 보행전용거리 운영계획 변경", "- '23.07.20. ~ '23.08.11. : 어린이보호구역 실태조사", "- '23.08.28. : 시설개선 실시설계"]),
                    ("사업내용", ["- 보행전용거리 4개소 시설 개선", "- 어린이보호구역 노란신호등 30개소 설치", " ⇒ 총 34개소"]),
                    ("기대효과", ["- 보행자 중심의 안전한 도로환경 조성"]),
                ],
                transfer_lines=["- 통계목간 전용 (사무관리비·공공운영비→행사운영비·시설비)", "- 전용금액/전용일자 : 금 26,500천원 / '23.09.04."],
                reasons=["- 운영 구간 확대와 안전시설 보강 수요를 반영하기 위한 시설비 증액"],
                table=SampleTable(header=header_a(), body=body, total=["총 계", "1,108,500", "26,500", "26,500", "1,108,500"]),
                push_pt=150,  # two body rows stay on page 1
                lead_footnote="보행친화도시 조성 기본계획(2023) 참조",
            ),
        ],
    )


def culture_2019q4() -> SampleReport:
    dept = "문화본부 문화예술과"
    return SampleReport(
        name="004_culture_2019q4",
        title="2019 회계연도 4/4분기 예산 전용 보고",
        meeting="2020. 2. 14.",
        venue="문화체육관광위원회 회의실",
        office="문화본부",
        encoding="euc-kr",
        open_sided=True,
        transfers=[
            Transfer(
                numeral="I",
                title="거리예술축제 안전관리 인력 운영 예산 전용",
                lead=["축제 관람객 증가에 따른 안전관리 인력 추가 배치"],
                overview=[
                    ("필요성", ["- 관람객 밀집 구간 안전사고 예방"]),
                    ("추진경과", ["- 2019. 10. 4. ~ 2019. 10. 6. : 거리예술축제 개최"]),
                ],
                transfer_lines=["- 전용금액/전용일자 : 금 7,200,000원 / 2019. 10. 1."],
                reasons=["- 안전관리 인력 인건비 부족분 충당"],
                unit="원",
                table=SampleTable(
                    header=header_b(before="예산액", after="전용후 예산액"),
                    body=[
                        [dept, "문화예술 진흥", "축제 지원", "거리예술축제 개최", "201-03 행사운영비", "150,000,000", "7,200,000", "-", "142,800,000"],
                        ["", "", "", "", "101-04 기간제근로자등보수", "20,000,000", "-", "7,200,000", "27,200,000"],
                    ],
                    total=["총 계", "170,000,000", "7,200,000", "7,200,000", "170,000,000"],
                ),
            ),
            Transfer(
                numeral="II",
                title="공연장 객석 유지보수 예산 전용",
                lead=["노후 객석 긴급 보수를 위한 시설비 전용"],
                overview=[("필요성", ["- 객석 파손에 따른 관람객 안전 확보"])],
                transfer_lines=["- 전용금액/전용일자 : 금 12,000,000원 / 2019. 11. 18."],
                reasons=["- 긴급 보수 공사비 확보"],
                unit="원",
                table=SampleTable(
                    header=header_b(before="예산액", after="전용후 예산액"),
                    body=[
                        [dept, "문화예술 진흥", "공연장 운영", "공연장 시설 관리", "201-02 공공운영비", "48,000,000", "12,000,000", "-", "36,000,000"],
                        ["", "", "", "", "401-01 시설비", "30,000,000", "-", "12,000,000", "42,000,000"],
                    ],
                    total=["총 계", "78,000,000", "12,000,000", "12,000,000", "78,000,000"],
                ),
            ),
        ],
    )


def seed_2021q4() -> SampleReport:
    """The real report in shared/seed, modelled block by block (bold markup dropped), so that
    its DOCX, PDF and HWPX renderings can be compared with the original text."""
    dept, policy = "스마트정책관 스마트도시 담당관", "지식정보사회 선도기반구축"
    return SampleReport(
        name="000_seed",
        title="2021 회계연도 4/4분기 예산 전용 보고",
        meeting="2022. 2.",
        venue="행정자치위원회 회의실",
        office="스마트도시정책관",
        section_mark_rest="",
        notes="shared/seed/000_69d6960250ab482a.txt, modelled",
        running_header="행정자치위원회 보고자료",
        transfers=[
            Transfer(
                numeral="I",
                title="서울 스마트도시 간 국제교류 장 마련을 위한 예산 전용",
                lead=["서울 스마트도시 우수정책 도입을 위한 해외도시의 컨설팅 및 우수사례 공유 요청이 증가함에 따라 스마트도시 간 국제교류 장 마련을 위한 전용"],
                overview=[
                    ("필요성", [
                        "- 코로나-19 유행이 지속됨에 따라 비대면 방식의 국제교류 방안 필요",
                        "- 서울 스마트도시 정책 도입을 위한 해외도시의 컨설팅 및 정책공유 요청 증가",
                        "- 세계스마트도시 발전을 위한 방안 논의·결정",
                    ]),
                    ("사업내용", [
                        "- 일 시 : '21.10.18.(월) 15:00~16:40 (100분)",
                        "- 위 치 : DDP 서울 온 화상 스튜디오",
                        "- 목 적 : 서울 우수 스마트도시 정책 해외진출 도모",
                        "- 주요행사 : 도시 우수사례공유, 10주년 기념행사, 스마트도시 어워드 시상식, 본회의",
                        "- 참석대상 : 257명",
                        " - 전 세계 16개국 20여명의 시장·부시장·대사 등 257명 참석",
                        "〈참석도시 및 기관〉",
                        "멕시코시티, 상파울루, 모스크바, 웰링턴, 마카티, 청두, 부카레스트, 헤브론, 안양, 성남, 캄팔라, 울란바타르, 알마티, 마푸토, 라 유니온, 말레이시아·브라질·멕시코 대사관 등",
                    ]),
                    ("기대효과", [
                        "- 유엔 해비타트 사무총장 기조연설, 도시 우수정책 공유세션 및 서울사-해외도시 관계자 화상회의, 창립 10주년 기념행사, 스마트도시 어워드 시상식 등을 통해 서울시 국제 네트워크 및 영향력 확대",
                    ]),
                ],
                transfer_lines=["- 세부사업 변경 및 통계목간 전용 (사무관리비→행사운영비)", "- 전용금액/전용일자 : 금 30,000천원 / '21.10.12."],
                reasons=["- 서울시 우수 스마트도시 정책 및 기업의 해외 진출 도모를 및 스마트도시 발전방안 논의를 위한 행사 개최"],
                push_pt=120,  # the 2nd and 3rd tables then leave their 총 계 rows to the next page
                table=SampleTable(
                    header=header_a(before="예산현액 (단위: 천원)"),
                    body=[
                        [dept, policy, "정보화기반 시설확충", "스마트도시 민·관 협력", "110-201-01 사무관리비", "355,000", "30,000", "-", "325,000"],
                        ["", "", "전자정부 홍보마케팅", "세계스마트시티 가구운영", "100-201-03 행사운영비", "-", "-", "30,000", "30,000"],
                    ],
                    total=["총 계", "355,000", "30,000", "30,000", "355,000"],
                ),
            ),
            Transfer(
                numeral="II",
                title="스마트폴 기능 고도화 시범사업 감리용역 예산 전용",
                lead=["「2021년 스마트폴 기능 고도화 시범사업」의 안전성 확보를 위해", "전문기관을 통한 감리용역 시행을 위한 예산전용"],
                overview=[
                    ("필요성", [
                        "- 다양한 기능(전기차충전·드론 등)과 공종(전기·정보통신)이 복합 구축되는 스마트폴 시범사업의 기능성·안전성 제고방안 마련필요",
                        "- 설계도서 및 공사 관련 적정성·안정성 검토, 예상 문제점 확인·보완 필요",
                    ]),
                    ("추진경과", [
                        "- '21.06.04. : '21년 스마트폴 기능 고도화 시범사업 계획수립",
                        "- '21.08.05. : 계약체결 [(주)가보테크컨소시엄]",
                        "- '21.09.06. : '21년 스마트폴 기능 고도화 시범사업 변경계획수립",
                        "- '21.10.21. : 스마트폴 기능 고도화 시범사업 감리용역 계획수립",
                    ]),
                    ("사업내용", [
                        "- 스마트폴 시범사업 설계도서·산출물 적정성 검토 및 개선방안 제시",
                        "- 전기차 충전기, 드론 스테이션 융합 스마트폴에 대한 공사감리 업무 수행",
                        "- 복합공종(전기·정보통신) 공사진행에 대한 안전성·기능성 확보방안 검토",
                    ]),
                    ("기대효과", [
                        "- 성공적인 스마트폴 기능 고도화 시범사업 추진기반 마련",
                        "- 고도화 기능, 다양한 공종이 복합 구축되는 시범사업의 기능성·안전성 확보",
                    ]),
                ],
                transfer_lines=[
                    "- 전용예산사업 : 사물인터넷 도시조성, “공공운영비” 집행잔액 ➡ “감리비”로 전용",
                    "- 전용금액/전용일자 : 금 16,500천원 / '21.10.25.",
                ],
                reasons=[
                    "- 다양한 스마트 기능과 공중(전기·통신)이 복합 구축되는 스마트폴 시범사업의 안전성 확보 및 내실있는 사업추진을 위한 감리용역 예산 필요.",
                    "- 이에 신속한 사업추진을 위해 ‘사물인터넷 도시조성’ 예산항목 내 ‘공공운영비’ 집행잔액을 ‘감리비’로 전용하여 추진코자 함.",
                ],
                table=SampleTable(
                    header=header_b(before="예산현액 (단위: 천원)"),
                    body=[
                        [dept, policy, "정보화 기반시설 확충", "사물인터넷 도시조성", "100-201-02 공공운영비", "448,320", "16,500", "-", "431,820"],
                        ["", "", "", "", "100-401-02 감리비", "-", "-", "16,500", "16,500"],
                    ],
                    total=["총 계", "448,320", "16,500", "16,500", "448,320"],
                ),
            ),
            Transfer(
                numeral="Ⅲ",
                title="'21 서울 스마트시티 워크 예산 전용",
                title_inline=True,
                lead=["'21 서울 스마트시티 워크를 개최함에 있어 스마트 선도 도시로서의 위상 정립 및 대시민 홍보를 위해 첨단 IT기술 적용 및 프로그램 확대에 따른 예산 전용"],
                overview=[
                    ("필요성", [
                        "- 서울시정 마스터플랜인 '서울비전 2030'에서 서울의 미래상으로 메타버스 구축을 포함한 미래감성도시 제시",
                        " - ※ 서울비전 2030(21.09.15. 발표)의 20대 핵심과제로 '메타버스 서울 구축' 선정",
                        "- 스마트시티 주제의 행사 추진 시 서울시민의 신기술 체험 기회를 제공하기 위해 메타버스 회의 시범 도입",
                        "- 참여자의 편의성을 고려한 비대면 온라인 회의 프로그램의 확대 추진",
                    ]),
                    ("추진경과", [
                        "- '21. 6. 9. : 2021 서울 스마트시티 리더스포럼 기본계획",
                        "- '21.10.25. : 2021 서울 스마트시티 리더스포럼 추진계획(변경)",
                        "- '21.10.12. ~ '21.10.19. : '21 서울 스마트시티 워크 개최",
                    ]),
                    ("사업내용", [
                        "- 행사명 : '21 서울 스마트시티 워크",
                        "- 개최방식 : 온라인 유튜브 송출(장소 : DDP 서울온 스튜디오)",
                        "- 프로그램 내용 :",
                        "SSW 인사이트(10.12.~10.15.) 세바시 강연, IT기업 혁신사례, 과학전문가 테드강연",
                        "스마트시티 리더스포럼 (10.19.) 해외도시 혁신사례 발표 및 토론, 메타버스 좌담회",
                        "⇒ 유튜브 동시 접속자수 : 1,390회, 누적 조회수 : 100,615회 ('22.1.현재)",
                    ]),
                    ("기대효과", [
                        "- 단계적 일상회복 전환을 앞두고 디지털 대전환의 필요성에 대한 시민 인식 확산",
                        "- 싱가포르, 텔아비브, LA 등 세계 최고도시들과 스마트 방역사례 공유 및 홍보",
                    ]),
                ],
                transfer_lines=[
                    "- 전용예산사업 : 블록체인기반 공유행정 도입 일반운영비(행사운영비)",
                    " ⇒ 스마트도시민관협력 일반운영비(행사운영비) 전용",
                    "- 전용금액/전용일자 : 금10,000천원 / '21.10.28.",
                ],
                reasons=[
                    "- 시민에게 더 가까이 다가가는 프로그램의 강화 차원에서 행사기간 확대 및 콘텐츠 구성 변경, 메타버스 행사의 선도적 도입에 따른 것으로",
                    "- 비대면·디지털 전환에 따른 급속한 환경 변화로 행사 계획 단계에서 예측이 어려운 비용이 발생해 불가피하게 예산 전용을 운용함.",
                ],
                budget_heading="예산현황",
                table=SampleTable(
                    header=header_a(before="예산현액 (단위: 천원)"),
                    body=[
                        [dept, policy, "모바일 행정서비스 제공", "블록체인 기반 공유행정 도입", "100-201-03 행사운영비", "10,000", "10,000", "-", "-"],
                        ["", "", "정보화 기반시설 확충", "스마트도시 민관협력", "100-201-03 행사운영비", "100,000", "-", "10,000", "110,000"],
                    ],
                    total=["총 계", "110,000", "10,000", "10,000", "110,000"],
                ),
            ),
        ],
    )


def clean_samples() -> list[SampleReport]:
    return [seed_2021q4(), climate_2022q1(), welfare_2020q2(), transport_2023q3(), culture_2019q4()]


# ---------------------------------------------------------------- injected errors
def _errored(base: SampleReport, check: str) -> SampleReport:
    r = copy.deepcopy(base)
    r.name = f"err_{check}_{base.name.split('_', 1)[0]}"
    r.notes = f"{base.name} with one injected error for {check}"
    return r


def error_samples() -> list[SampleReport]:
    """One copy of the climate report per check, each with a single printed change."""
    base = climate_2022q1()
    out = []

    r = _errored(base, "row_balance")  # 120,000 − 24,000 ≠ 97,000 (total after changed too, so only the line is off)
    r.transfers[0].table.body[0][8] = "97,000"
    r.transfers[0].table.total[4] = "136,000"
    out.append(r)

    r = _errored(base, "column_total")  # a printed total that is not the column's sum
    r.transfers[1].table.total[1] = "53,000"
    out.append(r)

    r = _errored(base, "transfer_balance")  # 증 line and its sums raised together: money appears
    t = r.transfers[0].table
    t.body[1][7], t.body[1][8] = "25,000", "40,000"
    t.total[3], t.total[4] = "25,000", "136,000"
    out.append(r)

    r = _errored(base, "summary_amount")  # 전용개요 disagrees with the table
    r.transfers[1].transfer_lines[1] = "- 전용금액/전용일자 : 금 8,000천원 / '22.03.02."
    out.append(r)

    r = _errored(base, "overdraw")  # decreases more than the line had; ends below zero
    t = r.transfers[0].table
    t.body[0][5], t.body[0][8] = "20,000", "△4,000"
    t.total[1], t.total[4] = "35,000", "35,000"
    out.append(r)

    r = _errored(base, "date_period")  # dated in the previous year's last quarter
    r.transfers[0].transfer_lines[1] = "- 전용금액/전용일자 : 금 24,000천원 / '21.12.14."
    out.append(r)

    r = _errored(base, "stat_code_name")  # one code, two names
    r.transfers[1].table.body[1][4] = "201-02 홍보물제작비"
    out.append(r)
    return out


def all_samples() -> list[SampleReport]:
    return clean_samples() + error_samples()
