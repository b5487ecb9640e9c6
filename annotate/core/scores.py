"""Model confidence: scored entities and a task's score from its spans' scores. Pure.

A span's score is the probability the model gives that entity (spaCy's beam NER: the share of the beam's
probability mass whose parse holds it). A task's score is the **minimum** of its spans' scores: a paragraph is
as certain as its least certain span, which is what an annotator has to check. A task with no spans has no score
(``None``): "no entity here" is not a probability the beam gives per span.

EXAMPLE:
    >>> task_score([0.9, 0.5, 0.75]), task_score([])
    (0.5, None)
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class ScoredEntity:
    """One entity a model predicts, with its score.

    start (int): Start character offset.
    end (int): End character offset (exclusive).
    model_label (str): The model's label (e.g. spaCy's ``PERSON``).
    label (str | None): The schema's label for it (None: the schema drops it).
    score (float): The model's probability of this entity, in [0, 1].
    """

    start: int
    end: int
    model_label: str
    label: str | None
    score: float

    def project_label(self, labels: Collection[str] | None) -> str | None:
        """The label this entity takes in a project: the schema's label, else the model's, if the project has it.

        labels (Collection[str] | None): The project's labels (None: any label; the schema's is taken).
        RETURNS (str | None): The label, or None when the project has neither.

        EXAMPLE:
            >>> entity = ScoredEntity(0, 3, "PERSON", "PER", 0.9)
            >>> entity.project_label({"PER", "ORG"}), entity.project_label({"PERSON"}), entity.project_label({"X"})
            ('PER', 'PERSON', None)
        """
        if labels is None:
            return self.label
        for label in (self.label, self.model_label):
            if label is not None and label in labels:
                return label
        return None


def task_score(scores: Iterable[float]) -> float | None:
    """A task's score: the minimum of its spans' scores, None for no spans.

    scores (Iterable[float]): The spans' scores.
    RETURNS (float | None): The least span score, or None.

    EXAMPLE:
        >>> task_score([0.25, 1.0])
        0.25
    """
    return min(scores, default=None)
