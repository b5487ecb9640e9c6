from collections import Counter

import pytest
import srsly

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
        for s in r["spans"]:
            assert 0 <= s["start"] < s["end"] <= len(r["text"])


def test_cli_preannotate_bad_model_writes_nothing(tmp_path):
    docs = tmp_path / "docs.jsonl"
    run_cli("ingest", str(SEEDS), "-o", str(docs))
    result = run_cli("preannotate", str(docs), "-o", str(tmp_path / "pre.jsonl"), "--model", "nope_model")
    assert result.returncode == 1 and "Cannot load spaCy model 'nope_model'" in result.stderr
    assert not (tmp_path / "pre.jsonl").exists()
