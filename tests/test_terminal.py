"""What a person sees in a terminal and what a pipe receives: the audit table's columns line
up under Hangul (measured in display cells), piped output is plain and keeps its shape,
a terminal gets colour and the ingest progress bar."""
from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import shutil
import struct
import subprocess
import sys
import termios
import unicodedata

import pytest

from pipeline.audit import COLUMN_KO
from pipeline.audit_view import FINDING_COLUMNS, render_audit_docs
from pipeline.extract import parse_file

from conftest import ROOT, SAMPLES, run_cli

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
ERR_SAMPLES = sorted(SAMPLES.glob("err_*.txt"))


def cells(s: str) -> int:
    """Display width, measured independently of rich: wide and fullwidth characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in s)


def _money(v) -> str:
    return "" if v is None else f"{v:,}"


def _grids(text: str):
    """(header line, [row lines]) of every findings table in the plain output."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.split() == list(FINDING_COLUMNS):
            rows = []
            for row in lines[i + 1:]:
                if row.startswith("    · ") or not row.strip():
                    break
                rows.append(row)
            yield line, rows


def test_findings_table_columns_line_up_in_display_cells():
    docs = [parse_file(p).to_json() for p in ERR_SAMPLES]
    text = render_audit_docs(docs)
    findings = [f for d in docs for f in d["findings"]]
    assert any(cells(COLUMN_KO.get(f["field"] or "", "")) > len(COLUMN_KO.get(f["field"] or "", "")) for f in findings)
    rows_seen = 0
    by_row = iter(findings)
    for header, rows in _grids(text):
        # where each header title starts and ends, in display cells
        starts, ends, pos = [], [], 0
        for title in FINDING_COLUMNS:
            i = header.index(title, pos)
            starts.append(cells(header[:i]))
            ends.append(cells(header[:i + len(title)]))
            pos = i + len(title)
        right = {FINDING_COLUMNS.index("printed"), FINDING_COLUMNS.index("expected")}
        # a right-aligned column ends where its title ends; the others start with theirs
        for row in rows:
            f = next(by_row)
            values = [f["check"], f["severity"], "" if f["line"] is None else str(f["line"]),
                      COLUMN_KO.get(f["field"], f["field"] or ""), _money(f["actual"]), _money(f["expected"])]
            pos = 0
            for col, value in enumerate(values):
                if not value:
                    continue
                i = row.index(value, pos)
                if col in right:
                    assert cells(row[:i + len(value)]) == ends[col], (row, value)
                else:
                    assert cells(row[:i]) == starts[col], (row, value)
                pos = i + len(value)
            assert cells(row[:pos]) < starts[-1] <= cells(row) and row == row.rstrip()
            rows_seen += 1
    assert rows_seen == len(findings) > 5


def test_piped_audit_is_plain_and_keeps_its_shape(tmp_path):
    sample = SAMPLES / "err_row_balance_001.txt"
    doc = parse_file(sample).to_json()
    (f,) = doc["findings"]
    # a narrow COLUMNS and FORCE_COLOR must not leak into a pipe: no escapes, no wrapping
    env = {**os.environ, "COLUMNS": "40", "FORCE_COLOR": "1"}
    r = subprocess.run([sys.executable, "-m", "pipeline.cli", "audit", str(sample)], capture_output=True,
                       text=True, cwd=ROOT, env=env, timeout=120)
    assert r.returncode == 1, r.stderr
    assert "\x1b" not in r.stdout and "\r" not in r.stdout
    lines = r.stdout.split("\n")
    t = next(t for t in doc["transfers"] if t["seq"] == f["transfer_seq"])
    assert lines[0] == f"✗ {sample} — {doc['fiscal_year']} {doc['quarter']}/4 {doc['office']}: 1 error(s), 0 warning(s)"
    assert lines[1] == f"  {t['label']}. {t['title']}"
    assert lines[2].startswith("    check") and lines[2].split() == list(FINDING_COLUMNS)
    assert lines[3].split()[:3] == ["row_balance", "error", str(f["line"])]
    assert _money(f["actual"]) in lines[3] and _money(f["expected"]) in lines[3]
    assert lines[4] == f"    · {f['message']}"
    assert lines[5:] == ["", "1 report(s): 0 clean, 1 with errors, 0 with warnings only; 1 error finding(s), 0 warning finding(s); 0 file(s) unreadable", ""]
    # the same text the library renders for the same report
    assert r.stdout == render_audit_docs([(str(sample), doc)]) + "\n"


def _run_in_pty(args, cols=200, timeout=120) -> tuple[int, str]:
    """Run `jeonyong ARGS` with its standard output and error on a pseudo-terminal."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, cols, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES")}
    env["TERM"] = "xterm-256color"
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", *map(str, args)], stdin=slave, stdout=slave,
                            stderr=slave, cwd=ROOT, env=env, close_fds=True)
    os.close(slave)
    out = b""
    try:
        while True:
            ready, _, _ = select.select([master], [], [], timeout)
            if not ready:
                proc.kill()
                raise AssertionError("no output from the command in a pty")
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            out += chunk
    finally:
        os.close(master)
    return proc.wait(timeout), out.decode("utf-8", "replace")


def _unterminal(text: str) -> list[str]:
    """The lines a person reads: escapes dropped, CRLF (the terminal's newline) as LF."""
    return [line.rstrip() for line in ANSI.sub("", text).replace("\r\n", "\n").split("\n")]


def test_terminal_audit_is_coloured_and_says_the_same():
    files = ERR_SAMPLES[:3]
    status, out = _run_in_pty(["audit", *files])
    assert status == 1
    assert "\x1b[" in out  # colour
    assert re.search(r"\x1b\[[0-9;]*31m", out)  # red for errors
    piped = run_cli("audit", *files).stdout
    assert [l for l in _unterminal(out) if l] == [l.rstrip() for l in piped.split("\n") if l]


def test_ingest_progress_on_a_terminal_and_one_line_when_piped(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    files = sorted(SAMPLES.glob("*.txt"))
    for p in files:
        shutil.copy(p, src / p.name)
    (src / "broken.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00" * 100)
    n = len(files) + 1
    status, out = _run_in_pty(["ingest", src, "--archive", tmp_path / "a.sqlite", "--jobs", "1"])
    assert status == 2  # the broken file
    assert "\x1b[" in out
    screens = [s for s in re.split(r"[\r\n]+", ANSI.sub("", out))]
    bars = [s for s in screens if s.startswith("parsing")]
    assert bars and all("files/s" in s and "failed" in s and "ETA" in s for s in bars)
    assert any(f"{n}/{n} files" in s and "1 failed" in s for s in bars), bars[-3:]
    assert not [s for s in screens if s.startswith("jeonyong ingest:")]  # the bar, not the summary line
    assert "files found" in out and f"broken.pdf: " in out

    r = run_cli("ingest", src, "--archive", tmp_path / "b.sqlite", "--jobs", "1")
    assert r.returncode == 2
    assert "\x1b" not in r.stderr + r.stdout and "\r" not in r.stderr
    progress = [l for l in r.stderr.splitlines() if l.startswith("jeonyong ingest:")]
    assert progress == [l for l in r.stderr.splitlines() if "files" in l]
    assert len(progress) == 1 and f"parsing {n}/{n} files in " in progress[0] and progress[0].endswith("; 1 failed")
