#!/usr/bin/env python3
"""Scanned renderings of reports: what a scanner makes of a printed page.

    python scripts/make_scans.py REPORT.pdf… [--out DIR] [--dpi 300] [--skew 1.0]
        [--noise 0.002] [--jpeg 75] [--as pdf,tiff,png] [--seed 0]
    python scripts/make_scans.py --fixtures     # the committed ones (tests/fixtures/scans)

Each page is rendered by poppler's `pdftoppm` in grey at the scan's resolution, turned by a
skew drawn within ±`--skew` degrees, sprinkled with speckle noise (`--noise`: the share of
pixels flipped to ink, and as many ink pixels to paper), and passed through JPEG at quality
`--jpeg` (0: none). Written as an image-only PDF (the pages as JPEG images, no text layer),
a multi-page TIFF (deflate), and one PNG per page. The tests call `scan()` to make what
they read in a temporary folder; only a few small files are committed:

| file | what it is |
|---|---|
| err_row_balance_001.200dpi.pdf | the sample with a wrong 전용 후 예산현액, at 200 dpi, skewed 0.7°, specks, JPEG |
| 001_climate_2022q1.p1.png | page 1 of sample 001 at 200 dpi, skewed −0.4°, specks, as a PNG |
"""
from __future__ import annotations

import argparse
import io
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "scans"


def render(pdf: Path, dpi: int) -> list:
    """The PDF's pages as grey PIL images at `dpi` (pdftoppm)."""
    from PIL import Image

    if shutil.which("pdftoppm") is None:
        raise RuntimeError("pdftoppm (poppler-utils) is needed to render the pages")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(pdf), f"{tmp}/page"], check=True)
        pages = []
        for path in sorted(Path(tmp).glob("page-*.png"), key=lambda p: int(p.stem.split("-")[-1])):
            with Image.open(path) as im:
                pages.append(im.convert("L"))
        return pages


def degrade(page, skew: float, noise: float, jpeg: int, rnd: random.Random):
    """One page as a scanner leaves it: turned by `skew` degrees, specks, JPEG."""
    import numpy as np
    from PIL import Image

    if skew:
        page = page.rotate(skew, resample=Image.BICUBIC, fillcolor=255)
    if noise:
        a = np.array(page)
        rng = np.random.default_rng(rnd.randrange(2**32))
        flip = rng.random(a.shape)
        a[flip < noise] = rng.integers(0, 90, int((flip < noise).sum()), dtype=np.uint8)
        ink = a < 128
        a[(flip > 1 - noise) & ink] = 230
        page = Image.fromarray(a)
    if jpeg:
        buf = io.BytesIO()
        page.save(buf, format="JPEG", quality=jpeg)
        buf.seek(0)
        page = Image.open(buf).convert("L")
        page.info = {}  # JPEG's own settings must not follow it into the TIFF
    return page


def write_pdf(pages: list, path: Path, dpi: int) -> Path:
    """An image-only PDF: each page one JPEG image (Pillow), no text layer."""
    pages[0].save(path, format="PDF", save_all=True, append_images=pages[1:], resolution=dpi, quality=80)
    return path


def write_tiff(pages: list, path: Path, dpi: int) -> Path:
    from PIL import TiffImagePlugin

    with open(path, "w+b") as fp, TiffImagePlugin.AppendingTiffWriter(fp, True) as tf:
        for page in pages:
            page.copy().save(tf, format="TIFF", compression="tiff_deflate", dpi=(dpi, dpi))
            tf.newFrame()
    return path


def write_pngs(pages: list, stem: Path, dpi: int) -> list[Path]:
    out = []
    for n, page in enumerate(pages, start=1):
        path = stem.with_name(f"{stem.name}.p{n}.png")
        page.save(path, format="PNG", dpi=(dpi, dpi), optimize=True)
        out.append(path)
    return out


def scan(pdf: Path, out: Path, dpi: int = 300, skew: float = 0.0, noise: float = 0.0, jpeg: int = 0,
         kinds: tuple = ("pdf",), seed: int = 0, pages: slice = slice(None)) -> dict:
    """Scanned renderings of `pdf` in `out`: {kind: path (or list of paths for png)}.
    The skew of each page is drawn within ±skew degrees (seeded)."""
    rnd = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    images = [degrade(p, rnd.uniform(-skew, skew), noise, jpeg, rnd) for p in render(pdf, dpi)[pages]]
    stem = out / f"{pdf.stem}.{dpi}dpi"
    made: dict = {}
    if "pdf" in kinds:
        made["pdf"] = write_pdf(images, stem.with_name(stem.name + ".pdf"), dpi)
    if "tiff" in kinds:
        made["tiff"] = write_tiff(images, stem.with_name(stem.name + ".tif"), dpi)
    if "png" in kinds:
        made["png"] = write_pngs(images, stem, dpi)
    return made


def fixtures() -> None:
    samples = ROOT / "samples"
    made = scan(samples / "err_row_balance_001.pdf", FIXTURES, dpi=200, skew=0.7, noise=0.001, jpeg=70, seed=1)
    print(made["pdf"])
    made = scan(samples / "001_climate_2022q1.pdf", Path(tempfile.mkdtemp()), dpi=200, skew=0.4, noise=0.001,
                kinds=("png",), seed=2, pages=slice(0, 1))
    target = FIXTURES / "001_climate_2022q1.p1.png"
    shutil.move(str(made["png"][0]), target)
    print(target)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--out", type=Path, default=Path("scans"))
    ap.add_argument("--dpi", type=int, default=300)
    ap.add_argument("--skew", type=float, default=0.0)
    ap.add_argument("--noise", type=float, default=0.0)
    ap.add_argument("--jpeg", type=int, default=0)
    ap.add_argument("--as", dest="kinds", default="pdf,tiff,png")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--fixtures", action="store_true", help="write the committed fixtures")
    args = ap.parse_args()
    if args.fixtures:
        fixtures()
        return
    for pdf in args.pdfs:
        made = scan(pdf, args.out, args.dpi, args.skew, args.noise, args.jpeg, tuple(args.kinds.split(",")), args.seed)
        for kind, path in made.items():
            print(kind, path)


if __name__ == "__main__":
    sys.exit(main())
