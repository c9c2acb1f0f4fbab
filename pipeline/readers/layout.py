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
and, in text without form feeds, `- n -` lines and the line after one that repeats.

Tables are found by their header words (부서명, 정책사업, 예산과목, 예산현액, 감, 증, 전용 후 …)
and rebuilt one page at a time, because a converter packs each page's columns afresh:
  * columns are measured in characters (pdftotext, pdfplumber) or in display width
    (Hangul two columns wide, as a monospace viewer shows it), whichever lines the figures
    up better;
  * the header gives the columns: wrapped header fragments stacked in one column form one
    cell (`예산현` / `액(`); a word over several of them (`예산과목`, `증감내역`) is a spanning
    cell; the figure columns are where the body prints its figures (right edges);
  * a page of the table without a header of its own is laid out by its own gaps between
    columns, or by the previous page's columns shifted onto its figure columns;
  * a row starts at a line printing figures (cells are top-aligned); the lines below it,
    up to the next such line, are the wrapped remainder of its cells, and of cells merged
    downward from above (a fragment on a row's first line continues the cell above only
    when it completes a word broken by the wrap);
  * a line break inside a cell becomes nothing or a space by `wrap_separator`.
When a table cannot be rebuilt with confidence (no row prints every figure column, the
header has no figure columns, cells not top-aligned, a page with nothing to place its
columns by) or when the text has lost the table's layout altogether (`pdftotext` without
`-layout` prints each column as a block of its own, figures after the next item's text),
its lines are set aside with the reason (`Paragraph.set_aside`), never guessed at.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from statistics import median
from typing import Optional

import regex as re

from ..ir import Block, Cell, Loc, Paragraph, Table
from ..parse.budget import column_role, is_total_label
from ..textutil import collapse, squash

LAYOUT_LOST = "table layout lost in conversion: convert with `pdftotext -layout` or read the PDF itself"
NOT_REBUILT = "table layout not rebuilt with confidence"
DOUBTFUL_JOIN = "line break inside a table cell read as splitting a word"


def not_rebuilt(why: str) -> str:
    return f"{NOT_REBUILT} ({why}): read the PDF itself"


# Header words that group columns: they name no column of their own.
_GROUPS = {"예산과목", "과목", "증감내역", "증감", "증감액", "전용내역", "예산과목명"}
# Header fragments left by a wrap, which name nothing alone but belong to a header.
_HEADER_FRAGMENTS = re.compile(r"^(예산|예산현|현액|액|단위|천원|백만원|원|전용|후|\(|\))")
_AMOUNT = re.compile(r"^[△▲\-−]?[\d,.]*\d[\d,.]*$|^[-−–—]$")
_COMPLETE = re.compile(r"^[△▲\-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$|^[-−–—]$")
_STAT_CODE = re.compile(r"^\d{2,3}-\d")
_NUMERIC = re.compile(r"^[△▲]?[\d,.\-]*\d[\d,.\-]*$")
# A figure or the piece of one a wrap left, as a dissolved table strands them on lines of their own.
_FIGURE_PIECE = re.compile(r"^[△▲]?\d{1,3}(?:,\d{1,3})*,?$|^[△▲]?\d+\.\d+$|^[-−]$")
_DASHED_NUMBER = re.compile(r"^[-–—‐]\s*\d{1,4}\s*[-–—‐]$")
_BARE_NUMBER = re.compile(r"^(?:(?:page|p\.)\s*)?(\d{1,4})(?:\s*(?:/|of)\s*\d{1,4})?(?:\s*쪽)?$", re.I)
_ROMAN_LINE = re.compile(r"^(?:[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ]|[IVX]{1,4})(?:[\s.．)]|$)")
_OPENERS = set("□■◆◇○●◎◦ㅇ-–•·※⇒➡▶▷ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ〈<「『【")
_LONE_BULLET = re.compile(r"^[-–•·○●◦ㅇ□■※]$")
_NUMBERED = re.compile(r"^(?:\(?\d{1,2}[.)]|[①-⑳])\s")
_SECTION_WORDS = re.compile(r"^[□■◆◇]?(사업개요|전용개요|전용사유|예산현황|예산전용현황|사유)$")
_OPENING = "([{〈《「『“‘【〔"
# Words one of which every budget-table header prints (a cheap test before a closer look).
_HEADER_HINTS = ("부서", "사업", "예산", "통계목", "감", "증")


# ---------------------------------------------------------------- widths
@lru_cache(maxsize=4096)
def _east_asian_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _display(ch: str) -> int:
    """Columns a monospace viewer gives the character (Hangul and CJK two)."""
    o = ord(ch)
    if o < 0x1100:
        return 1
    if 0xAC00 <= o <= 0xD7A3:
        return 2
    return 2 if _east_asian_wide(ch) else 1


def _display_width(s: str) -> int:
    return sum(map(_display, s))


@lru_cache(maxsize=65536)
def printed_width(s: str) -> float:
    """Estimated printed width in ems, for comparing the lines of one cell: Hangul and CJK
    are one em, digits and Latin letters a little over half, spaces and light punctuation
    about a third (the proportions of the Korean fonts reports are set in)."""
    w = 0.0
    for ch in s:
        if _display(ch) == 2:
            w += 1.0
        elif ch.isdigit():
            w += 0.57
        elif ch.isalpha():
            w += 0.6
        elif ch in " ,.:;'·":
            w += 0.3
        else:
            w += 0.4
    return w


# ---------------------------------------------------------------- line breaks in a cell
_TOKEN = re.compile(r"[\p{L}\p{N}](?:[\p{L}\p{N}·\-]*[\p{L}\p{N}])?")


class Vocabulary:
    """The document's own words (its prose), to decide line breaks width cannot decide."""

    def __init__(self, texts):
        self.words: set[str] = set()
        self._joined: list[str] = []
        for t in texts:
            for tok in _TOKEN.findall(t):
                self.words.add(tok)
                self._joined.append(tok)
        self._all = "\n".join(self._joined)

    def has_word(self, w: str) -> bool:
        return w in self.words

    def has_inside(self, s: str) -> bool:
        """s occurs inside one of the document's words."""
        return s in self._all and any(s in tok for tok in self._joined if len(tok) >= len(s))


def _kind(ch: str) -> str:
    if ch.isdigit() or ch in ",.'":
        return "num"
    if "\uac00" <= ch <= "\ud7a3" or "\u3131" <= ch <= "\u318e":
        return "hangul"
    if ch.isalpha():
        return "latin"
    return "other"


def wrap_separator(before: str, after: str, width: Optional[float], vocabulary: Optional[Vocabulary]) -> tuple[str, bool]:
    """What a line break inside a cell stands for, and whether evidence decided it.

    The rule of the PDF reader (layout engines wrap at spaces and break inside a word only
    when the word alone is wider than the line), with what text still shows:
      * after an opening bracket, and where the break splits a number (a digit, `,` or `.`
        before it, a digit after it): nothing;
      * a line of several words, or scripts that differ either side: a space;
      * a single word that stopped short of the column's width (`width`: the widest line
        the column prints, in ems, `printed_width`) with room for the next character: a
        space (it broke at a space);
      * otherwise width cannot tell (the word may fill its cell, or the cell be wider than
        anything printed in it): the document's own words decide — the joined word
        printed in its prose means nothing; the next word printed there on its own (two
        syllables or more) and the joined word nowhere means a space; a single syllable
        after a full line means nothing (names have no one-syllable words);
      * failing all evidence, nothing, as the PDF reader joins a word that fills its line.
    A line of several words that fills its column ends in a broken word only when that
    word alone is wider than the cell (`01 사무관`/`리비`); it is joined when the document
    prints the whole word, and broken at a space otherwise.
    Returns (separator, decided_by_evidence)."""
    if not before or not after:
        return " ", True
    if before[-1] in _OPENING:
        return "", True
    a_last = before.split()[-1]
    b_first = after.split()[0]
    if (before[-1].isdigit() or before[-1] in ",.-") and after[0].isdigit() and _NUMERIC.match(a_last):
        return "", True  # `355,00`/`0`, `130-201-`/`01`
    ka, kb = _kind(before[-1]), _kind(after[0])
    if ka != kb or ka == "other":
        return " ", True
    if width is not None and printed_width(before) + printed_width(after[0]) <= width + 0.05:
        return " ", True
    joined = a_last + b_first
    if " " in before.strip():
        # A full line of several words ends in a broken word only when that word is wider
        # than the cell (`01 사무관`/`리비`): the document must print the whole word.
        if vocabulary is not None and vocabulary.has_word(joined):
            return "", True
        return " ", True
    if vocabulary is not None:
        if vocabulary.has_word(joined) or (len(joined) >= 4 and vocabulary.has_inside(joined)):
            return "", True
        if not vocabulary.has_inside(joined) and any(len(w) >= 2 and vocabulary.has_word(w) for w in (a_last, b_first)):
            return " ", True
    if len(b_first) == 1 and kb == "hangul":
        return "", True
    return "", False


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

    @property
    def text(self) -> str:
        return collapse(self.raw)

    @property
    def blank(self) -> bool:
        return not self.raw.strip()


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
        w = len(text) if text.isascii() else _display_width(text)
        out.append(_Word(text, s, e, disp, disp + w))
        disp += w
        last = e
    return out


def _chunks(words: list[_Word]) -> list[list[_Word]]:
    """Words a single space apart belong together (one cell's words); two or more spaces
    separate columns."""
    out: list[list[_Word]] = []
    for w in words:
        if out and w.c0 - out[-1][-1].c1 <= 1:
            out[-1].append(w)
        else:
            out.append([w])
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
        if _DASHED_NUMBER.match(s):
            return True
        if "  " in s and any(w in s for w in _HEADER_HINTS) and _header_terms(_words(raw)) >= 3:
            return True
    return False


# ---------------------------------------------------------------- page furniture
def _furniture(lines: list[_Line]) -> set[int]:
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
            m = _BARE_NUMBER.match(s)
            if _DASHED_NUMBER.match(s) or (m and paged and int(m.group(1)) == p):
                drop.add(k)
        rest = [k for k in idx if k not in drop and not _structural(lines[k]) and not _trailing_amounts(lines[k])]
        if rest:
            firsts.setdefault(_DIGITS.sub("#", lines[rest[0]].text), []).append(rest[0])
            lasts.setdefault(_DIGITS.sub("#", lines[rest[-1]].text), []).append(rest[-1])
    if paged:
        need = max(2, (len(pages) + 1) // 2)
        for group in (firsts, lasts):
            for key, idx in group.items():
                if len(idx) >= need and len(key) <= 60:
                    drop.update(idx)
    # Without form feeds: `- n -` lines anywhere, and a line repeated after them.
    for i, ln in enumerate(lines):
        if not ln.blank and _DASHED_NUMBER.match(ln.text):
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
            if counts.get(text, 0) >= 2 and len(idx) >= 2 and len(text) <= 60:
                drop.update(idx)
    return drop


# ---------------------------------------------------------------- finding tables
def _is_header_term(text: str) -> bool:
    """A header cell's words (short: `세부사업 변경 및 …` in prose names no column)."""
    t = squash(text)
    return 0 < len(t) <= 12 and len(text.split()) <= 3 and (column_role(t) is not None or t in _GROUPS)


def _header_terms(words: list[_Word]) -> int:
    n = 0
    for chunk in _chunks(words):
        text = " ".join(w.text for w in chunk)
        if _is_header_term(text):
            n += 1
        elif len(chunk) > 1:
            n += sum(1 for w in chunk if _is_header_term(w.text))
    return n


def _is_amount(w: str) -> bool:
    return bool(_AMOUNT.match(w))


def _bodyish(ln: _Line) -> bool:
    """A line that prints figures or a 통계목 code: a table's body, not its header."""
    return sum(1 for w in ln.words if _is_amount(w.text) and w.text not in "-−–—") >= 1 and _trailing_amounts(ln) >= 2 or any(
        _STAT_CODE.match(w.text) for w in ln.words
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
    if _ROMAN_LINE.match(s) or s[0] in "□■◆◇○●◎◦ㅇ※⇒➡" or _SECTION_WORDS.match(squash(s)):
        return True
    if s[0] in "-–•" and len(s) > 1 and not all(_is_amount(w.text) for w in ln.words):
        return True
    longest = max((len(c) for c in _chunks(ln.words)), default=0)
    return longest >= 6


def _total_row(ln: _Line, metric: str, first_money_x: int) -> bool:
    text = " ".join(w.text for w in ln.words if w.span(metric)[1] <= first_money_x and not _is_amount(w.text))
    return bool(text) and is_total_label(text)


@dataclass
class _Region:
    header: list[int]  # line indices of the first header
    body: list[int]  # line indices after it (repeated headers included), furniture excluded
    end: int  # index after the region


def _find_regions(lines: list[_Line], furniture: set[int]) -> list[_Region]:
    regions = []
    i = 0
    n = len(lines)
    while i < n:
        ln = lines[i]
        if i in furniture or ln.blank or "  " not in ln.raw.strip() or _header_terms(ln.words) < 3 or _bodyish(ln):
            i += 1
            continue
        header = [i]
        # A header line above made of header words only (`예산과목` alone on its line).
        k = i - 1
        while k >= 0 and not lines[k].blank and k not in furniture and lines[k].page == ln.page and all(
            _is_header_term(" ".join(w.text for w in c)) for c in _chunks(lines[k].words)
        ):
            header.insert(0, k)
            k -= 1
        j = i + 1
        while j < n and len(header) < 8:
            if j in furniture or lines[j].blank:
                j += 1
                continue
            if lines[j].page != ln.page or _bodyish(lines[j]) or _structural(lines[j]):
                break
            header.append(j)
            j += 1
        body: list[int] = []
        blanks = 0
        seen_total = False
        page = lines[header[-1]].page
        while j < n:
            cur = lines[j]
            if j in furniture:
                j += 1
                continue
            if cur.page != page:
                page, blanks = cur.page, 0
            if cur.blank:
                blanks += 1
                j += 1
                continue
            if _structural(cur):
                break
            if seen_total and (blanks or not all(_is_amount(w.text) for w in cur.words)):
                break
            if blanks >= 2 and _trailing_amounts(cur) == 0 and not body:
                pass
            elif blanks >= 2 and _trailing_amounts(cur) == 0:
                break
            blanks = 0
            body.append(j)
            texts = [w.text for w in cur.words if not _is_amount(w.text)]
            if texts and is_total_label(" ".join(texts)) and _trailing_amounts(cur) >= 2:
                seen_total = True
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


# ---------------------------------------------------------------- the header
@dataclass
class _Leaf:
    texts: list  # (line no, text) top to bottom
    x0: float
    x1: float
    top: int  # index of its first header line
    role: Optional[str] = None
    text: str = ""

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class _Parent:
    text: str
    first: int  # leaf indices covered
    last: int


def _header_model(lines: list[_Line], metric: str):
    """Header lines → (leaves left to right, parents) or None."""
    chunks = []  # (line index in header, x0, x1, text)
    for h, ln in enumerate(lines):
        for c in _chunks(ln.words):
            text = " ".join(w.text for w in c)
            if len(c) > 1 and not _is_header_term(text) and all(_is_header_term(w.text) for w in c):
                for w in c:
                    x0, x1 = w.span(metric)
                    chunks.append((h, x0, x1, w.text))
            else:
                x0 = c[0].span(metric)[0]
                x1 = c[-1].span(metric)[1]
                chunks.append((h, x0, x1, text))
    parents_raw = []
    leaves_raw = []
    for ch in chunks:
        h, x0, x1, text = ch
        below = [o for o in chunks if o[0] > h and o[1] < x1 + 1 and o[2] > x0 - 1]
        by_line: dict[int, int] = {}
        for o in below:
            by_line[o[0]] = by_line.get(o[0], 0) + 1
        if squash(text) in _GROUPS or (column_role(text) is None and any(v >= 2 for v in by_line.values())):
            parents_raw.append(ch)
        else:
            leaves_raw.append(ch)
    # Stack leaf fragments that overlap horizontally on different lines into one cell.
    stacks: list[list] = []
    for ch in sorted(leaves_raw, key=lambda c: (c[0], c[1])):
        home = None
        for st in stacks:
            if ch[0] > st[-1][0] and ch[1] < max(o[2] for o in st) and ch[2] > min(o[1] for o in st):
                if home is None or abs(_mid(st) - (ch[1] + ch[2]) / 2) < abs(_mid(home) - (ch[1] + ch[2]) / 2):
                    home = st
        if home is None:
            stacks.append([ch])
        else:
            home.append(ch)
    leaves = []
    for st in stacks:
        st.sort(key=lambda c: c[0])
        leaf = _Leaf([(lines[c[0]].no, c[3]) for c in st], min(c[1] for c in st), max(c[2] for c in st), st[0][0])
        text = leaf.texts[0][1]
        for (_, a), (_, t) in zip(leaf.texts, leaf.texts[1:]):
            text += wrap_separator(a, t, None, None)[0] + t
        leaf.text = collapse(text)
        leaf.role = column_role(leaf.text)
        leaves.append(leaf)
    leaves.sort(key=lambda lf: lf.center)
    parents = []
    for h, x0, x1, text in parents_raw:
        left = right = None
        for k, lf in enumerate(leaves):
            if lf.top <= h:
                if lf.center < x0:
                    left = k
                elif lf.center >= x1 and right is None:
                    right = k
        lo = 0 if left is None else left + 1
        hi = len(leaves) - 1 if right is None else right - 1
        covered = [k for k in range(lo, hi + 1) if leaves[k].top > h]
        if len(covered) >= 1:
            parents.append(_Parent(text, covered[0], covered[-1]))
    return leaves, parents


def _mid(stack) -> float:
    return (min(o[1] for o in stack) + max(o[2] for o in stack)) / 2


# ---------------------------------------------------------------- the body
class _Unbuildable(Exception):
    pass


@dataclass
class _Fragment:
    line: int  # index into lines
    text: str


def _money_bands(body: list[_Line], n_money: int, metric: str):
    """Each figure column's extent, from the lines that print all of them."""
    samples: list[list[tuple[int, int]]] = [[] for _ in range(n_money)]
    for ln in body:
        run = _trailing_amounts(ln)
        if run >= n_money:
            for k, w in enumerate(ln.words[len(ln.words) - n_money :]):
                samples[k].append(w.span(metric))
    if not samples[0]:
        return None
    return [(min(s[0] for s in ss), max(s[1] for s in ss)) for ss in samples]


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


def _text_chunks(ln: _Line, metric: str, limit: float) -> list[tuple[float, float, str]]:
    out = []
    for c in _chunks([w for w in ln.words if w.span(metric)[1] <= limit]):
        out.append((c[0].span(metric)[0], c[-1].span(metric)[1], " ".join(w.text for w in c)))
    return out


def _clusters(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[list[float]] = []
    for x0, x1 in sorted(spans):
        if out and x0 <= out[-1][1]:
            out[-1][1] = max(out[-1][1], x1)
        else:
            out.append([x0, x1])
    return [(a, b) for a, b in out]


def _assign(span: tuple[float, float], centers: list[float]) -> tuple[int, float]:
    """The column whose band (between the midpoints to its neighbours) holds most of span,
    and the share of span it holds."""
    x0, x1 = span
    best, best_overlap = 0, -1.0
    for k, c in enumerate(centers):
        lo = -1e9 if k == 0 else (centers[k - 1] + c) / 2
        hi = 1e9 if k == len(centers) - 1 else (c + centers[k + 1]) / 2
        overlap = min(x1, hi) - max(x0, lo)
        if overlap > best_overlap + 1e-9 or (abs(overlap - best_overlap) < 1e-9 and abs((x0 + x1) / 2 - c) < abs((x0 + x1) / 2 - centers[best])):
            best, best_overlap = k, overlap
    return best, max(best_overlap, 0.0) / max(x1 - x0, 1e-9)


class _TableBuilder:
    def __init__(self, lines, region: _Region, metric: str, table_no: int, vocabulary: Vocabulary):
        self.lines = lines
        self.region = region
        self.metric = metric
        self.table_no = table_no
        self.vocabulary = vocabulary

    def place(self) -> None:
        """Read the header, then place every body line's fragments in their columns, and
        measure each text column's widest line. Raises _Unbuildable."""
        lines, metric = self.lines, self.metric
        header_lines = [lines[i] for i in self.region.header]
        model = _header_model(header_lines, metric)
        leaves, parents = model
        roles = [lf.role for lf in leaves]
        money_roles = ("before", "decrease", "increase", "after")
        n_money = 0
        for r in reversed(roles):
            if r in money_roles:
                n_money += 1
            else:
                break
        if n_money < 2 or sum(1 for r in roles if r in money_roles) != n_money:
            raise _Unbuildable("the header names no figure columns at its right")
        n_text = len(leaves) - n_money
        if n_text < 1:
            raise _Unbuildable("the header names no text columns")
        self.leaves, self.parents, self.n_text, self.n_money = leaves, parents, n_text, n_money
        segments = self._segments()
        # Every body line → fragments per column.
        per_line: list[tuple[int, dict, bool]] = []  # (line index, {column: text}, total row)
        ref = None
        for seg in segments:
            ref = self._place_segment(seg, ref, per_line)
        self.per_line = per_line
        self.widths = self._widths(per_line)

    def shape(self, c: int):
        """What identifies text column c across the document's tables of one template."""
        return (len(self.leaves), self.leaves[c].role or self.leaves[c].text)

    def table(self, pooled_widths: dict) -> Table:
        """The grid, its wrapped cells joined with the widest line each column prints in any
        table of the same template. Raises _Unbuildable."""
        for c in range(self.n_text):
            self.widths[c] = max(self.widths.get(c, 0.0), pooled_widths.get(self.shape(c), 0.0))
        return self._grid(self.per_line)

    # -- segments: the table's lines one page at a time, each with its header lines if any
    def _segments(self):
        lines = self.lines
        segs: list[dict] = []
        head_page = lines[self.region.header[0]].page
        segs.append({"page": head_page, "header": [lines[i] for i in self.region.header], "body": []})
        for i in self.region.body:
            ln = lines[i]
            if ln.page != segs[-1]["page"]:
                segs.append({"page": ln.page, "header": [], "body": []})
            seg = segs[-1]
            # A header repeated on the new page: as many lines as the first one has.
            if not seg["body"] and not _bodyish(ln) and (
                (not seg["header"] and _header_terms(ln.words) >= 2)
                or 0 < len(seg["header"]) < len(self.region.header)
            ):
                seg["header"].append(ln)
                continue
            seg["body"].append((i, ln))
        return [s for s in segs if s["body"] or s["header"]]

    def _place_segment(self, seg, ref, per_line):
        metric, n_text, n_money = self.metric, self.n_text, self.n_money
        body = [ln for _, ln in seg["body"]]
        if not body:
            return ref
        bands = _money_bands(body, n_money, metric)
        if bands is None:
            if ref is None:
                raise _Unbuildable(f"no row on page {seg['page']} prints all {n_money} figure columns")
            raise _Unbuildable(f"page {seg['page']} holds only the end of a row, with no figure column to place it by")
        first_money = bands[0][0]
        if seg["header"]:
            leaves, _ = _header_model(seg["header"], metric)
            if len(leaves) != len(self.leaves):
                raise _Unbuildable(f"the header repeated on page {seg['page']} has other columns")
            centers = [lf.center for lf in leaves[:n_text]]
        else:
            spans = []
            for ln in body:
                if _total_row(ln, metric, first_money):
                    continue
                spans += [(x0, x1) for x0, x1, _ in _text_chunks(ln, metric, first_money)]
            groups = _clusters(spans)
            if len(groups) == n_text:
                centers = [(a + b) / 2 for a, b in groups]
            elif ref is not None:
                shift = median(b[1] - r[1] for b, r in zip(bands, ref["bands"]))
                centers = [c + shift for c in ref["centers"]]
                for a, b in groups:
                    d = sorted(abs((a + b) / 2 - c) for c in centers)
                    if len(d) > 1 and d[1] - d[0] < 1.0:
                        raise _Unbuildable(f"the columns on page {seg['page']} cannot be told apart")
            elif len(groups) < n_text and not any(not _total_row(ln, metric, first_money) for ln in body):
                centers = [0.0] * n_text  # a page with only the total row: its label is the row's
            else:
                raise _Unbuildable(f"page {seg['page']} shows {len(groups)} text columns where the header names {n_text}")
        for i, ln in seg["body"]:
            cells: dict[int, str] = {}
            total = _total_row(ln, metric, first_money)
            for x0, x1, text in _text_chunks(ln, metric, first_money):
                col, share = (0, 1.0) if total else _assign((x0, x1), centers)
                if share < 0.6 and " " in text:
                    raise _Unbuildable(f"line {ln.no}: the cells of a line run together ({text!r})")
                if col != n_text - 1 and any(_STAT_CODE.match(w) for w in text.split()):
                    raise _Unbuildable(f"line {ln.no}: a 통계목 code outside its column ({text!r})")
                cells[col] = (cells[col] + " " + text) if col in cells else text
            for w in ln.words:
                x0, x1 = w.span(metric)
                if x1 <= first_money:
                    continue
                best = max(range(n_money), key=lambda k: (min(x1, bands[k][1] + 1) - max(x0, bands[k][0] - 1), -abs(x1 - bands[k][1])))
                col = n_text + best
                cells[col] = (cells[col] + " " + w.text) if col in cells else w.text
            per_line.append((i, cells, total))
        return {"bands": bands, "centers": centers}

    def _widths(self, per_line) -> dict:
        widths: dict[int, float] = {}
        for _, cells, total in per_line:
            if total:
                continue
            for c, text in cells.items():
                if c < self.n_text:
                    widths[c] = max(widths.get(c, 0.0), printed_width(text))
        return widths

    # -- rows and cells
    def _grid(self, per_line) -> Table:
        lines, n_text, n_money = self.lines, self.n_text, self.n_money
        n_cols = n_text + n_money
        anchors: list[bool] = []
        prev: dict = {}
        for _, cells, total in per_line:
            money = {c: t for c, t in cells.items() if c >= n_text}
            if total:
                anchors.append(True)
            elif not money:
                anchors.append(False)
            else:
                cont = all(c in prev and not _COMPLETE.match(prev[c]) and _AMOUNT.match(t) and t[0].isdigit() for c, t in money.items())
                anchors.append(not cont)
            prev = cells
        if not anchors or not anchors[0]:
            raise _Unbuildable("the first row prints text above its figures (cells not top-aligned)")
        rows: list[dict] = []  # {"anchor": line index, "total": bool, "cells": {col: [start fragment idx]}}
        current: dict[int, dict] = {}  # column → {"row": r, "frags": [...], "last": k}
        cells_out: list[dict] = []
        for k, (i, cells, total) in enumerate(per_line):
            if anchors[k]:
                rows.append({"anchor": i, "total": total})
            r = len(rows) - 1
            for col in sorted(cells):
                text = cells[col]
                cur = current.get(col)
                width = self.widths.get(col) if col < n_text else None
                if cur is not None and not (rows[r]["total"] and cur["row"] != r):
                    last_text = cur["frags"][-1].text
                    if anchors[k]:
                        sep, sure = wrap_separator(last_text, text, width, self.vocabulary) if col < n_text else (" ", True)
                        if cur["last"] == k - 1 and cur["row"] < r and sep == "" and sure and not rows[r]["total"]:
                            cur["frags"].append(_Fragment(i, text))
                            cur["seps"].append(sep)
                            cur["last"] = k
                            continue
                    elif cur["row"] == r or cur["last"] == k - 1:
                        sep, sure = wrap_separator(last_text, text, width, self.vocabulary if col < n_text else None)
                        if not sure:
                            cur["doubts"].append(f"{last_text.split()[-1]}|{text.split()[0]}")
                        cur["frags"].append(_Fragment(i, text))
                        cur["seps"].append(sep)
                        cur["last"] = k
                        continue
                cur = {"row": r, "col": col, "frags": [_Fragment(i, text)], "seps": [], "last": k, "doubts": []}
                current[col] = cur
                cells_out.append(cur)
        self._check_figures(cells_out, rows)
        grid_rows = self._header_rows()
        n_head = len(grid_rows)
        body_rows: list[list[Cell]] = []
        for r, row in enumerate(rows):
            ln = lines[row["anchor"]]
            body_rows.append([Cell("", Loc(page=ln.page, line=ln.no, cell=(self.table_no, n_head + r + 1, c + 1))) for c in range(n_cols)])
        for cell in cells_out:
            text = cell["frags"][0].text
            for sep, frag in zip(cell["seps"], cell["frags"][1:]):
                text += sep + frag.text
            first = lines[cell["frags"][0].line]
            r, c = cell["row"], cell["col"]
            body_rows[r][c] = Cell(collapse(text), Loc(page=first.page, line=first.no, cell=(self.table_no, n_head + r + 1, c + 1)))
            if cell["doubts"]:
                body_rows[r][c].doubt = (
                    f"{DOUBTFUL_JOIN} ({', '.join(cell['doubts'])}): "
                    "the converted text cannot show whether a space stood there"
                )
        for r, row in enumerate(rows):
            if row["total"]:
                for c in range(1, n_text):
                    if not body_rows[r][c].text:
                        body_rows[r][c].merged = True
        first = lines[self.region.header[0]]
        return Table(grid_rows + body_rows, Loc(page=first.page, line=first.no, cell=(self.table_no, 1, 1)))

    def _check_figures(self, cells_out, rows) -> None:
        """Figures are read only when every one was rebuilt whole: one figure per cell, and
        none left cut by a wrap (`355,00` whose `0` went elsewhere)."""
        figures_in_row: dict[int, int] = {}
        for cell in cells_out:
            if cell["col"] >= self.n_text:
                figures_in_row[cell["row"]] = figures_in_row.get(cell["row"], 0) + 1
        for cell in cells_out:
            if cell["col"] < self.n_text:
                continue
            text = "".join(f.text for f in cell["frags"])
            line = self.lines[cell["frags"][0].line].no
            if len(cell["frags"]) > 1 and any(" " in f.text for f in cell["frags"]) or " " in cell["frags"][0].text:
                raise _Unbuildable(f"line {line}: more than one figure in a figure column")
            if not _AMOUNT.match(text):
                raise _Unbuildable(f"line {line}: {text!r} in a figure column")
            if text[-1] in ",." or (len(cell["frags"]) > 1 and not _COMPLETE.match(text)):
                raise _Unbuildable(f"line {line}: a figure cut by a wrap could not be rejoined ({text!r})")
            nxt = cell["row"] + 1
            if not _COMPLETE.match(text) and nxt < len(rows) and not rows[nxt]["total"]:
                if figures_in_row.get(nxt, 0) < self.n_money:
                    raise _Unbuildable(f"line {line}: a figure cut by a wrap could not be rejoined ({text!r})")

    def _header_rows(self) -> list[list[Cell]]:
        leaves, parents = self.leaves, self.parents
        lines = self.lines
        first = lines[self.region.header[0]]

        def loc(r, c, line_no):
            return Loc(page=first.page, line=line_no, cell=(self.table_no, r, c + 1))

        if not parents:
            return [[Cell(lf.text, loc(1, c, lf.texts[0][0])) for c, lf in enumerate(leaves)]]
        under = {}
        for p in parents:
            for k in range(p.first, p.last + 1):
                under[k] = p
        top, bottom = [], []
        for c, lf in enumerate(leaves):
            p = under.get(c)
            if p is None:
                top.append(Cell(lf.text, loc(1, c, lf.texts[0][0])))
                bottom.append(Cell("", loc(2, c, lf.texts[0][0]), merged=True))
            else:
                top.append(Cell(p.text if c == p.first else "", loc(1, c, first.no), merged=c != p.first))
                bottom.append(Cell(lf.text, loc(2, c, lf.texts[0][0])))
        return [top, bottom]


# ---------------------------------------------------------------- text that lost its layout
def _lost_tables(lines: list[_Line], skip: set[int]) -> set[int]:
    """`pdftotext` without -layout: the table's header words stand one to a line, and its
    columns follow as blocks of their own. Returns the indices of every line that belongs
    to such a table: from its first header word to the last figure block, and figures
    stranded later (after the next item's text)."""
    def single(i):
        ln = lines[i]
        return len(_chunks(ln.words)) == 1

    lost: set[int] = set()
    n = len(lines)
    i = 0
    while i < n:
        if i in skip or lines[i].blank or not single(i) or not _is_header_term(lines[i].text):
            i += 1
            continue
        # Header words one to a line within the next few lines.
        window = [k for k in range(i, min(n, i + 40)) if k not in skip and not lines[k].blank]
        terms = {squash(lines[k].text) for k in window if single(k) and _is_header_term(lines[k].text)}
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
            if all(_FIGURE_PIECE.match(w.text) for w in ln.words) and not _LONE_BULLET.match(ln.text):
                lost.add(k)
            elif ln.text in ("-", "−") and _next_is_lost(lines, k, lost, skip):
                lost.add(k)
    return lost


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
    return j >= len(lines) or j in lost or all(_FIGURE_PIECE.match(w.text) for w in lines[j].words)


def _is_debris(ln: _Line) -> bool:
    """A line a dissolved table leaves: a figure or its wrapped piece, a code, a header word."""
    s = ln.text
    return all(_is_amount(w.text) or _STAT_CODE.match(w.text) for w in ln.words) or _is_header_term(s) or bool(_HEADER_FRAGMENTS.match(squash(s)) and len(s) <= 6)


# ---------------------------------------------------------------- paragraphs
def _prose(lines: list[_Line], idx: list[int]) -> list[Paragraph]:
    """Lines outside tables → paragraphs. A bullet alone on its line joins the text after
    it; a line that wrapped (its successor's first word would not have fitted in the room
    the page's right margin left, and opens no bullet, heading or section) is joined back."""
    out: list[tuple[_Line, str, float]] = []  # (first line, text, right end of its last line)
    right: dict[int, float] = {}  # the page's right margin: its longest line's end
    ends = {i: _right_end(lines[i]) for i in idx}
    for i in idx:
        right[lines[i].page] = max(right.get(lines[i].page, 0.0), ends[i])
    pending_bullet: Optional[_Line] = None
    prev_i = None
    for i in idx:
        ln = lines[i]
        text = ln.text
        if _LONE_BULLET.match(text):
            pending_bullet = pending_bullet or ln
            prev_i = None
            continue
        if pending_bullet is not None:
            out.append((pending_bullet, f"{pending_bullet.text} {text}", ends[i]))
            pending_bullet = None
            prev_i = i
            continue
        if out and prev_i is not None and _continues(out[-1], lines[prev_i], ln, right[lines[prev_i].page]):
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


def _continues(prev, prev_line: _Line, ln: _Line, right: float) -> bool:
    text = ln.text
    if text[0] in _OPENERS or _NUMBERED.match(text) or _ROMAN_LINE.match(text) or _SECTION_WORDS.match(squash(text)):
        return False
    if ln.no - prev_line.no > 1 and ln.page == prev_line.page:
        return False
    head = prev[1]
    if _ROMAN_LINE.match(head) or _SECTION_WORDS.match(squash(head)) or head[0] in "□■○●◎◦ㅇ" and len(head) < 30:
        return False
    # A bullet's text is indented in the PDF; text that kept no indentation (plain
    # pdftotext) makes its lines look up to a bullet's hanging indent shorter.
    slack = 3.0 if head[0] in "-–•·※" and prev_line.words[0].d0 == 0 else 0.5
    return prev[2] + 0.3 + printed_width(ln.words[0].text) > right - slack


# ---------------------------------------------------------------- the reader
def read_layout(text: str) -> list[Block]:
    lines = split_lines(text)
    furniture = _furniture(lines)
    regions = _find_regions(lines, furniture)
    in_tables = {i for r in regions for i in r.header + r.body}
    lost = _lost_tables(lines, furniture | in_tables)
    prose_idx = [i for i, ln in enumerate(lines) if not ln.blank and i not in furniture and i not in in_tables and i not in lost]
    vocabulary = Vocabulary(lines[i].text for i in prose_idx)
    paged = any(ln.page > 1 for ln in lines)
    # The measure: characters or display width, whichever lines the figures up better.
    bodies = [[lines[i] for i in r.body] for r in regions]
    metric = "char"
    if bodies:
        metric = min(("char", "display"), key=lambda m: _band_spread(bodies, 4, m))
    set_aside: dict[int, str] = {}
    placed: list[_TableBuilder] = []
    for region in regions:
        b = _TableBuilder(lines, region, metric, 0, vocabulary)
        try:
            b.place()
            placed.append(b)
        except _Unbuildable as e:
            for i in region.header + region.body:
                set_aside[i] = not_rebuilt(str(e))
    # A column's widest line, pooled over the document's tables of one template (a report
    # sets its tables alike): more evidence of how wide a cell is than one table gives.
    pooled: dict = {}
    for b in placed:
        for c in range(b.n_text):
            pooled[b.shape(c)] = max(pooled.get(b.shape(c), 0.0), b.widths.get(c, 0.0))
    tables: dict[int, Table] = {}
    for b in placed:
        b.table_no = len(tables) + 1
        try:
            tables[b.region.header[0]] = b.table(pooled)
        except _Unbuildable as e:
            for i in b.region.header + b.region.body:
                set_aside[i] = not_rebuilt(str(e))
    for i in lost:
        set_aside[i] = LAYOUT_LOST
    blocks: list[tuple[int, Block]] = []
    for start, table in tables.items():
        blocks.append((start, table))
    for p in _prose(lines, prose_idx):
        blocks.append((p.loc.line - 1, p))
    for i, why in set_aside.items():
        ln = lines[i]
        blocks.append((i, Paragraph(ln.text, Loc(page=ln.page, line=ln.no), set_aside=why)))
    blocks.sort(key=lambda b: b[0])
    out = [b for _, b in blocks]
    if not paged:
        for b in out:
            _strip_page(b)
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
