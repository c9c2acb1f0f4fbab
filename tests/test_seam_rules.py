"""Page seams read by rule (issue 21): a row the page cut, its rest at the top of the next
page above or beside the next row's cells, a merged cell running over. The fixtures are
drawn glyph by glyph by tests/fixtures/pdf/seams/make_seam_fixtures.py (reportlab), each
named after the rule it proves, its model written from the draw; docs/seam_rules.md lists
rule → fixture → test.

Each PDF must read to the model's budget lines (a name may differ only where a note gives
the model's reading), or its table be set aside with the reason: never a line made of a
row's fragments (no code, names cut, zeros), which would pass every arithmetic check."""
from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pdfplumber
import pytest
from conftest import FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.extract import parse_file
from pipeline.ir import Paragraph, Table
from pipeline.readers import read_file
from pipeline.readers import seams
from pipeline.readers.seams import NOT_REBUILT

SEAMS = FIXTURES / "pdf" / "seams"
NAMES = sorted(p.stem for p in SEAMS.glob("*.json"))
TEXT_FIELDS = ("department", "policy_program", "unit_program", "detail_program", "stat_code", "stat_name")
MONEY = ("before", "decrease", "increase", "after")

_spec = importlib.util.spec_from_file_location("make_seam_fixtures", SEAMS / "make_seam_fixtures.py")
make = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = make  # (its dataclasses look their module up)
_spec.loader.exec_module(make)


def _model(path: Path) -> dict:
    return json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))


def _lines(doc: dict) -> list[dict]:
    return [ln for t in doc["transfers"] for ln in ((t.get("budget") or {}).get("lines") or [])]


def _differences(doc: dict, model: dict, spaces: bool = True) -> list[str]:
    """Where the reading is not the model's and no note offers the model's reading; [] when
    the lines are the model's or the table was set aside with its reason. Without
    `spaces`, names are compared without their spaces (a line break inside a name is the
    wrap rules' to decide, not the seam rules')."""
    lines = _lines(doc)
    if not lines:
        reasons = {u["reason"] for u in doc["unparsed"]}
        return [] if any(r.startswith(NOT_REBUILT) for r in reasons) else ["no lines and no table set aside"]
    if len(lines) != len(model["lines"]):
        return [f"{len(lines)} lines, the model has {len(model['lines'])}"]
    noted = {(n["text"], n["alternative"]) for n in doc.get("notes") or []}
    out = []
    for k, (got, want) in enumerate(zip(lines, model["lines"])):
        for f in MONEY:
            if got[f] != want[f]:
                out.append(f"line {k + 1} {f}: {got[f]} for {want[f]}")
        for f in TEXT_FIELDS:
            if not spaces and got[f].replace(" ", "") == want[f].replace(" ", ""):
                continue
            if got[f] != want[f] and not any(alt == want[f] or alt.replace(" ", "") == want[f].replace(" ", "")
                                             for text, alt in noted if text == got[f]):
                out.append(f"line {k + 1} {f}: {got[f]!r} for {want[f]!r}, not noted")
    return out


def _phantoms(doc: dict) -> list[dict]:
    """Lines no budget table prints: without a 통계목, or without a code where the
    table's other lines print theirs, or of names and nothing else."""
    lines = _lines(doc)
    coded = sum(1 for ln in lines if ln["stat_code"])
    return [ln for ln in lines
            if not (ln["stat_code"] or ln["stat_name"]) or (coded >= 2 and not ln["stat_code"])
            or (not ln["stat_code"] and not any(ln[f] for f in MONEY))]


@pytest.fixture(scope="module")
def reports():
    return {name: parse_file(SEAMS / f"{name}.pdf").to_json() for name in NAMES}


def test_the_fixtures_show_the_geometry_they_are_named_after():
    """Read without the reader: page 2 opens with the cut row's rest, and where the rest is
    beside the next row, that row's figures print at the same height."""
    for name in NAMES:
        model = _model(SEAMS / f"{name}.pdf")
        with pdfplumber.open(SEAMS / f"{name}.pdf") as pdf:
            assert len(pdf.pages) == 2
            words = pdf.pages[1].extract_words()
        body = [w for w in words if w["top"] < 200]
        top = min(w["top"] for w in body if not model["geometry"]["repeat_header"] or w["top"] > 80)
        first_line = [w for w in body if abs(w["top"] - top) < 2]
        assert model["geometry"]["goes_on"], name  # a cell goes on over the page
        if model["geometry"]["open_merged"]:
            with pdfplumber.open(SEAMS / f"{name}.pdf") as pdf:
                page = pdf.pages[0]
                foot = max(e["top"] for e in page.horizontal_edges)
                first = min(e["x0"] for e in page.horizontal_edges)
            # No rule closes the first column at the foot of page 1: the merged cell is left open.
            assert not any(abs(e["top"] - foot) < 1 and e["x0"] <= first + 1 for e in page.horizontal_edges), name
        next_figures = f"{model['lines'][3]['before'] // 1000:,}"
        beside = any(w["text"] == next_figures for w in first_line)
        assert beside == (model["geometry"]["rest"] == "beside"), name


@pytest.mark.parametrize("name", NAMES)
def test_each_seam_reads_to_the_models_lines_or_is_set_aside(reports, name):
    doc = reports[name]
    assert _differences(doc, _model(SEAMS / f"{name}.pdf")) == []
    assert _phantoms(doc) == []


def test_rest_beside_the_next_row_goes_on_in_the_cut_row():
    """The band's fragments go on in the row the page cut (`아동 돌봄` | `체계 구축`), the row
    names both pages, and the next row keeps its own figures."""
    blocks = read_file(SEAMS / "row_rest_beside_next_row.pdf").blocks
    table = next(b for b in blocks if isinstance(b, Table))
    texts = [[c.text for c in r] for r in table.rows]
    cut = next(r for r in table.rows if r[4].text.startswith("110-201-03"))
    assert cut[3].text == "아동 돌봄 체계 구축" and cut[4].text == "110-201-03 행사운영비"
    assert all(c.loc.pages == (1, 2) for c in cut)
    assert texts[-1][4:6] == ["405-01 자산취득비", "88,000"]


def test_a_fragment_row_in_any_format_sets_its_table_aside():
    """The last check is every reader's: a DOCX whose table prints a name's rest as a row of
    its own gives no line of zeros; the table's rows are set aside with the reason."""
    path = SEAMS / "fragment_row_in_a_docx_table.docx"
    blocks = read_file(path).blocks
    assert not any(isinstance(b, Table) for b in blocks)
    aside = [b for b in blocks if isinstance(b, Paragraph) and b.set_aside]
    assert any(b.text == "체계 구축" for b in aside) and all("통계목" in b.set_aside for b in aside)
    doc = parse_file(path).to_json()
    assert _lines(doc) == [] and _phantoms(doc) == []
    assert any(u["text"] == "체계 구축" and u["reason"].startswith(NOT_REBUILT) for u in doc["unparsed"])


NAMES_POOL = ["안전총괄과", "아동 청소년 안전총괄과", "재난안전 관리", "아동 돌봄 체계 구축", "재난장비 정비",
              "공공시설 안전 점검 및 보수", "시민 안전 교육", "도시 기반 시설"]


@st.composite
def seam_cases(draw):
    """A report cut by the page in its third row, drawn with random geometry: column
    widths, font and size, padding, how many lines print on page 1, the rest as a band
    or beside the next row, merged name columns, names from a pool."""
    lines = []
    for k in range(4):
        names = [draw(st.sampled_from(NAMES_POOL)) for _ in range(4)]
        code = ["110-201-01 사무관리비", "210-01 일반재료비", "110-201-03 행사운영비", "405-01 자산취득비"][k]
        before = draw(st.integers(0, 900)) * 100
        dec = draw(st.integers(0, before // 100)) * 100
        inc = draw(st.integers(0, 500)) * 100
        lines.append(make.Line(names + [code], [before, dec, inc, before - dec + inc]))
    scale = draw(st.floats(0.85, 1.25))
    widths = [w * scale * draw(st.floats(0.85, 1.15)) for w in make.NARROW]
    fit = min(1.0, 530 / sum(widths))  # the page's width
    widths = [round(w * fit, 1) for w in widths]
    return make.Case(
        "drawn", "random geometry", lines, cut_row=2, kept=draw(st.integers(1, 2)),
        widths=widths, rest=draw(st.sampled_from(["band", "beside"])),
        merged=tuple(draw(st.lists(st.integers(0, 3), unique=True, max_size=3))),
        font=draw(st.sampled_from(["NanumGothic", "NanumMyeongjo", "NanumBarunGothic"])),
        size=draw(st.sampled_from([7.5, 8.0, 8.5, 9.0])), pad=draw(st.sampled_from([2.0, 3.0, 4.5])),
        repeat_header=draw(st.booleans()), align=draw(st.sampled_from(["center", "left"])),
    )


@settings(max_examples=30, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(seam_cases())
def test_no_seam_geometry_makes_a_phantom_line(case):
    """Whatever the geometry, the reading has the model's lines (names up to the spaces a
    line break may stand for), noted where it doubts, or sets the table aside: never a
    line of fragments, never a figure of the wrong line."""
    with tempfile.TemporaryDirectory() as tmp:
        model = make.build(case, Path(tmp))
        doc = parse_file(Path(tmp) / "drawn.pdf").to_json()
    assert _phantoms(doc) == []
    assert _differences(doc, model, spaces=False) == []


def _catalogue() -> list[tuple[str, bool, str, str]]:
    """(rule, joined, certainty, fixture) for every rule docs/seam_rules.md proves by a fixture."""
    text = (FIXTURES.parent.parent / "docs" / "seam_rules.md").read_text(encoding="utf-8")
    out = []
    for m in re.finditer(r"^\| `(\w+)` \| (joined|apart), (\w+) \| `([\w/.]+)` \|", text, re.M):
        out.append((m.group(1), m.group(2) == "joined", m.group(3), m.group(4)))
    return out


def test_every_rule_in_the_catalogue_decides_its_fixture(monkeypatch):
    """docs/seam_rules.md lists each seam rule with the fixture proving it: reading that
    fixture, the rule decides a seam as the catalogue says (the ladders are watched where
    the PDF reader asks them, and still answer)."""
    import pipeline.readers.pdf.pages as pages
    import pipeline.readers.pdftext.table as text_table

    decided: set = set()
    for reader, name in ((pages, "row_seam"), (pages, "cell_run"), (pages, "rest_beside_next_row"), (pages, "header_cut"),
                         (text_table, "cell_run")):
        ask = getattr(reader, name)

        def watched(seam, ask=ask):
            verdict = ask(seam)
            decided.add((verdict.rule, verdict.joined, verdict.certainty))
            return verdict

        monkeypatch.setattr(reader, name, watched)
    catalogue = _catalogue()
    assert len({rule for rule, *_ in catalogue}) >= 20
    for rule, joined, certainty, fixture in catalogue:
        decided.clear()
        read_file(FIXTURES / (fixture if "." in fixture else f"{fixture}.pdf"))
        assert (rule, joined, certainty) in decided, (rule, fixture)
    rules = {v.__name__ for v in seams.ROW_RULES + seams.RUN_RULES}
    assert len(rules) == len(seams.ROW_RULES) + len(seams.RUN_RULES)  # one function per rung


@pytest.mark.pdftotext
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (installed by .ci/run)")
@pytest.mark.parametrize("name", NAMES)
def test_the_layout_text_of_each_seam_reads_to_the_models_lines_or_is_set_aside(name, tmp_path):
    """The same pages as `pdftotext -layout` prints them, read by the layout-text reader: the
    model's lines (a name differing only where a note gives the model's reading) or the
    table set aside with its reason, never a line of fragments."""
    text = tmp_path / f"{name}.txt"
    subprocess.run(["pdftotext", "-layout", str(SEAMS / f"{name}.pdf"), str(text)], check=True, timeout=60)
    doc = parse_file(text).to_json()
    assert _phantoms(doc) == []
    assert _differences(doc, _model(SEAMS / f"{name}.pdf")) == []
