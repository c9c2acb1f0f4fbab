"""Pictures of a PDF table's region with the faulty cells outlined, for the auditor's page.

Works from the contract's `loc` (1-based page, bbox in PDF points from the page's top-left)
of each finding and budget line. The source PDF is read again from `source.path` and used
only if its SHA-256 still matches the report's `source.sha256`: a picture of a different
file would mislead.
"""
from __future__ import annotations

import base64
import hashlib
import io
from pathlib import Path
from typing import Optional

from ..limits import DEFAULT_LIMITS, Limits

RESOLUTION = 110  # pixels per inch: a 595pt-wide page is ~900px wide
ERROR_RGB = (215, 25, 28)
WARNING_RGB = (230, 140, 0)


class SourcePDF:
    """One report's source PDF, opened lazily, or the reason it cannot be shown."""

    def __init__(self, doc: dict, limits: Limits = DEFAULT_LIMITS):
        self.doc = doc
        self.limits = limits
        self._pdf = None
        self.problem: Optional[str] = None
        self._opened = False

    def _source_bytes(self) -> Optional[bytes]:
        src = self.doc.get("source") or {}
        data = None
        for candidate in [src.get("path") or ""] + list(src.get("other_paths") or []):
            path = Path(candidate)
            try:
                if path.stat().st_size > self.limits.max_file_bytes:
                    self.problem = "source PDF too large to render"
                    continue
                content = path.read_bytes()
            except OSError:
                self.problem = self.problem or f"source file {path} is not available here"
                continue
            if src.get("sha256") and hashlib.sha256(content).hexdigest() != src["sha256"]:
                self.problem = f"source file {path} has changed since it was read"
                continue
            data, self.problem = content, None
            break
        return data

    def _open(self):
        if self._opened:
            return self._pdf
        self._opened = True
        data = self._source_bytes()
        if data is None:
            return None
        if (self.doc.get("source") or {}).get("format") == "image":
            return self._open_image(data)
        try:
            import pdfplumber

            self._pdf = pdfplumber.open(io.BytesIO(data))
        except Exception as e:  # a broken PDF must not stop the page
            self.problem = f"cannot open the source PDF ({type(e).__name__})"
        return self._pdf

    def close(self) -> None:
        if getattr(self, "_image", None) is not None:
            self._image.close()
            self._image = None
        if self._pdf is not None:
            self._pdf.close()
            self._pdf = None

    def snippet(self, page_no: int, context_boxes: list, marks: list[tuple[list, str]]) -> Optional[str]:
        """A PNG data URI of the page region covering `context_boxes` and the marked boxes,
        each mark (bbox, severity) outlined. None if it cannot be drawn."""
        pdf = self._open()
        if getattr(self, "_image", None) is not None:  # a scanned image: the region, as scanned
            boxes = [b for b in context_boxes if b] + [b for b, _ in marks if b]
            if not boxes:
                return None
            return self.cell_crop(page_no, (min(b[0] for b in boxes), min(b[1] for b in boxes),
                                            max(b[2] for b in boxes), max(b[3] for b in boxes)))
        if pdf is None:
            return None
        if not (1 <= page_no <= len(pdf.pages)) or page_no > self.limits.max_pdf_pages:
            self.problem = f"page {page_no} is not in the source PDF"
            return None
        try:
            page = pdf.pages[page_no - 1]
            px0, ptop, px1, pbottom = page.bbox
            boxes = [b for b in context_boxes if b] + [b for b, _ in marks if b]
            if not boxes:
                return None
            top = max(ptop, min(b[1] for b in boxes) - 72)  # room for the table header
            bottom = min(pbottom, max(b[3] for b in boxes) + 30)  # wrapped names below
            x0 = max(px0, min(b[0] for b in boxes) - 24)
            x1 = min(px1, max(b[2] for b in boxes) + 24)
            # Show at least the width of the page's text block, so names beside figures show.
            x0 = min(x0, px0 + (px1 - px0) * 0.06)
            x1 = max(x1, px1 - (px1 - px0) * 0.06)
            if bottom - top < 10 or x1 - x0 < 10:
                return None
            im = page.crop((x0, top, x1, bottom)).to_image(resolution=RESOLUTION)
            for bbox, severity in marks:
                rgb = ERROR_RGB if severity == "error" else WARNING_RGB
                b = (max(bbox[0] - 2, x0), max(bbox[1] - 2, top), min(bbox[2] + 2, x1), min(bbox[3] + 2, bottom))
                im.draw_rect(b, fill=rgb + (40,), stroke=rgb + (255,), stroke_width=3)
            buf = io.BytesIO()
            im.save(buf, format="PNG")
        except Exception as e:
            self.problem = f"cannot render page {page_no} ({type(e).__name__})"
            return None
        return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")

    # ------------------------------------------------------------ scans
    def _open_image(self, data: bytes):
        """A scanned image file (read by OCR): opened with Pillow for cell crops."""
        try:
            from PIL import Image

            self._image = Image.open(io.BytesIO(data))
        except Exception as e:
            self.problem = f"cannot open the source image ({type(e).__name__})"
        return None

    def cell_crop(self, page_no: int, bbox) -> Optional[str]:
        """A small PNG data URI of one cell (or line) of the source page, as scanned: the
        picture an OCR reading is checked against. None if it cannot be drawn."""
        if not bbox:
            return None
        pad = 3.0
        x0, top, x1, bottom = bbox[0] - pad, bbox[1] - pad, bbox[2] + pad, bbox[3] + pad
        try:
            pdf = self._open()
            image = getattr(self, "_image", None)
            if image is not None:
                from PIL import Image

                if page_no > self.limits.max_ocr_pages:
                    return None
                image.seek(page_no - 1)
                dpi = float((image.info.get("dpi") or (300, 300))[0]) or 300.0
                if image.width * image.height > self.limits.max_image_pixels:
                    return None
                k = dpi / 72.0
                im = image.convert("L").crop((int(max(0, x0) * k), int(max(0, top) * k), int(x1 * k), int(bottom * k)))
                if im.width > 480:
                    im = im.resize((480, max(1, im.height * 480 // im.width)), Image.LANCZOS)
            elif pdf is not None and 1 <= page_no <= len(pdf.pages):
                page = pdf.pages[page_no - 1]
                px0, ptop, px1, pbottom = page.bbox
                im = page.crop((max(px0, x0), max(ptop, top), min(px1, x1), min(pbottom, bottom))).to_image(resolution=150).original
            else:
                return None
            buf = io.BytesIO()
            im.save(buf, format="PNG")
        except Exception as e:  # a broken source must not stop the page
            self.problem = f"cannot crop page {page_no} ({type(e).__name__})"
            return None
        return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
