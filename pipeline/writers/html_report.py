"""The auditor's page: one self-contained HTML file (no network, no scripts, no web fonts).

Built from report JSON dicts (a fresh parse or an archive, it does not matter):

- counts by check and by report;
- for every transfer with a finding, its budget table rebuilt as printed (in the table's
  unit), the faulty cells highlighted with the expected figure beside the printed one, and,
  for a PDF source, a picture of the table's region with the faulty cells outlined;
- report-level findings, clean reports listed as clean, unreadable files with the reason;
- optionally an overview of many reports (charts, largest 통계목 flows, 통계목 code/name
  conflicts across reports).

Every highlighted element carries `class="bad"`, `data-findings` (ids of the findings it
shows), `data-line` (1-based line, or `total`) and `data-field` (the contract's field name),
so the page can be checked by machine as well as read.
"""
from __future__ import annotations

import datetime as _dt
from collections import Counter, defaultdict
from decimal import Decimal
from html import escape
from typing import Iterable, Optional, Sequence

from ..audit import CHECKS, doc_status, doc_unchecked
from ..domain.figures import UNIT_WON
from ..domain.labels import CHECK_KO, FIELD_KO, TEXT_COLUMNS_KO as TEXT_COLS
from ..records import MONEY_FIELDS, report_id_of
from . import svg_charts
from .atomic import write_bytes
from .pdf_snippets import SourcePDF

CSS = """
:root{--err:#d7191c;--errbg:#fde0dd;--warn:#e68a00;--warnbg:#fff1d6;--ok:#1a7f37;--ink:#1f2328;--mut:#59636e;--line:#d0d7de}
*{box-sizing:border-box}
body{font-family:'Noto Sans CJK KR','Noto Sans KR','NanumGothic','Nanum Gothic','Malgun Gothic','Apple SD Gothic Neo',sans-serif;
 color:var(--ink);margin:0 auto;max-width:1320px;padding:20px 28px;line-height:1.5;font-size:14px;word-break:keep-all}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:30px 0 8px;border-bottom:2px solid var(--ink);padding-bottom:3px}
h3{font-size:16px;margin:22px 0 6px}h4{font-size:14px;margin:14px 0 4px}
.meta{color:var(--mut);font-size:13px}
table{border-collapse:collapse;margin:6px 0 10px}
th,td{border:1px solid var(--line);padding:3px 7px;vertical-align:middle}
th{background:#f3f5f7;font-weight:600;text-align:center}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.budget td.txt{max-width:190px}
table.budget tr.total td{font-weight:600;background:#fafbfc}
table.budget tr.total.computed td{font-style:italic;color:var(--mut)}
td.ln{color:var(--mut);text-align:center}
.bad.sev-error{background:var(--errbg);outline:2px solid var(--err);outline-offset:-2px}
.bad.sev-warning{background:var(--warnbg);outline:2px solid var(--warn);outline-offset:-2px}
.bad .printed{font-weight:700;text-decoration:line-through;text-decoration-color:var(--err)}
.bad.sev-warning .printed{text-decoration-color:var(--warn)}
.expected{display:block;font-size:12px;color:var(--ok);font-weight:700}
.expected::before{content:"→ 기대값 "}
.expected.limit::before{content:"→ 한도 "}
span.fact{padding:1px 5px;border-radius:3px}
.badge{display:inline-block;font-size:11px;padding:0 6px;border-radius:9px;color:#fff;margin-right:5px;vertical-align:1px}
.badge.error{background:var(--err)}.badge.warning{background:var(--warn)}.badge.clean{background:var(--ok)}
ol.findings li{margin:3px 0}
.where{color:var(--mut);font-size:12px}
figure{margin:8px 0 14px}figure img{max-width:100%;border:1px solid var(--line)}
figcaption{font-size:12px;color:var(--mut)}
article.report{border-top:1px solid var(--line);margin-top:18px}
.status-error{color:var(--err);font-weight:700}.status-warning{color:var(--warn);font-weight:700}.status-clean{color:var(--ok);font-weight:700}.status-unchecked{color:var(--warn);font-weight:700}
ul.clean li{margin:2px 0}
.charts{display:flex;flex-wrap:wrap;gap:16px 32px}.charts>div{flex:0 0 auto}
.note{color:var(--mut);font-size:12px}
nav.toc{margin:6px 0 0;font-size:13px}nav.toc a{color:#0b57d0}
details>summary{cursor:pointer}details>summary h2{border:0}
@media print{body{max-width:none;padding:0}article.report{break-inside:avoid-page}}
"""


def fmt_unit(won: Optional[int], unit: str) -> str:
    """A won figure in the table's unit, as the documents print it: `355,000`, `-`, `△1,000`."""
    if won is None:
        return ""
    if won == 0:
        return "-"
    factor = UNIT_WON.get(unit or "원", 1)
    q = Decimal(abs(won)) / factor
    if q == q.to_integral_value():
        s = f"{int(q):,}"
    else:
        s = f"{q:,.3f}".rstrip("0").rstrip(".")
    return ("△" if won < 0 else "") + s


def fmt_won(v: Optional[int]) -> str:
    return "—" if v is None else f"{v:,}원"


def loc_text(loc: Optional[dict]) -> str:
    """Where a figure sits in the source, in words an auditor can follow."""
    if not loc:
        return "위치 정보 없음"
    parts = []
    if loc.get("section") is not None:
        parts.append(f"구역 {loc['section']}")
    if loc.get("page") is not None:
        parts.append(f"{loc['page']}쪽")
    if loc.get("line") is not None:
        parts.append(f"{loc['line']}번째 줄")
    if loc.get("paragraph") is not None and loc.get("cell") is None:
        parts.append(f"문단 {loc['paragraph']}")
    if loc.get("cell"):
        t, r, c = loc["cell"]
        parts.append(f"표 {t}, {r}행 {c}열")
    if loc.get("bbox"):
        x0, top, x1, bottom = loc["bbox"]
        parts.append(f"영역 ({x0:.0f}, {top:.0f})–({x1:.0f}, {bottom:.0f}) pt")
    return ", ".join(parts) or "위치 정보 없음"


def _report_anchor(doc: dict) -> str:
    sha, _, place = report_id_of(doc).partition("#")
    return "r-" + sha[:16] + (f"-{place}" if place else "")


def _counts(doc: dict) -> tuple[int, int]:
    errors = sum(1 for f in doc.get("findings", []) if f["severity"] == "error")
    return errors, len(doc.get("findings", [])) - errors


def _status(doc: dict) -> str:
    """error, unchecked (a table or figure could not be read: never clean), warning or clean."""
    return doc_status(doc)


STATUS_KO = {"error": "오류", "warning": "경고", "unchecked": "미검증", "clean": "정상"}


def _unchecked_note(doc: dict) -> str:
    why = doc_unchecked(doc)
    if not why:
        return ""
    return ('<div class="unchecked"><p class="status-unchecked">미검증: 읽지 못한 표나 숫자가 있어 이 보고서는 다 검증되지 않았습니다.</p><ul>'
            + "".join(f"<li>{escape(w)}</li>" for w in why) + "</ul></div>")


def _head(doc: dict) -> str:
    y, q = doc.get("fiscal_year"), doc.get("quarter")
    period = f"{y} 회계연도 {q}/4분기" if y and q else (f"{y} 회계연도" if y else "연도 미상")
    return f"{period} · {doc.get('office') or '부서 미상'}"


def finding_target(f: dict, transfer: Optional[dict]) -> Optional[tuple]:
    """The element of the rebuilt transfer a finding names: ('cell', line|'total', field)
    or ('fact', field); None for a finding with nothing to point at."""
    if transfer is None:
        return None
    fld = f.get("field")
    if fld == "amount_won":
        return ("fact", "amount_won")
    if fld == "date":
        return ("fact", "date")
    lines = (transfer.get("budget") or {}).get("lines") or []
    line = f.get("line")
    if line is not None:
        if not (1 <= line <= len(lines)):
            return None
        if fld in MONEY_FIELDS:
            return ("cell", line, fld)
        return ("cell", line, "stat_code")  # stat_code_name names the line's 통계목
    if fld in MONEY_FIELDS and transfer.get("budget"):
        return ("cell", "total", fld)
    return None


class _Marks:
    """Which findings each element of one transfer shows."""

    def __init__(self):
        self.by_target: dict = defaultdict(list)

    def add(self, target, fid: str, f: dict) -> None:
        self.by_target[target].append((fid, f))

    def attrs(self, target, base_class: str = "") -> str:
        items = self.by_target.get(target, [])
        cls = base_class
        extra = ""
        if target[0] == "cell":
            extra = f' data-line="{target[1]}" data-field="{target[2]}"'
        else:
            extra = f' data-field="{target[1]}"'
        if items:
            sev = "error" if any(f["severity"] == "error" for _, f in items) else "warning"
            cls = f"{cls} bad sev-{sev}".strip()
            tip = " / ".join(f["message"] for _, f in items)
            extra += f' data-findings="{" ".join(fid for fid, _ in items)}" title="{escape(tip)}"'
        return (f' class="{cls}"' if cls else "") + extra

    def expected(self, target, fmt) -> str:
        out, seen = [], set()
        for _, f in self.by_target.get(target, []):
            exp = f.get("expected")
            if exp is None or exp == f.get("actual") or exp in seen:
                continue
            seen.add(exp)
            cls = "expected limit" if f["check"] == "overdraw" else "expected"  # overdraw: the most it may be
            out.append(f'<span class="{cls}" title="{escape(CHECK_KO.get(f["check"], f["check"]))}">{escape(fmt(exp))}</span>')
        return "".join(out)


def _spans(lines: list[dict]) -> list[list[int]]:
    """rowspan for the text columns: a cell merges with the one above when it repeats the
    line above and the column to its left is merged there too (as merged cells print)."""
    n = len(lines)
    spans = [[1] * len(TEXT_COLS) for _ in range(n)]
    for c, (key, _) in enumerate(TEXT_COLS):
        start = 0
        for i in range(1, n):
            if lines[i].get(key) == lines[i - 1].get(key) and (c == 0 or spans[i][c - 1] == 0):
                spans[start][c] += 1
                spans[i][c] = 0
            else:
                start = i
    return spans


def _budget_table(t: dict, marks: _Marks) -> str:
    b = t.get("budget")
    if not b:
        return '<p class="note">이 항목에는 예산 현황 표가 없습니다.</p>'
    unit = b.get("unit") or "원"
    lines = b.get("lines") or []
    fmt = lambda v: fmt_unit(v, unit)  # noqa: E731
    out = [
        f'<table class="budget" data-transfer="{t["seq"]}">',
        f'<caption class="note" style="caption-side:top;text-align:right">(단위 : {escape(unit)})</caption>',
        "<thead><tr>"
        '<th rowspan="2">행</th><th rowspan="2">부서명</th><th rowspan="2">정책사업</th><th colspan="3">예산과목</th>'
        '<th rowspan="2">예산현액</th><th colspan="2">증감내역</th><th rowspan="2">전용 후<br>예산현액</th></tr>'
        "<tr><th>단위사업</th><th>세부사업</th><th>통계목</th><th>감</th><th>증</th></tr></thead><tbody>",
    ]
    spans = _spans(lines)
    for n, ln in enumerate(lines, start=1):
        row = [f'<tr data-line="{n}"><td class="ln" title="{escape(loc_text(ln.get("loc")))}">{n}</td>']
        for c, (key, _) in enumerate(TEXT_COLS):
            span = spans[n - 1][c]
            if span == 0:
                continue
            rs = f' rowspan="{span}"' if span > 1 else ""
            row.append(f'<td class="txt"{rs}>{escape(ln.get(key) or "")}</td>')
        stat = f'{ln.get("stat_code") or ""} {ln.get("stat_name") or ""}'.strip()
        row.append(f'<td{marks.attrs(("cell", n, "stat_code"), "txt")}><span class="printed">{escape(stat)}</span></td>')
        for fld in MONEY_FIELDS:
            target = ("cell", n, fld)
            row.append(
                f'<td{marks.attrs(target, "num")}><span class="printed">{escape(fmt(ln.get(fld)))}</span>'
                f"{marks.expected(target, fmt)}</td>"
            )
        row.append("</tr>")
        out.append("".join(row))
    total = b.get("total")
    computed = total is None
    if computed:
        total = {f: sum(ln.get(f) or 0 for ln in lines) for f in MONEY_FIELDS}
        label = "합계 (계산값: 표에 총계 없음)"
    else:
        label = "총 계"
    row = [f'<tr class="total{" computed" if computed else ""}" data-line="total"><td colspan="6">{label}</td>']
    for fld in MONEY_FIELDS:
        target = ("cell", "total", fld)
        row.append(
            f'<td{marks.attrs(target, "num")}><span class="printed">{escape(fmt(total.get(fld)))}</span>'
            f"{marks.expected(target, fmt)}</td>"
        )
    row.append("</tr>")
    out.append("".join(row))
    out.append("</tbody></table>")
    return "".join(out)


def _facts(t: dict, marks: _Marks, unit: str) -> str:
    tr = t.get("transfer") or {}
    amt = tr.get("amount_won")
    a_target, d_target = ("fact", "amount_won"), ("fact", "date")
    amount_fmt = lambda v: f"{fmt_unit(v, unit)}{unit} ({fmt_won(v)})" if v else fmt_won(v)  # noqa: E731
    return (
        '<table class="facts"><tr><th>전용금액 (전용개요)</th>'
        f'<td{marks.attrs(a_target, "num")}><span class="printed">{escape(amount_fmt(amt) if amt is not None else "없음")}</span>'
        f"{marks.expected(a_target, amount_fmt)}</td>"
        f'<th>전용일자</th><td{marks.attrs(d_target)}><span class="printed">{escape(tr.get("date") or "없음")}</span></td></tr></table>'
    )


def _finding_li(fid: str, f: dict, unit: str) -> str:
    sev = f["severity"]
    figures = ""
    if f.get("actual") is not None or f.get("expected") is not None:
        figures = (
            f' <span class="figs">인쇄값 <b>{escape(fmt_won(f.get("actual")))}</b>, '
            f'기대값 <b>{escape(fmt_won(f.get("expected")))}</b></span>'
        )
    where = []
    if f.get("line") is not None:
        where.append(f"{f['line']}행")
    if f.get("field"):
        where.append(FIELD_KO.get(f["field"], f["field"]))
    where_s = " · ".join(where)
    return (
        f'<li id="{fid}" class="finding" data-check="{escape(f["check"])}" data-severity="{escape(sev)}">'
        f'<span class="badge {escape(sev)}">{"오류" if sev == "error" else "경고"}</span>'
        f'<b>{escape(CHECK_KO.get(f["check"], f["check"]))}</b> <code>{escape(f["check"])}</code>'
        f'{" — " + escape(where_s) if where_s else ""}{figures}<br>{escape(f["message"])}'
        f'<br><span class="where">원본 위치: {escape(loc_text(f.get("loc")))}</span></li>'
    )


def _pdf_figures(src: Optional[SourcePDF], t: dict, items: list[tuple[str, dict]]) -> str:
    if src is None:
        return ""
    by_page: dict = defaultdict(list)
    for fid, f in items:
        loc = f.get("loc") or {}
        if loc.get("page") and loc.get("bbox"):
            by_page[loc["page"]].append((fid, f))
    if not by_page:
        return ""
    lines = ((t.get("budget") or {}).get("lines")) or []
    out = []
    for page_no in sorted(by_page):
        context = [ln["loc"]["bbox"] for ln in lines if (ln.get("loc") or {}).get("page") == page_no and ln["loc"].get("bbox")]
        marks = [(f["loc"]["bbox"], f["severity"]) for _, f in by_page[page_no]]
        uri = src.snippet(page_no, context, marks)
        names = ", ".join(fid.rsplit("-", 1)[-1] for fid, _ in by_page[page_no])
        if uri is None:
            if src.problem:
                out.append(f'<p class="note">원본 그림을 만들 수 없음: {escape(src.problem)}</p>')
            continue
        out.append(
            f'<figure class="pdf-snippet" data-page="{page_no}"><img alt="원본 {page_no}쪽의 표 영역" src="{uri}">'
            f"<figcaption>원본 PDF {page_no}쪽, 빨간 테두리가 지적된 숫자 (검증 결과 {escape(names)})</figcaption></figure>"
        )
    return "".join(out)


def _unplaced(doc: dict, src: Optional[SourcePDF] = None) -> str:
    """Printed lines the parser could not place, and schema problems: a figure there was
    not checked, so the auditor must see them."""
    out = []
    problems = doc.get("schema_errors") or []
    if problems:
        out.append(f'<p class="note status-warning">스키마 검증 문제 {len(problems)}건: ' + "; ".join(escape(p) for p in problems[:5]) + "</p>")
    unparsed = doc.get("unparsed") or []
    if unparsed:
        out.append(_folded(
            "unparsed", f'<span class="note status-warning">분류하지 못한 인쇄 줄 {len(unparsed)}개 (검사되지 않았을 수 있음)</span>',
            [f'<code>{escape((u.get("text") or "")[:200])}</code> — {escape(u.get("reason") or "")} '
             f'<span class="where">({escape(loc_text(u.get("loc")))})</span>' for u in unparsed], "줄"))
    notes = doc.get("notes") or []
    if notes:
        out.append(_folded(
            "reading-notes", f'<span class="note">판독 메모 {len(notes)}개 (원본만으로 정할 수 없어 한쪽으로 읽은 이름 등)</span>',
            [_ocr_crop(n, src) + f'<code>{escape(n.get("text") or "")}</code> — 다르게 읽으면 <code>{escape(n.get("alternative") or "")}</code>: '
             f'{escape(n.get("reason") or "")} <span class="where">({escape(loc_text(n.get("loc")))})</span>' for n in notes], "개"))
    return "".join(out)


def _ocr_crop(note: dict, src: Optional[SourcePDF]) -> str:
    """Beside an OCR reading to check (basis `ocr`): the cell as scanned."""
    loc = note.get("loc") or {}
    if src is None or note.get("basis") != "ocr" or not loc.get("page"):
        return ""
    uri = src.cell_crop(loc["page"], loc.get("bbox"))
    return f'<img class="ocr-crop" alt="원본 {loc["page"]}쪽의 판독 칸" src="{uri}"> ' if uri else ""


def _folded(cls: str, summary: str, items: list[str], unit: str, limit: int = 50) -> str:
    """A folded list of a report's items (HTML already escaped), the first `limit` shown."""
    more = f"<li>… 외 {len(items) - limit}{unit}</li>" if len(items) > limit else ""
    body = "".join(f"<li>{item}</li>" for item in items[:limit])
    return f'<details class="{cls}"><summary>{summary}</summary><ul>{body}{more}</ul></details>'


def _report_article(doc: dict, idx: int, pdf_images: bool, budget: list) -> str:
    findings = doc.get("findings", [])
    errors, warnings = _counts(doc)
    transfers = {t["seq"]: t for t in doc.get("transfers", [])}
    src_meta = doc.get("source") or {}
    out = [
        f'<article class="report" id="{_report_anchor(doc)}" data-report-id="{escape(report_id_of(doc))}" data-status="{_status(doc)}">',
        f'<h2>{escape(doc.get("title") or src_meta.get("path", ""))}</h2>',
        f'<p class="meta">{escape(_head(doc))} · 원본 <code>{escape(src_meta.get("path", ""))}</code> ({escape(src_meta.get("format", ""))}) · '
        f'<span class="status-{_status(doc)}">오류 {errors}건, 경고 {warnings}건</span></p>',
        _unchecked_note(doc),
    ]
    per_transfer: dict = defaultdict(list)
    report_level = []
    for k, f in enumerate(findings, start=1):
        fid = f"f{idx}-{k}"
        t = transfers.get(f.get("transfer_seq"))
        if t is None:
            report_level.append((fid, f))
        else:
            per_transfer[t["seq"]].append((fid, f))
    src = None
    if pdf_images and src_meta.get("format") in ("pdf", "image"):
        src = SourcePDF(doc)
    out.append(_unplaced(doc, src))
    if report_level:
        out.append('<h3>보고서 전체</h3><ol class="findings">')
        out.extend(_finding_li(fid, f, "원") for fid, f in report_level)
        out.append("</ol>")
    try:
        for seq in sorted(per_transfer):
            t = transfers[seq]
            items = per_transfer[seq]
            marks = _Marks()
            unplaced = []
            for fid, f in items:
                target = finding_target(f, t)
                if target is None:
                    unplaced.append(fid)
                else:
                    marks.add(target, fid, f)
            unit = ((t.get("budget") or {}).get("unit")) or "원"
            out.append(
                f'<section class="transfer" data-transfer="{seq}"><h3>{escape(t.get("label") or str(seq))}. {escape(t.get("title") or "")}</h3>'
                f'<p class="where">항목 위치: {escape(loc_text(t.get("loc")))}</p>'
            )
            out.append(_facts(t, marks, unit))
            out.append(_budget_table(t, marks))
            out.append('<ol class="findings">')
            out.extend(_finding_li(fid, f, unit) for fid, f in items)
            out.append("</ol>")
            causes = {f["cause"]["id"]: f["cause"] for _, f in items if f.get("cause")}
            out.extend(
                f'<p class="cause" data-cause="{c["id"]}" data-line="{c["line"] if c["line"] is not None else c["row"]}" '
                f'data-field="{escape(c["field"])}" data-explains="{" ".join(map(str, c["explains"]))}">'
                f'<strong>한 숫자로 설명됨:</strong> {escape(c["message"])} — 검증 결과 {", ".join(map(str, c["explains"]))}번, '
                f'위치 {escape(loc_text(c.get("loc")))}</p>' for c in causes.values())
            if budget[0] > 0 and src is not None:
                fig = _pdf_figures(src, t, items)
                budget[0] -= fig.count("<figure")
                out.append(fig)
            out.append("</section>")
    finally:
        if src is not None:
            src.close()
    out.append("</article>")
    return "".join(out)


def _summary(docs: list[dict], failures: Sequence[tuple[str, str]], archive=None) -> str:
    """Counts by report status and by check: of `docs`, or of the whole archive when an
    ArchiveSummary (storage/summary.py) is given."""
    if archive is not None:
        n = Counter(archive.counts)
        total, n_failed = archive.counts["reports"], archive.counts["failed"]
        by_check = Counter({k: v[0] for k, v in archive.by_check.items()})
        report_counts = {k: v[1] for k, v in archive.by_check.items()}
    else:
        by_check = Counter()
        reports_by_check: dict = defaultdict(set)
        for doc in docs:
            for f in doc.get("findings", []):
                by_check[f["check"]] += 1
                reports_by_check[f["check"]].add(report_id_of(doc))
        report_counts = {k: len(v) for k, v in reports_by_check.items()}
        n = Counter(_status(d) for d in docs)
        total, n_failed = len(docs), len(failures)
    out = [
        '<section id="summary"><h2>요약</h2>',
        f'<p id="report-counts" data-reports="{total}" data-error="{n["error"]}" data-warning="{n["warning"]}" '
        f'data-unchecked="{n["unchecked"]}" data-clean="{n["clean"]}" data-failed="{n_failed}">'
        f'보고서 {total}건: <span class="status-error">오류 있음 {n["error"]}건</span>, '
        f'<span class="status-warning">경고만 {n["warning"]}건</span>, '
        + (f'<span class="status-unchecked">미검증 {n["unchecked"]}건</span>, ' if n["unchecked"] else "")
        + f'<span class="status-clean">정상 {n["clean"]}건</span>'
        + (f', <span class="status-error">읽을 수 없는 파일 {n_failed}건</span>' if n_failed else "")
        + ".</p>",
        '<h3>검사별 건수</h3><table id="by-check"><thead><tr><th>검사</th><th>코드</th><th>심각도</th><th>건수</th><th>보고서 수</th></tr></thead><tbody>',
    ]
    for check, sev in CHECKS.items():
        n = by_check.get(check, 0)
        out.append(
            f'<tr data-check="{check}" data-count="{n}"><td>{escape(CHECK_KO[check])}</td><td><code>{check}</code></td>'
            f'<td>{"오류" if sev == "error" else "경고"}</td><td class="num">{n}</td><td class="num">{report_counts.get(check, 0)}</td></tr>'
        )
    for check in sorted(set(by_check) - set(CHECKS)):
        out.append(f'<tr data-check="{escape(check)}" data-count="{by_check[check]}"><td>{escape(check)}</td><td></td><td></td><td class="num">{by_check[check]}</td><td class="num">{report_counts.get(check, 0)}</td></tr>')
    out.append("</tbody></table></section>")
    return "".join(out)


def _by_report(docs: list[dict], failures: Sequence[tuple[str, str]], open_limit: int = 40) -> str:
    n = len(docs) + len(failures)
    out = [
        f'<section id="reports"><details{" open" if n <= open_limit else ""}><summary><h2 style="display:inline">보고서별 ({n}건)</h2></summary>',
        '<table id="by-report"><thead><tr><th>상태</th><th>보고서</th><th>연도</th><th>분기</th><th>부서</th>'
        "<th>전용 건수</th><th>오류</th><th>경고</th><th>원본 파일</th></tr></thead><tbody>",
    ]
    order = {"error": 0, "unchecked": 1, "warning": 2, "clean": 3}
    for doc in sorted(docs, key=lambda d: (order[_status(d)], d["source"]["path"])):
        st = _status(doc)
        e, w = _counts(doc)
        name = escape(doc.get("title") or "")
        if st != "clean":
            name = f'<a href="#{_report_anchor(doc)}">{name}</a>'
        label = STATUS_KO[st] + (" · 미검증" if st == "error" and doc_unchecked(doc) else "")
        out.append(
            f'<tr data-report-id="{escape(report_id_of(doc))}" data-status="{st}"><td class="status-{st}">{label}</td>'
            f'<td>{name}</td><td>{escape(str(doc.get("fiscal_year") or ""))}</td><td>{escape(str(doc.get("quarter") or ""))}</td>'
            f'<td>{escape(doc.get("office") or "")}</td><td class="num">{len(doc.get("transfers", []))}</td>'
            f'<td class="num">{e}</td><td class="num">{w}</td><td><code>{escape(doc["source"]["path"])}</code></td></tr>'
        )
    for path, why in failures:
        out.append(
            f'<tr data-status="failed"><td class="status-error">읽기 실패</td><td colspan="7">{escape(why)}</td>'
            f"<td><code>{escape(path)}</code></td></tr>"
        )
    out.append("</tbody></table></details></section>")
    return "".join(out)


def _overview_section(docs: list[dict], ov=None) -> str:
    from ..overview import build_overview

    ov = ov or build_overview(docs)
    anchors = {report_id_of(d): d for d in docs}
    count_fmt = lambda v: f"{int(v)}건"  # noqa: E731
    qwidth = 620 if len(ov.by_quarter) <= 12 else 1240
    out = [
        '<section id="overview"><h2>전체 현황</h2>',
        f"<p>보고서 {ov.n_reports}건, 전용 {ov.n_transfers}건.</p>",
        '<div class="charts">',
        f'<div><h4>연도별 보고서</h4>{svg_charts.column_chart(ov.by_year, "연도별 보고서 수", count_fmt, width=420)}</div>',
        f'<div><h4>분기별 보고서</h4>{svg_charts.column_chart(ov.by_quarter, "분기별 보고서 수", count_fmt, width=qwidth)}</div>',
        f'<div><h4>부서별 보고서</h4>{svg_charts.hbar_chart(ov.by_office[:20], "부서별 보고서 수", count_fmt, width=560)}</div>',
        f'<div><h4>분기별 전용 금액 (감 합계)</h4>{svg_charts.column_chart(ov.money_by_quarter, "분기별 전용 금액", svg_charts.won_short, width=qwidth)}</div>',
        "</div>",
    ]
    if len(ov.by_office) > 20:
        out.append(f'<p class="note">부서 {len(ov.by_office)}곳 중 상위 20곳만 표시.</p>')
    out.append("<h3>통계목 간 큰 흐름 (감 → 증)</h3>")
    out.append(
        '<p class="note">한 전용 안에서 감액된 통계목에서 증액된 통계목으로 옮겨 간 금액. 감·증 행이 여럿이면 증액 비율대로 나눔. '
        "같은 통계목끼리의 흐름은 세부사업 사이의 이동.</p>"
    )
    out.append(svg_charts.flow_chart([(f.src, f.dst, f.amount) for f in ov.flows], "통계목 간 전용 흐름"))
    if ov.flows:
        out.append('<table id="flows"><thead><tr><th>감액 통계목</th><th>증액 통계목</th><th>금액</th><th>전용 건수</th><th>보고서 수</th></tr></thead><tbody>')
        for f in ov.flows:
            out.append(
                f"<tr><td>{escape(f.src)}</td><td>{escape(f.dst)}</td><td class=\"num\">{escape(fmt_won(f.amount))}</td>"
                f'<td class="num">{f.transfers}</td><td class="num">{len(f.reports)}</td></tr>'
            )
        out.append("</tbody></table>")
    out.append("<h3>통계목 코드·명칭 불일치 (보고서 간)</h3>")
    if not ov.conflicts:
        out.append('<p id="conflicts" data-count="0" class="status-clean">보고서 사이에 같은 코드가 다른 이름으로, 같은 이름이 다른 코드로 쓰인 경우가 없습니다.</p>')
    else:
        out.append(
            f'<table id="conflicts" data-count="{len(ov.conflicts)}"><thead><tr><th>경고</th><th>표기</th><th>보고서 (전용·행)</th></tr></thead><tbody>'
        )
        for c in ov.conflicts:
            first = True
            for variant, wheres in c.variants.items():
                cells = []
                by_report: dict = defaultdict(list)
                for w in wheres:
                    by_report[w.report_id].append(w)
                shown_reports = list(by_report.items())
                for rid, ws in shown_reports[:25]:
                    d = anchors.get(rid)
                    name = escape(ws[0].path)
                    if d is not None and _status(d) != "clean":
                        name = f'<a href="#{_report_anchor(d)}">{name}</a>'
                    spots = ", ".join(f"{w.transfer_seq}번 전용 {w.line}행" for w in ws[:6]) + (" …" if len(ws) > 6 else "")
                    cells.append(f'<span data-report-id="{escape(rid)}">{name} ({escape(spots)})</span>')
                if len(shown_reports) > 25:
                    cells.append(f'<span class="note">… 외 {len(shown_reports) - 25}건</span>')
                head = f'<td rowspan="{len(c.variants)}"><span class="badge warning">경고</span><code>stat_code_name</code> {escape(c.message())}</td>' if first else ""
                out.append(f"<tr class=\"conflict\" data-kind=\"{c.kind}\" data-key=\"{escape(c.key)}\">{head}<td>{escape(variant)}</td><td>{'<br>'.join(cells)}</td></tr>")
                first = False
        out.append("</tbody></table>")
    out.append("</section>")
    return "".join(out)


def _archive_note(archive, shown: int, failures_shown: int) -> str:
    """Where the rest of a large archive is: the page shows the worst reports only."""
    c = archive.counts
    rest = c["reports"] - c["clean"] - shown
    a = escape(archive.archive)
    return (
        f'<p class="note" id="archive-note" data-shown="{shown}">가장 심각한 보고서 {shown}건만 아래에 자세히 보입니다'
        + (f" (검증 결과가 있거나 미검증인 나머지 {rest}건과 정상 {c['clean']}건은 생략)" if rest > 0 or c["clean"] else "")
        + f". 전체 목록과 검색: <code>jeonyong serve {a}</code> → <code>report_overview</code>, <code>finding_details</code>; "
        f"골라 보기: <code>jeonyong audit --archive {a} --severity error --office … --year …</code>"
        + (f"; 실패한 파일 {c['failed']}건 중 {failures_shown}건만 표시 — 전체: <code>jeonyong failures --archive {a}</code>"
           if c["failed"] > failures_shown else "")
        + ".</p>"
    )


def _nav(overview: bool, failures: bool) -> str:
    links = [("summary", "요약")] + ([("overview", "전체 현황")] if overview else []) + [
        ("reports", "보고서별"), ("findings", "검증 결과"), ("clean", "정상 보고서")] + ([("failed", "읽을 수 없는 파일")] if failures else [])
    return '<nav class="toc">' + " · ".join(f'<a href="#{a}">{escape(t)}</a>' for a, t in links) + "</nav>"


def render_html(
    docs: Iterable[dict],
    failures: Sequence[tuple[str, str]] = (),
    *,
    overview: Optional[bool] = None,
    title: str = "예산 전용 보고 검증 결과",
    source_label: str = "",
    pdf_images: bool = True,
    max_images: int = 300,
    archive=None,
) -> str:
    """The whole page as a string. `overview` defaults to on for more than one report.
    With `archive` (an ArchiveSummary), the counts, charts and conflicts are the whole
    archive's, and `docs` are only the worst reports, shown in full: the page stays the same
    size whatever the archive's."""
    if archive is not None:
        docs, failures, overview = archive.worst, archive.failures, True
    docs = list(docs)
    if overview is None:
        overview = len(docs) > 1
    now = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    out = [
        '<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>",
        f"<header><h1>{escape(title)}</h1><p class=\"meta\">jeonyong · {now}"
        + (f" · {escape(source_label)}" if source_label else "")
        + " · 금액은 표의 단위(천원 등)로, 검증 결과의 인쇄값·기대값은 원 단위로 표시</p></header>",
        _nav(bool(overview), bool(failures)),
        _summary(docs, failures, archive),
    ]
    if overview:
        out.append(_overview_section(docs, archive.overview if archive is not None else None))
    if archive is not None:
        out.append(_archive_note(archive, len(docs), len(failures)))
    out.append(_by_report(docs, failures))
    # A report with OCR readings to check is shown too (each beside its cell as scanned).
    flagged = [d for d in docs if d.get("findings") or _status(d) == "unchecked"
               or any(n.get("basis") == "ocr" for n in d.get("notes") or [])]
    order = {"error": 0, "unchecked": 1, "warning": 2}
    flagged.sort(key=lambda d: (order.get(_status(d), 3), d["source"]["path"]))
    out.append('<section id="findings"><h2>검증 결과가 있거나 미검증인 보고서</h2>')
    if not flagged:
        out.append('<p class="status-clean">검증 결과가 있거나 미검증인 보고서가 없습니다.</p>')
    budget = [max_images]
    for idx, doc in enumerate(flagged, start=1):
        out.append(_report_article(doc, idx, pdf_images, budget))
    if budget[0] <= 0:
        out.append(f'<p class="note">원본 그림은 처음 {max_images}개까지만 넣었습니다.</p>')
    out.append("</section>")
    clean = [d for d in docs if _status(d) == "clean"]
    n_clean = archive.counts["clean"] if archive is not None else len(clean)
    out.append(f'<section id="clean"><h2>정상 보고서 ({n_clean}건)</h2>')
    if clean:
        out.append(f'<details{" open" if len(clean) <= 40 else ""}><summary>목록</summary><ul class="clean">')
        for doc in sorted(clean, key=lambda d: d["source"]["path"]):
            out.append(
                f'<li class="clean-report" data-report-id="{escape(report_id_of(doc))}"><span class="badge clean">정상</span>'
                f'{escape(doc.get("title") or "")} — {escape(_head(doc))} · <code>{escape(doc["source"]["path"])}</code> '
                f'(전용 {len(doc.get("transfers", []))}건, 검증 결과 없음)'
                + (f' <span class="status-warning">분류하지 못한 줄 {len(doc["unparsed"])}개</span>' if doc.get("unparsed") else "")
                + (f' <span class="note">판독 메모 {len(doc["notes"])}개</span>' if doc.get("notes") else "")
                + "</li>"
            )
        out.append("</ul></details>")
    out.append("</section>")
    if failures:
        out.append('<section id="failed"><h2>읽을 수 없는 파일</h2><ul>')
        out.extend(f'<li class="failed"><code>{escape(p)}</code>: {escape(why)}</li>' for p, why in failures)
        out.append("</ul></section>")
    out.append("</body></html>\n")
    return "".join(out)


def write_html(target, docs: Iterable[dict], failures: Sequence[tuple[str, str]] = (), **kw) -> None:
    write_bytes(target, render_html(docs, failures, **kw).encode("utf-8"))
