"""The first stage of one layout-text table: its lines placed in its columns, page by page
(a page without the header packed afresh by the converter, a row the page cut going on at
the next page's top), and cut into rows. `place` returns a `Placed` value; the grid is
built from it (table.py)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ...domain.codes import CODE_BEGUN as _CODE_START, CODE_CHARS as _CODE_PIECE, CODE_GROUP as _CODE_GROUP, CODE_WHOLE as _CODE_WHOLE
from ...domain.figures import FIGURE_WHOLE as COMPLETE
from ...settings import LayoutSettings

from .columns import Columns, Segment, _units, place_words
from .header import header_of
from .rows import RowStarts, TableFrame, extent, frame_of, header_columns, moved, row_starts, total_label
from .words import Unbuildable, header_piece_line, header_terms, is_amount


@dataclass(frozen=True)
class Placed:
    """One table's lines placed: what the grid is built from."""

    frame: TableFrame
    lines: list  # the document's lines
    header_idx: list  # indexes into `lines` of the table's header
    body_idx: list  # … and of its body
    headed_pages: frozenset  # pages that print the header (where a column stands there tells)
    body: list  # (line index, line) of every body line, in order
    cells: list  # per body line: {column: text}
    spans: list  # per body line: {column: (x0, x1)}
    rows: RowStarts


def place(lines, header_idx: list, body_idx: list, metric: str, settings: LayoutSettings) -> Placed:
    """One table's lines (its header's and its body's, by index into `lines`) placed in
    its columns, page by page, and cut into rows. Raises Unbuildable."""
    first_header = header_of([lines[i] for i in header_idx], metric, settings)
    frame = frame_of(first_header, metric, settings)
    segments = _segments(frame, lines, header_idx, body_idx)
    headed_pages = {seg.page for seg in segments if seg.header} | {first_header.page or lines[header_idx[0]].page}
    body: list = []  # (line index, _Line) of every body line, in order
    earlier: list[dict] = []  # per body line: {column: [Word]}
    all_labels: dict = {}  # body position → [(column, Word)]: words of a line that may open the total row
    prev: Optional[Columns] = None
    for seg in segments:
        header = first_header if not seg.header or seg is segments[0] else header_of(seg.header, metric, settings)
        if len(header.leaves) != frame.n_cols or header.roles != first_header.roles:
            raise Unbuildable(f"the header repeated on page {seg.page} has other columns")
        if not seg.body:
            if seg.header:
                prev = header_columns(frame, header)
            continue
        body_lines = [ln for _, ln in seg.body]
        totals = {p for p, ln in enumerate(body_lines) if total_label(ln, frame.metric)}
        if seg.header:
            columns = header_columns(frame, header)
            placed, labels = place_words(body_lines, metric, columns, totals, frame.settings)
        else:
            if prev is None:
                raise Unbuildable(f"page {seg.page} has nothing to place its columns by")
            columns = moved(frame, prev, body_lines)
            # A 통계목 name the page cut from its code opens the page, wherever the
            # converter put it: it is the code's.
            lead = _cut_name_lines(frame, earlier, body_lines)
            cut = not lead and _stat_name_cut(frame, earlier)
            placed, labels = place_words(body_lines[lead:], metric, columns, {t - lead for t in totals if t >= lead}, frame.settings)
            _cut_name_placed(frame, placed, body_lines, cut)
            placed = [{frame.stat_col: ln.spans(metric)} for ln in body_lines[:lead]] + placed
            labels = {p + lead: v for p, v in labels.items()}
            placed = _cut_figures_go_on(frame, earlier, all_labels, placed, body_lines)
        base = len(body)
        for p, ((i, ln), cells) in enumerate(zip(seg.body, placed)):
            body.append((i, ln))
            earlier.append(cells)
            if p in labels:
                all_labels[base + p] = labels[p]
        prev = extent(frame, placed, columns)
    rows = row_starts(frame, [_texts(cells) for cells in earlier], all_labels)
    for k, label in all_labels.items():
        for col, w in label:
            earlier[k].setdefault(0 if k == rows.total_start else col, []).append(w)
    cells = [_texts(cells) for cells in earlier]
    spans = [{c: (min(w.x0 for w in ws), max(w.x1 for w in ws)) for c, ws in cells.items()} for cells in earlier]
    return Placed(frame, lines, header_idx, body_idx, frozenset(headed_pages), body, cells, spans, rows)

def _texts(cells: dict) -> dict:
    """A line's words per column → its text per column."""
    return {c: " ".join(w.text for w in sorted(ws, key=lambda w: w.x0)) for c, ws in cells.items()}

def _segments(frame: TableFrame, lines, header_idx: list, body_idx: list) -> list[Segment]:
    """The table's lines page by page; lines of header words (or their wrapped pieces)
    opening a page, two header words among them, are the header repeated there."""
    first = lines[header_idx[0]]
    # A header the page cut, put together on its second page, stands over the body there.
    segs = [Segment(frame.header.page or first.page, [lines[i] for i in header_idx], [])]
    for i in body_idx:
        ln = lines[i]
        if ln.blank:
            continue
        if ln.page != segs[-1].page:
            segs.append(Segment(ln.page, [], []))
        segs[-1].body.append((i, ln))
    for seg in segs[1:]:
        run = 0
        while run < len(seg.body) and header_piece_line(seg.body[run][1]):
            run += 1
        if run and any(header_terms(ln.spans(frame.metric)) >= 2 for _, ln in seg.body[:run]):
            seg.header = [ln for _, ln in seg.body[:run]]
            seg.body = seg.body[run:]
    return segs

def _stat_name_cut(frame: TableFrame, earlier: list) -> bool:
    """The last row so far printed its 통계목 code and no name (the page cut it there)."""
    if frame.stat_col is None:
        return False
    for cells in reversed(earlier):
        stat = [w.text for w in cells.get(frame.stat_col, [])]
        if any(not _CODE_PIECE.match(t) for t in stat):
            return False  # the name was printed
        if stat and _CODE_START.match(stat[0]):
            return True
    return False

def _cut_name_placed(frame: TableFrame, placed: list, body_lines: list, cut: bool) -> None:
    """A page opening with the rest of a row the page cut after its 통계목 code, its
    name beside other names' rests (`터` / `기관` …): placed by where each stands (the
    converter packed the page afresh), the name must land in the 통계목 column; if
    none of the opening lines' words does, the places tell nothing. Raises Unbuildable."""
    if not cut:
        return
    opening = []
    for ln, cells in zip(body_lines, placed):
        if not _rest_of_names(frame, ln.spans(frame.metric), ln):
            break
        opening.append(cells)
    if opening and not any(frame.stat_col in cells for cells in opening):
        raise Unbuildable(
            f"line {body_lines[0].no}: a page opening with the rest of a row the page cut, its 통계목 name beside "
            "other names, none where the 통계목 stood: which column each goes on in cannot be told"
        )

def _rest_of_names(frame: TableFrame, words: list, ln) -> bool:
    """A line opening a page that prints names only: no figure, no code, no total."""
    return bool(words) and not any(is_amount(w.text) or _CODE_START.match(w.text) for w in words) and not total_label(ln, frame.metric)

def _cut_name_lines(frame: TableFrame, earlier: list, body_lines: list) -> int:
    """How many lines opening a page without its header are the 통계목 name of the row
    the page cut after its code (`203-0` / `1` at the foot, no name): lines of one
    cell's text only (words a single space apart), no code, one above the other."""
    if not _stat_name_cut(frame, earlier):
        return 0
    n, span = 0, None
    for ln in body_lines:
        words = ln.spans(frame.metric)
        if not _rest_of_names(frame, words, ln) or len(_units(words)) > 1:
            break  # figures, a code, a total, or more than one cell's text
        x0, x1 = words[0].x0, words[-1].x1
        if span is not None and (x1 <= span[0] or x0 >= span[1]):
            break
        span = (x0, x1) if span is None else (min(span[0], x0), max(span[1], x1))
        n += 1
    return n

def _cut_figures_go_on(frame: TableFrame, earlier: list, labels: dict, placed: list, body_lines: list) -> list:
    """Lines of figures opening a page without its header (alone, or beside the rest of
    the row's names, before any new row) go on with the figures the page cut (`2,550,`
    / `165,00` / `0`): each piece, left to right, to the columns whose figure is still
    cut. pdftotext packs such a page afresh, so where its pieces stand tells nothing.
    Returns the page's placement (`placed`, left as it was) with those lines re-placed."""
    placed = list(placed)  # this page's placement, its lines of figures going on re-placed
    acc: dict = {}
    code = ""  # the row's 통계목 code as far as the page printed it
    for k in range(len(earlier) - 1, -1, -1):
        cells = earlier[k]
        for c, ws in cells.items():
            if c >= frame.n_text:
                acc[c] = "".join(w.text for w in ws) + acc.get(c, "")
        stat = cells.get(frame.stat_col, []) if frame.stat_col is not None else []
        if stat and _CODE_PIECE.match(stat[0].text):
            code = stat[0].text + code
        if k in labels or (stat and _CODE_START.match(stat[0].text)):
            break
    for p, ln in enumerate(body_lines):
        words = ln.spans(frame.metric)
        if not words or total_label(ln, frame.metric) or any(_CODE_START.match(w.text) for w in words):
            return placed  # the next row, or the total row
        if not all(is_amount(w.text) for w in words):
            # A line also printing the rest of the row's names: its figures, before
            # any new row, are the rest of the row's cut figures likewise, when there
            # are as many as figures still cut (else the line is left as placed).
            text = {c: ws for c, ws in placed[p].items() if c < frame.n_text}
            figures = sorted((w for c, ws in placed[p].items() if c >= frame.n_text for w in ws), key=lambda w: w.x0)
            rest = None  # the code's rest (`110-401-` / `01 시설비`) opening the line's figures
            if (figures and code and not _CODE_WHOLE.match(code) and _CODE_PIECE.match(figures[0].text)
                    and _CODE_WHOLE.match(code + figures[0].text)):
                rest, figures = figures[0], figures[1:]
            if any(_CODE_GROUP.match(w.text) or _CODE_PIECE.match(w.text) for ws in text.values() for w in ws):
                return placed  # a code's head among the names: the next row (`203` / `-01`)
            cut = [c for c in sorted(acc) if not COMPLETE.match(acc[c])]
            if not cut or not figures or len(figures) != len(cut):
                return placed
            if rest is not None:
                code += rest.text
                text[frame.stat_col] = sorted(text.get(frame.stat_col, []) + [rest], key=lambda w: w.x0)
            placed[p] = {**text, **{c: [w] for c, w in zip(cut, figures)}}
            for c, w in zip(cut, figures):
                acc[c] += w.text
            continue
        # A code the page cut goes on too (`100-307-0` / `4`): its rest opens the line,
        # digits only, making a whole code.
        taken: dict = {}
        others = placed[p]
        if (code and not _CODE_WHOLE.match(code) and _CODE_PIECE.match(words[0].text)
                and _CODE_WHOLE.match(code + words[0].text)):
            code += words[0].text
            taken = {frame.stat_col: [words[0]]}
            words = words[1:]
            others = {c: [w for w in ws if w is not taken[frame.stat_col][0]] for c, ws in placed[p].items() if c >= frame.n_text}
            others = {c: ws for c, ws in others.items() if ws}
        cut = [c for c in sorted(acc) if not COMPLETE.match(acc[c])]
        if not words or not cut:
            if taken:
                placed[p] = {**taken, **others} if words else taken
            if not cut:
                return placed
            continue
        if len(words) > len(cut) or (len(words) < len(cut) and any(c not in cut for c in others)):
            raise Unbuildable(f"line {ln.no}: figures going on from the page before could not be placed")
        cols = cut if len(words) == len(cut) else sorted(others)
        placed[p] = {**taken, **{c: [w] for c, w in zip(cols, words)}}
        for c, w in zip(cols, words):
            acc[c] += w.text
    return placed
