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
(default: this checkout). On a machine others are loading, the runs of every command (and
of every --tree, to compare two checkouts) are interleaved round by round, and the best of
--rounds is quoted (the median beside it).
"""
from __future__ import annotations

import argparse
import os
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


def timed(cmd: list[str], env: dict) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)}: exit status {done.returncode}")
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--pdfs", type=int, default=50)
    ap.add_argument("--tree", action="append", type=Path, help="a checkout to measure (repeatable); default this one")
    ap.add_argument("--skip-pdf", action="store_true")
    args = ap.parse_args()
    trees = [t.resolve() for t in (args.tree or [ROOT])]
    py = sys.executable
    seed = ROOT / "samples" / "000_seed.txt"
    with tempfile.TemporaryDirectory(prefix="bench_startup_") as tmp:
        corpus = Path(tmp) / "pdfs"
        corpus.mkdir()
        make_pdf_corpus(corpus, args.pdfs)
        runs: dict[str, tuple[list[str], dict]] = {}
        base_env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
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
        times: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(args.rounds):
            for name, (cmd, env) in runs.items():
                times[name].append(timed(cmd, env))
    width = max(len(n) for n in times)
    for name, ts in times.items():
        print(f"{name.strip():<{width}}  best {min(ts):6.3f} s   median {statistics.median(ts):6.3f} s")
    if not args.skip_pdf:
        plumber = min(times["(b) pdfplumber alone"])
        for tree in trees:
            tag = tree.name if len(trees) > 1 else ""
            ours = min(times[f"(b) extract {args.pdfs} PDFs {tag}"])
            print(f"ratio {tag or 'pipeline'} / pdfplumber alone (best of {args.rounds}): {ours / plumber:.2f}×")


if __name__ == "__main__":
    main()
