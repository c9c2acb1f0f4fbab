"""Bulk ingest: every supported file under some folders → the SQLite archive (and, on
request, the contract's CSV/JSON tables).

- Files are keyed by the sha256 of their bytes (a package's reports: `<sha256>#1`, `#2` …). Content already archived is not parsed
  again (a renamed copy only adds a path to `sources`); `force` parses everything again.
- Parsing runs in worker processes (`jobs`), each under a per-file time limit and an
  address-space limit (RLIMIT_AS). A worker that runs over its time, or dies, is killed and
  replaced; the file it was parsing is recorded as failed and the batch goes on.
- Workers read and hash the files too (a first phase, on the same workers), and send
  report JSON back; this (main) process only groups, decides and writes the archive, one
  transaction per file, so a run killed at any moment can simply be run again.
"""
from __future__ import annotations

import hashlib
import math
import os
import signal
import sqlite3
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Optional

from .archive import Archive, ArchiveError, ArchiveFull, SourceFile, export_csv, export_json, prepare_report
from .discover import iter_inputs
from .limits import DEFAULT_LIMITS, Limits
from .terminal import IngestProgress

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
    archive: Path = Path("archive.sqlite")
    out: Optional[Path] = None
    out_format: str = "both"  # csv | json | both: what to write under `out`
    jobs: int = field(default_factory=default_jobs)
    force: bool = False
    retry_failed: bool = False
    timeout: float = DEFAULT_TIMEOUT
    max_memory_mb: int = DEFAULT_MAX_MEMORY_MB
    limits: Limits = DEFAULT_LIMITS


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
    seconds: float = 0.0
    hash_seconds: float = 0.0
    write_seconds: float = 0.0  # time spent in archive transactions
    write_cpu_seconds: float = 0.0  # CPU time of this process in them
    export_seconds: float = 0.0
    workers_replaced: int = 0

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def error_findings(self) -> int:
        return sum(n for (check, sev), n in self.findings.items() if sev == "error")

    @property
    def exit_status(self) -> int:
        """The contract's: 2 some files failed, 1 findings of severity error, 0 all good."""
        if self.failures:
            return 2
        if self.error_findings:
            return 1
        return 0


# --- progress: pipeline/terminal.py (a rich.progress bar on a terminal, one line elsewhere)

Progress = IngestProgress


# --- files ------------------------------------------------------------------------------

def find_files(paths: Iterable, exclude: Iterable = ()) -> list[str]:
    """Absolute paths of every candidate file under `paths`, each once, in discovery order."""
    skip = {os.path.abspath(p) for p in exclude}
    seen: set = set()
    out = []
    for p in iter_inputs(paths):
        ap = os.path.abspath(p)
        if ap in skip or ap in seen:
            continue
        seen.add(ap)
        out.append(ap)
    return out


def display_path(path: str) -> str:
    """The path as text that can be stored and printed: a file name that is not valid UTF-8
    (say, CP949 bytes from an old zip) keeps its odd bytes as `\\xNN` escapes."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def hash_file(path: str, limits: Limits = DEFAULT_LIMITS) -> SourceFile:
    """sha256, size and modification time of one file; OSError/ValueError when unreadable."""
    st = os.stat(path)
    if not os.path.isfile(path):
        raise ValueError("not a regular file")
    if st.st_size > limits.max_file_bytes:
        raise ValueError(f"file of {st.st_size:,} bytes exceeds the limit of {limits.max_file_bytes:,}")
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while True:
            block = fh.read(1 << 20)
            if not block:
                break
            h.update(block)
    mtime = datetime.fromtimestamp(st.st_mtime, timezone.utc).isoformat(timespec="seconds")
    return SourceFile(path=display_path(path), sha256=h.hexdigest(), size_bytes=st.st_size, modified_at=mtime)


def _os_reason(e: BaseException) -> str:
    if isinstance(e, FileNotFoundError):
        return "no such file"
    if isinstance(e, PermissionError):
        return "permission denied"
    if isinstance(e, IsADirectoryError):
        return "is a directory"
    if isinstance(e, OSError):
        return f"cannot read: {e.strerror or e}"
    return str(e)


@dataclass
class _Task:
    sha256: str
    sources: list  # [SourceFile], sorted by path; the first is parsed
    real_path: str  # the first source's path as the file system spells it
    attempts: int = 0
    alone: bool = False  # send in a chunk of its own (after a worker crash)

    @property
    def path(self) -> str:
        return self.sources[0].path

    @property
    def size(self) -> int:
        return self.sources[0].size_bytes or 0


# --- workers ----------------------------------------------------------------------------

def _die_with_parent() -> None:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:
        pass


def _worker_main(conn, limits: Limits, max_memory_bytes: int) -> None:
    """A worker: receives chunks of paths, sends ('start', i) before each file, ('validate',)
    before the schema validation, then ('done', results)."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    if max_memory_bytes:
        import resource

        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = max_memory_bytes if hard == resource.RLIM_INFINITY else min(max_memory_bytes, hard)
        try:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
        except (ValueError, OSError):
            pass
    from .extract import attempt, validate_reports

    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        kind, items = msg
        if kind == "hash":
            hashed = []
            for path in items:
                try:
                    hashed.append(("ok", hash_file(path, limits)))
                except (OSError, ValueError) as e:
                    hashed.append(("fail", _os_reason(e)))
            try:
                conn.send(("hashed", hashed))
            except (OSError, EOFError):
                return
            continue
        outcomes = []
        for i, (path, shown) in enumerate(items):
            conn.send(("start", i))
            o = attempt(path, limits)
            for report in o.reports:
                report.path = shown
            outcomes.append(o)
        conn.send(("validate",))
        reports = [r for o in outcomes for r in o.reports]
        try:
            validate_reports(reports)
        except MemoryError:
            for r in reports:
                r.schema_errors = ["schema validation ran out of memory"]
        except Exception as e:  # a validation bug must not lose the reports
            for r in reports:
                r.schema_errors = [f"schema validation failed ({type(e).__name__}: {e})"]
        results = []
        for o in outcomes:
            if not o.ok:
                results.append(("fail", o.error))
                continue
            try:  # a file's reports (several for a committee's package), archived together
                results.append(("ok", [prepare_report(r.to_json()) for r in o.reports]))
            except MemoryError:
                results.append(("fail", "ran out of memory while building the report"))
            except Exception as e:
                results.append(("fail", f"internal error while building the report ({type(e).__name__}: {e}); please report it"))
        try:
            conn.send(("done", results))
        except (OSError, EOFError):
            return


class _Worker:
    def __init__(self, ctx, limits: Limits, max_memory_bytes: int):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, limits, max_memory_bytes), daemon=True)
        self.proc.start()
        child.close()
        self.chunk: list[_Task] = []
        self.stage: object = None  # index into chunk, "validate", or None
        self.deadline = math.inf

    @property
    def busy(self) -> bool:
        return bool(self.chunk)

    def assign(self, chunk: list[_Task], timeout: float) -> None:
        self.chunk = chunk
        self.stage = 0
        self.deadline = time.monotonic() + timeout
        self.conn.send(("parse", [(t.real_path, t.path) for t in chunk]))

    def assign_hashing(self, paths: list[str], timeout: float) -> None:
        self.chunk = paths
        self.stage = "hash"
        self.deadline = time.monotonic() + timeout
        self.conn.send(("hash", paths))

    def kill(self) -> None:
        try:
            self.proc.kill()
        except Exception:
            pass
        self.proc.join(5)
        try:
            self.conn.close()
        except OSError:
            pass

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.proc.join(2)
        if self.proc.is_alive():
            self.kill()
        else:
            self.conn.close()


def _mp_context():
    import multiprocessing as mp

    try:
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["pipeline.extract", "pipeline.ingest"])
    except ValueError:  # no forkserver on this platform
        ctx = mp.get_context("spawn")
    return ctx


class _Pool:
    """Worker processes parsing chunks of files; each file under a time limit."""

    def __init__(self, jobs: int, options: IngestOptions, on_result, on_progress):
        self.ctx = _mp_context()
        self.options = options
        self.jobs = jobs
        self.mem = options.max_memory_mb * 1024 * 1024 if options.max_memory_mb else 0
        self.on_result = on_result  # (task, "ok"|"fail", payload, stage)
        self.on_progress = on_progress
        self.workers: list[_Worker] = []
        self.replaced = 0

    def _spawn(self) -> _Worker:
        return _Worker(self.ctx, self.options.limits, self.mem)

    def __enter__(self) -> "_Pool":
        return self

    def __exit__(self, *exc) -> None:
        for w in self.workers:
            if w.busy:
                w.kill()
            else:
                w.stop()
        self.workers = []

    def _ensure(self, n: int) -> None:
        """At least min(jobs, n) workers, kept from one phase to the next."""
        while len(self.workers) < min(self.jobs, n):
            self.workers.append(self._spawn())

    def hash_all(self, paths: list[str], on_hashed, on_progress) -> None:
        """The sha256, size and time of every file, read and hashed in the workers (so
        that this process only writes): on_hashed(path, "ok", SourceFile) or
        on_hashed(path, "fail", reason), in no particular order."""
        from multiprocessing.connection import wait

        size = max(1, min(HASH_CHUNK_FILES, math.ceil(len(paths) / (4 * self.jobs))))
        queue = deque(paths[i:i + size] for i in range(0, len(paths), size))
        self._ensure(len(queue))
        while queue or any(w.busy for w in self.workers):
            for w in self.workers:
                if not w.busy and queue:
                    w.assign_hashing(queue.popleft(), self.options.timeout * 4)
            busy = [w for w in self.workers if w.busy]
            ready = set(wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], 0.5))
            for w in busy:
                if w.conn in ready:
                    try:
                        kind, results = w.conn.recv()
                    except (EOFError, OSError):
                        kind, results = None, None
                    if kind == "hashed":
                        chunk, w.chunk, w.stage, w.deadline = w.chunk, [], None, math.inf
                        for path, (status, value) in zip(chunk, results):
                            on_hashed(path, status, value)
                        continue
                if w.proc.sentinel in ready or w.conn in ready or time.monotonic() > w.deadline:
                    # A worker that died or hung while reading files: they count as unreadable.
                    chunk = w.chunk
                    w.chunk, w.stage = [], None
                    w.kill()
                    self.workers[self.workers.index(w)] = self._spawn()
                    self.replaced += 1
                    for path in chunk:
                        on_hashed(path, "fail", "could not be read (the process reading it died or hung)")
            on_progress()

    def run(self, tasks: list[_Task]) -> None:
        from multiprocessing.connection import wait

        queue = deque(tasks)
        self._ensure(len(tasks))
        try:
            while queue or any(w.busy for w in self.workers):
                for w in self.workers:
                    if not w.busy and queue:
                        w.assign(self._take(queue), self.options.timeout)
                busy = [w for w in self.workers if w.busy]
                if not busy:
                    continue
                now = time.monotonic()
                wait_for = max(0.0, min(min(w.deadline for w in busy) - now, 0.5))
                ready = set(wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], wait_for))
                for w in busy:
                    if w.conn in ready or w.proc.sentinel in ready:
                        self._service(w, queue)
                now = time.monotonic()
                for w in list(self.workers):
                    if w.busy and now > w.deadline:
                        self._timed_out(w, queue)
                self.on_progress()
        finally:
            for w in list(self.workers):
                if w.busy:  # interrupted: a worker still parsing is not waited for
                    w.kill()
                    self.workers.remove(w)

    def _take(self, queue: deque) -> list[_Task]:
        first = queue.popleft()
        chunk = [first]
        if first.alone:
            return chunk
        # Keep every worker busy to the end: smaller chunks when few files remain.
        n = max(1, min(CHUNK_MAX_FILES, math.ceil(len(queue) / (2 * self.jobs))))
        size = first.size
        while queue and len(chunk) < n and not queue[0].alone and size + queue[0].size <= CHUNK_MAX_BYTES:
            t = queue.popleft()
            size += t.size
            chunk.append(t)
        return chunk

    def _service(self, w: _Worker, queue: deque) -> None:
        try:
            while w.conn.poll():
                msg = w.conn.recv()
                if msg[0] == "start":
                    w.stage = msg[1]
                    w.deadline = time.monotonic() + self.options.timeout
                elif msg[0] == "validate":
                    w.stage = "validate"
                    w.deadline = time.monotonic() + max(self.options.timeout, 60.0)
                elif msg[0] == "done":
                    chunk, w.chunk, w.stage, w.deadline = w.chunk, [], None, math.inf
                    done = list(zip(chunk, msg[1]))
                    break
            else:
                done = None
        except (EOFError, OSError):
            done = None
        except Exception as e:  # a result that cannot be unpickled: treat the worker as lost
            w.kill()
            self._lost(w, queue, f"its result could not be received ({type(e).__name__}: {e})", "crash")
            return
        if done is not None:
            # Outside the receiving: an archive that cannot be written (ArchiveFull) stops the
            # run; it is not this worker's fault.
            for task, (status, payload) in done:
                self.on_result(task, status, payload, "parse")
            return
        if not w.proc.is_alive() or w.conn.closed:
            w.proc.join(1)
            code = w.proc.exitcode
            if code is not None and code < 0:
                sig = -code
                name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
                why = (f"the worker parsing it was killed ({name}), probably for using too much memory"
                       if sig == signal.SIGKILL else f"the worker parsing it crashed ({name})")
            else:
                why = f"the worker parsing it exited unexpectedly (exit code {code})"
            self._lost(w, queue, why, "crash")

    def _timed_out(self, w: _Worker, queue: deque) -> None:
        if w.stage == "validate":
            why = f"schema validation took longer than {max(self.options.timeout, 60.0):g} s"
        else:
            why = f"took longer than {self.options.timeout:g} s to parse (per-file time limit)"
        w.kill()
        self._lost(w, queue, why, "timeout")

    def _lost(self, w: _Worker, queue: deque, why: str, stage: str) -> None:
        """The worker is gone: blame the file it was on, requeue the rest of its chunk alone,
        start a replacement."""
        chunk, at = w.chunk, w.stage
        w.chunk, w.stage = [], None
        w.kill()
        idx = self.workers.index(w)
        self.workers[idx] = self._spawn()
        self.replaced += 1
        if at == "validate" and len(chunk) > 1:
            culprits = []
        elif at == "validate":
            culprits = chunk
        else:
            culprits = [chunk[at if isinstance(at, int) and at < len(chunk) else 0]]
        for t in culprits:
            self.on_result(t, "fail", why, stage)
        retry = [t for t in chunk if t not in culprits]
        for t in reversed(retry):
            t.attempts += 1
            t.alone = True
            if t.attempts > MAX_ATTEMPTS:
                self.on_result(t, "fail", f"{why} (after {t.attempts} attempts)", stage)
            else:
                queue.appendleft(t)


# --- the run ----------------------------------------------------------------------------

def ingest(paths: Iterable, options: IngestOptions, progress: Optional[Progress] = None) -> IngestResult:
    """Ingest every file under `paths` into `options.archive`; `result.failures` lists the
    files that could not be archived, with why. Raises ArchiveError for an unusable
    archive; never for a bad input file."""
    t_start = time.perf_counter()
    paths = [os.fspath(p) for p in paths]
    progress = progress or Progress()
    result = IngestResult()
    archive_path = os.path.abspath(options.archive)
    exclude = [archive_path + s for s in ("", "-wal", "-shm", "-journal")]

    with Archive(archive_path) as archive:
        run_id = archive.start_run([os.path.abspath(p) for p in paths])
        status = "interrupted"
        try:
            _run(archive, paths, exclude, options, progress, result)
            status = "done"
        except ArchiveFull as e:
            # Everything committed so far is whole; nothing more can be written. Stop here.
            status = "disk full"
            raise ArchiveFull(f"{e}; {result.ingested} files were archived in this run and the archive is "
                              "consistent: free some space and run the same command again to archive the rest") from None
        finally:
            progress.finish()
            try:
                archive.finish_run(run_id, status, files_found=result.found, ingested=result.ingested,
                                   skipped=result.skipped, failed=result.failed)
            except (sqlite3.Error, ArchiveError):
                pass
        t = time.perf_counter()
        if options.out is not None:
            if options.out_format in ("csv", "both"):
                export_csv(archive, options.out)
            if options.out_format in ("json", "both"):
                export_json(archive, options.out)
        result.export_seconds = time.perf_counter() - t
    result.seconds = time.perf_counter() - t_start
    return result


def _run(archive: Archive, paths, exclude, options: IngestOptions, progress: Progress, result: IngestResult):
    files = find_files(paths, exclude)
    result.found = len(files)
    timed = _Timer()

    def fail(path, reason, stage, source: Optional[SourceFile] = None, earlier=False):
        sha = source.sha256 if source else None
        result.failures.append(Failure(path, reason, sha, earlier))
        if not earlier:
            with timed:
                archive.add_failure(path, reason, stage, sha256=sha, size_bytes=source.size_bytes if source else None,
                                    source=source)

    pool = _Pool(max(1, options.jobs), options, None, None)
    with pool:
        _phases(pool, archive, files, options, progress, result, fail, timed)
    result.workers_replaced = pool.replaced
    result.write_seconds = timed.total
    result.write_cpu_seconds = timed.cpu


def _phases(pool: "_Pool", archive: Archive, files: list[str], options: IngestOptions, progress: Progress,
            result: IngestResult, fail, timed) -> None:
    # 1. hash every file (the key), grouping copies of the same bytes; in the workers, so
    #    that the two cores read and hash while this process only collects
    t = time.perf_counter()
    progress.start("hashing")
    groups: dict[str, list[SourceFile]] = {}
    real: dict[str, str] = {}  # shown path → path as the file system spells it
    hashed = 0

    def on_hashed(path: str, status: str, value) -> None:
        nonlocal hashed
        hashed += 1
        if status == "ok":
            groups.setdefault(value.sha256, []).append(value)
            real[value.path] = path
        else:
            fail(display_path(path), value, "read")

    if files:
        pool.hash_all(files, on_hashed, lambda: progress.update("hashing", hashed, len(files), result.failed))
    progress.update("hashing", hashed, len(files), result.failed, force=True)
    result.hash_seconds = time.perf_counter() - t

    # 2. what is new
    archived = archive.archived_hashes()
    failed_before = archive.failed_hashes()
    tasks: list[_Task] = []
    known: list[SourceFile] = []
    for sha, srcs in groups.items():
        srcs.sort(key=lambda s: s.path)
        if sha in archived and not options.force:
            known.extend(srcs)
            result.skipped += len(srcs)
        elif sha in failed_before and not (options.force or options.retry_failed):
            reason, stage = failed_before[sha]
            for s in srcs:
                fail(s.path, reason, stage, s, earlier=True)
            with timed:
                archive.note_known_failure(srcs, reason, stage)
        else:
            tasks.append(_Task(sha, srcs, real[srcs[0].path]))
    for i in range(0, len(known), 1000):
        with timed:
            archive.touch_sources(known[i:i + 1000])
    tasks.sort(key=lambda t: t.path)

    # 3. parse in workers; archive each result as it arrives (one transaction per file)
    done = 0
    total = len(tasks)
    progress.start("parsing")

    def on_result(task: _Task, status: str, payload, stage: str) -> None:
        nonlocal done
        done += 1
        if status == "ok" and any(r.report_id[:64] != task.sha256 for r in payload):
            status, payload, stage = "fail", "the file changed while it was being ingested; run again", "changed"
        if status == "ok":
            try:
                with timed:
                    added = archive.add_reports(payload, task.sources, size_bytes=task.size, replace=options.force)
            except sqlite3.Error as e:
                status, payload, stage = "fail", f"could not be archived ({e})", "archive"
            else:
                result.ingested += len(task.sources)
                result.reports_new += added
                return
        for s in task.sources:
            fail(s.path, payload, stage, s)

    def on_progress() -> None:
        progress.update("parsing", done, total, result.failed)

    if tasks:
        pool.on_result, pool.on_progress = on_result, on_progress
        pool.run(tasks)
        progress.update("parsing", done, total, result.failed, force=True)

    # 4. what the inputs' reports say
    _summarise(archive, groups, result)


def _summarise(archive: Archive, groups: dict, result: IngestResult) -> None:
    c = archive.conn
    c.execute("CREATE TEMP TABLE IF NOT EXISTS run_inputs (sha256 TEXT PRIMARY KEY)")
    c.execute("DELETE FROM temp.run_inputs")
    c.executemany("INSERT OR IGNORE INTO temp.run_inputs VALUES (?)", [(h,) for h in groups])
    for check, severity, n in c.execute(
            'SELECT f."check", f."severity", count(*) FROM findings f JOIN temp.run_inputs i ON f."report_id" BETWEEN i.sha256 AND i.sha256 || \'$\' '
            'GROUP BY f."check", f."severity"'):
        result.findings[(check, severity)] = n
    result.reports_total = c.execute(
        'SELECT count(*) FROM reports r JOIN temp.run_inputs i ON r."report_id" BETWEEN i.sha256 AND i.sha256 || \'$\'').fetchone()[0]
    result.schema_problem_reports = c.execute(
        'SELECT count(*) FROM reports r JOIN temp.run_inputs i ON r."report_id" BETWEEN i.sha256 AND i.sha256 || \'$\' '
        'WHERE r."schema_error_count" > 0').fetchone()[0]
    c.execute("DROP TABLE temp.run_inputs")


class _Timer:
    """Adds up the wall-clock and CPU time spent inside `with` blocks."""

    def __init__(self):
        self.total = 0.0
        self.cpu = 0.0

    def __enter__(self):
        self._t, self._c = time.perf_counter(), time.process_time()

    def __exit__(self, *exc):
        self.total += time.perf_counter() - self._t
        self.cpu += time.process_time() - self._c
        return False


def summary_lines(result: IngestResult, archive_path, out: Optional[Path] = None) -> list[str]:
    """The end-of-run summary a person reads."""
    new_fail = sum(1 for f in result.failures if not f.earlier)
    old_fail = result.failed - new_fail
    lines = [
        f"files found        {result.found}",
        f"  ingested         {result.ingested}  ({result.reports_new} new reports)",
        f"  already archived {result.skipped}",
        f"  failed           {result.failed}" + (f"  ({old_fail} recorded by an earlier run, not retried)" if old_fail else ""),
        f"reports among the inputs: {result.reports_total}"
        + (f"; {result.schema_problem_reports} with schema problems (see their JSON)" if result.schema_problem_reports else ""),
    ]
    if result.findings:
        lines.append("findings by check:")
        for (check, severity), n in sorted(result.findings.items(), key=lambda kv: (kv[0][1] != "error", kv[0][0])):
            lines.append(f"  {check:<18} {severity:<8} {n}")
    else:
        lines.append("findings: none")
    if result.failures:
        lines.append("failed files are listed on standard error and in the archive's failures table")
    rate = result.ingested / result.seconds if result.seconds else 0.0
    lines.append(f"archive: {archive_path}" + (f"; tables and JSON in {out}" if out is not None else "")
                 + f"  ({result.seconds:.1f} s, {rate:.1f} files/s)")
    return lines
