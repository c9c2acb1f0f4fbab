"""`datapackage.json`: a Frictionless Data Package (Table Schema) describing the four CSV
tables, written beside them by `extract --format csv`, `export` and `ingest --out`.

Generated, never written by hand: field names, order, types, titles, descriptions and
constraints come from the tables' one description (pipeline/schemas.py, which the pandera
models are built from; no pandas needed here) and the foreign keys from
the archive's own DDL (pipeline/storage/schema.py), so the package cannot disagree with the
checks the data passed. The same text is kept in schemas/datapackage.json.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from .schemas import INT, SPECS, Column
from .tables import TABLES
from .writers.atomic import write_bytes

FILE_NAME = "datapackage.json"
ENCODING = "utf-8-sig"  # UTF-8 with a byte-order mark, so that Excel shows Hangul

DESCRIPTION = (
    "Korean local-government 예산 전용 보고 (budget transfer reports) extracted by jeonyong: "
    "one row per report, per numbered transfer, per line of each 예산 현황 table and per audit "
    "finding. Amounts are integers in won (원), whatever unit the document prints. Files are "
    "UTF-8 with a byte-order mark (encoding utf-8-sig), comma-separated, CRLF line ends; an "
    "empty cell is a missing value. Formula-safe text: a text cell that would begin with =, "
    "+, -, @, a tab or a carriage return is written with a leading apostrophe (') so that "
    "spreadsheet programs never evaluate it as a formula (OWASP CSV injection); remove one "
    "leading apostrophe from such a cell to get the text as printed. Numbers are never "
    "changed. Keys: report_id (the sha256 of the source file's "
    "bytes; <sha256>#2 for the second report of a file holding several), transfer_seq, line."
)

_TYPES = {INT: "integer", "str": "string"}
# value check (pandera's Field keywords, as SPECS holds them) → Table Schema constraints
_CONSTRAINTS = {
    "str_matches": lambda v: {"pattern": _pattern(v)},
    "isin": lambda v: {"enum": list(v)},
    "eq": lambda v: {"enum": [v]},
    "ge": lambda v: {"minimum": v},
    "le": lambda v: {"maximum": v},
    "str_length": lambda v: {k: v[s] for k, s in (("minLength", "min_value"), ("maxLength", "max_value")) if v.get(s) is not None},
}


def _field(column: Column) -> dict:
    """One Table Schema field from one column of the description."""
    meta = column.metadata or {}
    if column.dtype not in _TYPES:
        raise ValueError(f"{column.name}: no Table Schema type for dtype {column.dtype}")
    ftype = meta.get("json") or _TYPES[column.dtype]
    field = {"name": column.name, "type": ftype}
    if column.title:
        field["title"] = column.title
    if column.description:
        field["description"] = column.description
    if meta.get("unit"):
        field["unit"] = meta["unit"]
    constraints: dict = {}
    for check, arg in column.checks.items():
        if check not in _CONSTRAINTS:
            raise ValueError(f"{column.name}: no Table Schema constraint for check {check}")
        constraints.update(_CONSTRAINTS[check](arg))
    if not column.nullable and not _may_be_empty(column, constraints):
        constraints["required"] = True
    if constraints:
        field["constraints"] = dict(sorted(constraints.items()))
    return field


def _pattern(regex: str) -> str:
    """Table Schema patterns match the whole value (XML Schema regular expressions), so the
    `^…$` anchors pandera needs are dropped."""
    return regex[1:-1] if regex.startswith("^") and regex.endswith("$") else regex


def _may_be_empty(column, constraints: dict) -> bool:
    """A text column that is never null may still hold '' (a blank 통계목 code, say): in CSV
    that is an empty cell, which Table Schema reads as missing, so it cannot be `required`."""
    if column.dtype != "str":
        return False
    if constraints.get("minLength", 0) >= 1:
        return False
    if "enum" in constraints:
        return "" in constraints["enum"]
    if "pattern" in constraints:
        return re.fullmatch(constraints["pattern"], "") is not None
    return True


@lru_cache(maxsize=1)
def _foreign_keys() -> dict[str, list[dict]]:
    """table → its Table Schema foreign keys, as the archive's DDL declares them."""
    from .storage.schema import empty_archive

    with empty_archive() as conn:
        out: dict[str, list[dict]] = {}
        for name in TABLES:
            by_id: dict[int, list] = {}
            for row in conn.execute(f"PRAGMA foreign_key_list(\"{name}\")"):
                fk_id, seq, other, src, dst = row[0], row[1], row[2], row[3], row[4]
                by_id.setdefault(fk_id, []).append((seq, other, src, dst))
            keys = []
            for fk_id in sorted(by_id):
                parts = sorted(by_id[fk_id])
                if parts[0][1] in TABLES:
                    keys.append({
                        "fields": [p[2] for p in parts],
                        "reference": {"resource": parts[0][1], "fields": [p[3] for p in parts]},
                    })
            out[name] = sorted(keys, key=lambda k: k["fields"])
        return out


def table_schema(table: str) -> dict:
    spec = SPECS[table]
    out = {
        "fields": [_field(col) for col in spec.columns],
        "missingValues": [""],
        "primaryKey": list(spec.unique),
    }
    fks = _foreign_keys()[table]
    if fks:
        out["foreignKeys"] = fks
    return out


def descriptor() -> dict:
    """The whole data package as a dict (Frictionless Data Package v1, tabular)."""
    resources = []
    for name in TABLES:
        spec = SPECS[name]
        resources.append({
            "name": name,
            "path": f"{name}.csv",
            "profile": "tabular-data-resource",
            "title": spec.title,
            "description": spec.description,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": ENCODING,
            "dialect": {"delimiter": ",", "doubleQuote": True, "header": True, "lineTerminator": "\r\n", "quoteChar": '"'},
            "schema": table_schema(name),
        })
    return {
        "profile": "tabular-data-package",
        "name": "jeonyong-budget-transfers",
        "title": "예산 전용 보고 (budget transfer reports)",
        "description": DESCRIPTION,
        "version": "1",  # the output contract's schema_version
        "keywords": ["예산 전용", "budget transfer", "지방재정법 제49조", "audit"],
        "resources": resources,
    }


def descriptor_text() -> str:
    return json.dumps(descriptor(), ensure_ascii=False, indent=2) + "\n"


def write_datapackage(out_dir) -> Path:
    """Write DIR/datapackage.json (atomically) beside the four CSV tables."""
    target = Path(out_dir) / FILE_NAME
    write_bytes(target, descriptor_text().encode("utf-8"))
    return target
