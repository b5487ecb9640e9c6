from collections import Counter

import pytest
import srsly

from annotate.core.documents import Document
from annotate.core.scores import task_score
from annotate.errors import AnnotateError
from annotate.model.preannotate import load_model, preannotate

from .conftest import SCHEMA, SEEDS, run_cli


def test_spans_match_the_model_and_use_only_schema_labels(preannotated, nlp_and_info, schema):
    nlp, info = nlp_and_info
    assert sum(len(d.spans) for d in preannotated) > 100
    for doc in preannotated:
        assert doc.model == info
        ents = {(e.start_char, e.end_char): e for e in nlp(doc.text).ents}
        for span in doc.spans:
            assert span.label in schema.label_names
            ent = ents[(span.start, span.end)]
            assert doc.text[span.start : span.end] == ent.text
            assert schema.map_model_label(ent.label_) == span.label


def test_unmapped_model_labels_are_dropped_and_counted(seed_documents, nlp_and_info, schema):
    nlp, info = nlp_and_info
    docs, stats = preannotate(seed_documents, nlp, info, schema)
    model_labels = Counter(e.label_ for d in seed_documents for e in nlp(d.text).ents)
    unmapped = {k: v for k, v in model_labels.items() if schema.map_model_label(k) is None}
    assert dict(stats.dropped) == unmapped
    assert sum(stats.kept.values()) == sum(len(d.spans) for d in docs)
    assert sum(stats.kept.values()) + sum(stats.dropped.values()) == sum(model_labels.values())


def test_only_the_pipes_ner_needs_run(nlp_and_info):
    nlp, info = nlp_and_info
    assert "ner" in nlp.pipe_names
    assert not {"tagger", "parser", "lemmatizer", "attribute_ruler"} & set(nlp.pipe_names)
    assert info.name and info.version


def test_model_from_a_path(tmp_path, nlp_and_info, seed_documents, preannotated, schema):
    nlp, _ = nlp_and_info
    nlp.to_disk(tmp_path / "model")
    nlp2, info2 = load_model(str(tmp_path / "model"))
    docs, _ = preannotate(seed_documents[:10], nlp2, info2, schema)
    assert [d.spans for d in docs] == [d.spans for d in preannotated[:10]]


def test_scores_leave_the_spans_as_they_are_and_bound_the_task_score(
    seed_documents, nlp_and_info, preannotated, schema
):
    nlp, info = nlp_and_info
    scored, stats = preannotate(seed_documents, nlp, info, schema, scores=True)
    _, plain_stats = preannotate(seed_documents, nlp, info, schema)
    assert [d.spans for d in scored] == [d.spans for d in preannotated]  # the same spans, the greedy parse's
    assert (stats.kept, stats.dropped) == (plain_stats.kept, plain_stats.dropped)
    assert scored == preannotated  # scores take no part in equality
    for doc in scored:
        assert len(doc.scores) == len(doc.spans) and all(0 < s <= 1 for s in doc.scores)
        assert doc.score is not None and 0 <= doc.score <= task_score(doc.scores)
        back = Document.from_dict(doc.to_dict())
        assert back.scores == pytest.approx(doc.scores, abs=1e-4) and back.score == pytest.approx(doc.score, abs=1e-4)
        assert doc.with_spans(doc.spans, doc.model).scores == ()  # new spans never keep stale scores
    assert len({d.score for d in scored}) > 10  # the scores tell paragraphs apart


def test_a_record_with_scores_on_some_spans_only_is_refused():
    record = {
        "id": "d1",
        "text": "Ada met Bob",
        "meta": {"source": "a.txt", "article": 0, "paragraph": 0, "offset": 0},
        "spans": [{"start": 0, "end": 3, "label": "PER", "score": 0.5}, {"start": 8, "end": 11, "label": "PER"}],
    }
    with pytest.raises(ValueError, match="some spans have a score"):
        Document.from_dict(record)
    record["spans"][1]["score"] = 0.25
    doc = Document.from_dict(record)
    assert (doc.scores, doc.score) == ((0.5, 0.25), None)


def test_unknown_model_is_a_clear_error():
    with pytest.raises(AnnotateError, match="Cannot load spaCy model 'no_such_model_xyz'"):
        load_model("no_such_model_xyz")


def test_cli_preannotate(tmp_path):
    docs = tmp_path / "docs.jsonl"
    out = tmp_path / "pre.jsonl"
    assert run_cli("ingest", str(SEEDS), "-o", str(docs)).returncode == 0
    result = run_cli("preannotate", str(docs), "-o", str(out), "--schema", str(SCHEMA))
    assert result.returncode == 0, result.stderr
    assert "spans kept" in result.stdout
    records = list(srsly.read_jsonl(out))
    assert len(records) == 78 and all(r["model"]["version"] for r in records)
    for r in records:
        assert 0 <= r["score"] <= 1 and r["score"] == pytest.approx(round(r["score"], 4), abs=1e-12)  # 4 decimals
        for s in r["spans"]:
            assert 0 <= s["start"] < s["end"] <= len(r["text"])
            assert r["score"] <= s["score"] <= 1
    plain = tmp_path / "plain.jsonl"
    result = run_cli("preannotate", str(docs), "-o", str(plain), "--schema", str(SCHEMA), "--no-scores")
    assert result.returncode == 0, result.stderr
    unscored = list(srsly.read_jsonl(plain))
    assert not any("score" in r for r in unscored) and not any("score" in s for r in unscored for s in r["spans"])
    strip = [[(s["start"], s["end"], s["label"]) for s in r["spans"]] for r in records]
    assert strip == [[(s["start"], s["end"], s["label"]) for s in r["spans"]] for r in unscored]


def test_cli_preannotate_bad_model_writes_nothing(tmp_path):
    docs = tmp_path / "docs.jsonl"
    run_cli("ingest", str(SEEDS), "-o", str(docs))
    result = run_cli("preannotate", str(docs), "-o", str(tmp_path / "pre.jsonl"), "--model", "nope_model")
    assert result.returncode == 1 and "Cannot load spaCy model 'nope_model'" in result.stderr
    assert not (tmp_path / "pre.jsonl").exists()
