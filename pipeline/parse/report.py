"""Segment a Document into the report header and its numbered transfers, by meaning.

Headings are recognised by what they say (item numerals in any style, see numbering.py;
`□` section names with or without the mark and spaces; `○`/`ㅇ` sub-headings), never by
position.
Whatever the parser cannot place goes to `Report.unparsed` with its location.
"""
from __future__ import annotations

from typing import Optional

import regex as re

from ..domain.figures import UNIT_BESIDE as _BESIDE_UNIT
from ..domain.marks import BULLET_RUN as _BULLET, SECTION_MARKS as _SECTION_MARK, SECTIONS, SUBHEADING as _SUBHEADING
from ..errors import NotAReport
from ..ir import Document, Loc, Note, Paragraph, Table
from ..textutil import squash
from ..records import Report, Transfer, TransferOverview, Unparsed
from .budget import parse_budget_table
from .numbering import Numeral, find_items, numbered_sequence, numeral_of, split_by_sections
from .notation import (
    NotationError,
    find_money,
    unit_line,
    match_date,
    parse_date,
    parse_timeline_entry,
)

_TITLE = re.compile(r"전용")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*(?:회계\s*)?(?:연도|년도|년)")
_QUARTER = re.compile(r"([1-4])\s*/\s*4\s*분기|제?\s*([1-4])\s*분기")
FIELD = re.compile(r"^(?:[-·•○ㅇ]\s*)?(?P<key>일\s*시|장\s*소|보고\s*(?:기관|부서)|부\s*서|소\s*관)\s*[:：]\s*(?P<value>.*)$")
_AMOUNT_KEY = re.compile(r"전용\s*금액")
_DATE_KEY = re.compile(r"전용\s*일자|전용\s*일")
_TIMELINE_KEY = re.compile(r"추진\s*경과|추진\s*상황|추진\s*실적")


def strip_bullet(text: str) -> str:
    return _BULLET.sub("", text).strip()


_squash = squash


def section_of(text: str) -> Optional[str]:
    """The section a heading line opens, `other:<name>` for an unknown □ section, else None."""
    t = text.strip()
    if len(t) > 40:  # headings are short; most lines are not
        return None
    marked = t[:1] in _SECTION_MARK
    name = _BESIDE_UNIT.sub("", _squash(t.lstrip(_SECTION_MARK))).rstrip(":：")
    for key, pat in SECTIONS.items():
        if pat.match(name):
            return key
    if marked and 0 < len(name) <= 20:
        return "other:" + t.lstrip(_SECTION_MARK).strip()
    return None


def parse_document(doc: Document) -> Report:
    return parse_report(doc, doc.blocks)


def parse_report(doc: Document, blocks) -> Report:
    """The report printed in `blocks` (the whole document, or one report of a package);
    `notes` holds the readings the parser decided (the readers' are added by the caller)."""
    unparsed: list[Unparsed] = []
    notes: list[Note] = []
    blocks = _without_set_aside(blocks, unparsed)
    starts = _item_starts(blocks)
    head_end = starts[0][0] if starts else len(blocks)
    report = _parse_header(doc, blocks[:head_end], unparsed)
    if not starts:
        raise NotAReport("no numbered transfer item (I, II, Ⅲ …) found; not a 예산 전용 보고")
    for k, (i, label, rest) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(blocks)
        report.transfers.append(_parse_transfer(k + 1, label, rest, blocks[i], blocks[i + 1 : end], unparsed, notes))
    report.unparsed = unparsed
    report.notes = notes
    return report


def _item_starts(blocks) -> list[tuple[int, str, str]]:
    """(block index, label, title printed after the numeral) of every transfer, found by
    meaning (see numbering.py): the item's sections decide where items are, the numerals
    name them. Without sections to go by, the longest run of numerals 1, 2, 3 … of one
    style is taken."""
    numerals: dict[int, Numeral] = {}
    sections: list[tuple[int, str]] = []
    for i, b in enumerate(blocks):
        if not isinstance(b, Paragraph):
            continue
        sec = section_of(b.text)
        if sec and not sec.startswith("other:"):
            sections.append((i, sec))
            continue
        n = numeral_of(b.text)
        if n is not None:
            numerals[i] = n
    starts: list[tuple[int, str, str]] = []
    if sections:
        lo = 0
        for group, item in zip(split_by_sections(sections), find_items(len(blocks), numerals.get, sections)):
            if item is not None:
                starts.append((item.index, item.numeral.label, item.numeral.rest))
            else:
                head = _unnumbered_head(blocks, lo, group[0][0], first=not starts)
                if head is not None:
                    starts.append(head)
            lo = group[-1][0] + 1
        if starts:
            return starts
    return [(s.index, s.numeral.label, s.numeral.rest) for s in numbered_sequence(sorted(numerals.items()))]


def _unnumbered_head(blocks, lo: int, hi: int, first: bool) -> Optional[tuple[int, str, str]]:
    """The heading of an item printed without a numeral, between the previous item's last
    section heading (lo) and this item's first (hi). The first item's is found after the
    report's title; a later one follows the previous item's table."""
    if first:
        return _unnumbered_transfer(blocks)
    last_table = max((i for i in range(lo, hi) if isinstance(blocks[i], Table)), default=None)
    start = lo if last_table is None else last_table + 1
    for i in range(start, hi):
        if isinstance(blocks[i], Paragraph):
            return (i, "", "")
    return None


def _without_set_aside(blocks, unparsed: list[Unparsed]) -> list:
    """Lines a reader could not place (a table whose layout was lost in conversion) are
    reported with the reader's reason and kept out of the content: no figure is guessed."""
    if not any(isinstance(b, Paragraph) and b.set_aside for b in blocks):
        return blocks
    kept = []
    for b in blocks:
        if isinstance(b, Paragraph) and b.set_aside:
            unparsed.append(Unparsed(b.text, b.set_aside, b.loc))
        else:
            kept.append(b)
    return kept


def is_report_title(text: str) -> bool:
    return bool(_TITLE.search(text)) and ("보고" in text or "분기" in text)


def _unnumbered_transfer(blocks) -> Optional[tuple[int, str, str]]:
    """A report of a single transfer may print it without a numeral. Its heading is then the
    first line after the report's title that speaks of a 전용 and precedes the first known
    section (`□ 사업개요` …); its label is empty, as printed."""
    title_at = next((i for i, b in enumerate(blocks) if isinstance(b, Paragraph) and is_report_title(b.text)), None)
    if title_at is None:
        return None
    for i in range(title_at + 1, len(blocks)):
        b = blocks[i]
        if not isinstance(b, Paragraph):
            return None
        sec = section_of(b.text)
        if sec and not sec.startswith("other:"):
            return None
        if _TITLE.search(b.text) and not FIELD.match(b.text) and not is_report_title(b.text):
            rest_has_section = any(
                isinstance(x, Paragraph) and (section_of(x.text) or "").startswith(("overview", "transfer", "budget"))
                for x in blocks[i + 1 :]
            )
            return (i, "", b.text) if rest_has_section else None
    return None


def is_dated_title(text: str) -> bool:
    """A report's title line naming its year or quarter (a running page header that speaks
    of a 전용 보고 usually names neither)."""
    return is_report_title(text) and bool(_YEAR.search(text) or _QUARTER.search(text))


def _title_of(blocks):
    """The report's title. A running page header (`기후환경본부 대기정책과 예산 전용 보고`) also
    speaks of a 전용 보고, so the title is the first such line that names the year or the
    quarter, else the first such line."""
    titles = [b for b in blocks if isinstance(b, Paragraph) and is_report_title(b.text)]
    dated = [b for b in titles if _YEAR.search(b.text) or _QUARTER.search(b.text)]
    return (dated or titles or [None])[0]


def _parse_header(doc: Document, blocks, unparsed: list[Unparsed]) -> Report:
    title_block = _title_of(blocks)
    if title_block is None:
        raise NotAReport("no report title (… 예산 전용 보고) found; not a 예산 전용 보고")
    title = title_block.text
    report = Report(path=doc.path, sha256=doc.sha256, format=doc.format, title=title)
    m = _YEAR.search(title)
    report.fiscal_year = int(m.group(1)) if m else None
    m = _QUARTER.search(title)
    report.quarter = int(m.group(1) or m.group(2)) if m else None
    office_candidates = []
    before_title = 0  # candidates found above the title
    for b in blocks:
        if b is title_block:
            before_title = len(office_candidates)
            continue
        if isinstance(b, Table):
            for row in b.rows:
                _header_fields(report, " ".join(c.text for c in row if c.text), row[0].loc, unparsed, office_candidates)
            continue
        _header_fields(report, b.text, b.loc, unparsed, office_candidates)
    if report.office is None and office_candidates:
        # The office is printed under the title, the meeting and the venue; a line above
        # the title is a page's header (`도시안전건설위원회 보고자료`), which a one-page
        # report does not show to be running.
        office_candidates = office_candidates[before_title:] + office_candidates[:before_title]
        report.office = office_candidates[0][0]
        for text, loc in office_candidates[1:]:
            unparsed.append(Unparsed(text, "header line not recognised", loc))
    return report


def _header_fields(report: Report, text: str, loc: Loc, unparsed, office_candidates) -> None:
    m = FIELD.match(text)
    if m:
        key = _squash(m.group("key"))
        value = m.group("value").strip()
        if key == "일시":
            d = parse_date(value)
            report.meeting_date = d.iso() if d else None
            if d is None:
                unparsed.append(Unparsed(text, "meeting date not readable", loc))
        elif key == "장소":
            report.venue = value or None
        else:
            report.office = value or report.office
        return
    plain = strip_bullet(text)
    if plain and len(plain) <= 40 and ":" not in plain and "：" not in plain and not is_report_title(plain):
        office_candidates.append((plain, loc))
    elif plain:
        unparsed.append(Unparsed(text, "header line not recognised", loc))


def _parse_transfer(seq: int, label: str, rest: str, head, blocks, unparsed: list[Unparsed], notes: list[Note]) -> Transfer:
    queue = list(blocks)
    if rest:
        title = rest
    else:
        title = ""
        while queue and isinstance(queue[0], Paragraph) and not title:
            title = queue.pop(0).text
    t = Transfer(seq=seq, label=label, title=title, loc=head.loc)

    section: Optional[str] = None
    summary: list[str] = []
    sub: Optional[str] = None
    tables: list[Table] = []
    unit: Optional[str] = None
    for b in queue:
        if isinstance(b, Table):
            if section == "budget":
                tables.append(b)
            elif section == "overview":
                # A small table inside 사업개요 (e.g. a programme list): kept as lines.
                for row in b.rows:
                    line = " ".join(c.text for c in row if c.text and not c.merged)
                    if line:
                        t.overview.setdefault(sub or "사업개요", []).append(line)
            else:
                for row in b.rows:
                    line = " | ".join(c.text for c in row if c.text)
                    if line:
                        unparsed.append(Unparsed(line, f"table outside 예산 현황 in transfer {seq}", row[0].loc))
            continue
        text = b.text
        sec = section_of(text)
        if sec:
            section, sub = sec, None
            if sec == "budget" and unit is None:
                unit = unit_line(text)  # `□ 예산 현황 (단위 : 천원)`: the unit beside the heading
            continue
        if section is None:
            summary.append(text)
        elif section == "overview":
            m = _SUBHEADING.match(text)
            if m:
                sub = m.group("name").strip()
                t.overview.setdefault(sub, [])
                continue
            line = strip_bullet(text)
            key = sub or "사업개요"
            t.overview.setdefault(key, []).append(line)
            if sub and _TIMELINE_KEY.search(sub):
                ev = parse_timeline_entry(line)
                if ev:
                    start, end, what = ev
                    t.timeline.append({"date": start.iso(), "end_date": end.iso() if end else None, "text": what})
        elif section == "transfer":
            line = strip_bullet(text)
            t.transfer.lines.append(line)
            _read_transfer_line(t.transfer, line, b.loc, unparsed)
        elif section == "reasons":
            t.reasons.append(strip_bullet(text))
        elif section == "budget":
            u = unit_line(text)
            if u and unit is None:
                unit = u  # above the table, or under it when nothing above says
            else:
                unparsed.append(Unparsed(text, f"note under 예산 현황 of transfer {seq}", b.loc))
        else:
            unparsed.append(Unparsed(text, f"under unknown section {section[6:]!r} of transfer {seq}", b.loc))
    t.summary = " ".join(summary) if summary else None
    if tables:
        t.budget = parse_budget_table(tables, unit, unparsed, t.transfer.amount_won, notes)
    else:
        unparsed.append(Unparsed(t.title, f"transfer {seq} has no 예산 현황 table", t.loc))
    if t.transfer.amount_won is None:
        unparsed.append(Unparsed(t.title, f"transfer {seq}: no 전용금액 found in 전용개요", t.loc))
    return t


def _read_transfer_line(ov: TransferOverview, line: str, loc: Loc, unparsed: list[Unparsed]) -> None:
    """`전용금액/전용일자 : 금 30,000천원 / '21.10.12.` and its variants."""
    has_amount_key = bool(_AMOUNT_KEY.search(line))
    has_date_key = bool(_DATE_KEY.search(line))
    if ov.amount_won is None and (has_amount_key or (not ov.lines[:-1] and "금" in line)):
        try:
            money = find_money(line)
        except NotationError as e:
            unparsed.append(Unparsed(line, f"전용금액: {e}", loc))
            money = None
        if money:
            ov.amount_won, printed, irregular = money
            ov.amount_loc = loc
            if irregular:
                unparsed.append(Unparsed(printed, "전용금액: irregular digit grouping", loc))
    if ov.date is None and (has_date_key or has_amount_key):
        value = line.split(":", 1)[1] if ":" in line else line
        if "/" in value and has_amount_key and has_date_key:
            value = value.split("/", 1)[1]
        d, _ = match_date(value)
        if d:
            ov.date = d.iso()
            ov.date_value = d
            ov.date_loc = loc
        elif has_date_key:
            unparsed.append(Unparsed(line, "전용일자 not readable", loc))
