"""What jeonyong prints on a terminal, through rich: tables whose columns line up under
Hangul (rich measures East Asian wide characters as two cells), colour on a terminal, and
plain text, stable line for line, when the output is piped into another program; the
ingest progress bar (rich.progress) on a terminal, one summary line elsewhere.

Output is built as a list of blocks (a `Line`, or a `Grid` of columns) so that the same
content can be printed in colour or rendered as plain text."""
from __future__ import annotations

import io
import sys
import time
from dataclasses import dataclass, field
from typing import Optional, Sequence, TextIO, Union

# Plain text is rendered this wide so that rich never wraps a line: a pipe has no width,
# and a consumer of the text must get one line per row whatever the terminal.
PLAIN_WIDTH = 100_000


@dataclass
class Line:
    """One line of text, with a rich style used only in colour (e.g. "red", "bold")."""

    text: str
    style: str = ""


@dataclass
class Grid:
    """A table without borders: a header row and rows of text, columns separated by two
    spaces, indented; `right` lists the columns aligned to the right (figures);
    `row_styles` colours whole rows (same length as `rows`, "" for none)."""

    header: Sequence[str]
    rows: list[Sequence[str]]
    right: frozenset = frozenset()
    indent: int = 0
    row_styles: list[str] = field(default_factory=list)


Block = Union[Line, Grid]


def is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _renderable(block: Block):
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    if isinstance(block, Line):
        return Text(block.text, style=block.style, no_wrap=False, end="")
    table = Table(box=None, show_edge=False, pad_edge=False, padding=(0, 1), expand=False,
                  header_style="bold", show_header=True)
    for i, title in enumerate(block.header):
        table.add_column(title, justify="right" if i in block.right else "left", overflow="fold")
    styles = block.row_styles or [""] * len(block.rows)
    for row, style in zip(block.rows, styles):
        table.add_row(*row, style=style or None)
    return Padding(table, (0, 0, 0, block.indent), expand=False)


def render_plain(blocks: Sequence[Block]) -> str:
    """The blocks as plain text: no escape sequences, no wrapping, no trailing spaces."""
    from rich.console import Console

    buf = io.StringIO()
    console = Console(file=buf, width=PLAIN_WIDTH, color_system=None, force_terminal=False,
                      force_jupyter=False, highlight=False, markup=False, emoji=False,
                      soft_wrap=False, legacy_windows=False, _environ={})
    for block in blocks:
        console.print(_renderable(block), soft_wrap=isinstance(block, Line))
    return "\n".join(line.rstrip() for line in buf.getvalue().split("\n")).rstrip("\n")


def print_blocks(blocks: Sequence[Block], stream: Optional[TextIO] = None) -> None:
    """Print to `stream` (standard output): in colour on a terminal, as `render_plain`
    otherwise (so a pipe gets the same bytes whatever the environment says about colour)."""
    stream = stream if stream is not None else sys.stdout
    if not is_terminal(stream):
        text = render_plain(blocks)
        stream.write(text + "\n" if text else "")
        stream.flush()
        return
    from rich.console import Console

    console = Console(file=stream, highlight=False, markup=False, emoji=False, soft_wrap=True)
    for block in blocks:
        console.print(_renderable(block), soft_wrap=isinstance(block, Line))


# --- ingest progress -------------------------------------------------------------------

class IngestProgress:
    """Progress of `jeonyong ingest`, fed by pipeline.storage.ingest through three calls: start(phase),
    update(phase, done, total, failed) and finish(). On a terminal: a rich.progress bar
    (files done of all, files/s, ETA, failed files), cleared when the run ends. Elsewhere
    (a log file, a pipe): nothing while running and one summary line at the end."""

    def __init__(self, stream: Optional[TextIO] = None):
        self.stream = stream if stream is not None else sys.stderr
        self.tty = is_terminal(self.stream)
        self.t0 = time.monotonic()
        self.phases: dict[str, tuple[int, int, int, float]] = {}  # phase → (done, total, failed, seconds)
        self._phase_t0 = self.t0
        self._bar = None
        self._task = None

    def start(self, phase: str) -> None:
        self._phase_t0 = time.monotonic()
        self.phases[phase] = (0, 0, 0, 0.0)
        if self.tty:
            bar = self._ensure_bar()
            if self._task is not None:
                bar.remove_task(self._task)
            self._task = bar.add_task(phase, total=None, failed=0)

    def update(self, phase: str, done: int, total: int, failed: int, force: bool = False) -> None:
        self.phases[phase] = (done, total, failed, time.monotonic() - self._phase_t0)
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, completed=done, total=total, failed=failed, refresh=force)

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = self._task = None
            return
        if self.tty or not self.phases:
            return
        self.stream.write(self.summary() + "\n")
        self.stream.flush()

    def summary(self) -> str:
        """`jeonyong ingest: hashing 26/26 files, parsing 25/25 files in 3.1 s (8.1 files/s); 1 failed`"""
        parts = [f"{phase} {done}/{total} files" for phase, (done, total, _, _) in self.phases.items()]
        _, (done, _, failed, seconds) = list(self.phases.items())[-1]
        rate = done / seconds if seconds > 0 else 0.0
        return f"jeonyong ingest: {', '.join(parts)} in {seconds:.1f} s ({rate:.1f} files/s); {failed} failed"

    def _ensure_bar(self):
        if self._bar is None:
            self._bar = _progress_bar(self.stream)
            self._bar.start()
        return self._bar


def _progress_bar(stream: TextIO):
    """A rich Progress for ingest: phase, bar, done/total files, files/s, failed, ETA;
    erased when it stops (the summary follows)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeRemainingColumn
    from rich.text import Text

    class FilesPerSecond(ProgressColumn):
        """files/s over rich's recent samples (the rate now, not since the start)."""

        def render(self, task) -> Text:
            speed = task.finished_speed or task.speed
            return Text("  -.- files/s" if speed is None else f"{speed:5.1f} files/s")

    console = Console(file=stream, highlight=False, markup=True, emoji=False)
    return Progress(
        TextColumn("{task.description:<8}"),
        BarColumn(bar_width=28),
        MofNCompleteColumn(),
        TextColumn("files"),
        FilesPerSecond(),
        TextColumn("[red]{task.fields[failed]} failed"),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=console, transient=True, refresh_per_second=8,
        redirect_stdout=False, redirect_stderr=False,
    )
