#!/usr/bin/env python3
"""The long run of the layout generator: draw many random reports, render each in every
format, parse every rendering with the pipeline and compare the records with the model.

    python scripts/layout_run.py --examples 500 [--formats tab,pdf,...] [--seed N]
                                 [--failures layout_failures] [--jobs 2]
    python scripts/layout_run.py --replay layout_failures/pdf/<case>/model.json --formats pdf
    python scripts/layout_run.py --seed N --case K --formats pdf --shrink ["line: name spacing"]
    python scripts/layout_run.py --classes plain,signed,... [--formats chromium.pdf,...] \
                                 --seed N --examples 60 --jsonl runs/s101.jsonl [--jobs 2]

Prints, per format, the records equal / total and the failure categories with their
counts; saves each failing example (model.json, the rendering, the diff) under
--failures/<format>/<case>/, and the smallest example of each category under
--failures/minimal/. Case K of seed N is the same on every machine and run (see
layout_render.draw_case), so `--seed N --case K` reproduces one; `--shrink` lets
Hypothesis shrink it to a minimal report that still fails (in the given category, if one
is named: while that is its one cause), and saves that.

With `--classes`, the run draws clean reports of each class of scripts/layout_classes.py
(random geometry, issue 20's classes) and renders each in the formats where its class
makes sense (default: the PDF formats of the three producers and their text conversions);
it prints, per producer × conversion × class, how many renderings gave each outcome
(layout_compare.OUTCOMES; docs/layout_harness.md), and writes one JSON line per rendering
to --jsonl (seed, case, class, producer, conversion, format, outcome, summary) for others to
pick failing cases from. `--seed N --case K --classes C --formats F` reproduces one.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Optional

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from layout_render import ALL_FORMATS, FORMATS, LOST_SUFFIX, draw_case, missing_tools, producer_and_conversion, render, run_case  # noqa: E402
from layout_compare import OUTCOMES, RENDER_LOST, compare, failures, outcome, render_lost, root_categories  # noqa: E402
from layouts import LayoutCase, describe, named  # noqa: E402


def check(case: LayoutCase, path: Path, fmt: Optional[str] = None) -> list[tuple[str, str]]:
    """Parse one rendering (in format `fmt`) with the pipeline and compare its records with
    the case's: [(category, readable difference)], empty when equal. A file the pipeline
    refuses or a crash is one difference, categorised by its kind."""
    from pipeline.errors import InputError
    from pipeline.extract import parse_file

    marker = path.with_name(path.name + LOST_SUFFIX)
    if marker.exists():
        return [(RENDER_LOST, f"{path.name}: {marker.read_text(encoding='utf-8')} (a LibreOffice rendering defect; not the parser's)")]

    try:
        doc = parse_file(path).to_json()
    except InputError as e:
        return [(f"error: {type(e).__name__}", f"{path.name}: {e.reason}")]
    except Exception as e:  # a crash is a finding of the run, never the end of it
        return [(f"crash: {type(e).__name__}", f"{path.name}: {type(e).__name__}: {e}")]
    return compare(case.expected, doc, fmt)


def check_outcome(case: LayoutCase, path: Path, fmt: Optional[str] = None) -> dict:
    """Parse one rendering and say what it gave against the case's model: {"outcome",
    "summary", "categories"} (layout_compare.outcome; `refused`: the pipeline refused the
    file, `crash`: it raised, `not_rendered`: the producer did not print the model). A
    package of N reports must give N reports (a list from the pipeline); read as one
    report, it is WRONG: the first office's header over every office's transfers."""
    from pipeline.errors import InputError
    from pipeline.extract import parse_file

    marker = path.with_name(path.name + LOST_SUFFIX)
    if marker.exists():
        return {"outcome": "not_rendered", "summary": marker.read_text(encoding="utf-8")[:400], "categories": []}
    try:
        parsed = parse_file(path)
        docs = [r.to_json() for r in parsed] if isinstance(parsed, (list, tuple)) else [parsed.to_json()]
    except InputError as e:
        return {"outcome": "refused", "summary": f"{path.name}: {e.reason}", "categories": []}
    except Exception as e:  # a crash is a finding of the run, never the end of it
        return {"outcome": "crash", "summary": f"{type(e).__name__}: {e}"[:400], "categories": []}
    models = [case.expected] + list(case.expected.get("bound") or [])
    if len(docs) != len(models):
        n = sum(len(d.get("transfers") or []) for d in docs)
        return {"outcome": "WRONG" if len(docs) < len(models) else "differs",
                "summary": f"{len(models)} reports bound in the file, read as {len(docs)} ({n} transfers; office {docs[0].get('office')!r})",
                "categories": ["reports: count"]}
    results = []
    for model, doc in zip(models, docs):
        diffs = compare(model, doc, fmt)
        kind, summary = outcome(model, doc, diffs)
        results.append((OUTCOMES.index(kind), kind, summary, sorted({c for c, _ in diffs})))
    worst = min(results)
    return {"outcome": worst[1], "summary": worst[2], "categories": sorted({c for r in results for c in r[3]})}


def _outcomes_of(items: list[tuple[dict, str, str]]) -> list[dict]:
    """Worker: (case JSON, format, path) → outcome records."""
    return [check_outcome(LayoutCase.from_json(data), Path(path), fmt) for data, fmt, path in items]


def class_run(args) -> int:
    """Draw `--examples` cases of each class, render them where the class makes sense, and
    count the outcomes per producer × conversion × class (JSON lines to --jsonl)."""
    from layout_classes import CLASS_FORMATS

    started = time.time()
    counts: dict = defaultdict(Counter)
    out = open(args.jsonl, "a", encoding="utf-8") if args.jsonl else None
    with tempfile.TemporaryDirectory(prefix="layout_classes_") as tmp:
        for klass in args.classes:
            formats = [f for f in args.formats if f in CLASS_FORMATS[klass]]
            missing = missing_tools(formats, klass)
            if missing:
                print(f"{klass}: skipped, needs {', '.join(missing)}", flush=True)
                continue
            for k in range(args.start, args.start + args.examples, args.chunk):
                cases = [draw_case(args.seed, j, klass=klass) for j in range(k, min(k + args.chunk, args.start + args.examples))]
                paths = render(cases, Path(tmp), formats)
                items = [(c, f, paths[c.name, f]) for c in cases for f in formats]
                parts = [items[j :: args.jobs] for j in range(args.jobs)]
                if args.jobs > 1:
                    with ProcessPoolExecutor(args.jobs) as pool:
                        done = list(pool.map(_outcomes_of, [[(c.to_json(), f, str(p)) for c, f, p in part] for part in parts]))
                else:
                    done = [_outcomes_of([(c.to_json(), f, str(p)) for c, f, p in parts[0]])]
                for part, records in zip(parts, done):
                    for (c, f, p), rec in zip(part, records):
                        producer, conversion = producer_and_conversion(f)
                        counts[producer, conversion, klass][rec["outcome"]] += 1
                        line = {"seed": args.seed, "case": int(c.name.rsplit("case", 1)[1]), "class": klass, "producer": producer,
                                "conversion": conversion, "format": f, **rec,
                                "reproduce": f"python scripts/layout_run.py --seed {args.seed} --case {int(c.name.rsplit('case', 1)[1])} --classes {klass} --formats {f}"}
                        if out:
                            out.write(json.dumps(line, ensure_ascii=False) + "\n")
                        if args.verbose and rec["outcome"] not in ("equal", "noted"):
                            print(f"  {c.name} [{f}] {rec['outcome']}: {rec['summary'][:300]}")
                if out:
                    out.flush()
                for f in paths.values():
                    f.unlink(missing_ok=True)
                    f.with_name(f.name + LOST_SUFFIX).unlink(missing_ok=True)
                print(f"  {klass}: {min(k + args.chunk, args.start + args.examples) - args.start}/{args.examples} cases ({time.time() - started:.0f} s)", flush=True)
    if out:
        out.close()
    print_outcome_table(counts, args)
    return 0 if not any(n["WRONG"] or n["crash"] or n["dropped"] for n in counts.values()) else 1


def summarize(files: list[Path]) -> int:
    """Print the outcome table of JSON lines written by earlier --classes runs."""
    counts: dict = defaultdict(Counter)
    seeds, cases = set(), set()
    for path in files:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            counts[rec["producer"], rec["conversion"], rec["class"]][rec["outcome"]] += 1
            seeds.add(rec["seed"])
            cases.add((rec["seed"], rec["case"]))
    print_outcome_table(counts, None, f"seeds {', '.join(map(str, sorted(seeds)))}; {len(cases)} cases per class at most")
    print_pivot(counts)
    return 0


def print_pivot(counts: dict) -> None:
    """One row per producer × conversion, one column per class: read (equal or noted) /
    set aside (or refused with a reason) / WRONG (or crash, or dropped), out of n."""
    from layout_classes import CLASSES

    classes = [c for c in CLASSES if any(k[2] == c for k in counts)]
    print("\nread / set aside or refused / WRONG (other: differs, not rendered), of n renderings:")
    print("| producer | conversion | " + " | ".join(classes) + " |")
    print("|---|---|" + "---|" * len(classes))
    for producer, conversion in sorted({k[:2] for k in counts}):
        cells = []
        for c in classes:
            n = counts.get((producer, conversion, c))
            if not n:
                cells.append("n/a")
                continue
            cells.append(f"{n['equal'] + n['noted']} / {n['set_aside'] + n['refused']} / {n['WRONG'] + n['crash'] + n['dropped']} of {sum(n.values())}")
        print(f"| {producer} | {conversion} | " + " | ".join(cells) + " |")


def print_outcome_table(counts: dict, args, what: Optional[str] = None) -> None:
    what = what or f"seed {args.seed}, cases {args.start}..{args.start + args.examples - 1}"
    print(f"\noutcomes per producer × conversion × class, {what}:")
    shown = [o for o in OUTCOMES if any(n[o] for n in counts.values())]
    print("| producer | conversion | class | n | " + " | ".join(shown) + " |")
    print("|---|---|---|---:|" + "---:|" * len(shown))
    for (producer, conversion, klass), n in sorted(counts.items()):
        print(f"| {producer} | {conversion} | {klass} | {sum(n.values())} | " + " | ".join(str(n[o] or "") for o in shown) + " |")


def report_diff(case: LayoutCase, fmt: str, diffs: list[tuple[str, str]]) -> str:
    return f"{case.name} [{fmt}] {describe(case)}\n" + "\n".join(f"  - {text}" for _, text in diffs)


def _check_many(items: list[tuple[dict, str, str]]) -> list[list[tuple[str, str]]]:
    """Worker: (case JSON, format, path) → diffs (cases travel as JSON between processes)."""
    return [check(LayoutCase.from_json(data), Path(path), fmt) for data, fmt, path in items]


def save_failure(folder: Path, case: LayoutCase, fmt: str, path: Path, diffs) -> Path:
    target = folder / fmt / case.name
    target.mkdir(parents=True, exist_ok=True)
    (target / "model.json").write_text(json.dumps(case.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")
    shutil.copy(path, target / path.name)
    (target / "diff.txt").write_text(report_diff(case, fmt, diffs) + "\n", encoding="utf-8")
    return target


def long_run(args) -> int:
    formats = args.formats
    started = time.time()
    cases = [draw_case(args.seed, k) for k in range(args.start, args.start + args.examples)]
    print(f"drew {len(cases)} cases (seed {args.seed}) in {time.time() - started:.0f} s", flush=True)
    results: dict[str, list] = defaultdict(list)  # format → [(case, diffs, path)]
    with tempfile.TemporaryDirectory(prefix="layout_run_") as tmp:
        for k in range(0, len(cases), args.chunk):
            chunk = cases[k : k + args.chunk]
            paths = render(chunk, Path(tmp), formats)
            items = [(c, fmt, paths[c.name, fmt]) for c in chunk for fmt in formats]
            if args.jobs > 1:
                parts = [items[j :: args.jobs] for j in range(args.jobs)]
                with ProcessPoolExecutor(args.jobs) as pool:
                    done = list(pool.map(_check_many, [[(c.to_json(), f, str(p)) for c, f, p in part] for part in parts]))
                ordered = {}
                for part, diffs_list in zip(parts, done):
                    for (c, f, p), diffs in zip(part, diffs_list):
                        ordered[c.name, f] = diffs
                diffs_of = lambda c, f: ordered[c.name, f]  # noqa: E731
            else:
                diffs_of = lambda c, f: check(c, paths[c.name, f], f)  # noqa: E731
            for c, fmt, path in items:
                diffs = diffs_of(c, fmt)
                results[fmt].append((c, diffs, path))
                if failures(diffs) and args.failures:
                    save_failure(args.failures, c, fmt, path, diffs)
            for f in paths.values():
                f.unlink(missing_ok=True)
            print(f"  {k + len(chunk)}/{len(cases)} cases checked ({time.time() - started:.0f} s)", flush=True)
    print_summary(results, formats, args)
    return 0 if all(not failures(d) for fmt in formats for _, d, _ in results[fmt]) else 1


def print_summary(results, formats, args) -> None:
    minimal: dict[tuple[str, str], tuple] = {}
    print(f"\nper-format accuracy, seed {args.seed}, cases {args.start}..{args.start + args.examples - 1}"
          " (equal: records equal the model, names noted as undecidable by the page aside;"
          " exact: not even a noted name differs):")
    for fmt in formats:
        lost = sum(1 for _, d, _ in results[fmt] if render_lost(d))
        rows = [r for r in results[fmt] if not render_lost(r[1])]
        ok = sum(1 for _, d, _ in rows if not failures(d))
        exact = sum(1 for _, d, _ in rows if not d)
        noted_names = sum(len(d) - len(failures(d)) for _, d, _ in rows)
        print(f"  {fmt:10} equal {ok:4d} / {len(rows):4d}  ({100 * ok / max(len(rows), 1):5.1f} %)"
              f"   exact {exact:4d} ({100 * exact / max(len(rows), 1):5.1f} %)   noted names differing: {noted_names}"
              + (f"   (+{lost} renderings that lost content, not counted: LibreOffice)" if lost else ""))
    print("\nfailure categories by format (cases showing each; causes only, not their consequences):")
    for fmt in formats:
        counts = Counter()
        for case, diffs, path in results[fmt]:
            for cat in sorted(root_categories(diffs)):
                counts[cat] += 1
                best = minimal.get((fmt, cat))
                if best is None or case.size() < best[0].size():
                    minimal[fmt, cat] = (case, diffs, path)
        if counts:
            print(f"  {fmt}:")
            for cat, n in counts.most_common():
                case = minimal[fmt, cat][0]
                print(f"    {n:4d}  {cat}   (smallest: {case.name}, {case.size()} lines+items)")
    if args.failures:
        for (fmt, cat), (case, diffs, path) in minimal.items():
            src = args.failures / fmt / case.name
            dst = args.failures / "minimal" / fmt / cat.replace(":", "").replace(" ", "_")
            if dst.exists():
                shutil.rmtree(dst)
            shutil.copytree(src, dst)
        print(f"\nfailing examples saved under {args.failures}/<format>/<case>/ (model.json, the rendering, diff.txt);"
              f" the smallest of each category under {args.failures}/minimal/")


def replay(args) -> int:
    case = LayoutCase.from_json(json.loads(Path(args.replay).read_text(encoding="utf-8")))
    out = Path(tempfile.mkdtemp(prefix="layout_replay_"))
    paths = render([case], out, args.formats)
    failed = False
    for fmt in args.formats:
        diffs = check(case, paths[case.name, fmt], fmt)
        wrong = failures(diffs)
        failed |= bool(wrong)
        print(report_diff(case, fmt, wrong) if wrong else
              f"{case.name} [{fmt}] records equal the model ({len(diffs)} differing names noted by the reader as undecidable)")
    print(f"renderings in {out}")
    return 1 if failed else 0


def shrink(args) -> int:
    """Let Hypothesis shrink case K of seed N to a minimal report that still fails (with the
    named cause as its only one, if a cause is named)."""
    fmt = args.formats[0]
    want = args.shrink if args.shrink != "*" else None
    out = Path(tempfile.mkdtemp(prefix="layout_shrink_"))
    last: dict = {}

    def test(case):
        case = named(case, f"s{args.seed}_case{args.case:04d}_shrunk")
        paths = render([case], out, [fmt])
        diffs = check(case, paths[case.name, fmt], fmt)
        cats = root_categories(diffs)
        if failures(diffs) and (want is None or cats == {want}):
            last.update(case=case, diffs=diffs, path=paths[case.name, fmt])
            if args.failures:  # every failure Hypothesis keeps is smaller: the latest is the best so far
                target = args.failures / "shrunk" / fmt / case.name
                shutil.rmtree(target, ignore_errors=True)
                save_failure(args.failures / "shrunk", case, fmt, paths[case.name, fmt], diffs)
            raise AssertionError(f"{len(diffs)} differences")

    try:
        run_case(args.seed, args.case, test, shrink=True)
    except AssertionError:
        case = last["case"]
        print(report_diff(case, fmt, last["diffs"]))
        if args.failures:
            print(f"saved in {args.failures / 'shrunk' / fmt / case.name}")
        return 1
    print(f"case {args.case} of seed {args.seed} does not fail in {fmt}" + (f" with {want!r}" if want else ""))
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--examples", type=int, default=500)
    ap.add_argument("--start", type=int, default=0, help="first case number")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--formats", default=",".join(FORMATS), help=f"comma-separated, of {','.join(ALL_FORMATS)}")
    ap.add_argument("--failures", type=Path, default=ROOT / "layout_failures", help="folder for failing examples ('' for none)")
    ap.add_argument("--chunk", type=int, default=40, help="cases rendered per LibreOffice run")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--replay", help="a saved model.json to render and check again")
    ap.add_argument("--case", type=int, help="check only case K (with --shrink: shrink it)")
    ap.add_argument("--shrink", nargs="?", const="*", help="shrink --case K of --seed N (optionally: only while this category is its one cause)")
    ap.add_argument("--classes", help="comma-separated classes of scripts/layout_classes.py (or 'all'): count outcomes per producer, conversion and class")
    ap.add_argument("--jsonl", type=Path, help="with --classes: append one JSON line per rendering to this file")
    ap.add_argument("--verbose", action="store_true", help="with --classes: print every rendering that is not equal")
    ap.add_argument("--summarize", nargs="+", type=Path, help="print the outcome table of these --jsonl files and stop")
    args = ap.parse_args(argv)
    if args.summarize:
        return summarize(args.summarize)
    if args.classes:
        from layout_classes import CLASSES, PDF_FORMATS

        args.classes = list(CLASSES) if args.classes == "all" else [c for c in args.classes.split(",") if c]
        if set(args.classes) - set(CLASSES):
            ap.error(f"unknown classes: {', '.join(sorted(set(args.classes) - set(CLASSES)))}")
        if "--formats" not in " ".join(argv if argv is not None else sys.argv):
            args.formats = ",".join(PDF_FORMATS)
        if args.case is not None:
            args.start, args.examples = args.case, 1
    args.formats = [f for f in args.formats.split(",") if f]
    unknown = [f for f in args.formats if f not in ALL_FORMATS]
    if unknown:
        ap.error(f"unknown formats: {', '.join(unknown)}")
    if args.classes:
        return class_run(args)
    unknown = [f for f in args.formats if f not in FORMATS]
    if unknown:
        ap.error(f"formats of --classes runs only: {', '.join(unknown)}")
    tools = missing_tools(args.formats)
    if tools:
        ap.error(f"needs {', '.join(tools)} for the formats asked for")
    args.failures = args.failures if str(args.failures) else None
    if args.replay:
        return replay(args)
    if args.shrink is not None:
        if args.case is None:
            ap.error("--shrink needs --case")
        return shrink(args)
    if args.case is not None:
        args.start, args.examples = args.case, 1
    return long_run(args)


if __name__ == "__main__":
    sys.exit(main())
