#!/usr/bin/env python3
"""`jeonyong audit --archive A --html` on large archives: time, page size and peak memory.

    python benchmarks/bench_overview.py [--reports 10000 50000] [--keep DIR]

Builds each archive quickly: ingests the text samples (samples/*.txt: clean reports, one
with each injected error, warnings) once, then clones their rows in SQL under new report ids
(every table, the report JSON with its sha256 changed), spreading the clones over fiscal
years and offices so that the charts have something to show. Then runs the command in a
child process and reports its wall time, the page's size and the child's peak RSS.

Aims (issue 19): at 10,000 reports ≤ 5 s, page ≤ 5 MB, peak memory ≤ 200 MB, and neither
page size nor memory growing with the archive.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from clone_archive import base_archive, clone  # noqa: E402
def measure(db: Path, page: Path) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "pipeline.cli", "audit", "--archive", str(db), "--html", str(page)],
                       cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"exit": r.returncode, "seconds": seconds, "page_mb": page.stat().st_size / 1e6 if page.exists() else 0,
            "peak_mb": max(peak, before) / 1024, "terminal_lines": r.stdout.count("\n"), "stderr": r.stderr[-300:]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reports", type=int, nargs="+", default=[10_000])
    ap.add_argument("--keep", type=Path, help="keep the archives and pages here")
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench_overview_")) if a.keep is None else a.keep
    work.mkdir(parents=True, exist_ok=True)
    try:
        base = base_archive(work)
        for n in a.reports:
            db = work / f"archive_{n}.sqlite"
            t = time.perf_counter()
            clone(base, db, n)
            made = time.perf_counter() - t
            m = measure(db, work / f"overview_{n}.html")
            print(f"{n:>7,} reports (archive made in {made:.1f} s): exit {m['exit']}, {m['seconds']:.2f} s, "
                  f"page {m['page_mb']:.2f} MB, peak RSS {m['peak_mb']:.0f} MB, terminal {m['terminal_lines']:,} lines"
                  + (f"\n  stderr: {m['stderr']}" if m["exit"] not in (0, 1, 3) else ""), flush=True)
    finally:
        if a.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
