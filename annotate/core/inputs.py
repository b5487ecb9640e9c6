"""The one input shape of documents, gold and predictions: a JSON record with ``text`` and ``spans``.

A line may be the full record ``ingest``, ``preannotate`` and ``compile`` write (with ``meta``: read exactly
as :meth:`Document.from_dict <annotate.core.documents.Document.from_dict>` reads it), or the short shape::

    {"text": "Ada met Babbage.", "spans": [{"start": 0, "end": 3, "label": "PERSON"}]}

with ``id`` and ``meta`` optional. Defaults: ``id`` is the hash ingest uses (:func:`document_id` of the file
name, the text and how many earlier records of the file have the same text); ``meta.source`` is the file name,
``meta.article`` and ``meta.paragraph`` the record's index in the file (0 for the first), ``meta.offset`` 0.
Keys of ``meta`` that are given are kept. Every error names the file, the line and the field. Pure.

EXAMPLE:
    >>> doc, has_id = parse_input_record({"text": "Ada met.", "spans": []}, "gold.jsonl", 3, 0, 0)
    >>> (doc.source, doc.paragraph, doc.offset, has_id, doc.id == document_id("gold.jsonl", "Ada met."))
    ('gold.jsonl', 0, 0, False, True)
"""

from __future__ import annotations

from collections.abc import Sequence
from sys import intern

from annotate.core.documents import Document, document_id
from annotate.core.spans import Span, sort_spans
from annotate.errors import Errors, InvalidInputError

PLACE = ("source", "article", "paragraph", "offset")


def _kind(value: object) -> str:
    return "null" if value is None else type(value).__name__


def _wrong(path: str, line: int | str, field: str, value: object, expected: str) -> InvalidInputError:
    return InvalidInputError(Errors.E141.format(path=path, line=line, field=field, got=_kind(value), expected=expected))


def parse_spans(value: object, text: str, path: str, line: int | str) -> tuple[Span, ...]:
    """The ``spans`` of a record: a list of ``{"start", "end", "label"}`` inside the text.

    value (object): The record's ``spans`` value.
    text (str): The record's text.
    path (str): The file, for the messages.
    line (int | str): The line (or document), for the messages.
    RETURNS (tuple[Span, ...]): The spans, sorted.
    RAISES (InvalidInputError): E141 when it is not a list, E142 for a span that is not one or lies outside the text.

    EXAMPLE:
        >>> parse_spans([{"start": 0, "end": 3, "label": "PER"}], "Ada", "g.jsonl", 1)
        (Span(start=0, end=3, label='PER'),)
    """
    if not isinstance(value, list):
        raise _wrong(path, line, "spans", value, 'a list of {"start", "end", "label"}')
    spans = []
    for index, item in enumerate(value):
        reason = None
        if not isinstance(item, dict):
            reason = f"a {_kind(item)}, not an object"
        else:
            start, end, label = item.get("start"), item.get("end"), item.get("label")
            if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
                reason = "start and end must be integers"
            elif not isinstance(label, str) or not label:
                reason = "label must be a non-empty string"
            elif not 0 <= start < end <= len(text):  # type: ignore[operator]
                reason = f"{start}-{end} lies outside the text (length {len(text)}) or is empty"
        if reason:
            raise InvalidInputError(Errors.E142.format(path=path, line=line, index=index, reason=reason))
        spans.append(Span(item["start"], item["end"], intern(item["label"])))
    return sort_spans(spans)


def parse_input_record(
    record: dict,
    path: str,
    line: int | str,
    index: int,
    occurrence: int,
    spans_required: bool = True,
    name: str | None = None,
) -> tuple[Document, bool]:
    """One input record as a Document, defaults filled in (see the module docstring).

    record (dict): The JSON object of the line.
    path (str): The file, for the messages (and the defaults when ``name`` is not given).
    line (int | str): The line (or document number), for the messages.
    index (int): The record's index in the file (0 for the first): the default article and paragraph.
    occurrence (int): How many earlier records of the file have the same text (part of the default id).
    spans_required (bool): Whether ``spans`` must be there (gold and predictions) or may be left out.
    name (str | None): The file's name for the defaults, when ``path`` is its whole path.
    RETURNS (tuple[Document, bool]): The document, and whether the record gave its id.
    RAISES (InvalidInputError): E140 for a missing field, E141 for one of the wrong type, E142 for a bad span.
    """
    if "text" not in record:
        raise InvalidInputError(Errors.E140.format(path=path, line=line, field="text"))
    text = record["text"]
    if not isinstance(text, str):
        raise _wrong(path, line, "text", text, "a string")
    if "spans" not in record and spans_required:
        raise InvalidInputError(Errors.E140.format(path=path, line=line, field="spans"))
    spans = parse_spans(record.get("spans", []), text, path, line)
    meta = record.get("meta")
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise _wrong(path, line, "meta", meta, "an object")
    extra = {k: v for k, v in meta.items() if k not in PLACE}
    name = path if name is None else name
    source = meta.get("source", name)
    if not isinstance(source, str):
        raise _wrong(path, line, "meta.source", source, "a string")
    place = []
    for key, default in (("article", index), ("paragraph", index), ("offset", 0)):
        value = meta.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise _wrong(path, line, f"meta.{key}", value, "a non-negative integer")
        place.append(value)
    has_id = record.get("id") is not None
    doc_id = record.get("id")
    if has_id and (isinstance(doc_id, bool) or not isinstance(doc_id, str | int) or doc_id == ""):
        raise _wrong(path, line, "id", doc_id, "a non-empty string or an integer")
    return (
        Document(
            id=str(doc_id) if has_id else document_id(name, text, occurrence),
            text=text,
            source=intern(source),
            article=place[0],
            paragraph=place[1],
            offset=place[2],
            spans=spans,
            extra_meta=extra,
        ),
        has_id,
    )


def squeezed(text: str) -> str:
    """The text without its whitespace: how a prediction without an id finds its gold document.

    text (str): A document's text.
    RETURNS (str): Its non-whitespace characters, in order.

    EXAMPLE:
        >>> squeezed("Ada met Babbage .") == squeezed("Ada met\\nBabbage.")
        True
    """
    return "".join(text.split())


def _visible(text: str) -> list[int]:
    return [i for i, c in enumerate(text) if not c.isspace()]


def project_spans(spans: Sequence[Span], text: str, onto: str) -> tuple[Span, ...]:
    """Spans over ``text`` moved onto ``onto``, a text with the same non-whitespace characters.

    Each boundary keeps its place among the non-whitespace characters (a CoNLL text rebuilt with one space
    between tokens onto the original text, say).

    spans (Sequence[Span]): Spans over ``text``.
    text (str): Their text.
    onto (str): The text to move them onto; ``squeezed(onto) == squeezed(text)``.
    RETURNS (tuple[Span, ...]): The spans over ``onto`` (spans of whitespace only are dropped).

    EXAMPLE:
        >>> project_spans([Span(8, 15, "PER")], "Ada met Babbage .", "Ada met\\nBabbage.")
        (Span(start=8, end=15, label='PER'),)
    """
    if text == onto:
        return tuple(spans)
    source, target = _visible(text), _visible(onto)
    rank = {position: k for k, position in enumerate(source)}
    out = []
    for span in spans:
        inside = [rank[i] for i in range(span.start, span.end) if i in rank]
        if inside:
            out.append(Span(target[inside[0]], target[inside[-1]] + 1, span.label))
    return sort_spans(out)
