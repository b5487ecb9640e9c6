"""Documents JSONL files: written atomically, read and validated line by line.

A line is the full record (with ``meta``) or the short input shape of :mod:`annotate.core.inputs`
(``text``, ``spans``; ``id`` and ``meta`` optional, defaults filled in).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from annotate.core.documents import Document
from annotate.core.inputs import PLACE, parse_input_record
from annotate.errors import Errors, InvalidInputError
from annotate.io import jsonl


def write_documents(path: Path, documents: Iterable[Document]) -> int:
    """Write documents as JSONL, atomically (temp file, fsync, rename).

    path (Path): The file to write.
    documents (Iterable[Document]): The documents, in the order to write them.
    RETURNS (int): How many were written.
    """
    return jsonl.write_jsonl(path, (d.to_dict() for d in documents))


def read_documents(path: Path, producer: str = "ingest", spans_required: bool = False) -> list[Document]:
    """Read and validate a documents JSONL file. Every error names the file and line.

    path (Path): The file.
    producer (str): The command that writes such files (named in the error for a missing file).
    spans_required (bool): Whether a short-shape line must have ``spans`` (gold, predictions).
    RETURNS (list[Document]): The documents, in file order.

    EXAMPLE:
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "docs.jsonl"
        >>> write_documents(path, [Document("d1", "Ada.", "a.txt", 0, 0, 0)])
        1
        >>> [d.text for d in read_documents(path)]
        ['Ada.']
    """
    return [doc for _, doc, _ in iter_input_documents(path, producer, spans_required)]


def iter_documents(path: Path, producer: str = "ingest") -> Iterator[Document]:
    """Read and validate a documents JSONL file one document at a time (see :func:`read_documents`).

    path (Path): The file.
    producer (str): The command that writes such files.
    RETURNS (Iterator[Document]): The documents; a bad line, a span outside its text, a repeated id or an
        empty file raise InvalidInputError naming the file and line.
    """
    return (doc for _, doc, _ in iter_input_documents(path, producer))


def _full(record: dict) -> bool:
    meta = record.get("meta")
    return "id" in record and isinstance(meta, dict) and all(key in meta for key in PLACE)


def iter_input_documents(
    path: Path, producer: str = "ingest", spans_required: bool = False
) -> Iterator[tuple[int, Document, bool]]:
    """Read a documents JSONL file, full records and short-shape lines alike (see :mod:`annotate.core.inputs`).

    path (Path): The file.
    producer (str): The command that writes such files.
    spans_required (bool): Whether a short-shape line must have ``spans``.
    RETURNS (Iterator[tuple[int, Document, bool]]): ``(line, document, whether the line gave its id)``; errors as
        :func:`iter_documents` (E140-E142 for a short-shape line).
    """
    path = Path(path)
    seen: dict[str, int] = {}
    occurrences: dict[str, int] = {}
    for index, (line_no, record) in enumerate(jsonl.read_jsonl(path, producer=producer)):
        if _full(record):
            try:
                doc, has_id = Document.from_dict(record), True
            except (KeyError, TypeError, ValueError, AttributeError) as err:
                reason = f"missing key {err}" if isinstance(err, KeyError) else str(err)
                raise InvalidInputError(Errors.E012.format(path=path, line=line_no, reason=reason)) from None
        else:
            text = record.get("text")
            occurrence = occurrences.get(text, 0) if isinstance(text, str) else 0
            doc, has_id = parse_input_record(record, str(path), line_no, index, occurrence, spans_required, path.name)
            occurrences[doc.text] = occurrence + 1
        for span in doc.spans:
            if not span.within(doc.text):
                raise InvalidInputError(
                    Errors.E013.format(
                        path=path,
                        line=line_no,
                        doc_id=doc.id,
                        start=span.start,
                        end=span.end,
                        label=span.label,
                        length=len(doc.text),
                    )
                )
        if doc.id in seen:
            raise InvalidInputError(Errors.E015.format(path=path, line=line_no, doc_id=doc.id, first=seen[doc.id]))
        seen[doc.id] = line_no
        yield line_no, doc, has_id
    if not seen:
        raise InvalidInputError(Errors.E014.format(path=path))
