"""One annotator's normalised annotation of one document, and what was set aside: plain frozen data. Pure.

EXAMPLE:
    >>> record = AnnotationRecord("d1", 1, 2, "ann@x.org", (Span(0, 3, "PER"),), None, None, None, False, None)
    >>> AnnotationRecord.from_dict(record.to_dict()) == record
    True
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import cache
from sys import intern
from typing import Any

from annotate.core.spans import Span, sort_spans


def shallow_dict(record: object) -> dict:
    """A dataclass's fields as a dict, values as they are (``dataclasses.asdict`` deep-copies: slow).

    record (Any): A dataclass instance.
    RETURNS (dict): Field name to value.
    """
    # A class is hashable, but mypy does not see it as ``Hashable`` (python/mypy#11470, with typeshed's lru_cache).
    return {name: getattr(record, name) for name in _field_names(type(record))}  # type: ignore[arg-type]


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


@dataclass(frozen=True, slots=True)
class AnnotationRecord:
    """One annotator's normalised annotation of one document.

    doc_id (str): The document.
    task_id (Any): Label Studio's task id.
    annotation_id (Any): Label Studio's annotation id.
    annotator (str): Who annotated (an email, or Label Studio's user id).
    spans (tuple[Span, ...]): The kept spans, sorted.
    lead_time (float | None): Seconds spent, if known.
    created_at (str | None): Creation time, as exported.
    updated_at (str | None): Last update time, as exported.
    ground_truth (bool): Flagged ground truth in Label Studio.
    accepted_prediction (bool | None): The spans equal the prediction it started from (None: no prediction).
    """

    doc_id: str
    task_id: Any
    annotation_id: Any
    annotator: str
    spans: tuple[Span, ...]
    lead_time: float | None
    created_at: str | None
    updated_at: str | None
    ground_truth: bool
    accepted_prediction: bool | None

    def to_dict(self) -> dict:
        """The record as a JSON record (a line of ``annotations.jsonl``).

        RETURNS (dict): The fields, spans as ``{"start", "end", "label"}``.
        """
        record = shallow_dict(self)
        record["spans"] = [s.to_dict() for s in self.spans]
        return record

    @classmethod
    def from_dict(cls, d: dict, canonical: dict | None = None) -> AnnotationRecord:
        """A record from its JSON record (strings interned: one per document, per annotator).

        d (dict): The JSON record.
        canonical (dict | None): Spans already made for this document (see :func:`~annotate.core.spans.sort_spans`).
        RETURNS (AnnotationRecord): The record.
        """
        spans = sort_spans((Span.from_dict(s) for s in d["spans"]), canonical)
        return cls(
            doc_id=intern(str(d["doc_id"])),
            task_id=d.get("task_id"),
            annotation_id=d.get("annotation_id"),
            annotator=intern(str(d["annotator"])),
            spans=spans,  # interned: one string per document, per annotator
            lead_time=d.get("lead_time"),
            created_at=d.get("created_at"),
            updated_at=d.get("updated_at"),
            ground_truth=bool(d.get("ground_truth")),
            accepted_prediction=d.get("accepted_prediction"),
        )


@dataclass(frozen=True, slots=True)
class SetAside:
    """An annotation not used as one: cancelled, draft, empty, superseded or with every span rejected.

    doc_id (str): The document.
    task_id (Any): Label Studio's task id.
    annotation_id (Any): Label Studio's annotation id.
    annotator (str): Who made it.
    reason (str): A key of :data:`annotate.labelstudio.normalise.SET_ASIDE`.
    results (int): How many results it had.
    ground_truth (bool): Flagged ground truth.
    updated_at (str | None): Last update time, as exported.
    """

    doc_id: str
    task_id: Any
    annotation_id: Any
    annotator: str
    reason: str
    results: int
    ground_truth: bool = False
    updated_at: str | None = None

    def as_no_entities(self) -> AnnotationRecord:
        """An "empty" submission read as the annotator saying: no entities here (compile does this).

        RETURNS (AnnotationRecord): A record of this annotator with no spans.
        """
        return AnnotationRecord(
            self.doc_id,
            self.task_id,
            self.annotation_id,
            self.annotator,
            (),
            None,
            None,
            self.updated_at,
            self.ground_truth,
            None,
        )
