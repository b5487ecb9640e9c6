"""Benchmarks: every stage against the fastest thing it is built on, side by side in one run.

    python scripts/bench.py                      # all stages at 10,000 tasks (push needs Label Studio)
    python scripts/bench.py --size 300 --quick   # the smoke run the test suite does
    python scripts/bench.py --scaling 1000,10000,100000
    python scripts/bench.py --stages corrections,predict   # the model in the loop (scripts/bench_loop.py)

Ratios, not seconds, are the result (the machine is shared and noisy). Each stage runs
its measured steps in a fresh subprocess, so peak RSS is that step's own. Push needs
LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY (environment or .env); without them it is
reported as skipped.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import bench_data  # noqa: E402
import bench_loop  # noqa: E402

# --- measured steps, each run in its own process ------------------------------


def step_preannotate(n: int, work: Path) -> dict:
    from annotate.core.documents import Document
    from annotate.io.documents import write_documents
    from annotate.io.schemas import load_schema
    from annotate.model.preannotate import load_model, preannotate

    paragraphs = bench_data.paragraphs(n)
    docs = [Document(p["id"], p["text"], p["source"], p["article"], p["paragraph"], 0) for p in paragraphs]
    nlp, info = load_model(None)
    schema = load_schema(None)
    texts = [d.text for d in docs]
    list(nlp.pipe(texts[:200]))  # warm up
    best_bare = best_ours = float("inf")
    for _ in range(2):  # alternate, keep the best of each
        t = time.perf_counter()
        for doc in nlp.pipe(texts, batch_size=256):
            [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        best_bare = min(best_bare, time.perf_counter() - t)
        t = time.perf_counter()
        out, _ = preannotate(docs, nlp, info, schema, batch_size=256)
        write_documents(work / "pre.jsonl", out)
        best_ours = min(best_ours, time.perf_counter() - t)
    return {
        "baseline_s": best_bare,
        "ours_s": best_ours,
        "throughput_ratio": best_bare / best_ours,
        "docs_per_s": n / best_ours,
    }


def _push_setup(n: int):
    from annotate.core.documents import Document, ModelInfo
    from annotate.core.spans import Span
    from annotate.io.schemas import load_schema
    from annotate.io.settings import load_settings

    settings = load_settings(os.environ.get("BENCH_ENV_FILE", ".env"))
    docs = [
        Document(
            p["id"],
            p["text"],
            p["source"],
            p["article"],
            p["paragraph"],
            0,
            spans=tuple(Span(s["start"], s["end"], s["label"]) for s in p["spans"]),
            model=ModelInfo("en_core_web_sm", "3.8.0"),
        )
        for p in bench_data.paragraphs(n)
    ]
    return settings, load_schema(None), docs, datetime.now().strftime("%H%M%S%f")


def step_push_raw(n: int, work: Path) -> dict:
    import httpx

    from annotate.core.schema import label_config
    from annotate.labelstudio.client import LabelStudio
    from annotate.labelstudio.tasks import document_to_task

    settings, schema, docs, stamp = _push_setup(n)
    with LabelStudio(settings) as client:
        raw = client.create_project(title=f"bench raw {n} {stamp}"[:50], label_config=label_config(schema))
    payload = [document_to_task(d) for d in docs]
    t = time.perf_counter()
    httpx.post(
        f"{settings.url}/api/projects/{raw['id']}/import",
        json=payload,
        timeout=None,
        headers={"Authorization": f"Token {settings.api_key}"},
    ).raise_for_status()
    return {"seconds": time.perf_counter() - t}


def step_push(n: int, work: Path) -> dict:
    from annotate.labelstudio.client import LabelStudio
    from annotate.labelstudio.push import push

    settings, schema, docs, stamp = _push_setup(n)
    with LabelStudio(settings) as client:
        t = time.perf_counter()
        report = push(client, docs, schema, f"bench ours {n} {stamp}"[:50])
        seconds = time.perf_counter() - t
    assert report.tasks_for_documents == n
    return {"seconds": seconds}


def step_export(n: int, work: Path) -> dict:
    bench_data.write_export(work / "export.json", n)
    return {"export_mb": (work / "export.json").stat().st_size / 1e6}


def step_baseline_load(n: int, work: Path) -> dict:
    t = time.perf_counter()
    with open(work / "export.json", "rb") as fh:
        tasks = json.load(fh)
    records = 0
    with open(work / "baseline.jsonl", "w", encoding="utf-8") as out:
        for task in tasks:
            for a in task.get("annotations", []):
                out.write(json.dumps({"task": task["id"], "annotation": a.get("id"), "result": a.get("result")}) + "\n")
                records += 1
    return {"seconds": time.perf_counter() - t, "records": records}


def step_pull(n: int, work: Path) -> dict:
    """`annotate pull` from an export file: parse, normalise, keep the raw snapshot, write the pull folder."""
    import spacy  # noqa: F401  (the schema's language is checked with spaCy: imports are not the pull's work)

    from annotate.corpus.pull import pull_export, write_pull
    from annotate.corpus.raw import store_raw

    for folder in ("pull", "raw", "corpus"):  # a clean start: every repeat does the same work
        shutil.rmtree(work / folder, ignore_errors=True)
    t = time.perf_counter()
    result, summary = pull_export(work / "export.json", None, None, False, None, {"file": "bench"})
    snapshot = store_raw(work / "export.json", work / "raw")
    summary["raw_export"] = {"path": str(snapshot.path), "sha256": snapshot.sha256}
    write_pull(work / "pull", result, summary)
    return {"seconds": time.perf_counter() - t}


def step_compile(n: int, work: Path) -> dict:
    """`annotate compile` of that pull folder (records streamed from it, as the command reads them)."""
    from annotate.core.adjudication import parse_strategy
    from annotate.core.alignment import blank_pipeline
    from annotate.corpus.compile import compile_corpus
    from annotate.corpus.pull import read_pull

    blank_pipeline("en")  # loading spaCy's language data (0.15 s, whatever the size) is not the compile's work
    import datasketch  # noqa: F401  (nor importing datasketch, 0.6 s: the near-duplicate row reports it)

    t = time.perf_counter()
    pull = read_pull(work / "pull", stream=True)
    compiled = compile_corpus(pull, "bench", parse_strategy("majority"), root=work / "corpus")
    return {"seconds": time.perf_counter() - t, "documents": compiled.manifest["counts"]["documents"]}


def step_near_duplicates(n: int, work: Path) -> dict:
    """compile's near-duplicate pass on that pull folder alone: texts read, shingled, MinHashed, LSH-grouped, split,
    leakage counted (datasketch's import timed apart: compile imports it when it runs)."""
    t = time.perf_counter()
    import datasketch  # noqa: F401

    imported = time.perf_counter() - t
    from annotate.core.near_duplicates import NearDuplicateSettings
    from annotate.core.splits import split_by_article
    from annotate.corpus.compile import find_near_duplicates, near_duplicate_report
    from annotate.corpus.pull import read_pull
    from annotate.corpus.stream import by_document

    pull = read_pull(work / "pull", stream=True)
    grouped = by_document(pull, True)
    included = [o for o in grouped.outline if grouped.submitted(o.id) >= 1]
    t = time.perf_counter()
    found = find_near_duplicates(grouped, included, NearDuplicateSettings())
    found_s = time.perf_counter() - t
    splits = split_by_article(((d.id, d.source, d.article) for d in included), (0.8, 0.1, 0.1), 0, found["groups"])
    report, _ = near_duplicate_report(found, splits, (0.8, 0.1, 0.1))
    return {
        "seconds": time.perf_counter() - t,
        "find_s": found_s,
        "import_s": imported,
        "groups": report["groups"],
        "paragraphs": report["paragraphs"],
        "checked": report["pairs_checked"],
    }


def pull_and_compile(n: int, work: Path) -> dict:
    """pull, then compile, each in its own process as the two commands run: time is the sum of both
    (interpreter start and imports left out, as for the baseline), peak RSS the larger of the two."""
    pulled = run("pull", n, work)
    compiled = run("compile", n, work)
    return {
        "seconds": pulled["seconds"] + compiled["seconds"],
        "documents": compiled["documents"],
        "peak_rss_mb": max(pulled["peak_rss_mb"], compiled["peak_rss_mb"]),
        "pull": pulled,
        "compile": compiled,
    }


def step_agree(n: int, work: Path) -> dict:
    from annotate.core.agreement import agreement_for
    from annotate.core.alignment import blank_pipeline
    from annotate.corpus.pull import read_pull

    pull = read_pull(work / "pull")
    blank_pipeline("en")  # loading spaCy is not the agreement's cost
    t = time.perf_counter()
    report = agreement_for(pull.documents, pull.records, pull.labels)
    seconds = time.perf_counter() - t
    return {"seconds": seconds, "ms_per_task": 1000 * seconds / n, "alpha": report.krippendorff_alpha}


def step_krippendorff(n: int, work: Path) -> dict:
    import krippendorff
    import numpy as np

    from annotate.agreement import krippendorff_alpha

    rng = np.random.default_rng(0)
    truth = rng.integers(0, 8, size=n)
    data = np.where(rng.random((5, n)) < 0.8, truth, rng.integers(0, 8, size=(5, n))).astype(float)
    data[rng.random(data.shape) < 0.1] = np.nan
    best_ref = best_ours = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        ref = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
        best_ref = min(best_ref, time.perf_counter() - t)
        t = time.perf_counter()
        ours = krippendorff_alpha(data, "nominal")  # the same array
        best_ours = min(best_ours, time.perf_counter() - t)
    return {
        "baseline_s": best_ref,
        "ours_s": best_ours,
        "time_ratio": best_ours / best_ref,
        "same_value": bool(abs(ours - ref) < 1e-9),
        "alpha": float(ours),
    }


STEPS = {
    "preannotate": step_preannotate,
    "push": step_push,
    "push_raw": step_push_raw,
    "export": step_export,
    "baseline_load": step_baseline_load,
    "pull": step_pull,
    "compile": step_compile,
    "near_duplicates": step_near_duplicates,
    "agree": step_agree,
    "krippendorff": step_krippendorff,
    **bench_loop.STEPS,
}


def child(step: str, n: int, work: Path, options: dict | None = None) -> None:
    result = STEPS[step](n, work, **(options or {}))
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def run(step: str, n: int, work: Path, options: dict | None = None) -> dict:
    extra = ["--options", json.dumps(options)] if options else []
    out = subprocess.run(
        [sys.executable, __file__, "--child", step, "--size", str(n), "--work", str(work), *extra],
        capture_output=True,
        text=True,
        cwd=HERE.parent,
    )
    if out.returncode != 0:
        raise SystemExit(f"benchmark step {step} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- the table ---------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--stages", default="preannotate,push,pull,krippendorff,agree")
    parser.add_argument("--scaling", default="")
    parser.add_argument("--quick", action="store_true", help="small smoke run: no push unless asked")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the pull stage and its baseline (best kept)")
    parser.add_argument("--retrain-every", type=int, default=10, help="corrections: paragraphs between retrains")
    parser.add_argument("--retrain-steps", type=int, default=200, help="corrections: max_steps of each retrain")
    parser.add_argument("--latency-runs", type=int, default=50, help="predict: timed repetitions of each call")
    parser.add_argument("--child")
    parser.add_argument("--options", help="a child step's keyword arguments (JSON)")
    parser.add_argument("--work")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.size, Path(args.work), json.loads(args.options) if args.options else None)
        return
    n = args.size
    stages = args.stages.split(",")
    has_ls = bool(os.environ.get("LABEL_STUDIO_URL") or Path(os.environ.get("BENCH_ENV_FILE", ".env")).is_file())
    rows, results = [], {}
    with tempfile.TemporaryDirectory(prefix="annotate-bench-") as tmp:
        work = Path(tmp)
        if "preannotate" in stages:
            r = results["preannotate"] = run("preannotate", n, work)
            rows.append(
                (
                    "preannotate",
                    f"{n} paragraphs",
                    "bare `nlp.pipe`, same model and pipes",
                    f"throughput {r['throughput_ratio']:.2f}× ({r['docs_per_s']:.0f} docs/s)",
                    "≥ 0.9×",
                    r["throughput_ratio"] >= 0.9,
                )
            )
        if "push" in stages and has_ls and not (args.quick and "push" not in args.stages.split(",")[:1]):
            raw = run("push_raw", n, work)
            r = results["push"] = run("push", n, work)
            r["time_ratio"] = r["seconds"] / raw["seconds"]
            small = run("push", max(n // 10, 1), work)  # memory at a tenth of the size: flat?
            rows.append(
                (
                    "push",
                    f"{n} tasks",
                    "one raw bulk import POST",
                    f"time {r['time_ratio']:.2f}× "
                    f"({r['seconds']:.1f} s vs {raw['seconds']:.1f} s); peak RSS {r['peak_rss_mb']:.0f} MB "
                    f"(at {max(n // 10, 1)} tasks: {small['peak_rss_mb']:.0f} MB; raw POST {raw['peak_rss_mb']:.0f} MB)",
                    "≤ 1.3×; memory flat",
                    r["time_ratio"] <= 1.3,
                )
            )
        elif "push" in stages:
            rows.append(("push", f"{n} tasks", "one raw bulk import POST", "skipped: no Label Studio", "≤ 1.3×", None))
        if "pull" in stages or "agree" in stages:
            size = run("export", n, work)["export_mb"]
            # Alternating repeats, best of each: the machine is shared and a single run can be unlucky.
            bases, ourss = [], []
            for _ in range(args.repeat):
                bases.append(run("baseline_load", n, work))
                ourss.append(pull_and_compile(n, work))
            base = min(bases, key=lambda r: r["seconds"])
            ours = results["pull_compile"] = min(ourss, key=lambda r: r["seconds"])
            ours["peak_rss_mb"] = max(r["peak_rss_mb"] for r in ourss)
            near = results["near_duplicates"] = run("near_duplicates", n, work)
            ratio = ours["seconds"] / base["seconds"]
            rss_ratio = ours["peak_rss_mb"] / size
            results["pull_baseline"] = base
            rows.append(
                (
                    "pull + normalise + compile",
                    f"{n} tasks × 3 ({size:.0f} MB export)",
                    "`json.load` + write the records as JSONL",
                    f"time {ratio:.2f}× ({ours['seconds']:.1f} s = pull {ours['pull']['seconds']:.1f} s + compile "
                    f"{ours['compile']['seconds']:.1f} s, vs {base['seconds']:.1f} s); peak RSS "
                    f"{ours['peak_rss_mb']:.0f} MB = {rss_ratio:.1f}× export (pull {ours['pull']['peak_rss_mb']:.0f} MB, "
                    f"compile {ours['compile']['peak_rss_mb']:.0f} MB; baseline {base['peak_rss_mb']:.0f} MB); "
                    f"compile's near-duplicate pass alone {near['seconds']:.1f} s + import {near['import_s']:.1f} s",
                    "≤ 3×; RSS ≤ 4× export",
                    ratio <= 3 and rss_ratio <= 4,
                )
            )
        if "krippendorff" in stages:
            r = results["krippendorff"] = run("krippendorff", n, work)
            rows.append(
                (
                    "krippendorff_alpha",
                    f"{n} units × 5 coders",
                    "`krippendorff.alpha`",
                    f"time {r['time_ratio']:.2f}×, same value: {r['same_value']}",
                    "≤ 1×, same value",
                    r["time_ratio"] <= 1 and r["same_value"],
                )
            )
        if "agree" in stages:
            r = results["agree"] = run("agree", n, work)
            rows.append(
                (
                    "agree",
                    f"{n} tasks × 3",
                    "(none)",
                    f"{r['seconds']:.2f} s, {r['ms_per_task']:.3f} ms/task",
                    "linear",
                    None,
                )
            )
        loop_rows, tables = bench_loop.rows(stages, args, n, work, run, results)
        rows.extend(loop_rows)
        scaling = []
        for size_text in filter(None, args.scaling.split(",")):
            m = int(size_text)
            with tempfile.TemporaryDirectory(prefix="annotate-scale-") as tmp2:
                w = Path(tmp2)
                mb = run("export", m, w)["export_mb"]
                r = pull_and_compile(m, w)
                scaling.append((m, mb, r["seconds"], r["peak_rss_mb"]))
    if args.json:
        print(json.dumps({"rows": rows, "results": results, "scaling": scaling, "tables": tables}, indent=2))
        return
    print(
        f"annotate benchmarks, {datetime.now(timezone.utc).isoformat(timespec='minutes')}, "
        f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores"
    )
    print("| stage | size | baseline (same run) | result | target | met |")
    print("|---|---|---|---|---|---|")
    for stage, size, baseline, result, target, met in rows:
        mark = "n/a" if met is None else ("yes" if met else "**no**")
        print(f"| {stage} | {size} | {baseline} | {result} | {target} | {mark} |")
    for table in tables:
        print("\n" + "\n".join(table))
    if scaling:
        print("\n| tasks (× 3 annotators) | export MB | pull + compile s | µs per task | peak RSS MB |")
        print("|---:|---:|---:|---:|---:|")
        for m, mb, seconds, rss in scaling:
            print(f"| {m} | {mb:.1f} | {seconds:.1f} | {1e6 * seconds / m:.0f} | {rss:.0f} |")


if __name__ == "__main__":
    main()
