"""Every reader, fuzzed: any input gives a valid result or a clear AnnotateError naming the file and
record, never another exception; offsets never leave the text. Real-world oddities included: BOM,
CRLF, NUL bytes, huge lines, characters outside the BMP, mixed normalisation forms."""

import json
import unicodedata
from pathlib import Path

import pytest
import srsly
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from annotate.core.documents import Document
from annotate.core.spans import Span
from annotate.corpus.pull import read_pull, write_pull
from annotate.errors import AnnotateError
from annotate.io.documents import read_documents
from annotate.io.schemas import load_schema
from annotate.io.sources import ingest
from annotate.labelstudio.export import parse_export
from annotate.labelstudio.normalise import normalise

from .conftest import SCHEMA

FUZZ = settings(
    max_examples=int(__import__("os").environ.get("FUZZ_EXAMPLES", 120)),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
LABELS = ["PERSON", "ORG", "GPE", "LOC", "NORP", "DATE", "CARDINAL"]

odd_pieces = st.sampled_from(
    [
        "\ufeff",
        "\r\n",
        "\n",
        "\n\n",
        "\n\n\n",
        "\r",
        "\x00",
        "---\n",
        "   ",
        "\t",
        "😀",
        "𝒜",
        "é",
        "e\u0301",
        "Ångström",
        "A\u030angstro\u0308m",
        "’",
        "“quoted”",
        "x" * 5000,
        "Assad met Lavrov.",
        "\u2028",
        "\x0b",
    ]
)
texts = st.lists(st.one_of(odd_pieces, st.text(max_size=40)), max_size=30).map("".join)


def check_documents(docs, source_text=None):
    for doc in docs:
        assert doc.text and doc.text == doc.text.strip()
        if source_text is not None:
            assert source_text[doc.offset : doc.offset + len(doc.text)] == doc.text
        for span in doc.spans:
            assert 0 <= span.start < span.end <= len(doc.text)


@FUZZ
@given(
    st.one_of(
        texts.map(lambda t: t.encode("utf-8")),
        st.binary(max_size=300),
        texts.map(lambda t: unicodedata.normalize("NFD", t).encode("utf-8")),
    )
)
def test_ingest_any_bytes(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("in")
    (folder / "a.txt").write_bytes(data)
    try:
        docs = ingest(folder)
    except AnnotateError as err:
        assert "a.txt" in str(err)
        return
    check_documents(docs, data.decode("utf-8"))
    assert len({d.id for d in docs}) == len(docs)


json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-5, 10**6),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=12),
    ),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12,
)


def real_record(i=0):
    doc = Document(
        f"id{i}",
        "Sergei Lavrov met Assad 😀 in Damascus.",
        "s.txt",
        0,
        i,
        0,
        spans=(Span(0, 13, "PERSON"), Span(29, 37, "GPE")),
    )
    return doc.to_dict()


def mutate(record, key, value):
    out = json.loads(json.dumps(record))
    target = out
    path = key.split(".")
    for part in path[:-1]:
        target = target.setdefault(part, {}) if isinstance(target, dict) else target
    if isinstance(target, dict):
        target[path[-1]] = value
    return out


record_keys = st.sampled_from(["id", "text", "meta", "meta.offset", "meta.source", "spans", "model", "meta.article"])


@FUZZ
@given(
    st.lists(
        st.one_of(
            json_values.map(json.dumps),
            st.tuples(record_keys, json_values).map(lambda kv: json.dumps(mutate(real_record(), *kv))),
            st.text(max_size=60),
            st.just(json.dumps(real_record())[:-7]),
            st.just(json.dumps(real_record(1))),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_documents_jsonl_any_lines(tmp_path_factory, lines):
    path = tmp_path_factory.mktemp("docs") / "docs.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        docs = read_documents(path)
    except AnnotateError as err:
        assert "docs.jsonl" in str(err)
        return
    check_documents(docs)


def real_task(i=0):
    text = "Fans 😀 met Lavrov in Damascus.\r\n"
    return {
        "id": i,
        "data": {"text": text},
        "annotations": [
            {
                "id": 1,
                "completed_by": {"id": 1, "email": "a@x"},
                "result": [
                    {
                        "type": "labels",
                        "from_name": "label",
                        "to_name": "text",
                        "value": {"start": 11, "end": 17, "text": "Lavrov", "labels": ["PERSON"]},
                    }
                ],
            }
        ],
    }


task_keys = st.sampled_from(["id", "data", "data.text", "annotations", "predictions", "drafts", "completions"])


@FUZZ
@given(
    st.one_of(
        json_values,
        st.lists(st.tuples(task_keys, json_values).map(lambda kv: mutate(real_task(), *kv)), min_size=1, max_size=3),
        st.lists(
            json_values.map(lambda v: {**real_task(), "annotations": [{"result": [v]}, {"result": v}]}),
            min_size=1,
            max_size=2,
        ),
        st.lists(
            st.fixed_dictionaries(
                {"id": st.integers(0, 3), "text": st.text(max_size=20), "label": json_values, "annotator": json_values}
            ),
            min_size=1,
            max_size=3,
        ),
    )
)
def test_export_any_json(value):
    try:
        fmt, tasks = parse_export(value, "export.json")
        result = normalise(tasks, LABELS + ["X"], trim=True)
    except AnnotateError as err:
        assert "export.json" in str(err)
        return
    assert result.counts.balanced
    texts = {d.id: d.text for d in result.documents}
    for record in result.records:
        for span in record.spans:
            assert 0 <= span.start < span.end <= len(texts[record.doc_id])


SHAPES = {
    p.stem: json.loads(p.read_text(encoding="utf-8"))
    for p in sorted((Path(__file__).parent / "fixtures" / "exports").glob("*.json"))
}
CONFIGS = [
    None,
    '<View><Text name="text" value="$text"/><Labels name="label" toName="text"/></View>',
    '<View><Text name="doc" value="$clean_description"/><Labels name="ner" toName="doc"/>'
    '<Choices name="topic" toName="doc"/></View>',
    '<View><Text name="text" value="$text"/><Labels name="other" toName="text"/></View>',
]


def deep_mutate(data, value, edit):
    """Replace (or delete) one node of ``value``, found by walking down it with choices drawn from ``data``."""
    node = value
    for _ in range(data.draw(st.integers(0, 6), label="depth")):
        children = (
            list(node.items()) if isinstance(node, dict) else list(enumerate(node)) if isinstance(node, list) else []
        )
        if not children:
            break
        key, child = data.draw(st.sampled_from(children), label="step")
        if not isinstance(child, (dict, list)) or data.draw(st.booleans(), label="stop"):
            if edit is None and isinstance(node, dict):
                del node[key]
            else:
                node[key] = edit
            return value
        node = child
    return value


@FUZZ
@given(st.sampled_from(sorted(SHAPES)), st.sampled_from(CONFIGS), st.one_of(st.none(), json_values), st.data())
def test_real_export_shapes_mutated(shape, config, edit, data):
    """Every real export shape (tests/fixtures/exports), one node changed or removed, read with or without a
    project's labeling config: a balanced result with spans inside their texts, or one coded error."""
    import copy

    from annotate.labelstudio.label_config import span_source

    value = deep_mutate(data, copy.deepcopy(SHAPES[shape]), edit)
    source = span_source(config)[0] if config else None
    text_key = source.text_key if source else ("clean_description" if shape == "other_text_key" else None)
    try:
        fmt, tasks = parse_export(value, "export.json", text_key=text_key, span_source=source, users={1: "ann@x.org"})
        result = normalise(tasks, None, trim=data.draw(st.booleans(), label="trim"))
    except AnnotateError as err:
        assert "export.json" in str(err) and str(err).startswith("[E")
        return
    assert result.counts.balanced
    texts = {d.id: d.text for d in result.documents}
    for record in result.records:
        assert all(span.within(texts[record.doc_id]) for span in record.spans)
    for doc in result.documents:
        assert all(span.within(doc.text) for span in doc.spans)


@FUZZ
@given(
    st.one_of(
        json_values.map(lambda v: json.dumps(v).encode()),
        st.lists(
            st.tuples(task_keys, json_values).map(lambda kv: mutate(real_task(), *kv)), min_size=1, max_size=3
        ).map(lambda v: json.dumps(v).encode()),
        st.integers(1, 400).map(lambda cut: json.dumps([real_task(0), real_task(1)]).encode()[:cut]),
        st.binary(max_size=60),
        st.just(b"\xef\xbb\xbf" + json.dumps([real_task(0)]).encode()),
    ),
    st.booleans(),
)
def test_export_files_streamed_by_pull(tmp_path_factory, content, with_schema):
    from annotate.corpus.pull import pull_export

    path = tmp_path_factory.mktemp("exports") / "export.json"
    path.write_bytes(content)
    try:
        result, summary = pull_export(path, SCHEMA if with_schema else None, None, True, None, {"file": "x"})
    except AnnotateError as err:
        assert "export.json" in str(err)
        return
    assert result.counts.balanced and isinstance(summary["labels"], list)
    texts = {d.id: d.text for d in result.documents}
    for record in result.records:
        assert all(span.within(texts[record.doc_id]) for span in record.spans)


@FUZZ
@given(
    st.sampled_from(["pull.json", "annotations.jsonl", "documents.jsonl", "set_aside.jsonl"]),
    st.one_of(st.binary(max_size=80), json_values.map(lambda v: json.dumps(v).encode())),
)
def test_pull_folder_with_any_damaged_file(tmp_path_factory, name, content):
    _, tasks = parse_export([real_task(0), real_task(1)], "x")
    folder = tmp_path_factory.mktemp("pulls") / "pull"
    result = normalise(tasks, LABELS)
    write_pull(folder, result, {"labels": LABELS, "counts": {}})
    (folder / name).write_bytes(content)
    try:
        pull = read_pull(folder)
    except AnnotateError as err:
        assert str(folder) in str(err)
        return
    assert isinstance(pull.summary, dict) and all(isinstance(label, str) for label in pull.labels)
    texts = {d.id: d.text for d in pull.documents}
    for record in pull.records:
        assert all(span.within(texts[record.doc_id]) for span in record.spans)


@FUZZ
@given(
    st.one_of(
        json_values,
        st.tuples(st.sampled_from(["name", "version", "labels", "model_labels", "lang"]), json_values).map(
            lambda kv: {**srsly.read_yaml(SCHEMA), kv[0]: kv[1]}
        ),
    ),
    st.booleans(),
)
def test_schema_any_content(tmp_path_factory, value, as_yaml):
    path = tmp_path_factory.mktemp("schema") / ("s.yml" if as_yaml else "s.json")
    if as_yaml:
        srsly.write_yaml(path, value)
    else:
        srsly.write_json(path, value)
    try:
        schema = load_schema(path)
    except AnnotateError as err:
        assert str(path) in str(err)
        return
    assert schema.label_names and len(schema.hash) == 64


def test_schema_unreadable_bytes(tmp_path):
    path = tmp_path / "s.yml"
    path.write_bytes(b"\xff\xfe: [unclosed\n\x00")
    with pytest.raises(AnnotateError, match="s.yml"):
        load_schema(path)


words = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Zs", "Zl", "Zp", "Cc")), min_size=1, max_size=6)


@FUZZ
@given(
    st.lists(
        st.lists(st.tuples(words, st.sampled_from(["O", "O", "PER", "ORG"])), min_size=1, max_size=8),
        min_size=1,
        max_size=4,
    )
)
def test_conll_written_then_read_back(tmp_path_factory, docs):
    import spacy
    from spacy.training.converters import conll_ner_to_docs

    from annotate.corpus.formats import iob_tokens, to_spacy_doc, write_conll

    nlp = spacy.blank("en")
    gold_docs = []
    for i, words_labels in enumerate(docs):
        text, spans = "", []
        for word, label in words_labels:
            start = len(text)
            text += word + " "
            if label != "O":
                spans.append(Span(start, start + len(word), label))
        text = text.strip()
        sdoc = nlp.make_doc(text)
        spans = [s for s in spans if sdoc.char_span(s.start, s.end) is not None]
        gold_docs.append(Document(f"d{i}", text, "s", 0, i, 0, spans=tuple(spans)))
    assume(all(d.text for d in gold_docs))
    items = [iob_tokens(to_spacy_doc(nlp, d)) for d in gold_docs]
    path = tmp_path_factory.mktemp("conll") / "x.conll"
    write_conll(path, items)
    read = list(conll_ner_to_docs(path.read_text(encoding="utf-8"), n_sents=0, no_print=True))
    assert len(read) == len(gold_docs)
    for doc, (tokens, tags) in zip(read, items, strict=True):
        assert [t.text for t in doc] == tokens
        iob = [f"{t.ent_iob_}-{t.ent_type_}" if t.ent_iob_ != "O" else "O" for t in doc]
        assert iob == tags
