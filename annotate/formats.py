"""Gold documents in training formats: spaCy DocBin, CoNLL-2003-style IOB2, JSONL for Hugging Face.

Everything goes through spaCy: its tokenizer, ``Doc.char_span``,
``offsets_to_biluo_tags`` and ``biluo_to_iob``. Whitespace-only tokens (line
breaks inside a paragraph) cannot stand on a CoNLL line and are left out of the
CoNLL and JSONL token lists (always outside entities, since gold spans are
token-aligned and trimmed).
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from spacy.tokens import Doc, DocBin
from spacy.training import biluo_to_iob, offsets_to_biluo_tags

from . import files
from .documents import Document

DOCSTART = "-DOCSTART- -X- O O"  # the document delimiter `spacy convert --converter ner` expects


def to_spacy_doc(nlp, document: Document) -> Doc:
    """A spaCy Doc of the text with ``ents`` set from the gold spans (which must be token-aligned)."""
    doc = nlp.make_doc(document.text)
    ents = []
    for span in document.spans:
        ent = doc.char_span(span.start, span.end, label=span.label)
        if ent is None:
            raise ValueError(f"span {span.start}-{span.end} of {document.id} is not aligned to tokens")
        ents.append(ent)
    doc.ents = ents
    doc.user_data["id"] = document.id
    return doc


def iob_tokens(doc: Doc, document: Document) -> tuple[list[str], list[str]]:
    """Tokens and IOB2 tags, whitespace-only tokens left out."""
    tags = biluo_to_iob(offsets_to_biluo_tags(doc, [(s.start, s.end, s.label) for s in document.spans]))
    pairs = [(t.text, tag) for t, tag in zip(doc, tags) if not t.is_space]
    return [p[0] for p in pairs], [p[1] for p in pairs]


def write_docbin(path: Path, docs: Iterable[Doc]) -> None:
    docbin = DocBin(store_user_data=True)
    for doc in docs:
        docbin.add(doc)
    with files.atomic_write(path, "wb") as fh:
        fh.write(docbin.to_bytes())


def write_conll(path: Path, items: Iterable[tuple[list[str], list[str]]]) -> None:
    """CoNLL-2003 layout: a ``-DOCSTART-`` line per document, then ``TOKEN -X- _ TAG`` lines and a blank line."""
    with files.atomic_write(path) as fh:
        for tokens, tags in items:
            fh.write(DOCSTART + "\n\n")
            for token, tag in zip(tokens, tags):
                fh.write(f"{token} -X- _ {tag}\n")
            fh.write("\n")


def hf_record(document: Document, tokens: list[str], tags: list[str]) -> dict:
    return {"id": document.id, "text": document.text, "tokens": tokens, "ner_tags": tags,
            "spans": [s.to_dict() for s in document.spans]}
