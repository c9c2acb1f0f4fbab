"""A PDF page's geometry behind one small interface, with two producers.

The PDF reader needs from each page only its size, its characters (text, box, font size),
its ruling lines (as horizontal and vertical edges) and whether it shows images. Everything
above that (lines of text, table grids, word joining, page furniture, locations) is one
implementation in pdf.py that never sees the library underneath. Two producers give the
same geometry:

* `pdfium` (the default): pypdfium2, the PDF engine of Chromium. Characters come from its
  text page (`FPDFText_*`: origin, advance box, font size; the spaces and line breaks it
  *generates* are dropped, since pdf.py decides spaces from the glyphs and their gaps);
  edges from the path objects of the page (and of its form XObjects), each segment of a
  path turned into an edge as pdfplumber turns lines, rectangles and curves into edges.
* `pdfplumber` (the reference): pdfminer's layout objects through pdfplumber. Slower by an
  order of magnitude, it is kept as the reference the tests compare with, and because the
  auditor's page crops are rendered with it.

Characters are given the same box by both: horizontally the glyph's advance from its
origin, vertically the em square standing on the baseline (`bottom` = baseline, `top` =
baseline − font size). pdfminer would lower the box by the font descriptor's `Descent`,
which pdfium does not expose reliably; standing the box on the baseline makes both
producers agree to the hundredth of a point and keeps a line's characters level.

Coordinates are PDF points from the page's top-left corner, as pdfplumber gives them.
"""
from __future__ import annotations

import ctypes
import io
import math
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Iterator, Optional

from ...errors import InputError
from ...limits import Limits
from ...settings import DEFAULT_SETTINGS, GeometrySettings


@dataclass
class PageGeometry:
    number: int  # 1-based
    width: float
    height: float
    chars: list[dict] = field(default_factory=list)  # {"text", "x0", "x1", "top", "bottom", "size"}
    edges: list[dict] = field(default_factory=list)  # pdfplumber edge dicts, orientation "h" or "v"
    has_images: bool = False
    # Whether each glyph's box is where a text layer drew it (pypdfium2, pdfplumber), or where
    # a recogniser estimated it (OCR): only drawn boxes can show two texts printed over each
    # other.
    glyph_boxes_drawn: bool = True

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (0.0, 0.0, self.width, self.height)


class PdfSource:
    """An open PDF: its page count and its pages' geometry, one page at a time."""

    def __len__(self) -> int:  # pragma: no cover - interface
        raise NotImplementedError

    def page(self, number: int) -> PageGeometry:  # pragma: no cover - interface
        raise NotImplementedError

    def close(self) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def error_reason(e) -> str:
    msg = str(e).strip().splitlines()[0] if str(e).strip() else ""
    name = type(e).__name__
    return f"{name}: {msg[:120]}" if msg else name


def _check_eof(data: bytes) -> None:
    if b"%%EOF" not in data[-2048:]:
        raise InputError("truncated or damaged PDF (no end-of-file marker)")


def _edge(x0: float, top: float, x1: float, bottom: float, kind: str) -> Optional[dict]:
    """An axis-parallel segment as pdfplumber's edge dict; None for a slanted one."""
    if x0 == x1:
        orientation = "v"
    elif top == bottom:
        orientation = "h"
    else:
        return None
    if x0 > x1:
        x0, x1 = x1, x0
    if top > bottom:
        top, bottom = bottom, top
    return {"object_type": kind, "x0": x0, "x1": x1, "top": top, "bottom": bottom,
            "width": x1 - x0, "height": bottom - top, "orientation": orientation}


def _compose(m: tuple, n: tuple) -> tuple:
    """The matrix m followed by n (PDF's row-vector convention: point × m × n)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


# ---------------------------------------------------------------- pypdfium2
def _by_address(function):
    """The same C function, taking and returning pdfium's handles as plain ints:
    pypdfium2's binding wraps every returned handle in a new ctypes object, which can key
    no dict and costs a wrapper per call on the hot paths."""
    def plain(t):  # a pdfium handle (pointer to an opaque fpdf_*_t) → an int
        return ctypes.c_void_p if t is not None and t.__name__.startswith("LP_struct_fpdf_") else t

    prototype = ctypes.CFUNCTYPE(plain(function.restype), *map(plain, function.argtypes))
    return prototype(ctypes.cast(function, ctypes.c_void_p).value)


def _address(pointer) -> int:
    return ctypes.cast(pointer, ctypes.c_void_p).value


class _View:
    """From a page's user space (PDF points, y up) to what a viewer shows: points from the
    top-left corner of the page turned by its /Rotate (0, 90, 180 or 270 degrees clockwise),
    so that a landscape page stored turned reads in its reading orientation and every
    location is where a viewer shows it (pdfminer turns pages so too)."""

    def __init__(self, bbox: tuple, rotation: int):
        self.left, self.bottom, self.right, self.top = bbox
        self.rotation = rotation % 360 if rotation % 90 == 0 else 0

    def point(self, x: float, y: float) -> tuple[float, float]:
        r = self.rotation
        if r == 0:
            return x - self.left, self.top - y
        if r == 90:
            return y - self.bottom, x - self.left
        if r == 180:
            return self.right - x, y - self.bottom
        return self.top - y, self.right - x


@dataclass
class _Walk:
    """What one walk over a page's objects collects."""

    textpage: object
    view: _View
    edges: list = field(default_factory=list)
    images: bool = False
    blank_texts: list = field(default_factory=list)  # (x, baseline, size) of text objects listed blank


def _unlisted_spaces(chars: list[dict], blank_texts: list, gs: GeometrySettings) -> list[dict]:
    """Space glyphs drawn in a text object of their own that pdfium's text page does not
    list (LibreOffice draws spaces from a fallback font so, e.g. the space it broke a cell
    line at; Chromium's spaces map to U+0001): the object remains, its text blank, its
    origin where the glyph is. Given back as a space there, unless a glyph already starts
    at that point. Its width, which the reader learns a line's space advance from, is the
    gap to the next glyph; at the end of a line, the width such spaces have elsewhere at
    that size (or the page's real spaces'), else `gs.open_space_em`. Positions are compared
    on a grid of `gs.start_grid` points, one cell either way (rounding of two producers'
    arithmetic)."""
    if not blank_texts:
        return []
    grid = gs.start_grid

    def cell(v: float) -> int:
        return round(v / grid)

    near = (-1, 0, 1)
    by_line: dict = {}
    for c in chars:
        by_line.setdefault(cell(c["bottom"]), []).append(c)
    for line in by_line.values():
        line.sort(key=lambda c: c["x0"])
    starts = {(cell(c["bottom"]), cell(c["x0"])) for c in chars}
    learned: dict = {}
    for c in chars:
        if c["text"] == " " and c["x1"] > c["x0"]:
            learned.setdefault(round(c["size"], 1), c["x1"] - c["x0"])
    placed, open_ended = [], []
    for x, baseline, size in blank_texts:
        y = cell(baseline)
        if size <= 0 or any((y + dy, cell(x) + dx) in starts for dy in near for dx in near):
            continue
        starts.add((y, cell(x)))
        space = {"text": " ", "x0": x, "x1": x, "top": baseline - size, "bottom": baseline, "size": size}
        after = [c for dy in near for c in by_line.get(y + dy, ()) if c["x0"] >= x - gs.start_slack]
        nxt = min((c["x0"] for c in after), default=None)
        if nxt is not None and nxt - x <= gs.space_reach_em * size:
            space["x1"] = nxt
            learned[round(size, 1)] = nxt - x
            placed.append(space)
        else:
            open_ended.append(space)
    for space in open_ended:
        space["x1"] = space["x0"] + learned.get(round(space["size"], 1), gs.open_space_em * space["size"])
    return placed + open_ended


class PdfiumSource(PdfSource):
    def __init__(self, data: bytes, settings: GeometrySettings = DEFAULT_SETTINGS.geometry):
        import pypdfium2 as pdfium
        import pypdfium2.raw as raw

        self._raw = raw
        self._settings = settings
        self._runs: dict = {}
        self._fn = {name: _by_address(getattr(raw, symbol)) for name, symbol in (
            ("page_count", "FPDFPage_CountObjects"), ("page_object", "FPDFPage_GetObject"),
            ("form_count", "FPDFFormObj_CountObjects"), ("form_object", "FPDFFormObj_GetObject"),
            ("type", "FPDFPageObj_GetType"), ("text", "FPDFTextObj_GetText"),
            ("bounds", "FPDFPageObj_GetBounds"), ("font_size", "FPDFTextObj_GetFontSize"),
            ("matrix", "FPDFPageObj_GetMatrix"), ("segments", "FPDFPath_CountSegments"),
            ("segment", "FPDFPath_GetPathSegment"), ("point", "FPDFPathSegment_GetPoint"),
            ("segment_type", "FPDFPathSegment_GetType"), ("closes", "FPDFPathSegment_GetClose"),
            ("char_object", "FPDFText_GetTextObject"))}
        _check_eof(data)
        try:
            self._pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as e:
            code = getattr(e, "err_code", None)
            if code == raw.FPDF_ERR_PASSWORD:
                raise InputError("encrypted PDF (password-protected); cannot read it without the password") from None
            if code == raw.FPDF_ERR_SECURITY:
                raise InputError("encrypted PDF with an unsupported security scheme") from None
            raise InputError(f"damaged PDF ({error_reason(e)})") from None
        except Exception as e:  # hostile input: never a traceback
            raise InputError(f"damaged PDF ({error_reason(e)})") from None
        # Reused output parameters for the per-character calls (the hot loop).
        self._x = ctypes.c_double()
        self._y = ctypes.c_double()
        self._left = ctypes.c_double()
        self._right = ctypes.c_double()
        self._bottom = ctypes.c_double()
        self._top = ctypes.c_double()

    def __len__(self) -> int:
        return len(self._pdf)

    def page(self, number: int) -> PageGeometry:
        raw = self._raw
        page = self._pdf[number - 1]
        try:
            width, height = page.get_size()
            # Text and paths are in the page's user space; pdfplumber measures from the
            # top-left corner of the media box (or crop box), as this does.
            view = _View(page.get_bbox(), page.get_rotation())
            textpage = page.get_textpage()
            try:
                chars = self._chars(textpage.raw, view)
                walk = _Walk(_address(textpage.raw), view)
                self._walk(_address(page.raw), False, (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), walk, 0)
            finally:
                textpage.close()
            chars += _unlisted_spaces(chars, walk.blank_texts, self._settings)
            return PageGeometry(number, float(width), float(height), chars, walk.edges, walk.images)
        finally:
            page.close()

    _MAX_FORM_DEPTH = 8

    def _walk(self, parent, in_form: bool, ctm: tuple, walk: "_Walk", depth: int) -> None:
        """The page's objects (and those of its form XObjects, with their matrices): path
        objects → edges; images noted; text objects whose text pdfium lists as blank
        (see `_unlisted_spaces`). Raw calls: pypdfium2's object wrappers cost more than
        the walk itself."""
        raw = self._raw
        fn = self._fn
        count = fn["form_count"] if in_form else fn["page_count"]
        get = fn["form_object"] if in_form else fn["page_object"]
        get_type = fn["type"]
        listed = self._runs
        for k in range(max(count(parent), 0)):
            obj = get(parent, k)
            if not obj:
                continue
            kind = get_type(obj)
            if kind == raw.FPDF_PAGEOBJ_TEXT:
                # An object with a glyph on the text page is listed; the others may be
                # spaces pdfium left out (one character or none: 4 or 2 bytes of UTF-16).
                if obj not in listed and fn["text"](obj, walk.textpage, None, 0) <= 4:
                    self._blank_text(obj, ctm, walk)
            elif kind == raw.FPDF_PAGEOBJ_PATH:
                walk.edges += self._path_edges(obj, ctm, walk.view)
            elif kind == raw.FPDF_PAGEOBJ_IMAGE:
                walk.images = True
            elif kind == raw.FPDF_PAGEOBJ_FORM and depth < self._MAX_FORM_DEPTH:
                self._walk(obj, True, _compose(self._matrix(obj), ctm), walk, depth + 1)

    def _blank_text(self, obj, ctm: tuple, walk: "_Walk") -> None:
        raw = self._raw
        buffer = ctypes.create_string_buffer(4)
        self._fn["text"](obj, walk.textpage, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)), 4)
        if buffer.raw[:2].decode("utf-16-le", "replace").strip("\x00 "):
            return  # one visible character: listed by the text page
        fl, fb, fr, ft = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
        if not self._fn["bounds"](obj, fl, fb, fr, ft):
            return
        size = ctypes.c_float()
        self._fn["font_size"](obj, size)
        a, b, c, d, e, f = _compose(self._matrix(obj), ctm)
        # Bounds are in the object's container space; a form's objects need its matrix.
        ca, cb, cc, cd, ce, cf = ctm
        x, baseline = walk.view.point(ca * fl.value + cc * fb.value + ce, cb * fl.value + cd * fb.value + cf)
        walk.blank_texts.append((x, baseline, size.value * math.hypot(c, d)))

    def _matrix(self, obj) -> tuple:
        m = self._raw.FS_MATRIX()
        if not self._fn["matrix"](obj, m):
            return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        return (m.a, m.b, m.c, m.d, m.e, m.f)

    def _chars(self, textpage, view: _View) -> list[dict]:
        """The page's glyphs, each with its index in pdfium's text order (`_order`)."""
        raw = self._raw
        x, y = self._x, self._y
        is_generated = raw.FPDFText_IsGenerated
        get_unicode = raw.FPDFText_GetUnicode
        get_origin = raw.FPDFText_GetCharOrigin
        get_loose = raw.FPDFText_GetLooseCharBox
        get_size = raw.FPDFText_GetFontSize
        get_matrix = raw.FPDFText_GetMatrix
        get_object = self._fn["char_object"]
        left, top_y = view.left, view.top
        turned = view.point if view.rotation else None  # None: the plain arithmetic of an unturned page
        runs = self._runs = {}  # text object → (baseline, size); the walk skips these objects
        rect = raw.FS_RECTF()
        matrix = raw.FS_MATRIX()
        n = raw.FPDFText_CountChars(textpage)
        out: list[dict] = []
        if n <= 0:
            return out
        # All code points in one call (UTF-16, one unit per text-page index).
        buffer = ctypes.create_string_buffer(2 * (n + 1))
        raw.FPDFText_GetText(textpage, 0, n, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
        units = memoryview(buffer.raw).cast("H")
        for i in range(n):
            code = units[i]
            # pdfium generates only spaces and line breaks; only they need asking.
            if code in (32, 10, 13) and is_generated(textpage, i):
                continue
            if code in (0, 0xFFFE, 0xFFFF) or 0xD800 <= code <= 0xDFFF:
                code = get_unicode(textpage, i)  # outside the BMP, or no text: ask for the char
                if code in (0, 0xFFFE, 0xFFFF) or 0xD800 <= code <= 0xDFFF:
                    continue  # an unmapped glyph
            get_loose(textpage, i, rect)  # the advance box: from the origin, the glyph's width
            # One text object is one text-showing operator: one baseline, one size. Both
            # are asked once per object, which halves the calls per character.
            obj = get_object(textpage, i)
            run = runs.get(obj)
            if run is None:
                get_origin(textpage, i, x, y)
                # The size the glyph is drawn at: the font size operand scaled by the text
                # and graphics matrices (Chromium prints 12 under a 0.75 scale: 9 points).
                get_matrix(textpage, i, matrix)
                run = runs[obj] = (top_y - y.value if turned is None else turned(x.value, y.value)[1],
                                   get_size(textpage, i) * math.hypot(matrix.c, matrix.d))
            baseline, size = run
            if turned is None:
                x0, x1 = rect.left - left, rect.right - left
            else:  # the advance box's corners, turned: its extent along the viewer's lines
                xs = (turned(rect.left, rect.bottom)[0], turned(rect.right, rect.top)[0])
                x0, x1 = min(xs), max(xs)
            out.append({
                "text": chr(code),
                "x0": x0,
                "x1": x1,
                "top": baseline - size,
                "bottom": baseline,
                "size": size,
                "_order": i,
            })
        spaces = self._lost_spaces(textpage, out)
        for ch in out:
            del ch["_order"]
        return out + spaces

    def _lost_spaces(self, textpage, chars: list[dict]) -> list[dict]:
        """Space glyphs pdfium's text page lost, given back.

        pdfium drops some real space glyphs (next to `※`, `⇒`, `➡` drawn from a fallback
        font, or replaced by a zero-width space it marks as generated), which pdfminer
        reports. A lost space leaves two marks: a gap of the font's own space advance
        between glyphs of one baseline (learned from the page's real spaces), and the two
        glyphs are not neighbours in pdfium's text order. Gaps without a glyph are
        narrower (LibreOffice's autospace between Hangul and digits, `30,000천원`, is at
        most 0.77 of a space), and wider ones are pdf.py's to judge, as for pdfplumber: a
        lost space is a gap of `lost_space_min` to `lost_space_max` space advances."""
        gs = self._settings
        by_size: dict = {}  # font size → the space advances printed at that size
        for ch in chars:
            if ch["text"] == " " and ch["x1"] > ch["x0"]:
                by_size.setdefault(round(ch["size"], 1), set()).add(round(ch["x1"] - ch["x0"], 2))
        if not by_size:
            return []  # the page draws no space glyph at all: none was lost
        candidates = [(a, b) for a, b in self._neighbours(chars, gs.baseline_split)
                      if a["text"] != " " and b["text"] != " " and b["_order"] != a["_order"] + 1
                      and (widths := by_size.get(round(a["size"], 1)))
                      and gs.lost_space_min * min(widths) <= b["x0"] - a["x1"] <= gs.lost_space_max * max(widths)]
        if not candidates:
            return []
        # Several fonts at one size: measure the gap against the neighbours' own font.
        raw = self._raw

        def font(ch):
            handle = raw.FPDFTextObj_GetFont(raw.FPDFText_GetTextObject(textpage, ch["_order"]))
            return (ctypes.cast(handle, ctypes.c_void_p).value, round(ch["size"], 1))

        by_font: dict = {}
        for ch in chars:
            if ch["text"] == " " and ch["x1"] > ch["x0"]:
                by_font.setdefault(font(ch), ch["x1"] - ch["x0"])
        out = []
        for a, b in candidates:
            w = by_font.get(font(a)) or by_font.get(font(b)) or min(by_size[round(a["size"], 1)])
            if gs.lost_space_min * w <= b["x0"] - a["x1"] <= gs.lost_space_max * w:
                out.append({"text": " ", "x0": a["x1"], "x1": b["x0"], "top": a["top"],
                            "bottom": a["bottom"], "size": a["size"]})
        return out

    @staticmethod
    def _neighbours(chars: list[dict], baseline_split: float):
        """Pairs of glyphs next to each other on one baseline, left to right. pdfium lists
        a line's glyphs in order, so one pass over its order finds them; only when a
        glyph was drawn out of order (`➡` from a fallback font, after its line) are the
        lines sorted."""
        in_order = True
        finished: set = set()  # baselines of lines already left
        for a, b in zip(chars, chars[1:]):
            if a["bottom"] == b["bottom"]:
                if b["x0"] < a["x0"]:
                    in_order = False  # a glyph drawn after others to its right
                    break
                continue
            finished.add(round(a["bottom"], 1))
            if abs(a["bottom"] - b["bottom"]) < baseline_split or round(b["bottom"], 1) in finished:
                in_order = False  # a line resumed later, or printed on baselines a hair apart
                break
        if in_order:
            return [(a, b) for a, b in zip(chars, chars[1:]) if a["bottom"] == b["bottom"]]
        lines: dict = {}
        for ch in chars:
            lines.setdefault(round(ch["bottom"], 1), []).append(ch)
        pairs = []
        for line in lines.values():
            line.sort(key=lambda c: c["x0"])
            pairs += zip(line, line[1:])
        return pairs

    def _path_edges(self, handle, ctm: tuple, view: _View) -> list[dict]:
        """Every straight, axis-parallel piece of a path, as pdfplumber's edges: a line is
        one edge, a rectangle four, a polyline one per segment (closing segment included)."""
        raw = self._raw
        n = self._fn["segments"](handle)
        if n <= 0:
            return []
        a, b_, c, d, e, f = _compose(self._matrix(handle), ctm)
        fx, fy = ctypes.c_float(), ctypes.c_float()
        out: list[dict] = []
        start = prev = None
        for k in range(n):
            seg = self._fn["segment"](handle, k)
            self._fn["point"](seg, fx, fy)
            px, py = view.point(a * fx.value + c * fy.value + e, b_ * fx.value + d * fy.value + f)
            kind = self._fn["segment_type"](seg)
            point = (round(px, 3), round(py, 3))
            if kind == raw.FPDF_SEGMENT_MOVETO or prev is None:
                start = prev = point
                continue
            if kind == raw.FPDF_SEGMENT_LINETO:
                edge = _edge(prev[0], prev[1], point[0], point[1], "line")
                if edge is not None:
                    out.append(edge)
            prev = point
            if self._fn["closes"](seg) and start is not None and start != point:
                edge = _edge(point[0], point[1], start[0], start[1], "line")
                if edge is not None:
                    out.append(edge)
                prev = start
        return out

    def close(self) -> None:
        self._pdf.close()


# ---------------------------------------------------------------- pdfplumber
class PdfplumberSource(PdfSource):
    def __init__(self, data: bytes, settings: GeometrySettings = DEFAULT_SETTINGS.geometry):
        # pdfminer gives every glyph it draws, spaces included: no tolerance applies.
        import pdfplumber
        from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
        from pdfplumber.utils.exceptions import PdfminerException

        _check_eof(data)
        try:
            self._pdf = pdfplumber.open(io.BytesIO(data))
        except PdfminerException as e:
            cause = e.args[0] if e.args else e
            if isinstance(cause, PDFPasswordIncorrect):
                raise InputError("encrypted PDF (password-protected); cannot read it without the password") from None
            if isinstance(cause, PDFEncryptionError):
                raise InputError(f"encrypted PDF with an unsupported scheme ({cause})") from None
            raise InputError(f"damaged PDF ({error_reason(cause)})") from None
        except Exception as e:
            raise InputError(f"damaged PDF ({error_reason(e)})") from None

    def __len__(self) -> int:
        return len(self._pdf.pages)

    def page(self, number: int) -> PageGeometry:
        page = self._pdf.pages[number - 1]
        try:
            height = float(page.height)
            chars = []
            for ch in page.chars:
                if not ch.get("text"):
                    continue
                size = float(ch.get("size") or (ch["bottom"] - ch["top"]))
                # The baseline is where the text matrix puts the origin (see the module
                # docstring for why boxes stand on it).
                matrix = ch.get("matrix")
                baseline = height - matrix[5] if matrix else float(ch["bottom"])
                chars.append({"text": ch["text"], "x0": float(ch["x0"]), "x1": float(ch["x1"]),
                              "top": baseline - size, "bottom": baseline, "size": size})
            edges = [e for e in page.edges if e["orientation"] in ("h", "v")]
            return PageGeometry(number, float(page.width), height, chars, edges, bool(page.objects.get("image")))
        finally:
            page.close()

    def close(self) -> None:
        try:
            self._pdf.close()  # iterates the page tree again, which may be what was damaged
        except Exception:
            self._pdf.stream.close()


PRODUCERS: dict[str, Callable[[bytes, GeometrySettings], PdfSource]] = {"pdfium": PdfiumSource, "pdfplumber": PdfplumberSource}
DEFAULT_PRODUCER = "pdfium"


def open_pdf(data: bytes, limits: Limits, producer: str = DEFAULT_PRODUCER,
             settings: GeometrySettings = DEFAULT_SETTINGS.geometry) -> PdfSource:
    """Open a PDF with one producer (given its tolerances, docs/settings.md) and check its
    page count against the limits."""
    source = PRODUCERS[producer](data, settings)
    try:
        n = len(source)
    except InputError:
        source.close()
        raise
    except Exception as e:
        source.close()
        raise InputError(f"damaged PDF: its page tree cannot be read ({error_reason(e)})") from None
    if n == 0:
        source.close()
        raise InputError("damaged PDF: no pages found")
    if n > limits.max_pdf_pages:
        source.close()
        raise InputError(f"PDF of {n:,} pages; refusing to read it (limit {limits.max_pdf_pages:,})")
    return source


@contextmanager
def page_errors(number: int):
    """Any unexpected error while reading page `number` (its geometry, or what is built
    from it) becomes one line: the page is damaged. Running out of memory or nesting too
    deep is left to the caller, which reports those itself."""
    try:
        yield
    except (InputError, MemoryError, RecursionError):
        raise
    except Exception as e:
        raise InputError(f"damaged PDF: page {number} cannot be read ({error_reason(e)})") from None


def iter_pages(source: PdfSource) -> Iterator[PageGeometry]:
    for number in range(1, len(source) + 1):
        with page_errors(number):
            page = source.page(number)
        yield page
