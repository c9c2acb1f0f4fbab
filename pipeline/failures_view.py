"""`jeonyong failures`: the files an archive records as failed, with why and when, grouped by
reason (counts first), as a table on a terminal and as CSV for a pipe or a spreadsheet."""
from __future__ import annotations

import csv
from collections import defaultdict
from typing import TextIO


from .domain.figures import NUMBER_RUN
from .terminal import Block, Grid, Line
from .writers.csv_writer import csv_cell

CSV_COLUMNS = ("path", "stage", "reason", "first_seen", "last_seen", "attempts", "sha256", "size_bytes", "pipeline_version")


def reason_kind(reason: str) -> str:
    """A reason with its figures replaced by `#`, so that `a line of 5,242,880 characters` and
    `a line of 812,003 characters` are counted as one reason."""
    return NUMBER_RUN.sub("#", reason)


def grouped(rows: list[dict]) -> list[tuple[str, list[dict]]]:
    """(reason, rows) by reason, the most frequent first; rows by path within a group."""
    groups: dict = defaultdict(list)
    for r in rows:
        groups[reason_kind(r["reason"])].append(r)
    return sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))


def failure_blocks(rows: list[dict], archive: str) -> list[Block]:
    groups = grouped(rows)
    out: list[Block] = [Line(f"{len(rows)} failed file(s) in {archive}, {len(groups)} reason(s)", "bold")]
    if not rows:
        return out
    out.append(Grid(header=("files", "stage", "reason"), rows=[
        (str(len(items)), ", ".join(sorted({r["stage"] for r in items})), kind) for kind, items in groups], right=frozenset({0}), indent=2))
    for kind, items in groups:
        out += [Line(""), Line(f"{len(items)} × {kind}", "bold red")]
        out.append(Grid(header=("path", "reason", "last seen", "attempts"), rows=[
            (r["path"], r["reason"], r["last_seen"], str(r["attempts"])) for r in sorted(items, key=lambda r: r["path"])], indent=2))
    return out


def write_failures_csv(rows: list[dict], stream: TextIO) -> None:
    """One row per failed file, grouped by reason as on the terminal; UTF-8 with a byte-order
    mark and formula-safe text, like the archive's other CSV tables."""
    stream.write("\ufeff")
    w = csv.writer(stream, lineterminator="\r\n")
    w.writerow(("reason_group", "files_with_reason") + CSV_COLUMNS)
    for kind, items in grouped(rows):
        for r in sorted(items, key=lambda r: r["path"]):
            w.writerow([csv_cell(kind), len(items)] + [csv_cell(r.get(c)) for c in CSV_COLUMNS])
