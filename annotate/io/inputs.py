"""Gold and prediction files in any of the shapes read: documents JSONL, a spaCy DocBin, CoNLL IOB2.

The format is told by the suffix (``.jsonl``/``.json``/``.ndjson``: JSONL; ``.spacy``: DocBin; ``.conll``,
``.iob``, ``.iob2``, ``.bio``: CoNLL) and, for any other suffix (``.txt`` say), by the content: a first line
starting with ``{`` is JSONL, one ending in an IOB2 tag (or ``-DOCSTART-``) is CoNLL.

* JSONL: :func:`annotate.io.documents.iter_input_documents` (the full record, or ``text`` + ``spans``).
* DocBin: one document per Doc, the gold in ``doc.ents``; the id from ``doc.user_data["id"]`` when there.
* CoNLL IOB2: ``TOKEN [COLUMNS ...] TAG`` lines (the tag last), a blank line between sentences,
  ``-DOCSTART-`` between documents (without any ``-DOCSTART-`` line, each sentence is a document). The text
  is rebuilt with spaCy (a ``Doc`` of the tokens, one space between them) and the entities read with
  ``spacy.training.iob_utils``; an I- tag that continues no entity is an error naming its line.

Documents without an id get the content hash ingest uses (:func:`annotate.core.documents.document_id` of the
file name, the text and its occurrence) and are matched to gold by text (see
:func:`annotate.core.inputs.squeezed`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from annotate.core.documents import Document, document_id
from annotate.core.spans import Span, sort_spans
from annotate.errors import Errors, InvalidInputError, NotFoundError
from annotate.io.documents import iter_input_documents

JSONL_SUFFIXES = (".jsonl", ".json", ".ndjson")
CONLL_SUFFIXES = (".conll", ".iob", ".iob2", ".bio")
DOCBIN_SUFFIXES = (".spacy",)


class InputDocument(NamedTuple):
    """One document read from a gold or predictions file.

    where (str): Where it is in the file (``line 3``, or ``document 3`` for a DocBin).
    doc (Document): The document.
    has_id (bool): Whether the file gave its id (else it is the content hash).
    """

    where: str
    doc: Document
    has_id: bool


def input_format(path: Path) -> str:
    """What a gold or predictions file holds: "jsonl", "docbin" or "conll".

    path (Path): The file.
    RETURNS (str): The format, by suffix, else by the first non-blank line.
    RAISES (InvalidInputError): E146 when neither tells.

    EXAMPLE:
        >>> input_format(Path("gold.conll")), input_format(Path("preds.jsonl")), input_format(Path("g.spacy"))
        ('conll', 'jsonl', 'docbin')
    """
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in DOCBIN_SUFFIXES:
        return "docbin"
    if suffix in CONLL_SUFFIXES:
        return "conll"
    with path.open("rb") as fh:
        head = fh.read(65536)
    try:
        lines = head.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        raise InvalidInputError(Errors.E146.format(path=path, reason="not UTF-8 text, and not named .spacy")) from None
    first = next((line.strip() for line in lines if line.strip()), "")
    if first.startswith("{"):
        return "jsonl"
    columns = first.split()
    if first.startswith("-DOCSTART-") or len(columns) >= 2 and _is_tag(columns[-1]):
        return "conll"
    reason = "it is empty" if not first else f"the first line {first[:40]!r} is neither JSON nor a CoNLL token line"
    raise InvalidInputError(Errors.E146.format(path=path, reason=reason))


def _is_tag(tag: str) -> bool:
    return tag == "O" or len(tag) > 2 and tag[:2] in ("B-", "I-")


def read_input_documents(path: Path, producer: str = "compile") -> list[InputDocument]:
    """Every document of a gold or predictions file, in file order, in whichever format it is.

    path (Path): A JSONL, DocBin or CoNLL file.
    producer (str): The command that writes such files (for a missing JSONL file's message).
    RETURNS (list[InputDocument]): The documents, each with where it is and whether it had an id.
    RAISES (InvalidInputError): A coded error (E140-E149, E011-E015) naming the file and line.

    EXAMPLE:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "gold.conll"
        >>> _ = path.write_text("Ada B-PER\\nmet O\\nBabbage B-PER\\n", encoding="utf-8")
        >>> [(d.doc.text, d.doc.spans[1]) for d in read_input_documents(path)]
        [('Ada met Babbage', Span(start=8, end=15, label='PER'))]
    """
    path = Path(path)
    if not path.is_file():
        raise NotFoundError(Errors.E010.format(path=path, producer=producer))
    fmt = input_format(path)
    if fmt == "jsonl":
        found = [InputDocument(f"line {line}", doc, has_id) for line, doc, has_id in _jsonl(path, producer)]
    elif fmt == "docbin":
        found = list(_docbin(path))
    else:
        found = list(_conll(path))
    if not found:
        raise InvalidInputError(Errors.E148.format(path=path))
    return found


def _jsonl(path: Path, producer: str) -> Iterator[tuple[int, Document, bool]]:
    return iter_input_documents(path, producer, spans_required=True)


def _with_ids(path: Path, docs: Iterator[tuple[str, str, list[Span], str | None]]) -> Iterator[InputDocument]:
    """Documents built from (where, text, spans, id or None), the missing ids filled in, repeated ids refused."""
    occurrences: dict[str, int] = {}
    seen: dict[str, str] = {}
    for index, (where, text, spans, given) in enumerate(docs):
        occurrence = occurrences.get(text, 0)
        occurrences[text] = occurrence + 1
        doc_id = given if given is not None else document_id(path.name, text, occurrence)
        if doc_id in seen:
            raise InvalidInputError(Errors.E149.format(path=path, where=where, doc_id=doc_id, first=seen[doc_id]))
        seen[doc_id] = where
        doc = Document(doc_id, text, path.name, index, index, 0, sort_spans(spans))
        yield InputDocument(where, doc, given is not None)


def _docbin(path: Path) -> Iterator[InputDocument]:
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    try:
        docs = list(DocBin().from_disk(path).get_docs(Vocab()))
    except Exception as err:  # noqa: BLE001 - any bytes: msgpack, zlib and spaCy raise many kinds
        raise InvalidInputError(Errors.E145.format(path=path, reason=f"{type(err).__name__}: {err}")) from None

    def rows() -> Iterator[tuple[str, str, list[Span], str | None]]:
        for number, doc in enumerate(docs, start=1):
            given = doc.user_data.get("id") if isinstance(doc.user_data, dict) else None
            doc_id = (
                str(given) if isinstance(given, str | int) and not isinstance(given, bool) and given != "" else None
            )
            spans = [Span(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_]
            yield f"document {number}", doc.text, spans, doc_id

    return _with_ids(path, rows())


class _Sentence(NamedTuple):
    line: int  # of its first token
    tokens: list[str]
    tags: list[str]


def _conll_sentences(path: Path) -> Iterator[list[_Sentence]]:
    """The file's documents, each a list of sentences, the tags checked as IOB2 line by line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise InvalidInputError(Errors.E146.format(path=path, reason=f"not UTF-8: {err.reason}")) from None
    lines = text.lstrip("\ufeff").splitlines()
    by_docstart = any(line.startswith("-DOCSTART-") for line in lines)
    document: list[_Sentence] = []
    sentence: _Sentence | None = None
    for number, line in enumerate(lines, start=1):
        columns = line.split()
        if not columns or columns[0] == "-DOCSTART-":
            if sentence is not None:
                document.append(sentence)
                sentence = None
            if document and (columns or not by_docstart):
                yield document
                document = []
            continue
        if len(columns) < 2:
            raise InvalidInputError(Errors.E143.format(path=path, line=number, reason="one column: no tag"))
        tag = columns[-1]
        if not _is_tag(tag):
            raise InvalidInputError(
                Errors.E143.format(
                    path=path, line=number, reason=f"the last column {tag!r} is not O, B-LABEL or I-LABEL"
                )
            )
        previous = sentence.tags[-1] if sentence is not None else "O"
        if tag.startswith("I-") and previous[2:] != tag[2:]:
            raise InvalidInputError(
                Errors.E144.format(path=path, line=number, tag=tag, previous=previous, label=tag[2:])
            )
        if sentence is None:
            sentence = _Sentence(number, [], [])
        sentence.tokens.append(columns[0])
        sentence.tags.append(tag)
    if sentence is not None:
        document.append(sentence)
    if document:
        yield document


def _conll(path: Path) -> Iterator[InputDocument]:
    from spacy.tokens import Doc
    from spacy.training.iob_utils import biluo_tags_to_offsets, iob_to_biluo
    from spacy.vocab import Vocab

    vocab = Vocab()

    def rows() -> Iterator[tuple[str, str, list[Span], str | None]]:
        for sentences in _conll_sentences(path):
            words = [token for s in sentences for token in s.tokens]
            tags = [tag for s in sentences for tag in s.tags]
            doc = Doc(vocab, words=words, spaces=[True] * (len(words) - 1) + [False])
            offsets = biluo_tags_to_offsets(doc, iob_to_biluo(tags))
            spans = [Span(start, end, str(label)) for start, end, label in offsets]
            yield f"line {sentences[0].line}", doc.text, spans, None

    return _with_ids(path, rows())
