"""Plain typed data shared by the reports: the headline agreement figures and a document card.

The compute functions of :mod:`annotate.report.pull`, :mod:`annotate.report.corpus` and
:mod:`annotate.report.evaluation` fill these; the templates show them. No formatting here.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from annotate.core.documents import Document
from annotate.core.spans import Span


@dataclass(frozen=True)
class AgreementFigures:
    """The three headline agreement figures of a pull or of the annotations a corpus came from.

    krippendorff_alpha (float | None): Token-level Krippendorff's α of all annotators.
    fleiss_kappa (float | None): Token-level Fleiss' κ.
    mean_f1 (float | None): Mean strict span F1 over annotator pairs.
    """

    krippendorff_alpha: float | None
    fleiss_kappa: float | None
    mean_f1: float | None


def mean_defined(values: Iterable[float]) -> float | None:
    """The mean of the defined (not NaN) values; None when there is none.

    values (Iterable[float]): The values.
    RETURNS (float | None): Their mean.

    EXAMPLE:
        >>> mean_defined([1.0, float("nan"), 0.5]), mean_defined([])
        (0.75, None)
    """
    defined = [v for v in values if v == v]
    return statistics.fmean(defined) if defined else None


@dataclass(frozen=True)
class Reading:
    """One reader's spans of a document: an annotator's, the gold's or the model's.

    who (str): The reader ("gold", "predicted" or an annotator).
    spans (tuple[Span, ...]): The spans.
    """

    who: str
    spans: tuple[Span, ...]


@dataclass(frozen=True)
class SpanCard:
    """A document shown with each reader's spans, one row each, filterable by label and reader.

    document (Document): The document (its text, source and paragraph are shown).
    readings (list[Reading]): One row per reader, in order.
    link (str | None): Where to open its task in Label Studio.
    """

    document: Document
    readings: list[Reading] = field(default_factory=list)
    link: str | None = None

    @property
    def labels(self) -> list[str]:
        """The labels marked in any row, sorted (what the label filter matches)."""
        return sorted({s.label for r in self.readings for s in r.spans})

    @property
    def readers(self) -> list[str]:
        """The readers, in row order (what the annotator filter matches)."""
        return [r.who for r in self.readings]


def readings(rows: Sequence[tuple[str, Iterable[Span]]]) -> list[Reading]:
    """Rows of (reader, spans) as :class:`Reading` items.

    rows (Sequence[tuple[str, Iterable[Span]]]): Reader and spans per row.
    RETURNS (list[Reading]): The readings, in order.

    EXAMPLE:
        >>> readings([("gold", [Span(0, 3, "ORG")])])[0].spans
        (Span(start=0, end=3, label='ORG'),)
    """
    return [Reading(who, tuple(spans)) for who, spans in rows]
