"""What compile decides for each document, step by step: adjudicate, align, account. Pure functions.

compile is a pipeline over one stream of :class:`Annotated` (a document and its records, in
reading order)::

    stream -> adjudicate_document -> align_document -> CompileState.add -> (the writer)

:func:`iter_gold` chains the first two; :class:`CompileState` keeps every count of a compile
in one place (the span accounting, the agreement and anchoring tallies, the gold's counts)
and checks the conservation of spans (:meth:`Accounting.check`). Nothing here reads or
writes a file; tokenising is spaCy's ``nlp.make_doc``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from annotate.core.adjudication import Decision, Strategy, adjudicate
from annotate.core.agreement import AgreementTally
from annotate.core.alignment import token_labels_by_annotator
from annotate.core.anchoring import AnchoringTally
from annotate.core.documents import Document
from annotate.core.records import AnnotationRecord
from annotate.core.spans import Span
from annotate.errors import Errors, InternalError


class Annotated(NamedTuple):
    """One document of a pull with its records: one item of the stream compile goes through."""

    document: Document
    records: list[AnnotationRecord]  # its annotators' kept records (what agreement compares)
    empty: list[AnnotationRecord]  # its empty submissions as "no entities" records (if they count)


@dataclass
class Adjudicated:
    """One document after adjudication: its decision, or why it was left out."""

    document: Document
    records: list[AnnotationRecord]  # kept records
    submitted: list[AnnotationRecord]  # kept records and the empty submissions that count
    decision: Decision | None  # None: left out
    left_out: dict | None  # the left_out.jsonl record, when left out


@dataclass
class Outcome:
    """What compile decided for one document (see :func:`iter_gold`)."""

    document: Document  # the pull's document
    records: list  # its annotators' kept records (what agreement compares)
    submitted: list  # those and the empty submissions (as "no entities" records), if they count
    sdoc: Any  # its spaCy Doc (tokenised once; None without records), gold entities set when in the gold
    gold: Document | None  # the gold document, or None when left out
    conflicts: list[dict]
    left_out: dict | None


def adjudicate_document(
    item: Annotated, strategy: Strategy, min_annotators: int, decision: AnnotationRecord | None = None
) -> Adjudicated:
    """Adjudicate one document, or leave it out when fewer than ``min_annotators`` submitted.

    item (Annotated): The document and its records.
    strategy (Strategy): How gold is decided (see :mod:`annotate.core.adjudication`).
    min_annotators (int): The fewest submissions a document needs to be in the gold (at least 1).
    decision (AnnotationRecord | None): The adjudicator's record for it (strategy ``adjudicated``).
    RETURNS (Adjudicated): The decision, or the left-out record.
    """
    doc, submitted = item.document, item.records + item.empty
    if len(submitted) < min_annotators or not submitted:
        left = {
            "doc_id": doc.id,
            "annotations": len(submitted),
            "reason": f"{len(submitted)} annotations, fewer than {max(min_annotators, 1)}",
        }
        return Adjudicated(doc, item.records, submitted, None, left)
    return Adjudicated(doc, item.records, submitted, adjudicate(doc.id, submitted, strategy, decision), None)


def align_document(adjudicated: Adjudicated, nlp) -> Outcome:
    """Tokenise a document once and align its gold spans to the tokens; a span off token boundaries is a conflict.

    adjudicated (Adjudicated): The document after :func:`adjudicate_document`.
    nlp (Language): The tokenizer (``spacy.blank(lang)``).
    RETURNS (Outcome): The gold document (spans aligned, ``Doc.ents`` set) and its conflicts.
    """
    a, doc = adjudicated, adjudicated.document
    if a.decision is None:  # left out: tokenised still when annotated (agreement compares its tokens)
        return Outcome(
            doc, a.records, a.submitted, nlp.make_doc(doc.text) if a.submitted else None, None, [], a.left_out
        )
    sdoc = nlp.make_doc(doc.text)  # a decision means at least one submission
    decision = a.decision
    mine = [c.to_dict(doc.text) for c in decision.conflicts]  # this document's conflicts
    aligned, ents = [], []
    for span in decision.spans:
        ent = sdoc.char_span(span.start, span.end, label=span.label)
        if ent is None:
            who = sorted(r.annotator for r in a.submitted if span in r.spans)  # not in the file's order
            mine.append(
                {
                    "doc_id": doc.id,
                    "reason": "misaligned",
                    "spans": [{**span.to_dict(), "text": doc.text[span.start : span.end], "annotators": who}],
                }
            )
        else:
            aligned.append(span)
            ents.append(ent)
    sdoc.ents = ents
    meta = {"annotators": list(decision.annotators), "decided_by": decision.decided_by, "conflicts": len(mine)}
    gold = Document(
        doc.id, doc.text, doc.source, doc.article, doc.paragraph, doc.offset, spans=tuple(aligned), extra_meta=meta
    )
    return Outcome(doc, a.records, a.submitted, sdoc, gold, mine, None)


def iter_gold(
    stream: Iterable[Annotated],
    strategy: Strategy,
    min_annotators: int,
    nlp,
    decisions: Mapping[str, AnnotationRecord] | None = None,
) -> Iterator[Outcome]:
    """Adjudicate and align a stream of documents one at a time, in the stream's order.

    With empty submissions in the stream (``Annotated.empty``) an annotator who submitted no
    span counts as saying "no entities here"; cancelled annotations are never in it.

    stream (Iterable[Annotated]): The documents and their records, in reading order (the caller reads them).
    strategy (Strategy): How gold is decided.
    min_annotators (int): The fewest submissions a document needs to be in the gold.
    nlp (Language): The tokenizer (``spacy.blank(lang)``).
    decisions (Mapping[str, AnnotationRecord] | None): The adjudicator's record per document id.
    RETURNS (Iterator[Outcome]): One outcome per document.
    """
    decisions = decisions or {}
    for item in stream:
        yield align_document(adjudicate_document(item, strategy, min_annotators, decisions.get(item.document.id)), nlp)


@dataclass
class Accounting:
    """Where every annotator's kept span went: in the gold, a conflict, outvoted, or a left-out document."""

    kept_spans: int = 0
    in_gold: int = 0
    in_conflicts: int = 0
    outvoted: int = 0
    in_left_out: int = 0

    def add(self, outcome: Outcome) -> None:
        """Account for the spans of one document's submissions.

        outcome (Outcome): The document's outcome.
        """
        marks = [span for r in outcome.submitted for span in r.spans]
        self.kept_spans += len(marks)
        if outcome.gold is None:
            self.in_left_out += len(marks)
            return
        disputed = {Span(s["start"], s["end"], s["label"]) for c in outcome.conflicts for s in c["spans"]}
        gold_set = set(outcome.gold.spans)
        for span in marks:
            if span in gold_set:
                self.in_gold += 1
            elif span in disputed:
                self.in_conflicts += 1
            else:
                self.outvoted += 1

    @property
    def balanced(self) -> bool:
        """Whether every kept span is accounted for exactly once.

        RETURNS (bool): True if so.
        """
        return self.kept_spans == self.in_gold + self.in_conflicts + self.outvoted + self.in_left_out

    def check(self) -> None:
        """The conservation check: raise unless every kept span is accounted for (holds under ``python -O``).

        EXAMPLE:
            >>> Accounting(kept_spans=2, in_gold=1, outvoted=1).check()
            >>> Accounting(kept_spans=2, in_gold=1).check()
            Traceback (most recent call last):
            ...
            annotate.errors.InternalError: [E110] Compile lost track of annotated spans: 2 kept spans, ...
        """
        if not self.balanced:
            raise InternalError(Errors.E110.format(**self.to_dict()))

    def to_dict(self) -> dict:
        """The five counters, as the manifest records them.

        RETURNS (dict): ``kept_spans``, ``in_gold``, ``in_conflicts``, ``outvoted``, ``in_left_out``.
        """
        return {
            "kept_spans": self.kept_spans,
            "in_gold": self.in_gold,
            "in_conflicts": self.in_conflicts,
            "outvoted": self.outvoted,
            "in_left_out": self.in_left_out,
        }


@dataclass
class CompileState:
    """Every count of one compile, in one place, updated one outcome at a time.

    labels (list[str]): The pull's labels (the agreement's label set).
    """

    labels: list[str]
    accounting: Accounting = field(default_factory=Accounting)
    agreement: AgreementTally = field(init=False)
    anchoring: AnchoringTally = field(default_factory=AnchoringTally)
    pre_annotated: int = 0
    left_out: int = 0
    spans_per_label: Counter = field(default_factory=Counter)
    conflicts_by_reason: Counter = field(default_factory=Counter)
    gold_spans: dict[str, tuple[Span, ...]] = field(default_factory=dict)  # doc id -> gold spans (CHANGES.md)

    def __post_init__(self) -> None:
        self.agreement = AgreementTally(self.labels)

    def add(self, outcome: Outcome) -> Outcome:
        """Count one document's outcome: accounting, agreement, anchoring, the gold's counts.

        outcome (Outcome): The document's outcome.
        RETURNS (Outcome): The same outcome (for the next step of the pipeline).
        """
        self.accounting.add(outcome)
        if outcome.records:  # one annotator: a document counted, no tokens to compare
            marked = {r.annotator: r.spans for r in outcome.records}
            self.agreement.add(marked, token_labels_by_annotator(outcome.sdoc, marked) if len(marked) >= 2 else {})
        if outcome.document.model is not None and outcome.submitted:
            self.pre_annotated += 1
            for r in outcome.submitted:
                self.anchoring.add(
                    r.annotator,
                    outcome.document.spans,
                    r.spans,
                    outcome.gold.spans if outcome.gold is not None else None,
                )
        self.conflicts_by_reason.update(c["reason"] for c in outcome.conflicts)
        if outcome.gold is None:
            self.left_out += 1
        else:
            self.gold_spans[outcome.gold.id] = outcome.gold.spans
            self.spans_per_label.update(s.label for s in outcome.gold.spans)
        return outcome
