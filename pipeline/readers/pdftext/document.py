"""Text converted from PDF: `pdftotext -layout`, a viewer's "save as text", a copy from a PDF.

Such text keeps the page's layout with spaces: a table is columns aligned with spaces, no
separators, a cell's text wrapped over several physical lines; pages are separated by a
form feed and carry a running header and a page number (`-1-`, `- 2 -`) that can fall in
the middle of a table, even in the middle of a row; the converter inserts spaces
(`3/4 분기`) and blank lines. This reader turns it into the same blocks as every other
reader, with `loc` = the file's line number (counted by newlines) and the page (counted by
form feeds).

Page furniture: the last line of a page when it is a page number (`-1-`, `- 2 -`, or the
page's own number), a line opening most pages that repeats on them (the running header),
a line flush right alone at the top of the first page (a page header), and, in text
without form feeds, `- n -` lines and the line after one that repeats.

Tables are found by their header words (부서명, 정책사업, 예산과목, 예산현액, 감, 증, 전용 후 …)
and rebuilt by `table.py` (columns from the header's cells and the order pdftotext
keeps, rows from the 통계목 codes, wrapped cells and figures rejoined). Columns are measured
in characters (pdftotext, pdfplumber) or in display width (Hangul two columns wide, as a
monospace viewer shows it), whichever lines the figures up better. The line breaks inside
every cell are decided for the whole document at once by the PDF reader's rule
(`wraps.py`), from the geometry the text still shows and the document's own words; a
break the text cannot decide is kept as joined and noted (`Cell.notes`).
When a table cannot be rebuilt with confidence, or when the text has lost the table's
layout altogether (`pdftotext` without `-layout` prints each column as a block of its
own, figures after the next item's text), its lines are set aside with the reason
(`Paragraph.set_aside`), never guessed at.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from statistics import median
from typing import Optional

import regex as re

from ...domain.reasons import LAYOUT_LOST
from ...domain.codes import CODE_BEGUN, CODE_GOES_ON
from ...domain.figures import DASH, FIGURE_PIECE, FIGURE_WHOLE, UNIT_LINE
from ...domain.glyphs import SPACE_WIDTH, TYPICAL, display_width, text_width
from ...domain.headers import HEADER_FRAGMENT, HEADER_HINTS, is_header_term, is_total_label
from ...domain.marks import ITEM_NUMERAL, LONE_BULLET, NUMBERED, OPENERS, ROMAN_LINE, SECTION_WORDS
from ...domain.pages import DASHED_PAGE_NUMBER, page_number
from ...ir import Block, Loc, Paragraph, Table
from ...settings import DEFAULT_SETTINGS, LayoutSettings, ReadingSettings
from ...textutil import collapse, squash
from .breaks import decide_breaks
from .placing import Placed, place
from .table import BuiltTable, build_table, column_widths
from .words import Unbuildable, Word, chunks, header_piece_line, header_terms, is_amount
from ..seams import NOT_REBUILT



def not_rebuilt(why: str) -> str:
    return f"{NOT_REBUILT} ({why}): read the PDF itself"


def printed_width(s: str) -> float:
    """Estimated printed width in ems (the typical glyph widths), for comparing the lines of one cell."""
    return text_width(s, TYPICAL)


# ---------------------------------------------------------------- physical lines
@dataclass
class _Word:
    text: str
    c0: int  # character index
    c1: int
    d0: int  # display column
    d1: int

    def span(self, metric: str) -> tuple[int, int]:
        return (self.c0, self.c1) if metric == "char" else (self.d0, self.d1)


@dataclass
class _Line:
    no: int  # 1-based line of the file (newlines counted)
    page: int  # 1-based, form feeds counted
    raw: str
    words: list = field(default_factory=list)
    _spans: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def text(self) -> str:
        return collapse(self.raw)

    @property
    def blank(self) -> bool:
        return not self.raw.strip()

    def spans(self, metric: str) -> list[Word]:
        """The line's words with their extents in characters or display columns (made once
        per measure: the table reader asks again and again)."""
        got = self._spans.get(metric)
        if got is None:
            got = self._spans[metric] = [Word(w.text, w.c0, w.c1) if metric == "char" else Word(w.text, w.d0, w.d1) for w in self.words]
        return got


_NONSPACE = re.compile(r"\S+")
_DIGITS = re.compile(r"\d+")


def _words(raw: str) -> list[_Word]:
    out = []
    disp = 0
    last = 0
    for m in _NONSPACE.finditer(raw):
        s, e = m.span()
        disp += s - last  # spaces
        text = m.group()
        w = len(text) if text.isascii() else display_width(text)
        out.append(_Word(text, s, e, disp, disp + w))
        disp += w
        last = e
    return out


def split_lines(text: str) -> list[_Line]:
    """Physical lines with their file line number (newlines only: a form feed starts a new
    page, not a new line) and page number."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    page = 1
    out = []
    for no, raw in enumerate(text.split("\n"), start=1):
        if "\f" in raw:
            page += raw.count("\f")
            raw = raw.replace("\f", "")
        raw = raw.replace("\t", "    ").rstrip()
        out.append(_Line(no, page, raw, _words(raw)))
    return out


def is_layout_text(text: str) -> bool:
    """Text a PDF converter wrote: pages separated by form feeds, `- n -` page lines, or a
    budget-table header printed as columns aligned with spaces."""
    if "\f" in text:
        return True
    for raw in text.splitlines():
        s = raw.strip()
        if not s or s[0] not in "-–—‐" and "  " not in s:
            continue
        if DASHED_PAGE_NUMBER.match(s):
            return True
        if "  " in s and any(w in s for w in HEADER_HINTS) and _header_terms(_words(raw)) >= 3:
            return True
    return False


# ---------------------------------------------------------------- page furniture
def _furniture(lines: list[_Line], settings: LayoutSettings) -> set[int]:
    """Indices of page numbers and running headers/footers."""
    drop: set[int] = set()
    pages: dict[int, list[int]] = {}
    for i, ln in enumerate(lines):
        if not ln.blank:
            pages.setdefault(ln.page, []).append(i)
    paged = len(pages) > 1
    firsts: dict[str, list[int]] = {}
    lasts: dict[str, list[int]] = {}
    for p, idx in pages.items():
        for k in (idx[-1], idx[0]):
            s = lines[k].text
            # A page number other than `- n -` is the page's only at its foot, and only when
            # it is the page's own: at its top it can be the rest of a code or figure the
            # page cut (`110-207-0` / `2`).
            if DASHED_PAGE_NUMBER.match(s) or (paged and k == idx[-1] and page_number(s) == p):
                drop.add(k)
        # The page's first and last lines (but its page number) may be a running header or
        # footer, unless they are content that can repeat from page to page: a section or
        # item, a line of figures, a unit notice, a table's header repeated.
        rest = [k for k in idx if k not in drop]
        for k, group in ((rest[:1], firsts), (rest[-1:], lasts)):
            if k and not (
                _structural(lines[k[0]]) or _trailing_amounts(lines[k[0]]) or UNIT_LINE.match(lines[k[0]].text)
                or header_piece_line(lines[k[0]]) or (group is lasts and _goes_on_from_above(lines, k[0]))
            ):
                group.setdefault(_DIGITS.sub("#", lines[k[0]].text), []).append(k[0])
    if paged:
        need = max(2, (len(pages) + 1) // 2)
        for group in (firsts, lasts):
            for key, idx in group.items():
                if len(idx) >= need and 4 <= len(squash(key)) and len(key) <= settings.furniture_chars:
                    drop.update(idx)
    # A page header alone at the top of the first page: flush right (it starts past the
    # middle of the page and ends at its right edge), a blank line under it.
    first = next((i for i, ln in enumerate(lines) if not ln.blank), None)
    if first is not None and first not in drop and first + 1 < len(lines) and lines[first + 1].blank:
        width = max((ln.words[-1].d1 for ln in lines if ln.words and ln.page == lines[first].page), default=0)
        ln = lines[first]
        if ln.words[0].d0 > width / 2 and ln.words[-1].d1 >= settings.flush_right * width and len(squash(ln.text)) <= settings.page_header_chars:
            drop.add(first)
    # Without form feeds: `- n -` lines anywhere, and a line repeated after them.
    for i, ln in enumerate(lines):
        if not ln.blank and DASHED_PAGE_NUMBER.match(ln.text):
            drop.add(i)
    if not paged:
        after: dict[str, list[int]] = {}
        tops = [i for i in drop] + [-1]
        for i in tops:
            k = i + 1
            while k < len(lines) and lines[k].blank:
                k += 1
            if k < len(lines) and k not in drop:
                after.setdefault(lines[k].text, []).append(k)
        counts: dict[str, int] = {}
        for ln in lines:
            if not ln.blank:
                counts[ln.text] = counts.get(ln.text, 0) + 1
        for text, idx in after.items():
            if counts.get(text, 0) >= 2 and len(idx) >= 2 and len(text) <= settings.furniture_chars:
                drop.update(idx)
    return drop


def _goes_on_from_above(lines: list[_Line], k: int) -> bool:
    """Line k stands right under the line above (no blank between) and under one of its
    words: a cell's text going on (`민간경상` / `사업보조` at a page's foot, as a table's
    rows may end page after page), not a running footer set apart below the content."""
    if k == 0 or lines[k - 1].blank or lines[k - 1].page != lines[k].page:
        return False
    return any(w.c0 < v.c1 and v.c0 < w.c1 for w in lines[k].words for v in lines[k - 1].words)


# ---------------------------------------------------------------- finding tables


def _header_terms(words: list[_Word]) -> int:
    return header_terms([Word(w.text, w.c0, w.c1) for w in words])


_is_amount = is_amount


def _bodyish(ln: _Line) -> bool:
    """A line that prints figures or a 통계목 code: a table's body, not its header."""
    return sum(1 for w in ln.words if _is_amount(w.text) and not DASH.match(w.text)) >= 1 and _trailing_amounts(ln) >= 2 or any(
        CODE_BEGUN.match(w.text) for w in ln.words
    )


def _trailing_amounts(ln: _Line) -> int:
    n = 0
    for w in reversed(ln.words):
        if not _is_amount(w.text):
            break
        n += 1
    return n


def _structural(ln: _Line) -> bool:
    """A line that opens document structure (a section, an item, a bullet of prose): a
    table never goes on past one."""
    s = ln.text
    if not s:
        return False
    if ROMAN_LINE.match(s) or s[0] in "□■◆◇○●◎◦ㅇ※⇒➡" or SECTION_WORDS.match(squash(s)):
        return True
    if s[0] in "-–•" and len(s) > 1 and not all(_is_amount(w.text) for w in ln.words):
        return True
    if ITEM_NUMERAL.match(s) and ln.words[0].c0 <= 2:
        return True  # an item's numeral alone at the margin (`5.`, `(2)`), not a figure's piece
    longest = max((len(c) for c in chunks(ln.spans("char"))), default=0)
    return longest >= 6


@dataclass
class _Region:
    header: list[int]  # line indices of the first header
    body: list[int]  # line indices after it (repeated headers included), furniture excluded
    end: int  # index after the region


def _find_regions(lines: list[_Line], furniture: set[int], settings: LayoutSettings) -> list[_Region]:
    regions = []
    i = 0
    n = len(lines)
    while i < n:
        ln = lines[i]
        if i in furniture or ln.blank or "  " not in ln.raw.strip() or _header_terms(ln.words) < 3 or _bodyish(ln):
            i += 1
            continue
        header = [i]
        # Header lines above: header words or the pieces of them a wrap left (`예산과목`
        # alone on its line, `예산` / `현액` stacked over the line naming most columns).
        k = i - 1
        while k >= 0 and not lines[k].blank and k not in furniture and lines[k].page == ln.page and header_piece_line(lines[k]):
            header.insert(0, k)
            k -= 1
        # A header the page cut: its first lines at the foot of the page before.
        while k >= 0 and (k in furniture or lines[k].blank) and lines[k].page >= ln.page - 1:
            k -= 1
        if k >= 0 and lines[k].page == ln.page - 1 and all(lines[x].page == ln.page or x in furniture or lines[x].blank for x in range(k + 1, header[0])):
            while k >= 0 and not lines[k].blank and k not in furniture and lines[k].page == ln.page - 1 and header_piece_line(lines[k]):
                header.insert(0, k)
                k -= 1
        j = i + 1
        while j < n and len(header) < settings.header_lines:
            if j in furniture or lines[j].blank:
                j += 1
                continue
            if _bodyish(lines[j]) or _structural(lines[j]) or not header_piece_line(lines[j]):
                break  # the header's own words only (over a page break too)
            header.append(j)
            j += 1
        body: list[int] = []
        blanks = 0
        total_at = None  # the total row's line: only its figures' wrapped pieces follow it
        page_top = False  # no line of the table yet on this page (but the header's)
        page = lines[header[-1]].page
        while j < n:
            cur = lines[j]
            if j in furniture:
                j += 1
                continue
            if cur.page != page:
                if total_at is not None and not _cut(lines[body[-1]]) and not _pieces_open_page(lines, j, furniture):
                    break
                page, blanks, page_top = cur.page, 0, True
            if cur.blank:
                blanks += 1
                j += 1
                continue
            if _structural(cur):
                break
            if total_at is not None and (
                (blanks and not page_top)  # (a blank under the page's running header is no gap)
                or not all(_is_amount(w.text) for w in cur.words)
                or (cur.page == lines[total_at].page and cur.words[0].c0 < _first_figure(lines[total_at]) - 2)
            ):
                break
            if blanks >= 2 and _trailing_amounts(cur) == 0 and body and not header_piece_line(lines[body[-1]]):
                break  # text after a gap (not after a header repeated over a row the page cut)
            blanks, page_top = 0, False
            body.append(j)
            texts = [w.text for w in cur.words if not _is_amount(w.text)]
            if total_at is None and texts and is_total_label(" ".join(texts)) and _trailing_amounts(cur) >= 2:
                total_at = j
            j += 1
        prev = regions[-1] if regions else None
        if prev is not None and all(k in furniture or lines[k].blank for k in range(prev.end, header[0])):
            # The same table going on after a page break, its header repeated.
            prev.body += header + body
            prev.end = j
        else:
            regions.append(_Region(header, body, j))
        i = j
    return regions


def _cut(ln: _Line) -> bool:
    """The line prints a figure that a wrap cut (`2,550,`, `43,82`): its rest follows, over
    a page break if one comes between."""
    return any(_is_amount(w.text) and not FIGURE_WHOLE.match(w.text) for w in ln.words)


def _pieces_open_page(lines: list, j: int, furniture) -> bool:
    """The page starting at line j opens (after its running header and blanks) with a line
    of figure pieces alone: the rest of figures the page cut that looked whole (`3,376.7` /
    `2`, `1` / `5.` / `51` in a table of decimals)."""
    page = lines[j].page
    for k in range(j, len(lines)):
        ln = lines[k]
        if ln.page != page:
            return False
        if k in furniture or ln.blank:
            continue
        return bool(ln.words) and all(_is_amount(w.text) for w in ln.words)
    return False


def _first_figure(ln: _Line) -> int:
    """Where the line's first figure starts (characters)."""
    return next((w.c0 for w in ln.words if _is_amount(w.text)), 0)


def _band_spread(regions_lines, n_money: int, metric: str) -> float:
    spread = 0.0
    for body in regions_lines:
        ends: list[list[int]] = [[] for _ in range(n_money)]
        for ln in body:
            if _trailing_amounts(ln) >= n_money:
                for k, w in enumerate(ln.words[len(ln.words) - n_money :]):
                    ends[k].append(w.span(metric)[1])
        for e in ends:
            if len(e) > 1:
                m = median(e)
                spread += sum(abs(v - m) for v in e)
    return spread


# ---------------------------------------------------------------- text that lost its layout
def _lost_tables(lines: list[_Line], skip: set[int]) -> set[int]:
    """`pdftotext` without -layout: the table's header words stand one to a line, and its
    columns follow as blocks of their own. Returns the indices of every line that belongs
    to such a table: from its first header word to the last figure block, and figures
    stranded later (after the next item's text)."""
    def single(i):
        ln = lines[i]
        return len(chunks(ln.spans("char"))) == 1

    lost: set[int] = set()
    n = len(lines)
    i = 0
    while i < n:
        if i in skip or lines[i].blank or not single(i) or not is_header_term(lines[i].text):
            i += 1
            continue
        # Header words one to a line within the next few lines.
        window = [k for k in range(i, min(n, i + 40)) if k not in skip and not lines[k].blank]
        terms = {squash(lines[k].text) for k in window if single(k) and is_header_term(lines[k].text)}
        if len(terms) < 3:
            i += 1
            continue
        k = i
        last = i
        while k < n:
            if k in skip or lines[k].blank:
                k += 1
                continue
            ln = lines[k]
            if _structural(ln) and not _is_debris(ln):
                break
            if ln.text in ("-", "−") and not _next_is_cell(lines, k, skip):
                break  # a bullet alone on its line, its text on the next
            if _is_debris(ln) or (single(k) and _cell_sized(ln)):
                last = k
                k += 1
                continue
            break
        lost.update(j for j in range(i, last + 1) if j not in skip and not lines[j].blank)
        i = last + 1
    if lost:
        # Figures stranded after the next item's text.
        for k, ln in enumerate(lines):
            if k in skip or k in lost or ln.blank:
                continue
            if all(FIGURE_PIECE.match(w.text) for w in ln.words) and not LONE_BULLET.match(ln.text):
                lost.add(k)
            elif ln.text in ("-", "−") and _next_is_lost(lines, k, lost, skip):
                lost.add(k)
    return lost


def _stranded_rows(lines: list[_Line], prose_idx: list[int], regions: list[_Region]) -> dict[int, list[int]]:
    """Rule `table_rows_stranded`: lines outside every table that print three figures or
    more (or a budget code and two), after a table with nothing structural between (a
    section, an item, a bullet, a note `※`): rows of that table its region did not take in
    (a code may wrap, `100-206` / `-01 재료`, leaving its figures' line without one). Read without
    them the table would lose budget lines, so it is set aside. {first header line of the
    table: the stranded lines}."""
    out: dict[int, list[int]] = {}
    prose = set(prose_idx)
    in_tables = {i for r in regions for i in r.header + r.body}
    for r in regions:
        for k in range(r.end, len(lines)):
            if k in in_tables:
                break  # the next table
            ln = lines[k]
            if k not in prose or ln.blank:
                continue  # page furniture, a blank
            coded = any(CODE_BEGUN.match(w.text) or CODE_GOES_ON.match(w.text) for w in ln.words)
            figures = sum(1 for w in ln.words if _is_amount(w.text) and not DASH.match(w.text))
            if figures >= 3 or (coded and figures >= 2):
                out.setdefault(r.header[0], []).append(k)
            elif _structural(ln) and not coded:
                break
    return out


def _cell_sized(ln: _Line) -> bool:
    """Short enough to be one line of a table cell (prose lines run longer)."""
    return len(ln.text) <= 12 and len(ln.words) <= 3


def _next_is_cell(lines, k, skip) -> bool:
    j = k + 1
    while j < len(lines) and (lines[j].blank or j in skip):
        j += 1
    return j < len(lines) and (_is_debris(lines[j]) or _cell_sized(lines[j]))


def _next_is_lost(lines, k, lost, skip) -> bool:
    j = k + 1
    while j < len(lines) and (lines[j].blank or j in skip):
        j += 1
    return j >= len(lines) or j in lost or all(FIGURE_PIECE.match(w.text) for w in lines[j].words)


def _is_debris(ln: _Line) -> bool:
    """A line a dissolved table leaves: a figure or its wrapped piece, a code, a header word."""
    s = ln.text
    return all(_is_amount(w.text) or CODE_BEGUN.match(w.text) for w in ln.words) or is_header_term(s) or bool(HEADER_FRAGMENT.match(squash(s)) and len(s) <= 6)


# ---------------------------------------------------------------- paragraphs

def _prose(lines: list[_Line], idx: list[int], furniture: set[int], tables: list[list[int]], settings: LayoutSettings) -> list[Paragraph]:
    """Lines outside tables → paragraphs. A bullet alone on its line joins the text after
    it; a line that wrapped is joined back: its successor follows it directly (nothing but
    page furniture between), is not indented less, opens no bullet, heading or section,
    and its first word would not have fitted in the room the right margin left (the
    margin: where the document's longest left-aligned line ends, or where its narrowest
    table's widest line ends (a table spans the text's width: a report of short lines
    shows its margin there), or `settings.narrowest_page` if that is less)."""
    out: list[tuple[_Line, str, float]] = []  # (first line, text, right end of its last line)
    ends = {i: _right_end(lines[i]) for i in idx}
    widest = [max((_right_end(lines[i]) for i in t if lines[i].words), default=0.0) for t in tables]
    right = max([ends[i] for i in idx if lines[i].words[0].d0 <= 8] + [min(widest, default=0.0), settings.narrowest_page])
    pending_bullet: Optional[_Line] = None
    prev_i = None
    for i in idx:
        ln = lines[i]
        text = ln.text
        if LONE_BULLET.match(text):
            pending_bullet = pending_bullet or ln
            prev_i = None
            continue
        if pending_bullet is not None:
            out.append((pending_bullet, f"{pending_bullet.text} {text}", ends[i]))
            pending_bullet = None
            prev_i = i
            continue
        follows = prev_i is not None and all(k in furniture or (lines[k].blank and lines[k].page != ln.page) for k in range(prev_i + 1, i))
        if out and follows and _continues(out[-1], lines[prev_i], ln, right, settings):
            first, t, _ = out[-1]
            out[-1] = (first, f"{t} {text}", ends[i])
        else:
            out.append((ln, text, ends[i]))
        prev_i = i
    if pending_bullet is not None:
        out.append((pending_bullet, pending_bullet.text, 0))
    return [Paragraph(text, Loc(page=first.page, line=first.no)) for first, text, _ in out]


def _right_end(ln: _Line) -> float:
    """Where a line ends on the page, in ems: its indentation (a column is half an em) and
    its printed width."""
    return ln.words[0].d0 / 2 + printed_width(ln.raw.strip()) if ln.words else 0.0


def _continues(prev, prev_line: _Line, ln: _Line, right: float, settings: LayoutSettings) -> bool:
    text = ln.text
    if text[0] in OPENERS or NUMBERED.match(text) or ROMAN_LINE.match(text) or SECTION_WORDS.match(squash(text)):
        return False
    if ln.words[0].d0 < prev_line.words[0].d0 - 2:
        return False  # indented less: a line of its own after a centred or indented one
    head = prev[1]
    if ROMAN_LINE.match(head) or SECTION_WORDS.match(squash(head)) or head[0] in "□■○●◎◦ㅇ" and len(head) < 30:
        return False
    # A bullet's text is indented in the PDF; text that kept no indentation (plain
    # pdftotext) makes its lines look up to a bullet's hanging indent shorter.
    slack = settings.bullet_slack if head[0] in "-–•·※" and prev_line.words[0].d0 == 0 else settings.line_slack
    return prev[2] + SPACE_WIDTH[TYPICAL] + printed_width(ln.words[0].text) > right - slack


# ---------------------------------------------------------------- the reader
def read_layout(text: str, settings: ReadingSettings = DEFAULT_SETTINGS) -> list[Block]:
    lines = split_lines(text)
    furniture = _furniture(lines, settings.layout)
    regions = _find_regions(lines, furniture, settings.layout)
    in_tables = {i for r in regions for i in r.header + r.body}
    lost = _lost_tables(lines, furniture | in_tables)
    prose_idx = [i for i, ln in enumerate(lines) if not ln.blank and i not in furniture and i not in in_tables and i not in lost]
    paged = any(ln.page > 1 for ln in lines)
    # The measure: characters (as pdftotext and pdfplumber place text), or display width
    # (Hangul two columns, as a monospace viewer shows it) when that lines the figures up
    # clearly better.
    bodies = [[lines[i] for i in r.body] for r in regions]
    metric = "char"
    if bodies and _band_spread(bodies, 4, "display") < settings.layout.display_spread_ratio * _band_spread(bodies, 4, "char"):
        metric = "display"
    set_aside: dict[int, str] = {}
    placed: list[Placed] = []
    stranded = _stranded_rows(lines, prose_idx, regions)
    for region in regions:
        if region.header[0] in stranded:
            k = stranded[region.header[0]]
            why = not_rebuilt(f"line {lines[k[0]].no}: a row of the table (a budget code and figures) left outside it")
            for i in region.header + region.body + k:
                set_aside[i] = why
            continue
        try:
            placed.append(place(lines, region.header, region.body, metric, settings.layout))
        except Unbuildable as e:
            for i in region.header + region.body:
                set_aside[i] = not_rebuilt(str(e))
    # A column's widest line, pooled over the document's tables of one template (a report
    # sets its tables alike): more evidence of how wide a cell is than one table gives.
    # Only the tables that are rebuilt count (a table set aside may have taken in lines
    # that are not its own), so the widths are pooled again when one is set aside.
    while True:
        widths: dict = {}
        for p in placed:
            for shape, w in column_widths(p).items():
                widths[shape] = max(widths.get(shape, 0.0), w)
        tables: dict[int, Table] = {}
        built: list[BuiltTable] = []
        kept: list[Placed] = []
        failed = []
        for p in placed:
            try:
                b = build_table(p, widths, len(tables) + 1)
            except Unbuildable as e:
                failed.append(p)
                for i in p.header_idx + p.body_idx:
                    set_aside[i] = not_rebuilt(str(e))
                continue
            tables[p.header_idx[0]] = b.table
            built.append(b)
            kept.append(p)
        if not failed:
            break
        placed = kept
    for i in lost:
        set_aside[i] = LAYOUT_LOST
    prose_idx = [i for i in prose_idx if i not in set_aside]
    paragraphs = _prose(lines, prose_idx, furniture, [r.header + r.body for r in regions], settings.layout)
    blocks: list[tuple[int, Block]] = [(start, table) for start, table in tables.items()]
    blocks += [(p.loc.line - 1, p) for p in paragraphs]
    for i, why in set_aside.items():
        ln = lines[i]
        blocks.append((i, Paragraph(ln.text, Loc(page=ln.page, line=ln.no), set_aside=why)))
    blocks.sort(key=lambda b: b[0])
    out = [b for _, b in blocks]
    if not paged:
        for b in out:
            _strip_page(b)
    decide_breaks(built, paragraphs, settings)
    return out


def _strip_page(block: Block) -> None:
    """Text without form feeds has one page: its locations name lines only."""
    if isinstance(block, Paragraph):
        block.loc = Loc(line=block.loc.line)
    else:
        block.loc = Loc(line=block.loc.line, cell=block.loc.cell)
        for row in block.rows:
            for c in row:
                c.loc = Loc(line=c.loc.line, cell=c.loc.cell)
