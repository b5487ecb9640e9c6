"""Corrections: how many edits turn a model's spans into the gold spans of a paragraph. Pure.

What an annotator correcting a pre-annotation does, counted:

* a predicted span equal to a gold span (same start, end and label) needs nothing;
* **changed**: a predicted span overlapping a gold span, with other boundaries or another label, is one edit
  (moved or relabelled: not a deletion and an addition). Each predicted and gold span is changed at most once:
  the pairs are a maximum matching between the overlapping leftovers (:func:`annotate.core.matching.overlap_pairs`);
* **deleted**: every other predicted span;
* **added**: every other gold span.

``total = added + deleted + changed``. Per label, an edit counts for each label it touches: an added span for
the gold's label, a deleted one for the prediction's, a changed one for both (once when they are the same label),
so the per-label counts can add up to more than the total.

EXAMPLE:
    >>> gold = [Span(0, 4, "GPE"), Span(10, 15, "PERSON"), Span(20, 24, "ORG")]
    >>> model = [Span(0, 4, "ORG"), Span(10, 15, "PERSON"), Span(30, 33, "DATE")]
    >>> c = count_corrections(model, gold)
    >>> c.added, c.deleted, c.changed, c.total
    (1, 1, 1, 3)
    >>> c.by_label["ORG"], c.by_label["GPE"], c.by_label.get("PERSON", 0)
    (2, 1, 0)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from annotate.core.matching import overlap_pairs
from annotate.core.spans import Span

__all__ = ["Corrections", "count_corrections"]


@dataclass(frozen=True)
class Corrections:
    """The edits from predicted spans to gold spans.

    added (int): Gold spans no prediction overlaps (left over after the matches).
    deleted (int): Predicted spans left over.
    changed (int): Predicted spans moved or relabelled onto an overlapping gold span.
    by_label (Counter): Label to edits touching it.
    """

    added: int = 0
    deleted: int = 0
    changed: int = 0
    by_label: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        """Every edit: added + deleted + changed.

        RETURNS (int): The number of corrections.

        EXAMPLE:
            >>> Corrections(1, 2, 3).total
            6
        """
        return self.added + self.deleted + self.changed

    def __add__(self, other: Corrections) -> Corrections:
        """The edits of two paragraphs together.

        other (Corrections): Another paragraph's.
        RETURNS (Corrections): The sums.

        EXAMPLE:
            >>> (Corrections(1, 0, 0, Counter(ORG=1)) + Corrections(0, 1, 1, Counter(ORG=1, GPE=1))).by_label
            Counter({'ORG': 2, 'GPE': 1})
        """
        return Corrections(
            self.added + other.added,
            self.deleted + other.deleted,
            self.changed + other.changed,
            self.by_label + other.by_label,
        )


def count_corrections(predicted: Iterable[Span], gold: Iterable[Span]) -> Corrections:
    """The corrections needed to turn one paragraph's predicted spans into its gold spans.

    predicted (Iterable[Span]): The model's spans (duplicates count once).
    gold (Iterable[Span]): The gold spans (duplicates count once).
    RETURNS (Corrections): Added, deleted and changed spans, and the labels they touch.

    EXAMPLE:
        >>> count_corrections([Span(0, 4, "ORG")], [Span(0, 6, "ORG")]).changed
        1
        >>> count_corrections([Span(0, 9, "ORG")], [Span(0, 3, "PER"), Span(5, 9, "PER")]).total
        2
        >>> count_corrections([], []).total
        0
    """
    pred_set, gold_set = set(predicted), set(gold)
    same = pred_set & gold_set
    pred = sorted(pred_set - same)
    want = sorted(gold_set - same)
    pairs = overlap_pairs(pred, want)
    by_label: Counter = Counter()
    for i, j in pairs:
        by_label.update({pred[i].label, want[j].label})
    paired_pred = {i for i, _ in pairs}
    paired_gold = {j for _, j in pairs}
    deleted = [span for i, span in enumerate(pred) if i not in paired_pred]
    added = [span for j, span in enumerate(want) if j not in paired_gold]
    by_label.update(span.label for span in deleted)
    by_label.update(span.label for span in added)
    return Corrections(len(added), len(deleted), len(pairs), by_label)
