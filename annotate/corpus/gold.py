"""Gold records: a gold document as one line of ``gold.jsonl``, and reading them back.

A gold record is :meth:`Document.to_dict <annotate.core.documents.Document.to_dict>` with its
keys in the order ``id, text, spans, meta`` (and no ``model``: gold is no model's), the
bytes every version's ``gold.jsonl`` has always had (its sha256 is part of the content key).
"""

from __future__ import annotations

from pathlib import Path

from annotate.core.documents import Document
from annotate.core.inputs import PLACE, parse_input_record
from annotate.io.documents import read_documents


def gold_record(doc: Document) -> dict:
    """A gold document as its ``gold.jsonl`` record.

    doc (Document): The gold document.
    RETURNS (dict): ``{"id", "text", "spans", "meta"}`` (``meta``: place, then who decided).

    EXAMPLE:
        >>> from annotate.core.spans import Span
        >>> gold_record(Document("d1", "Ada", "a.txt", 0, 0, 0, (Span(0, 3, "PER"),), extra_meta={"conflicts": 0}))
        {'id': 'd1', 'text': 'Ada', 'spans': [{'start': 0, 'end': 3, 'label': 'PER'}], 'meta': {'source': 'a.txt', 'article': 0, 'paragraph': 0, 'offset': 0, 'conflicts': 0}}
    """
    record = doc.to_dict()
    return {"id": record["id"], "text": record["text"], "spans": record["spans"], "meta": record["meta"]}


def gold_from_record(record: dict, path: str = "gold.jsonl", line: int = 1) -> Document:
    """A gold document from its ``gold.jsonl`` record (:meth:`Document.from_dict`), or from the short input shape.

    record (dict): The record: full (with ``meta``) or ``{"text", "spans"}`` with ``id`` and ``meta`` optional
        (defaults as :mod:`annotate.core.inputs` fills them in).
    path (str): The file it comes from (the default source, and named in errors).
    line (int): Its line (named in errors; the short shape's default paragraph is ``line - 1``).
    RETURNS (Document): The gold document (``extra_meta``: who annotated, how it was decided).

    EXAMPLE:
        >>> gold_from_record({"id": "a", "text": "Ada", "spans": [{"start": 0, "end": 3, "label": "PER"}]}).source
        'gold.jsonl'
    """
    meta = record.get("meta")
    if "id" in record and isinstance(meta, dict) and all(key in meta for key in PLACE):
        return Document.from_dict(record)
    return parse_input_record(record, path, line, line - 1, 0)[0]


def read_gold(path: Path) -> list[Document]:
    """Every gold document of a ``gold.jsonl``, in the file's order.

    path (Path): The file (full records, or the short input shape: see :mod:`annotate.core.inputs`).
    RETURNS (list[Document]): The gold documents; a bad line raises a coded error naming the file and line.
    """
    return read_documents(path, producer="compile", spans_required=True)
