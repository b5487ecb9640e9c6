"""A pull read one document at a time, in reading order: the stream compile goes through.

A pull folder's documents.jsonl and annotations.jsonl are written in reading order, so a pull read with
``read_pull(path, stream=True)`` is never held whole; files in another order are read into memory.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import groupby
from operator import attrgetter
from pathlib import Path

from annotate.core.documents import Document, Outline, in_reading_order, is_in_reading_order
from annotate.core.gold import Annotated
from annotate.corpus.pull import Pull
from annotate.errors import Errors, InternalError


@dataclass
class ByDocument:
    """A pull's documents and records, one document at a time in reading order (see :func:`by_document`)."""

    outline: list[Outline]  # every document, in reading order (the gold's order)
    counts: Counter  # doc id -> number of kept records
    empty: dict[str, list]  # doc id -> its empty submissions as "no entities" records (if they count)
    documents: Callable[[], Iterator[Document]]  # the documents, in reading order
    groups: Callable[[], Iterator[tuple[str, list]]]  # (doc id, kept records), in reading order

    def submitted(self, doc_id: str) -> int:
        """The number of submissions on a document that count: kept records and empty ones (if they count).

        doc_id (str): The document id.
        RETURNS (int): The number.
        """
        return self.counts[doc_id] + len(self.empty.get(doc_id, ()))

    def stream(self) -> Iterator[Annotated]:
        """Every document with its records, one at a time in reading order: the stream compile goes through.

        RETURNS (Iterator[Annotated]): ``(document, kept records, empty submissions)`` per document.
        """
        groups = self.groups()
        pending = next(groups, None)
        for doc in self.documents():
            kept: list = []
            if pending is not None and pending[0] == doc.id:
                kept, pending = pending[1], next(groups, None)
            yield Annotated(doc, kept, self.empty.get(doc.id, []))
        if pending is not None:  # the conservation check: no record is left without its document
            raise InternalError(Errors.E111.format(doc_id=pending[0]))


def by_document(pull: Pull, empty_means_none: bool) -> ByDocument:
    """A pull's documents in reading order, with their records (what compile goes through).

    A pull read with ``read_pull(path, stream=True)`` (as ``annotate compile`` reads it) is never
    held whole: its documents.jsonl and annotations.jsonl, written in reading order, are read one
    document at a time (annotations.jsonl once more before, to count each document's records).
    Files in another order (written by an older annotate, or by hand) are read into memory.

    pull (Pull): The pull, in memory or streamed (:func:`read_pull`).
    empty_means_none (bool): Count empty submissions as "no entities" records.
    RETURNS (ByDocument): The documents in reading order, their record counts and their records.
    """
    empty: dict[str, list] = defaultdict(list)
    if empty_means_none:
        for aside in pull.set_aside:
            if aside.reason == "empty":
                empty[aside.doc_id].append(aside.as_no_entities())
    if pull.documents is None and is_in_reading_order(pull.outlines()):
        outline, documents = pull.outlines(), pull.iter_documents
    else:
        ordered = in_reading_order(pull.iter_documents())
        outline, documents = [Outline.of(d) for d in ordered], lambda: iter(ordered)
    if pull.records is None:
        counts = _counts_if_in_order(pull._folder() / "annotations.jsonl", outline)
        if counts is not None:

            def streamed() -> Iterator[tuple[str, list]]:
                for doc_id, records in groupby(pull.iter_records(), key=attrgetter("doc_id")):
                    yield doc_id, list(records)

            return ByDocument(outline, counts, empty, documents, streamed)
    annotated: dict[str, list] = defaultdict(list)
    for record in pull.iter_records():
        annotated[record.doc_id].append(record)
    counts = Counter({doc_id: len(records) for doc_id, records in annotated.items()})
    return ByDocument(
        outline, counts, empty, documents, lambda: ((o.id, annotated[o.id]) for o in outline if o.id in annotated)
    )


_DOC_ID = b'{"doc_id":"'  # how every line of annotations.jsonl starts, as write_pull writes it


def _counts_if_in_order(path: Path, documents: list[Outline]) -> Counter | None:
    """Records per document of an annotations file, or None if it is not grouped in the documents' order.

    Only the doc id of each line is needed: it is read from the line's start (a line written by
    another program is parsed as JSON); the records themselves are read and checked when streamed.
    """
    position = {d.id: i for i, d in enumerate(documents)}
    counts: Counter = Counter()
    last = -1
    with open(path, "rb") as fh:
        for line in fh:
            end = line.find(b'"', len(_DOC_ID)) if line.startswith(_DOC_ID) else -1
            if end > 0 and b"\\" not in line[:end]:
                doc_id = line[len(_DOC_ID) : end].decode("utf-8", "replace")
            elif line.strip():
                try:
                    doc_id = json.loads(line).get("doc_id")
                except (ValueError, AttributeError):
                    return None  # the full read says what is wrong with the line
            else:
                continue
            at = position.get(doc_id)
            if at is None or at < last:  # out of order (or an unknown document: the full read reports it)
                return None
            counts[doc_id] += 1
            last = at
    return counts
