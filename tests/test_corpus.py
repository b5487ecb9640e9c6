"""compile: versions, immutability, splits, and the training formats round-tripping to gold.jsonl."""

import json
import os
import subprocess
import sys
from unittest import mock

import pytest
import spacy
import srsly
from spacy.tokens import DocBin

from annotate.core.adjudication import parse_strategy
from annotate.core.documents import Document
from annotate.core.records import AnnotationRecord
from annotate.core.spans import Span
from annotate.corpus import writer as corpus_mod
from annotate.corpus.compile import compile_corpus
from annotate.corpus.formats import to_spacy_doc
from annotate.corpus.gold import read_gold
from annotate.corpus.pull import Pull
from annotate.corpus.store import resolve, verify
from annotate.errors import AnnotateError

from .conftest import ROOT, run_cli

GOLD = ROOT / "tests" / "fixtures" / "seeds_gold.jsonl"
LABELS = ["PERSON", "ORG", "GPE", "LOC", "NORP", "DATE", "CARDINAL"]


def gold_docs():
    return [
        Document(
            r["id"],
            r["text"],
            r["meta"]["source"],
            r["meta"]["article"],
            r["meta"]["paragraph"],
            r["meta"]["offset"],
            spans=tuple(Span.from_dict(s) for s in r["spans"]),
        )
        for r in srsly.read_jsonl(GOLD)
    ]


def pull_from(docs, annotators=("a@x.org", "b@x.org", "c@x.org"), sha="0" * 64):
    records = [
        AnnotationRecord(d.id, i, f"{d.id}-{who}", who, d.spans, 2.0, None, None, False, None)
        for i, d in enumerate(docs)
        for who in annotators
    ]
    summary = {
        "labels": LABELS,
        "raw_export": {"sha256": sha},
        "schema": {"name": "news", "version": 1, "hash": "h"},
        "origin": {"file": "synthetic"},
    }
    bare = [Document(d.id, d.text, d.source, d.article, d.paragraph, d.offset) for d in docs]
    return Pull(None, summary, bare, records)


@pytest.fixture(scope="module")
def version(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    result = compile_corpus(
        pull_from(gold_docs()), "seeds", parse_strategy("majority"), root=root, ratios=(0.5, 0.25, 0.25)
    )
    return result


def test_gold_jsonl_is_the_aligned_adjudicated_gold(version):
    assert version.created and version.version == 1 and version.path.name == "v1"
    gold = {d.id: d for d in read_gold(version.path / "gold.jsonl")}
    expected = {d.id: d for d in gold_docs()}
    assert set(gold) == set(expected)
    # issue 16: the two gold spans inside spaCy tokens ("Syria" of "Syria‘s", "Western" of "Western-...") are kept,
    # their tokens split; before, they were "misaligned" conflicts
    assert list(srsly.read_jsonl(version.path / "conflicts.jsonl")) == []
    for doc_id, doc in gold.items():
        assert doc.spans == expected[doc_id].spans
        assert doc.extra_meta["annotators"] == ["a@x.org", "b@x.org", "c@x.org"]
    manifest = json.loads((version.path / "manifest.json").read_text())
    assert manifest["counts"]["documents"] == 78 and manifest["counts"]["conflicts"] == 0
    assert manifest["counts"]["spans"] == 298
    splits = manifest["counts"]["token_splits"]
    assert splits["spans"] == 2 and splits["documents"] == 2 and sum(splits["spans_per_label"].values()) == 2
    assert manifest["counts"]["whitespace_trimmed"] == {"spans": 0, "spans_per_label": {}}
    assert manifest["source"]["raw_exports"] == ["0" * 64] and manifest["schema"]["name"] == "news"
    assert manifest["agreement"]["krippendorff_alpha"] == 1.0
    assert set(manifest["files"]) == {p.name for p in version.path.iterdir()} - {"manifest.json"}


def split_docs(version, split):
    ids = json.loads((version.path / "splits.json").read_text())[split]
    gold = {d.id: d for d in read_gold(version.path / "gold.jsonl")}
    return [gold[i] for i in ids]


@pytest.mark.parametrize("split", ["train", "dev", "test"])
def test_docbin_round_trips_and_loads_with_spacys_corpus_reader(version, split):
    nlp = spacy.blank("en")
    docs = list(DocBin().from_disk(version.path / f"{split}.spacy").get_docs(nlp.vocab))
    expected = split_docs(version, split)
    assert len(docs) == len(expected)  # in the order of splits.json
    for doc, gold in zip(docs, expected, strict=True):
        assert doc.text == gold.text
        assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == [
            (s.start, s.end, s.label) for s in gold.spans
        ]
    from spacy.training import Corpus

    examples = list(Corpus(version.path / f"{split}.spacy")(nlp))
    assert len(examples) == len(expected)


def test_splits_keep_stories_whole(version):
    splits = json.loads((version.path / "splits.json").read_text())
    story = {d.id: (d.source, d.article) for d in read_gold(version.path / "gold.jsonl")}
    sides = {}
    for name, ids in splits.items():
        for i in ids:
            assert sides.setdefault(story[i], name) == name
    assert sum(len(ids) for ids in splits.values()) == 78


def test_conll_round_trips_through_spacy_convert(version, tmp_path):
    for split in ("train", "dev", "test"):
        conll = version.path / f"{split}.conll"
        expected = split_docs(version, split)
        if not expected:
            assert conll.read_text() == ""
            continue
        out = tmp_path / split
        out.mkdir()
        result = subprocess.run(
            [sys.executable, "-m", "spacy", "convert", str(conll), str(out), "--converter", "ner"],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        nlp = spacy.blank("en")
        converted = list(DocBin().from_disk(out / f"{split}.spacy").get_docs(nlp.vocab))
        assert len(converted) == len(expected)
        for doc, gold in zip(converted, expected, strict=True):
            reference = to_spacy_doc(nlp, gold)  # the gold's tokens: spaCy's, split where a span falls inside one
            words = [t.text for t in reference if not t.is_space]
            assert [t.text for t in doc] == words
            # CoNLL keeps tokens, not spacing: compare each entity's tokens and label
            ents = [([t.text for t in reference.char_span(s.start, s.end)], s.label) for s in gold.spans]
            assert [([t.text for t in e], e.label_) for e in doc.ents] == ents


def test_jsonl_loads_with_hugging_face_datasets(version):
    import datasets

    files = {s: str(version.path / f"{s}.jsonl") for s in ("train", "dev", "test") if split_docs(version, s)}
    loaded = datasets.load_dataset("json", data_files=files)
    for split in files:
        expected = split_docs(version, split)
        rows = loaded[split]
        assert rows["id"] == [d.id for d in expected] and rows["text"] == [d.text for d in expected]
        for row, gold in zip(rows, expected, strict=True):
            assert [(s["start"], s["end"], s["label"]) for s in row["spans"]] == [
                (s.start, s.end, s.label) for s in gold.spans
            ]
            assert len(row["tokens"]) == len(row["ner_tags"])
            begins = [t for t in row["ner_tags"] if t.startswith("B-")]
            assert len(begins) == len(gold.spans)


def test_unchanged_source_writes_nothing_changed_source_writes_v2(tmp_path):
    root = tmp_path / "corpus"
    docs = gold_docs()
    first = compile_corpus(pull_from(docs), "c", parse_strategy("majority"), root=root)
    again = compile_corpus(pull_from(docs), "c", parse_strategy("majority"), root=root)
    assert (again.created, again.version) == (False, 1)
    assert [p.name for p in (root / "c").iterdir()] == ["v1"]

    # change the source: relabel one span, drop one, add a document, remove another
    changed = list(docs)
    d0 = changed[0]
    relabelled = tuple(Span(s.start, s.end, "ORG") if s == d0.spans[0] else s for s in d0.spans)
    changed[0] = Document(d0.id, d0.text, d0.source, d0.article, d0.paragraph, d0.offset, spans=relabelled)
    d1 = changed[1]
    changed[1] = Document(d1.id, d1.text, d1.source, d1.article, d1.paragraph, d1.offset, spans=d1.spans[1:])
    removed = changed.pop(5)
    changed.append(
        Document(
            "new-doc", "Lavrov visited Homs.", "extra.txt", 0, 0, 0, spans=(Span(0, 6, "PERSON"), Span(15, 19, "GPE"))
        )
    )
    second = compile_corpus(pull_from(changed), "c", parse_strategy("majority"), root=root)
    assert second.created and second.version == 2
    changes = (second.path / "CHANGES.md").read_text()
    assert "Changes against v1." in changes
    assert "- documents added: 1" in changes and "- documents removed: 1" in changes
    assert "- documents with changed spans: 2" in changes
    old_label = d0.spans[0].label
    assert f"- {old_label} → ORG: 1" in changes
    dropped = d1.spans[0].label
    removed_labels = [s.label for s in removed.spans]
    expected_removed = removed_labels.count(dropped) + 1
    assert f"| {dropped} | " in changes
    row = next(line for line in changes.splitlines() if line.startswith(f"| {dropped} |"))
    assert row.split("|")[3].strip() == str(expected_removed)
    assert "new-doc" in changes and removed.id in changes
    # v1 is untouched
    verify(first.path)
    assert json.loads((first.path / "manifest.json").read_text())["version"] == 1


def test_verify_catches_a_flipped_byte(tmp_path):
    root = tmp_path / "corpus"
    result = compile_corpus(pull_from(gold_docs()[:10]), "c", parse_strategy("majority"), root=root)
    ok = run_cli("corpus", "verify", "c", "--root", str(root))
    assert ok.returncode == 0 and "OK" in ok.stdout
    target = result.path / "train.spacy"
    os.chmod(target, 0o644)
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))
    bad = run_cli("corpus", "verify", "c/v1", "--root", str(root))
    assert bad.returncode == 1 and "train.spacy changed (sha256 differs)" in bad.stderr
    with pytest.raises(AnnotateError, match="train.spacy changed"):
        verify(result.path)


def test_files_of_a_version_are_read_only(version):
    for path in version.path.iterdir():
        assert not path.stat().st_mode & 0o222, path


def test_a_crash_mid_compile_leaves_no_half_version(tmp_path):
    root = tmp_path / "corpus"
    with mock.patch.object(corpus_mod, "write_conll_document", side_effect=OSError("disk full")):  # injected fault
        with pytest.raises(OSError):
            compile_corpus(pull_from(gold_docs()[:10]), "c", parse_strategy("majority"), root=root)
    assert list((root / "c").iterdir()) == []
    assert compile_corpus(pull_from(gold_docs()[:10]), "c", parse_strategy("majority"), root=root).version == 1


def test_resolve_specs_and_cli_list_show(version):
    root = version.path.parent.parent
    assert resolve("seeds", root) == version.path == resolve("seeds@latest", root) == resolve("seeds/v1", root)
    assert resolve("seeds@v1", root) == version.path
    with pytest.raises(AnnotateError, match="not found"):
        resolve("seeds/v9", root)
    listed = run_cli("corpus", "list", "--root", str(root))
    assert listed.returncode == 0 and "seeds" in listed.stdout and "v1" in listed.stdout
    shown = run_cli("corpus", "show", "seeds/v1", "--root", str(root))
    assert shown.returncode == 0 and "First version." in shown.stdout and "GPE" in shown.stdout


def test_compile_cli_on_a_pull_folder(tmp_path):
    from annotate.corpus.pull import write_pull
    from annotate.labelstudio.normalise import Counts, Normalised

    pull = pull_from(gold_docs()[:12])
    write_pull(
        tmp_path / "pull", Normalised(pull.documents, pull.records, [], [], Counts()), {**pull.summary, "counts": {}}
    )
    args = (
        "compile",
        str(tmp_path / "pull"),
        "--name",
        "demo",
        "--root",
        str(tmp_path / "corpus"),
        "--min-annotators",
        "2",
    )
    first = run_cli(*args)
    assert first.returncode == 0, first.stderr
    assert "Wrote" in first.stdout and "demo/v1" in first.stdout
    second = run_cli(*args)
    assert second.returncode == 0 and "No change: demo v1 is current" in second.stdout
    bad = run_cli(*args[:-2], "--min-annotators", "4")
    assert bad.returncode == 1 and "has 4 or more annotations" in bad.stderr
    assert sorted(p.name for p in (tmp_path / "corpus" / "demo").iterdir()) == ["v1"]


def test_streamed_compile_equals_the_in_memory_one_in_any_file_order(tmp_path):
    """compile reads a pull folder one document at a time (stream=True); the version is the same as from
    the records in memory, and a pull whose files are in another order (documents, and the annotators of
    a document) is read whole, with the same result."""
    from annotate.corpus.pull import read_pull, write_pull
    from annotate.labelstudio.normalise import Counts, Normalised

    docs = gold_docs()[:20]
    records = []
    for i, d in enumerate(docs):
        if i % 7 == 3:
            continue  # never annotated
        for who in ("a@x.org", "b@x.org", "c@x.org")[: 2 + i % 2]:
            spans = d.spans[:-1] if who == "c@x.org" and i % 3 == 0 else d.spans  # disagreements
            records.append(AnnotationRecord(d.id, i, f"{d.id}-{who}", who, spans, 2.0, None, None, False, None))
    records.reverse()  # not in reading order: write_pull puts them in it
    pull = pull_from(docs)
    write_pull(tmp_path / "pull", Normalised(pull.documents, records, [], [], Counts()), {**pull.summary, "counts": {}})
    lines = (tmp_path / "pull" / "annotations.jsonl").read_text().splitlines()
    order = [json.loads(line)["doc_id"] for line in lines]
    reading = [d.id for d in sorted(docs, key=lambda d: (d.source, d.paragraph, d.id))]
    assert order == sorted(order, key=reading.index)

    def compiled(the_pull, root):
        result = compile_corpus(
            the_pull, "s", parse_strategy("majority"), root=tmp_path / root, ratios=(0.5, 0.25, 0.25)
        )
        return result.manifest["content_sha256"], [
            (result.path / f).read_bytes() for f in ("gold.jsonl", "train.spacy", "dev.conll", "test.jsonl")
        ]

    in_memory = compiled(read_pull(tmp_path / "pull"), "memory")
    streamed_pull = read_pull(tmp_path / "pull", stream=True)
    assert streamed_pull.records is None and streamed_pull.documents is None
    assert compiled(streamed_pull, "streamed") == in_memory
    for name in ("annotations.jsonl", "documents.jsonl"):  # in another program's order
        path = tmp_path / "pull" / name
        path.write_text("\n".join(reversed(path.read_text().splitlines())) + "\n")
    assert compiled(read_pull(tmp_path / "pull", stream=True), "shuffled") == in_memory
