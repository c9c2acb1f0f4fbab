"""Draw layout cases (scripts/layouts.py) reproducibly and render them in every format.

Formats: the three text table styles (`tab`, `pipe`, `box`, each in the case's drawn
encoding and line ending), `docx` (python-docx), `pdf` (LibreOffice from the DOCX: one
LibreOffice run converts a whole batch), `pdftotext` (`pdftotext -layout` of that PDF:
text as PDF converters print it), `hwpx`, and `hwp` (python-hwpx's HWP 5 writer, from the
HWPX). Nothing here imports `pipeline`.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Optional

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from hypothesis import HealthCheck, Phase, Verbosity, given, settings  # noqa: E402
from hypothesis import seed as hypothesis_seed  # noqa: E402

from layouts import LayoutCase, layout_cases, named  # noqa: E402
from make_samples import render_text  # noqa: E402

FORMATS = ("tab", "pipe", "box", "docx", "pdf", "pdftotext", "hwpx", "hwp")
SUFFIX = {
    "tab": ".tab.txt", "pipe": ".pipe.txt", "box": ".box.txt", "docx": ".docx", "pdf": ".pdf",
    "pdftotext": ".layout.txt", "hwpx": ".hwpx", "hwp": ".hwp",
}
# Formats that need outside tools, and which.
NEEDS = {"pdf": ("soffice",), "pdftotext": ("soffice", "pdftotext")}


def case_seed(seed: int, k: int) -> int:
    """The Hypothesis seed of case k of a run seeded `seed`."""
    return seed * 1_000_003 + k


@contextmanager
def independent_of_loaded_code():
    """Hypothesis (since 6.131) mixes into its draws literals it harvests from the source of
    every local module loaded (`providers._get_local_constants`: the parser, the tests, this
    script). Case K of seed N would then change with whatever else is imported or edited,
    the parser under test included, and the suite's fixed batch would silently become
    another. Within this block Hypothesis sees no local literals. (Internal API: a Hypothesis
    without it needs nothing; tests/test_layouts.py checks that the cases stay put.)"""
    from hypothesis.internal.conjecture import providers

    original = getattr(providers, "_get_local_constants", None)
    if original is None or not hasattr(providers, "CONSTANTS_CACHE"):
        yield
        return
    empty = providers.Constants()
    providers._get_local_constants = lambda: empty
    providers.CONSTANTS_CACHE.cache.clear()
    try:
        yield
    finally:
        providers._get_local_constants = original
        providers.CONSTANTS_CACHE.cache.clear()


def run_case(seed: int, k: int, test, faults: Optional[bool] = None, shrink: bool = False):
    """Run `test(case)` on case k of run `seed` under Hypothesis: the run's first example is
    the simplest report, its second case k (a random draw). With `shrink`, a failure is
    shrunk to a minimal failing report and raised, as in any Hypothesis test."""
    phases = [Phase.generate, Phase.shrink] if shrink else [Phase.generate]

    @hypothesis_seed(case_seed(seed, k))
    @settings(max_examples=2, database=None, phases=phases, deadline=None,
              suppress_health_check=list(HealthCheck), print_blob=False, verbosity=Verbosity.quiet)
    @given(layout_cases(faults))
    def run(case):
        test(case)

    with independent_of_loaded_code():
        run()


def draw_case(seed: int, k: int, faults: Optional[bool] = None) -> LayoutCase:
    """Case k of run `seed`: the same on every machine and run (for one Hypothesis version
    and one generator), whatever else is drawn beside it or loaded in the process (k = 0 is
    the simplest report the strategy makes)."""
    drawn: list[LayoutCase] = []
    run_case(seed, k, drawn.append, faults)
    return named(drawn[0] if k == 0 else drawn[-1], f"s{seed}_case{k:04d}")


def draw_cases(n: int, seed: int = 0, faults: Optional[bool] = None) -> list[LayoutCase]:
    """Cases 0..n-1 of run `seed`. Each case is drawn by its own seeded Hypothesis run
    rather than as n examples of one run: one run's later examples are mostly mutations of
    its earlier ones, near-duplicates that would waste a batch whose every case is rendered
    eight ways (and by LibreOffice)."""
    return [draw_case(seed, k, faults) for k in range(n)]


def path_of(case: LayoutCase, fmt: str, out_dir: Path) -> Path:
    return Path(out_dir) / f"{case.name}{SUFFIX[fmt]}"


def render_one(case: LayoutCase, fmt: str, out_dir: Path) -> Path:
    """Render one case in one format other than pdf/pdftotext (see `render`)."""
    target = path_of(case, fmt, out_dir)
    report = case.report
    if fmt in ("tab", "pipe", "box"):
        target.write_bytes(render_text(report, fmt).encode(report.encoding))
    elif fmt == "docx":
        from render_docx import write_docx

        write_docx(report, Path(out_dir))
    elif fmt == "hwpx":
        from render_hwpx import write_hwpx

        write_hwpx(report, Path(out_dir))
    elif fmt == "hwp":
        from render_hwp import write_hwp

        write_hwp(report, Path(out_dir))
    else:
        raise ValueError(fmt)
    return target


def render(cases: list[LayoutCase], out_dir: Path, formats: Iterable[str] = FORMATS, batch: int = 40) -> dict:
    """Render every case in every format into out_dir; {(case name, format): path}. PDFs are
    made from the cases' DOCX renderings, `batch` files per LibreOffice run."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    formats = list(formats)
    paths = {}
    for fmt in formats:
        if fmt in ("pdf", "pdftotext"):
            continue
        for case in cases:
            paths[case.name, fmt] = render_one(case, fmt, out_dir)
    if "pdf" in formats or "pdftotext" in formats:
        from render_pdf import docx_to_pdfs

        docx_dir = out_dir if "docx" in formats else out_dir / "docx_for_pdf"
        docx_dir.mkdir(exist_ok=True)
        docx_files = [paths.get((c.name, "docx")) or render_one(c, "docx", docx_dir) for c in cases]
        for k in range(0, len(cases), batch):
            pdfs = docx_to_pdfs(docx_files[k : k + batch], out_dir)
            for case, pdf in zip(cases[k : k + batch], pdfs):
                lost = lost_in_rendering(case, pdf)
                if lost:
                    for fmt in ("pdf", "pdftotext"):
                        marker = path_of(case, fmt, out_dir)
                        marker.with_name(marker.name + LOST_SUFFIX).write_text(lost, encoding="utf-8")
                if "pdf" in formats:
                    paths[case.name, "pdf"] = pdf
                if "pdftotext" in formats:
                    target = path_of(case, "pdftotext", out_dir)
                    subprocess.run(["pdftotext", "-layout", str(pdf), str(target)], check=True, capture_output=True)
                    paths[case.name, "pdftotext"] = target
        if docx_dir != out_dir:
            shutil.rmtree(docx_dir)
    return paths


LOST_SUFFIX = ".lost"


def lost_in_rendering(case: LayoutCase, pdf: Path) -> str:
    """What of the case's budget tables the PDF does not print ('' when nothing): LibreOffice
    now and then leaves a long table's last rows off the page (a page printing only its
    number where the rows should go on). Such a rendering is not the model, and no reader
    can give the model back from it; the harness reports it apart. Checked on the text in
    drawing order (`pdftotext -raw`), where a cell's wrapped lines follow one another: every
    budget line's code must be printed (its head, as many times as the model prints it)."""
    if not shutil.which("pdftotext"):
        return ""
    raw = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], check=True, capture_output=True).stdout.decode("utf-8", "replace")
    printed = re.sub(r"\s+", "", raw)
    codes = [ln["stat_code"] for t in case.expected["transfers"] if t["budget"] for ln in t["budget"]["lines"] if ln["stat_code"]]
    # Each code's head (`110-201-` of `110-201-03`: a row the page splits can print its last
    # digits on the next page, after the figures) as often as the model's codes contain it
    # (codes recur between transfers, and `110-201-01` contains `201-`).
    heads = Counter(code[: code.rindex("-") + 1] for code in codes if "-" in code)
    missing = [head for head in heads if printed.count(head) < sum(head in code for code in codes)]
    return f"the PDF prints budget codes starting {', '.join(missing[:5])} fewer times than the model{' …' if len(missing) > 5 else ''}" if missing else ""


def missing_tools(formats: Iterable[str]) -> list[str]:
    return sorted({tool for f in formats for tool in NEEDS.get(f, ()) if not shutil.which(tool)})
