"""Records to ingest: JSONL (``{"text": ..., "meta": ...}``, the shape Prodigy and Label Studio import) and
CSV/TSV with a text column (Python's csv module; ``.csv`` comma-separated, ``.tsv`` tab-separated, a header line).

Each record is one document (:func:`annotate.core.ingest.record_document`). The text is the field named by
``text_field`` (default ``text``); the id the field named by ``id_field``, else a field ``id`` if the record has
one, else the content hash. A JSONL record may also be a Label Studio task, ``{"data": {"text": ...}}``.
JSONL keeps the record's ``meta`` object; CSV/TSV keeps the other columns in
``meta``. Every error names the file and line.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

from annotate.core.documents import Document, document_id
from annotate.core.ingest import record_document
from annotate.errors import Errors, InvalidInputError
from annotate.io import jsonl

RECORD_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": ",", ".tsv": "\t"}


class Record(NamedTuple):
    """One record of a file: its line, its text, its id (or None) and the fields kept in ``meta``."""

    line: int
    text: str
    given_id: str | None
    meta: dict


def _kind(value: object) -> str:
    return "null" if value is None else type(value).__name__


def _fields(path: Path, line: int, record: dict, text_field: str, id_field: str | None) -> tuple[str, str | None]:
    if text_field not in record or record[text_field] is None:
        fields = ", ".join(map(str, record)) or "none"
        raise InvalidInputError(Errors.E006.format(path=path, line=line, field=text_field, fields=fields))
    text = record[text_field]
    if not isinstance(text, str):
        raise InvalidInputError(
            Errors.E007.format(path=path, line=line, field=text_field, got=_kind(text), expected="a string")
        )
    key = id_field if id_field is not None else "id"
    if key not in record or record[key] is None or record[key] == "":
        if id_field is not None:
            fields = ", ".join(map(str, record))
            raise InvalidInputError(Errors.E006.format(path=path, line=line, field=id_field, fields=fields))
        return text, None
    given = record[key]
    if isinstance(given, bool) or not isinstance(given, str | int):
        raise InvalidInputError(
            Errors.E007.format(path=path, line=line, field=key, got=_kind(given), expected="a string or integer")
        )
    return text, str(given)


def _jsonl_records(path: Path, text_field: str, id_field: str | None) -> Iterator[Record]:
    for line, record in jsonl.read_jsonl(path, producer="ingest"):
        data = record.get("data")
        if text_field not in record and isinstance(data, dict) and text_field in data:  # a Label Studio task
            record = {**data, **{k: v for k, v in record.items() if k != "data"}}
        text, given = _fields(path, line, record, text_field, id_field)
        meta = record.get("meta")
        if meta is None:
            meta = {}
        if not isinstance(meta, dict):
            raise InvalidInputError(
                Errors.E007.format(path=path, line=line, field="meta", got=_kind(meta), expected="an object")
            )
        yield Record(line, text, given, meta)


def _csv_records(path: Path, delimiter: str, text_field: str, id_field: str | None) -> Iterator[Record]:
    csv.field_size_limit(max(csv.field_size_limit(), min(sys.maxsize, 2**31 - 1)))  # a long article is one field
    used = {text_field, id_field if id_field is not None else "id"}
    with path.open("r", encoding="utf-8-sig", errors="strict", newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        line = 1
        try:
            header = next(reader, None)
            if not header:
                raise InvalidInputError(Errors.E009.format(path=path, line=1, field=text_field, reason="no header"))
            for row in reader:
                start, line = line + 1, reader.line_num
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) > len(header):
                    reason = f"{len(row)} fields, the header names {len(header)}"
                    raise InvalidInputError(Errors.E009.format(path=path, line=start, field=text_field, reason=reason))
                record = dict(zip(header, row, strict=False))  # a short row lacks the last columns
                text, given = _fields(path, start, record, text_field, id_field)
                yield Record(start, text, given, {k: v for k, v in record.items() if k not in used})
        except csv.Error as err:
            raise InvalidInputError(
                Errors.E009.format(path=path, line=line + 1, field=text_field, reason=err)
            ) from None
        except UnicodeDecodeError as err:
            raise InvalidInputError(Errors.E004.format(path=path, position=err.start, reason=err.reason)) from None


def iter_records(path: Path, text_field: str = "text", id_field: str | None = None) -> Iterator[Record]:
    """The records of a JSONL, CSV or TSV file (told by its suffix), in file order.

    path (Path): The file (``.jsonl``/``.ndjson``, ``.csv``, ``.tsv``).
    text_field (str): The field holding the text.
    id_field (str | None): The field holding the id (None: ``id`` when there, else the content hash).
    RETURNS (Iterator[Record]): The records; a missing or wrong field raises E006/E007, a bad CSV E009.
    """
    kind = RECORD_SUFFIXES[path.suffix.lower()]
    if kind == "jsonl":
        return _jsonl_records(path, text_field, id_field)
    return _csv_records(path, kind, text_field, id_field)


def read_records(
    path: Path, text_field: str = "text", id_field: str | None = None, seen: dict[str, str] | None = None
) -> tuple[list[Document], list[int]]:
    """One document per record of a JSONL, CSV or TSV file (see :func:`annotate.core.ingest.record_document`).

    path (Path): The file.
    text_field (str): The field holding the text.
    id_field (str | None): The field holding the id.
    seen (dict[str, str] | None): Ids already taken (by earlier files), each with where; updated.
    RETURNS (tuple[list[Document], list[int]]): The documents, and the lines of records whose text is blank
        (skipped).

    EXAMPLE:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "notes.csv"
        >>> _ = path.write_text('id,text\\n7,"Ada, the first."\\n8,\\n', encoding="utf-8")
        >>> docs, blank = read_records(path)
        >>> [(d.id, d.text, d.paragraph) for d in docs], blank
        ([('7', 'Ada, the first.', 0)], [3])
    """
    docs: list[Document] = []
    blank: list[int] = []
    occurrences: dict[str, int] = {}
    seen = {} if seen is None else seen
    for index, record in enumerate(iter_records(path, text_field, id_field)):
        doc = record_document(path.name, index, record.text, record.given_id, record.meta, 0)
        if doc is None:
            blank.append(record.line)
            continue
        occurrence = occurrences.get(doc.text, 0)
        occurrences[doc.text] = occurrence + 1
        if occurrence and record.given_id is None:
            doc = replace(doc, id=document_id(path.name, doc.text, occurrence))
        if doc.id in seen:
            raise InvalidInputError(Errors.E008.format(path=path, line=record.line, doc_id=doc.id, first=seen[doc.id]))
        seen[doc.id] = f"line {record.line} of {path.name}"
        docs.append(doc)
    return docs, blank
