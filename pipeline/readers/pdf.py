"""PDF reports (exported from HWP, Word or LibreOffice) → the same blocks as the text reader.

Each page is interpreted once by pdfplumber: its characters and its ruling lines. Ruled
tables are found with explicit `TableSettings` (lines only) and rebuilt as a grid whose
columns and rows are the distinct cell edges, so a cell spanning several ruled columns or
rows becomes its origin plus `merged=True` positions, exactly as DOCX/HWPX merges do.
Characters outside tables are assembled into lines by their own geometry (no
pdfplumber text flow): a space where the PDF draws a space glyph, or, in PDFs that
position words without space glyphs, where the gap exceeds a fifth of the font size (a
quarter-em gap inside `4/4분기` stays glued when space glyphs exist: the threshold is then
0.45 em). Page numbers like `- 3 -` in the top/bottom margins and running headers are
dropped. A line is the wrapped continuation of the one above when it follows at the page's
tightest line spacing, does not open with a bullet or section mark, and its first word
would not have fitted in the room the line above left (a layout engine would have put it
there); such lines are joined back into the one paragraph the text rendering prints.

Line breaks inside a paragraph or a table cell (the one rule, used for both):
    a break becomes nothing when it falls inside a word, and a space otherwise.
    It falls inside a word when the line before it is a single word (no space) and
    either the break splits a number (digit or `,`/`.` before it, a digit after it), or
    the word fills the line (the first character after the break would not have fitted
    in the room left) and the characters either side are of the same kind (both Hangul,
    or both Latin letters); and after an opening bracket.
Layout engines (HWP, Word, LibreOffice) wrap at spaces and break inside a word only when
the word alone is wider than the line, so `355,00`/`0` → `355,000`, `스마트정책`/`관` →
`스마트정책관`, `교통실`/`보행정책과` → `교통실 보행정책과`. The one case geometry
cannot tell apart is a whole word that happens to fill a cell line exactly, followed by
another word: it is joined without a space.

A table that ends one page and resumes at the top of the next with the same columns is
joined into one table; a header repeated on the new page (rows equal to the table's first
rows) is dropped.

Locations: every paragraph has `page`, `line` (1-based line on the page) and `bbox`; every
table cell has `page`, the `bbox` of its ruled cell (points, top-left origin) and its
`cell` = (table, row, column) address in the joined table.
"""
from __future__ import annotations

import io
import logging
import unicodedata
from bisect import bisect_right
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Optional

import regex as re
from pdfplumber.table import TableSettings

from ..errors import InputError
from ..ir import Block, Cell, Loc, Paragraph, Table
from ..limits import Limits

# Explicit settings: ruled tables only (reports always rule their tables; text-alignment
# strategies would invent tables out of aligned prose).
TABLE_SETTINGS = TableSettings.resolve(
    dict(
        vertical_strategy="lines",
        horizontal_strategy="lines",
        snap_tolerance=3,
        join_tolerance=3,
        edge_min_length=3,
        intersection_tolerance=3,
    )
)


@contextmanager
def _quiet_pdfminer():
    """pdfminer warns on stderr about every damaged operator it skips; the user gets one
    line per file from the CLI instead (an InputError, or nothing when the text was
    readable). Scoped to one read, so the process's logging is left as it was."""
    log = logging.getLogger("pdfminer")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        log.setLevel(level)

_PAGE_NUMBER = re.compile(r"^(?:[-–—‐]\s*\d{1,4}\s*[-–—‐]|\d{1,4}\s*/\s*\d{1,4}|\(?\d{1,4}\)?|(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|\d{1,4}\s*쪽|\d{1,4}\s*페이지)$", re.I)
_OPENING = "([{〈《「『“‘【〔"
_NUMBER_PUNCT = ",.'"


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    first_word_w: float  # width of the first word (to the first space)
    first_char_w: float
    single_word: bool


@dataclass
class _PTable:
    page: int
    top: float
    bottom: float
    bbox: tuple
    xs: list  # column edges
    rows: list  # list[list[Cell]]


@dataclass
class _Page:
    number: int
    width: float
    height: float
    items: list = field(default_factory=list)  # (_Line | _PTable) sorted by top


# ---------------------------------------------------------------- opening the file
def _open(data: bytes):
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    tail = data[-2048:]
    if b"%%EOF" not in tail:
        raise InputError("truncated or damaged PDF (no end-of-file marker)")
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except PdfminerException as e:
        cause = e.args[0] if e.args else e
        if isinstance(cause, PDFPasswordIncorrect):
            raise InputError("encrypted PDF (password-protected); cannot read it without the password") from None
        if isinstance(cause, PDFEncryptionError):
            raise InputError(f"encrypted PDF with an unsupported scheme ({cause})") from None
        raise InputError(f"damaged PDF ({_why(cause)})") from None
    except Exception as e:  # pdfminer raises assorted errors on hostile input
        raise InputError(f"damaged PDF ({_why(e)})") from None
    return pdf


def _why(e) -> str:
    msg = str(e).strip().splitlines()[0] if str(e).strip() else ""
    name = type(e).__name__
    return f"{name}: {msg[:120]}" if msg else name


def read_pdf(data: bytes, limits: Limits) -> list[Block]:
    with _quiet_pdfminer():
        return _read_pdf(data, limits)


def _read_pdf(data: bytes, limits: Limits) -> list[Block]:
    pdf = _open(data)
    try:
        try:
            n = len(pdf.pages)
        except Exception as e:
            raise InputError(f"damaged PDF: its page tree cannot be read ({_why(e)})") from None
        if n == 0:
            raise InputError("damaged PDF: no pages found")
        if n > limits.max_pdf_pages:
            raise InputError(f"PDF of {n:,} pages; refusing to read it (limit {limits.max_pdf_pages:,})")
        pages = []
        cells = 0
        any_images = False
        for i, page in enumerate(pdf.pages, start=1):
            try:
                p = _read_page(page, i)
                any_images = any_images or bool(page.objects.get("image"))
            except InputError:
                raise
            except (MemoryError, RecursionError):
                raise
            except Exception as e:
                raise InputError(f"damaged PDF: page {i} cannot be read ({_why(e)})") from None
            finally:
                page.close()
            cells += sum(len(r) for it in p.items if isinstance(it, _PTable) for r in it.rows)
            if cells > limits.max_table_cells:
                raise InputError(f"more than {limits.max_table_cells:,} table cells; not a report")
            pages.append(p)
    finally:
        try:
            pdf.close()  # iterates the page tree again, which may be what was damaged
        except Exception:
            pdf.stream.close()
    _drop_margins(pages)
    if not any(p.items for p in pages):
        if any_images:
            raise InputError("has no text layer (scanned?); run OCR first")
        raise InputError("PDF with no text")
    return _assemble(pages)


# ---------------------------------------------------------------- one page
def _read_page(page, number: int) -> _Page:
    chars = [c for c in page.chars if c.get("text")]
    out = _Page(number, float(page.width), float(page.height))
    if not chars:
        return out
    spaced = any(c["text"] == " " for c in chars)
    tables = []
    if page.lines or page.rects or page.curves:
        sides = _open_sides(page.edges)
        settings = TABLE_SETTINGS if not sides else TableSettings.resolve({**TABLE_SETTINGS.__dict__, "explicit_vertical_lines": sides})
        tables = page.find_tables(table_settings=settings)
    grids = [g for g in (_grid(t) for t in tables) if g is not None]
    loose: list[dict] = []
    per_cell: list[dict] = [dict() for _ in grids]
    for c in chars:
        cx = (c["x0"] + c["x1"]) / 2
        cy = (c["top"] + c["bottom"]) / 2
        for k, g in enumerate(grids):
            pos = g.locate(cx, cy)
            if pos is not None:
                per_cell[k].setdefault(pos, []).append(c)
                break
        else:
            loose.append(c)
    items: list = []
    for k, g in enumerate(grids):
        if g.n_rows * g.n_cols == 1 or (g.n_rows == 1 and not per_cell[k]):
            # A framed paragraph, not a table: its text joins the page's lines.
            for chs in per_cell[k].values():
                loose.extend(chs)
            continue
        items.append(g.build(per_cell[k], number, spaced))
    items.extend(_lines(loose, spaced))
    items.sort(key=lambda it: it.top)
    out.items = items
    return out


def _open_sides(edges: list[dict]) -> list[dict]:
    """Vertical edges to close tables printed without left/right outer borders (common in
    Korean official documents): where several horizontal rules start (or end) at the same
    x, and ruled columns run between them, the table's side is drawn there."""
    tol = 1.5
    h = [e for e in edges if e["orientation"] == "h" and e["x1"] - e["x0"] > 20]
    v = [e for e in edges if e["orientation"] == "v" and e["bottom"] - e["top"] > 2]
    if len(h) < 2 or not v:
        return []
    out = []
    for end in ("x0", "x1"):
        groups: dict[int, list[dict]] = {}
        for e in h:
            groups.setdefault(round(e[end] / tol), []).append(e)
        for rules in groups.values():
            tops = sorted({round(e["top"], 1) for e in rules})
            if len(tops) < 2:
                continue
            x = sum(e[end] for e in rules) / len(rules)
            left = min(e["x0"] for e in rules)
            right = max(e["x1"] for e in rules)
            inner = [e for e in v if left + 3 < e["x0"] < right - 3]
            # Runs of rules joined by ruled columns between each pair: one table each (two
            # tables in one column of the page must stay two, with the text between them).
            run = [tops[0]]
            for t1, t2 in zip(tops, tops[1:]):
                if any(e["top"] <= t1 + 3 and e["bottom"] >= t2 - 3 for e in inner):
                    run.append(t2)
                    continue
                out += _side(x, run, v)
                run = [t2]
            out += _side(x, run, v)
    return out


def _side(x: float, run: list, v: list[dict]) -> list[dict]:
    if len(run) < 2:
        return []
    top, bottom = run[0], run[-1]
    if any(abs(e["x0"] - x) <= 3 and e["top"] <= top + 3 and e["bottom"] >= bottom - 3 for e in v):
        return []  # already closed on this side
    return [{"object_type": "side_edge", "x0": x, "x1": x, "top": top, "bottom": bottom,
             "width": 0.0, "height": bottom - top, "orientation": "v"}]


class _Grid:
    """A found table as a grid of distinct column and row edges, each ruled cell mapped to
    the grid positions it covers."""

    def __init__(self, cells):
        self.xs = _cluster([v for c in cells for v in (c[0], c[2])])
        self.ys = _cluster([v for c in cells for v in (c[1], c[3])])
        self.n_cols = len(self.xs) - 1
        self.n_rows = len(self.ys) - 1
        self.owner = [[None] * self.n_cols for _ in range(self.n_rows)]
        self.cells = []  # (r0, c0, r1, c1, bbox)
        for bbox in sorted(cells, key=lambda b: (b[1], b[0])):
            c0, c1 = _index(self.xs, bbox[0]), _index(self.xs, bbox[2])
            r0, r1 = _index(self.ys, bbox[1]), _index(self.ys, bbox[3])
            if c1 <= c0 or r1 <= r0:
                continue
            k = len(self.cells)
            self.cells.append((r0, c0, r1, c1, bbox))
            for r in range(r0, r1):
                for c in range(c0, c1):
                    if self.owner[r][c] is None:
                        self.owner[r][c] = k

    def locate(self, x: float, y: float):
        if not (self.xs[0] <= x <= self.xs[-1] and self.ys[0] <= y <= self.ys[-1]):
            return None
        c = min(max(bisect_right(self.xs, x) - 1, 0), self.n_cols - 1)
        r = min(max(bisect_right(self.ys, y) - 1, 0), self.n_rows - 1)
        return self.owner[r][c]

    def build(self, per_cell: dict, page: int, spaced: bool) -> _PTable:
        texts = {}
        lines_of = {}
        for k, chs in per_cell.items():
            if k is None:
                continue
            lines_of[k] = _lines(chs, spaced)
        # Cell padding, for the room test: the smallest half-gap any line leaves in its cell.
        pads = []
        for k, lines in lines_of.items():
            _, _, _, _, bbox = self.cells[k]
            pads += [((bbox[2] - bbox[0]) - (ln.x1 - ln.x0)) / 2 for ln in lines]
        pad = min(max(min(pads, default=5.0), 0.0), 6.0)
        for k, lines in lines_of.items():
            _, _, _, _, bbox = self.cells[k]
            right = bbox[2] - pad
            # Measure each line as if left-aligned at the cell's padding.
            texts[k] = _join_lines(lines, lambda ln, bbox=bbox: (bbox[0] + pad) + (ln.x1 - ln.x0), right)
        rows = []
        for r in range(self.n_rows):
            row = []
            for c in range(self.n_cols):
                k = self.owner[r][c]
                if k is None:
                    bbox = (self.xs[c], self.ys[r], self.xs[c + 1], self.ys[r + 1])
                    row.append(Cell("", Loc(page=page, bbox=bbox)))
                    continue
                r0, c0, r1, c1, bbox = self.cells[k]
                if (r, c) == (r0, c0):
                    row.append(Cell(texts.get(k, ""), Loc(page=page, bbox=tuple(bbox))))
                else:
                    row.append(Cell("", Loc(page=page, bbox=tuple(bbox)), merged=True))
            rows.append(row)
        bbox = (self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])
        return _PTable(page, bbox[1], bbox[3], bbox, list(self.xs), rows)


def _grid(table) -> Optional[_Grid]:
    cells = [tuple(float(v) for v in c) for c in table.cells]
    if not cells:
        return None
    g = _Grid(cells)
    if g.n_cols < 1 or g.n_rows < 1 or not g.cells:
        return None
    return g


def _cluster(values, tol: float = 1.5) -> list:
    out: list = []
    for v in sorted(values):
        if out and v - out[-1] <= tol:
            continue
        out.append(v)
    return out


def _index(edges, v: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - v))


# ---------------------------------------------------------------- characters → lines
def _lines(chars: list[dict], spaced: bool) -> list[_Line]:
    """Group characters into visual lines (by vertical overlap), left to right, with a
    space wherever the PDF draws one or leaves a word-sized gap."""
    if not chars:
        return []
    chars = sorted(chars, key=lambda c: (c["top"], c["x0"]))
    groups: list[list[dict]] = []
    cur: list[dict] = []
    cur_top = cur_bottom = 0.0
    for c in chars:
        mid = (c["top"] + c["bottom"]) / 2
        if cur and cur_top - 0.5 <= mid <= cur_bottom + 0.5:
            cur.append(c)
            cur_top, cur_bottom = min(cur_top, c["top"]), max(cur_bottom, c["bottom"])
            continue
        if cur:
            groups.append(cur)
        cur, cur_top, cur_bottom = [c], c["top"], c["bottom"]
    if cur:
        groups.append(cur)
    return [ln for ln in (_line(g, spaced) for g in groups) if ln is not None]


def _line(chars: list[dict], spaced: bool) -> Optional[_Line]:
    chars.sort(key=lambda c: c["x0"])
    size = max(c.get("size") or (c["bottom"] - c["top"]) for c in chars)
    gap_space = size * (0.45 if spaced else 0.2)
    parts: list[str] = []
    prev = None
    pending = False
    first_word_end = None
    visible = []
    for c in chars:
        t = c["text"]
        if t.isspace():
            pending = prev is not None
            continue
        if prev is not None:
            if t == prev["text"] and abs(c["x0"] - prev["x0"]) < 0.5 * max(c["x1"] - c["x0"], 0.5):
                continue  # overprinted (fake bold) duplicate
            if pending or c["x0"] - prev["x1"] > gap_space:
                parts.append(" ")
                if first_word_end is None:
                    first_word_end = prev["x1"]
        parts.append(t)
        visible.append(c)
        prev = c
        pending = False
    if not visible:
        return None
    text = unicodedata.normalize("NFC", "".join(parts))
    x0 = visible[0]["x0"]
    x1 = max(c["x1"] for c in visible)
    return _Line(
        text=text,
        x0=x0,
        x1=x1,
        top=min(c["top"] for c in visible),
        bottom=max(c["bottom"] for c in visible),
        size=size,
        first_word_w=(first_word_end if first_word_end is not None else x1) - x0,
        first_char_w=visible[0]["x1"] - visible[0]["x0"],
        single_word=first_word_end is None,
    )


def _kind(ch: str) -> str:
    if ch.isdigit() or ch in _NUMBER_PUNCT:
        return "num"
    if "\uac00" <= ch <= "\ud7a3" or "\u3131" <= ch <= "\u318e":
        return "hangul"
    if ch.isalpha():
        return "latin"
    return "other"


def _separator(a: _Line, b: _Line, a_end: float, right: float) -> str:
    """What a line break between a and b stands for (the module docstring's rule)."""
    if a.text[-1] in _OPENING:
        return ""
    if not a.single_word:
        return " "
    ka, kb = _kind(a.text[-1]), _kind(b.text[0])
    if ka == kb == "num" and b.text[0].isdigit():
        return ""  # layout engines never break between digits of a number unless forced
    if ka == kb and ka != "other" and right - a_end < b.first_char_w - 0.5:
        return ""
    return " "


def _join_lines(lines: list[_Line], end_of, right: float) -> str:
    if not lines:
        return ""
    out = lines[0].text
    for a, b in zip(lines, lines[1:]):
        out += _separator(a, b, end_of(a), right) + b.text
    return re.sub(r"\s+", " ", out).strip()


# ---------------------------------------------------------------- pages → blocks
def _assemble(pages: list[_Page]) -> list[Block]:
    blocks: list[Block] = []
    open_table: Optional[Table] = None
    open_ptable: Optional[_PTable] = None
    for p in pages:
        body = [it for it in p.items if isinstance(it, _Line)]
        left = min((ln.x0 for ln in body), default=0.0)
        right = max([p.width - left] + [ln.x1 for ln in body])
        items = p.items
        # A table at the top of the page continuing one that ended the previous page.
        if items and isinstance(items[0], _PTable) and open_table is not None and _continues(open_ptable, items[0]):
            _append_rows(open_table, open_ptable, items[0])
            items = items[1:]
            if not items:
                continue
        open_table = open_ptable = None
        para: list[_Line] = []
        line_no = {id(ln): k for k, ln in enumerate(body, start=1)}
        line_gap = _tightest_gap(body)

        def flush():
            if para:
                text = _join_lines(para, lambda ln: ln.x1, right)
                bbox = (min(ln.x0 for ln in para), para[0].top, max(ln.x1 for ln in para), para[-1].bottom)
                blocks.append(Paragraph(text, Loc(page=p.number, line=line_no[id(para[0])], bbox=bbox)))
                para.clear()

        for it in items:
            if isinstance(it, _PTable):
                flush()
                table = Table(it.rows, Loc(page=p.number, bbox=it.bbox))
                blocks.append(table)
                open_table, open_ptable = table, it
                continue
            open_table = open_ptable = None
            if para and _continues_paragraph(para[-1], it, right, line_gap):
                para.append(it)
            else:
                flush()
                para.append(it)
        flush()
    _number_cells(blocks)
    return blocks


def _number_cells(blocks: list[Block]) -> None:
    """Give every cell of every (joined) table its `cell = (table, row, column)` address,
    as the other readers do, beside its page and bbox."""
    n = 0
    for b in blocks:
        if not isinstance(b, Table):
            continue
        n += 1
        for r, row in enumerate(b.rows, start=1):
            for c, cell in enumerate(row, start=1):
                cell.loc = Loc(page=cell.loc.page, bbox=cell.loc.bbox, cell=(n, r, c))
        b.loc = Loc(page=b.loc.page, bbox=b.loc.bbox, cell=(n, 1, 1) if b.rows else None)


# A line opening with one of these starts a paragraph of its own (bullets, section marks,
# notes, arrows, Unicode Roman numerals), whatever room the line above left.
_OPENERS = set("□■◆◇○●◎◦ㅇ-–•※⇒➡▶▷ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ")


def _continues_paragraph(a: _Line, b: _Line, right: float, line_gap: Optional[float]) -> bool:
    """b is the wrapped continuation of a: close below it (no more than the page's tightest
    line spacing, when paragraphs are spaced apart), not opening with a bullet or mark, and
    b's first word would not have fitted at the end of a."""
    gap = b.top - a.bottom
    size = max(a.size, b.size)
    limit = 0.8 * size if line_gap is None else min(0.8 * size, line_gap + 0.25 * size)
    if gap < -0.5 or gap > limit:
        return False
    if abs(a.size - b.size) > 0.5 or b.text[0] in _OPENERS:
        return False
    room = right - a.x1
    return b.first_word_w > room - 0.5 * a.size


def _tightest_gap(lines: list[_Line]) -> Optional[float]:
    gaps = [b.top - a.bottom for a, b in zip(lines, lines[1:]) if abs(a.size - b.size) <= 0.5 and b.top - a.bottom >= -0.5]
    return min(gaps) if gaps else None


def _continues(prev: _PTable, nxt: _PTable) -> bool:
    """nxt continues prev: same outer edges, and every column edge of nxt is one of prev's
    (a continuation may show fewer edges, e.g. only a total row with its label merged)."""
    if abs(prev.xs[0] - nxt.xs[0]) > 3.0 or abs(prev.xs[-1] - nxt.xs[-1]) > 3.0:
        return False
    return all(_near(prev.xs, x) is not None for x in nxt.xs)


def _near(edges, x: float, tol: float = 3.0):
    k = min(range(len(edges)), key=lambda i: abs(edges[i] - x))
    return k if abs(edges[k] - x) <= tol else None


def _append_rows(table: Table, prev: _PTable, cont: _PTable) -> None:
    """Append cont's rows to table, re-gridded on prev's columns."""
    width = len(prev.xs) - 1
    spans = [(_near(prev.xs, a), _near(prev.xs, b)) for a, b in zip(cont.xs, cont.xs[1:])]
    rows = []
    for row in cont.rows:
        out: list[Cell] = []
        for cell, (a, b) in zip(row, spans):
            for k in range(a, b):
                if k == a and not cell.merged:
                    out.append(cell)
                else:
                    out.append(Cell("", cell.loc, merged=True))
        out += [Cell("", row[-1].loc) for _ in range(width - len(out))]
        rows.append(out[:width])
    # A repeated header: leading rows printed exactly like the table's first rows.
    k = 0
    while k < len(rows) - 1 and k < len(table.rows) and k < 4 and _row_text(rows[k]) == _row_text(table.rows[k]) and any(c.text for c in rows[k]):
        k += 1
    table.rows.extend(rows[k:])


def _row_text(row: list[Cell]) -> list[str]:
    return [c.text for c in row]


def _drop_margins(pages: list[_Page]) -> None:
    """Page numbers (`- 3 -`, `3/12`, `3`) in the top or bottom margin band, and running
    headers/footers: the same line (digits aside) in a margin band of most pages."""
    band = 0.12
    seen: dict[str, int] = {}
    for p in pages:
        for it in p.items:
            if isinstance(it, _Line) and _in_band(it, p, 0.08):
                key = re.sub(r"\d+", "#", it.text)
                seen[key] = seen.get(key, 0) + 1
    repeated = {k for k, n in seen.items() if len(pages) >= 2 and n >= max(2, (2 * len(pages) + 2) // 3)}
    for p in pages:
        keep = []
        for it in p.items:
            if isinstance(it, _Line):
                if _in_band(it, p, band) and _PAGE_NUMBER.match(it.text.strip()):
                    continue
                if _in_band(it, p, 0.08) and re.sub(r"\d+", "#", it.text) in repeated:
                    continue
            keep.append(it)
        p.items = keep


def _in_band(ln: _Line, p: _Page, frac: float) -> bool:
    return ln.bottom <= p.height * frac or ln.top >= p.height * (1 - frac)
