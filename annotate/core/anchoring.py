"""Anchoring: what annotators did with the model's pre-annotations. Pure functions.

Pre-annotation saves time and biases annotators toward the model. For every
annotator's submitted annotation of a pre-annotated document, each predicted
span is exactly one of:

* **accepted**: kept unchanged (same start, end and label);
* **modified**: replaced by an overlapping span of the annotator's, with other
  boundaries (``boundary``), another label (``label``) or both (``both``);
* **deleted**: nothing the annotator kept overlaps it.

Each span of the annotator's that is not a prediction is an **edit** (it
overlaps a prediction: the replacement of a modified one) or **added** (it
overlaps none: the model missed it). A submission without any span on a
pre-annotated document deletes every prediction.

Against gold (a compiled corpus), the precision of the spans an annotator
accepted unchanged is compared with the precision of the spans they edited or
added: an annotator who rubber-stamps accepts nearly everything, and their
accepted spans are no more precise than the model.

Example::

    >>> from annotate.core.spans import Span
    >>> tally = AnchoringTally()
    >>> tally.add("ann", predicted=[Span(0, 5, "ORG"), Span(9, 12, "GPE")],
    ...           annotated=[Span(0, 5, "ORG"), Span(14, 20, "PERSON")])
    >>> row = tally.report()["annotators"]["ann"]
    >>> row["accepted"], row["deleted"], row["added"], row["accepted_share"]
    (1, 1, 1, 0.5)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from annotate.core.spans import Span

KINDS = (
    "predicted",
    "accepted",
    "modified",
    "modified_boundary",
    "modified_label",
    "modified_both",
    "deleted",
    "annotated",
    "edited",
    "added",
)
GOLD_KINDS = ("accepted_in_gold", "accepted_scored", "edited_in_gold", "edited_scored")


def classify(predicted: Iterable[Span], annotated: Iterable[Span]) -> dict[str, list[Span]]:
    """Sort one annotation's spans against the prediction it started from (see the module docstring).

    predicted (Iterable[Span]): The model's spans on the document.
    annotated (Iterable[Span]): The annotator's submitted spans.
    RETURNS (dict[str, list[Span]]): Predicted spans under ``accepted``, ``modified_boundary``,
        ``modified_label``, ``modified_both``, ``deleted``; the annotator's under ``edited``, ``added``.

    EXAMPLE:
        >>> groups = classify([Span(0, 5, "ORG")], [Span(0, 5, "PER")])
        >>> groups["modified_label"], groups["edited"]
        ([Span(start=0, end=5, label='ORG')], [Span(start=0, end=5, label='PER')])
    """
    predicted, annotated = set(predicted), set(annotated)
    out: dict[str, list[Span]] = {
        k: []
        for k in ("accepted", "modified_boundary", "modified_label", "modified_both", "deleted", "edited", "added")
    }
    new = sorted(annotated - predicted)
    for p in sorted(predicted):
        if p in annotated:
            out["accepted"].append(p)
            continue
        touching = [a for a in new if a.overlaps(p)]
        if not touching:
            out["deleted"].append(p)
        elif any((a.start, a.end) == (p.start, p.end) for a in touching):
            out["modified_label"].append(p)
        elif any(a.label == p.label for a in touching):
            out["modified_boundary"].append(p)
        else:
            out["modified_both"].append(p)
    for a in new:
        out["edited" if any(a.overlaps(p) for p in predicted) else "added"].append(a)
    return out


class AnchoringTally:
    """Anchoring counts per annotator and label, added one annotation at a time; :meth:`report` gives the table."""

    def __init__(self) -> None:
        self.counts: dict[str, dict[str, dict[str, int]]] = defaultdict(
            lambda: defaultdict(lambda: dict.fromkeys(KINDS + GOLD_KINDS, 0))
        )
        self.documents: dict[str, int] = defaultdict(int)

    def add(
        self, annotator: str, predicted: Sequence[Span], annotated: Sequence[Span], gold: Sequence[Span] | None = None
    ) -> None:
        """Count one annotator's spans on one pre-annotated document.

        annotator (str): Who annotated.
        predicted (Sequence[Span]): The model's spans on the document.
        annotated (Sequence[Span]): The annotator's submitted spans.
        gold (Sequence[Span] | None): The document's gold, if compiled (scores accepted against edited spans).
        """
        self.documents[annotator] += 1
        rows = self.counts[annotator]
        predicted_set, annotated_set = set(predicted), set(annotated)  # a span given twice counts once
        # Accepted as predicted, every span (the common case): no need to look for overlaps.
        groups = (
            {"accepted": list(predicted_set), "edited": [], "added": []}
            if predicted_set == annotated_set
            else classify(predicted_set, annotated_set)
        )
        for p in predicted_set:
            rows[p.label]["predicted"] += 1
        for a in annotated_set:
            rows[a.label]["annotated"] += 1
        for kind, spans in groups.items():
            for span in spans:
                rows[span.label][kind] += 1
                if kind.startswith("modified_"):
                    rows[span.label]["modified"] += 1
        if gold is not None:
            gold_set = set(gold)
            for span in groups["accepted"]:
                rows[span.label]["accepted_scored"] += 1
                rows[span.label]["accepted_in_gold"] += span in gold_set
            for span in groups["edited"] + groups["added"]:
                rows[span.label]["edited_scored"] += 1
                rows[span.label]["edited_in_gold"] += span in gold_set

    def report(self) -> dict:
        """The table of everything added so far.

        RETURNS (dict): ``{"annotators": {name: row}}``; a row has the counts, the shares, the precisions
            against gold and ``per_label`` rows.
        """
        annotators = {}
        for name in sorted(self.counts):
            per_label = {label: _row(c) for label, c in sorted(self.counts[name].items())}
            total = dict.fromkeys(KINDS + GOLD_KINDS, 0)
            for c in self.counts[name].values():
                for k in total:
                    total[k] += c[k]
            annotators[name] = {"documents": self.documents[name], **_row(total), "per_label": per_label}
        return {"annotators": annotators}


def _ratio(x: int, y: int) -> float | None:
    return x / y if y else None


def _row(c: Mapping[str, int]) -> dict:
    row: dict[str, int | float | None] = {k: c[k] for k in KINDS}
    row["accepted_share"] = _ratio(c["accepted"], c["predicted"])
    row["modified_share"] = _ratio(c["modified"], c["predicted"])
    row["deleted_share"] = _ratio(c["deleted"], c["predicted"])
    row["added_share"] = _ratio(c["added"], c["annotated"])  # of the annotator's spans, how many the model missed
    row["precision_accepted"] = _ratio(c["accepted_in_gold"], c["accepted_scored"])
    row["precision_edited"] = _ratio(c["edited_in_gold"], c["edited_scored"])
    return row


def anchoring_for(documents: Iterable, records: Iterable, gold: Mapping[str, Sequence[Span]] | None = None) -> dict:
    """The anchoring report of normalised records over their (pre-annotated) documents.

    documents (Iterable): The pull's documents; a document with a ``model`` carries the predicted spans.
    records (Iterable): The annotators' records (empty submissions included: they delete every prediction).
    gold (Mapping[str, Sequence[Span]] | None): Doc id to gold spans, to score accepted against edited spans
        (documents not in it are not scored).
    RETURNS (dict): :meth:`AnchoringTally.report` plus ``pre_annotated_documents``.
    """
    predicted = {d.id: d.spans for d in documents if getattr(d, "model", None) is not None}
    tally = AnchoringTally()
    for record in records:
        if record.doc_id in predicted:
            tally.add(
                record.annotator,
                predicted[record.doc_id],
                record.spans,
                gold.get(record.doc_id) if gold is not None else None,
            )
    report = tally.report()
    report["pre_annotated_documents"] = len(predicted)
    return report
