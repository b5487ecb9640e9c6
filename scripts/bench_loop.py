"""Benchmarks of the model in the loop (issue 18), run by scripts/bench.py as the stages `corrections` and `predict`:

    python scripts/bench.py --stages corrections,predict                  # the issue's numbers (a few minutes)
    python scripts/bench.py --stages corrections,predict --size 20 --retrain-steps 5 --latency-runs 3   # smoke

* corrections: the seed gold in reading order; for each paragraph the default model's spans (mapped with the
  schema as `preannotate` maps them) against its gold, counted by `annotate.core.corrections`. Two arms: the
  frozen model for every paragraph, and the model retrained every `--retrain-every` paragraphs from the base
  model on all the gold paragraphs seen so far (`annotate.model.retrain.train_on_documents`). The first block is
  the base model's in both arms. `--size` caps the paragraphs (the seeds have 78).
* predict: the ML backend's `/predict` (`annotate.workflows.model.backend()`), called in-process with FastAPI's
  TestClient (the ASGI app, JSON in and out, no socket; one event loop kept open for every request), with the payload Label Studio sends, for one task and
  for a batch of 50 seed paragraphs; side by side in the same loop, bare `nlp.pipe` on the same texts (the
  baseline) and the beam scoring `/predict` runs (`scored_entities`, no HTTP).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "fixtures" / "seeds_gold.jsonl"
BATCH = 50


def _gold(n: int) -> list:
    from annotate.core.documents import in_reading_order
    from annotate.corpus.gold import read_gold

    return in_reading_order(read_gold(GOLD))[:n]


def _arm(per_paragraph: list, every: int) -> dict:
    """One arm's totals: corrections, the mean per paragraph, per block of `every` paragraphs, and ORG's."""
    from annotate.core.corrections import Corrections

    total = sum(per_paragraph, Corrections())
    blocks = [sum(per_paragraph[i : i + every], Corrections()) for i in range(0, len(per_paragraph), every)]
    return {
        "total": total.total,
        "added": total.added,
        "deleted": total.deleted,
        "changed": total.changed,
        "per_paragraph": total.total / len(per_paragraph),
        "org": total.by_label["ORG"],
        "by_label": dict(sorted(total.by_label.items())),
        "blocks": [b.total for b in blocks],
        "blocks_org": [b.by_label["ORG"] for b in blocks],
        "paragraphs": [c.total for c in per_paragraph],
    }


def step_corrections(n: int, work: Path, every: int = 10, steps: int = 200) -> dict:
    from annotate.core.corrections import count_corrections
    from annotate.io.schemas import load_schema
    from annotate.model.preannotate import load_model, preannotate
    from annotate.model.retrain import train_on_documents

    gold = _gold(n)
    schema = load_schema(None)
    nlp, info = load_model(None)
    frozen, _ = preannotate(gold, nlp, info, schema)
    retrained, train_s = [], []
    for first in range(0, len(gold), every):
        model, model_info = nlp, info
        if first:
            t = time.perf_counter()
            run = train_on_documents(gold[:first], work / f"retrain-{first}", max_steps=steps, seed=0)
            train_s.append(time.perf_counter() - t)
            model, model_info = load_model(str(run.model))
        block, _ = preannotate(gold[first : first + every], model, model_info, schema)
        retrained.extend(block)
    return {
        "paragraphs": len(gold),
        "every": every,
        "max_steps": steps,
        "retrains": len(train_s),
        "train_s": sum(train_s),
        "frozen": _arm([count_corrections(p.spans, g.spans) for p, g in zip(frozen, gold, strict=True)], every),
        "retrained": _arm([count_corrections(p.spans, g.spans) for p, g in zip(retrained, gold, strict=True)], every),
    }


def _percentiles(seconds: list[float]) -> dict:
    cuts = statistics.quantiles(seconds, n=100, method="inclusive")
    return {"p50_ms": 1000 * cuts[49], "p95_ms": 1000 * cuts[94]}


def step_predict(n: int, work: Path, runs: int = 30) -> dict:
    from fastapi.testclient import TestClient

    from annotate.core.schema import label_config
    from annotate.io.schemas import load_schema
    from annotate.model.preannotate import load_model
    from annotate.model.scores import scored_entities
    from annotate.workflows.model import backend

    schema = load_schema(None)
    config = label_config(schema)
    texts = [d.text for d in _gold(min(n, BATCH))]
    ready = backend()
    http = TestClient(ready.app)
    http.__enter__()  # one event loop for every request, as a running server has (not one per request)
    nlp, _ = load_model(None)

    def served(batch: list[str]) -> None:
        payload = {
            "tasks": [{"id": i + 1, "data": {"text": text}} for i, text in enumerate(batch)],
            "project": "1.0",
            "label_config": config,
        }
        answer = http.post("/predict", json=payload)
        if answer.status_code != 200 or len(answer.json()["results"]) != len(batch):
            raise SystemExit(f"/predict answered {answer.status_code}: {answer.text[:300]}")

    def bare(batch: list[str]) -> None:
        for doc in nlp.pipe(batch, batch_size=64):
            [(e.start_char, e.end_char, e.label_) for e in doc.ents]

    def scoring(batch: list[str]) -> None:
        scored_entities(nlp, batch, schema, batch_size=64)

    ways: dict[str, Callable[[list[str]], None]] = {"predict": served, "bare": bare, "scoring": scoring}
    out: dict = {"runs": runs, "batch_size": len(texts), "client": "fastapi.testclient.TestClient (in-process)"}
    for size_name, batches in (("one", [[t] for t in texts]), ("batch", [texts])):
        for way in ways.values():  # warm up
            for batch in batches[:3]:
                way(batch)
        seconds: dict[str, list[float]] = {name: [] for name in ways}
        for r in range(runs):  # the three ways alternate, on the same texts each repetition
            batch = batches[r % len(batches)]
            for name, way in ways.items():
                t = time.perf_counter()
                way(batch)
                seconds[name].append(time.perf_counter() - t)
        out[size_name] = {name: _percentiles(values) for name, values in seconds.items()}
        for q in ("p50_ms", "p95_ms"):
            out[size_name][f"ratio_{q[:3]}"] = out[size_name]["predict"][q] / out[size_name]["bare"][q]
    http.__exit__(None, None, None)
    return out


STEPS = {"corrections": step_corrections, "predict": step_predict}


def rows(stages: list[str], args, n: int, work: Path, run: Callable[..., dict], results: dict) -> tuple[list, list]:
    """The table rows of the loop stages asked for, and their extra tables (lines of Markdown)."""
    out, tables = [], []
    if "corrections" in stages:
        options = {"every": args.retrain_every, "steps": args.retrain_steps}
        r = results["corrections"] = run("corrections", n, work, options)
        frozen, loop = r["frozen"], r["retrained"]
        ratio = loop["total"] / frozen["total"] if frozen["total"] else float("nan")
        out.append(
            (
                "corrections",
                f"{r['paragraphs']} seed paragraphs, reading order; retrain every {r['every']} "
                f"(max_steps {r['max_steps']}, {r['retrains']} runs, {r['train_s']:.0f} s)",
                "frozen model",
                f"corrections {ratio:.2f}× ({loop['total']} vs {frozen['total']}; per paragraph "
                f"{loop['per_paragraph']:.2f} vs {frozen['per_paragraph']:.2f}); ORG {loop['org']} vs {frozen['org']}",
                "fewer",
                loop["total"] < frozen["total"],
            )
        )
        every, count = r["every"], r["paragraphs"]
        heads = [f"{i + 1}–{min(i + every, count)}" for i in range(0, count, every)]
        tables.append(
            [
                "| arm | total | per paragraph | added / deleted / changed | ORG | per block of "
                f"{every}: {', '.join(heads)} | ORG per block |",
                "|---|---:|---:|---|---:|---|---|",
                *(
                    f"| {name} | {a['total']} | {a['per_paragraph']:.2f} | {a['added']} / {a['deleted']} / "
                    f"{a['changed']} | {a['org']} | {', '.join(map(str, a['blocks']))} | "
                    f"{', '.join(map(str, a['blocks_org']))} |"
                    for name, a in (("frozen", frozen), (f"retrained every {every}", loop))
                ),
            ]
        )
    if "predict" in stages:
        r = results["predict"] = run("predict", n, work, {"runs": args.latency_runs})
        for key, size in (("one", "1 task"), ("batch", f"batch of {r['batch_size']} tasks")):
            m = r[key]
            out.append(
                (
                    "/predict",
                    f"{size}, {r['runs']} runs (TestClient, in-process)",
                    "bare `nlp.pipe`, same texts",
                    f"p50 {m['predict']['p50_ms']:.1f} ms ({m['ratio_p50']:.2f}×, bare {m['bare']['p50_ms']:.1f} ms), "
                    f"p95 {m['predict']['p95_ms']:.1f} ms ({m['ratio_p95']:.2f}×, bare {m['bare']['p95_ms']:.1f} ms); "
                    f"beam scoring alone p50 {m['scoring']['p50_ms']:.1f} ms",
                    "(none)",
                    None,
                )
            )
    return out, tables
