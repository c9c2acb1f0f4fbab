"""Tesseract behind one small object: the installed engine, its Korean data found, two
recognisers ready (Korean text lines; figures and codes), or one clear line saying what to
install.

The binding is tesserocr (Tesseract's C++ API in the process): a table page makes some
fifty calls of a few milliseconds each, which pytesseract would pay a process start for
every time (docs/ocr.md quotes both). No model is downloaded: the Korean and English data
come from Debian's `tesseract-ocr-kor` (and `tesseract-ocr-eng`, which tesseract-ocr pulls in).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from ...errors import InputError

INSTALL = ("install Tesseract with Korean (apt-get install tesseract-ocr tesseract-ocr-kor) "
           "and the OCR extra (pip install 'jeonyong[ocr]')")
# Where Debian and other distributions put the trained data (the newest first).
_TESSDATA = ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
             "/usr/share/tessdata", "/usr/local/share/tessdata", "/opt/homebrew/share/tessdata")
# The figure recogniser's alphabet. English data has no `△`; it reads the triangle as the
# letter it resembles, `A`, which no figure prints otherwise: given back as `△`.
FIGURE_ALPHABET = "0123456789,.-A"
TRIANGLE_AS = "A"
# The Latin recogniser's alphabet: letters, digits and the marks prose prints. Without `|`,
# which no report prints and every sans-serif `I` looks like.
LATIN_ALPHABET = ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                  ".,:;()[]-~/%'\"*&+=<>?!")


def tessdata() -> Optional[str]:
    """The folder holding kor.traineddata and eng.traineddata, or None."""
    env = os.environ.get("TESSDATA_PREFIX")
    for folder in ([env, str(Path(env) / "tessdata")] if env else []) + list(_TESSDATA):
        p = Path(folder)
        if (p / "kor.traineddata").is_file() and (p / "eng.traineddata").is_file():
            return str(p)
    return None


def missing() -> Optional[str]:
    """Why scanned pages cannot be read here (what to install), or None when they can."""
    try:
        import cv2  # noqa: F401
        import tesserocr  # noqa: F401
    except ImportError:
        return f"scanned pages need OCR: {INSTALL}"
    if tessdata() is None:
        return f"scanned pages need Tesseract's Korean data: {INSTALL}"
    return None


@dataclass
class Word:
    """One word Tesseract read: its text, box (pixels of the image it was given), the box of
    each glyph and the confidence (0–100) of the word."""

    text: str
    box: tuple
    glyphs: list = field(default_factory=list)  # (text, (x0, y0, x1, y1))
    confidence: float = 0.0
    kind: Optional[str] = None  # `figure` when the figure recogniser read it


class Engine:
    """Three single-line recognisers (page segmentation mode 7: the caller has found the
    lines): Korean text, figures/codes (English data restricted to FIGURE_ALPHABET), and
    Latin text."""

    def __init__(self):
        problem = missing()
        if problem:
            raise InputError(problem)
        import tesserocr

        self._t = tesserocr
        path = tessdata()
        try:
            self.text = tesserocr.PyTessBaseAPI(path=path, lang="kor", psm=tesserocr.PSM.SINGLE_LINE)
            self.figures = tesserocr.PyTessBaseAPI(path=path, lang="eng", psm=tesserocr.PSM.SINGLE_LINE)
            self.latin = tesserocr.PyTessBaseAPI(path=path, lang="eng", psm=tesserocr.PSM.SINGLE_LINE)
        except RuntimeError as e:
            raise InputError(f"Tesseract could not start ({e}); {INSTALL}") from None
        self.figures.SetVariable("tessedit_char_whitelist", FIGURE_ALPHABET)
        self.latin.SetVariable("tessedit_char_whitelist", LATIN_ALPHABET)
        for api in (self.text, self.figures, self.latin):
            api.SetVariable("debug_file", "/dev/null")

    def read_line(self, image, dpi: int, figures: bool = False, latin: bool = False) -> list[Word]:
        """The words of one line image (a PIL image, grey): Korean text, or figures, or
        Latin text (a line the Korean recogniser read no syllable on: `I`, `II`)."""
        api = self.figures if figures else self.latin if latin else self.text
        api.SetImage(image)
        api.SetSourceResolution(int(dpi))
        api.Recognize()
        return _words(api, self._t)

    def close(self) -> None:
        for api in (self.text, self.figures, self.latin):
            api.End()


def _words(api, t) -> list[Word]:
    RIL = t.RIL
    out: list[Word] = []
    it = api.GetIterator()
    if it is None:
        return out
    current: Optional[Word] = None
    for sym in t.iterate_level(it, RIL.SYMBOL):
        try:
            text = sym.GetUTF8Text(RIL.SYMBOL)
        except RuntimeError:  # an empty result
            continue
        box = sym.BoundingBox(RIL.SYMBOL)
        if not text or box is None:
            continue
        if current is None or sym.IsAtBeginningOf(RIL.WORD):
            wbox = sym.BoundingBox(RIL.WORD) or box
            current = Word("", tuple(wbox), [], float(sym.Confidence(RIL.WORD)))
            out.append(current)
        current.text += text
        current.glyphs.append((text, tuple(box), float(sym.Confidence(RIL.SYMBOL))))
    return out
