#!/usr/bin/env python3
"""Text reports per second and peak memory, beside the raw cost of decoding the bytes.

    python benchmarks/bench_text.py [--seconds 5] [--batch 64]

Measures, on the text files in samples/ (held in memory, so disk speed does not count and
interpreter start-up is excluded):
  * decode only   : bytes → NFC str and lines (the floor any text reader pays)
  * read          : the text reader (decode + tables → IR)
  * parse+audit   : reader + parser + checks
  * full pipeline : + schema validation in batches of --batch reports + JSON serialisation
Peak memory is the process's maximum resident set size after the run (ru_maxrss).
The aim (issue 2) is at least 200 seed-sized reports per second on one core.
The same stages then run on text converted from PDF (`pdftotext -layout` of every sample,
tests/fixtures/layout/*.layout.txt), where tables are rebuilt from columns aligned with
spaces.
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.audit import audit_report  # noqa: E402
from pipeline.extract import validate_reports  # noqa: E402
from pipeline.limits import DEFAULT_LIMITS  # noqa: E402
from pipeline.parse import parse_document  # noqa: E402
from pipeline.readers import read_bytes  # noqa: E402
from pipeline.readers.text import decode  # noqa: E402


def rate(fn, corpus, seconds: float) -> float:
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        fn(corpus)
        n += len(corpus)
    return n / (time.perf_counter() - start)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--batch", type=int, default=64)
    args = ap.parse_args()
    files = sorted((ROOT / "samples").glob("*.txt"))
    corpus = [(str(p), p.read_bytes()) for p in files]
    # A batch the size of the validation batch, cycling through the samples. Each copy gets
    # its own bytes (trailing blank lines), hence its own sha256: identical content is
    # validated once per batch, which would flatter the figures.
    def distinct(items):
        out = []
        for i in range(args.batch):
            path, data = items[i % len(items)]
            newline = b"\n\x00" if data.startswith(b"\xff\xfe") else b"\x00\n" if data.startswith(b"\xfe\xff") else b"\n"
            out.append((path, data + newline * (i // len(items))))
        return out

    batch = distinct(corpus)
    seed = [(p, d) for p, d in corpus if "seed_000" in p]
    seed_batch = distinct(seed)

    def decode_only(items):
        for _, data in items:
            decode(data).splitlines()

    def read_only(items):
        for path, data in items:
            read_bytes(path, data, DEFAULT_LIMITS)

    def parse_audit(items):
        for path, data in items:
            r = parse_document(read_bytes(path, data, DEFAULT_LIMITS))
            r.findings = audit_report(r)

    def full(items):
        reports = []
        for path, data in items:
            r = parse_document(read_bytes(path, data, DEFAULT_LIMITS))
            r.findings = audit_report(r)
            reports.append(r)
        validate_reports(reports)
        for r in reports:
            json.dumps(r.to_json(), ensure_ascii=False)

    full(batch)  # warm up imports and caches
    seed_size = (ROOT / "samples" / "seed_000_69d6960250ab482a.txt").stat().st_size
    mean_size = sum(len(d) for _, d in corpus) / len(corpus)
    print(f"{len(files)} text samples, mean {mean_size / 1024:.1f} KiB (seed {seed_size / 1024:.1f} KiB); {args.seconds:g} s per stage")
    results = {}
    for name, fn in (("decode only", decode_only), ("read", read_only), ("parse+audit", parse_audit), ("full pipeline", full)):
        results[name] = rate(fn, batch, args.seconds)
        print(f"  {name:<14} {results[name]:8.0f} reports/s")
    seed_rate = rate(full, seed_batch, args.seconds)
    print(f"  full pipeline on the seed alone (7.7 KiB, 3 transfers): {seed_rate:.0f} reports/s (aim: 200)")
    # The samples' renderings (not the layout generator's extreme cases, gen_*: a mix kept
    # from run to run, so that figures compare).
    layout_files = sorted(p for p in (ROOT / "tests" / "fixtures" / "layout").glob("*.layout.txt") if not p.name.startswith("gen_"))
    layout = distinct([(str(p), p.read_bytes()) for p in layout_files])
    layout_seed = distinct([(str(p), p.read_bytes()) for p in layout_files if p.name.startswith("000_seed")])
    layout_mean = sum(len(d) for _, d in layout[: len(layout_files)]) / len(layout_files)
    print(f"{len(layout_files)} pdftotext -layout texts, mean {layout_mean / 1024:.1f} KiB (layout text: tables rebuilt from aligned columns)")
    for name, fn in (("read", read_only), ("parse+audit", parse_audit), ("full pipeline", full)):
        print(f"  {name:<14} {rate(fn, layout, args.seconds):8.0f} reports/s")
    print(f"  full pipeline on the seed's layout text alone: {rate(full, layout_seed, args.seconds):.0f} reports/s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak RSS       {peak:8.0f} MiB (imports included; pandas/pandera only if a table needed them)")
    print(f"  pipeline / decode-only cost ratio: {results['decode only'] / results['full pipeline']:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
