#!/usr/bin/env python3
"""OCR speed: pages per CPU-second (one core) at a scan's resolution, and where the time
goes (rendering, deskewing, finding the rules, recognising), for the OCR producer
(pipeline/readers/ocr).

    python benchmarks/bench_ocr.py [--samples 001_climate_2022q1,003_transport_2023q3]
                                   [--dpi 300] [--bindings]

The samples are scanned first (scripts/make_scans.py: pdftoppm at --dpi, skew up to
0.5°, specks, JPEG at 80, as an image-only PDF) into a temporary folder; that is not
timed. Each scanned PDF is then read page by page by the OCR producer, as `jeonyong
extract` reads it. CPU time is the process's (time.process_time), with Tesseract held to
one thread (OMP_THREAD_LIMIT=1), so the figure is per core whatever else the machine runs;
the wall time is shown too. The aim: at least 1 page per second per core at 300 dpi.

--bindings also times the two Python bindings of Tesseract on the same line images the
producer reads (every line of the first page): tesserocr (Tesseract's API in the
process, which the producer uses) and pytesseract (a `tesseract` process per call).
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--samples", default="001_climate_2022q1,003_transport_2023q3")
    ap.add_argument("--dpi", type=int, default=300)
    ap.add_argument("--bindings", action="store_true")
    args = ap.parse_args()

    import make_scans
    from pipeline.limits import DEFAULT_LIMITS
    from pipeline.readers.ocr import OcrPdfPages, Timings, missing

    if missing():
        sys.exit(f"bench_ocr: {missing()}")
    with tempfile.TemporaryDirectory() as tmp:
        scans = [make_scans.scan(ROOT / "samples" / f"{name}.pdf", Path(tmp), dpi=args.dpi, skew=0.5,
                                 noise=0.001, jpeg=80, seed=k)["pdf"]
                 for k, name in enumerate(args.samples.split(","))]
        timings = Timings()
        cpu0, wall0 = time.process_time(), time.perf_counter()
        for path in scans:
            import pypdfium2 as pdfium

            n = len(pdfium.PdfDocument(path.read_bytes()))
            source = OcrPdfPages(path.read_bytes(), DEFAULT_LIMITS, timings=timings)
            for page in range(1, n + 1):
                source.page(page)
            source.close()
        cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
        staged = timings.render + timings.deskew + timings.rules + timings.recognise
        print(f"{timings.pages} pages at {args.dpi} dpi: {timings.pages / cpu:.2f} pages per CPU-second "
              f"({cpu / timings.pages:.2f} s CPU, {wall / timings.pages:.2f} s wall a page)")
        for stage in ("render", "deskew", "rules", "recognise"):
            share = getattr(timings, stage) / staged
            print(f"  {stage:<10} {100 * share:5.1f} %")
        if args.bindings:
            bindings(scans[0])


def bindings(scan: Path) -> None:
    """tesserocr and pytesseract on the same line images."""
    import pytesseract

    from pipeline.limits import DEFAULT_LIMITS
    from pipeline.readers.ocr import OcrPdfPages, recognise
    from pipeline.readers.ocr.engine import tessdata

    lines = []
    original = recognise.PageReader._line_image

    def keep(self, *a):
        image = original(self, *a)
        lines.append(image)
        return image

    recognise.PageReader._line_image = keep
    source = OcrPdfPages(scan.read_bytes(), DEFAULT_LIMITS)
    source.page(1)
    engine = source.engine
    recognise.PageReader._line_image = original
    t0 = time.perf_counter()
    for image in lines:
        engine.read_line(image, 300)
    t1 = time.perf_counter()
    config = f"--psm 7 --tessdata-dir {tessdata()}"
    for image in lines:
        pytesseract.image_to_data(image, lang="kor", config=config)
    t2 = time.perf_counter()
    source.close()
    print(f"bindings, {len(lines)} line images (wall time a line): tesserocr {1000 * (t1 - t0) / len(lines):.1f} ms, "
          f"pytesseract {1000 * (t2 - t1) / len(lines):.1f} ms")


if __name__ == "__main__":
    main()
