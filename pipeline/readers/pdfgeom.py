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
from dataclasses import dataclass, field
from typing import Callable, Iterator, Optional

from ..errors import InputError
from ..limits import Limits


@dataclass
class PageGeometry:
    number: int  # 1-based
    width: float
    height: float
    chars: list[dict] = field(default_factory=list)  # {"text", "x0", "x1", "top", "bottom", "size"}
    edges: list[dict] = field(default_factory=list)  # pdfplumber edge dicts, orientation "h" or "v"
    has_images: bool = False

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


def _why(e) -> str:
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


# ---------------------------------------------------------------- pypdfium2
class PdfiumSource(PdfSource):
    def __init__(self, data: bytes):
        import pypdfium2 as pdfium
        import pypdfium2.raw as raw

        self._raw = raw
        _check_eof(data)
        try:
            self._pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as e:
            code = getattr(e, "err_code", None)
            if code == raw.FPDF_ERR_PASSWORD:
                raise InputError("encrypted PDF (password-protected); cannot read it without the password") from None
            if code == raw.FPDF_ERR_SECURITY:
                raise InputError("encrypted PDF with an unsupported security scheme") from None
            raise InputError(f"damaged PDF ({_why(e)})") from None
        except Exception as e:  # hostile input: never a traceback
            raise InputError(f"damaged PDF ({_why(e)})") from None
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
            left, bottom_y, _, top_y = page.get_bbox()
            textpage = page.get_textpage()
            try:
                chars = self._chars(textpage.raw, left, top_y)
            finally:
                textpage.close()
            edges: list[dict] = []
            has_images = False
            for obj in page.get_objects(max_depth=8):
                kind = obj.type
                if kind == raw.FPDF_PAGEOBJ_PATH:
                    edges += self._path_edges(obj, left, top_y)
                elif kind == raw.FPDF_PAGEOBJ_IMAGE:
                    has_images = True
            return PageGeometry(number, float(width), float(height), chars, edges, has_images)
        finally:
            page.close()

    def _chars(self, textpage, left: float, top_y: float) -> list[dict]:
        """The page's glyphs in text-page order. pdfium replaces some real space glyphs
        (after `※`, `⇒`, `:` …) by a zero-width space it marks as *generated*, the same
        mark it gives the spaces it infers from gaps (LibreOffice's quarter-em autospace
        in `4/4분기` has none). The gap tells them apart: a replaced space leaves a gap of
        the font's own space advance, learned from the real spaces of the page; such a
        space is given back, so that both producers see the same glyphs."""
        raw = self._raw
        x, y = self._x, self._y
        is_generated = raw.FPDFText_IsGenerated
        get_unicode = raw.FPDFText_GetUnicode
        get_origin = raw.FPDFText_GetCharOrigin
        get_loose = raw.FPDFText_GetLooseCharBox
        get_size = raw.FPDFText_GetFontSize
        rect = raw.FS_RECTF()
        out: list[dict] = []
        fonts: list = []  # text-page index of each char in out (its font is looked up lazily)
        gaps: list[int] = []  # positions in out after which pdfium generated a space
        for i in range(raw.FPDFText_CountChars(textpage)):
            code = get_unicode(textpage, i)
            if is_generated(textpage, i):
                if code == 32 and out:
                    gaps.append(len(out))
                continue
            if code in (0, 0xFFFE, 0xFFFF) or 0xD800 <= code <= 0xDFFF:
                continue  # unmapped glyph or half of a surrogate pair pdfium could not join
            get_origin(textpage, i, x, y)
            get_loose(textpage, i, rect)  # the advance box: from the origin, the glyph's width
            size = get_size(textpage, i)
            baseline = top_y - y.value
            out.append({
                "text": chr(code),
                "x0": rect.left - left,
                "x1": rect.right - left,
                "top": baseline - size,
                "bottom": baseline,
                "size": size,
            })
            fonts.append(i)
        if gaps:
            out = self._restore_spaces(textpage, out, fonts, gaps)
        return out

    def _restore_spaces(self, textpage, chars: list[dict], index: list[int], gaps: list[int]) -> list[dict]:
        raw = self._raw

        def font(k: int):
            handle = raw.FPDFTextObj_GetFont(raw.FPDFText_GetTextObject(textpage, index[k]))
            return (ctypes.cast(handle, ctypes.c_void_p).value, round(chars[k]["size"], 1))

        space_width: dict = {}
        for k, ch in enumerate(chars):
            if ch["text"] == " " and ch["x1"] > ch["x0"]:
                space_width.setdefault(font(k), ch["x1"] - ch["x0"])
                space_width.setdefault(round(ch["size"], 1), ch["x1"] - ch["x0"])
        if not space_width:
            return chars  # the page draws no space glyph at all: nothing was replaced
        restored = []
        for at in gaps:
            if at >= len(chars):
                continue
            a, b = chars[at - 1], chars[at]
            if " " in (a["text"], b["text"]) or abs(a["bottom"] - b["bottom"]) > 0.5:
                continue
            # The space belongs to the font either side (a symbol such as `※` often comes
            # from a font of its own, without a space glyph), else to any font of the size.
            width = space_width.get(font(at - 1)) or space_width.get(font(at)) or space_width.get(round(a["size"], 1))
            gap = b["x0"] - a["x1"]
            # A replaced space leaves a gap of about one space advance; wider gaps (an
            # indent, the next cell) are left to pdf.py's gap rule, as for pdfplumber.
            if width and 0.8 * width <= gap <= 1.5 * width:
                restored.append((at, {**a, "text": " ", "x0": a["x1"], "x1": b["x0"]}))
        for at, space in reversed(restored):
            chars.insert(at, space)
        return chars

    def _path_edges(self, obj, left: float, top_y: float) -> list[dict]:
        """Every straight, axis-parallel piece of a path, as pdfplumber's edges: a line is
        one edge, a rectangle four, a polyline one per segment (closing segment included)."""
        raw = self._raw
        handle = obj.raw
        n = raw.FPDFPath_CountSegments(handle)
        if n <= 0:
            return []
        matrix = obj.get_matrix()  # includes the matrices of enclosing form XObjects
        a, b_, c, d, e, f = matrix.get()
        fx, fy = ctypes.c_float(), ctypes.c_float()
        out: list[dict] = []
        start = prev = None
        for k in range(n):
            seg = raw.FPDFPath_GetPathSegment(handle, k)
            raw.FPDFPathSegment_GetPoint(seg, fx, fy)
            px = a * fx.value + c * fy.value + e - left
            py = top_y - (b_ * fx.value + d * fy.value + f)
            kind = raw.FPDFPathSegment_GetType(seg)
            point = (round(px, 3), round(py, 3))
            if kind == raw.FPDF_SEGMENT_MOVETO or prev is None:
                start = prev = point
                continue
            if kind == raw.FPDF_SEGMENT_LINETO:
                edge = _edge(prev[0], prev[1], point[0], point[1], "line")
                if edge is not None:
                    out.append(edge)
            prev = point
            if raw.FPDFPathSegment_GetClose(seg) and start is not None and start != point:
                edge = _edge(point[0], point[1], start[0], start[1], "line")
                if edge is not None:
                    out.append(edge)
                prev = start
        return out

    def close(self) -> None:
        self._pdf.close()


# ---------------------------------------------------------------- pdfplumber
class PdfplumberSource(PdfSource):
    def __init__(self, data: bytes):
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
            raise InputError(f"damaged PDF ({_why(cause)})") from None
        except Exception as e:
            raise InputError(f"damaged PDF ({_why(e)})") from None

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


PRODUCERS: dict[str, Callable[[bytes], PdfSource]] = {"pdfium": PdfiumSource, "pdfplumber": PdfplumberSource}
DEFAULT_PRODUCER = "pdfium"


def open_pdf(data: bytes, limits: Limits, producer: str = DEFAULT_PRODUCER) -> PdfSource:
    """Open a PDF with one producer and check its page count against the limits."""
    source = PRODUCERS[producer](data)
    try:
        n = len(source)
    except InputError:
        source.close()
        raise
    except Exception as e:
        source.close()
        raise InputError(f"damaged PDF: its page tree cannot be read ({_why(e)})") from None
    if n == 0:
        source.close()
        raise InputError("damaged PDF: no pages found")
    if n > limits.max_pdf_pages:
        source.close()
        raise InputError(f"PDF of {n:,} pages; refusing to read it (limit {limits.max_pdf_pages:,})")
    return source


def iter_pages(source: PdfSource) -> Iterator[PageGeometry]:
    for number in range(1, len(source) + 1):
        try:
            yield source.page(number)
        except InputError:
            raise
        except (MemoryError, RecursionError):
            raise
        except Exception as e:
            raise InputError(f"damaged PDF: page {number} cannot be read ({_why(e)})") from None
