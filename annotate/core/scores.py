"""Model confidence: scored entities and a task's score. Pure.

A span's score is the probability the model gives that entity (spaCy's beam NER: the share of the beam's
probability mass whose parse holds it). A task's score is how sure the model is that the task needs no
correction: the **minimum** of its spans' scores (a paragraph is as certain as its least certain span) and of
``1 - p`` for the likeliest entity the beam holds but the model did not predict (a span an annotator may have to
add). With neither it is 1.0, so every task has a score and tasks without spans sort by it like any other
(a ``null`` score sorts first on SQLite and last on PostgreSQL).

EXAMPLE:
    >>> task_score([0.9, 0.5, 0.75]), task_score([]), task_score([], missed=0.25), task_score([0.9], missed=0.5)
    (0.5, 1.0, 0.75, 0.5)
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class ScoredEntity:
    """One entity a model predicts (or its beam considers), with its score.

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


@dataclass(frozen=True)
class ScoredText:
    """What a model says about one text: the entities it predicts, and the ones its beam holds but it does not.

    entities (tuple[ScoredEntity, ...]): The predicted entities (the greedy parse's), in text order.
    candidates (tuple[ScoredEntity, ...]): Other entities the beam holds (another span or another label), each
        with its beam probability.
    """

    entities: tuple[ScoredEntity, ...] = ()
    candidates: tuple[ScoredEntity, ...] = ()

    def missed(self, labels: Collection[str] | None = None) -> float:
        """The highest beam probability of an entity not predicted, among those the project could show.

        labels (Collection[str] | None): The project's labels (None: the schema's; a candidate it drops is ignored).
        RETURNS (float): That probability, 0.0 when there is none.

        EXAMPLE:
            >>> text = ScoredText((), (ScoredEntity(0, 4, "ORG", "ORG", 0.3), ScoredEntity(0, 4, "LAW", None, 0.6)))
            >>> text.missed(), text.missed({"PER"})
            (0.3, 0.0)
        """
        return max((c.score for c in self.candidates if c.project_label(labels) is not None), default=0.0)


def task_score(scores: Iterable[float], missed: float = 0.0) -> float:
    """A task's score: the least of its spans' scores and of ``1 - missed``; 1.0 when there is neither.

    scores (Iterable[float]): The spans' scores.
    missed (float): The highest beam probability of an entity the model did not predict (0.0: none).
    RETURNS (float): The task's score, in [0, 1].

    EXAMPLE:
        >>> task_score([0.25, 1.0]), task_score([], missed=0.3)
        (0.25, 0.7)
    """
    return min(min(scores, default=1.0), 1.0 - missed)
