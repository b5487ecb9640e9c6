"""Gold and predictions in any shape read (the short JSONL shape, a spaCy DocBin, CoNLL IOB2), through the real
CLI; every bad input gives one coded error naming the file and line, exit 1, never a traceback."""

from __future__ import annotations

import json

import pytest
import spacy
from spacy.tokens import DocBin

from annotate.core.documents import document_id
from annotate.io.inputs import read_input_documents

from .conftest import ROOT, SCHEMA, run_cli

TEXT_A = "Ada Lovelace met Babbage in London."
TEXT_B = "Paris is big."
GOLD_A = [(0, 12, "PERSON"), (17, 24, "PERSON"), (28, 34, "GPE")]
GOLD_B = [(0, 5, "GPE")]
# predicted: Ada Lovelace PERSON (right), London ORG (wrong label), Babbage missed; Paris GPE (right)
PRED_A = [(0, 12, "PERSON"), (28, 34, "ORG")]
PRED_B = [(0, 5, "GPE")]


def spans(triples):
    return [{"start": s, "end": e, "label": label} for s, e, label in triples]


def write_lines(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def evaluate(gold, predictions, *extra):
    done = run_cli(
        "evaluate", "--gold", str(gold), "--predictions", str(predictions), "--json", "--bootstrap", "0",
        "--schema", str(SCHEMA), *extra, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def assert_hand_computed(result):
    # tp: Ada Lovelace, Paris; fp: London as ORG; fn: Babbage, London as GPE
    micro = result["micro"]
    assert (micro["tp"], micro["fp"], micro["fn"], micro["support"]) == (2, 1, 2, 4)
    assert micro["precision"] == pytest.approx(2 / 3) and micro["recall"] == pytest.approx(1 / 2)
    assert micro["f1"] == pytest.approx(2 * (2 / 3) * (1 / 2) / (2 / 3 + 1 / 2))  # 4/7
    per = result["per_label"]
    assert (per["PERSON"]["tp"], per["PERSON"]["fn"], per["PERSON"]["fp"]) == (1, 1, 0)
    assert (per["GPE"]["tp"], per["GPE"]["fn"], per["GPE"]["fp"]) == (1, 1, 0)
    assert (per["ORG"]["tp"], per["ORG"]["fp"], per["ORG"]["support"]) == (0, 1, 0)
    assert result["missing_predictions"] == 0 and result["n_documents"] == 2


def test_plain_gold_and_prediction_lines_are_scored(tmp_path):
    gold = write_lines(
        tmp_path / "gold.jsonl",
        [{"id": "a", "text": TEXT_A, "spans": spans(GOLD_A)}, {"id": "b", "text": TEXT_B, "spans": spans(GOLD_B)}],
    )
    preds = write_lines(
        tmp_path / "preds.jsonl",
        [{"id": "a", "text": TEXT_A, "spans": spans(PRED_A)}, {"text": TEXT_B, "spans": spans(PRED_B)}],
    )
    assert_hand_computed(evaluate(gold, preds))
    # "meta": {} (the traceback of issue 16) and no ids at all: matched by text
    write_lines(
        gold,
        [{"text": TEXT_A, "spans": spans(GOLD_A), "meta": {}}, {"text": TEXT_B, "spans": spans(GOLD_B), "meta": None}],
    )
    write_lines(preds, [{"text": TEXT_B, "spans": spans(PRED_B)}, {"text": TEXT_A, "spans": spans(PRED_A)}])
    assert_hand_computed(evaluate(gold, preds))


def test_default_ids_and_meta_are_the_ingest_hash_and_line_based(tmp_path):
    path = write_lines(
        tmp_path / "g.jsonl",
        [{"text": TEXT_B, "spans": []}, {"text": TEXT_B, "spans": []}, {"text": TEXT_A, "spans": [], "meta": {"k": 1}}],
    )
    found = read_input_documents(path)
    assert [d.doc.id for d in found] == [
        document_id("g.jsonl", TEXT_B, 0),
        document_id("g.jsonl", TEXT_B, 1),
        document_id("g.jsonl", TEXT_A, 0),
    ]
    assert [(d.doc.source, d.doc.paragraph, d.doc.offset, d.has_id) for d in found] == [
        ("g.jsonl", 0, 0, False),
        ("g.jsonl", 1, 0, False),
        ("g.jsonl", 2, 0, False),
    ]
    assert found[2].doc.extra_meta == {"k": 1} and [d.where for d in found] == ["line 1", "line 2", "line 3"]


def make_docbin(path, with_ids):
    nlp = spacy.blank("en")
    docbin = DocBin(store_user_data=with_ids)
    for doc_id, text, ents in (("a", TEXT_A, GOLD_A), ("b", TEXT_B, GOLD_B)):
        doc = nlp.make_doc(text)
        doc.ents = [doc.char_span(s, e, label=label) for s, e, label in ents]
        if with_ids:
            doc.user_data["id"] = doc_id
        docbin.add(doc)
    docbin.to_disk(path)
    return path


@pytest.mark.parametrize("with_ids", [False, True])
def test_docbin_gold(tmp_path, with_ids):
    gold = make_docbin(tmp_path / "gold.spacy", with_ids)
    records = [{"text": TEXT_A, "spans": spans(PRED_A)}, {"text": TEXT_B, "spans": spans(PRED_B)}]
    if with_ids:
        records = [{"id": "a", **records[0]}, {"id": "b", **records[1]}]
    preds = write_lines(tmp_path / "preds.jsonl", records)
    assert_hand_computed(evaluate(gold, preds))
    found = read_input_documents(gold)
    assert [(d.doc.text, d.has_id) for d in found] == [(TEXT_A, with_ids), (TEXT_B, with_ids)]


def conll(docs):
    out = []
    for sentences in docs:
        out.append("-DOCSTART- -X- O O\n\n")
        for sentence in sentences:
            out.append("".join(f"{token} -X- _ {tag}\n" for token, tag in sentence) + "\n")
    return "".join(out)


GOLD_CONLL = [
    [
        [("Ada", "B-PERSON"), ("Lovelace", "I-PERSON"), ("met", "O"), ("Babbage", "B-PERSON")],
        [("in", "O"), ("London", "B-GPE"), (".", "O")],
    ],
    [[("Paris", "B-GPE"), ("is", "O"), ("big", "O"), (".", "O")]],
]
PRED_CONLL = [
    [
        [("Ada", "B-PERSON"), ("Lovelace", "I-PERSON"), ("met", "O"), ("Babbage", "O")],
        [("in", "O"), ("London", "B-ORG"), (".", "O")],
    ],
    [[("Paris", "B-GPE"), ("is", "O"), ("big", "O"), (".", "O")]],
]


def test_conll_gold_and_predictions(tmp_path):
    gold = tmp_path / "gold.conll"
    gold.write_text(conll(GOLD_CONLL), encoding="utf-8")
    preds = tmp_path / "preds.iob"
    preds.write_text(conll(PRED_CONLL), encoding="utf-8")
    assert_hand_computed(evaluate(gold, preds))
    first = read_input_documents(gold)[0]
    assert first.doc.text == "Ada Lovelace met Babbage in London ." and first.where == "line 3"
    assert [first.doc.text[s.start : s.end] for s in first.doc.spans] == ["Ada Lovelace", "Babbage", "London"]


def test_conll_predictions_against_jsonl_gold_are_matched_by_text(tmp_path):
    # the CoNLL text ("London .") differs from the gold's ("London.") only in whitespace: spans are moved onto it
    gold = write_lines(
        tmp_path / "gold.jsonl",
        [{"id": "a", "text": TEXT_A, "spans": spans(GOLD_A)}, {"id": "b", "text": TEXT_B, "spans": spans(GOLD_B)}],
    )
    preds = tmp_path / "preds.txt"  # a .txt told by its content
    preds.write_text(conll(PRED_CONLL), encoding="utf-8")
    assert_hand_computed(evaluate(gold, preds))


def test_sentences_without_docstart_are_documents(tmp_path):
    path = tmp_path / "g.conll"
    path.write_text("Ada\tB-PER\nmet\tO\n\nBob\tB-PER\n", encoding="utf-8")
    found = read_input_documents(path)
    assert [(d.doc.text, d.where, [tuple(s) for s in d.doc.spans]) for d in found] == [
        ("Ada met", "line 1", [(0, 3, "PER")]),
        ("Bob", "line 4", [(0, 3, "PER")]),
    ]


GOOD = {"id": "a", "text": TEXT_A, "spans": spans(GOLD_A)}


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("g.jsonl", [GOOD, {"id": "b", "spans": []}], r"\[E140\] \S*g.jsonl, line 2: no 'text' field"),
        ("g.jsonl", [{"text": TEXT_B}], r"\[E140\] \S*g.jsonl, line 1: no 'spans' field"),
        ("g.jsonl", [{"text": 7, "spans": []}], r"\[E141\] \S*g.jsonl, line 1: 'text' is int, not a string"),
        ("g.jsonl", [GOOD, {"text": TEXT_B, "spans": {"start": 0}}], r"\[E141\] \S*g.jsonl, line 2: 'spans' is dict"),
        ("g.jsonl", [{"text": TEXT_B, "spans": spans([(0, 99, "GPE")])}], r"\[E142\] \S*g.jsonl, line 1: span 0 "),
        ("g.jsonl", [{"text": TEXT_B, "spans": [{"start": 0, "end": 5}]}], r"\[E142\] \S*g.jsonl, line 1: .*label"),
        (
            "g.jsonl",
            [{"text": TEXT_B, "spans": [], "meta": {"offset": -1}}],
            r"\[E141\] \S*g.jsonl, line 1: 'meta.offset'",
        ),
        ("g.jsonl", [{"text": TEXT_B, "spans": [], "id": ["x"]}], r"\[E141\] \S*g.jsonl, line 1: 'id' is list"),
        ("g.conll", "Ada B-PER\nmet O\nLovelace I-PER\n", r"\[E144\] \S*g.conll, line 3: tag 'I-PER' after 'O'"),
        ("g.conll", "Ada B-PER\nLovelace I-ORG\n", r"\[E144\] \S*g.conll, line 2: tag 'I-ORG' after 'B-PER'"),
        ("g.conll", "Ada B-PER\n\nLovelace I-PER\n", r"\[E144\] \S*g.conll, line 3:"),
        ("g.conll", "Ada B-PER\nLovelace\n", r"\[E143\] \S*g.conll, line 2: not a CoNLL line \(one column"),
        ("g.conll", "Ada B-PER\nmet X-PER\n", r"\[E143\] \S*g.conll, line 2: .*'X-PER'"),
        ("g.txt", "just some prose\n", r"\[E146\] \S*g.txt: cannot tell"),
        ("g.spacy", "not a docbin", r"\[E145\] \S*g.spacy is not a readable spaCy DocBin"),
        ("g.conll", "\n\n", r"\[E148\] \S*g.conll holds no documents"),
    ],
)
def test_bad_gold_gives_a_coded_error_with_file_and_line(tmp_path, name, content, message):
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        write_lines(path, content)
    preds = write_lines(tmp_path / "p.jsonl", [GOOD])
    done = run_cli("evaluate", "--gold", str(path), "--predictions", str(preds), "--json", "--schema", str(SCHEMA))
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert __import__("re").search(message, done.stderr), done.stderr
    # the same file as predictions: the same error
    gold = write_lines(tmp_path / "gold.jsonl", [GOOD])
    done = run_cli("evaluate", "--gold", str(gold), "--predictions", str(path), "--json", "--schema", str(SCHEMA))
    assert done.returncode == 1 and __import__("re").search(message, done.stderr), done.stderr


def test_predictions_that_match_no_gold_are_named(tmp_path):
    gold = write_lines(tmp_path / "gold.jsonl", [GOOD])
    preds = write_lines(tmp_path / "p.jsonl", [{"text": "Something else.", "spans": []}])
    done = run_cli("evaluate", "--gold", str(gold), "--predictions", str(preds), "--schema", str(SCHEMA))
    assert done.returncode == 1 and "[E147]" in done.stderr and "p.jsonl, line 1" in done.stderr, done.stderr
    write_lines(preds, [GOOD, {"id": "zz", "text": TEXT_A, "spans": []}])
    done = run_cli("evaluate", "--gold", str(gold), "--predictions", str(preds), "--schema", str(SCHEMA))
    assert done.returncode == 1 and "[E086]" in done.stderr and "p.jsonl, line 2" in done.stderr, done.stderr


def test_report_reads_a_conll_gold(tmp_path):
    from annotate.corpus.api import load_gold

    gold = tmp_path / "gold.conll"
    gold.write_text(conll(GOLD_CONLL), encoding="utf-8")
    selected, every, description = load_gold(gold, "all")
    assert len(selected) == len(every) == 2 and description == str(gold)
    assert [len(d.spans) for d in every] == [3, 1]


def test_preannotate_accepts_plain_lines(tmp_path):
    docs = write_lines(tmp_path / "docs.jsonl", [{"text": TEXT_A}, {"text": TEXT_B, "spans": []}])
    out = tmp_path / "pre.jsonl"
    done = run_cli("preannotate", str(docs), "-o", str(out), "--schema", str(SCHEMA), cwd=ROOT)
    assert done.returncode == 0, done.stderr
    written = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in written] == [document_id("docs.jsonl", TEXT_A), document_id("docs.jsonl", TEXT_B)]
    assert [r["meta"]["source"] for r in written] == ["docs.jsonl", "docs.jsonl"]
    assert any(s["label"] == "GPE" for s in written[1]["spans"])  # the model found Paris
