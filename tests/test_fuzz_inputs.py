"""The gold/prediction readers (JSONL short shape, CoNLL IOB2, DocBin) and ingest's record readers (JSONL,
CSV, TSV), fuzzed: any input gives documents whose spans lie in their text, or an AnnotateError naming the
file, never another exception."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from annotate.errors import AnnotateError
from annotate.io.inputs import read_input_documents
from annotate.io.sources import ingest

from .test_fuzz import FUZZ, json_values, odd_pieces, texts

PLAIN = {"text": "Ada met Bob 😀 in Paris.", "spans": [{"start": 0, "end": 3, "label": "PER"}]}
plain_keys = st.sampled_from(["id", "text", "spans", "meta", "meta.offset", "meta.source", "spans.0", "spans.0.end"])


def mutated(key, value):
    record = json.loads(json.dumps(PLAIN))
    target, parts = record, key.split(".")
    for part in parts[:-1]:
        target = target[int(part)] if isinstance(target, list) else target.setdefault(part, {})
    if isinstance(target, list):
        target[int(parts[-1])] = value
    else:
        target[parts[-1]] = value
    return record


def check(found):
    for item in found:
        doc = item.doc
        assert isinstance(doc.text, str) and doc.id
        assert all(0 <= s.start < s.end <= len(doc.text) and s.label for s in doc.spans)


def read_or_error(path):
    try:
        found = read_input_documents(path)
    except AnnotateError as err:
        assert path.name in str(err)
        return
    check(found)


@FUZZ
@given(
    st.lists(
        st.one_of(
            st.tuples(plain_keys, json_values).map(lambda kv: json.dumps(mutated(*kv))),
            json_values.map(json.dumps),
            st.just(json.dumps(PLAIN)),
            st.text(max_size=30),
        ),
        min_size=1,
        max_size=4,
    ),
    st.sampled_from(["g.jsonl", "g.txt"]),
)
def test_gold_jsonl_any_lines(tmp_path_factory, lines, name):
    path = tmp_path_factory.mktemp("gold") / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    read_or_error(path)


tags = st.sampled_from(["O", "O", "B-PER", "I-PER", "B-ORG", "I-ORG", "X", "B-", "I-LOC"])
conll_lines = st.one_of(
    st.tuples(st.text(min_size=1, max_size=6), tags).map(lambda t: f"{t[0]} -X- _ {t[1]}"),
    st.tuples(st.text(min_size=1, max_size=6), tags).map(lambda t: f"{t[0]}\t{t[1]}"),
    st.sampled_from(["", "-DOCSTART- -X- O O", "   ", "\ufeff-DOCSTART-"]),
    odd_pieces,
)


@FUZZ
@given(st.lists(conll_lines, min_size=1, max_size=12), st.sampled_from(["g.conll", "g.txt", "g.iob"]))
def test_conll_any_lines(tmp_path_factory, lines, name):
    path = tmp_path_factory.mktemp("conll") / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    read_or_error(path)


def docbin_bytes() -> bytes:
    import spacy
    from spacy.tokens import DocBin

    doc = spacy.blank("en").make_doc("Ada met Bob 😀 in Paris.")
    doc.ents = [doc.char_span(0, 3, label="PER")]
    doc.user_data["id"] = "a"
    return DocBin(store_user_data=True, docs=[doc, doc]).to_bytes()  # twice: a repeated id


VALID_DOCBIN = docbin_bytes()


@FUZZ
@given(
    st.one_of(
        st.binary(max_size=200),
        texts.map(lambda t: t.encode("utf-8")),
        st.integers(0, len(VALID_DOCBIN)).map(lambda n: VALID_DOCBIN[:n]),
        st.tuples(st.integers(0, len(VALID_DOCBIN) - 1), st.integers(0, 255)).map(
            lambda at: VALID_DOCBIN[: at[0]] + bytes([at[1]]) + VALID_DOCBIN[at[0] + 1 :]
        ),
    )
)
def test_docbin_any_bytes(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("docbin") / "g.spacy"
    path.write_bytes(data)
    read_or_error(path)


record_values = st.one_of(texts, json_values)


@FUZZ
@given(
    st.one_of(
        st.lists(
            st.fixed_dictionaries({"text": record_values}, optional={"id": json_values, "meta": json_values}).map(
                json.dumps
            ),
            min_size=1,
            max_size=4,
        ).map(lambda lines: ("r.jsonl", "\n".join(lines))),
        st.lists(st.lists(texts, max_size=3).map(",".join), max_size=4).map(
            lambda rows: ("r.csv", "\n".join(["id,text", *rows]))
        ),
        st.lists(st.lists(texts, max_size=3).map("\t".join), max_size=4).map(
            lambda rows: ("r.tsv", "\n".join(["text\tid", *rows]))
        ),
        texts.map(lambda t: ("r.csv", t)),
    )
)
def test_ingest_any_records(tmp_path_factory, case):
    name, content = case
    folder = tmp_path_factory.mktemp("records")
    (folder / name).write_text(content, encoding="utf-8", newline="")
    try:
        docs = ingest(folder / name)
    except AnnotateError as err:
        assert name in str(err)
        return
    assert docs and len({d.id for d in docs}) == len(docs)
    for doc in docs:
        assert doc.text and doc.text == doc.text.strip() and doc.source == name
