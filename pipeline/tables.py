"""The contract's four tables (reports, transfers, budget_lines, findings) from report JSON.

Built from the JSON form, so that every writer (CSV, XLSX, SQLite) and the archive export
produce the same rows whether the report was just parsed or read back from an archive.
"""
from __future__ import annotations

import json
from .records import report_id_of

from .audit import doc_status, doc_unchecked

TABLES = ("reports", "transfers", "budget_lines", "findings")

COLUMNS = {
    "reports": [
        "report_id", "source_path", "source_format", "schema_version", "title", "fiscal_year", "quarter",
        "office", "meeting_date", "venue", "transfer_count", "finding_count", "error_count", "unparsed_count",
        "status", "unchecked",
    ],
    "transfers": [
        "report_id", "transfer_seq", "label", "title", "summary", "amount_won", "transfer_date", "budget_unit",
        "total_before", "total_decrease", "total_increase", "total_after", "line_count",
        "transfer_lines", "reasons", "overview_json", "timeline_json", "loc_page", "loc_line",
    ],
    "budget_lines": [
        "report_id", "transfer_seq", "line", "department", "policy_program", "unit_program", "detail_program",
        "stat_code", "stat_name", "before", "decrease", "increase", "after",
        "loc_page", "loc_line", "loc_bbox", "loc_cell",
    ],
    "findings": [
        "report_id", "finding_no", "check", "severity", "transfer_seq", "line", "field", "expected", "actual",
        "message", "loc_page", "loc_line", "loc_bbox", "loc_cell", "source_path", "cause_no", "cause",
    ],
}

def _loc_cols(loc) -> dict:
    loc = loc or {}
    bbox, cell = loc.get("bbox"), loc.get("cell")
    return {
        "loc_page": loc.get("page"),
        "loc_line": loc.get("line"),
        "loc_bbox": ",".join(f"{v:g}" for v in bbox) if bbox else None,
        "loc_cell": ",".join(str(v) for v in cell) if cell else None,
    }


def report_rows(doc: dict) -> dict[str, list[dict]]:
    """One report's JSON → rows of the four tables."""
    rid = report_id_of(doc)
    findings = doc.get("findings", [])
    out: dict[str, list[dict]] = {name: [] for name in TABLES}
    out["reports"].append({
        "report_id": rid,
        "source_path": doc["source"]["path"],
        "source_format": doc["source"]["format"],
        "schema_version": doc["schema_version"],
        "title": doc["title"],
        "fiscal_year": doc.get("fiscal_year"),
        "quarter": doc.get("quarter"),
        "office": doc.get("office"),
        "meeting_date": doc.get("meeting_date"),
        "venue": doc.get("venue"),
        "transfer_count": len(doc["transfers"]),
        "finding_count": len(findings),
        "error_count": sum(1 for f in findings if f["severity"] == "error"),
        "unparsed_count": len(doc.get("unparsed", [])),
        "status": doc_status(doc),
        "unchecked": "\n".join(doc_unchecked(doc)),
    })
    for t in doc["transfers"]:
        b = t.get("budget") or {}
        total = b.get("total") or {}
        loc = t.get("loc") or {}
        out["transfers"].append({
            "report_id": rid,
            "transfer_seq": t["seq"],
            "label": t["label"],
            "title": t["title"],
            "summary": t.get("summary"),
            "amount_won": t["transfer"].get("amount_won"),
            "transfer_date": t["transfer"].get("date"),
            "budget_unit": b.get("unit"),
            "total_before": total.get("before"),
            "total_decrease": total.get("decrease"),
            "total_increase": total.get("increase"),
            "total_after": total.get("after"),
            "line_count": len(b.get("lines") or []),
            "transfer_lines": "\n".join(t["transfer"].get("lines") or []),
            "reasons": "\n".join(t.get("reasons") or []),
            "overview_json": json.dumps(t.get("overview") or {}, ensure_ascii=False),
            "timeline_json": json.dumps(t.get("timeline") or [], ensure_ascii=False),
            "loc_page": loc.get("page"),
            "loc_line": loc.get("line"),
        })
        for n, ln in enumerate(b.get("lines") or [], start=1):
            row = {"report_id": rid, "transfer_seq": t["seq"], "line": n}
            row.update({k: ln[k] for k in COLUMNS["budget_lines"][3:13]})
            row.update(_loc_cols(ln.get("loc")))
            out["budget_lines"].append(row)
    for k, f in enumerate(findings, start=1):
        row = {"report_id": rid, "finding_no": k}
        row.update({c: f.get(c) for c in ("check", "severity", "transfer_seq", "line", "field", "expected", "actual", "message")})
        row.update(_loc_cols(f.get("loc")))
        row["source_path"] = doc["source"]["path"]
        cause = f.get("cause") or {}
        row["cause_no"], row["cause"] = cause.get("id"), cause.get("message")
        out["findings"].append(row)
    return out


def merge_rows(docs) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {name: [] for name in TABLES}
    for doc in docs:
        for name, rows in report_rows(doc).items():
            out[name].extend(rows)
    return out
