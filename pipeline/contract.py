"""The published data contract, exported from the code into `schemas/`.

`REPORT_JSON_SCHEMA` describes one report's JSON (docs/contract.md, version 1, plus the
documented additions); the pandera schemas of the four tables come from pipeline/schemas.py,
and the Frictionless data package of the CSV tables from pipeline/datapackage.py.
`export_schemas(dir)` writes both; a test fails when the files in `schemas/` drift from
the code.
"""
from __future__ import annotations

import json
from pathlib import Path

from .audit import CHECKS
from .records import STATUSES
from .datapackage import descriptor_text
from .schemas import SCHEMAS
from .tables import COLUMNS

ISO_DATE = "^\\d{4}(-\\d{2}(-\\d{2})?)?$"


def _nullable(schema: dict) -> dict:
    t = schema.get("type")
    return {**schema, "type": [t, "null"]} if isinstance(t, str) else schema


_LOC = {
    "type": "object",
    "description": "Where a figure sits in the source. 1-based page and line; bbox in PDF points from the page's top-left; cell = [table, row, column], 1-based.",
    "required": ["page", "line", "bbox", "cell"],
    "properties": {
        "page": {"type": ["integer", "null"], "minimum": 1},
        "line": {"type": ["integer", "null"], "minimum": 1},
        "bbox": {"type": ["array", "null"], "items": {"type": "number"}, "minItems": 4, "maxItems": 4},
        "cell": {"type": ["array", "null"], "items": {"type": "integer"}, "minItems": 3, "maxItems": 3},
        "paragraph": {"type": "integer", "description": "body paragraph index (DOCX, HWPX, HWP)"},
        "section": {"type": "integer", "description": "document section (HWPX, HWP)"},
        "pages": {
            "type": "array",
            "items": {"type": "integer", "minimum": 1},
            "minItems": 2,
            "description": "every page a PDF table row or cell is printed on, when a page break split it; page and bbox stay where its text or figures are printed",
        },
    },
}
_MONEY = {"type": "integer", "description": "won (원)"}
_MONEY4 = {k: _MONEY for k in ("before", "decrease", "increase", "after")}

REPORT_JSON_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "jeonyong/report.schema.json",
    "title": "예산 전용 보고: one report",
    "type": "object",
    "required": ["schema_version", "source", "title", "fiscal_year", "quarter", "office", "meeting_date", "venue", "transfers", "findings"],
    "properties": {
        "schema_version": {"const": "1"},
        "source": {
            "type": "object",
            "required": ["path", "sha256", "format"],
            "properties": {
                "path": {"type": "string"},
                "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                "format": {"enum": ["text", "pdf", "docx", "hwpx", "hwp", "image"]},
                "report_index": {"type": "integer", "minimum": 1, "description": "the report's place in its file, from 1 (its report_id: the sha256, with #<place> when the file holds several reports)"},
                "reports_in_file": {"type": "integer", "minimum": 1, "description": "how many reports the file holds (a committee's package: several)"},
            },
        },
        "title": {"type": "string"},
        "fiscal_year": {"type": ["integer", "null"]},
        "quarter": {"type": ["integer", "null"], "minimum": 1, "maximum": 4},
        "office": {"type": ["string", "null"]},
        "meeting_date": {"type": ["string", "null"], "pattern": ISO_DATE},
        "venue": {"type": ["string", "null"]},
        "transfers": {"type": "array", "items": {"$ref": "#/$defs/transfer"}},
        "findings": {"type": "array", "items": {"$ref": "#/$defs/finding"}},
        "unparsed": {
            "type": "array",
            "description": "printed text the parser could not place, with where it is and why",
            "items": {
                "type": "object",
                "required": ["text", "reason", "loc"],
                "properties": {"text": {"type": "string"}, "reason": {"type": "string"}, "loc": {"oneOf": [{"$ref": "#/$defs/loc"}, {"type": "null"}]}},
            },
        },
        "notes": {
            "type": "array",
            "description": "readings a heuristic decided, kept as decided and shown: e.g. whether a line break inside a name printed in a PDF stood for a space",
            "items": {
                "type": "object",
                "required": ["text", "alternative", "reason", "basis", "loc"],
                "properties": {
                    "text": {"type": "string", "description": "the text as read"},
                    "alternative": {"type": "string", "description": "the other reading"},
                    "reason": {"type": "string"},
                    "basis": {"enum": ["vocabulary", "default", "layout"], "description": "vocabulary: the document prints it so elsewhere; default: no evidence either way; layout: page geometry alone"},
                    "loc": {"oneOf": [{"$ref": "#/$defs/loc"}, {"type": "null"}]},
                },
            },
        },
        "schema_errors": {"type": "array", "items": {"type": "string"}, "description": "pandera violations, present only when there are some"},
        "status": {"enum": list(STATUSES), "description": "error: a finding of severity error; unchecked: a table or figure could not be read, so not all was checked (never clean); warning: warnings only; clean"},
        "checked": {"type": "boolean", "description": "every table and figure printed was read and checked"},
        "unchecked": {"type": "array", "items": {"type": "string"}, "description": "why not, one cause per line (empty when checked)"},
    },
    "$defs": {
        "loc": _LOC,
        "transfer": {
            "type": "object",
            "required": ["seq", "label", "title", "summary", "overview", "timeline", "transfer", "reasons", "budget"],
            "properties": {
                "seq": {"type": "integer", "minimum": 1},
                "label": {"type": "string"},
                "title": {"type": "string"},
                "summary": {"type": ["string", "null"]},
                "overview": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
                "timeline": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["date", "end_date", "text"],
                        "properties": {
                            "date": {"type": "string", "pattern": ISO_DATE},
                            "end_date": {"type": ["string", "null"], "pattern": ISO_DATE},
                            "text": {"type": "string"},
                        },
                    },
                },
                "transfer": {
                    "type": "object",
                    "required": ["amount_won", "date", "lines"],
                    "properties": {
                        "amount_won": {"type": ["integer", "null"]},
                        "date": {"type": ["string", "null"], "pattern": ISO_DATE},
                        "lines": {"type": "array", "items": {"type": "string"}},
                    },
                },
                "reasons": {"type": "array", "items": {"type": "string"}},
                "budget": {
                    "type": ["object", "null"],
                    "required": ["unit", "lines", "total"],
                    "properties": {
                        "unit": {"type": ["string", "null"], "description": "as printed; null when the table's unit could not be established (its figures are then not read, see unparsed)"},
                        "lines": {"type": "array", "items": {"$ref": "#/$defs/budget_line"}},
                        "total": {
                            "type": ["object", "null"], "required": list(_MONEY4),
                            "description": "as printed in the 총계 row; a table of one signed change column prints no 감 and 증 "
                                           "totals (null) but the net change (`change`)",
                            "properties": {**{k: {"type": ["integer", "null"]} for k in _MONEY4},
                                           "change": {"type": ["integer", "null"], "description": "the net change as printed (won)"}},
                        },
                    },
                },
                "loc": {"$ref": "#/$defs/loc"},
            },
        },
        "budget_line": {
            "type": "object",
            "required": COLUMNS["budget_lines"][3:13] + ["loc"],
            "properties": {
                **{k: {"type": "string"} for k in COLUMNS["budget_lines"][3:9]},
                **_MONEY4,
                "loc": {"$ref": "#/$defs/loc"},
            },
        },
        "finding": {
            "type": "object",
            "required": ["check", "severity", "transfer_seq", "line", "field", "expected", "actual", "loc", "message"],
            "properties": {
                "check": {"enum": sorted(CHECKS)},
                "severity": {"enum": ["error", "warning"]},
                "transfer_seq": {"type": ["integer", "null"]},
                "line": {"type": ["integer", "null"], "minimum": 1},
                "field": {"type": ["string", "null"]},
                "expected": {"type": ["integer", "null"]},
                "actual": {"type": ["integer", "null"]},
                "loc": {"oneOf": [{"$ref": "#/$defs/loc"}, {"type": "null"}]},
                "message": {"type": "string"},
                "cause": {
                    "type": "object",
                    "description": "one misprinted figure that explains this finding and others (present only then): the same object on each",
                    "required": ["id", "transfer_seq", "line", "row", "field", "printed", "needed", "explains", "message"],
                    "properties": {
                        "id": {"type": "integer", "minimum": 1},
                        "transfer_seq": {"type": "integer"},
                        "line": {"type": ["integer", "null"], "description": "1-based budget line; null for the 총계 row or the 전용개요"},
                        "row": {"enum": ["line", "total", "summary"]},
                        "field": {"type": "string"},
                        "printed": {"type": "integer", "description": "won, as printed"},
                        "needed": {"type": "integer", "description": "won: the value every explained check needs"},
                        "explains": {"type": "array", "items": {"type": "integer", "minimum": 1}, "description": "1-based numbers of the findings it explains"},
                        "loc": {"oneOf": [{"$ref": "#/$defs/loc"}, {"type": "null"}]},
                        "message": {"type": "string"},
                    },
                },
            },
        },
    },
}


def schema_files() -> dict[str, str]:
    """File name → content of everything `schemas/` should hold."""
    files = {"report.schema.json": json.dumps(REPORT_JSON_SCHEMA, ensure_ascii=False, indent=2) + "\n"}
    for name, model in SCHEMAS.items():
        files[f"pandera/{name}.json"] = model.to_schema().to_json(indent=2) + "\n"
    files["checks.json"] = json.dumps(CHECKS, ensure_ascii=False, indent=2) + "\n"
    files["datapackage.json"] = descriptor_text()
    return files


def export_schemas(out_dir) -> list[Path]:
    out = Path(out_dir)
    written = []
    for rel, text in schema_files().items():
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written
