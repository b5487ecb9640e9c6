"""Gold documents in training formats: spaCy DocBin, CoNLL-2003-style IOB2, JSONL for Hugging Face.

Everything goes through spaCy: its tokenizer, ``Doc.char_span``, ``Doc.ents``
and the tokens' own IOB attributes (``ent_iob_``, ``ent_type_``). Whitespace-only tokens (line
breaks inside a paragraph) cannot stand on a CoNLL line and are left out of the
CoNLL and JSONL token lists (always outside entities, since gold spans are
token-aligned and trimmed). A gold span inside a token splits it (a reference tokenisation:
``Doc(vocab, words=..., spaces=...)``), so every format carries it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import cast

import numpy
from spacy.attrs import ENT_TYPE, ORTH, SPACY
from spacy.strings import StringStore
from spacy.tokens import Doc, DocBin

from annotate.core.alignment import gold_doc
from annotate.core.documents import Document
from annotate.io import files

DOCSTART = "-DOCSTART- -X- O O"  # the document delimiter `spacy convert --converter ner` expects


def to_spacy_doc(nlp, document: Document) -> Doc:
    """A spaCy Doc of the text with ``ents`` set from the gold spans, tokens split where a span falls inside one.

    The tokens are the tokenizer's, split at the edges of a span inside or across them, as compile writes the gold
    (:func:`annotate.core.alignment.gold_doc`).

    nlp (Language): The pipeline whose tokenizer makes the Doc (``nlp.make_doc``: no component runs).
    document (Document): The gold document; no span may have whitespace at an edge.
    RETURNS (Doc): The tokenized text with one entity per span.
    RAISES (ValueError): When a span cannot stand on tokens (whitespace at an edge).

    EXAMPLE:
        >>> import spacy
        >>> from annotate.core.spans import Span
        >>> gold = Document("d1", "Ada Lovelace met Babbage.", "a.txt", article=0, paragraph=0, offset=0,
        ...                 spans=(Span(0, 12, "PER"), Span(17, 24, "PER")))
        >>> [(ent.text, ent.label_) for ent in to_spacy_doc(spacy.blank("en"), gold).ents]
        [('Ada Lovelace', 'PER'), ('Babbage', 'PER')]
    """
    doc, ents, misaligned, _ = gold_doc(nlp, document.text, document.spans)
    if misaligned:
        span = misaligned[0]
        raise ValueError(f"span {span.start}-{span.end} of {document.id} is not aligned to tokens")
    doc.ents = ents
    return doc


_IOB = {1: "I", 3: "B"}  # spaCy's ENT_IOB codes: 1 inside, 2 outside, 3 begin, 0 unset


def iob_tokens(doc: Doc, text: str | None = None) -> tuple[list[str], list[str]]:
    """Tokens and IOB2 tags of a Doc with ``ents`` set, whitespace-only tokens left out.

    Read with ``Doc.to_array`` (the tokens' own IDX, LENGTH, IS_SPACE, ENT_IOB and ENT_TYPE)
    rather than by making a Token object per token: same values, several times faster.

    doc (Doc): A Doc with ``ents`` set (see :func:`to_spacy_doc`).
    text (str | None): The text the Doc was made from, if at hand (``Doc.text`` joins every token again).
    RETURNS (tuple[list[str], list[str]]): The tokens and their IOB2 tags (``B-PER``, ``I-PER``, ``O``), of one length.

    EXAMPLE:
        >>> import spacy
        >>> from spacy.tokens import Span as SpacySpan
        >>> doc = spacy.blank("en").make_doc("Ada Lovelace\\n\\nmet Babbage.")
        >>> doc.ents = [SpacySpan(doc, 0, 2, label="PER"), SpacySpan(doc, 4, 5, label="PER")]
        >>> iob_tokens(doc)
        (['Ada', 'Lovelace', 'met', 'Babbage', '.'], ['B-PER', 'I-PER', 'O', 'B-PER', 'O'])
    """
    text, strings = doc.text if text is None else text, doc.vocab.strings
    rows = cast(list[list[int]], doc.to_array(["IDX", "LENGTH", "IS_SPACE", "ENT_IOB", "ENT_TYPE"]).tolist())
    tags = ["O"] * len(rows)
    for i, (_, _, _, iob, ent_type) in enumerate(rows):
        if iob in _IOB:  # entity tokens only: most are outside
            tags[i] = f"{_IOB[iob]}-{strings[ent_type]}"
    kept = [i for i, row in enumerate(rows) if not row[2]]
    if len(kept) == len(rows):
        return [text[idx : idx + length] for idx, length, *_ in rows], tags
    return [text[rows[i][0] : rows[i][0] + rows[i][1]] for i in kept], [tags[i] for i in kept]


_FLAGS = {False: {"has_unknown_spaces": False}, True: {"has_unknown_spaces": True}}
_NO_CATS: dict = {}


class NerDocBin(DocBin):
    """spaCy's DocBin keeping only what NER training reads: the words (with their spacing) and the entities.

    Serialised by spaCy (``DocBin.to_bytes``), read by spaCy (``DocBin``, ``spacy train``). Only
    ``add`` differs: spaCy's makes a Token object per token to collect nine strings each (text,
    tag, lemma, norm, morph, dep, entity type, kb id, entity id), a third of a compile's
    export time. With only words and entities stored, the strings a reader needs are the words
    and the entity labels: they are collected once, before serialising, from the distinct
    hashes of the ORTH and ENT_TYPE columns. The Docs read back are the same
    (tests/test_formats.py compares with ``DocBin.add``).
    """

    ATTRS = ("ORTH", "ENT_IOB", "ENT_TYPE")

    def __init__(self) -> None:
        super().__init__(attrs=list(self.ATTRS), store_user_data=False)
        self._store: StringStore | None = None  # the StringStore the added Docs' hashes belong to
        self._empty_groups: bytes | None = None

    def add(self, doc: Doc) -> None:
        """Add a Doc's words, spacing and entities (read as arrays, no Token objects made).

        doc (Doc): The Doc to add; every Doc added must share one vocabulary.
        RAISES (ValueError): When ``doc`` has another vocabulary than the Docs added before.
        """
        if self._store is None:
            self._store = doc.vocab.strings
        elif doc.vocab.strings is not self._store:
            raise ValueError("NerDocBin: every Doc must share one vocabulary")
        self.tokens.append(doc.to_array(cast("list[int | str]", self.attrs)))  # attribute ids (spaCy types them str)
        self.spaces.append(doc.to_array(SPACY).reshape((-1, 1)).astype(bool))
        self.flags.append(_FLAGS[doc.has_unknown_spaces])  # equal dicts, one object each (spaCy makes one per Doc)
        self.cats.append(doc.cats if doc.cats else _NO_CATS)
        if len(doc.spans):
            self.span_groups.append(doc.spans.to_bytes())
            self.strings.update(span.label_ for group in doc.spans.values() for span in group)
        else:  # always, for docs made by a tokenizer: the same bytes each time
            if self._empty_groups is None:
                self._empty_groups = doc.spans.to_bytes()
            self.span_groups.append(self._empty_groups)

    def to_bytes(self) -> bytes:
        """Serialise as spaCy's ``DocBin.to_bytes`` does, with the strings of the words and labels collected first.

        RETURNS (bytes): The serialised DocBin (read back with ``DocBin().from_bytes``).
        """
        columns = [self.attrs.index(ORTH), self.attrs.index(ENT_TYPE)]
        hashes: set[int] = set()
        for start in range(0, len(self.tokens), 1000):  # in blocks: no copy of the whole table
            hashes.update(
                numpy.unique(numpy.concatenate([t[:, columns] for t in self.tokens[start : start + 1000]])).tolist()
            )
        if self._store is not None:  # None: no Doc was added
            self.strings.update(self._store[h] for h in hashes if h)
        return super().to_bytes()


def new_docbin() -> NerDocBin:
    """An empty DocBin keeping only what NER training reads (see :class:`NerDocBin`)."""
    return NerDocBin()


def write_conll(path: Path, items: Iterable[tuple[list[str], list[str]]]) -> None:
    """CoNLL-2003 layout: a ``-DOCSTART-`` line per document, then ``TOKEN -X- _ TAG`` lines and a blank line.

    Written atomically (a temp file, fsynced, renamed; see :func:`annotate.io.files.atomic_write`).

    path (Path): The ``.conll`` file to (re)write.
    items (Iterable[tuple[list[str], list[str]]]): Each document's tokens and IOB2 tags (:func:`iob_tokens`).
    """
    with files.atomic_write(path) as fh:
        for tokens, tags in items:
            write_conll_document(fh, tokens, tags)


def write_conll_document(fh, tokens: list[str], tags: list[str]) -> None:
    """One document in CoNLL layout: its ``-DOCSTART-`` line, a blank line, its token lines, a blank line.

    fh (TextIO): The open text file to write to.
    tokens (list[str]): The document's tokens (no whitespace-only ones: see :func:`iob_tokens`).
    tags (list[str]): Their IOB2 tags, one per token.
    RAISES (ValueError): When ``tokens`` and ``tags`` differ in length.

    EXAMPLE:
        >>> import io
        >>> fh = io.StringIO()
        >>> write_conll_document(fh, ["Ada", "met", "Babbage"], ["B-PER", "O", "B-PER"])
        >>> print(fh.getvalue(), end="")
        -DOCSTART- -X- O O
        <BLANKLINE>
        Ada -X- _ B-PER
        met -X- _ O
        Babbage -X- _ B-PER
        <BLANKLINE>
    """
    fh.write(
        DOCSTART + "\n\n" + "".join(f"{token} -X- _ {tag}\n" for token, tag in zip(tokens, tags, strict=True)) + "\n"
    )


def hf_record(document: Document, tokens: list[str], tags: list[str]) -> dict:
    """One line of the Hugging Face JSONL: the document's id and text, its tokens and tags, and its gold spans.

    document (Document): The gold document.
    tokens (list[str]): Its tokens (:func:`iob_tokens`).
    tags (list[str]): Their IOB2 tags.
    RETURNS (dict): ``{"id", "text", "tokens", "ner_tags", "spans"}``; spans as character offsets.

    EXAMPLE:
        >>> from annotate.core.spans import Span
        >>> gold = Document("d1", "Ada met", "a.txt", article=0, paragraph=0, offset=0, spans=(Span(0, 3, "PER"),))
        >>> record = hf_record(gold, ["Ada", "met"], ["B-PER", "O"])
        >>> record["ner_tags"], record["spans"]
        (['B-PER', 'O'], [{'start': 0, 'end': 3, 'label': 'PER'}])
    """
    return {
        "id": document.id,
        "text": document.text,
        "tokens": tokens,
        "ner_tags": tags,
        "spans": [s.to_dict() for s in document.spans],
    }
