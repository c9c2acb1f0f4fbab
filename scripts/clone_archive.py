#!/usr/bin/env python3
"""A large archive, made fast: ingest the text samples once, then clone their rows in SQL under
new report ids (every table; the report JSON with its sha256 changed), spread over fiscal
years and offices, until the archive holds the number of reports asked for.

    python scripts/clone_archive.py OUT.sqlite --reports 10000

Used by benchmarks/bench_overview.py and the triage tests (an archive of a few hundred)."""
from __future__ import annotations

import argparse
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TABLES = ("reports", "report_documents", "transfers", "budget_lines", "findings", "sources")


def base_archive(work: Path) -> Path:
    src = work / "in"
    src.mkdir()
    for p in sorted((ROOT / "samples").glob("*.txt")):
        shutil.copy(p, src / p.name)
    db = work / "base.sqlite"
    subprocess.run([sys.executable, "-m", "pipeline.cli", "ingest", str(src), "--archive", str(db), "--jobs", "1"],
                   cwd=ROOT, capture_output=True, check=False)
    return db


def clone(base: Path, target: Path, reports: int) -> None:
    """`reports` reports: the base's, then copies under new ids until there are enough."""
    shutil.copy(base, target)
    conn = sqlite3.connect(target)
    n_base = conn.execute("SELECT count(*) FROM reports").fetchone()[0]
    cols = {t: [r[1] for r in conn.execute(f'PRAGMA table_info("{t}")')] for t in TABLES}
    conn.execute("CREATE TEMP TABLE base_ids AS SELECT report_id, row_number() OVER (ORDER BY report_id) AS k FROM reports")
    copy = 1
    while n_base * (copy + 1) <= reports or n_base * copy < reports:
        take = min(n_base, reports - n_base * copy)
        if take <= 0:
            break
        new_id = f"substr(b.report_id, 1, 48) || printf('%016x', {copy})"
        year = f"2012 + ({copy} + b.k) % 12"
        office = f"' ' || ({copy} % 37)"
        for t in TABLES:
            key = "sha256" if t == "sources" else "report_id"
            select = []
            for c in cols[t]:
                if c == key:
                    select.append(new_id)
                elif c == "report_json":  # the JSON says what the rows say
                    select.append(f"json_set(x.report_json, '$.source.sha256', {new_id}, "
                                  f"'$.source.path', json_extract(x.report_json, '$.source.path') || '#{copy}', "
                                  f"'$.fiscal_year', {year}, '$.office', json_extract(x.report_json, '$.office') || {office})")
                elif c == "path" or c == "source_path":
                    select.append(f"x.\"{c}\" || '#{copy}'")
                elif c == "fiscal_year":
                    select.append(year)
                elif c == "office":
                    select.append(f"x.office || {office}")
                else:
                    select.append(f'x."{c}"')
            conn.execute(f'INSERT INTO "{t}" ({", ".join(chr(34) + c + chr(34) for c in cols[t])}) '
                         f"SELECT {', '.join(select)} FROM \"{t}\" x JOIN base_ids b ON b.report_id = x.\"{key}\" "
                         f"WHERE b.k <= {take}")
        copy += 1
    conn.commit()
    conn.close()



def make_archive(target: Path, reports: int) -> Path:
    with tempfile.TemporaryDirectory(prefix="clone_archive_") as work:
        clone(base_archive(Path(work)), Path(target), reports)
    return Path(target)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--reports", type=int, default=10_000)
    a = ap.parse_args()
    make_archive(a.out, a.reports)
