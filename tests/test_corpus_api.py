"""The Python API for corpus versions: `annotate.corpus.load("NAME@vN")` round-trips a compiled version,
verifies its checksums, and gives spaCy Docs and a Hugging Face DatasetDict equal to the exports."""

import shutil

import pytest
import spacy
import srsly

import annotate.corpus
from annotate.core.adjudication import parse_strategy
from annotate.corpus.compile import compile_corpus
from annotate.errors import AnnotateError

from .conftest import run_cli
from .test_corpus import gold_docs, pull_from


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    root = tmp_path_factory.mktemp("api")
    docs = gold_docs()
    # many "stories" so that train, dev and test all hold documents
    stories = [
        d.__class__(d.id, d.text, d.source, i % 20, d.paragraph, d.offset, spans=d.spans) for i, d in enumerate(docs)
    ]
    compile_corpus(pull_from(stories), "news", parse_strategy("majority"), root=root)
    compile_corpus(pull_from(stories[:-3]), "news", parse_strategy("majority"), root=root)  # v2
    return root


def conll_documents(path):
    """(tokens, tags) per document of a CoNLL file written by compile."""
    docs, tokens, tags = [], [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("-DOCSTART-"):
            if tokens or docs:
                docs.append((tokens, tags))
            tokens, tags = [], []
        elif line.strip():
            token, _, _, tag = line.rsplit(" ", 3)
            tokens.append(token)
            tags.append(tag)
    docs.append((tokens, tags))
    return docs


def test_load_round_trips_a_version(root):
    news = annotate.corpus.load("news@v1", root=root)
    folder = root / "news" / "v1"
    assert news.name == "news" and news.version == 1 and news.path == folder
    records = list(srsly.read_jsonl(folder / "gold.jsonl"))
    assert [d.id for d in news.documents] == [r["id"] for r in records]
    for doc, record in zip(news.documents, records, strict=True):
        assert doc.text == record["text"]
        assert [s.to_dict() for s in doc.spans] == record["spans"]
    splits = srsly.read_json(folder / "splits.json")
    assert all(len(splits[s]) > 0 for s in ("train", "dev", "test"))
    assert [d.id for d in news.train] == splits["train"] and [d.id for d in news.dev] == splits["dev"]
    assert [d.id for d in news.test] == splits["test"] and len(news.split("all")) == len(records)
    assert news.stats() == news.manifest["counts"] and news.stats()["documents"] == len(records)
    with pytest.raises(AnnotateError, match="No split 'validation'"):
        news.split("validation")


def test_specs_resolve_latest_and_folders(root):
    latest = annotate.corpus.load("news", root=root)
    assert latest.version == 2 == annotate.corpus.load("news@latest", root=root).version
    assert annotate.corpus.load("news/v1", root=root).version == 1
    assert annotate.corpus.load(root / "news" / "v1").version == 1  # a version folder, any root
    with pytest.raises(AnnotateError, match="not found"):
        annotate.corpus.load("news@v7", root=root)


def test_a_flipped_byte_is_named_on_load(root, tmp_path):
    copy = tmp_path / "news" / "v1"
    shutil.copytree(root / "news" / "v1", copy)
    target = copy / "dev.conll"
    target.chmod(0o644)
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))
    with pytest.raises(AnnotateError, match=r"dev\.conll changed \(sha256 differs\)"):
        annotate.corpus.load(copy)
    assert annotate.corpus.load(copy, verify_checksums=False).version == 1  # opt-out


def test_to_spacy_gives_the_gold_entities(root):
    news = annotate.corpus.load("news@v1", root=root)
    nlp = spacy.blank("en")
    docs = list(news.to_spacy(nlp))
    expected = news.train + news.dev + news.test
    assert [d.user_data["id"] for d in docs] == [d.id for d in expected]
    for doc, gold in zip(docs, expected, strict=True):
        assert doc.text == gold.text
        assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == [
            (s.start, s.end, s.label) for s in gold.spans
        ]
    assert len(list(news.to_spacy(nlp.vocab, split="dev"))) == len(news.dev)


def test_to_hf_tags_equal_the_conll_export(root):
    news = annotate.corpus.load("news@v1", root=root)
    dataset = news.to_hf()
    assert list(dataset) == ["train", "validation", "test"]  # dev is exported as validation (HF convention)
    names = dataset["train"].features["ner_tags"].feature.names
    assert names[0] == "O" and names[1:3] == ["B-PERSON", "I-PERSON"]
    for split in ("train", "dev", "test"):
        conll = conll_documents(news.path / f"{split}.conll")
        rows = dataset["validation" if split == "dev" else split]
        assert len(rows) == len(conll) == len(news.split(split))
        for row, (tokens, tags) in zip(rows, conll, strict=True):
            assert row["tokens"] == tokens
            assert [names[t] for t in row["ner_tags"]] == tags
        assert [r["id"] for r in rows] == [d.id for d in news.split(split)]
        assert rows[0]["spans"] == [s.to_dict() for s in news.split(split)[0].spans]


def test_the_cli_takes_the_same_specs(root):
    assert run_cli("corpus", "verify", "news@v1", "--root", str(root)).returncode == 0
    shown = run_cli("corpus", "show", "news@latest", "--root", str(root))
    assert shown.returncode == 0 and "news v2" in shown.stdout
    scored = run_cli(
        "evaluate",
        "--gold",
        "news@v1",
        "--predictions",
        str(root / "news" / "v1" / "gold.jsonl"),
        "--bootstrap",
        "0",
        "--json",
        "--root",
        str(root),
    )
    assert scored.returncode == 0, scored.stderr
    assert '"f1": 1.0' in scored.stdout


def test_a_new_schema_version_is_recorded(tmp_path):
    docs = gold_docs()[:12]
    first = compile_corpus(pull_from(docs), "s", parse_strategy("majority"), root=tmp_path)
    newer = pull_from(docs)
    newer.summary["schema"] = {"name": "news", "version": 2, "hash": "h2"}
    second = compile_corpus(newer, "s", parse_strategy("majority"), root=tmp_path)
    assert (first.version, second.version) == (1, 2) and second.manifest["schema"]["version"] == 2
    assert "Schema news v1 → news v2" in (second.path / "CHANGES.md").read_text()
    assert "Schema" not in (first.path / "CHANGES.md").read_text()
