"""Page images to read: decoded from an image file (TIFF, also multi-page; PNG; JPEG) or
rendered from a PDF page by pypdfium2 at the resolution of the scan it shows (never
upscaled). Every size is checked against the per-file limits before any pixel is
decoded: a file's header can promise any number of pixels."""
from __future__ import annotations

import re

import io
import warnings
from dataclasses import dataclass

import numpy as np

from ...errors import InputError
from ...limits import Limits

# A scan without a resolution in its header is taken at this one (it only sets the size of
# the page in points: what the reader's tolerances are measured in).
ASSUMED_DPI = 300
# A PDF page is rendered at the resolution of the largest image it shows, within these.
_MIN_DPI, _MAX_DPI = 150, 400
# Fewer pixels than this on a side cannot hold a line of text.
_MIN_SIDE = 64


@dataclass
class PageImage:
    pixels: np.ndarray  # grey, uint8, rows × columns
    dpi: float

    @property
    def width_pt(self) -> float:
        return self.pixels.shape[1] * 72.0 / self.dpi

    @property
    def height_pt(self) -> float:
        return self.pixels.shape[0] * 72.0 / self.dpi


def _checked_size(width: int, height: int, limits: Limits, what: str) -> None:
    if width < _MIN_SIDE or height < _MIN_SIDE:
        raise InputError(f"{what} of {width}×{height} pixels; too small to hold a page of text")
    if width * height > limits.max_image_pixels:
        raise InputError(f"{what} of {width:,}×{height:,} pixels; refusing to decode it (limit {limits.max_image_pixels:,} pixels a page)")


class ImagePages:
    """The pages of an image file, decoded one at a time."""

    def __init__(self, data: bytes, limits: Limits):
        from PIL import Image

        self._limits = limits
        try:
            with warnings.catch_warnings():
                # Pillow warns above its own pixel limit; the page size is checked against
                # ours before any pixel is decoded (`page`).
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                self._image = Image.open(io.BytesIO(data))
        except Image.DecompressionBombError:
            raise InputError("image of more pixels than a page can have (a decompression bomb?); refusing to decode it") from None
        except Exception as e:
            # Pillow's messages may name the in-memory stream (`<_io.BytesIO object at 0x…>`):
            # that says nothing about the file, so it is left out.
            why = re.sub(r"\s*<[^<>]*object at 0x[0-9a-f]+>", "", str(e))[:100].strip()
            raise InputError(f"damaged image ({type(e).__name__}{': ' + why if why else ''})") from None
        self.kind = self._image.format or "image"
        self.count = self._count()

    def _count(self) -> int:
        """The number of pages, counted without decoding them (stopping past the limit)."""
        limit = self._limits.max_ocr_pages
        n = 1
        try:
            while n <= limit:
                self._image.seek(n)
                n += 1
        except EOFError:
            pass
        except Exception as e:
            raise InputError(f"damaged {self.kind}: page {n + 1} cannot be found ({type(e).__name__})") from None
        if n > limit:
            raise InputError(f"{self.kind} of more than {limit:,} pages; refusing to read it by OCR (limit {limit:,})")
        return n

    def __len__(self) -> int:
        return self.count

    def page(self, number: int) -> PageImage:
        from PIL import Image

        im = self._image
        try:
            im.seek(number - 1)
        except Exception as e:
            raise InputError(f"damaged {self.kind}: page {number} cannot be found ({type(e).__name__})") from None
        _checked_size(im.width, im.height, self._limits, f"{self.kind} page {number}" if self.count > 1 else self.kind)
        dpi = _dpi(im.info.get("dpi"))
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                grey = im.convert("L")
                grey.load()
        except Exception as e:  # truncated or damaged data
            raise InputError(f"damaged {self.kind}: page {number} cannot be decoded ({type(e).__name__}: {str(e)[:80]})") from None
        return PageImage(np.asarray(grey), dpi)

    def close(self) -> None:
        self._image.close()


def _dpi(value) -> float:
    try:
        x = float(value[0])
    except (TypeError, ValueError, IndexError):
        return ASSUMED_DPI
    return x if 50 <= x <= 1200 else ASSUMED_DPI


def scan_dpi(page, width_pt: float) -> float:
    """The resolution of the scan a PDF page shows: the pixels of its widest image over the
    width it is drawn at; without an image (OCR asked for a page of text), 300."""
    import pypdfium2.raw as raw

    best = 0.0
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        try:
            px_w, _ = obj.get_px_size()
            left, _, right, _ = obj.get_bounds()
        except Exception:
            continue
        if right - left > 0.3 * width_pt and px_w > 0:
            best = max(best, px_w * 72.0 / (right - left))
    if best <= 0:
        return float(ASSUMED_DPI)
    return float(min(max(best, _MIN_DPI), _MAX_DPI))


def render_pdf_page(pdf, number: int, limits: Limits) -> PageImage:
    """A PDF page (pypdfium2 document) rendered grey at its scan's resolution."""
    page = pdf[number - 1]
    try:
        width, height = page.get_size()
        dpi = scan_dpi(page, width)
        _checked_size(int(width * dpi / 72), int(height * dpi / 72), limits, f"page {number} rendered at {dpi:.0f} dpi")
        bitmap = page.render(scale=dpi / 72.0, grayscale=True)
        try:
            pixels = np.array(bitmap.to_numpy(), copy=True)
        finally:
            bitmap.close()
    finally:
        page.close()
    if pixels.ndim == 3:
        pixels = pixels[:, :, 0]
    return PageImage(pixels, dpi)
