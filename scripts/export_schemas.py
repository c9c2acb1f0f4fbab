#!/usr/bin/env python3
"""Write the published data contract into schemas/ from the code (pipeline/contract.py).

    python scripts/export_schemas.py [OUT_DIR]

tests/test_schemas.py fails when schemas/ and the code disagree: run this after changing
pipeline/schemas.py, pipeline/tables.py or pipeline/contract.py.
"""
import sys
from pathlib import Path

from pipeline.contract import export_schemas

out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "schemas"
for p in export_schemas(out):
    print(p)
