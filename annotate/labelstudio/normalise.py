"""Normalise exported annotations: one record per (document, annotator), every span accounted for.

Each result of every annotation and draft in the export ends up in exactly one
place: a kept span of a normalised record, or a rejection with a reason.
``spans_in == spans_kept + rejected`` holds by construction and is checked (:func:`check_balanced`, a
coded :class:`~annotate.errors.InternalError`, which holds under ``python -O`` too).

Offsets: Label Studio 1.23 stores text spans in Unicode code points, the same
as Python (checked in a real browser by ``tests/test_offsets_browser.py``).
Exports made by tools that count UTF-16 code units (JavaScript string indices)
disagree after any character outside the Basic Multilingual Plane; such a span
is recognised when its UTF-16 reading matches its ``text`` and converted
(counted as ``utf16_converted``). A span whose cached ``text`` differs from
``text[start:end]`` only in whitespace is kept by its offsets (counted as
``text_whitespace_differs``).

Pure functions over :mod:`annotate.labelstudio.export` records.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from annotate.core.documents import Document
from annotate.core.records import AnnotationRecord, SetAside
from annotate.core.spans import Span, sort_spans
from annotate.errors import Errors, InternalError
from annotate.labelstudio.export import ExportAnnotation, ExportTask, model_info
from annotate.labelstudio.label_config import SpanSource
from annotate.labelstudio.results import SPAN_TYPES, TEXT_WHITESPACE_DIFFERS, UTF16_CONVERTED, check_result, trim_span

REASONS = {
    "not_a_span": "result type is not a span label (choices, text area, relation, …)",
    "other_control": "labels of another control than the project's span control on its text (labeling config)",
    "malformed": "start, end or labels missing or not numbers",
    "several_labels": "one span carries several labels",
    "label_not_in_schema": "label not in the label set",
    "outside_text": "offsets outside the text",
    "text_mismatch": "text[start:end] differs from the span's text",
    "whitespace_only": "span is only whitespace (after --trim)",
    "duplicate": "same span twice in one annotation",
    "in_cancelled": "in a cancelled (skipped) annotation",
    "in_draft": "in a draft",
    "in_superseded": "in an older annotation by the same annotator on the same task",
}
SET_ASIDE = {
    "cancelled": "cancelled (skipped) by the annotator",
    "draft": "draft, never submitted",
    "empty": "submitted without any span result",
    "superseded": "an older annotation by the same annotator on the same task",
    "all_spans_rejected": "every span of it was rejected (see the rejections)",
}


@dataclass(frozen=True, slots=True)
class Rejection:
    """A span result that was not kept, and why.

    doc_id (str): The document of the task.
    task_id (Any): Label Studio's task id.
    annotation_id (Any): The annotation (or draft) the result is part of.
    annotator (str): Who made it.
    reason (str): A key of REASONS.
    detail (str): What exactly was wrong (offsets, labels, the differing text).
    result (Any): The result as exported.
    """

    doc_id: str
    task_id: Any
    annotation_id: Any
    annotator: str
    reason: str
    detail: str
    result: Any


@dataclass
class Counts:
    """What normalising counted: tasks, annotations, records, spans in, kept and rejected.

    ``spans_in == spans_kept + sum(rejected.values())`` always (:func:`check_balanced`).
    """

    tasks: int = 0
    annotations_in: int = 0
    records: int = 0
    set_aside: Counter = field(default_factory=Counter)
    spans_in: int = 0
    spans_kept: int = 0
    rejected: Counter = field(default_factory=Counter)
    whitespace: int = 0  # kept spans with leading/trailing whitespace (trimmed when trim=True)
    trimmed: int = 0
    utf16_converted: int = 0
    text_whitespace_differs: int = 0  # kept by their offsets: the cached text differs only in whitespace

    @property
    def balanced(self) -> bool:
        """True when every span result that came in was kept or rejected."""
        return self.spans_in == self.spans_kept + sum(self.rejected.values())

    def to_dict(self) -> dict:
        """The counts as JSON-ready values (as ``pull.json`` keeps them)."""
        return {
            "tasks": self.tasks,
            "annotations_in": self.annotations_in,
            "records": self.records,
            "set_aside": dict(self.set_aside),
            "spans_in": self.spans_in,
            "spans_kept": self.spans_kept,
            "rejected": dict(self.rejected),
            "whitespace": self.whitespace,
            "trimmed": self.trimmed,
            "utf16_converted": self.utf16_converted,
            "text_whitespace_differs": self.text_whitespace_differs,
        }


@dataclass
class Normalised:
    """An export, normalised: documents, one record per (document, annotator), and everything set aside.

    documents (list[Document]): One per task, with the model's predicted spans when it has a prediction.
    records (list[AnnotationRecord]): The kept annotations, one per (document, annotator).
    set_aside (list[SetAside]): Cancelled, draft, empty and superseded annotations.
    rejections (list[Rejection]): Every span result not kept.
    counts (Counts): The tallies, balanced.
    """

    documents: list[Document]
    records: list[AnnotationRecord]
    set_aside: list[SetAside]
    rejections: list[Rejection]
    counts: Counts


def _foreign(result: Any, span_source: SpanSource | None) -> bool:
    """A labels result of another control than the project's span controls (only known from its config)."""
    return (
        span_source is not None
        and isinstance(result, dict)
        and result.get("type") in SPAN_TYPES
        and not span_source.selects(result)
    )


def _prediction_spans(
    results: Iterable[Any] | None, text: str, labels: set[str] | None, span_source: SpanSource | None = None
) -> tuple[Span, ...] | None:
    if not isinstance(results, list):
        return None
    spans = []
    for r in results:
        if _foreign(r, span_source):
            continue
        span, _, _, _ = check_result(r, text, labels)
        if span is not None:
            spans.append(span)
    return sort_spans(spans)


def _latest_first(a: ExportAnnotation) -> tuple:
    return (str(a.updated_at or ""), str(a.id or ""))


def normalise(tasks: Iterable[ExportTask], labels: Iterable[str] | None, trim: bool = False) -> Normalised:
    """Normalise parsed export tasks against a label set; see the module docstring.

    tasks (Iterable[ExportTask]): The parsed export (streamed: read once, in order).
    labels (Iterable[str] | None): The label set (None: every label).
    trim (bool): Trim leading/trailing whitespace off spans (a whitespace-only span is rejected).
    RETURNS (Normalised): Documents, records, set-asides, rejections and balanced counts.
    """
    label_set = set(labels) if labels is not None else None
    counts = Counts()
    documents, records, set_aside, rejections = [], [], [], []
    for task in tasks:
        counts.tasks += 1
        doc = task.document
        text = doc.text
        prediction = next((p for p in task.predictions if isinstance(p.get("result"), list)), None)
        if prediction is None:  # Label Studio's JSON export lists prediction ids; annotations carry the object
            prediction = next(
                (
                    {"result": a.prediction_results, "model_version": a.prediction_model, "id": a.prediction_id}
                    for a in task.annotations
                    if a.prediction_results is not None
                ),
                None,
            )
        task_prediction = (
            _prediction_spans(prediction["result"], text, label_set, task.span_source) if prediction else None
        )
        reference_cache: dict[Any, tuple[Span, ...] | None] = {}
        if prediction is not None and isinstance(prediction.get("id"), (int, str)):
            reference_cache[prediction["id"]] = task_prediction  # for the annotations that started from it

        def reject(
            a: ExportAnnotation, reason: str, detail: str, result: Any, doc: Document = doc, task: ExportTask = task
        ) -> None:
            counts.rejected[reason] += 1
            rejections.append(Rejection(doc.id, task.task_id, a.id, a.annotator, reason, detail, result))

        def aside(a: ExportAnnotation, reason: str, doc: Document = doc, task: ExportTask = task) -> None:
            counts.set_aside[reason] += 1
            set_aside.append(
                SetAside(doc.id, task.task_id, a.id, a.annotator, reason, len(a.results), a.ground_truth, a.updated_at)
            )

        submitted: dict[str, list[ExportAnnotation]] = defaultdict(list)
        canonical: dict[Span, Span] = {}  # annotators mostly mark the same spans: keep one object of each
        for a in task.annotations:
            counts.annotations_in += 1
            counts.spans_in += len(a.results)
            if a.kind == "draft" or a.was_cancelled:
                reason = "draft" if a.kind == "draft" else "cancelled"
                aside(a, reason)
                for r in a.results:
                    reject(a, f"in_{reason}", "", r)
            else:
                submitted[a.annotator].append(a)

        for annotator, versions in submitted.items():
            versions.sort(key=_latest_first, reverse=True)
            for old in versions[1:]:
                aside(old, "superseded")
                for r in old.results:
                    reject(old, "in_superseded", "", r)
            a = versions[0]
            kept: list[Span] = []
            any_span_result = False
            for r in a.results:
                if _foreign(r, task.span_source):
                    reject(a, "other_control", f"from_name {r.get('from_name')!r}, to_name {r.get('to_name')!r}", r)
                    continue
                span, reason, detail, note = check_result(r, text, label_set)
                if isinstance(r, dict) and r.get("type") in SPAN_TYPES:
                    any_span_result = True
                if span is None:
                    reject(a, reason, detail, r)
                    continue
                counts.utf16_converted += note == UTF16_CONVERTED
                counts.text_whitespace_differs += note == TEXT_WHITESPACE_DIFFERS
                if text[span.start : span.end] != text[span.start : span.end].strip():
                    counts.whitespace += 1
                    if trim:
                        trimmed = trim_span(text, span)
                        if trimmed is None:
                            reject(a, "whitespace_only", repr(text[span.start : span.end]), r)
                            continue
                        counts.trimmed += 1
                        span = trimmed
                if span in kept:
                    reject(a, "duplicate", f"{span.start}-{span.end} {span.label}", r)
                    continue
                kept.append(span)
            if not any_span_result or not kept:
                aside(a, "empty" if not any_span_result else "all_spans_rejected")
                continue
            counts.spans_kept += len(kept)
            spans = sort_spans(kept, canonical)
            cache_key = a.prediction_id if a.prediction_id is not None else id(a.prediction_results)
            if cache_key not in reference_cache:
                reference_cache[cache_key] = _prediction_spans(a.prediction_results, text, label_set, task.span_source)
            reference = reference_cache[cache_key]
            if reference is None:
                reference = task_prediction
            records.append(
                AnnotationRecord(
                    doc_id=doc.id,
                    task_id=task.task_id,
                    annotation_id=a.id,
                    annotator=annotator,
                    spans=spans,
                    lead_time=a.lead_time,
                    created_at=a.created_at,
                    updated_at=a.updated_at,
                    ground_truth=a.ground_truth,
                    accepted_prediction=None if reference is None else spans == reference,
                )
            )
        model = model_info(prediction.get("model_version")) if prediction else None
        documents.append(doc.with_spans(task_prediction or (), model=model) if model else doc)
    counts.records = len(records)
    check_balanced(counts)
    return Normalised(documents, records, set_aside, rejections, counts)


def export_labels(tasks: Iterable[ExportTask]) -> set[str]:
    """Every label used by a span result in the export (annotations, drafts, predictions).

    tasks (Iterable[ExportTask]): The parsed export.
    RETURNS (set[str]): The labels.
    """
    found: set[str] = set()
    for task in tasks:
        results = [r for a in task.annotations for r in a.results]
        results += [r for p in task.predictions if isinstance(p.get("result"), list) for r in p["result"]]
        for r in results:
            if _foreign(r, task.span_source):
                continue
            value = r.get("value") if isinstance(r, dict) and r.get("type") in SPAN_TYPES else None
            if isinstance(value, dict):
                span_labels = value.get("labels")
                if isinstance(span_labels, list):
                    found.update(map(str, span_labels))
    return found


def check_balanced(counts: Counts) -> None:
    """Check the conservation of spans: every span result that came in was kept or rejected.

    A real check (not an ``assert``): it holds under ``python -O`` too.

    counts (Counts): The tallies of one normalisation.
    RETURNS (None): Raises InternalError (E100) when the counts do not balance: a bug in annotate.

    EXAMPLE:
        >>> check_balanced(Counts(spans_in=2, spans_kept=1, rejected=Counter(duplicate=1)))
    """
    if not counts.balanced:
        rejected = sum(counts.rejected.values())
        raise InternalError(
            Errors.E100.format(
                spans_in=counts.spans_in, kept=counts.spans_kept, rejected=rejected, counts=counts.to_dict()
            )
        )
