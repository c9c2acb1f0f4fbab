"""Start-up: a command imports only what it uses. `--help`, `--version` and every command's
help need neither pandas/pandera (schema checks) nor the PDF libraries (PDF input)."""
import subprocess
import sys

import pytest

from conftest import ROOT

HEAVY = ("pandas", "pandera", "numpy", "pdfplumber", "pypdfium2", "openpyxl", "docx", "datasette")


def imported_by(*args: str) -> set[str]:
    """Every module `jeonyong ARGS` imports, as `python -X importtime` lists them."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "pipeline.cli", *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    names = {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert "pipeline.cli" in names or "typer" in names  # the listing is really there
    return names


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["extract", "--help"], ["serve", "--help"], ["ingest", "--help"]],
                         ids=" ".join)
def test_help_and_version_import_nothing_heavy(args):
    names = imported_by(*args)
    assert not {n for n in names if n.split(".")[0] in HEAVY}


def test_extracting_a_text_report_imports_no_pdf_or_dataframe_library():
    names = imported_by("extract", str(ROOT / "samples" / "000_seed.txt"))
    assert "pipeline.readers.text" in names
    assert not {n for n in names if n.split(".")[0] in HEAVY}


def test_writing_the_csv_tables_and_data_package_imports_no_dataframe_library(tmp_path):
    names = imported_by("extract", str(ROOT / "samples" / "000_seed.txt"), "--format", "csv", "--out", str(tmp_path))
    assert (tmp_path / "datapackage.json").exists()
    assert "pipeline.datapackage" in names
    assert not {n for n in names if n.split(".")[0] in HEAVY}
