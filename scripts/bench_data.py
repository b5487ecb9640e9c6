"""Deterministic benchmark data from the seed paragraphs and their hand-made gold.

``export(n, annotators=3, seed=0)`` builds a Label Studio JSON export of ``n`` tasks:
seed paragraphs cycled (each copy made unique by a numbered sentence appended, so
ids differ), the model's predictions, and ``annotators`` annotators who follow the
gold with realistic slips: a missed entity (6%), a wrong label (5%), a boundary
off by a word (3%), a spurious span (2% of tasks), a skipped task (1%).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "fixtures" / "seeds_gold.jsonl"
PRE = ROOT / "tests" / "fixtures" / "seed_documents.jsonl"
LABELS = ["PERSON", "ORG", "GPE", "LOC", "NORP", "DATE", "CARDINAL"]


def seed_gold() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


def paragraphs(n: int) -> list[dict]:
    """n gold paragraphs: the seeds cycled, copies made unique by an appended sentence."""
    gold = seed_gold()
    out = []
    for i in range(n):
        g = gold[i % len(gold)]
        copy = i // len(gold)
        text = g["text"] if copy == 0 else f"{g['text']} Report {copy}."
        out.append(
            {
                "id": f"b{i:07d}",
                "text": text,
                "spans": g["spans"],
                "source": f"bench-{i % 97}.txt",
                "article": i // 20,
                "paragraph": i % 20,
            }
        )
    return out


def _region(text: str, span: dict) -> dict:
    return {
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "value": {
            "start": span["start"],
            "end": span["end"],
            "text": text[span["start"] : span["end"]],
            "labels": [span["label"]],
        },
    }


def _slipped(rng: random.Random, text: str, spans: list[dict]) -> list[dict]:
    out = []
    for s in spans:
        r = rng.random()
        if r < 0.06:
            continue
        if r < 0.11:
            s = {**s, "label": rng.choice([label for label in LABELS if label != s["label"]])}
        elif r < 0.14:
            nxt = text.find(" ", s["end"] + 1)
            if nxt > s["end"]:
                s = {**s, "end": nxt}
        out.append(s)
    if rng.random() < 0.02:
        space = text.find(" ")
        if space > 0 and not any(x["start"] < space for x in out):
            out.append({"start": 0, "end": space, "label": rng.choice(LABELS)})
    return sorted(out, key=lambda s: (s["start"], s["end"]))


def export(n: int, annotators: int = 3, seed: int = 0) -> list[dict]:
    rng = random.Random(seed)
    tasks = []
    for i, p in enumerate(paragraphs(n)):
        prediction = {
            "id": i + 1,
            "model_version": "en_core_web_sm-3.8.0",
            "result": [_region(p["text"], s) for s in _slipped(rng, p["text"], p["spans"])],
        }
        anns = []
        for a in range(annotators):
            if rng.random() < 0.01:
                anns.append({"id": i * 10 + a, "completed_by": a + 1, "result": [], "was_cancelled": True})
                continue
            spans = _slipped(rng, p["text"], p["spans"])
            anns.append(
                {
                    "id": i * 10 + a,
                    "completed_by": a + 1,
                    "result": [_region(p["text"], s) for s in spans],
                    "was_cancelled": False,
                    "ground_truth": False,
                    "lead_time": round(rng.uniform(4, 90), 2),
                    "created_at": "2026-11-01T10:00:00Z",
                    "updated_at": "2026-11-01T10:00:00Z",
                    "prediction": prediction,
                }
            )
        tasks.append(
            {
                "id": i + 1,
                "annotations": anns,
                "drafts": [],
                "predictions": [i + 1],
                "data": {
                    "text": p["text"],
                    "doc_id": p["id"],
                    "source": p["source"],
                    "article": p["article"],
                    "paragraph": p["paragraph"],
                    "offset": 0,
                },
            }
        )
    return tasks


def write_export(path: Path, n: int, annotators: int = 3, seed: int = 0) -> Path:
    path.write_text(json.dumps(export(n, annotators, seed)), encoding="utf-8")
    return path
