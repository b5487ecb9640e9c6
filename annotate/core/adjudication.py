"""Adjudication: from several annotators' spans to one non-overlapping gold per document.

Strategies (``parse_strategy``):

* ``majority``: a span is gold when more than half of the document's annotators
  marked exactly it (start, end, label). A span marked by exactly half is a tie:
  the strategy cannot settle it, so it is a conflict.
* ``ground-truth``: the annotation flagged ground truth in Label Studio wins;
  documents without one fall back to majority.
* ``adjudicator:EMAIL``: that annotator's annotation wins where present;
  majority elsewhere.
* ``adjudicated``: the decisions pulled from an adjudication project
  (``annotate adjudicate push/pull``) win on the documents they cover;
  majority elsewhere.

Gold spans that overlap each other are never emitted: they become a conflict
(NER gold is flat). Pure functions.

EXAMPLE:
    >>> from annotate.core.records import AnnotationRecord
    >>> def record(who, *spans):
    ...     return AnnotationRecord("d1", 1, who, who, spans, None, None, None, False, None)
    >>> per, org = Span(0, 3, "PER"), Span(0, 3, "ORG")
    >>> decision = adjudicate("d1", [record("a", per), record("b", per), record("c", org)], parse_strategy("majority"))
    >>> decision.spans, decision.decided_by, decision.conflicts
    ((Span(start=0, end=3, label='PER'),), 'majority', ())
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from annotate.core.records import AnnotationRecord
from annotate.core.spans import Span, sort_spans
from annotate.errors import Errors, InvalidInputError


@dataclass(frozen=True)
class Strategy:
    """How to settle a document (see the module docstring).

    name (str): "majority", "ground-truth", "adjudicator" or "adjudicated".
    adjudicator (str | None): The adjudicator's email, for "adjudicator".
    """

    name: str
    adjudicator: str | None = None

    def __str__(self) -> str:
        return f"adjudicator:{self.adjudicator}" if self.adjudicator else self.name


def parse_strategy(text: str) -> Strategy:
    """A strategy from its ``--strategy`` text.

    text (str): "majority", "ground-truth", "adjudicated" or "adjudicator:EMAIL".
    RETURNS (Strategy): The strategy; InvalidInputError (E080) for anything else.

    EXAMPLE:
        >>> parse_strategy("adjudicator:ann@x.org")
        Strategy(name='adjudicator', adjudicator='ann@x.org')
    """
    if text in ("majority", "ground-truth", "adjudicated"):
        return Strategy(text)
    if text.startswith("adjudicator:") and len(text) > len("adjudicator:"):
        return Strategy("adjudicator", text.split(":", 1)[1])
    raise InvalidInputError(Errors.E080.format(strategy=text))


@dataclass(frozen=True)
class Conflict:
    """A disagreement the strategy could not settle, on one document.

    doc_id (str): The document.
    reason (str): "tie", "overlap" or "misaligned".
    spans (tuple[tuple[Span, tuple[str, ...]], ...]): Each competing span and who marked it.
    """

    doc_id: str
    reason: str
    spans: tuple[tuple[Span, tuple[str, ...]], ...]

    def to_dict(self, text: str) -> dict:
        """The conflict as a JSON record, each span with its text and annotators.

        text (str): The document's text.
        RETURNS (dict): ``{"doc_id", "reason", "spans"}``.
        """
        return {
            "doc_id": self.doc_id,
            "reason": self.reason,
            "spans": [
                {**span.to_dict(), "text": text[span.start : span.end], "annotators": list(who)}
                for span, who in self.spans
            ],
        }


@dataclass(frozen=True)
class Decision:
    """The gold of one document, and what could not be settled.

    doc_id (str): The document.
    spans (tuple[Span, ...]): Its gold spans, sorted, never overlapping.
    annotators (tuple[str, ...]): Whose records were adjudicated, sorted.
    decided_by (str): "majority", "ground-truth:WHO", "adjudicator:WHO" or "adjudicated:WHO".
    conflicts (tuple[Conflict, ...]): Ties and overlaps left out of the gold.
    """

    doc_id: str
    spans: tuple[Span, ...]
    annotators: tuple[str, ...]
    decided_by: str
    conflicts: tuple[Conflict, ...]


def _marked_by(records: Sequence[AnnotationRecord]) -> dict[Span, tuple[str, ...]]:
    who: dict[Span, list[str]] = defaultdict(list)
    for record in records:
        for span in set(record.spans):
            who[span].append(record.annotator)
    return {span: tuple(sorted(names)) for span, names in who.items()}


def _majority(
    doc_id: str, records: Sequence[AnnotationRecord], marked: dict[Span, tuple[str, ...]]
) -> tuple[list[Span], list[Conflict]]:
    """Spans marked by more than half of the records (``marked``: who marked each span); ties are conflicts."""
    n = len(records)
    gold = [span for span, who in marked.items() if 2 * len(who) > n]
    ties = [(span, who) for span, who in sorted(marked.items()) if 2 * len(who) == n]
    conflicts = []
    if ties:
        # Tied spans, together with any gold span they overlap, form one conflict per cluster.
        for cluster in _clusters([s for s, _ in ties]):
            conflicts.append(Conflict(doc_id, "tie", tuple((s, marked[s]) for s in cluster)))
    return gold, conflicts


def _clusters(spans: Sequence[Span]) -> list[list[Span]]:
    """Groups of spans connected by overlap, each sorted."""
    ordered = sorted(spans)
    groups: list[list[Span]] = []
    end = -1
    for span in ordered:
        if groups and span.start < end:
            groups[-1].append(span)
            end = max(end, span.end)
        else:
            groups.append([span])
            end = span.end
    return groups


def remove_overlaps(
    doc_id: str, gold: Sequence[Span], marked: dict[Span, tuple[str, ...]]
) -> tuple[list[Span], list[Conflict]]:
    """Keep gold spans that overlap no other gold span; overlapping clusters become conflicts.

    doc_id (str): The document.
    gold (Sequence[Span]): Candidate gold spans.
    marked (dict[Span, tuple[str, ...]]): Who marked each span.
    RETURNS (tuple[list[Span], list[Conflict]]): The kept spans and the overlap conflicts.
    """
    kept, conflicts = [], []
    for cluster in _clusters(gold):
        if len(cluster) == 1:
            kept.append(cluster[0])
        else:
            conflicts.append(Conflict(doc_id, "overlap", tuple((s, marked.get(s, ())) for s in cluster)))
    return kept, conflicts


def adjudicate(
    doc_id: str, records: Sequence[AnnotationRecord], strategy: Strategy, decision: AnnotationRecord | None = None
) -> Decision:
    """Gold spans and conflicts for one document from its annotators' records.

    doc_id (str): The document.
    records (Sequence[AnnotationRecord]): Its annotators' records.
    strategy (Strategy): How to settle it.
    decision (AnnotationRecord | None): The adjudicator's record for this document (strategy
        ``adjudicated``), if any.
    RETURNS (Decision): The gold and the conflicts.
    """
    records = sorted(records, key=lambda r: r.annotator)
    annotators = tuple(r.annotator for r in records)
    marked = _marked_by(records)
    winner = None
    if strategy.name == "ground-truth":
        flagged = sorted((r for r in records if r.ground_truth), key=lambda r: str(r.updated_at or ""))
        winner = flagged[-1] if flagged else None
        label = f"ground-truth:{winner.annotator}" if winner else "majority"
    elif strategy.name == "adjudicated" and decision is not None:
        winner = decision
        label = f"adjudicated:{decision.annotator}"
    elif strategy.name == "adjudicator":
        winner = next((r for r in records if r.annotator == strategy.adjudicator), None)
        label = f"adjudicator:{winner.annotator}" if winner else "majority"
    else:
        label = "majority"
    conflicts: list[Conflict]
    if winner is not None:
        gold, conflicts = list(winner.spans), []
    else:
        gold, conflicts = _majority(doc_id, records, marked)
    gold, overlap_conflicts = remove_overlaps(doc_id, gold, marked)
    return Decision(doc_id, sort_spans(gold), annotators, label, tuple(conflicts + overlap_conflicts))


def decisions_from(records: Sequence[AnnotationRecord]) -> dict[str, AnnotationRecord]:
    """The adjudicator's decision per document from an adjudication pull's submitted records.

    Where several were submitted on one document (two adjudicators, or one who
    changed their mind in a second annotation), the latest (by ``updated_at``) wins.

    records (Sequence[AnnotationRecord]): The adjudication pull's records.
    RETURNS (dict[str, AnnotationRecord]): Doc id to the deciding record.
    """
    decisions: dict[str, AnnotationRecord] = {}
    for record in sorted(records, key=lambda r: (str(r.updated_at or ""), str(r.annotation_id or ""))):
        decisions[record.doc_id] = record
    return decisions
