"""One annotator's normalised annotation of one document, and what was set aside: plain frozen data."""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import lru_cache
from sys import intern
from typing import Any

from annotate.core.spans import Span, sort_spans


def shallow_dict(record) -> dict:
    """A dataclass's fields as a dict, values as they are (``dataclasses.asdict`` deep-copies: slow)."""
    return {name: getattr(record, name) for name in _field_names(type(record))}


@lru_cache(maxsize=None)
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


@dataclass(frozen=True, slots=True)
class AnnotationRecord:
    """One annotator's normalised annotation of one document."""

    doc_id: str
    task_id: Any
    annotation_id: Any
    annotator: str
    spans: tuple[Span, ...]
    lead_time: float | None
    created_at: str | None
    updated_at: str | None
    ground_truth: bool
    accepted_prediction: bool | None  # None: no prediction to compare with

    def to_dict(self) -> dict:
        record = shallow_dict(self)
        record["spans"] = [s.to_dict() for s in self.spans]
        return record

    @classmethod
    def from_dict(cls, d: dict, canonical: dict | None = None) -> "AnnotationRecord":
        """``canonical``: spans already made for this document (see :func:`~annotate.spans.sort_spans`)."""
        spans = sort_spans((Span.from_dict(s) for s in d["spans"]), canonical)
        return cls(
            doc_id=intern(str(d["doc_id"])), task_id=d.get("task_id"), annotation_id=d.get("annotation_id"),
            annotator=intern(str(d["annotator"])), spans=spans,  # interned: one string per document, per annotator
            lead_time=d.get("lead_time"), created_at=d.get("created_at"), updated_at=d.get("updated_at"),
            ground_truth=bool(d.get("ground_truth")), accepted_prediction=d.get("accepted_prediction"),
        )


@dataclass(frozen=True, slots=True)
class SetAside:
    doc_id: str
    task_id: Any
    annotation_id: Any
    annotator: str
    reason: str
    results: int
    ground_truth: bool = False
    updated_at: str | None = None

    def as_no_entities(self) -> AnnotationRecord:
        """An "empty" submission read as the annotator saying: no entities here (compile does this)."""
        return AnnotationRecord(self.doc_id, self.task_id, self.annotation_id, self.annotator, (), None, None,
                                self.updated_at, self.ground_truth, None)
