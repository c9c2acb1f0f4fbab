"""A scanned page set straight: the angle at which its ink lines up in the most distinct
rows (text lines and rules are horizontal on the printed page), searched coarse to fine
within ±MAX_SKEW degrees, and the page rotated back by it."""
from __future__ import annotations

import math

import numpy as np

MAX_SKEW = 3.0  # degrees; a scanner's feed skews a page by a degree or two
_STEP = 0.05  # degrees: the finest angle told apart (0.05° is 2 pixels across an A4 width at 300 dpi)


def binary(pixels: np.ndarray) -> np.ndarray:
    """Ink as 1, paper as 0 (Otsu's threshold, which scanner grey levels and JPEG noise
    leave well apart)."""
    import cv2

    _, ink = cv2.threshold(pixels, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return ink


def skew_angle(ink: np.ndarray) -> float:
    """Degrees the page is turned (counter-clockwise positive, as OpenCV rotates)."""
    small = ink[::2, ::2]
    ys, xs = np.nonzero(small)
    if len(ys) < 100:
        return 0.0
    if len(ys) > 400_000:  # enough ink to judge by: every k-th pixel
        k = len(ys) // 400_000 + 1
        ys, xs = ys[::k], xs[::k]
    xs = xs.astype(np.float64) - small.shape[1] / 2

    def sharpness(deg: float) -> float:
        rows = np.rint(ys + xs * math.tan(math.radians(deg))).astype(np.int64)
        rows -= rows.min()
        counts = np.bincount(rows)
        return float((counts.astype(np.float64) ** 2).sum())

    best = max(np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, 0.25), key=sharpness)
    best = max(np.arange(best - 0.25, best + 0.25 + 1e-9, _STEP), key=sharpness)
    return float(best)


def straighten(pixels: np.ndarray, angle: float) -> np.ndarray:
    """The page rotated by -angle about its centre (paper colour filled in)."""
    if abs(angle) < _STEP / 2:
        return pixels
    import cv2

    h, w = pixels.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), -angle, 1.0)
    return cv2.warpAffine(pixels, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)
