"""`jeonyong serve`: the archive in Datasette, for real. The command is started on a free
loopback port, its pages and JSON API are fetched over HTTP, and what they say is checked
against the archive read directly with sqlite3 and against the reports' own JSON."""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import quote, urlencode
from urllib.request import Request, urlopen

import pytest

from pipeline.storage.archive import Archive, SourceFile
from pipeline.extract import parse_file
from pipeline.overview import transfer_flows
from pipeline.storage.serve import INSTALL_HINT, archive_columns, column_doc, datasette_metadata, table_doc, won_html

from conftest import ROOT, SAMPLES, SEED, run_cli


FACETED = ("fiscal_year", "quarter", "office", "check", "severity")


def _archive_from(files, target: Path) -> list[dict]:
    docs = []
    with Archive(target) as a:
        for p in files:
            doc = parse_file(p).to_json()
            a.add_report(doc, [SourceFile(doc["source"]["path"], doc["source"]["sha256"])])
            docs.append(doc)
    return docs


class Server:
    def __init__(self, archive: Path, *args):
        self.proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "serve", str(archive), "--port", "0", *args],
                                     cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     start_new_session=True)
        self.lines = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = self.proc.stderr.readline()
            if not line:
                break
            self.lines.append(line.rstrip("\n"))
            m = re.search(r"(http://127\.0\.0\.1:\d+)/(\S+)", line)
            if m:
                self.base, self.db = m.group(1), m.group(2)
                return
        self.stop()
        raise AssertionError(f"jeonyong serve did not start: {self.lines}")

    def get(self, path: str, **params):
        url = self.base + path + ("?" + urlencode(params, doseq=True) if params else "")
        try:
            with urlopen(url, timeout=30) as r:
                return r.status, r.read().decode("utf-8")
        except HTTPError as e:
            return e.code, e.read().decode("utf-8", "replace")

    def json(self, path: str, **params):
        status, body = self.get(path, **params)
        assert status == 200, (path, params, body[:500])
        return json.loads(body)

    def rows(self, query: str, **params) -> list[dict]:
        return self.json(f"/{self.db}/{query}.json", _shape="array", **params)

    def stop(self) -> int:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        self.proc.stdout.close()
        self.proc.stderr.close()
        return self.proc.returncode


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    d = tmp_path_factory.mktemp("serve")
    files = sorted(SAMPLES.glob("*.txt")) + sorted(SAMPLES.glob("err_*.pdf"))
    target = d / "archive.sqlite"
    docs = _archive_from(files, target)
    assert not Path(f"{target}-wal").exists()  # closed cleanly: everything is in the file
    before = hashlib.sha256(target.read_bytes()).hexdigest(), target.stat().st_mtime_ns
    server = Server(target)
    yield server, target, docs
    assert server.stop() == 0  # Ctrl-C ends it cleanly
    # nothing the tests did wrote to the archive
    assert (hashlib.sha256(target.read_bytes()).hexdigest(), target.stat().st_mtime_ns) == before
    assert not Path(f"{target}-wal").exists() and not Path(f"{target}-shm").exists()


def _db(target: Path):
    return sqlite3.connect(f"file:{target}?mode=ro&immutable=1", uri=True)


def test_pages_and_json_api_show_the_archive(served):
    server, target, docs = served
    assert server.db == "archive" and "read-only" in server.lines[-1]
    status, home = server.get("/")
    assert status == 200 and "예산 전용 보고" in home
    status, page = server.get(f"/{server.db}")
    assert status == 200
    for title in ("findings by check", "money moved from one 통계목 to another", "the lines and findings of one report",
                  "reports whose arithmetic failed, by year"):
        assert title in page
    with _db(target) as conn:
        for table in ("reports", "transfers", "budget_lines", "findings"):
            n = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            assert server.json(f"/{server.db}/{table}.json", _size=0)["filtered_table_rows_count"] == n > 0
        want = sorted(tuple(r) for r in conn.execute('SELECT "report_id", "finding_no", "check", "actual" FROM findings'))
    got = server.rows("findings", _size="max", _col=["check", "actual"])
    assert sorted((r["report_id"], r["finding_no"], r["check"], r["actual"]) for r in got) == want
    assert len(want) == sum(len(d["findings"]) for d in docs)


def test_tables_carry_their_descriptions_units_and_labels(served):
    server, target, docs = served
    served_db = server.json("/-/metadata.json")["databases"][server.db]
    ours = json.loads(json.dumps(datasette_metadata(server.db)))["databases"][server.db]
    tables = served_db["tables"]
    assert tables == ours["tables"]
    for name, query in ours["queries"].items():  # Datasette adds keys of its own to a query it has shown
        assert {k: served_db["queries"][name][k] for k in query} == query
    status, page = server.get(f"/{server.db}/finding_details")
    assert status == 200
    import html

    text = html.unescape(page)
    for column in archive_columns()["finding_details"]:
        assert f"<dt>{column}</dt><dd>{column_doc('finding_details', column).text()}</dd>" in text
    assert table_doc("finding_details")[0] in text
    # every amount is shown exactly, in won; other numbers are left alone
    line = docs[0]["transfers"][0]["budget"]["lines"][0]
    status, page = server.get(f"/{server.db}/budget_lines", report_id=docs[0]["source"]["sha256"])
    assert f'<span class="won">{line["before"]:,}원</span>' in page
    assert re.search(r'col-before[^>]*><span class="won">', page) and not re.search(r'col-line[^>]*><span class="won">', page)
    assert "(won, 원)" in tables["budget_lines"]["columns"]["before"] and "원" not in tables["budget_lines"]["columns"]["line"]
    # numeric filters work on amounts (Datasette's Pint units would break __in)
    rows = server.rows("budget_lines", before__in=f"{line['before']},0", report_id=docs[0]["source"]["sha256"])
    assert rows and all(r["before"] in (line["before"], 0) for r in rows)
    assert won_html(1_234_567_891) == '<span class="won">1,234,567,891원</span>'
    # a table cell reads as words; a report_id leads to that report's lines and findings
    cell = next(ln["loc"]["cell"] for d in docs for t in d["transfers"] for ln in t["budget"]["lines"] if ln["loc"]["cell"])
    assert f"table {cell[0]} · row {cell[1]} · col {cell[2]}" in html.unescape(server.get(f"/{server.db}/budget_lines", _size="max")[1])
    status, page = server.get(f"/{server.db}/finding_details")
    link = re.search(r'href="(/[^"]+/report_lines_and_findings\?report=([0-9a-f]{64}))"', page)
    assert link and link.group(2) in {d["source"]["sha256"] for d in docs}
    status, page = server.get(link.group(1))
    assert status == 200 and link.group(2)[:12] in page
    # labels: a transfer's report is shown by the report's title
    first = server.json(f"/{server.db}/transfers.json", _labels="on", _size=1, _shape="array")[0]
    title = next(d["title"] for d in docs if d["source"]["sha256"] == first["report_id"]["value"])
    assert first["report_id"]["label"] == title


def test_facets_count_what_the_archive_holds(served):
    server, target, _ = served
    data = server.json(f"/{server.db}/finding_details.json", _size=0)
    assert set(data["facet_results"]) == set(FACETED)
    with _db(target) as conn:
        for column in FACETED:
            want = {(v if v is not None else None): n for v, n in conn.execute(
                f'SELECT "{column}", count(*) FROM finding_details GROUP BY "{column}"')}
            got = {r["value"]: r["count"] for r in data["facet_results"][column]["results"]}
            assert got == want, column
    reports = server.json(f"/{server.db}/reports.json", _size=0)
    assert {"fiscal_year", "quarter", "office"} <= set(reports["facet_results"])


def test_sorting_is_offered_where_it_makes_sense(served):
    server, _, _ = served
    rows = server.rows("budget_lines", _sort_desc="before", _size="max")
    assert [r["before"] for r in rows] == sorted((r["before"] for r in rows), reverse=True)
    status, body = server.get(f"/{server.db}/transfers.json", _sort="reasons")  # long text: not sortable
    assert status != 200 and "Cannot sort table by reasons" in body


def test_canned_query_findings_by_check_gives_each_place(served):
    server, _, docs = served
    rows = server.rows("findings_by_check", check="row_balance")
    want = [(d["source"]["path"], f) for d in docs for f in d["findings"] if f["check"] == "row_balance"]
    assert len(rows) == len(want) > 0 and {r["check"] for r in rows} == {"row_balance"}
    by_path = {p: f for p, f in want}
    for r in rows:
        f = by_path[r["source_path"]]
        loc = f["loc"]
        assert (r["expected"], r["actual"], r["message"]) == (f["expected"], f["actual"], f["message"])
        if loc.get("page"):
            assert r["place"].startswith(f"p.{loc['page']} ") and "bbox " in r["place"]
        if loc.get("line"):
            assert f"line {loc['line']}" in r["place"]
        if loc.get("cell"):
            t, row, col = loc["cell"]
            assert f"table {t} · row {row} · col {col}" in r["place"]
    assert any(p.endswith(".pdf") for p in by_path) and any(p.endswith(".txt") for p in by_path)
    everything = server.rows("findings_by_check", check="")
    assert len(everything) == sum(len(d["findings"]) for d in docs)


def test_canned_query_money_moved_agrees_with_the_overview(served):
    server, _, docs = served
    want: dict = defaultdict(int)
    for d in docs:
        for t in d["transfers"]:
            for src, dst, won in transfer_flows(t):
                want[(src, dst)] += won
    rows = server.rows("money_moved", from_stat="", to_stat="", _size="max")
    assert {(r["from_stat"], r["to_stat"]): r["moved_won"] for r in rows} == dict(want)
    some = rows[0]["from_stat"].split(" (")[0]
    only = server.rows("money_moved", from_stat=some, to_stat="")
    assert only and all(some in r["from_stat"] for r in only)


def test_canned_query_the_lines_and_findings_of_one_report(served):
    server, _, docs = served
    doc = next(d for d in docs if d["source"]["path"].endswith("err_column_total_001.pdf"))
    rid = doc["source"]["sha256"]
    for key in (rid, rid[:12], "err_column_total_001.pdf"):
        rows = server.rows("report_lines_and_findings", report=key)
        assert {r["report_id"] for r in rows} == {rid}, key
        lines = [(r["transfer_seq"], r["line"]) for r in rows if r["line"] is not None]
        want_lines = [(t["seq"], n) for t in doc["transfers"] for n in range(1, len(t["budget"]["lines"]) + 1)]
        assert sorted(set(lines)) == want_lines
        assert sorted((r["check"], r["message"]) for r in rows if r["check"]) == \
            sorted((f["check"], f["message"]) for f in doc["findings"])
    assert server.rows("report_lines_and_findings", report="") == []


def test_canned_query_reports_whose_arithmetic_failed_by_year(served):
    server, _, docs = served
    rows = server.rows("failed_arithmetic_by_year", fiscal_year="")
    failed = {d["source"]["sha256"] for d in docs if any(f["severity"] == "error" for f in d["findings"])}
    assert {r["report_id"] for r in rows} == failed
    years = [r["fiscal_year"] for r in rows]
    assert years == sorted(years, reverse=True)
    for r in rows:
        assert r["failed_that_year"] == sum(1 for x in rows if x["fiscal_year"] == r["fiscal_year"])
        assert r["reports_that_year"] == sum(1 for d in docs if d["fiscal_year"] == r["fiscal_year"])
    year = rows[0]["fiscal_year"]
    assert {r["fiscal_year"] for r in server.rows("failed_arithmetic_by_year", fiscal_year=str(year))} == {year}


def test_nothing_can_write(served):
    server, target, _ = served
    dbs = server.json("/-/databases.json")
    assert [d["is_mutable"] for d in dbs if d["name"] == server.db] == [False]
    for sql in ("DELETE FROM reports", "INSERT INTO meta VALUES ('x', 'y')", "SELECT 1; DELETE FROM reports",
                "UPDATE findings SET severity = 'warning'", "DROP TABLE findings", "PRAGMA journal_mode = DELETE"):
        status, body = server.get(f"/{server.db}.json", sql=sql)
        assert status == 400, (sql, body[:200])
    for path, body in ((f"/{server.db}/findings_by_check", b"check=row_balance"),
                       (f"/{server.db}/reports/-/insert", b'{"row": {"report_id": "x"}}'),
                       (f"/{server.db}/-/query", b"sql=DELETE+FROM+reports")):
        try:
            urlopen(Request(server.base + path, data=body, method="POST"), timeout=30)
            raise AssertionError(f"POST {path} was accepted")
        except HTTPError as e:
            assert e.code == 405, (path, e.code)
    with _db(target) as conn:
        assert conn.execute("SELECT count(*) FROM reports").fetchone()[0] > 0


def test_every_table_and_column_of_the_archive_is_described():
    for table, columns in archive_columns().items():
        ko, en = table_doc(table)
        assert ko and en, table
        for column in columns:
            doc = column_doc(table, column)
            assert doc.ko and doc.en and re.search(r"[가-힣]", doc.ko), (table, column)


def test_without_datasette_one_line_and_status_2(tmp_path):
    code = ("import sys; sys.modules['datasette'] = None; sys.argv = ['jeonyong', 'serve', sys.argv[1]]; "
            "from pipeline.cli import run; run()")
    r = subprocess.run([sys.executable, "-c", code, str(tmp_path / "a.sqlite")], capture_output=True, text=True,
                       cwd=ROOT, timeout=60)
    assert r.returncode == 2 and r.stderr.strip() == INSTALL_HINT


def test_unservable_archives_are_one_line(tmp_path):
    foreign = tmp_path / "foreign.sqlite"
    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.commit()
    for bad, why in ((tmp_path / "missing.sqlite", "no such archive"), (tmp_path, "is a folder"), (SEED, "not a usable"),
                     (foreign, "not a jeonyong archive")):
        r = run_cli("serve", bad, "--port", "0")
        lines = r.stderr.strip().splitlines()
        assert r.returncode == 2 and len(lines) == 1 and lines[0].startswith(f"{bad}: ") and why in lines[0], r.stderr


def test_busy_port_and_pending_changes(served, tmp_path):
    server, target, _ = served
    port = server.base.rsplit(":", 1)[1]
    r = run_cli("serve", target, "--port", port)
    assert r.returncode == 2 and r.stderr.strip() == f"127.0.0.1:{port}: cannot listen (Address already in use); " \
                                                     "choose another --port or --host"
    # changes still in the write-ahead log are not visible to an immutable reader: say so
    copy = tmp_path / "copy.sqlite"
    shutil.copy(target, copy)
    Path(f"{copy}-wal").write_bytes(b"\0" * 4096)
    second = Server(copy)
    try:
        assert any("copy.sqlite-wal: 4,096 bytes of changes not yet in the archive file" in line for line in second.lines)
        assert second.json(f"/{second.db}/reports.json", _size=0)["filtered_table_rows_count"] > 0
    finally:
        assert second.stop() == 0


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium not installed")
def test_a_browser_runs_the_page_script(served, tmp_path):
    """Headless Chromium loads a table page: the column descriptions fold into a <details>
    and every column header carries its description (the page script ran)."""
    server, _, _ = served
    r = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run",
                        f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom",
                        f"{server.base}/{server.db}/budget_lines"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-500:]
    assert '<details class="column-descriptions">' in r.stdout
    assert f'title="{column_doc("budget_lines", "after").text()}"' in r.stdout
    assert re.search(r'<td class="[^"]*col-after[^"]*" style="text-align: right;[^"]*"><span class="won">', r.stdout)
