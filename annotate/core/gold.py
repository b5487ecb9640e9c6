"""What compile decides for each document, step by step: adjudicate, align, account. Pure functions.

compile is a pipeline over one stream of :class:`Annotated` (a document and its records, in
reading order)::

    stream -> adjudicate_document (whitespace trimmed first) -> align_document -> CompileState.add -> (the writer)

:func:`iter_gold` chains the first two; :class:`CompileState` keeps every count of a compile
in one place (the span accounting, the agreement and anchoring tallies, the gold's counts)
and checks the conservation of spans (:meth:`Accounting.check`). Nothing here reads or
writes a file; tokenising is spaCy's ``nlp.make_doc``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from annotate.core.adjudication import Decision, Strategy, adjudicate
from annotate.core.agreement import AgreementTally
from annotate.core.alignment import gold_doc, token_labels_by_annotator
from annotate.core.anchoring import AnchoringTally
from annotate.core.documents import Document
from annotate.core.records import AnnotationRecord
from annotate.core.spans import Span, sort_spans, trim_span
from annotate.core.stories import HEADLINE
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
    trimmed: Counter = field(default_factory=Counter)  # annotators' spans trimmed of edge whitespace, per label
    dropped: int = 0  # annotators' spans gone in trimming (whitespace only, or a duplicate once trimmed)


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
    trimmed: Counter = field(default_factory=Counter)  # annotators' spans trimmed of edge whitespace, per label
    dropped: int = 0  # annotators' spans gone in trimming (whitespace only, or a duplicate once trimmed)
    split: Counter = field(default_factory=Counter)  # gold spans aligned by splitting tokens, per label
    tokens: Any = None  # the tokenizer's Doc when ``sdoc`` has split tokens (agreement compares on it), else None


def trim_records(records: list[AnnotationRecord], text: str) -> tuple[list[AnnotationRecord], Counter, int]:
    """Trim whitespace off the edges of every record's spans (before adjudication, so trimmed spans agree).

    A record without such spans is returned as it is (the common case costs one look at each span's edges).

    records (list[AnnotationRecord]): One document's records.
    text (str): Its text.
    RETURNS (tuple[list[AnnotationRecord], Counter, int]): The records, the spans trimmed per label, and how many
        spans were dropped (whitespace only, or equal to another of the same record's once trimmed).

    EXAMPLE:
        >>> r = AnnotationRecord("d", 1, 2, "a", (Span(0, 4, "PER"),), None, None, None, False, None)
        >>> trimmed, per_label, dropped = trim_records([r], "Ada met")
        >>> trimmed[0].spans, dict(per_label), dropped
        ((Span(start=0, end=3, label='PER'),), {'PER': 1}, 0)
    """
    per_label: Counter = Counter()
    dropped = 0
    out = []
    for record in records:
        if not any(text[s.start].isspace() or text[s.end - 1].isspace() for s in record.spans):
            out.append(record)
            continue
        spans = []
        for span in record.spans:
            if text[span.start].isspace() or text[span.end - 1].isspace():
                per_label[span.label] += 1
                trimmed = trim_span(text, span)
                if trimmed is None:
                    dropped += 1
                    continue
                span = trimmed
            spans.append(span)
        kept = sort_spans(spans)
        dropped += len(spans) - len(kept)
        out.append(replace(record, spans=kept))
    return out, per_label, dropped


def adjudicate_document(
    item: Annotated,
    strategy: Strategy,
    min_annotators: int,
    decision: AnnotationRecord | None = None,
    trim: bool = True,
) -> Adjudicated:
    """Adjudicate one document, or leave it out when fewer than ``min_annotators`` submitted.

    With ``trim`` (the default) whitespace at span edges is trimmed first (:func:`trim_records`), the
    adjudicator's decision too: two annotators, one with a trailing space, agree.

    item (Annotated): The document and its records.
    strategy (Strategy): How gold is decided (see :mod:`annotate.core.adjudication`).
    min_annotators (int): The fewest submissions a document needs to be in the gold (at least 1).
    decision (AnnotationRecord | None): The adjudicator's record for it (strategy ``adjudicated``).
    trim (bool): Trim whitespace off span edges (False: keep spans as annotated; they are then misaligned).
    RETURNS (Adjudicated): The decision, or the left-out record.
    """
    doc, records, dropped = item.document, item.records, 0
    trimmed: Counter = Counter()
    if trim:
        records, trimmed, dropped = trim_records(records, doc.text)
        if decision is not None:
            decision = trim_records([decision], doc.text)[0][0]
    item = Annotated(doc, records, item.empty)
    submitted = item.records + item.empty
    if len(submitted) < min_annotators or not submitted:
        left = {
            "doc_id": doc.id,
            "annotations": len(submitted),
            "reason": f"{len(submitted)} annotations, fewer than {max(min_annotators, 1)}",
        }
        return Adjudicated(doc, item.records, submitted, None, left, trimmed, dropped)
    decided = adjudicate(doc.id, submitted, strategy, decision)
    return Adjudicated(doc, item.records, submitted, decided, None, trimmed, dropped)


def align_document(adjudicated: Adjudicated, nlp) -> Outcome:
    """Tokenise a document once and align its gold spans to the tokens, splitting tokens a span falls inside.

    A gold span inside or across the tokenizer's tokens is kept: the gold Doc's tokens are split at its edges
    (:func:`~annotate.core.alignment.gold_doc`; no cost for a document that needs no split). Only a span that
    still cannot stand on tokens (whitespace at an edge, with trimming off) is a "misaligned" conflict.

    adjudicated (Adjudicated): The document after :func:`adjudicate_document`.
    nlp (Language): The tokenizer (``spacy.blank(lang)``).
    RETURNS (Outcome): The gold document (spans aligned, ``Doc.ents`` set) and its conflicts.
    RAISES (InternalError): The split Doc does not give back the text (E150): a bug.
    """
    a, doc = adjudicated, adjudicated.document
    if a.decision is None:  # left out: tokenised still when annotated (agreement compares its tokens)
        sdoc = nlp.make_doc(doc.text) if a.submitted else None
        return Outcome(doc, a.records, a.submitted, sdoc, None, [], a.left_out, a.trimmed, a.dropped)
    decision = a.decision  # a decision means at least one submission
    sdoc, ents, misaligned, split = gold_doc(nlp, doc.text, decision.spans)
    tokens = None
    if split:
        if sdoc.text != doc.text:  # Doc(words, spaces) from the tokenizer's tokens: same text, by construction
            raise InternalError(Errors.E150.format(doc_id=doc.id, spans=len(split)))
        tokens = nlp.make_doc(doc.text)  # the tokenizer's own tokens, for agreement
    mine = [c.to_dict(doc.text) for c in decision.conflicts]  # this document's conflicts
    for span in misaligned:
        who = sorted(r.annotator for r in a.submitted if span in r.spans)  # not in the file's order
        mine.append(
            {
                "doc_id": doc.id,
                "reason": "misaligned",
                "spans": [{**span.to_dict(), "text": doc.text[span.start : span.end], "annotators": who}],
            }
        )
    off = set(misaligned)
    aligned = [span for span in decision.spans if span not in off] if off else list(decision.spans)
    sdoc.ents = ents
    meta = {"annotators": list(decision.annotators), "decided_by": decision.decided_by, "conflicts": len(mine)}
    if doc.extra_meta.get(HEADLINE) is True:
        meta[HEADLINE] = True
    gold = Document(
        doc.id, doc.text, doc.source, doc.article, doc.paragraph, doc.offset, spans=tuple(aligned), extra_meta=meta
    )
    split_labels = Counter(s.label for s in split)
    return Outcome(doc, a.records, a.submitted, sdoc, gold, mine, None, a.trimmed, a.dropped, split_labels, tokens)


def iter_gold(
    stream: Iterable[Annotated],
    strategy: Strategy,
    min_annotators: int,
    nlp,
    decisions: Mapping[str, AnnotationRecord] | None = None,
    trim: bool = True,
) -> Iterator[Outcome]:
    """Adjudicate and align a stream of documents one at a time, in the stream's order.

    With empty submissions in the stream (``Annotated.empty``) an annotator who submitted no
    span counts as saying "no entities here"; cancelled annotations are never in it.

    stream (Iterable[Annotated]): The documents and their records, in reading order (the caller reads them).
    strategy (Strategy): How gold is decided.
    min_annotators (int): The fewest submissions a document needs to be in the gold.
    nlp (Language): The tokenizer (``spacy.blank(lang)``).
    decisions (Mapping[str, AnnotationRecord] | None): The adjudicator's record per document id.
    trim (bool): Trim whitespace off span edges before adjudicating (False: ``--keep-whitespace``).
    RETURNS (Iterator[Outcome]): One outcome per document.
    """
    decisions = decisions or {}
    for item in stream:
        decision = decisions.get(item.document.id)
        yield align_document(adjudicate_document(item, strategy, min_annotators, decision, trim), nlp)


@dataclass
class Accounting:
    """Where every annotator's kept span went: in the gold, a conflict, outvoted, a left-out document, or trimmed away.

    ``dropped_by_trim``: spans that trimming left empty (whitespace only) or made equal to another span of the same
    annotation.
    """

    kept_spans: int = 0
    in_gold: int = 0
    in_conflicts: int = 0
    outvoted: int = 0
    in_left_out: int = 0
    dropped_by_trim: int = 0

    def add(self, outcome: Outcome) -> None:
        """Account for the spans of one document's submissions.

        outcome (Outcome): The document's outcome.
        """
        marks = [span for r in outcome.submitted for span in r.spans]
        self.kept_spans += len(marks) + outcome.dropped
        self.dropped_by_trim += outcome.dropped
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
        placed = self.in_gold + self.in_conflicts + self.outvoted + self.in_left_out + self.dropped_by_trim
        return self.kept_spans == placed

    def check(self) -> None:
        """The conservation check: raise unless every kept span is accounted for (holds under ``python -O``).

        EXAMPLE:
            >>> Accounting(kept_spans=2, in_gold=1, outvoted=1).check()
            >>> Accounting(kept_spans=2, in_gold=1).check()
            Traceback (most recent call last):
            ...
            annotate.exceptions.InternalError: [E110] Compile lost track of annotated spans: 2 kept spans, ...
        """
        if not self.balanced:
            raise InternalError(Errors.E110.format(**self.to_dict()))

    def to_dict(self) -> dict:
        """The six counters, as the manifest records them.

        RETURNS (dict): ``kept_spans``, ``in_gold``, ``in_conflicts``, ``outvoted``, ``in_left_out``,
            ``dropped_by_trim``.
        """
        return {
            "kept_spans": self.kept_spans,
            "in_gold": self.in_gold,
            "in_conflicts": self.in_conflicts,
            "outvoted": self.outvoted,
            "in_left_out": self.in_left_out,
            "dropped_by_trim": self.dropped_by_trim,
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
    trimmed: Counter = field(default_factory=Counter)  # annotators' spans trimmed of edge whitespace, per label
    split: Counter = field(default_factory=Counter)  # gold spans kept by splitting tokens, per label
    split_documents: int = 0  # gold documents whose tokens were split

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
            tokens = outcome.sdoc if outcome.tokens is None else outcome.tokens  # the tokenizer's, split or not
            self.agreement.add(marked, token_labels_by_annotator(tokens, marked) if len(marked) >= 2 else {})
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
        self.trimmed.update(outcome.trimmed)
        if outcome.split:
            self.split.update(outcome.split)
            self.split_documents += 1
        if outcome.gold is None:
            self.left_out += 1
        else:
            self.gold_spans[outcome.gold.id] = outcome.gold.spans
            self.spans_per_label.update(s.label for s in outcome.gold.spans)
        return outcome
