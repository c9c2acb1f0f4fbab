#!/usr/bin/env python3
"""Fuzzing the readers and the parser: mutators that start from the real samples in every
format, the rules every input must keep, and a long coverage-guided run (atheris).

    python scripts/fuzz.py FORMAT [--runs N] [--seconds S] [--out DIR]    # FORMAT: text pdf docx hwpx hwp

The rules, checked on every input (`check`):
- the result is a report (read, parsed, audited, turned into JSON) or one clean
  `InputError`: a single line that is not an "internal error";
- no control character reaches the report's JSON or the reason;
- no other exception; at most `MAX_SECONDS` of CPU time and `MAX_MEMORY_BYTES` (peak
  resident memory above what the process held before) per input.

Mutators take the file's bytes and a `random.Random` and return new bytes, so the same
code serves Hypothesis in CI (`tests/test_fuzz.py`, `st.randoms` + `st.binary`, a fixed
seed) and the long run here (atheris: libFuzzer's coverage guidance choosing which inputs
to mutate further, these mutators making the changes). Byte-level: flips, truncation,
inserted, deleted and repeated ranges. Text: inserted, deleted, repeated and shuffled
lines, numbers replaced. Zip (DOCX, HWPX): members shuffled, dropped or duplicated, XML
text and attributes changed, elements removed, repeated or moved, parts truncated. OLE
(HWP): FileHeader flags and version, BodyText records (tag, level, size, payload; dropped
and repeated records), stream bytes. PDF: dictionary numbers, names and references,
objects dropped or repeated, content-stream operators, the xref table.

The long run writes every input that breaks a rule to `OUT/<format>/<signature>.<ext>`
(one per distinct defect, with the message beside it in a `.note`) and prints the counts.
"""
from __future__ import annotations

import io
import json
import os
import random
import re
import signal
import sys
import time
import traceback
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
FUZZ_FIXTURES = ROOT / "tests" / "fixtures" / "fuzz"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

FORMATS = ("text", "pdf", "docx", "hwpx", "hwp")
SUFFIX = {"text": ".txt", "pdf": ".pdf", "docx": ".docx", "hwpx": ".hwpx", "hwp": ".hwp"}
MAX_SECONDS = 10.0
MAX_MEMORY_BYTES = 500 * 1024 * 1024

Mutator = Callable[[bytes, random.Random], bytes]


def seed_files(fmt: str) -> list[Path]:
    """The samples of one format (every sample, the err_* ones included)."""
    return sorted(SAMPLES.glob("*" + SUFFIX[fmt]))


# --- the rules ----------------------------------------------------------------------------

class Defect(Exception):
    """An input broke a rule; `signature` names the defect (same bug, same signature)."""

    def __init__(self, kind: str, message: str, signature: str):
        super().__init__(f"{kind}: {message}")
        self.kind, self.message, self.signature = kind, message, signature


class _Overtime(BaseException):
    """Raised by the timer inside the reader; a BaseException so that no reader's
    `except Exception` can turn it into an ordinary rejection."""


@dataclass
class Verdict:
    status: str  # "report" or "rejected"
    detail: str  # the report's title, or the rejection's one line
    seconds: float
    memory_bytes: Optional[int]


def _rss_kib(field_name: str) -> Optional[int]:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field_name + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _reset_peak() -> bool:
    """Reset the kernel's record of peak resident memory (Linux ≥ 4.0), so that VmHWM after
    the input is the input's own peak."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def _signature(e: BaseException) -> str:
    """Exception type and the innermost frame of this project (else the innermost frame)."""
    frames = traceback.extract_tb(e.__traceback__)
    ours = [f for f in frames if "/pipeline/" in f.filename] or frames
    where = f"{Path(ours[-1].filename).stem}.{ours[-1].name}:{ours[-1].lineno}" if ours else "?"
    return f"{type(e).__name__}@{where}"


def check(data: bytes, limits=None, max_seconds: float = MAX_SECONDS,
          max_memory: int = MAX_MEMORY_BYTES) -> Verdict:
    """Run one input through every stage a user's file goes through (format detection, the
    reader, the parser, the audit, the report JSON). Returns the verdict; raises Defect when
    a rule is broken."""
    from pipeline.audit import audit_report
    from pipeline.errors import InputError
    from pipeline.limits import DEFAULT_LIMITS
    from pipeline.parse import parse_document
    from pipeline.readers import read_bytes

    limits = limits or DEFAULT_LIMITS
    measured = _reset_peak()
    before = _rss_kib("VmRSS") if measured else None
    # Time is CPU time (this machine is shared: a starved process is not a slow reader); a
    # profiling timer interrupts an input that runs past the limit, so none can hang the run.
    use_timer = hasattr(signal, "setitimer") and _in_main_thread()
    if use_timer:
        old = signal.signal(signal.SIGPROF, _raise_overtime)
        signal.setitimer(signal.ITIMER_PROF, max_seconds + 1.0)
    t = time.process_time()
    try:
        try:
            report = parse_document(read_bytes("fuzz.input", data, limits))
            report.findings = audit_report(report)
            doc = report.to_json()
            json.dumps(doc, ensure_ascii=False)
            status, detail = "report", report.title
        except InputError as e:
            status, detail = "rejected", e.reason
        except _Overtime:
            raise Defect("timeout", f"more than {max_seconds:g} s of CPU time", "timeout") from None
        except (Exception, RecursionError) as e:
            tb = "".join(traceback.format_exception(type(e), e, e.__traceback__)[-6:])
            raise Defect("exception", f"{type(e).__name__}: {e}\n{tb}", _signature(e)) from None
    finally:
        if use_timer:
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.signal(signal.SIGPROF, old if old is not None else signal.SIG_DFL)
    seconds = time.process_time() - t
    memory = None
    if measured and before is not None:
        peak = _rss_kib("VmHWM")
        memory = max(0, (peak or 0) - before) * 1024
    if seconds > max_seconds:
        raise Defect("timeout", f"{seconds:.1f} s of CPU time (limit {max_seconds:g} s)", "timeout")
    if memory is not None and memory > max_memory:
        raise Defect("memory", f"{memory / 2**20:.0f} MiB above the baseline (limit {max_memory / 2**20:.0f} MiB)", "memory")
    if status == "report":
        where = _control_character(doc, "")
        if where:
            raise Defect("control", f"a control character reaches the output: {where}", "control:" + where.split(" ")[0])
    if status == "rejected":
        if not detail or "\n" in detail or "\r" in detail:
            raise Defect("rejection", f"not one line: {detail!r}", "rejection:not-one-line")
        if _CONTROL.search(detail):
            raise Defect("rejection", f"a control character in the reason: {detail!r}", "rejection:control")
        if detail.startswith("internal error"):
            raise Defect("rejection", detail, "rejection:internal-error")
    return Verdict(status, detail, seconds, memory)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _control_character(value, path: str) -> Optional[str]:
    """The place (`transfers[].title 'text'`) of the first control character in a report's
    JSON strings, or None: no control character may reach an output."""
    if isinstance(value, str):
        return f"{path or '.'} {value[:80]!r}" if _CONTROL.search(value) else None
    if isinstance(value, dict):
        items = ((f"{path}.{k}", v) for k, v in value.items())
    elif isinstance(value, list):
        items = ((f"{path}[]", v) for v in value)
    else:
        return None
    for p, v in items:
        found = _control_character(v, p)
        if found:
            return found
    return None


def _in_main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _raise_overtime(signum, frame):
    raise _Overtime()


# --- byte-level mutators ------------------------------------------------------------------

_INTERESTING_BYTES = [b"\x00", b"\xff", b"\x7f", b"\x80", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"\r", b"\n",
                      b"\t", b"%", b"<", b">", b"&", b"\"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"]


def _pos(data: bytes, rng: random.Random) -> int:
    return rng.randrange(len(data) + 1)


def flip_bytes(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return data
    b = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        i = rng.randrange(len(b))
        b[i] = rng.choice((b[i] ^ (1 << rng.randrange(8)), rng.randrange(256), 0, 0xFF))
    return bytes(b)


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: _pos(data, rng)] if rng.random() < 0.8 else data[_pos(data, rng):]


def insert_bytes(data: bytes, rng: random.Random, payload: bytes = b"") -> bytes:
    piece = payload or rng.choice(_INTERESTING_BYTES) * rng.randint(1, 4)
    i = _pos(data, rng)
    return data[:i] + piece + data[i:]


def delete_range(data: bytes, rng: random.Random) -> bytes:
    i = _pos(data, rng)
    return data[:i] + data[i + rng.randint(1, 256):]


def repeat_range(data: bytes, rng: random.Random) -> bytes:
    i = _pos(data, rng)
    piece = data[i: i + rng.randint(1, 512)]
    return data[:i] + piece * rng.randint(2, 8) + data[i:]


BYTE_MUTATORS: list[Mutator] = [flip_bytes, truncate, insert_bytes, delete_range, repeat_range]


# --- text ---------------------------------------------------------------------------------

_REPORT_LINES = [
    "2021 회계연도 4/4분기 예산 전용 보고", "Ⅱ. 스마트도시 구축", "IV", "1. 시설 정비", "□ 전용개요", "□사업개요",
    "□ 예산 현황", "□ 전용사유", "○ 추진경과", "ㅇ 필요성", "- 전용금액 : 355,000천원", "- 전용일자 : '21.13.45.",
    "- 전용일자 : 2021. 2. 30.", "(단위 : 천원)", "(단위: 백만원)", "총계\t1\t2\t3\t4",
    "스마트정책관\t스마트도시\t\t\t100-201-03 행사운영비\t355,000\t△355,000\t-\t0",
    "| 부서명 | 정책사업 | 감 | 증 |", "|---|---|---|---|", "┌──┬──┐", "│ 감 │ 증 │", "└──┴──┘", "**굵게**",
    "99,999,999,999,999,999,999", "△", "▲1,000", "30,00", "1.5", "일 시 : 2022. 2.", "장 소 : 회의실",
    "\t\t\t\t\t\t\t\t", "\x0c", "\u200b", "\ufeff", "Ⅰ", "ⅫⅫⅫ", "X" * 40, "'21.10.12. ~ '21.10.19.",
]
_NUMBERS = [b"0", b"-", b"9" * 40, b"1,000,000,000,000,000,000", b"\xe2\x96\xb3355,000", b"12,34,5", b"3.14159",
            b"00000000000000000001", b"\xef\xbc\x91\xef\xbc\x92", b"1e309", b"-0"]


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def insert_line(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    if rng.random() < 0.5 and lines:
        new = rng.choice(lines)
    else:
        enc = "utf-16-le" if data[:2] == b"\xff\xfe" else "utf-8" if rng.random() < 0.8 else "cp949"
        new = rng.choice(_REPORT_LINES).encode(enc, "replace")
    lines.insert(rng.randrange(len(lines) + 1), new)
    return b"\n".join(lines)


def delete_lines(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    i = rng.randrange(len(lines))
    del lines[i: i + rng.randint(1, 6)]
    return b"\n".join(lines)


def repeat_lines(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    i = rng.randrange(len(lines))
    block = lines[i: i + rng.randint(1, 12)]
    lines[i:i] = block * rng.randint(1, 20)
    return b"\n".join(lines)


def shuffle_lines(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    i = rng.randrange(len(lines))
    part = lines[i: i + rng.randint(2, 30)]
    rng.shuffle(part)
    lines[i: i + len(part)] = part
    return b"\n".join(lines)


def change_numbers(data: bytes, rng: random.Random) -> bytes:
    spots = list(re.finditer(rb"\d[\d,]*", data))
    if not spots:
        return data
    for m in rng.sample(spots, min(len(spots), rng.randint(1, 4)))[::-1]:
        data = data[: m.start()] + rng.choice(_NUMBERS) + data[m.end():]
    return data


def change_separators(data: bytes, rng: random.Random) -> bytes:
    """Tabs, pipes and box bars traded for each other: table rows of another style."""
    seps = [b"\t", b"|", "│".encode(), b"  ", b""]
    spots = [m.start() for m in re.finditer(rb"\t|\|", data)]
    if not spots:
        return data
    b = bytearray(data)
    for i in sorted(rng.sample(spots, min(len(spots), rng.randint(1, 10))), reverse=True):
        b[i:i + 1] = rng.choice(seps)
    return bytes(b)


TEXT_MUTATORS: list[Mutator] = [insert_line, delete_lines, repeat_lines, shuffle_lines, change_numbers,
                                change_separators]


# --- XML (inside zip containers) ----------------------------------------------------------

_ATTR_VALUES = ["", "-1", "0", "1", "65535", "65536", "4294967296", "99999999999999999999", "abc", "1e9", "٣", "0x10",
                " 2", "-0", "NaN", "../../../etc/passwd", "section0.xml", "Contents/section0.xml"]
_TEXT_VALUES = ["", "△", "355,000", "9" * 30, "\t", "\u200b", "Ⅲ", "□ 예산 현황", "x" * 5000, "&amp;", "]]>",
                "\u0001\u0002", "\ud7a3", "총계"]


def mutate_xml_text(xml: bytes, rng: random.Random) -> bytes:
    spots = list(re.finditer(rb">([^<]+)<", xml))
    if not spots:
        return xml
    m = rng.choice(spots)
    new = rng.choice(_TEXT_VALUES).encode("utf-8", "surrogatepass")
    new = new.replace(b"&", b"&amp;").replace(b"<", b"&lt;") if rng.random() < 0.8 else new
    return xml[: m.start(1)] + new + xml[m.end(1):]


def mutate_xml_attribute(xml: bytes, rng: random.Random) -> bytes:
    spots = list(re.finditer(rb"\s[\w:]+=\"([^\"]*)\"", xml))
    if not spots:
        return xml
    for m in sorted(rng.sample(spots, min(len(spots), rng.randint(1, 3))), key=lambda m: -m.start()):
        xml = xml[: m.start(1)] + rng.choice(_ATTR_VALUES).encode() + xml[m.end(1):]
    return xml


def mutate_xml_tree(xml: bytes, rng: random.Random) -> bytes:
    """Remove, repeat or move one element (when the part parses)."""
    from lxml import etree

    try:
        root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False))
    except etree.XMLSyntaxError:
        return xml
    elements = [e for e in root.iter() if e is not root and isinstance(e.tag, str)]
    if not elements:
        return xml
    el = rng.choice(elements)
    parent = el.getparent()
    op = rng.randrange(4)
    if op == 0:
        parent.remove(el)
    elif op == 1:
        import copy

        for _ in range(rng.randint(1, 5)):
            parent.insert(parent.index(el), copy.deepcopy(el))
    elif op == 2:
        other = rng.choice(elements)
        if other is not el and el not in other.iterancestors() and other is not parent:
            parent.remove(el)
            other.append(el)
    else:  # nest the element in a copy of itself a few levels deep
        import copy

        for _ in range(rng.randint(1, 30)):
            wrapper = copy.copy(el)
            for c in list(wrapper):
                wrapper.remove(c)
            parent.replace(el, wrapper)
            wrapper.append(el)
            parent = wrapper
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


XML_MUTATORS: list[Mutator] = [mutate_xml_text, mutate_xml_attribute, mutate_xml_tree, truncate, flip_bytes]


# --- zip containers (DOCX, HWPX) ----------------------------------------------------------

def _read_zip(data: bytes) -> Optional[list[tuple[zipfile.ZipInfo, bytes]]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return [(i, zf.read(i)) for i in zf.infolist()]
    except Exception:
        return None


def _write_zip(members: list[tuple[zipfile.ZipInfo, bytes]]) -> bytes:
    import warnings

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate member names are one of the mutations
        for info, body in members:
            new = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            new.compress_type = info.compress_type
            zf.writestr(new, body)
    return buf.getvalue()


def _zip_op(data: bytes, rng: random.Random, op) -> bytes:
    members = _read_zip(data)
    if not members:
        return flip_bytes(data, rng)
    members = op(members, rng)
    return _write_zip(members) if members is not None else data


def shuffle_members(data: bytes, rng: random.Random) -> bytes:
    def op(members, rng):
        rng.shuffle(members)
        return members
    return _zip_op(data, rng, op)


def drop_member(data: bytes, rng: random.Random) -> bytes:
    def op(members, rng):
        del members[rng.randrange(len(members))]
        return members
    return _zip_op(data, rng, op)


def duplicate_member(data: bytes, rng: random.Random) -> bytes:
    def op(members, rng):
        i = rng.randrange(len(members))
        info, body = members[i]
        members.insert(rng.randrange(len(members) + 1), (info, mutate_part(info.filename, body, rng)))
        return members
    return _zip_op(data, rng, op)


def mutate_part(name: str, body: bytes, rng: random.Random) -> bytes:
    if name.endswith((".xml", ".rels", ".hpf")):
        return rng.choice(XML_MUTATORS)(body, rng)
    return rng.choice(BYTE_MUTATORS)(body, rng)


def mutate_member(data: bytes, rng: random.Random) -> bytes:
    """Change one member: an XML part's text, attributes or elements, or its bytes. The
    body parts are chosen more often than the rest."""
    def op(members, rng):
        weights = [8 if re.search(r"document\.xml|section\d+\.xml", i.filename) else 1 for i, _ in members]
        k = rng.choices(range(len(members)), weights)[0]
        info, body = members[k]
        for _ in range(rng.randint(1, 3)):
            body = mutate_part(info.filename, body, rng)
        members[k] = (info, body)
        return members
    return _zip_op(data, rng, op)


ZIP_MUTATORS: list[Mutator] = [mutate_member, mutate_member, mutate_member, shuffle_members, drop_member,
                               duplicate_member]


# --- OLE (HWP 5) --------------------------------------------------------------------------

def _ole_rewrite(data: bytes, name_pattern: str, rng: random.Random, change) -> bytes:
    """Replace one stream whose name matches by `change(old) → new`, keeping the container
    (olefile writes streams in place, so the new content is cut or zero-padded to the old
    size)."""
    import olefile

    try:
        ole = olefile.OleFileIO(io.BytesIO(bytearray(data)), write_mode=True)
    except Exception:
        return flip_bytes(data, rng)
    try:
        # Only streams that fit in the file: olefile reads what a damaged directory claims
        # (gigabytes round a looping sector chain).
        if ole.root is None or ole.root.size > len(data):
            return flip_bytes(data, rng)  # the reader refuses it; olefile would read the claim
        names = [n for n in ("/".join(e) for e in ole.listdir(streams=True, storages=False))
                 if ole.get_size(n) <= len(data)]
        names = [n for n in names if re.search(name_pattern, n)] or names
        name = rng.choice(names)
        old = ole.openstream(name).read()
        new = change(old, rng)
        new = new[: len(old)] + b"\x00" * (len(old) - len(new))
        ole.write_stream(name, new)
        return ole.fp.getvalue()
    except Exception:
        return flip_bytes(data, rng)
    finally:
        ole.close()


def mutate_file_header(data: bytes, rng: random.Random) -> bytes:
    def change(old, rng):
        b = bytearray(old)
        if len(b) < 40:
            return bytes(b)
        if rng.random() < 0.5:  # property flags: compressed, password, distribution, DRM …
            flags = int.from_bytes(b[36:40], "little") ^ (1 << rng.randrange(12))
            b[36:40] = flags.to_bytes(4, "little")
        else:  # version
            b[32:36] = rng.choice([0, 0x05000000, 0x05FFFFFF, 0x04000000, 0xFFFFFFFF]).to_bytes(4, "little")
        return bytes(b)
    return _ole_rewrite(data, r"^FileHeader$", rng, change)


def _records(body: bytes) -> list[list]:
    """[tag, level, payload] of each record (stops at the first malformed header)."""
    out, pos = [], 0
    while pos + 4 <= len(body):
        h = int.from_bytes(body[pos:pos + 4], "little")
        tag, level, size, pos = h & 0x3FF, (h >> 10) & 0x3FF, h >> 20, pos + 4
        if size == 0xFFF:
            if pos + 4 > len(body):
                break
            size, pos = int.from_bytes(body[pos:pos + 4], "little"), pos + 4
        out.append([tag, level, body[pos:pos + size]])
        pos += size
    return out


def _pack_records(records: list[list], rng: random.Random) -> bytes:
    out = bytearray()
    for tag, level, payload in records:
        size = len(payload)
        lie = rng.random() < 0.02  # a size field that does not match the payload
        if lie:
            size = rng.choice([0, size + 1, max(0, size - 1), 0xFFE, 0xFFFFFFFF & (size * 7)])
        if size >= 0xFFF:
            out += ((tag & 0x3FF) | ((level & 0x3FF) << 10) | (0xFFF << 20)).to_bytes(4, "little")
            out += (size & 0xFFFFFFFF).to_bytes(4, "little")
        else:
            out += ((tag & 0x3FF) | ((level & 0x3FF) << 10) | (size << 20)).to_bytes(4, "little")
        out += payload
    return bytes(out)


def mutate_records(body: bytes, rng: random.Random) -> bytes:
    """HWP records: change a tag, level or payload byte; drop, repeat or move records."""
    recs = _records(body)
    if not recs:
        return flip_bytes(body, rng)
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(recs))
        op = rng.randrange(7)
        if op == 0:
            recs[i][0] = rng.choice([66, 67, 71, 72, 77, rng.randrange(1024)])
        elif op == 1:
            recs[i][1] = max(0, recs[i][1] + rng.choice([-2, -1, 1, 2, 40, 300]))
        elif op == 2 and recs[i][2]:
            recs[i][2] = flip_bytes(recs[i][2], rng)
        elif op == 3:
            recs[i][2] = truncate(recs[i][2], rng)
        elif op == 4:
            del recs[i]
        elif op == 5:
            recs[i:i] = [list(r) for r in recs[i:i + rng.randint(1, 8)]] * rng.randint(1, 4)
        else:  # payload of a PARA_TEXT: control characters and odd lengths
            recs[i][2] = recs[i][2] + rng.choice([b"\x0b\x00", b"\x02\x00", b"\x0d", b"\x00\xd8", b"\x0a\x00" * 3])
        if not recs:
            break
    return _pack_records(recs, rng)


def mutate_body_records(data: bytes, rng: random.Random) -> bytes:
    def change(old, rng):
        d = zlib.decompressobj(-15)
        try:
            body = d.decompress(old) + d.flush()
        except zlib.error:
            return flip_bytes(old, rng)
        new = mutate_records(body, rng)
        c = zlib.compressobj(9, zlib.DEFLATED, -15)
        packed = c.compress(new) + c.flush()
        return packed if len(packed) <= len(old) else flip_bytes(old, rng)
    return _ole_rewrite(data, r"^BodyText/", rng, change)


def mutate_stream_bytes(data: bytes, rng: random.Random) -> bytes:
    return _ole_rewrite(data, r".", rng, lambda old, rng: rng.choice(BYTE_MUTATORS)(old, rng))


def mutate_ole_header(data: bytes, rng: random.Random) -> bytes:
    """The compound file's own header and first directory sector (sizes, sector chains)."""
    if not data:
        return data
    b = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(min(len(b), 512)) if rng.random() < 0.6 else rng.randrange(len(b))
        b[i] = rng.randrange(256)
    return bytes(b)


OLE_MUTATORS: list[Mutator] = [mutate_body_records, mutate_body_records, mutate_body_records, mutate_file_header,
                               mutate_stream_bytes, mutate_ole_header]


# --- PDF ----------------------------------------------------------------------------------

_OBJ = re.compile(rb"(\d+) 0 obj\b(.*?)endobj", re.S)
_PDF_NAMES = [b"/Type", b"/Page", b"/Pages", b"/Kids", b"/Count", b"/Font", b"/Length", b"/Filter", b"/FlateDecode",
              b"/Resources", b"/MediaBox", b"/Contents", b"/Parent", b"/XObject", b"/Encrypt", b"/ObjStm", b"/Root",
              b"/ToUnicode", b"/Widths", b"/FirstChar", b"/CIDToGIDMap", b"/LZWDecode", b"/ASCIIHexDecode"]
_PDF_NUMBERS = [b"0", b"-1", b"1e30", b"99999999999", b"-99999999999", b"0.0000001", b"2147483648", b"nan", b"3.4.5",
                b"1 0 R", b"999 0 R", b"[]", b"<<>>", b"null"]
_CONTENT_OPS = [b"BT /F1 1e30 Tf ET", b"q 1e38 0 0 1e38 0 0 cm", b"(abc) Tj", b"[(x) -1e9 (y)] TJ", b"0 0 1e9 1e9 re f",
                b"1 0 0 1 1e30 -1e30 Tm", b"0 0 m 1e9 1e9 l S", b"Q Q Q", b"q q q q", b"BT", b"ET", b"/F9 12 Tf",
                b"0 Tz", b"-1000 Tz", b"1e9 TL T*", b"<00ff> Tj", b"1 1 1 rg 0 0 0 RG", b"0 0 0 0 re W n",
                b"72 720 Td", b"0 0 Td"]


def _pdf_objects(data: bytes) -> list[re.Match]:
    return list(_OBJ.finditer(data))


def mutate_pdf_dict(data: bytes, rng: random.Random) -> bytes:
    """A number, name or reference in an object's dictionary."""
    objs = [m for m in _pdf_objects(data) if b"stream" not in m.group(2)[:400] or rng.random() < 0.5]
    if not objs:
        return flip_bytes(data, rng)
    m = rng.choice(objs)
    head_end = m.group(2).find(b"stream")
    head = m.group(2) if head_end < 0 else m.group(2)[:head_end]
    tokens = list(re.finditer(rb"\d+ 0 R|/[A-Za-z0-9]+|-?\d+(?:\.\d+)?", head))
    if not tokens:
        return data
    t = rng.choice(tokens)
    new = rng.choice(_PDF_NAMES) if t.group().startswith(b"/") and rng.random() < 0.7 else rng.choice(_PDF_NUMBERS)
    start = m.start(2) + t.start()
    return data[:start] + new + data[m.start(2) + t.end():]


def drop_or_repeat_object(data: bytes, rng: random.Random) -> bytes:
    objs = _pdf_objects(data)
    if not objs:
        return flip_bytes(data, rng)
    m = rng.choice(objs)
    if rng.random() < 0.5:
        return data[: m.start()] + data[m.end():]
    other = rng.choice(objs)  # an object under another object's number
    dup = other.group(0).replace(other.group(1) + b" 0 obj", m.group(1) + b" 0 obj", 1)
    return data[: m.end()] + b"\n" + dup + data[m.end():]


def mutate_content_stream(data: bytes, rng: random.Random) -> bytes:
    """Inflate a page content stream, change its operators, deflate it, fix its /Length."""
    streams = [m for m in re.finditer(rb"<<([^<>]*?/FlateDecode[^<>]*?)>>\s*stream\r?\n", data)]
    if not streams:
        return flip_bytes(data, rng)
    m = rng.choice(streams)
    start = m.end()
    end = data.find(b"endstream", start)
    if end < 0:
        return data
    try:
        body = zlib.decompress(data[start:end].rstrip(b"\r\n"))
    except zlib.error:
        return flip_bytes(data, rng)
    lines = body.split(b"\n")
    for _ in range(rng.randint(1, 5)):
        op = rng.randrange(4)
        i = rng.randrange(len(lines))
        if op == 0:
            lines.insert(i, rng.choice(_CONTENT_OPS))
        elif op == 1 and len(lines) > 1:
            del lines[i]
        elif op == 2:
            lines[i] = re.sub(rb"-?\d+(?:\.\d+)?", lambda _: rng.choice(_PDF_NUMBERS[:9]), lines[i], count=1)
        else:
            lines[i] = flip_bytes(lines[i], rng)
    new = zlib.compress(b"\n".join(lines))
    head = re.sub(rb"/Length \d+ 0 R|/Length \d+", b"/Length " + str(len(new)).encode(), m.group(0), count=1)
    return data[: m.start()] + head + new + b"\nendstream" + data[end + len(b"endstream"):]


def mutate_xref(data: bytes, rng: random.Random) -> bytes:
    """The xref table and trailer: offsets, /Size, /Root, startxref."""
    i = data.rfind(b"xref")
    if i < 0:
        return flip_bytes(data, rng)
    tail = bytearray(data[i:])
    digits = [k for k, c in enumerate(tail) if 48 <= c <= 57]
    for k in rng.sample(digits, min(len(digits), rng.randint(1, 6))):
        tail[k] = rng.randrange(48, 58)
    return data[:i] + bytes(tail)


PDF_MUTATORS: list[Mutator] = [mutate_pdf_dict, mutate_pdf_dict, drop_or_repeat_object, mutate_content_stream,
                               mutate_content_stream, mutate_xref]


# --- all together -------------------------------------------------------------------------

STRUCTURED: dict[str, list[Mutator]] = {
    "text": TEXT_MUTATORS,
    "pdf": PDF_MUTATORS,
    "docx": ZIP_MUTATORS,
    "hwpx": ZIP_MUTATORS,
    "hwp": OLE_MUTATORS,
}


def mutate(data: bytes, fmt: str, rng: random.Random, payload: bytes = b"") -> bytes:
    """One to three mutations, mostly structured ones for the format, sometimes raw bytes
    (`payload`, when given, is inserted somewhere)."""
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        if rng.random() < 0.75:
            data = rng.choice(STRUCTURED[fmt])(data, rng)
        else:
            data = rng.choice(BYTE_MUTATORS)(data, rng)
    if payload:
        data = insert_bytes(data, rng, payload)
    return data


# --- the long run (atheris, coverage-guided) ------------------------------------------------

def _save(out: Path, fmt: str, data: bytes, d: Defect, found: dict) -> None:
    import hashlib

    found.setdefault(d.signature, 0)
    found[d.signature] += 1
    if found[d.signature] > 1:
        return
    safe = re.sub(r"[^A-Za-z0-9_.@-]+", "_", d.signature)[:80]
    folder = out / fmt
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{safe}-{hashlib.sha256(data).hexdigest()[:10]}"
    (folder / (stem + SUFFIX[fmt])).write_bytes(data)
    (folder / (stem + SUFFIX[fmt] + ".note")).write_text(f"{d.kind}: {d.message}\n", encoding="utf-8")
    print(f"\nDEFECT {fmt} {d.signature}: {d.message.splitlines()[0][:200]}", file=sys.stderr, flush=True)


def long_run(fmt: str, runs: int, seconds: int, out: Path, work: Path, instrument: list[str]) -> None:
    import atheris

    corpus = work / fmt
    corpus.mkdir(parents=True, exist_ok=True)
    for p in seed_files(fmt):
        (corpus / p.name).write_bytes(p.read_bytes())
    with atheris.instrument_imports(include=instrument):
        import pipeline.readers  # noqa: F401
        import pipeline.readers.docx  # noqa: F401
        import pipeline.readers.hwp  # noqa: F401
        import pipeline.readers.hwpx  # noqa: F401
        import pipeline.readers.pdf  # noqa: F401
        import pipeline.readers.text  # noqa: F401
        import pipeline.parse  # noqa: F401
        import pipeline.audit  # noqa: F401

    # A runaway allocation becomes a MemoryError inside the input (recorded with the input)
    # rather than libFuzzer's out-of-memory stop, which saves no input for Python targets.
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, resource.getrlimit(resource.RLIMIT_AS)[1]))
    stats = {"inputs": 0, "report": 0, "rejected": 0, "defects": 0}
    found: dict = {}
    t0 = time.monotonic()

    def one_input(data: bytes) -> None:
        stats["inputs"] += 1
        try:
            v = check(data)
            stats[v.status] += 1
        except Defect as d:
            stats["defects"] += 1
            _save(out, fmt, data, d, found)
        if stats["inputs"] % 500 == 0:
            _progress(fmt, stats, found, t0, out)

    originals = [p.read_bytes() for p in seed_files(fmt)]

    def custom_mutator(data: bytes, max_size: int, seed: int) -> bytes:
        rng = random.Random(seed)
        if rng.random() < 0.15:
            return atheris.Mutate(data, max_size)
        if rng.random() < 0.25:  # most corpus entries are already broken: keep some depth
            data = rng.choice(originals)
        try:
            return mutate(data, fmt, rng)[:max_size]
        except Exception as e:  # a mutator's own bug must not end a long run: say it, go on
            print(f"MUTATOR {type(e).__name__}: {e}", file=sys.stderr, flush=True)
            return atheris.Mutate(data, max_size)

    # check() times every input (CPU time, 10 s); libFuzzer's timer (wall clock, -timeout) and
    # memory limit are backstops for what check() cannot interrupt.
    args = [sys.argv[0], str(corpus), f"-max_len={4 * 1024 * 1024}", "-timeout=300", "-rss_limit_mb=4096",
            f"-max_total_time={seconds}", "-print_final_stats=1"]
    if runs:
        args.append(f"-runs={runs}")
    atheris.Setup(args, one_input, custom_mutator=custom_mutator)
    atheris.Fuzz()


def _progress(fmt: str, stats: dict, found: dict, t0: float, out: Path) -> None:
    line = json.dumps({"format": fmt, **stats, "distinct_defects": found, "seconds": round(time.monotonic() - t0)},
                      ensure_ascii=False)
    print("PROGRESS " + line, file=sys.stderr, flush=True)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{fmt}-stats.json").write_text(line + "\n", encoding="utf-8")


def main(argv=None) -> None:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("format", choices=FORMATS)
    ap.add_argument("--runs", type=int, default=0, help="inputs to try (0: until --seconds)")
    ap.add_argument("--seconds", type=int, default=600)
    ap.add_argument("--out", type=Path, default=Path("fuzz-findings"))
    ap.add_argument("--work", type=Path, default=Path("fuzz-corpus"))
    ap.add_argument("--instrument", default="pipeline,olefile",
                    help="packages whose coverage guides the run (pdfminer,pdfplumber too: thorough, but ~3x slower)")
    a = ap.parse_args(argv)
    long_run(a.format, a.runs, a.seconds, a.out, a.work, a.instrument.split(","))


if __name__ == "__main__":
    main()
