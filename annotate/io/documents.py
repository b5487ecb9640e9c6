"""Documents JSONL files: written atomically, read and validated line by line."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from annotate.core.documents import Document
from annotate.errors import Errors, InvalidInputError
from annotate.io import jsonl


def write_documents(path: Path, documents: Iterable[Document]) -> int:
    """Write documents as JSONL, atomically (temp file, fsync, rename).

    path (Path): The file to write.
    documents (Iterable[Document]): The documents, in the order to write them.
    RETURNS (int): How many were written.
    """
    return jsonl.write_jsonl(path, (d.to_dict() for d in documents))


def read_documents(path: Path, producer: str = "ingest") -> list[Document]:
    """Read and validate a documents JSONL file. Every error names the file and line.

    path (Path): The file.
    producer (str): The command that writes such files (named in the error for a missing file).
    RETURNS (list[Document]): The documents, in file order.

    EXAMPLE:
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "docs.jsonl"
        >>> write_documents(path, [Document("d1", "Ada.", "a.txt", 0, 0, 0)])
        1
        >>> [d.text for d in read_documents(path)]
        ['Ada.']
    """
    return list(iter_documents(path, producer))


def iter_documents(path: Path, producer: str = "ingest") -> Iterator[Document]:
    """Read and validate a documents JSONL file one document at a time (see :func:`read_documents`).

    path (Path): The file.
    producer (str): The command that writes such files.
    RETURNS (Iterator[Document]): The documents; a bad line, a span outside its text, a repeated id or an
        empty file raise InvalidInputError naming the file and line.
    """
    path = Path(path)
    seen: dict[str, int] = {}
    for line_no, record in jsonl.read_jsonl(path, producer=producer):
        try:
            doc = Document.from_dict(record)
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            reason = f"missing key {err}" if isinstance(err, KeyError) else str(err)
            raise InvalidInputError(Errors.E012.format(path=path, line=line_no, reason=reason)) from None
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
        yield doc
    if not seen:
        raise InvalidInputError(Errors.E014.format(path=path))
