"""Documents JSONL files: written atomically, read and validated line by line."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

from annotate.core.documents import Document
from annotate.errors import Errors, InvalidInputError
from annotate.io import files


def write_documents(path: Path, documents: Iterable[Document]) -> int:
    """Write documents as JSONL, atomically (temp file, then rename). Returns the count."""
    return files.write_jsonl(path, (d.to_dict() for d in documents))


def read_documents(path: Path, producer: str = "ingest") -> list[Document]:
    """Read and validate a documents JSONL file. Every error names the file and line."""
    return list(iter_documents(path, producer))


def iter_documents(path: Path, producer: str = "ingest") -> Iterator[Document]:
    """Read and validate a documents JSONL file one document at a time (see :func:`read_documents`)."""
    path = Path(path)
    seen: dict[str, int] = {}
    for line_no, record in files.read_jsonl(path, producer=producer):
        try:
            doc = Document.from_dict(record)
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            reason = f"missing key {err}" if isinstance(err, KeyError) else str(err)
            raise InvalidInputError(Errors.E012.format(path=path, line=line_no, reason=reason)) from None
        for span in doc.spans:
            if not span.within(doc.text):
                raise InvalidInputError(Errors.E013.format(path=path, line=line_no, doc_id=doc.id, start=span.start,
                                                       end=span.end, label=span.label, length=len(doc.text)))
        if doc.id in seen:
            raise InvalidInputError(Errors.E015.format(path=path, line=line_no, doc_id=doc.id, first=seen[doc.id]))
        seen[doc.id] = line_no
        yield doc
    if not seen:
        raise InvalidInputError(Errors.E014.format(path=path))
