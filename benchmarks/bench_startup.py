#!/usr/bin/env python3
"""Whole-process wall time, start-up included, as a user meets it:

    python benchmarks/bench_startup.py [--rounds 7] [--pdfs 50] [--tree DIR ...]

  * `jeonyong --help`, `jeonyong --version`;
  * (a) `jeonyong extract samples/000_seed.txt` (one text report's JSON on standard output);
  * (b) `jeonyong extract DIR --out OUT` on --pdfs PDF files (copies of samples/*.pdf under
    new names), beside `pdfplumber alone`: one process that opens the same files and runs
    extract_words() and extract_tables() on every page. The ratio is pipeline / pdfplumber
    (below 1: the pipeline is faster).

Each command runs as `python -m pipeline.cli` with PYTHONPATH set to the tree under test
(default: this checkout), from a folder holding no other `pipeline`. Python's compiled bytecode is kept (in a temporary
PYTHONPYCACHEPREFIX, after one warm-up round), as it is for an installed jeonyong;
--no-bytecode-cache compiles every module's source on every run instead (what a checkout
run with PYTHONDONTWRITEBYTECODE=1 pays). On a machine others are loading, the runs of every command (and
of every --tree, to compare two checkouts) are interleaved round by round, and the best of
--rounds is quoted (the median beside it).
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PDFPLUMBER_ALONE = """
import sys
from pathlib import Path
import pdfplumber
for path in sorted(Path(sys.argv[1]).iterdir()):
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_words()
            page.extract_tables()
            page.close()
"""


def make_pdf_corpus(folder: Path, count: int) -> None:
    sources = sorted((ROOT / "samples").glob("*.pdf"))
    for i in range(count):
        src = sources[i % len(sources)]
        shutil.copyfile(src, folder / f"{i:03d}_{src.name}")


def timed(cmd: list[str], env: dict, cwd: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds user+system) of one run of `cmd`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)}: exit status {done.returncode}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--pdfs", type=int, default=50)
    ap.add_argument("--tree", action="append", type=Path, help="a checkout to measure (repeatable); default this one")
    ap.add_argument("--skip-pdf", action="store_true")
    ap.add_argument("--no-bytecode-cache", action="store_true", help="compile every module on every run")
    args = ap.parse_args()
    trees = [t.resolve() for t in (args.tree or [ROOT])]
    py = sys.executable
    seed = ROOT / "samples" / "000_seed.txt"
    with tempfile.TemporaryDirectory(prefix="bench_startup_") as tmp:
        corpus = Path(tmp) / "pdfs"
        corpus.mkdir()
        make_pdf_corpus(corpus, args.pdfs)
        runs: dict[str, tuple[list[str], dict]] = {}
        base_env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}
        if args.no_bytecode_cache:
            base_env["PYTHONDONTWRITEBYTECODE"] = "1"
        else:
            base_env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        for tree in trees:
            env = {**base_env, "PYTHONPATH": str(tree)}
            tag = tree.name if len(trees) > 1 else ""
            cli = [py, "-m", "pipeline.cli"]
            runs[f"--help {tag}"] = (cli + ["--help"], env)
            runs[f"--version {tag}"] = (cli + ["--version"], env)
            runs[f"(a) extract seed.txt {tag}"] = (cli + ["extract", str(seed)], env)
            if not args.skip_pdf:
                out = Path(tmp) / f"out_{len(runs)}"
                runs[f"(b) extract {args.pdfs} PDFs {tag}"] = (cli + ["extract", str(corpus), "--out", str(out)], env)
        if not args.skip_pdf:
            runs["(b) pdfplumber alone"] = ([py, "-c", PDFPLUMBER_ALONE, str(corpus)], base_env)
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
        if not args.no_bytecode_cache:
            for cmd, env in runs.values():  # warm-up: compile once
                timed(cmd, env, corpus)
        for _ in range(args.rounds):
            for name, (cmd, env) in runs.items():
                times[name].append(timed(cmd, env, corpus))
    width = max(len(n) for n in times)
    print(f"{'':<{width}}  wall: best   median    CPU (user+sys): best   median")
    for name, ts in times.items():
        wall, cpu = [t[0] for t in ts], [t[1] for t in ts]
        print(f"{name.strip():<{width}}  {min(wall):7.3f} s {statistics.median(wall):7.3f} s"
              f"       {min(cpu):7.3f} s {statistics.median(cpu):7.3f} s")
    if not args.skip_pdf:
        plumber = times["(b) pdfplumber alone"]
        for tree in trees:
            tag = tree.name if len(trees) > 1 else ""
            ours = times[f"(b) extract {args.pdfs} PDFs {tag}"]
            print(f"ratio {tag or 'pipeline'} / pdfplumber alone, best of {args.rounds}: "
                  f"wall {min(t[0] for t in ours) / min(t[0] for t in plumber):.2f}×, "
                  f"CPU {min(t[1] for t in ours) / min(t[1] for t in plumber):.2f}×")


if __name__ == "__main__":
    main()
