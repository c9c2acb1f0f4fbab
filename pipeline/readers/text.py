"""Text converted from HWP: encodings, and tables printed three ways.

Tables arrive as tab-separated lines (what HWP's own text export writes), Markdown pipe
tables, or box-drawing tables. All three become the same `Table` grid, each cell carrying
the line it came from. Everything else is one `Paragraph` per non-blank line.
"""
from __future__ import annotations

import codecs
import unicodedata

import regex as re

from ..domain.glyphs import display_columns
from ..errors import InputError
from ..ir import Block, Cell, Loc, Paragraph, Table
from ..limits import Limits
from ..settings import DEFAULT_SETTINGS, ReadingSettings
from ..textutil import collapse
from .pdftext.document import is_layout_text, read_layout

# Markdown emphasis the HWP→text converters add around bold runs (`**첨단 IT기술 적용**`).
# It is markup, not printed text, so it is removed; the characters inside are kept.
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")

_BOX_VERTICAL = "│┃║"
_BOX_RULE_CHARS = set("─━═┌┐└┘├┤┬┴┼┏┓┗┛┣┫┳┻╋╔╗╚╝╠╣╦╩╬╞╡╪╟╢╫┠┨┯┷┿╂│┃║ +-=:|")
_PIPE_RULE = re.compile(r"^\|?(\s*:?-{2,}:?\s*\|)+\s*:?-{0,}:?\s*\|?$")


def decode(data: bytes) -> str:
    """Bytes → NFC text. UTF-8 (BOM or not), UTF-16 (BOM or not), CP949/EUC-KR, detected
    from the bytes. Raises InputError when no encoding fits."""
    if data.startswith(codecs.BOM_UTF8):
        text = _strict(data[3:], "utf-8")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _strict(data, "utf-16")
    elif (utf16 := _nul_parity(data)) is not None:
        text = _strict(data, utf16)
    else:
        text = None
        for enc in ("utf-8", "cp949"):  # cp949 is a superset of EUC-KR
            try:
                text = data.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        if text is None:
            raise InputError("text in an unknown encoding (not UTF-8, UTF-16 or CP949/EUC-KR)")
    if text is None:
        raise InputError("text in an unknown encoding (not UTF-8, UTF-16 or CP949/EUC-KR)")
    return unicodedata.normalize("NFC", text)


def _strict(data: bytes, enc: str):
    try:
        return data.decode(enc)
    except UnicodeDecodeError:
        return None


def _plausible(ch: str) -> bool:
    o = ord(ch)
    return (
        ch in "\r\n\t"
        or 0x20 <= o < 0x7F
        or 0xAC00 <= o <= 0xD7A3  # Hangul syllables
        or 0x3000 <= o <= 0x33FF  # CJK punctuation, jamo, enclosed
        or 0x2000 <= o <= 0x27BF  # general punctuation, arrows, symbols
        or 0xFF00 <= o <= 0xFFEF
        or 0xA0 <= o <= 0x17F
    )


def _nul_parity(data: bytes):
    """UTF-16 without a byte-order mark: try both byte orders on a sample and keep the one
    that reads as Korean/ASCII text."""
    sample = data[:8192]
    sample = sample[: len(sample) - len(sample) % 2]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = sample.decode(enc)
        except UnicodeDecodeError:
            continue
        if text and sum(map(_plausible, text)) >= 0.95 * len(text):
            return enc
    return None


def read_text(data: bytes, limits: Limits, settings: ReadingSettings = DEFAULT_SETTINGS) -> list[Block]:
    text = decode(data)
    lines = text.splitlines()
    longest = max((len(ln) for ln in lines), default=0)
    if longest > limits.max_line_chars:
        raise InputError(f"a line of {longest:,} characters; not a report (limit {limits.max_line_chars:,})")
    # Text converted from PDF keeps its layout with spaces; HWP converters' tables (tabs,
    # pipes, box drawing) are read below. Both kinds are told apart cheaply first.
    if ("\f" in text or "\t" not in text) and is_layout_text(text) and not any(_kind(ln) in ("tab", "pipe", "box") for ln in lines):
        return read_layout(text, settings)
    return list(_blocks(lines))


def _kind(line: str) -> str:
    s = line.strip()
    if not s:
        return "blank"
    if "\t" in line:
        return "tab"
    if s[0] in _BOX_VERTICAL or s[0] in "┌┏╔├┣╠└┗╚" or (any(ch in s for ch in _BOX_VERTICAL) and s[-1] in _BOX_VERTICAL + "┐┓╗┤┫╣┘┛╝"):
        return "box"
    if s.startswith("|") and s.endswith("|") and s.count("|") >= 3:
        return "pipe"
    return "text"


def _blocks(lines: list[str]):
    n_tables = 0
    i = 0
    while i < len(lines):
        kind = _kind(lines[i])
        if kind == "blank":
            i += 1
            continue
        if kind in ("tab", "pipe", "box"):
            j = i
            while j < len(lines) and _kind(lines[j]) == kind:
                j += 1
            chunk = [(k + 1, lines[k]) for k in range(i, j)]
            rows_needed = 2 if kind == "tab" else 1
            if j - i >= rows_needed:
                n_tables += 1
                table = {"tab": _tab_table, "pipe": _pipe_table, "box": _box_table}[kind](chunk, n_tables)
                if table.rows:
                    yield table
                    i = j
                    continue
                n_tables -= 1
            # A lone tab line is a paragraph with tabs in it.
            for ln, raw in chunk:
                yield Paragraph(_clean(raw), Loc(line=ln))
            i = j
            continue
        yield Paragraph(_clean(lines[i]), Loc(line=i + 1))
        i += 1


def _clean(s: str) -> str:
    if "**" in s:
        s = _BOLD.sub(r"\1", s)
    return collapse(s)


def _grid(rows: list[tuple[int, list[str]]], table_no: int) -> Table:
    width = max(len(cells) for _, cells in rows)
    grid = []
    for r, (ln, cells) in enumerate(rows, start=1):
        cells = cells + [""] * (width - len(cells))
        grid.append([Cell(_clean(t), Loc(line=ln, cell=(table_no, r, c))) for c, t in enumerate(cells, start=1)])
    return Table(grid, Loc(line=rows[0][0], cell=(table_no, 1, 1)))


def _tab_table(chunk, table_no: int) -> Table:
    return _grid([(ln, raw.rstrip("\r\n").split("\t")) for ln, raw in chunk], table_no)


def _pipe_table(chunk, table_no: int) -> Table:
    rows = []
    for ln, raw in chunk:
        s = raw.strip()
        if _PIPE_RULE.match(s):
            continue
        rows.append((ln, [c for c in s[1:-1].split("|")]))
    return _grid(rows, table_no) if rows else Table([], Loc(line=chunk[0][0]))


# ---------------------------------------------------------------- box-drawing tables
def _columns(s: str) -> list[int]:
    """Display column of each character (Hangul is two columns wide in a monospace box)."""
    cols, x = [], 0
    for ch in s:
        cols.append(x)
        x += display_columns(ch)
    return cols


def _is_rule(s: str) -> bool:
    st = s.strip()
    return bool(st) and all(ch in _BOX_RULE_CHARS for ch in st) and any(ch in "─━═" for ch in st)


def _box_table(chunk, table_no: int) -> Table:
    """Cells are found by the display columns of their vertical bars. A rule line with blank
    stretches marks a vertical merge; a content row with fewer bars than the grid has cells
    spanning several columns. Content lines between two rules form one row (wrapped text)."""
    boundaries: set[int] = set()
    for _, raw in chunk:
        cols = _columns(raw)
        for k, ch in enumerate(raw):
            if ch in _BOX_VERTICAL or ch in "┼┬┴├┤┌┐└┘╋┳┻┣┫┏┓┗┛╬╦╩╠╣╔╗╚╝╪╫┿╂┯┷":
                boundaries.add(cols[k])
    edges = sorted(boundaries)
    if len(edges) < 2:
        return Table([], Loc(line=chunk[0][0]))
    # Group content lines into rows: a rule ends a row.
    groups: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    rule_after: list[str] = []
    for ln, raw in chunk:
        if _is_rule(raw):
            if current:
                groups.append(current)
                rule_after.append(raw)
                current = []
            continue
        current.append((ln, raw))
    if current:
        groups.append(current)
        rule_after.append("")
    n_cols = len(edges) - 1
    grid: list[list[Cell]] = []
    for r, group in enumerate(groups, start=1):
        texts = [[] for _ in range(n_cols)]
        spans = [None] * n_cols  # start column of the cell covering each grid column
        for ln, raw in group:
            cols = _columns(raw)
            bars = [cols[k] for k, ch in enumerate(raw) if ch in _BOX_VERTICAL]
            for a, b in zip(bars, bars[1:]):
                first = _edge_index(edges, a)
                last = _edge_index(edges, b)
                if first is None or last is None or last <= first:
                    continue
                seg = "".join(ch for k, ch in enumerate(raw) if a < cols[k] < b)
                if seg.strip():
                    texts[first].append(seg.strip())
                for c in range(first, last):
                    spans[c] = first
        row = []
        for c in range(n_cols):
            merged = spans[c] is not None and spans[c] != c
            row.append(Cell(_clean(" ".join(texts[c])), Loc(line=group[0][0], cell=(table_no, r, c + 1)), merged=merged))
        grid.append(row)
    # A blank stretch in the rule above a row means the cell continues from the row above.
    for r in range(1, len(grid)):
        rule = rule_after[r - 1]
        if not rule:
            continue
        cols = _columns(rule)
        for c in range(n_cols):
            chars = [ch for k, ch in enumerate(rule) if edges[c] < cols[k] < edges[c + 1]]
            if chars and all(ch == " " for ch in chars) and not grid[r][c].text:
                grid[r][c].merged = True
    return Table(grid, Loc(line=chunk[0][0], cell=(table_no, 1, 1)))


def _edge_index(edges: list[int], x: int):
    try:
        return edges.index(x)
    except ValueError:
        return None
