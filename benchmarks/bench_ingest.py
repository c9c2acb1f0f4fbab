#!/usr/bin/env python3
"""`jeonyong ingest` throughput, memory and archive-write share.

    python benchmarks/bench_ingest.py [--reports 1000] [--pdfs 120] [--jobs 1 2] [--keep DIR]

Builds a corpus of distinct text reports with scripts/make_corpus.py (no copies, nothing
broken), and, when samples/*.pdf exist, a corpus of distinct PDFs (each sample with a
different trailing comment, so each is its own report). For each corpus and each --jobs
value it runs one ingest into a fresh archive in a child process and reports:

  * files/s      files ingested / wall time of the whole run (start-up included)
  * parse files/s  files / time of the parse phase alone (after hashing, before the summary)
  * peak MB      the largest sum of the proportional set size (PSS) of the run's processes
                 (parent, fork server and workers), sampled from /proc every 20 ms; and the
                 largest peak RSS (VmHWM) of any one of them
  * writes %     share of the run's wall-clock time spent in archive transactions (with as
                 many workers as cores the parent shares them, so this is inflated by waiting
                 for the CPU); writes cpu %: the parent's CPU time in them / all CPU time
  * cpu s        CPU seconds of all the run's processes (sampled from /proc), files per CPU
                 second, and CPUs kept busy on average: on a shared machine the wall-clock
                 speed-up depends on what else runs; files per CPU second does not

Aims (issue 4): near-linear speed-up with jobs; writes < 10 % of the run; peak memory not
growing with the number of files (< 300 MB for 1000 files).
"""
from __future__ import annotations

import argparse
import json
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

from make_corpus import build_corpus  # noqa: E402

CHILD = r"""
import json, sys, time
from pathlib import Path
from pipeline.storage.ingest import IngestOptions, Progress, ingest
import io
opts = IngestOptions(archive=Path(sys.argv[1]), jobs=int(sys.argv[3]))
r = ingest([sys.argv[2]], opts, progress=Progress(stream=io.StringIO()))
print(json.dumps({"found": r.found, "ingested": r.ingested, "failed": r.failed, "seconds": r.seconds,
                  "hash_seconds": r.hash_seconds, "write_seconds": r.write_seconds,
                  "write_cpu_seconds": r.write_cpu_seconds,
                  "failures": [f.line() for f in r.failures[:5]]}))
"""


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        kids.setdefault(ppid, []).append(int(d))
    return kids


def _kib(path: str, key: str) -> int:
    try:
        with open(path) as fh:
            for line in fh:
                if line.startswith(key):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _cpu_seconds(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
    except (OSError, IndexError, ValueError):
        return 0.0


def _tree(pid: int) -> list[int]:
    kids = _children()
    out, stack = [], [pid]
    while stack:
        p = stack.pop()
        out.append(p)
        stack.extend(kids.get(p, []))
    return out


def _tree_memory(pid: int) -> tuple[int, int]:
    """(proportional set size of `pid` and all its descendants, the largest peak resident
    size among them), in KiB. PSS shares pages the workers inherit from the fork server
    between them, so the sum is the memory the run really occupies."""
    kids = _children()
    total, peak, stack = 0, 0, [pid]
    while stack:
        p = stack.pop()
        stack.extend(kids.get(p, []))
        total += _kib(f"/proc/{p}/smaps_rollup", "Pss:") or _kib(f"/proc/{p}/status", "VmRSS:")
        peak = max(peak, _kib(f"/proc/{p}/status", "VmHWM:"))
    return total, peak


def run_once(corpus: Path, jobs: int, work: Path) -> dict:
    db = work / f"bench-{jobs}.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    t0 = time.perf_counter()
    p = subprocess.Popen([sys.executable, "-c", CHILD, str(db), str(corpus), str(jobs)], cwd=ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = single = 0
    cpu: dict[int, float] = {}
    while p.poll() is None:
        total, hwm = _tree_memory(p.pid)
        peak, single = max(peak, total), max(single, hwm)
        for q in _tree(p.pid):
            cpu[q] = max(cpu.get(q, 0.0), _cpu_seconds(q))
        time.sleep(0.02)
    wall = time.perf_counter() - t0
    out, err = p.communicate()
    if p.returncode != 0:
        raise SystemExit(f"ingest failed ({p.returncode}): {err[-2000:]}")
    r = json.loads(out.strip().splitlines()[-1])
    parse_seconds = r["seconds"] - r["hash_seconds"]
    return {
        "jobs": jobs,
        "files": r["ingested"],
        "failed": r["failed"],
        "wall_s": round(wall, 2),
        "files_per_s": round(r["ingested"] / wall, 1),
        "parse_files_per_s": round(r["ingested"] / parse_seconds, 1) if parse_seconds else None,
        "peak_tree_mb": round(peak / 1024, 1),
        "peak_process_mb": round(single / 1024, 1),
        "writes_pct": round(100 * r["write_seconds"] / r["seconds"], 1),
        "cpu_s": round(sum(cpu.values()), 1),
        "writes_cpu_pct": round(100 * r["write_cpu_seconds"] / sum(cpu.values()), 1) if cpu else None,
        "files_per_cpu_s": round(r["ingested"] / sum(cpu.values()), 1) if cpu else None,
        "cpus_busy": round(sum(cpu.values()) / wall, 2),
        "archive_mb": round(db.stat().st_size / 2**20, 1),
        "failures": r["failures"],
    }


def _burn(n: int) -> float:
    t, x = time.perf_counter(), 0
    for i in range(n):
        x += i * i
    return time.perf_counter() - t


def machine_speedup(jobs: int, n: int = 10_000_000) -> float:
    """The speed-up `jobs` processes of pure Python arithmetic get on this machine right
    now: the ceiling for ingest's speed-up (2 on an idle 2-core machine, less when other
    work shares the cores)."""
    import multiprocessing as mp

    one = _burn(n)
    with mp.get_context("fork").Pool(jobs) as pool:
        t = time.perf_counter()
        pool.map(_burn, [n] * jobs)
        many = time.perf_counter() - t
    return jobs * one / many


def pdf_corpus(out: Path, n: int) -> int:
    pdfs = sorted((ROOT / "samples").glob("*.pdf"))
    if not pdfs:
        return 0
    out.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        src = pdfs[i % len(pdfs)]
        (out / f"{i:04d}_{src.name}").write_bytes(src.read_bytes() + f"\n%bench variant {i}\n".encode())
    return n


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reports", type=int, default=1000)
    ap.add_argument("--pdfs", type=int, default=120)
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--small", type=int, default=250, help="also run the largest --jobs on this many files, to see memory against file count (0: skip)")
    ap.add_argument("--keep", type=Path, help="build the corpora here and keep them")
    a = ap.parse_args(argv)
    ceiling_start = machine_speedup(max(a.jobs)) if max(a.jobs) > 1 else 1.0
    work = a.keep or Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    rows = []
    try:
        text = work / "text"
        if not text.exists():
            build_corpus(text, reports=a.reports, broken=0, copies=0, seed=3, verify=False, text_only=True)
        n_text = sum(1 for p in text.rglob("*") if p.is_file() and not p.name.startswith("."))
        for jobs in a.jobs:
            rows.append({"corpus": f"text x{n_text}", **run_once(text, jobs, work)})
        if a.small:
            small = work / "text-small"
            if not small.exists():
                build_corpus(small, reports=a.small, broken=0, copies=0, seed=3, verify=False, text_only=True)
            rows.append({"corpus": f"text x{a.small}", **run_once(small, max(a.jobs), work)})
        if a.pdfs:
            pdf = work / "pdf"
            n_pdf = pdf_corpus(pdf, a.pdfs) if not pdf.exists() else a.pdfs
            if n_pdf:
                for jobs in a.jobs:
                    rows.append({"corpus": f"pdf x{n_pdf}", **run_once(pdf, jobs, work)})
    finally:
        if a.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    cols = ["corpus", "jobs", "files", "failed", "wall_s", "files_per_s", "parse_files_per_s", "peak_tree_mb",
            "peak_process_mb", "writes_pct", "writes_cpu_pct", "archive_mb", "cpu_s", "files_per_cpu_s", "cpus_busy"]
    print(" | ".join(cols))
    for r in rows:
        print(" | ".join(str(r[c]) for c in cols))
        for f in r["failures"]:
            print(f"   failure: {f}")
    ceiling_end = machine_speedup(max(a.jobs)) if max(a.jobs) > 1 else 1.0
    base = {r["corpus"]: r for r in rows if r["jobs"] == min(a.jobs)}
    for r in rows:
        b = base.get(r["corpus"])
        if b and r["jobs"] != b["jobs"]:
            print(f"speed-up {r['corpus']} jobs {b['jobs']}→{r['jobs']}: x{r['files_per_s'] / b['files_per_s']:.2f} "
                  f"(parse phase x{r['parse_files_per_s'] / b['parse_files_per_s']:.2f})")
    print(f"pure-CPU speed-up of {max(a.jobs)} processes on this machine (the ceiling for ingest): "
          f"x{ceiling_start:.2f} before the runs, x{ceiling_end:.2f} after")
    children_max = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"cores: {os.cpu_count()}; load average at the end: {os.getloadavg()[0]:.2f}; "
          f"RUSAGE_CHILDREN maxrss (the ingest parents only): {children_max:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
