"""Reports drawn at random, in random notation and layout (scripts/layouts.py), rendered in
every format and parsed: the records must equal the model's exactly (names with their
spaces, every figure, every label, and exactly the findings the injected faults imply).

The cases are drawn by Hypothesis from a fixed seed, so every run checks the same ones;
they are rendered once per session (PDFs in one LibreOffice run) and each format's test
checks all of them, listing every case that differs. `scripts/layout_run.py` runs the long
version (500 cases, per-format accuracy, failing examples saved) and shrinks a failing case
to a minimal report with Hypothesis (`--seed 0 --case K --formats F --shrink`).

JEONYONG_LAYOUT_EXAMPLES (default 30) and JEONYONG_LAYOUT_SEED (default 0) change the
batch; `-m "not pdftotext"` leaves out the `pdftotext -layout` rendering.
"""
from __future__ import annotations

import io
import os
import zipfile
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings

from conftest import FIXTURES, SAMPLES  # conftest also puts scripts/ on the path
from layout_render import FORMATS, draw_case, draw_cases, lost_in_rendering, missing_tools, render
from layout_run import check, report_diff
from layout_compare import compare, failures, render_lost, root_categories
from layouts import NAME_LEVELS, LayoutCase, contract_findings, layout_cases, syllables
from make_samples import render_text
from sample_reports import all_samples

EXAMPLES = int(os.environ.get("JEONYONG_LAYOUT_EXAMPLES", "30"))
SEED = int(os.environ.get("JEONYONG_LAYOUT_SEED", "0"))


class Batch:
    """The session's cases, rendered format by format when a test first asks (PDFs, and the
    pdftotext text made from them, in one LibreOffice run)."""

    def __init__(self, out):
        self.out = out
        self.cases = draw_cases(EXAMPLES, SEED)
        self.paths: dict = {}

    def files(self, fmt: str) -> dict:
        if not any(key[1] == fmt for key in self.paths):
            group = ["pdf", "pdftotext"] if fmt in ("pdf", "pdftotext") else [fmt]
            self.paths.update(render(self.cases, self.out, group))
        return {case.name: self.paths[case.name, fmt] for case in self.cases}


@pytest.fixture(scope="session")
def batch(tmp_path_factory):
    return Batch(tmp_path_factory.mktemp("layouts"))


@pytest.mark.parametrize("fmt", [pytest.param(f, marks=pytest.mark.pdftotext) if f == "pdftotext" else f for f in FORMATS])
def test_every_rendering_gives_the_model_records(batch, fmt):
    tools = missing_tools([fmt])
    if tools:
        pytest.skip(f"{fmt} needs {', '.join(tools)} (installed by .ci/run)")
    files = batch.files(fmt)
    failed, lost = [], 0
    for case in batch.cases:
        # A name the page cannot decide (the same glyphs print it spaced or not) may differ
        # from the model only where the report notes it (tests/test_pdf_layouts.py proves
        # such pages exist); every other difference fails.
        all_diffs = check(case, files[case.name], fmt)
        lost += render_lost(all_diffs)
        diffs = failures(all_diffs)
        if diffs:
            failed.append((case, diffs))
    # A rendering LibreOffice left rows off is no test of the parser; it must stay rare.
    assert lost <= len(batch.cases) // 10, f"{lost} of {len(batch.cases)} {fmt} renderings do not print their model"
    if failed:
        causes = Counter(c for _, diffs in failed for c in root_categories(diffs))
        shown = "\n".join(report_diff(case, fmt, diffs[:12]) for case, diffs in failed[:3])
        first = failed[0][0].name.rsplit("case", 1)[1]
        pytest.fail(
            f"{len(failed)} of {len(batch.cases)} {fmt} renderings differ from the model; causes: "
            + ", ".join(f"{c} ×{n}" for c, n in causes.most_common())
            + f"\n{shown}\nreproduce and shrink: python scripts/layout_run.py --seed {SEED} --case {int(first)} --formats {fmt} --shrink",
            pytrace=False,
        )


@pytest.mark.skipif(missing_tools(["pdftotext"]) != [], reason="needs pdftotext (installed by .ci/run)")
def test_a_rendering_that_left_rows_off_is_told_apart():
    """LibreOffice once printed a long table's first row and left the other ten off (the
    next page prints only its number): the harness reports that rendering apart instead of
    charging the parser with the model it does not print. PDFs that print their model pass."""
    import json

    def case(path):
        return LayoutCase.from_json(json.loads(path.read_text(encoding="utf-8")))

    broken = FIXTURES / "harness" / "rows_left_off"
    assert "110-207-" in lost_in_rendering(case(broken.with_suffix(".json")), broken.with_suffix(".pdf"))
    for model in sorted((FIXTURES / "pdf" / "layouts").glob("*.json")):
        assert lost_in_rendering(case(model), model.with_suffix(".pdf")) == "", model.name


def test_both_pdf_producers_read_the_layouts_alike(batch):
    """Issue 13: the PDF reader's records are the same whether pypdfium2 (the default) or
    pdfplumber (the reference) reads the page geometry, on every PDF of the batch, to the
    bbox within 0.5 pt (test_pdf_producers.py does the same for the samples and fixtures)."""
    tools = missing_tools(["pdf"])
    if tools:
        pytest.skip(f"pdf needs {', '.join(tools)} (installed by .ci/run)")
    from test_pdf_producers import differences, records

    unequal = {}
    for case in batch.cases:
        path = batch.files("pdf")[case.name]
        fast, reference = records(path, "pdfium"), records(path, "pdfplumber")
        if not isinstance(fast, tuple) and not isinstance(reference, tuple):
            fast["source"] = reference["source"]
        diffs = differences(fast, reference) if fast != reference else []
        if diffs:
            unequal[case.name] = diffs[:5]
    assert not unequal, unequal


# ---------------------------------------------------------------- the generator itself
@settings(max_examples=60, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(layout_cases())
def test_generated_cases_are_consistent(case):
    """What the harness relies on, checked without rendering: every fault implies exactly
    the findings it states (no side effect on another check), a clean case implies none,
    names have 2–12 syllables and single spaces, and every text rendering encodes losslessly
    in the case's encoding."""
    declared = sorted(tuple(f) for fault in case.faults for f in fault["implies"])
    found = sorted(contract_findings(case.expected))
    key = lambda f: tuple("" if v is None else str(v) for v in f)  # noqa: E731
    assert sorted(declared, key=key) == sorted(found, key=key)
    assert sorted(map(tuple, case.expected["findings"]), key=key) == sorted(found, key=key)
    for t in case.expected["transfers"]:
        for ln in t["budget"]["lines"]:
            for f in NAME_LEVELS:
                name = ln[f]
                assert name == name.strip() and "  " not in name
                assert 2 <= syllables(name) <= 12, name
    for style in ("tab", "pipe", "box"):
        text = render_text(case.report, style)
        assert text.encode(case.report.encoding).decode(case.report.encoding) == text


def test_cases_are_drawn_the_same_on_every_run(tmp_path, monkeypatch):
    """Case K of seed N depends on nothing else: not on the cases drawn beside it, and not
    on the code loaded in the process (Hypothesis mixes literals of loaded local modules into
    its draws; the parser being fixed must not change the batch that checks it)."""
    a = draw_cases(3, seed=7)
    assert [c.to_json() for c in a] == [c.to_json() for c in draw_cases(3, seed=7)]
    assert draw_cases(3, seed=8)[1].to_json() != a[1].to_json()
    assert draw_case(7, 2).to_json() == a[2].to_json()
    module = tmp_path / "literals_elsewhere.py"
    module.write_text("VALUES = [" + ", ".join(str(n) for n in range(2, 400, 3)) + "]\nWORDS = ['예산', '전용', '1.', 'Ⅲ']\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    __import__("literals_elsewhere")
    assert [c.to_json() for c in draw_cases(3, seed=7)] == [c.to_json() for c in a]


def _as_contract_json(expected: dict) -> dict:
    """The contract's report JSON that would carry exactly these records."""
    return {
        **{k: expected[k] for k in ("title", "fiscal_year", "quarter", "office", "meeting_date", "venue")},
        "transfers": [
            {
                "seq": t["seq"], "label": t["label"], "title": t["title"], "timeline": t["timeline"],
                "transfer": {"amount_won": t["amount_won"], "date": t["date"], "lines": []},
                "budget": {**t["budget"], "lines": [dict(ln, loc={}) for ln in t["budget"]["lines"]]},
            }
            for t in expected["transfers"]
        ],
        "findings": [{"check": c, "transfer_seq": s, "line": n, "field": f} for c, s, n, f in expected["findings"]],
    }


def _spaced(name: str) -> str:
    """The name with its first space removed, or a space added after its first syllable."""
    return name.replace(" ", "", 1) if " " in name else name[:1] + " " + name[1:]


@pytest.mark.parametrize("change, category", [
    (lambda d: d["transfers"][0]["budget"]["lines"][0].update(department=_spaced(d["transfers"][0]["budget"]["lines"][0]["department"])), "line: name spacing"),
    (lambda d: d["transfers"][0]["budget"]["lines"][0].update(stat_name="시설비용"), "line: name text"),
    (lambda d: d["transfers"][0]["budget"]["lines"][-1].update(after=d["transfers"][0]["budget"]["lines"][-1]["after"] + 1000), "line: figure"),
    (lambda d: d["transfers"][0]["budget"]["lines"].pop(), "budget: line count"),
    (lambda d: d["transfers"][0].update(label="x"), "transfer: label"),
    (lambda d: d["transfers"].pop(), "transfers: count"),
    (lambda d: d.update(venue="회의실"), "header: venue"),
    (lambda d: d["findings"].append({"check": "row_balance", "transfer_seq": 1, "line": 1, "field": "after"}), "findings: extra row_balance"),
])
def test_the_comparison_sees_every_kind_of_difference(batch, change, category):
    """`compare` is not vacuous: the records a model implies compare equal, and one changed
    name, figure, label, line, transfer, header field or finding is reported in its category."""
    case = next(c for c in batch.cases if c.expected["transfers"][0]["budget"]["lines"])
    doc = _as_contract_json(case.expected)
    assert compare(case.expected, doc) == []
    change(doc)
    assert category in {c for c, _ in compare(case.expected, doc)}


def test_a_names_text_may_differ_only_where_a_note_gives_the_models_reading(batch):
    """A name read as two (a merged name the text could not tell from a new one) counts as
    noted only when a note on the name as read gives the model's name as its alternative;
    a note giving another reading leaves it a failure."""
    case = next(c for c in batch.cases if c.expected["transfers"][0]["budget"]["lines"])
    doc = _as_contract_json(case.expected)
    line = doc["transfers"][0]["budget"]["lines"][0]
    model = line["department"]
    line["department"] = model + "센터"
    assert "line: name text" in {c for c, _ in failures(compare(case.expected, doc))}
    note = {"text": line["department"], "alternative": model + "센 터", "reason": "", "basis": "layout", "loc": {}}
    doc["notes"] = [note]
    assert "line: name text" in {c for c, _ in failures(compare(case.expected, doc))}
    doc["notes"] = [dict(note, alternative=model)]
    cats = {c for c, _ in compare(case.expected, doc)}
    assert "noted: line: name text" in cats and not failures(compare(case.expected, doc))


def _department_read_otherwise(batch, model: str, read: str) -> tuple[dict, dict]:
    """A case's expected records with its first department `model`, and their contract JSON
    with that department read as `read` (notes to be added by the test)."""
    import copy

    case = next(c for c in batch.cases if c.expected["transfers"][0]["budget"]["lines"])
    expected = copy.deepcopy(case.expected)
    expected["transfers"][0]["budget"]["lines"][0]["department"] = model
    doc = _as_contract_json(expected)
    doc["transfers"][0]["budget"]["lines"][0]["department"] = read
    return expected, doc


def _note(text: str, alternative: str) -> dict:
    return {"text": text, "alternative": alternative, "reason": "", "basis": "layout", "loc": {}}


def test_a_one_name_reading_takes_the_breaks_its_parts_note_as_undecided(batch):
    """A name read as two parts, noted with the one-name reading `가나다라마`: the model's
    `가나 다라마` counts as noted only when a note on a part says that break (`가나다` /
    `가나 다`) could go either way."""
    expected, doc = _department_read_otherwise(batch, "가나 다라마", "가나다")
    doc["notes"] = [_note("가나다", "가나다라마"), _note("라마", "가나다라마")]
    assert "line: name text" in {c for c, _ in failures(compare(expected, doc))}
    doc["notes"].append(_note("가나다", "가나 다"))
    assert not failures(compare(expected, doc))
    doc["notes"][-1] = _note("가나다", "가 나다")
    assert "line: name text" in {c for c, _ in failures(compare(expected, doc))}


def test_a_run_of_names_noted_once_takes_the_seams_its_parts_note_both_ways(batch):
    """Three parts that may be one name are noted with one spelling, `가나다라마바`: the
    model's `가나 다라마바` counts as noted only when a part's own notes give its seam with the
    next part both ways (`가나다라` and `가나 다라`)."""
    expected, doc = _department_read_otherwise(batch, "가나 다라마바", "가나")
    doc["notes"] = [_note(t, "가나다라마바") for t in ("가나", "다라", "마바")] + [_note("가나", "가나다라")]
    assert "line: name text" in {c for c, _ in failures(compare(expected, doc))}
    doc["notes"].append(_note("가나", "가나 다라"))
    assert not failures(compare(expected, doc))


# ---------------------------------------------------------------- the model's defaults are the samples
def _members(data: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def test_committed_text_and_docx_samples_are_what_the_model_renders(tmp_path):
    """The layout knobs' defaults reproduce the committed samples (HWPX and HWP are checked
    in test_hwpx_hwp.py; PDFs differ from run to run only in their metadata)."""
    from render_docx import write_docx

    for sample in all_samples():
        committed = (SAMPLES / f"{sample.name}.txt").read_bytes()
        assert committed == render_text(sample).encode(sample.encoding), sample.name
        made = write_docx(sample, tmp_path)
        assert _members((SAMPLES / f"{sample.name}.docx").read_bytes()) == _members(made.read_bytes()), sample.name
