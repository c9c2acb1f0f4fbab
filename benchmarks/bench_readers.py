#!/usr/bin/env python3
"""Reports per second and peak memory of the binary-format readers, side by side with the
library they are built on used alone.

    python benchmarks/bench_readers.py [--formats pdf,docx] [--seconds 5]

For each format, on the sample renderings in samples/ (held in memory: disk speed and
interpreter start-up do not count; one core), three stages, each measured in a fresh
subprocess so that its peak memory is its own:
  * baseline : the library alone, doing the least a reader must do
               PDF : pdfplumber opens the file and runs extract_text() and
                     extract_tables() on every page (closing each page after use);
               DOCX: python-docx opens the file and reads every paragraph's text and
                     every cell's text of every table (row.cells, merges repeated);
  * read     : our reader, bytes → IR blocks (pipeline.readers.read_bytes), with all the
               limits checks;
  * pipeline : the whole extraction as `jeonyong extract` does it: read, parse, audit,
               pandera validation in batches of 64 (pipeline.extract.validate_reports),
               JSON serialisation; for PDF the page geometry is read by pypdfium2;
  * pipeline, pdfplumber path (PDF only): the same with pdfplumber reading the page
               geometry (the reference producer of pipeline/readers/pdf/geometry.py).
Rates are reports per CPU-second of this process (time.process_time: other load on a
shared machine barely shifts it), from the fastest pass over the corpus, stages
interleaved over --rounds; the median pass is shown too.
Peak memory per stage: tracemalloc's peak during one pass over the corpus (Python
allocations) and the subprocess's maximum resident set size (ru_maxrss, includes imports).
The aims: on PDF the pipeline at 5× the speed of pdfplumber alone (issue 13); on DOCX
within 1.5× of python-docx alone (ratio = baseline rate / pipeline rate; below 1 is faster).

Adding a format (HWPX, HWP …): `register(Format(...))` with its file pattern and a
baseline function `fn(items)` over `[(path, bytes), …]`, here or from another script
that imports this module and calls `main()`.
"""
from __future__ import annotations

import argparse
import hashlib
import io
import json
import resource
import subprocess
import sys
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

Items = list  # [(path, bytes)]


@dataclass
class Format:
    name: str
    pattern: str  # glob under samples/
    baseline_name: str
    baseline: Callable[[Items], None]


FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> None:
    FORMATS[fmt.name] = fmt


# ---------------------------------------------------------------- baselines
def pdfplumber_alone(items: Items) -> None:
    import pdfplumber

    for _, data in items:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.extract_tables()
                page.close()


def python_docx_alone(items: Items) -> None:
    import docx

    for _, data in items:
        d = docx.Document(io.BytesIO(data))
        for p in d.paragraphs:
            p.text
        for t in d.tables:
            for row in t.rows:
                for cell in row.cells:
                    cell.text


register(Format("pdf", "*.pdf", "pdfplumber alone", pdfplumber_alone))
register(Format("docx", "*.docx", "python-docx alone", python_docx_alone))


# ---------------------------------------------------------------- our stages
def read_only(items: Items) -> None:
    from pipeline.limits import DEFAULT_LIMITS
    from pipeline.readers import read_bytes

    for path, data in items:
        read_bytes(path, data, DEFAULT_LIMITS)


_PENDING: list = []


def pipeline_pdfplumber(items: Items) -> None:
    """The whole pipeline with pdfplumber reading the PDF geometry (the reference
    producer of pipeline/readers/pdf/geometry.py) instead of pypdfium2."""
    whole_pipeline(items, producer="pdfplumber")


def whole_pipeline(items: Items, batch: int = 64, producer: str | None = None) -> None:
    """As `extract_files` does it: reports validated in batches of 64 (carried over from one
    pass to the next, so a small corpus pays pandera's per-call cost as a big one does)."""
    from pipeline.audit import audit_report
    from pipeline.extract import validate_reports
    from pipeline.limits import DEFAULT_LIMITS
    from pipeline.parse import parse_document
    from pipeline.readers import read_bytes

    for path, data in items:
        if producer is None:
            doc = read_bytes(path, data, DEFAULT_LIMITS)
        else:
            from pipeline.ir import Document
            from pipeline.readers.pdf import read_pdf

            doc = Document(path, "pdf", hashlib.sha256(data).hexdigest(), read_pdf(data, DEFAULT_LIMITS, producer))
        r = parse_document(doc)
        r.findings = audit_report(r)
        _PENDING.append(r)
        if len(_PENDING) >= batch:
            validate_reports(_PENDING)
            for x in _PENDING:
                json.dumps(x.to_json(), ensure_ascii=False)
            _PENDING.clear()


STAGES = ("baseline", "read", "pipeline")
# Extra stages of one format: PDF also runs the pipeline on the reference producer.
EXTRA_STAGES = {"pdf": ("pipeline_pdfplumber",)}


def stages(fmt: str) -> tuple:
    return STAGES + EXTRA_STAGES.get(fmt, ())


def corpus(fmt: str) -> Items:
    files = sorted((ROOT / "samples").glob(FORMATS[fmt].pattern))
    return [(str(p), p.read_bytes()) for p in files]


def stage_fn(fmt: str, stage: str) -> Callable[[Items], None]:
    return {"baseline": FORMATS[fmt].baseline, "read": read_only, "pipeline": whole_pipeline,
            "pipeline_pdfplumber": pipeline_pdfplumber}[stage]


def measure(fmt: str, stage: str, seconds: float) -> dict:
    """Run one stage in this process: passes over the corpus for `seconds` of wall time;
    the rate is from the fastest pass in CPU time; memory is tracemalloc's peak over one
    pass."""
    items = corpus(fmt)
    fn = stage_fn(fmt, stage)
    fn(items)  # warm up: imports, caches
    tracemalloc.start()
    fn(items)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    times = []
    start = time.perf_counter()
    while not times or time.perf_counter() - start < seconds:
        t = time.process_time()
        fn(items)
        times.append(time.process_time() - t)
    times.sort()
    return {
        "format": fmt,
        "stage": stage,
        "files": len(items),
        "passes": len(times),
        "rate": len(items) / times[0],
        "median_rate": len(items) / times[len(times) // 2],
        "traced_peak_mib": peak / 2**20,
        "maxrss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def measure_in_subprocess(fmt: str, stage: str, seconds: float, script: str = __file__) -> dict:
    out = subprocess.run(
        [sys.executable, script, "--worker", fmt, stage, "--seconds", str(seconds)],
        capture_output=True, text=True,
    )
    if out.returncode != 0:
        raise SystemExit(f"{fmt}/{stage} failed:\n{out.stderr.strip()}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure_format(fmt: str, seconds: float, rounds: int = 2, script: str = __file__) -> dict:
    """Every stage of one format, interleaved over `rounds` (so slow spells of a shared
    machine hit all stages alike); per stage the best rate and the largest memory."""
    results: dict = {}
    for _ in range(rounds):
        for stage in stages(fmt):
            r = measure_in_subprocess(fmt, stage, seconds, script)
            best = results.get(stage)
            if best is None:
                results[stage] = r
                continue
            best["rate"] = max(best["rate"], r["rate"])
            best["median_rate"] = max(best["median_rate"], r["median_rate"])
            best["passes"] += r["passes"]
            best["traced_peak_mib"] = max(best["traced_peak_mib"], r["traced_peak_mib"])
            best["maxrss_mib"] = max(best["maxrss_mib"], r["maxrss_mib"])
    return results


def report(fmt: str, results: dict) -> str:
    f = FORMATS[fmt]
    names = {"baseline": f.baseline_name, "read": "our reader", "pipeline": "whole pipeline",
             "pipeline_pdfplumber": "pipeline, pdfplumber path"}
    lines = [f"{fmt.upper()}: {results['baseline']['files']} files in samples/{f.pattern}"]
    for stage in stages(fmt):
        r = results[stage]
        lines.append(
            f"  {names[stage]:<20} {r['rate']:8.1f} reports/s (median pass {r['median_rate']:6.1f})   tracemalloc peak {r['traced_peak_mib']:6.1f} MiB   max RSS {r['maxrss_mib']:6.0f} MiB"
        )
    base = results["baseline"]["rate"]
    lines.append(f"  time ratio reader/baseline   {base / results['read']['rate']:.2f}x")
    lines.append(f"  time ratio pipeline/baseline {base / results['pipeline']['rate']:.2f}x"
                 f"  (the pipeline runs {results['pipeline']['rate'] / base:.1f}x as fast as {f.baseline_name})")
    if "pipeline_pdfplumber" in results:
        lines.append(f"  time ratio pipeline, pdfplumber path/baseline {base / results['pipeline_pdfplumber']['rate']:.2f}x")
    return "\n".join(lines)


def main(argv=None, script: str = __file__) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--formats", default=",".join(FORMATS))
    ap.add_argument("--seconds", type=float, default=8.0, help="per stage and round")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--worker", nargs=2, metavar=("FORMAT", "STAGE"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        print(json.dumps(measure(args.worker[0], args.worker[1], args.seconds)))
        return 0
    for fmt in args.formats.split(","):
        results = measure_format(fmt, args.seconds, args.rounds, script)
        print(report(fmt, results), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
