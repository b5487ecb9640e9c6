"""NerDocBin: spaCy's DocBin with a faster ``add``; what it writes must read back as spaCy's own does."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import DocBin

from annotate.corpus.formats import NerDocBin


def _docs(nlp):
    texts = [
        (
            "Angela Merkel met Emmanuel Macron in Berlin on Tuesday.",
            [(0, 13, "PERSON"), (18, 33, "PERSON"), (37, 43, "GPE"), (47, 54, "DATE")],
        ),
        ("Ünïcödé  Zürich — “quoted” 3,000\nline break\tand tabs.", [(9, 15, "GPE"), (27, 32, "CARDINAL")]),
        ("No entities at all here.", []),
        ("", []),
        ("Rare label: XYZZYCORP.", [(12, 21, "ORG_RARE_LABEL")]),
    ]
    docs = []
    for text, ents in texts:
        doc = nlp.make_doc(text)
        doc.ents = [doc.char_span(s, e, label=label) for s, e, label in ents]
        docs.append(doc)
    return docs


def _read(data: bytes):
    fresh = spacy.blank("en")  # a vocabulary that has seen none of these words or labels
    return list(DocBin().from_bytes(data).get_docs(fresh.vocab))


def _view(doc):
    return (
        [t.text for t in doc],
        [t.whitespace_ for t in doc],
        [(e.start, e.end, e.label_) for e in doc.ents],
        [t.ent_iob_ for t in doc],
        {k: [(s.start, s.end, s.label_) for s in g] for k, g in doc.spans.items()},
    )


def test_reads_back_as_spacys_docbin():
    nlp = spacy.blank("en")
    docs = _docs(nlp)
    reference, ours = DocBin(attrs=list(NerDocBin.ATTRS), store_user_data=False), NerDocBin()
    for doc in docs:
        reference.add(doc)
        ours.add(doc)
    expected, got = _read(reference.to_bytes()), _read(ours.to_bytes())
    assert [_view(d) for d in got] == [_view(d) for d in expected] == [_view(d) for d in docs]
    assert {t.text for d in docs for t in d} | {"ORG_RARE_LABEL", "PERSON"} <= ours.strings
    assert len(ours) == len(docs)


def test_span_groups_are_kept():
    nlp = spacy.blank("en")
    doc = nlp.make_doc("Acme Widgets hired Jane Doe.")
    doc.spans["sc"] = [doc.char_span(0, 12, label="COMPANY_GROUP_LABEL")]
    ours = NerDocBin()
    ours.add(doc)
    (back,) = _read(ours.to_bytes())
    assert _view(back) == _view(doc)


def test_one_vocabulary_only():
    ours = NerDocBin()
    ours.add(spacy.blank("en").make_doc("one"))
    with pytest.raises(ValueError, match="one vocabulary"):
        ours.add(spacy.blank("en").make_doc("two"))
