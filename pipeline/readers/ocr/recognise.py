"""What a scanned page says: its text read by Tesseract line by line, each table cell on
its own, into characters with boxes (PDF points of the page) and a confidence per word.

The page's rules are known first (rules.py), and the cells they close (the reader's own
table finder, pdf/tables.py). Then:

* **lines**: ink rows separated by paper (a projection of the ink with the rules taken
  out and scanner specks dropped) within a cell, or across the page outside the tables;
* **cells**: each line of a cell is read by the Korean recogniser, and read again by the
  figure recogniser (digits, `,` `.` `-` `△`; page segmentation mode 7) when what it holds
  is a figure or a code: digits and their marks only, or a word of them leading a line
  (`201-01 사무관리비`). What a cell holds is read from the cell, never assumed from its
  place;
* **prose** outside the tables: one line at a time by the Korean recogniser.

Every word becomes characters with the boxes Tesseract gives its glyphs, a space between
words, and one `Reading` (text, box, confidence, the cell it belongs to) that the proof by
arithmetic (pipeline/proof.py) looks figures up in.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np
import regex as re

from ...domain.figures import FIGURE_CHAR, FIGURE_GLYPH, FIGURE_OR_CODE_WORD
from ..pdf.tables import RuledTableSettings, find_tables, open_sides
from .engine import TRIANGLE_AS, Engine, Word

# Ink specks no larger than this (points, on a side) are scanner noise, not a glyph's part
# (a full stop at 9 pt is about 1.1 pt across).
SPECK_PT = 0.8
SPECK_APART_PT = 1.2  # … and no other ink within this distance (points)
# A line with less ink than this (square points) is specks.
NOISE_INK_PT2 = 1.0
# A line outside the tables of marks only (`.`, `'`, `:`), each read with less confidence
# than this, is specks.
NOISE_CONFIDENCE = 60.0
# Lines thinner than this (points) are drawn as tall as this for the reader (a lone `-`).
MIN_LINE_PT = 5.0
# Paper between glyphs wider than this part of the line's height is a space (syllables of
# one word leave at most a quarter, words a third or more).
SPACE_GAP = 0.3
CONFIDENT_MARK = 90.0  # a mark read less surely than this may be a speck
NARROW_SPACE_GAP = 0.45
BOX_SLACK = 0.1
# A line read with a word less sure than this is read a second time, in black and white.
SECOND_OPINION = 80.0
# A line in a column of figures read by the figure recogniser this surely needs no other.
FIGURES_FIRST_CONFIDENCE = 60.0
# Ink lines thinner than this (points), or than this share of the page's line height, hold
# a dash only.
THIN_LINE_PT = 2.0
DASH_SHARE = 0.35
# White margin around a line image: Tesseract reads a glyph touching the border badly.
_MARGIN_PX = 10
# A line is a figure (or a code) when its reading is of these characters only (the Korean
# recogniser reads the triangle as one or two other glyphs: one such glyph is allowed).
_SYLLABLE = re.compile(r"[가-힣]")
# What the figure recogniser may give back for a figure or a code within text.


@dataclass(frozen=True)
class Reading:
    """One word as read: where (page; box in points; the table cell's box, if in one), what
    (its text, which recogniser: `figure` or `text`) and how sure (Tesseract's word
    confidence, and each glyph's, 0–100)."""

    page: int
    text: str
    bbox: tuple
    confidence: float
    glyphs: tuple  # (character, confidence)
    kind: str
    cell: Optional[tuple] = None


def speckless(ink: np.ndarray, dpi: float) -> np.ndarray:
    """The ink without specks: connected bits smaller than SPECK_PT on both sides that
    stand apart from other ink (the tick of `ㅊ`, a full stop beside its word stay)."""
    import cv2

    px = dpi / 72.0
    side = max(1, int(round(SPECK_PT * px)))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    small = (stats[:, cv2.CC_STAT_WIDTH] <= side) & (stats[:, cv2.CC_STAT_HEIGHT] <= side)
    small[0] = False
    if not small.any():
        return ink
    speck = small[labels]
    reach = max(3, int(SPECK_APART_PT * px)) | 1
    near = cv2.dilate(np.where(speck, 0, ink).astype(np.uint8), np.ones((reach, reach), np.uint8)) > 0
    small[np.unique(labels[speck & near])] = False  # beside other ink: part of a glyph
    return np.where(small[labels], 0, ink).astype(np.uint8)


def line_bands(ink: np.ndarray) -> list[tuple[int, int]]:
    """Runs of rows holding ink: (first row, row after the last)."""
    rows = ink.any(axis=1)
    if not rows.any():
        return []
    padded = np.concatenate(([False], rows, [False]))
    changes = np.flatnonzero(padded[1:] != padded[:-1])
    return list(zip(changes[::2].tolist(), changes[1::2].tolist()))


def joined_bands(bands: list[tuple[int, int]], line_height: float) -> list[tuple[int, int]]:
    """Bands that are parts of one line joined: a syllable's jamo stacked with paper between
    them (`액` as `애` over `ㄱ`, `감`, `증`) make bands shorter than a line, which join the
    nearer neighbour when what they make is no taller than a line."""
    bands = list(bands)
    if line_height <= 0:
        return bands
    changed = True
    while changed and len(bands) > 1:
        changed = False
        for k, (top, bottom) in enumerate(bands):
            if bottom - top >= 0.75 * line_height:
                continue
            options = []
            for j in (k - 1, k + 1):
                if 0 <= j < len(bands):
                    t2, b2 = min(top, bands[j][0]), max(bottom, bands[j][1])
                    gap = bands[j][0] - bottom if j > k else top - bands[j][1]
                    if gap < 0.5 * line_height and b2 - t2 <= 1.3 * line_height:
                        options.append((gap, j, (t2, b2)))
            if options:
                _, j, joined = min(options)
                bands[min(j, k)] = joined
                del bands[max(j, k)]
                changed = True
                break
    return bands


def line_height(ink: np.ndarray, dpi: float) -> float:
    """The page's usual line height (pixels): the median height of its lines of ink taller
    than a dash."""
    heights = [b - t for t, b in line_bands(ink) if b - t > THIN_LINE_PT * dpi / 72.0]
    return float(np.median(heights)) if heights else 0.0


def table_cells(edges: list[dict]) -> list[list[tuple]]:
    """The ruled tables the rules close (the same finder and settings as for a
    born-digital page), as lists of cells (x0, top, x1, bottom) in points. A table printed
    without side rules is closed where its horizontal rules end together, as the PDF
    reader closes it (`open_sides`), so its outer columns' cells are read too."""
    return find_tables(edges, RuledTableSettings().with_explicit(vertical=open_sides(edges)))




class PageReader:
    """Reads one straightened page image."""

    def __init__(self, engine: Engine, number: int, pixels: np.ndarray, text_ink: np.ndarray, dpi: float,
                 line_height: float):
        self.engine = engine
        self.line_height = line_height
        self.number = number
        self.pixels = pixels
        self.ink = text_ink
        self.dpi = dpi
        self.px = dpi / 72.0  # pixels a point
        self.chars: list[dict] = []
        self.readings: list[Reading] = []
        self.columns: dict = {}  # a table column's (x0, x1) → what its last line held

    # ------------------------------------------------------------ regions
    def read_cell(self, cell: tuple) -> None:
        x0, y0, x1, y1 = (int(round(v * self.px)) for v in cell)
        inset = max(1, int(self.px))
        x0, y0, x1, y1 = x0 + inset, y0 + inset, x1 - inset, y1 - inset
        if x1 - x0 < 4 or y1 - y0 < 4:
            return
        for top, bottom in joined_bands(line_bands(self.ink[y0:y1, x0:x1]), self.line_height):
            self._read_band(y0 + top, y0 + bottom, x0, x1, cell)

    def read_prose(self, ink: np.ndarray) -> None:
        """The lines outside the tables (`ink` with the tables blanked: `outside`)."""
        for top, bottom in joined_bands(line_bands(ink), self.line_height):
            # Side by side on one band: parts apart by more than a few ems are read apart
            # (a page number beside nothing, a unit line at the right margin).
            for left, right in _runs(ink[top:bottom].any(axis=0), gap=int(3 * max(bottom - top, self.px * 8))):
                self._read_band(top, bottom, left, right, None, ink)

    # ------------------------------------------------------------ one line
    def _read_band(self, top: int, bottom: int, left: int, right: int, cell: Optional[tuple], ink=None) -> None:
        ink = self.ink if ink is None else ink
        cols = np.flatnonzero(ink[top:bottom, left:right].any(axis=0))
        if len(cols) == 0:
            return
        x0, x1 = left + int(cols[0]), left + int(cols[-1]) + 1
        if int(ink[top:bottom, x0:x1].sum()) < NOISE_INK_PT2 * self.px * self.px:
            return  # specks the filter left (a dash at 9 pt has twice this ink)
        pad = max(2, int(0.6 * self.px))
        y0, y1 = max(0, top - pad), min(self.pixels.shape[0], bottom + pad)
        xa, xb = max(0, x0 - pad), min(self.pixels.shape[1], x1 + pad)
        if cell is not None:  # stay inside the cell: its rules are not text
            cx0, cy0, cx1, cy1 = (v * self.px for v in cell)
            y0, y1 = max(y0, int(cy0) + 1), min(y1, int(cy1))
            xa, xb = max(xa, int(cx0) + 1), min(xb, int(cx1))
        mark = (_bullet(ink[top:bottom, x0:x1], bottom - top) or _leading_bars(ink[top:bottom, x0:x1], bottom - top)
                if cell is None else None)
        if mark is not None:  # read apart from the text it stands before
            glyph, mark_width, width = mark
            crop = self._line_image(y0, y1, x0 + width, xb, ink)
            words = self.engine.read_line(crop, self.dpi)
            shift = x0 + width - xa
            for w in words:
                w.box = (w.box[0] + shift, w.box[1], w.box[2] + shift, w.box[3])
                w.glyphs = [(t, (b[0] + shift, b[1], b[2] + shift, b[3]), c) for t, b, c in w.glyphs]
            at = x0 - xa + _MARGIN_PX
            box = (at, 0, at + mark_width, bottom - top)
            words.insert(0, Word(glyph, box, [(glyph, box, 90.0)], 90.0))
            crop = self._line_image(y0, y1, xa, xb, ink)
        else:
            crop = self._line_image(y0, y1, xa, xb, ink)
            words = []
        kind = "text"
        # A lone dash (a figure's zero) is thinner than a third of a line.
        thin = bottom - top < max(THIN_LINE_PT * self.px, DASH_SHARE * self.line_height)
        dash = _dash(ink[top:bottom, x0:x1], x0 - xa) if cell is not None and thin else None
        column = (round(cell[0]), round(cell[2])) if cell is not None else None
        if dash is None and mark is None and self.columns.get(column) == "figure":
            # The column has held figures so far: the figure recogniser first, kept when
            # it reads one figure surely (else the Korean one reads it, as any line).
            figures = self.engine.read_line(crop, self.dpi, figures=True)
            if (len(figures) == 1 and FIGURE_OR_CODE_WORD.fullmatch(figures[0].text.replace(TRIANGLE_AS, "△"))
                    and figures[0].confidence >= FIGURES_FIRST_CONFIDENCE):
                dash, kind = figures[0], "figure"
        if dash is None and not words:
            words = self.engine.read_line(crop, self.dpi)
            if words and min(w.confidence for w in words) < SECOND_OPINION:
                # Read unsure: the line in black and white, a second opinion; the surer stands.
                other = self.engine.read_line(_black_and_white(crop), self.dpi)
                if other and _confidence(other) > _confidence(words):
                    words = other
        if dash is not None:  # a dash read from its shape (too small for Tesseract), or a figure
            words, kind = [dash], "figure"
        elif cell is not None and (thin or _is_figure_line(words)):
            figures = self.engine.read_line(crop, self.dpi, figures=True)
            if figures:
                words, kind = figures, "figure"
        elif words and any(FIGURE_GLYPH.fullmatch(g) for w in words for g, _b, _c in w.glyphs[:1]):
            words = self._reread_figures(words, crop)
        if kind == "figure":
            pass
        elif cell is not None and words and len("".join(w.text for w in words)) <= 2 \
                and all(w.confidence < NOISE_CONFIDENCE for w in words):
            # A glyph or two read unsure in a cell (a blurred `-` read as `려`): the figure
            # recogniser's reading stands when it is surer.
            figures = self.engine.read_line(crop, self.dpi, figures=True)
            if figures and min(w.confidence for w in figures) > max(w.confidence for w in words):
                words, kind = figures, "figure"
        elif not _SYLLABLE.search("".join(w.text for w in words)):
            # No Korean syllable read: the line is Latin, digits and marks (`I`, `II`, which
            # the Korean recogniser reads as `|`, `ㅣ`; `- 3 -`), read by the Latin one.
            bars = _upright_bars(ink[top:bottom, x0:x1], bottom - top, x0 - xa)
            latin = [bars] if bars else self.engine.read_line(crop, self.dpi, latin=True)
            if latin:
                words = latin
        if column is not None:
            self.columns[column] = kind
        ox = xa - _MARGIN_PX  # where the line image's column 0 is on the page
        empty = ~ink[top:bottom, xa:xb].any(axis=0)
        paper = [(a + _MARGIN_PX, b + _MARGIN_PX) for a, b in _runs(empty, gap=1)]
        if cell is None and not any(ch.isalnum() for w in words for ch in w.text) \
                and all(w.confidence < NOISE_CONFIDENCE for w in words):
            return  # marks alone on a line, read unsure: specks, not text
        self._emit(words, y0 - _MARGIN_PX, ox, top, bottom, cell, kind, paper)

    def _line_image(self, y0: int, y1: int, x0: int, x1: int, ink):
        """The grey line with everything but its text ink whitened (rules, specks), in a
        white margin, at least MIN_LINE_PT tall."""
        from PIL import Image

        grey = self.pixels[y0:y1, x0:x1]
        keep = ink[y0:y1, x0:x1] > 0
        # Keep the grey edge of each stroke too: a pixel beside text ink stays as scanned.
        import cv2

        near = cv2.dilate(keep.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
        clean = np.where(near, grey, 255).astype(np.uint8)
        h = clean.shape[0]
        extra = max(0, int(MIN_LINE_PT * self.px) - h) // 2
        clean = np.pad(clean, ((_MARGIN_PX + extra, _MARGIN_PX + extra), (_MARGIN_PX, _MARGIN_PX)), constant_values=255)
        self._extra = extra
        return Image.fromarray(clean)

    def _reread_figures(self, words: list[Word], crop) -> list[Word]:
        """Figures and codes within a line of text (`금 26,500천원`, `201-01 사무관리비`):
        each word's leading run of figure glyphs read again on its own by the figure
        recogniser (up to the next glyph, so a digit the Korean one dropped is seen), and
        kept when read as one figure."""
        out: list[Word] = []
        for k, w in enumerate(words):
            run = 0
            while run < len(w.glyphs) and FIGURE_GLYPH.fullmatch(w.glyphs[run][0]):
                run += 1
            digits = sum(ch.isdigit() for g, _b, _c in w.glyphs[:run] for ch in g)
            if digits < 2 or w.kind == "figure":
                out.append(w)
                continue
            x0 = w.glyphs[0][1][0]
            if run < len(w.glyphs):
                x1 = w.glyphs[run][1][0]
            elif k + 1 < len(words):
                x1 = words[k + 1].box[0]
            else:
                x1 = crop.width - _MARGIN_PX // 2
            x0 = max(0, x0 - _MARGIN_PX // 2)
            again = self.engine.read_line(crop.crop((x0, 0, x1, crop.height)), self.dpi, figures=True)
            if not again or not all(FIGURE_OR_CODE_WORD.fullmatch(f.text.replace(TRIANGLE_AS, "△")) for f in again):
                out.append(w)
                continue
            for f in again:  # figures, or a date's parts (`2022. 4. 20.`)
                f.box = (f.box[0] + x0, w.box[1], f.box[2] + x0, w.box[3])
                f.glyphs = [(t, (b[0] + x0, b[1], b[2] + x0, b[3]), c) for t, b, c in f.glyphs]
                f.kind = "figure"
                out.append(f)
            rest = w.glyphs[run:]
            if rest:
                out.append(Word("".join(g for g, _b, _c in rest), (rest[0][1][0], w.box[1], w.box[2], w.box[3]), rest, w.confidence))
        return out

    def _emit(self, words: list[Word], oy: int, ox: int, top: int, bottom: int, cell, kind: str, paper: list) -> None:
        """The words' glyphs as characters (points), with spaces where the line leaves
        them (`_spaces`)."""
        s = 1.0 / self.px
        t, b = top * s, bottom * s
        if b - t < MIN_LINE_PT:
            mid = (t + b) / 2
            t, b = mid - MIN_LINE_PT / 2, mid + MIN_LINE_PT / 2
            if cell is not None:
                t, b = max(t, cell[1] + 0.5), min(b, cell[3] - 0.5)
        size = b - t
        glyphs = []  # (text, x0, x1 in pixels of the crop, word index, the word's kind)
        for n, w in enumerate(words):
            word_kind = w.kind or kind
            text = w.text.replace(TRIANGLE_AS, "△") if word_kind == "figure" else w.text
            if not text.strip():
                continue
            marks = [(g.replace(TRIANGLE_AS, "△") if word_kind == "figure" else g, box, c) for g, box, c in w.glyphs]
            glyphs += [(g, box[0], box[2], n, word_kind, c) for g, box, c in marks if g.strip()]
            self.readings.append(Reading(
                self.number, text, ((w.box[0] + ox) * s, t, (w.box[2] + ox) * s, b), w.confidence,
                tuple((g, c) for g, _box, c in marks), word_kind, cell))
        glyphs = _without_specks(glyphs, paper, bottom - top)
        spaces = _spaces(glyphs, paper, bottom - top)
        for k, (g, x0, x1, _n, _kind, _c) in enumerate(glyphs):
            # A glyph's box runs on to the next one's within a word (as a PDF glyph's
            # advance does), so the reader finds no gap there to take for a space.
            if k + 1 < len(glyphs) and k + 1 not in spaces:
                x1 = max(x1, glyphs[k + 1][1])
            gx0, gx1 = (x0 + ox) * s, (x1 + ox) * s
            if k in spaces:
                px1 = (glyphs[k - 1][2] + ox) * s
                self.chars.append({"text": " ", "x0": px1, "x1": max(gx0, px1), "top": t, "bottom": b, "size": size})
            last = self.chars[-1] if self.chars and k > 0 else None
            if last is not None and g == last["text"]:
                # The same glyph again (`000`) on a box overlapping the last one's: kept
                # apart by more than half its width, or the reader would take it for one
                # glyph printed twice over and drop it.
                if gx0 <= last["x0"] + 0.5:
                    gx0 = last["x1"]
                gx1 = max(gx0 + 0.5, min(gx1, gx0 + 1.9 * (gx0 - last["x0"])))
            step = (gx1 - gx0) / len(g)
            for j, ch in enumerate(g):  # a glyph read as several characters shares its box
                self.chars.append({"text": ch, "x0": gx0 + j * step, "x1": gx0 + (j + 1) * step,
                                   "top": t, "bottom": b, "size": size})


def _paper_between(paper: list, lo: float, hi: float) -> float:
    return max((min(hi, end) - max(lo, start) for start, end in paper if start < hi and end > lo), default=0.0)


def _without_specks(glyphs: list, paper: list, height: int) -> list:
    """A dot or tick read unsure with a word's paper on both sides is a speck between words
    (a full stop or comma follows its word closely; an apostrophe opens one); a stop after a
    word's gap, on the next glyph's edge, was never printed."""
    out = []
    for k, g in enumerate(glyphs):
        if g[0] in ".," and 0 < k < len(glyphs) - 1 and g[2] >= glyphs[k + 1][1] - 1 \
                and _paper_between(paper, glyphs[k - 1][2] - BOX_SLACK * height, g[1] + BOX_SLACK * height) > SPACE_GAP * height:
            continue  # a stop after a word's gap, on the next glyph's edge: Tesseract's phantom
        if g[0] in ".,'`" and g[5] < CONFIDENT_MARK and 0 < k < len(glyphs) - 1:
            before = _paper_between(paper, glyphs[k - 1][2] - BOX_SLACK * height, g[1] + BOX_SLACK * height)
            after = _paper_between(paper, g[2] - BOX_SLACK * height, glyphs[k + 1][1] + BOX_SLACK * height)
            if before > SPACE_GAP * height and after > SPACE_GAP * height:
                continue
        out.append(g)
    return out


def _spaces(glyphs: list, paper: list, height: int) -> set:
    """Indices of the glyphs a space stands before: where the paper between two glyphs'
    boxes (`paper`: runs of ink-free columns, pixels of the crop) is wider than
    SPACE_GAP of the line's height. The ink decides, not Tesseract's word breaks (it ends
    a word between Korean syllables) nor its glyph boxes (approximate); `민` and `기` leave
    paper inside or beside themselves, but less than a space. Never inside a figure."""
    out = set()
    for k in range(1, len(glyphs)):
        a, b = glyphs[k - 1], glyphs[k]
        if a[3] == b[3] and a[4] == "figure":
            continue
        # Between the glyphs' boxes (a little into them: Tesseract's boxes are approximate):
        # a syllable's own paper (`기`, `민`) lies inside its box.
        lo, hi = a[2] - BOX_SLACK * height, b[1] + BOX_SLACK * height
        # Between digits and marks (`1`, `.` are narrower than their advance) more paper.
        gap = SPACE_GAP if _SYLLABLE.fullmatch(a[0]) or _SYLLABLE.fullmatch(b[0]) else NARROW_SPACE_GAP
        if any(min(hi, end) - max(lo, start) > gap * height for start, end in paper if start < hi and end > lo):
            out.add(k)
    return out

def outside(ink: np.ndarray, tables: list[tuple], dpi: float) -> np.ndarray:
    """The ink with the tables' areas (points) blanked."""
    px = dpi / 72.0
    ink = ink.copy()
    for x0, y0, x1, y1 in tables:
        ink[max(0, int(y0 * px) - 2): int(y1 * px) + 3, max(0, int(x0 * px) - 2): int(x1 * px) + 3] = 0
    return ink


def _bullet(ink: np.ndarray, height: int) -> Optional[tuple[str, int, int]]:
    """A hollow square or circle opening a line, a word's gap before the text: the
    section mark `□` or the item mark `○`, which Korean data reads as `ㅁ`, `(`, `(>`.
    Returns the mark, its width and its width with the gap after it (pixels), or None."""
    import cv2

    cols = np.flatnonzero(ink.any(axis=0))
    if len(cols) == 0:
        return None
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    if n < 3:
        return None
    first = 1 + int(np.argmin(stats[1:n, cv2.CC_STAT_LEFT]))
    x, y, w, h, area = stats[first].tolist()
    if not (0.45 * height <= h <= height and 0.75 <= w / h <= 1.33):
        return None
    # (pieces of the mark a speck broke off lie within its box: not the text after it)
    others = [k for k in range(1, n) if k != first and stats[k, cv2.CC_STAT_LEFT] >= x + w - 1]
    if not others:
        return None
    after = min(int(stats[k, cv2.CC_STAT_LEFT]) for k in others)
    if after - (x + w) < SPACE_GAP * height and h < 0.7 * height:
        return None  # a jamo of a syllable (`ㅇ` of `이`), not a mark (as tall as the line) before a word
    inner = labels[y + h // 4: y + h - h // 4, x + w // 4: x + w - w // 4] == first
    if inner.any() or area > 0.6 * w * h:
        return None  # not hollow
    k = max(1, min(w, h) // 6)
    box = labels[y:y + h, x:x + w] == first
    # A square's corners are inked through; a circle leaves them paper (a speck aside).
    corners = sum(box[r:r + k, c:c + k].mean() >= 0.3 for r in (0, h - k) for c in (0, w - k))
    return ("□" if corners == 4 else "○"), w, after - x


def _leading_bars(ink: np.ndarray, height: int) -> Optional[tuple[str, int, int]]:
    """Upright bars opening a line, a word's gap before the text: a Roman numeral (`Ⅱ 무더위
    쉼터 …`), read as that many `I` (see `_upright_bars`). Returns it, its width and its
    width with the gap after it (pixels), or None."""
    import cv2

    n, _, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    boxes = sorted(stats[1:n].tolist())
    bars = 0
    for x, y, w, h, area in boxes[:4]:
        if h < 0.7 * height or w > 0.35 * h or area < 0.6 * w * h:
            break
        bars += 1
    if not bars or bars == len(boxes):
        return None
    end = max(x + w for x, y, w, h, a in boxes[:bars])
    after = boxes[bars][0]
    if after - end < 2 * SPACE_GAP * height:
        return None  # a stroke of a word (`ㅣ` of a syllable), not a numeral before one
    return "I" * bars, end - boxes[0][0], after - boxes[0][0]


def _confidence(words: list[Word]) -> float:
    return sum(w.confidence for w in words) / len(words)


def _black_and_white(image):
    """A grey line image thresholded (Otsu): Tesseract reads some glyphs apart only so
    (`총` as `종` in grey)."""
    import cv2
    from PIL import Image

    _, bw = cv2.threshold(np.asarray(image), 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    return Image.fromarray(bw)


def _dash(ink: np.ndarray, dx: int) -> Optional[Word]:
    """A band holding one horizontal stroke only: `-`. None otherwise."""
    import cv2

    n, _, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    if n != 2:
        return None
    x, y, w, h, area = stats[1].tolist()
    if w < 1.5 * h or area < 0.5 * w * h:
        return None
    box = (x + dx + _MARGIN_PX, 0, x + dx + _MARGIN_PX + w, h)
    return Word("-", box, [("-", box, 90.0)], 90.0, "figure")


def _upright_bars(ink: np.ndarray, height: int, dx: int) -> Optional[Word]:
    """A line of upright bars only (`I`, `II`, `III` in a sans-serif face): read as that
    many `I`, the letter a bar is in Latin text (Tesseract reads one bar as `|`, `l`, `1`
    or `I)` by turns). None when any of the line's ink is not such a bar."""
    import cv2

    n, _, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    # (specks a line band took in aside: bits under a third of its height both ways)
    boxes = [b for b in stats[1:n].tolist() if b[3] >= height / 3 or b[2] >= height / 3]
    if not 1 <= len(boxes) <= 4:
        return None
    tallest = max(b[3] for b in boxes)
    for x, y, w, h, area in boxes:
        if h < 0.7 * tallest or tallest < 0.5 * height or w > 0.35 * h or area < 0.6 * w * h:
            return None
    boxes = sorted([x + dx + _MARGIN_PX, y, w, h, a] for x, y, w, h, a in boxes)
    glyphs = [("I", (x, 0, x + w, height), 90.0) for x, y, w, h, _a in boxes]
    return Word("I" * len(boxes), (boxes[0][0], 0, boxes[-1][0] + boxes[-1][2], height), glyphs, 90.0)


def _is_figure_line(words: list[Word]) -> bool:
    text = "".join(w.text for w in words).replace(" ", "")
    if not text:
        return False
    marks = len(FIGURE_CHAR.findall(text))
    digits = sum(ch.isdigit() for ch in text)
    return (digits > 0 or text in ("-", "—", "–")) and len(text) - marks <= max(1, len(text) // 6)


def _runs(mask: np.ndarray, gap: int) -> list[tuple[int, int]]:
    """Runs of True in mask, joined across gaps shorter than `gap`."""
    idx = np.flatnonzero(mask)
    if len(idx) == 0:
        return []
    out = []
    start = prev = int(idx[0])
    for i in idx[1:].tolist():
        if i - prev > gap:
            out.append((start, prev + 1))
            start = i
        prev = i
    out.append((start, prev + 1))
    return out
