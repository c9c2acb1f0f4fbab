"""The ingest's second executor: parsing on a Dask distributed cluster (`jeonyong ingest
--scheduler tcp://host:8786`, or `--scheduler local` for a LocalCluster on this machine),
beside the local worker pool (pool.py) and driven by the same phases (ingest.py).

The client sends the bytes: this process reads and hashes every file (it must, to know what
is archived already), and sends each file to be parsed to the cluster with its bytes, so the
workers need no access to the inputs, only jeonyong installed. At most a few chunks per
worker thread are in flight, so the client holds little more than that in memory.

What the local pool promises holds on the cluster. On each Dask worker, a chunk is parsed in
a child process of its own (the local pool's worker, started as a plain process: a Dask
worker may not start multiprocessing children), under the same per-file time limit and
address-space limit: a file that hangs or blows its memory is recorded as failed (stage
timeout or crash), the child is replaced, and the rest of its chunk is tried again alone. A
Dask worker lost mid-task (killed, its machine gone) is not a lost file: the scheduler runs
the task again elsewhere, and a file whose task killed workers again and again is recorded as
failed. An interrupted backfill resumes like any other: content already archived is skipped.
"""
from __future__ import annotations

import hashlib
import logging
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections import deque
from concurrent.futures import ThreadPoolExecutor

from .files import _os_reason, hash_file
from .options import MAX_ATTEMPTS, IngestOptions, SchedulerUnavailable
from .pool import _Task, culprits_of

DASK_CHUNK_FILES = 8  # files per task: schema validation is cheaper in batches; a lost task costs few
DASK_CHUNK_BYTES = 8 * 1024 * 1024
IN_FLIGHT_PER_THREAD = 2  # chunks sent per worker thread: enough to keep it busy, little held here
HELPER_START_SECONDS = 120.0  # a new parsing process imports the readers before its first file
CONNECT_SECONDS = 15


# --- on a Dask worker ---------------------------------------------------------------------

class _Helper:
    """The parsing process beside one Dask worker thread: pool._worker_main over a socket."""

    def __init__(self, limits, max_memory_bytes: int):
        ours, theirs = socket.socketpair()
        code = "import sys; from pipeline.storage.pool import serve_on_fd; serve_on_fd(int(sys.argv[1]))"
        self.proc = subprocess.Popen([sys.executable, "-c", code, str(theirs.fileno())], pass_fds=[theirs.fileno()],
                                     stdin=subprocess.DEVNULL)
        theirs.close()
        from multiprocessing.connection import Connection

        self.conn = Connection(ours.detach())
        self.conn.send((limits, max_memory_bytes))
        self.fresh = True
        self.key = (limits, max_memory_bytes)

    def kill(self) -> None:
        try:
            self.proc.kill()
            self.proc.wait(5)
        except (OSError, subprocess.TimeoutExpired):
            pass
        self.conn.close()

    def why_gone(self) -> str:
        code = self.proc.poll()
        if code is not None and code < 0:
            name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else str(-code)
            if -code == signal.SIGKILL:
                return f"the worker parsing it was killed ({name}), probably for using too much memory"
            return f"the worker parsing it crashed ({name})"
        return f"the worker parsing it exited unexpectedly (exit code {code})"


_local = threading.local()


def _helper(limits, max_memory_bytes: int) -> _Helper:
    helper = getattr(_local, "helper", None)
    if helper is not None and (helper.proc.poll() is not None or helper.key != (limits, max_memory_bytes)):
        helper.kill()
        helper = None
    if helper is None:
        helper = _local.helper = _Helper(limits, max_memory_bytes)
    return helper


def parse_chunk(items: list, limits, timeout: float, max_memory_bytes: int) -> list:
    """Run on a Dask worker: parse the files of a chunk, given as (name, bytes, shown path).
    Returns one (status, payload, stage) per file: ("ok", PreparedReport, "parse"),
    ("fail", reason, stage) or ("retry", reason, stage) for a file to try again alone (its
    chunk's process was lost over another file)."""
    helper = _helper(limits, max_memory_bytes)
    with tempfile.TemporaryDirectory(prefix="jeonyong-dask-") as folder:
        paths = []
        for i, (name, data, shown) in enumerate(items):
            os.mkdir(os.path.join(folder, str(i)))
            path = os.path.join(folder, str(i), name)  # the file's own name: its format is read from it too
            with open(path, "wb") as fh:
                fh.write(data)
            paths.append((path, shown))
        helper.conn.send(("parse", paths))
        at: object = 0
        deadline = time.monotonic() + timeout + (HELPER_START_SECONDS if helper.fresh else 0.0)
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                why = (f"schema validation took longer than {max(timeout, 60.0):g} s" if at == "validate"
                       else f"took longer than {timeout:g} s to parse (per-file time limit)")
                return _lost(helper, len(items), at, why, "timeout")
            try:
                ready = helper.conn.poll(min(left, 1.0))
                msg = helper.conn.recv() if ready else None
            except (EOFError, OSError):
                helper.proc.wait(5)
                return _lost(helper, len(items), at, helper.why_gone(), "crash")
            if msg is None:
                if helper.proc.poll() is not None:
                    return _lost(helper, len(items), at, helper.why_gone(), "crash")
                continue
            if msg[0] == "start":
                helper.fresh = False
                at, deadline = msg[1], time.monotonic() + timeout
            elif msg[0] == "validate":
                at, deadline = "validate", time.monotonic() + max(timeout, 60.0)
            elif msg[0] == "done":
                return [(status, payload, "parse") for status, payload in msg[1]]


def _lost(helper: _Helper, n: int, at, why: str, stage: str) -> list:
    helper.kill()
    _local.helper = None
    blamed = set(culprits_of(n, at))
    return [("fail" if i in blamed else "retry", why, stage) for i in range(n)]


# --- the client -----------------------------------------------------------------------------

def _hash_one(path: str, limits):
    try:
        return "ok", hash_file(path, limits)
    except (OSError, ValueError) as e:
        return "fail", _os_reason(e)


class DaskPool:
    """The local pool's interface (hash_all, run, on_result, on_progress, replaced) over a
    Dask cluster."""

    def __init__(self, options: IngestOptions, on_result=None, on_progress=None):
        self.options = options
        self.mem = options.max_memory_mb * 1024 * 1024 if options.max_memory_mb else 0
        self.on_result = on_result  # (task, "ok"|"fail", payload, stage)
        self.on_progress = on_progress
        self.replaced = 0  # parsing processes or Dask workers lost
        self.client = self.cluster = None

    def __enter__(self) -> "DaskPool":
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise SchedulerUnavailable("--scheduler needs Dask: pip install 'jeonyong[dask]'") from None
        address = self.options.scheduler
        try:
            if address == "local":
                self.cluster = LocalCluster(n_workers=max(1, self.options.jobs), threads_per_worker=1, processes=True,
                                            dashboard_address=None, silence_logs=logging.ERROR)
                self.client = Client(self.cluster)
            else:
                self.client = Client(address, timeout=CONNECT_SECONDS)
        except (OSError, TimeoutError, ValueError) as e:
            self.__exit__()
            raise SchedulerUnavailable(f"{address}: cannot reach the Dask scheduler ({e})") from None
        return self

    def __exit__(self, *exc) -> None:
        for thing in (self.client, self.cluster):
            if thing is not None:
                try:
                    thing.close()
                except Exception:  # closing a cluster that is going away: nothing to keep
                    pass
        self.client = self.cluster = None

    def _threads(self) -> int:
        return max(1, sum(self.client.nthreads().values()))

    def hash_all(self, paths: list[str], on_hashed, on_progress) -> None:
        """Read and hash every file here, in threads (the client sends the bytes, so it reads
        them anyway)."""
        limits = self.options.limits
        with ThreadPoolExecutor(max_workers=4) as ex:
            last = time.monotonic()
            for path, (status, value) in zip(paths, ex.map(lambda p: _hash_one(p, limits), paths)):
                on_hashed(path, status, value)
                if time.monotonic() - last > 0.2:
                    on_progress()
                    last = time.monotonic()

    def _take(self, queue: deque) -> list[_Task]:
        first = queue.popleft()
        chunk, size = [first], first.size
        while (not first.alone and queue and len(chunk) < DASK_CHUNK_FILES and not queue[0].alone
               and size + queue[0].size <= DASK_CHUNK_BYTES):
            t = queue.popleft()
            size += t.size
            chunk.append(t)
        return chunk

    def _items(self, chunk: list[_Task]) -> tuple[list[_Task], list]:
        """The chunk's files as (name, bytes, shown path), read here; a file that cannot be
        read, or no longer holds the bytes it was hashed with, is recorded now."""
        sent, items = [], []
        for t in chunk:
            try:
                with open(t.real_path, "rb") as fh:
                    data = fh.read(self.options.limits.max_file_bytes + 1)
            except OSError as e:
                self.on_result(t, "fail", _os_reason(e), "read")
                continue
            if hashlib.sha256(data).hexdigest() != t.sha256:
                self.on_result(t, "fail", "the file changed while it was being ingested; run again", "changed")
                continue
            sent.append(t)
            items.append((os.path.basename(t.real_path), data, t.path))
        return sent, items

    def run(self, tasks: list[_Task]) -> None:
        # A file's bytes travel with its task (each is used once: scattering them first would
        # send them no fewer times); Dask's hint about large graphs does not apply.
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Sending large graph", category=UserWarning)
            self._run(tasks)

    def _run(self, tasks: list[_Task]) -> None:
        from dask.distributed import wait

        queue = deque(tasks)
        pending: dict = {}  # future → its tasks
        window = IN_FLIGHT_PER_THREAD * self._threads()
        limits, timeout = self.options.limits, self.options.timeout
        try:
            while queue or pending:
                while queue and len(pending) < window:
                    sent, items = self._items(self._take(queue))
                    if sent:
                        pending[self.client.submit(parse_chunk, items, limits, timeout, self.mem, pure=False)] = sent
                if not pending:
                    continue
                try:
                    wait(list(pending), timeout=0.5, return_when="FIRST_COMPLETED")
                except TimeoutError:
                    pass
                for future in [f for f in pending if f.done()]:
                    self._finished(future, pending.pop(future), queue)
                self.on_progress()
        finally:
            for future in pending:  # interrupted: what was not archived is parsed again next run
                future.cancel()

    def _finished(self, future, chunk: list[_Task], queue: deque) -> None:
        from dask.distributed import KilledWorker

        if future.status == "finished":
            results = future.result()
            future.release()
            for task, (status, payload, stage) in zip(chunk, results):
                if status == "retry":
                    self._again(task, queue, payload, stage)
                else:
                    if status == "fail" and stage in ("timeout", "crash"):
                        self.replaced += 1
                    self.on_result(task, status, payload, stage)
            return
        error = future.exception() if future.status == "error" else None
        future.release()
        if isinstance(error, KilledWorker) or error is None:
            # The Dask worker died under this task, each time the scheduler tried it.
            self.replaced += 1
            why = "the Dask workers parsing it died (killed, out of memory, or their machine lost)"
            if len(chunk) > 1:
                for task in reversed(chunk):
                    self._again(task, queue, why, "crash")
            else:
                self.on_result(chunk[0], "fail", why, "crash")
            return
        for task in chunk:
            self.on_result(task, "fail", f"the cluster could not parse it ({type(error).__name__}: {error})", "crash")

    def _again(self, task: _Task, queue: deque, why: str, stage: str) -> None:
        task.attempts += 1
        task.alone = True
        if task.attempts > MAX_ATTEMPTS:
            self.on_result(task, "fail", f"{why} (after {task.attempts} attempts)", stage)
        else:
            queue.appendleft(task)
