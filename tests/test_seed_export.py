"""The worked example's first steps on the seeds: `annotate ingest seeds/` → scripts/seed_export.py (the two hand
passes as annotators 1 and 2) → `pull --from-file` → `agree` → `compile`. The agreement is the two passes', and the
gold is what both passes marked."""

import json
import subprocess
import sys

import krippendorff
import numpy as np
import pytest
import srsly
from sklearn.metrics import cohen_kappa_score

from annotate.core.agreement import agreement_report
from annotate.core.alignment import blank_pipeline, token_labels
from annotate.core.spans import Span

from .conftest import ROOT, SEEDS, run_cli

FIXTURES = ROOT / "tests" / "fixtures"
LABELS = ["PERSON", "ORG", "GPE", "LOC", "NORP", "DATE", "CARDINAL"]


def read_pass(name):
    return {r["id"]: [Span(s["start"], s["end"], s["label"]) for s in r["spans"]] for r in srsly.read_jsonl(name)}


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    folder = tmp_path_factory.mktemp("seeds")
    assert run_cli("ingest", str(SEEDS), cwd=folder).returncode == 0
    exported = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "seed_export.py")], cwd=folder, capture_output=True, text=True
    )
    assert exported.returncode == 0, exported.stderr
    assert "tasks, 2 annotators (pass-a@seeds, pass-b@seeds), 595 spans written" in exported.stdout
    pulled = run_cli("pull", "--from-file", "data/seeds-export.json", cwd=folder)
    assert pulled.returncode == 0, pulled.stderr
    agreed = run_cli("agree", "--json", cwd=folder)
    assert agreed.returncode == 0, agreed.stderr
    compiled = run_cli("compile", "--name", "seeds", cwd=folder)
    assert compiled.returncode == 0, compiled.stderr
    return folder, json.loads(agreed.stdout)


def test_the_export_is_the_documents_with_both_passes(chain):
    folder, _ = chain
    tasks = json.loads((folder / "data" / "seeds-export.json").read_text())
    documents = list(srsly.read_jsonl(folder / "data" / "documents.jsonl"))
    passes = {
        "pass-a@seeds": read_pass(FIXTURES / "seeds-pass-a.jsonl"),
        "pass-b@seeds": read_pass(FIXTURES / "seeds-pass-b.jsonl"),
    }
    assert [t["data"]["doc_id"] for t in tasks] == [d["id"] for d in documents]
    for task, doc in zip(tasks, documents, strict=True):
        assert task["data"]["text"] == doc["text"] and task["data"]["article"] == doc["meta"]["article"]
        assert [(a["completed_by"]["id"], a["completed_by"]["email"]) for a in task["annotations"]] == [
            (1, "pass-a@seeds"),
            (2, "pass-b@seeds"),
        ]
        for annotation in task["annotations"]:
            spans = [
                Span(r["value"]["start"], r["value"]["end"], r["value"]["labels"][0]) for r in annotation["result"]
            ]
            assert spans == passes[annotation["completed_by"]["email"]][doc["id"]]
            assert all(
                r["value"]["text"] == doc["text"][r["value"]["start"] : r["value"]["end"]] for r in annotation["result"]
            )


def test_the_agreement_is_that_of_the_two_passes(chain):
    _, agreed = chain
    texts = {d["id"]: d["text"] for d in srsly.read_jsonl(FIXTURES / "seed_documents.jsonl")}
    a, b = read_pass(FIXTURES / "seeds-pass-a.jsonl"), read_pass(FIXTURES / "seeds-pass-b.jsonl")
    # an empty submission is set aside, never read as "no entities" (README: Agreement): both passes left 5 empty
    both = [i for i in a if a[i] and b[i]]
    assert len(both) == 73 == agreed["n_documents"]
    nlp = blank_pipeline("en")
    tokens = {
        i: {"A": token_labels(nlp.make_doc(texts[i]), a[i]), "B": token_labels(nlp.make_doc(texts[i]), b[i])}
        for i in both
    }
    expected = agreement_report({i: {"A": a[i], "B": b[i]} for i in both}, tokens, LABELS)
    pair = agreed["pairwise"][0]
    assert pair["n_documents"] == 73
    assert pair["f1_strict"] == pytest.approx(expected.pairwise[0]["f1_strict"], abs=1e-12)
    assert pair["cohen_kappa"] == pytest.approx(expected.pairwise[0]["cohen_kappa"], abs=1e-12)
    assert agreed["krippendorff_alpha"] == pytest.approx(expected.krippendorff_alpha, abs=1e-12)
    # and against the reference packages and the definition, on the passes themselves
    matches = sum(len(set(a[i]) & set(b[i])) for i in both)
    assert pair["f1_strict"] == pytest.approx(2 * matches / sum(len(a[i]) + len(b[i]) for i in both), abs=1e-12)
    flat_a = [t for i in both for t in tokens[i]["A"]]
    flat_b = [t for i in both for t in tokens[i]["B"]]
    assert pair["cohen_kappa"] == pytest.approx(cohen_kappa_score(flat_a, flat_b), abs=1e-9)
    codes = {label: n for n, label in enumerate(["O", *LABELS])}
    data = np.array([[codes[t] for t in flat_a], [codes[t] for t in flat_b]], dtype=float)
    assert agreed["krippendorff_alpha"] == pytest.approx(
        krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"), abs=1e-9
    )
    assert 0.99 < agreed["krippendorff_alpha"] < 1  # the passes differ on 3 spans of 595


def test_the_gold_is_what_both_passes_marked(chain):
    folder, _ = chain
    a, b = read_pass(FIXTURES / "seeds-pass-a.jsonl"), read_pass(FIXTURES / "seeds-pass-b.jsonl")
    gold = {
        d["id"]: [Span.from_dict(s) for s in d["spans"]]
        for d in srsly.read_jsonl(folder / "corpus" / "seeds" / "v1" / "gold.jsonl")
    }
    assert set(gold) == set(a)  # every paragraph, those without entities included
    assert all(sorted(gold[i]) == sorted(set(a[i]) & set(b[i])) for i in gold)
    manifest = json.loads((folder / "corpus" / "seeds" / "v1" / "manifest.json").read_text())
    assert manifest["counts"]["documents"] == 78 and sum(len(s) for s in gold.values()) == 296
    conflicts = list(srsly.read_jsonl(folder / "corpus" / "seeds" / "v1" / "conflicts.jsonl"))
    assert {c["doc_id"] for c in conflicts} == {i for i in a if set(a[i]) != set(b[i])}


def test_the_stories_ingest_gives_reach_the_splits_and_the_chain_trains_and_evaluates(tmp_path):
    """Stories come from the ingest output (here set by hand, as a story sidecar would): the export carries them to
    the compiled splits, and the chain goes on to `train` and `evaluate` base vs fine-tuned on the test split."""
    assert run_cli("ingest", str(SEEDS), cwd=tmp_path).returncode == 0
    documents = list(srsly.read_jsonl(tmp_path / "data" / "documents.jsonl"))
    for d in documents:
        d["meta"]["article"] = d["meta"]["paragraph"] // 10  # a stand-in for story boundaries: 9 stories
    srsly.write_jsonl(tmp_path / "data" / "documents.jsonl", documents)
    script = [sys.executable, str(ROOT / "scripts" / "seed_export.py")]
    assert subprocess.run(script, cwd=tmp_path, capture_output=True).returncode == 0
    assert run_cli("pull", "--from-file", "data/seeds-export.json", cwd=tmp_path).returncode == 0
    assert run_cli("compile", "--name", "seeds", cwd=tmp_path).returncode == 0
    splits = json.loads((tmp_path / "corpus" / "seeds" / "v1" / "splits.json").read_text())
    story = {d["id"]: (d["meta"]["source"], d["meta"]["article"]) for d in documents}
    stories = {name: {story[i] for i in ids} for name, ids in splits.items()}
    assert all(stories.values()) and not stories["train"] & (stories["dev"] | stories["test"])
    trained = run_cli(
        "train", "--corpus", "seeds", "-o", "models/seeds", "--max-steps", "4", "--eval-frequency", "2", cwd=tmp_path
    )
    assert trained.returncode == 0, trained.stderr[-2000:]
    base = json.loads((tmp_path / "models" / "seeds" / "training.json").read_text())["base_model"]
    compared = run_cli(
        "evaluate", "--gold", "seeds", "--model", base, "--model", "models/seeds/model-best", "--bootstrap", "20", "--json",
        cwd=tmp_path,
    )  # fmt: skip
    assert compared.returncode == 0, compared.stderr
    rows = json.loads(compared.stdout)["comparison"]
    assert [r["n_documents"] for r in rows] == [len(splits["test"])] * 2 and all(
        r["gold"].endswith("(test)") for r in rows
    )
