"""No span lost to whitespace or tokenization (issue 16): real export files through the real CLI, pull then compile.

- whitespace at span edges: the pull keeps it as annotated, compile trims it before the vote (counted in the
  manifest), ``compile --keep-whitespace`` keeps it (and the spans are conflicts, as before);
- a cached ``value.text`` that differs from ``text[start:end]`` only in whitespace: kept by its offsets, counted;
- a span inside a spaCy token: kept, the gold Doc's tokens split, in every training file.
"""

import json
import subprocess
import sys

import spacy
import srsly
from spacy.tokens import DocBin

import annotate.corpus

from .conftest import run_cli
from .test_pull_export import annotation

LAVROV = "Sergei Lavrov met Bashar Assad in Damascus on Tuesday."
HOMS = "Homs burned on Monday."
SYRIA = "Syria‘s army shelled Homs."
ASSAD = "Assad spoke."


def region(text, start, end, label, quoted=None):
    value = {"start": start, "end": end, "text": text[start:end] if quoted is None else quoted, "labels": [label]}
    return {"from_name": "label", "to_name": "text", "type": "labels", "value": value}


def task(task_id, text, annotations):
    data = {"text": text, "doc_id": f"d{task_id}", "source": "s.txt", "article": 0, "paragraph": task_id, "offset": 0}
    return {"id": task_id, "data": data, "annotations": annotations, "predictions": []}


EXPORT = [
    # one annotator leaves a trailing space on "Damascus", the other does not: they agree once trimmed
    task(
        1,
        LAVROV,
        [
            annotation(11, 1, [region(LAVROV, 0, 13, "PERSON"), region(LAVROV, 34, 43, "GPE")]),  # "Damascus "
            annotation(12, 2, [region(LAVROV, 0, 13, "PERSON"), region(LAVROV, 34, 42, "GPE")]),
        ],
    ),
    # both leave a trailing space on "Homs": misaligned unless trimmed
    task(2, HOMS, [annotation(21, 1, [region(HOMS, 0, 5, "GPE")]), annotation(22, 2, [region(HOMS, 0, 5, "GPE")])]),
    # "Syria" inside the spaCy token "Syria‘s"
    task(3, SYRIA, [annotation(31, 1, [region(SYRIA, 0, 5, "GPE")]), annotation(32, 2, [region(SYRIA, 0, 5, "GPE")])]),
    # the cached text carries a trailing space the offsets do not (kept); a real mismatch (rejected)
    task(
        4,
        ASSAD,
        [
            annotation(41, 1, [region(ASSAD, 0, 5, "PERSON", quoted="Assad ")]),
            annotation(42, 2, [region(ASSAD, 0, 5, "PERSON", quoted="Asad")]),
        ],
    ),
]


def pull(tmp_path):
    path = tmp_path / "export.json"
    path.write_text(json.dumps(EXPORT))
    out = tmp_path / "pull"
    result = run_cli("pull", "--from-file", str(path), "-o", str(out), "--raw-dir", str(tmp_path / "raw"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return result, out


def compile_(tmp_path, pulled, *args):
    root = tmp_path / "corpus"
    result = run_cli("compile", str(pulled), "--name", "news", "--root", str(root), *args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return result, sorted((root / "news").glob("v*"))[-1]


def test_pull_keeps_whitespace_and_spans_whose_cached_text_differs_only_in_whitespace(tmp_path):
    result, out = pull(tmp_path)
    counts = json.loads((out / "pull.json").read_text())["counts"]
    assert counts["text_whitespace_differs"] == 1 and counts["rejected"] == {"text_mismatch": 1}
    assert counts["whitespace"] == 3 and counts["trimmed"] == 0  # kept as annotated: compile trims
    assert "1 spans kept by their offsets" in result.stdout
    records = {(r["doc_id"], r["annotator"]): r["spans"] for r in srsly.read_jsonl(out / "annotations.jsonl")}
    assert records[("d4", "1")] == [{"start": 0, "end": 5, "label": "PERSON"}]  # kept by its offsets
    assert ("d4", "2") not in records  # "Asad" is not "Assad": rejected
    assert {"start": 34, "end": 43, "label": "GPE"} in records[("d1", "1")]  # the pull keeps the trailing space
    (rejected,) = srsly.read_jsonl(out / "rejected.jsonl")
    assert rejected["reason"] == "text_mismatch"


def test_compile_trims_before_the_vote_and_keeps_spans_inside_tokens(tmp_path):
    _, pulled = pull(tmp_path)
    result, version = compile_(tmp_path, pulled)
    gold = {r["id"]: r["spans"] for r in srsly.read_jsonl(version / "gold.jsonl")}
    assert gold == {
        "d1": [{"start": 0, "end": 13, "label": "PERSON"}, {"start": 34, "end": 42, "label": "GPE"}],
        "d2": [{"start": 0, "end": 4, "label": "GPE"}],
        "d3": [{"start": 0, "end": 5, "label": "GPE"}],
        "d4": [{"start": 0, "end": 5, "label": "PERSON"}],
    }
    assert (version / "conflicts.jsonl").read_text() == ""
    counts = json.loads((version / "manifest.json").read_text())["counts"]
    assert counts["whitespace_trimmed"] == {"spans": 3, "spans_per_label": {"GPE": 3}}
    assert counts["token_splits"] == {"spans": 1, "documents": 1, "spans_per_label": {"GPE": 1}}
    assert counts["conflicts"] == 0 and counts["spans"] == 5
    accounting = counts["accounting"]  # every annotator's span in the gold: none to a conflict, none dropped
    assert accounting["kept_spans"] == accounting["in_gold"] == 9
    assert sum(accounting.values()) - 2 * 9 == 0  # the other buckets (conflicts, outvoted, left out, dropped): 0
    assert (
        "3 spans had whitespace at an edge" in result.stdout
        and "1 gold spans fall inside spaCy tokens" in result.stdout
    )
    check_training_files_carry(version, tmp_path)


def check_training_files_carry(version, tmp_path):
    """Every training file of the version has every gold span as an entity, "Syria" of "Syria‘s" too."""
    splits = json.loads((version / "splits.json").read_text())
    split_of = {doc_id: split for split, ids in splits.items() for doc_id in ids}
    split = split_of["d3"]
    nlp = spacy.blank("en")
    # DocBin, read back with spaCy
    docs = {d.text: d for d in DocBin().from_disk(version / f"{split}.spacy").get_docs(nlp.vocab)}
    assert [(e.text, e.label_) for e in docs[SYRIA].ents] == [("Syria", "GPE")]
    assert [t.text for t in docs[SYRIA]][:2] == ["Syria", "‘s"] and docs[SYRIA].text == SYRIA
    # CoNLL, read back with spaCy's own converter
    out = tmp_path / "converted"
    out.mkdir()
    converted = subprocess.run(
        [sys.executable, "-m", "spacy", "convert", str(version / f"{split}.conll"), str(out), "--converter", "ner"],
        capture_output=True,
        text=True,
    )
    assert converted.returncode == 0, converted.stderr
    conll_docs = list(DocBin().from_disk(out / f"{split}.spacy").get_docs(nlp.vocab))
    assert ("Syria", "GPE") in [(e.text, e.label_) for d in conll_docs for e in d.ents]
    # JSONL (Hugging Face): tokens and tags carry it
    (row,) = [r for r in srsly.read_jsonl(version / f"{split}.jsonl") if r["id"] == "d3"]
    assert row["tokens"][:2] == ["Syria", "‘s"] and row["ner_tags"][:2] == ["B-GPE", "O"]
    # the Python API
    loaded = {d.text: d for d in annotate.corpus.load(version).to_spacy(nlp)}
    assert [(e.text, e.label_) for e in loaded[SYRIA].ents] == [("Syria", "GPE")]
    assert [(e.text, e.label_) for e in loaded[HOMS].ents] == [("Homs", "GPE")]


def test_compile_keep_whitespace_keeps_spans_as_annotated_and_they_are_conflicts(tmp_path):
    _, pulled = pull(tmp_path)
    _, version = compile_(tmp_path, pulled, "--keep-whitespace")
    gold = {r["id"]: r["spans"] for r in srsly.read_jsonl(version / "gold.jsonl")}
    assert gold["d2"] == [] and gold["d3"] == [{"start": 0, "end": 5, "label": "GPE"}]
    assert gold["d1"] == [{"start": 0, "end": 13, "label": "PERSON"}]
    conflicts = {(c["doc_id"], c["reason"]): c for c in srsly.read_jsonl(version / "conflicts.jsonl")}
    assert set(conflicts) == {("d1", "tie"), ("d2", "misaligned")}  # "Damascus " vs "Damascus"; "Homs "
    assert conflicts[("d2", "misaligned")]["spans"][0]["text"] == "Homs "
    manifest = json.loads((version / "manifest.json").read_text())
    assert manifest["settings"]["keep_whitespace"] is True
    assert manifest["counts"]["whitespace_trimmed"]["spans"] == 0
    accounting = manifest["counts"]["accounting"]
    assert accounting["kept_spans"] == 9 and accounting["in_conflicts"] == 4 and accounting["in_gold"] == 5
