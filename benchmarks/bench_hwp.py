#!/usr/bin/env python3
"""HWPX and HWP 5 reports per second and peak memory, beside the raw cost of opening the
same files with the underlying libraries alone.

    python benchmarks/bench_hwp.py [--seconds 3]

On the sample renderings in samples/ (*.hwpx, *.hwp; held in memory, so disk speed and
interpreter start-up do not count), one core:
  * raw open   : HWPX: zipfile + lxml parse of every section part (no text walk);
                 HWP: olefile open + FileHeader + zlib inflate of every BodyText section.
                 The floor any reader of the format pays.
  * read       : our reader (pipeline/readers/hwpx.py, hwp.py): bytes → IR blocks, with
                 all the limits checks.
  * parse+audit: reader + parser + arithmetic checks (one Report per file).
Peak memory: tracemalloc's peak while reading+parsing the largest sample once (Python
allocations), and the process's maximum resident set size at the end (ru_maxrss).
For comparison, the same for the text renderings of the same reports.
"""
from __future__ import annotations

import argparse
import io
import resource
import sys
import time
import tracemalloc
import zipfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import olefile  # noqa: E402
from lxml import etree  # noqa: E402

from pipeline.extract import parse_bytes  # noqa: E402
from pipeline.limits import DEFAULT_LIMITS  # noqa: E402
from pipeline.readers import read_bytes  # noqa: E402


def rate(fn, corpus, seconds: float) -> float:
    fn(corpus)  # warm up (imports, caches)
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        fn(corpus)
        n += len(corpus)
    return n / (time.perf_counter() - start)


def raw_hwpx(items):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    for _, data in items:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for name in zf.namelist():
                if name.startswith("Contents/section"):
                    etree.fromstring(zf.read(name), parser=parser)


def raw_hwp(items):
    for _, data in items:
        ole = olefile.OleFileIO(io.BytesIO(data))
        ole.openstream("FileHeader").read()
        for entry in ole.listdir():
            if entry[0] == "BodyText":
                zlib.decompressobj(-15).decompress(ole.openstream(entry).read())
        ole.close()


def read_only(items):
    for path, data in items:
        read_bytes(path, data, DEFAULT_LIMITS)


def parse_audit(items):
    for path, data in items:
        parse_bytes(path, data, DEFAULT_LIMITS)


def peak_kib(path: str, data: bytes) -> float:
    tracemalloc.start()
    parse_bytes(path, data, DEFAULT_LIMITS)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1024


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=3.0)
    args = ap.parse_args()
    rows = []
    for ext, raw in (("hwpx", raw_hwpx), ("hwp", raw_hwp), ("txt", None)):
        files = sorted((ROOT / "samples").glob(f"*.{ext}"))
        files = [p for p in files if not p.name.startswith("seed_")]
        if not files:
            print(f"no samples/*.{ext}; run scripts/make_samples.py", file=sys.stderr)
            continue
        corpus = [(str(p), p.read_bytes()) for p in files]
        largest = max(corpus, key=lambda c: len(c[1]))
        row = {
            "format": ext,
            "files": len(corpus),
            "avg KiB": sum(len(d) for _, d in corpus) / len(corpus) / 1024,
            "raw open/s": rate(raw, corpus, args.seconds) if raw else None,
            "read/s": rate(read_only, corpus, args.seconds),
            "parse+audit/s": rate(parse_audit, corpus, args.seconds),
            "peak KiB": peak_kib(*largest),
        }
        rows.append(row)
    cols = ["format", "files", "avg KiB", "raw open/s", "read/s", "parse+audit/s", "peak KiB"]
    print(" | ".join(f"{c:>13}" for c in cols))
    for row in rows:
        cells = []
        for c in cols:
            v = row[c]
            cells.append(f"{'-' if v is None else (f'{v:,.1f}' if isinstance(v, float) else v):>13}")
        print(" | ".join(cells))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nprocess max RSS: {rss:,.1f} MiB (Python {sys.version.split()[0]}, one core)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
