"""What one `jeonyong ingest` run is asked to do and what it did: its options, its failures
and its result; shared by the run's phases (storage/ingest.py) and its worker pool
(storage/pool.py)."""
from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from ..limits import DEFAULT_LIMITS, Limits
from ..records import EXIT_UNCHECKED

DEFAULT_TIMEOUT = 120.0  # seconds per file
DEFAULT_MAX_MEMORY_MB = 2048  # address space of one worker
CHUNK_MAX_FILES = 32  # files per worker round trip (schema validation is much cheaper in batches)
CHUNK_MAX_BYTES = 8 * 1024 * 1024
HASH_CHUNK_FILES = 256  # files per worker round trip while hashing
MAX_ATTEMPTS = 3  # a file caught up in other files' worker crashes is retried this often


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass
class IngestOptions:
    archive: "Path | str" = Path("archive.sqlite")  # a SQLite file, or a postgresql:// URL
    out: Optional[Path] = None
    out_format: str = "both"  # csv | json | both: what to write under `out`
    jobs: int = field(default_factory=default_jobs)
    force: bool = False
    retry_failed: bool = False
    timeout: float = DEFAULT_TIMEOUT
    max_memory_mb: int = DEFAULT_MAX_MEMORY_MB
    limits: Limits = DEFAULT_LIMITS
    scheduler: Optional[str] = None  # a Dask scheduler's address, or "local"; None: this machine's worker pool


class SchedulerUnavailable(Exception):
    """The Dask cluster asked for cannot be used; the message says why, in one line."""


@dataclass
class Failure:
    path: str
    reason: str
    sha256: Optional[str] = None
    earlier: bool = False  # recorded by an earlier run and not tried again

    def line(self) -> str:
        return f"{self.path}: {self.reason}" + (" (recorded earlier; --retry-failed to try again)" if self.earlier else "")


@dataclass
class IngestResult:
    found: int = 0  # files found under the paths
    ingested: int = 0  # files whose content was parsed and archived in this run
    skipped: int = 0  # files whose content was already archived
    reports_new: int = 0  # distinct reports archived in this run
    reports_total: int = 0  # distinct reports among the inputs (new and earlier)
    failures: list[Failure] = field(default_factory=list)
    findings: Counter = field(default_factory=Counter)  # (check, severity) → count, over the inputs' reports
    schema_problem_reports: int = 0
    unchecked_reports: int = 0  # reports among the inputs not fully checked (a table or figure not read)
    seconds: float = 0.0
    hash_seconds: float = 0.0
    write_seconds: float = 0.0  # time spent in archive transactions
    write_cpu_seconds: float = 0.0  # CPU time of this process in them
    export_seconds: float = 0.0
    workers_replaced: int = 0
    archive_untouched: bool = False  # nothing named exists: no archive was opened or created
    stopped_by: Optional[int] = None  # the signal that stopped the run (SIGINT, SIGTERM)

    @property
    def remaining(self) -> int:
        """Files found that this run did not get to (stopped before them)."""
        return max(0, self.found - self.ingested - self.skipped - self.failed)

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def error_findings(self) -> int:
        return sum(n for (check, sev), n in self.findings.items() if sev == "error")

    @property
    def exit_status(self) -> int:
        """The contract's: 2 some files failed, 1 findings of severity error, 3 some report
        not fully checked (unchecked is not clean), 0 all good;
        stopped by a signal, 128 + its number (130 SIGINT, 143 SIGTERM)."""
        if self.stopped_by:
            return 128 + self.stopped_by
        if self.failures:
            return 2
        if self.error_findings:
            return 1
        if self.unchecked_reports:
            return EXIT_UNCHECKED
        return 0
