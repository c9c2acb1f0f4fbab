"""The terminal form of an audit: findings grouped by report and transfer."""
from __future__ import annotations

from typing import Iterable

from .audit import COLUMN_KO
from .extract import Outcome


def _loc_text(loc: dict | None) -> str:
    if not loc:
        return "-"
    parts = []
    if loc.get("page") is not None:
        parts.append(f"p.{loc['page']}")
    if loc.get("line") is not None:
        parts.append(f"line {loc['line']}")
    if loc.get("cell") is not None:
        t, r, c = loc["cell"]
        parts.append(f"table {t} r{r} c{c}")
    if loc.get("bbox") is not None and loc.get("page") is not None:
        x0, top, x1, bottom = loc["bbox"]
        parts.append(f"@({x0:.0f},{top:.0f})")
    return " ".join(parts) or "-"


def _money(v) -> str:
    return "" if v is None else f"{v:,}"


def render_audit(outcomes: Iterable[Outcome]) -> str:
    out: list[str] = []
    counts = {"reports": 0, "clean": 0, "failed": 0, "errors": 0, "warnings": 0}
    for o in outcomes:
        if not o.ok:
            counts["failed"] += 1
            out.append(f"✗ {o.path}: {o.error}")
            out.append("")
            continue
        counts["reports"] += 1
        doc = o.report.to_json()
        findings = doc["findings"]
        errors = sum(1 for f in findings if f["severity"] == "error")
        counts["errors"] += errors
        counts["warnings"] += len(findings) - errors
        head = f"{doc['fiscal_year'] or '?'} {doc['quarter'] or '?'}/4 {doc['office'] or ''}".strip()
        if not findings:
            counts["clean"] += 1
            out.append(f"✓ {o.path} — {head}: clean ({len(doc['transfers'])} transfers)")
        else:
            out.append(f"✗ {o.path} — {head}: {errors} error(s), {len(findings) - errors} warning(s)")
            titles = {t["seq"]: f"{t['label']}. {t['title']}" for t in doc["transfers"]}
            by_transfer: dict = {}
            for f in findings:
                by_transfer.setdefault(f["transfer_seq"], []).append(f)
            for seq, items in by_transfer.items():
                out.append(f"  {titles.get(seq, 'report')}")
                rows = [("check", "sev", "line", "column", "printed", "expected", "where")]
                for f in items:
                    rows.append((
                        f["check"], f["severity"], "" if f["line"] is None else str(f["line"]),
                        COLUMN_KO.get(f["field"], f["field"] or ""), _money(f["actual"]), _money(f["expected"]),
                        _loc_text(f["loc"]),
                    ))
                out.extend("    " + line for line in _columns(rows))
                for f in items:
                    out.append(f"    · {f['message']}")
        for problem in doc.get("schema_errors", []):
            out.append(f"  schema: {problem}")
        if doc.get("unparsed"):
            out.append(f"  ({len(doc['unparsed'])} printed line(s) not placed; see \"unparsed\" in the JSON)")
        out.append("")
    out.append(
        f"{counts['reports']} report(s): {counts['clean']} clean, {counts['errors']} error(s), "
        f"{counts['warnings']} warning(s); {counts['failed']} file(s) unreadable"
    )
    return "\n".join(out)


def _width(s: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in s)


def _columns(rows: list[tuple]) -> list[str]:
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for r in rows:
        cells = []
        for i, v in enumerate(r):
            pad = widths[i] - _width(v)
            cells.append((" " * pad + v) if i in (4, 5) else (v + " " * pad))
        lines.append("  ".join(cells).rstrip())
    return lines
