"""The harness's comparison of a report's JSON (the pipeline's output) with a layout
case's expected records (scripts/layouts.py): what is compared, a readable difference,
and the kind of each difference, so that a long run can count causes. Imports nothing
from `pipeline`: it reads the JSON the contract defines.
"""
from __future__ import annotations

import difflib
import re
from collections import Counter
from typing import Optional

from layouts import MONEY_FIELDS, TEXT_FIELDS, finding_order

# Formats whose text cannot show whether a space was printed between a Hangul syllable
# and a Latin letter or digit. LibreOffice (like Word's "adjust space between Asian and
# Latin text") sets such neighbours apart by about a fifth of an em whether or not the
# document has a space there, and `pdftotext -layout` writes that gap as a space: the PDF
# of `2018년도 제2분기` and of `2018 년도 제 2 분기`, or of `IT기술` and `IT 기술`, give the
# same text (`2018 년도 제 2 분기`, `IT 기술`). Between other characters (`3/4`, `민·관`,
# `(화)`) and between Hangul syllables the converter adds nothing. So for these formats the
# prose fields that can print digits or Latin letters next to Hangul (the report's title,
# the transfers' titles, the timeline's text) are compared without such spaces, on both
# sides; every other field, the names in budget lines above all, is compared exactly.
AUTOSPACED = {"pdftotext", "pdf.plain", "chromium.layout", "chromium.plain", "reportlab.layout", "reportlab.plain"}
_AUTOSPACE = re.compile(r"(?<=[가-힣])\s+(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])\s+(?=[가-힣])")


def unspaced(text: Optional[str]) -> Optional[str]:
    """text without the spaces a converter may have put between Hangul and Latin or digits."""
    return text if text is None else _AUTOSPACE.sub("", text)


def _autospaced(records: dict) -> dict:
    """The records with `unspaced` applied to the fields AUTOSPACED formats compare so."""
    out = dict(records, title=unspaced(records.get("title")))
    out["transfers"] = [
        dict(t, title=unspaced(t.get("title")), timeline=[dict(ev, text=unspaced(ev.get("text"))) for ev in t.get("timeline") or []])
        for t in records.get("transfers") or []
    ]
    return out


def _spaces(text: str) -> tuple[str, set]:
    """The text's letters, and after how many letters each space stands."""
    at, k = set(), 0
    for ch in text:
        if ch == " ":
            at.add(k)
        else:
            k += 1
    return text.replace(" ", ""), at


_CODE_HEAD = re.compile(r"^\d[\d-]*\d ")


def _names(noted_text: str, name: str) -> bool:
    """A note's text (or alternative) is this name: itself, or after a budget code (a 통계목
    cell prints `201-01 사무관리비`, its name field is `사무관리비`)."""
    return noted_text == name or (noted_text.endswith(" " + name) and bool(_CODE_HEAD.match(noted_text[: -len(name)])))


def noted(expected: str, got: str, notes: list[dict]) -> bool:
    """`expected` is a reading of `got` that the report's `notes` name: an alternative given
    (a name read as two: the one-name reading, its breaks noted on its parts flipped or
    not), or the letters of `got` with spaces flipped only at breaks a note says could go
    either way. A name whose spacing the page cannot decide (LibreOffice prints `도시도시 스마트과`
    and `도시도시스마트과` glyph for glyph alike in a narrow cell) is read one way and noted;
    any other difference is a failure."""
    mine = [n for n in notes if _names(n["text"], got)]
    if any(_names(n["alternative"], expected) or _joined_reading(expected, n["alternative"], notes) for n in mine):
        return True
    letters, spaces = _spaces(got)
    want_letters, want_spaces = _spaces(expected)
    if letters != want_letters:
        return False
    flippable = set()
    for n in mine:
        head = len(_spaces(n["text"])[0]) - len(letters)  # a code before the name (`201-01 사무관리비`)
        alt_letters, alt_spaces = _spaces(n["alternative"])
        text_letters, text_spaces = _spaces(n["text"])
        if alt_letters == text_letters:
            flippable |= {k - head for k in alt_spaces ^ text_spaces}
    return (want_spaces ^ spaces) <= flippable


def _joined_reading(expected: str, alternative: str, notes: list[dict]) -> bool:
    """`expected` is `alternative` (a reading that joins names: the notes on each part give
    it) with spaces flipped only at breaks that the notes on its parts say could go either
    way."""
    alt_letters, alt_spaces = _spaces(alternative)
    want_letters, want_spaces = _spaces(expected)
    if not want_letters or not alt_letters.endswith(want_letters):
        return False
    head = len(alt_letters) - len(want_letters)
    parts = {n["text"] for n in notes if n["alternative"] == alternative}  # the texts it joins, or splits
    flippable = set()
    for n in notes:
        if n["text"] not in parts:
            continue
        text_letters, text_spaces = _spaces(n["text"])
        other_letters, other_spaces = _spaces(n["alternative"])
        if other_letters != text_letters:
            continue
        at = alt_letters.find(text_letters)
        while at >= 0:
            flippable |= {at + k for k in text_spaces ^ other_spaces}
            at = alt_letters.find(text_letters, at + 1)
        # The other way round: the alternative is one part of a text read as one name (a
        # merged cell joined over the page, noted with its first part alone).
        at = text_letters.find(alt_letters) if len(text_letters) > len(alt_letters) else -1
        if at >= 0:
            flippable |= {k - at for k in text_spaces ^ other_spaces if 0 < k - at < len(alt_letters)}
    # A seam between two of its parts that the notes on a part give both ways (`데이터돌봄`
    # and `데이터 돌봄`): a run of such names is noted once, spelled its likelier way.
    both_ways: dict = {}
    for n in notes:
        if n["text"] in parts:
            letters, spaces = _spaces(n["alternative"])
            both_ways.setdefault((n["text"], letters), []).append(spaces)
    for (_, letters), spellings in both_ways.items():
        if len(spellings) < 2:
            continue
        differ = set().union(*spellings) - set.intersection(*spellings)
        at = alt_letters.find(letters)
        while at >= 0:
            flippable |= {at + k for k in differ}
            at = alt_letters.find(letters, at + 1)
    return {k + head for k in want_spaces} ^ {k for k in alt_spaces if k > head} <= flippable


NOTED = "noted: "
# A rendering that does not print the model (LibreOffice left rows off the page): no reader
# could give the model back, so it is reported apart from the parser's failures.
RENDER_LOST = "render: content lost"


def failures(diffs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The differences that are the parser's errors: all but names the report itself notes
    as undecidable (category `noted: …`) and renderings that lost content."""
    return [d for d in diffs if not d[0].startswith(NOTED) and d[0] != RENDER_LOST]


def render_lost(diffs: list[tuple[str, str]]) -> bool:
    return any(c == RENDER_LOST for c, _ in diffs)


def project(doc: dict) -> dict:
    """The part of a report's JSON (the contract's) that a layout case fixes."""
    return {
        "title": doc.get("title"),
        "fiscal_year": doc.get("fiscal_year"),
        "quarter": doc.get("quarter"),
        "office": doc.get("office"),
        "meeting_date": doc.get("meeting_date"),
        "venue": doc.get("venue"),
        "transfers": [
            {
                "seq": t.get("seq"),
                "label": t.get("label"),
                "title": t.get("title"),
                "amount_won": (t.get("transfer") or {}).get("amount_won"),
                "date": (t.get("transfer") or {}).get("date"),
                "timeline": [{k: ev.get(k) for k in ("date", "end_date", "text")} for ev in t.get("timeline") or []],
                "budget": None if t.get("budget") is None else {
                    "unit": t["budget"].get("unit"),
                    "lines": [{f: ln.get(f) for f in TEXT_FIELDS + MONEY_FIELDS} for ln in t["budget"].get("lines") or []],
                    "total": t["budget"].get("total"),
                },
            }
            for t in doc.get("transfers") or []
        ],
        "findings": sorted(
            ([f.get("check"), f.get("transfer_seq"), f.get("line"), f.get("field")] for f in doc.get("findings") or []),
            key=finding_order,
        ),
    }


def _line_text(ln: dict) -> str:
    return " | ".join(str(ln.get(f)) for f in TEXT_FIELDS) + " | " + " ".join(f"{ln.get(f):,}" if isinstance(ln.get(f), int) else str(ln.get(f)) for f in MONEY_FIELDS)


def compare(expected: dict, doc: dict, fmt: Optional[str] = None) -> list[tuple[str, str]]:
    """Differences between the expected records and a report's JSON: (category, readable
    line) pairs; empty when they are equal. Categories name the kind of difference
    (`transfers: count`, `line: name spacing` …) so that a long run can count them. `fmt`,
    the rendering's format, selects the AUTOSPACED rule."""
    actual = project(doc)
    if fmt in AUTOSPACED:
        expected, actual = _autospaced(expected), _autospaced(actual)
    out: list[tuple[str, str]] = []
    for key in ("title", "fiscal_year", "quarter", "office", "meeting_date", "venue"):
        if expected[key] != actual[key]:
            out.append((f"header: {key}", f"{key}: expected {expected[key]!r}, got {actual[key]!r}"))
    et, at = expected["transfers"], actual["transfers"]
    if len(et) != len(at):
        out.append(("transfers: count", f"transfers: expected {len(et)} ({', '.join(repr(t['label']) for t in et)}), got {len(at)} ({', '.join(repr(t['label']) for t in at)})"))
    for e, a in zip(et, at):
        where = f"transfer {e['seq']}"
        for key in ("label", "title", "amount_won", "date"):
            if e[key] != a[key]:
                out.append((f"transfer: {key}", f"{where} {key}: expected {e[key]!r}, got {a[key]!r}"))
        if e["timeline"] != a["timeline"]:
            out.append(("transfer: timeline", f"{where} timeline: expected {e['timeline']!r}, got {a['timeline']!r}"))
        eb, ab = e["budget"], a["budget"]
        if ab is None:
            out.append(("budget: missing", f"{where}: no budget table read"))
            continue
        if eb["unit"] != ab["unit"]:
            out.append(("budget: unit", f"{where} unit: expected {eb['unit']!r}, got {ab['unit']!r}"))
        # A signed change column prints only the net change in its total row: the total's
        # 예산현액 and 전용 후 are compared (the net itself is the lines' to give).
        total_keys = ("before", "after") if eb.get("signed") else MONEY_FIELDS
        if {k: (eb["total"] or {}).get(k) for k in total_keys} != {k: (ab["total"] or {}).get(k) for k in total_keys} or (eb["total"] is None) != (ab["total"] is None):
            out.append(("budget: total", f"{where} total: expected {eb['total']}, got {ab['total']}"))
        el, al = eb["lines"], ab["lines"]
        if len(el) != len(al):
            diff = "\n".join("      " + d for d in difflib.ndiff([_line_text(x) for x in el], [_line_text(x) for x in al]) if d[:1] in "-+?")
            out.append(("budget: line count", f"{where}: expected {len(el)} budget lines, got {len(al)}\n{diff}"))
            continue
        for n, (x, y) in enumerate(zip(el, al), start=1):
            for f in TEXT_FIELDS + MONEY_FIELDS:
                if x[f] == y[f]:
                    continue
                if f in MONEY_FIELDS:
                    cat = "line: figure"
                elif f == "stat_code":
                    cat = "line: stat code"
                else:
                    spacing = isinstance(y[f], str) and x[f].replace(" ", "") == y[f].replace(" ", "")
                    cat = "line: name spacing" if spacing else "line: name text"
                    # A name merged over rows or two names (the text cannot always tell):
                    # the reading not taken is noted as the alternative.
                    if isinstance(y[f], str) and noted(x[f], y[f], doc.get("notes") or []):
                        cat = NOTED + cat
                out.append((cat, f"{where} line {n} {f}: expected {x[f]!r}, got {y[f]!r}"))
    ef = Counter(map(tuple, expected["findings"]))
    af = Counter(map(tuple, actual["findings"]))
    for f in sorted((ef - af).elements(), key=finding_order):
        out.append((f"findings: missing {f[0]}", f"finding missing: {list(f)}"))
    for f in sorted((af - ef).elements(), key=finding_order):
        out.append((f"findings: extra {f[0]}", f"finding not expected: {list(f)}"))
    return out


def root_categories(diffs: list[tuple[str, str]]) -> set[str]:
    """The categories of a comparison that are causes rather than consequences: when the
    transfers are not the model's, every later difference follows from that; findings that
    differ while the records agree are the audit's own."""
    cats = [c for c, _ in failures(diffs)]
    if "transfers: count" in cats:
        return {c for c in cats if c.startswith(("header:", "transfers:", "error:", "crash:"))}
    records = {c for c in cats if not c.startswith("findings:")}
    return records or set(cats)


# ---------------------------------------------------------------- outcomes
# What one rendering gives, worst first (scripts/layout_run.py counts them per producer,
# conversion and class; docs/layout_harness.md says what each means).
OUTCOMES = ("WRONG", "crash", "dropped", "refused", "differs", "set_aside", "noted", "equal", "not_rendered")
_FIGURES = ("line: figure", "budget: total", "budget: unit", "budget: line count", "line: stat code", "transfer: amount_won")


def _squeezed(text) -> str:
    return (text or "").replace(" ", "")


def phantoms(expected: dict, doc: dict) -> list[str]:
    """Budget lines of the report's JSON that no reading of the page could give: a line with
    no 통계목 (neither code nor name), or a line printing a name that is only a piece of a
    name of the model (`안전총` and `괄과` of `안전총괄과`) where no such name is drawn: the
    rest of a row cut by the page read as a line of its own, or the row it was cut from."""
    out = []
    for t, e in zip(doc.get("transfers") or [], expected["transfers"]):
        model = {f: {_squeezed(ln[f]) for ln in e["budget"]["lines"]} for f in TEXT_FIELDS}
        for n, ln in enumerate((t.get("budget") or {}).get("lines") or [], start=1):
            if not (ln.get("stat_code") or "").strip() and not (ln.get("stat_name") or "").strip():
                out.append(f"transfer {t.get('seq')} line {n}: no 통계목 (a phantom line: {ln.get('before')} {ln.get('decrease')} {ln.get('increase')} {ln.get('after')})")
                continue
            for f in TEXT_FIELDS:
                got = _squeezed(ln.get(f))
                if got and got not in model[f] and any(got in name for name in model[f]):
                    out.append(f"transfer {t.get('seq')} line {n} {f}: {ln.get(f)!r} is a fragment of a name")
                    break
    return out


def outcome(expected: dict, doc: dict, diffs: list[tuple[str, str]]) -> tuple[str, str]:
    """(outcome, summary) of one report's JSON against its model, from `compare`'s
    differences: WRONG when any figure, unit or line differs or a phantom / fragment line is
    read; dropped when a table is missing with no line set aside saying why; set_aside when
    tables are missing with their reason (and nothing else differs but what follows from
    that); differs for any other difference (names, header fields, labels, findings);
    noted when only names the report notes as undecidable differ; equal."""
    # A name the report itself notes as undecidable (its other reading given) is no fragment.
    noted_at = {text.split(":", 1)[0] for cat, text in diffs if cat.startswith(NOTED)}
    ghosts = [g for g in phantoms(expected, doc) if g.split(":", 1)[0] not in noted_at]
    fails = failures(diffs)
    # A table read with no line at all is as missing as no table.
    fails = [("budget: missing", text) if cat == "budget: line count" and text.split("\n")[0].endswith(", got 0") else (cat, text)
             for cat, text in fails]
    # The unit of a table read without a line prints no figure: missing, not wrong.
    unread = {text.split(":", 1)[0] for cat, text in fails if cat == "budget: missing"}
    fails = [(cat, text) for cat, text in fails if not (
        cat == "budget: unit" and text.split(" unit:", 1)[0] in unread
        or cat == "budget: total" and text.endswith("got None") and text.split(" total:", 1)[0] in unread)]
    # Transfers lost or run together: every record after it belongs to another transfer.
    wrong = ["transfers lost or run together: " + text for cat, text in fails if cat == "transfers: count"]
    # A figure not read at all (`got None`) is missing, not wrong.
    wrong = wrong or [text for cat, text in fails if cat in _FIGURES and not text.endswith("got None")]
    wrong += ghosts
    if wrong:
        return "WRONG", "; ".join(wrong[:3])[:600]
    missing = [text for cat, text in fails if cat == "budget: missing"]
    if missing:
        if not doc.get("unparsed"):
            return "dropped", "; ".join(missing[:3]) + " (and nothing set aside)"
        reasons = sorted({u.get("reason") for u in doc["unparsed"] if u.get("reason")})
        rest = [text for cat, text in fails if cat != "budget: missing" and not cat.startswith("findings:")]
        if not rest:
            return "set_aside", f"{len(missing)} table(s) set aside: " + "; ".join(reasons[:3])[:400]
        return "differs", "; ".join(rest[:3])[:600]
    if fails:
        return "differs", "; ".join(text for _, text in fails[:3])[:600]
    return ("noted" if diffs else "equal"), ""
