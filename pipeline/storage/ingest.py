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
- With `scheduler` (a Dask scheduler's address, or "local"), parsing runs on a Dask cluster
  instead (dask_pool.py), through the same phases; this process then reads, hashes and sends
  the files' bytes.
"""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Iterable, Optional

from ..terminal import IngestProgress
from .archive import Archive, ArchiveError, ArchiveFull, SourceFile
from .database import is_url
from .export import export_csv, export_json
from .files import display_path, find_files
from .options import Failure, IngestOptions, IngestResult
from .pool import _Pool, _Task
from .stopping import StopRequest



# --- progress: pipeline/terminal.py (a rich.progress bar on a terminal, one line elsewhere)

Progress = IngestProgress


# --- files ------------------------------------------------------------------------------

# --- the run ----------------------------------------------------------------------------

def ingest(paths: Iterable, options: IngestOptions, progress: Optional[Progress] = None,
           stop: Optional[StopRequest] = None) -> IngestResult:
    """Ingest every file under `paths` into `options.archive`; `result.failures` lists the
    files that could not be archived, with why. Raises ArchiveError for an unusable
    archive; never for a bad input file. SIGINT or SIGTERM (or `stop`, when given, being
    set) stops the run: what is finished stays archived, the run is recorded as
    `interrupted` and `result.stopped_by` says by which signal."""
    if stop is None:
        stop = StopRequest()
        with stop.installed():
            return ingest(paths, options, progress, stop)
    t_start = time.perf_counter()
    progress = progress or Progress()
    result = IngestResult()
    # A path named that is not there is the command's mistake, not a file of the archive:
    # it is reported (and counted as failed) but never recorded, and alone it creates nothing.
    named = [os.fspath(p) for p in paths]
    paths = [p for p in named if os.path.lexists(p)]
    result.failures += [Failure(display_path(p), "no such file or folder") for p in named if not os.path.lexists(p)]
    result.found = len(result.failures)
    if is_url(options.archive):
        archive_location, exclude = options.archive, []
    else:
        archive_location = os.path.abspath(options.archive)
        exclude = [archive_location + s for s in ("", "-wal", "-shm", "-journal")]
    if not paths and named:
        result.seconds = time.perf_counter() - t_start
        result.archive_untouched = True
        return result

    with Archive(archive_location) as archive:
        run_id = archive.start_run([os.path.abspath(p) for p in paths])
        status = "interrupted"
        try:
            _run(archive, paths, exclude, options, progress, result, stop)
            if stop.requested:
                result.stopped_by = stop.signum
            else:
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
            except (*archive.errors, ArchiveError):
                pass
        t = time.perf_counter()
        if options.out is not None and not result.stopped_by:
            if options.out_format in ("csv", "both"):
                export_csv(archive, options.out)
            if options.out_format in ("json", "both"):
                export_json(archive, options.out)
        result.export_seconds = time.perf_counter() - t
    result.seconds = time.perf_counter() - t_start
    return result


def _run(archive: Archive, paths, exclude, options: IngestOptions, progress: Progress, result: IngestResult,
         stop: StopRequest):
    files = find_files(paths, exclude)
    result.found += len(files)
    timed = _Timer()

    def fail(path, reason, stage, source: Optional[SourceFile] = None, earlier=False):
        sha = source.sha256 if source else None
        result.failures.append(Failure(path, reason, sha, earlier))
        if not earlier:
            with timed:
                archive.add_failure(path, reason, stage, sha256=sha, size_bytes=source.size_bytes if source else None,
                                    source=source)

    pool = executor(options)
    pool.stop = stop  # the local pool stops taking work when asked; any pool stops between phases
    with pool:
        _phases(pool, archive, files, options, progress, result, fail, timed)
    result.workers_replaced = pool.replaced
    result.write_seconds = timed.total
    result.write_cpu_seconds = timed.cpu


def executor(options: IngestOptions):
    """Where files are parsed: this machine's worker pool, or a Dask cluster (--scheduler)."""
    if options.scheduler:
        from .dask_pool import DaskPool

        return DaskPool(options)
    return _Pool(max(1, options.jobs), options, None, None)


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
    if pool.stop.requested:
        return

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
    progress.update("parsing", done, total, result.failed, force=True)

    def on_result(task: _Task, status: str, payload, stage: str) -> None:
        nonlocal done
        done += 1
        if status == "ok" and any(r.report_id[:64] != task.sha256 for r in payload):
            status, payload, stage = "fail", "the file changed while it was being ingested; run again", "changed"
        if status == "ok":
            try:
                with timed:
                    added = archive.add_reports(payload, task.sources, size_bytes=task.size, replace=options.force)
            except archive.errors as e:
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
    if pool.stop.requested:
        return

    # 4. what the inputs' reports say
    _summarise(archive, groups, result)


def _summarise(archive: Archive, groups: dict, result: IngestResult) -> None:
    findings, result.reports_total, result.schema_problem_reports, result.unchecked_reports = archive.summarise(groups)
    result.findings.update(findings)


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


def resume_command(paths: Iterable, options: IngestOptions) -> str:
    """The command that takes an interrupted run up where it stopped (content already
    archived is passed over)."""
    import shlex

    from .database import shown_url

    archive = shown_url(options.archive) if is_url(options.archive) else os.fspath(options.archive)  # no password shown
    words = ["jeonyong", "ingest", *(os.fspath(p) for p in paths), "--archive", archive]
    if options.out is not None:
        words += ["--out", os.fspath(options.out)]
    if options.retry_failed:
        words.append("--retry-failed")
    if options.scheduler:
        words += ["--scheduler", options.scheduler]
    return " ".join(shlex.quote(w) for w in words)


def summary_lines(result: IngestResult, archive_path, out: Optional[Path] = None, resume: str = "") -> list[str]:
    """The end-of-run summary a person reads."""
    new_fail = sum(1 for f in result.failures if not f.earlier)
    old_fail = result.failed - new_fail
    if result.stopped_by:
        import signal

        return [
            f"interrupted ({signal.Signals(result.stopped_by).name}): {result.ingested} file(s) archived in this run, "
            f"{result.skipped} already archived, {result.failed} failed, {result.remaining} not yet done",
            f"archive: {archive_path} (consistent; the run is recorded as interrupted)",
            f"to resume: {resume or 'run the same command again'}",
        ]
    lines = [
        f"files found        {result.found}",
        f"  ingested         {result.ingested}  ({result.reports_new} new reports)",
        f"  already archived {result.skipped}",
        f"  failed           {result.failed}" + (f"  ({old_fail} recorded by an earlier run, not retried)" if old_fail else ""),
        f"reports among the inputs: {result.reports_total}"
        + (f"; {result.unchecked_reports} not fully checked (a table or figure could not be read; "
           "see status and unchecked in reports)" if result.unchecked_reports else "")
        + (f"; {result.schema_problem_reports} with schema problems (see their JSON)" if result.schema_problem_reports else ""),
    ]
    if result.findings:
        lines.append("findings by check:")
        for (check, severity), n in sorted(result.findings.items(), key=lambda kv: (kv[0][1] != "error", kv[0][0])):
            lines.append(f"  {check:<18} {severity:<8} {n}")
    else:
        lines.append("findings: none")
    if result.archive_untouched:
        lines.append(f"archive: {archive_path} not written (none of the paths named exists)")
        return lines
    if result.failures:
        lines.append(f"failed files are listed on standard error; `jeonyong failures --archive {archive_path}` lists "
                     "those the archive records, grouped by reason")
    rate = result.ingested / result.seconds if result.seconds else 0.0
    lines.append(f"archive: {archive_path}" + (f"; tables and JSON in {out}" if out is not None else "")
                 + f"  ({result.seconds:.1f} s, {rate:.1f} files/s)")
    return lines
