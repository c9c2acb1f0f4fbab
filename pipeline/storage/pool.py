"""The ingest's worker pool: worker processes that hash and parse files under a per-file time
limit and an address-space limit; a worker that runs over its time, or dies, is killed and
replaced, and the file it held is retried or recorded as failed."""
from __future__ import annotations

import math
import signal
import time
from collections import deque
from dataclasses import dataclass

from ..limits import Limits
from .prepared import prepare_report
from .files import _os_reason, hash_file
from .options import CHUNK_MAX_BYTES, CHUNK_MAX_FILES, HASH_CHUNK_FILES, MAX_ATTEMPTS, IngestOptions
from .stopping import GRACE_SECONDS, StopRequest, ignore_stop_signals


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
    ignore_stop_signals()
    if max_memory_bytes:
        import resource

        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = max_memory_bytes if hard == resource.RLIM_INFINITY else min(max_memory_bytes, hard)
        try:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
        except (ValueError, OSError):
            pass
    from ..extract import attempt, validate_reports

    try:
        _serve(conn, limits, attempt, validate_reports)
    except (EOFError, OSError):  # the parent is gone (or stopped listening): nothing to say
        return


def _serve(conn, limits: Limits, attempt, validate_reports) -> None:
    while True:
        msg = conn.recv()
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
            conn.send(("hashed", hashed))
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
        conn.send(("done", results))


def culprits_of(n: int, at) -> list[int]:
    """Which files of a chunk of `n` a lost or overrun worker is blamed on, by where it was
    (`at`: the index of the file it had started, or "validate"): the file it was on; none
    when it was validating several (they are retried alone); the one when alone."""
    if at == "validate":
        return [] if n > 1 else [0]
    return [at if isinstance(at, int) and at < n else 0]


def retry_alone(task: _Task, queue: deque, why: str, stage: str, on_result) -> None:
    """A file caught up in another file's lost worker: next in line, in a chunk of its own;
    recorded as failed after MAX_ATTEMPTS such tries."""
    task.attempts += 1
    task.alone = True
    if task.attempts > MAX_ATTEMPTS:
        on_result(task, "fail", f"{why} (after {task.attempts} attempts)", stage)
    else:
        queue.appendleft(task)


def serve_on_fd(fd: int) -> None:
    """A worker started as a plain child process (beside a Dask worker, which may not start
    multiprocessing children) on a socket: its first message is (limits, max_memory_bytes)."""
    from multiprocessing.connection import Connection

    conn = Connection(fd)
    limits, max_memory_bytes = conn.recv()
    _worker_main(conn, limits, max_memory_bytes)


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
        ctx.set_forkserver_preload(["pipeline.extract", "pipeline.storage.pool"])
    except ValueError:  # no forkserver on this platform
        ctx = mp.get_context("spawn")
    return ctx


class _Pool:
    """Worker processes parsing chunks of files; each file under a time limit."""

    def __init__(self, jobs: int, options: IngestOptions, on_result, on_progress, stop: StopRequest | None = None):
        self.ctx = _mp_context()
        self.stop = stop or StopRequest()
        self._grace_end = math.inf  # once a stop is asked: when the files in hand are given up
        self.options = options
        self.jobs = jobs
        self.mem = options.max_memory_mb * 1024 * 1024 if options.max_memory_mb else 0
        self.on_result = on_result  # (task, "ok"|"fail", payload, stage)
        self.on_progress = on_progress
        self.workers: list[_Worker] = []
        self.replaced = 0

    def _stopping(self, queue: deque) -> bool:
        """Once a stop is asked: no more work is handed out, and the work in hand may finish
        within the grace period (then its workers are stopped; its files stay to do)."""
        if not self.stop.requested:
            return False
        if self._grace_end == math.inf:
            self._grace_end = time.monotonic() + GRACE_SECONDS
            for w in self.workers:
                w.deadline = min(w.deadline, self._grace_end)
        queue.clear()
        return True

    def _deadline(self, seconds: float) -> float:
        return min(time.monotonic() + seconds, self._grace_end)

    def _give_up(self, w: _Worker) -> None:
        """Stopping: a worker whose files did not finish in time is stopped; they stay to do."""
        w.chunk, w.stage = [], None
        w.kill()
        self.workers.remove(w)

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
            self._stopping(queue)
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
                    if self._stopping(queue):
                        self._give_up(w)
                        continue
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
                self._stopping(queue)
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
                    w.deadline = self._deadline(self.options.timeout)
                elif msg[0] == "validate":
                    w.stage = "validate"
                    w.deadline = self._deadline(max(self.options.timeout, 60.0))
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
        if self._stopping(queue):
            self._give_up(w)
            return
        if w.stage == "validate":
            why = f"schema validation took longer than {max(self.options.timeout, 60.0):g} s"
        else:
            why = f"took longer than {self.options.timeout:g} s to parse (per-file time limit)"
        w.kill()
        self._lost(w, queue, why, "timeout")

    def _lost(self, w: _Worker, queue: deque, why: str, stage: str) -> None:
        """The worker is gone: blame the file it was on, requeue the rest of its chunk alone,
        start a replacement. Stopping, nothing is blamed: a worker lost then (a signal sent to
        the whole process group) leaves its files to do."""
        if self._stopping(queue):
            self._give_up(w)
            return
        chunk, at = w.chunk, w.stage
        w.chunk, w.stage = [], None
        w.kill()
        idx = self.workers.index(w)
        self.workers[idx] = self._spawn()
        self.replaced += 1
        culprits = [chunk[i] for i in culprits_of(len(chunk), at)]
        for t in culprits:
            self.on_result(t, "fail", why, stage)
        retry = [t for t in chunk if t not in culprits]
        for t in reversed(retry):
            retry_alone(t, queue, why, stage, self.on_result)

