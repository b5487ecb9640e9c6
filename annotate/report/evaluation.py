"""The report of an evaluation result (``annotate evaluate --save``): micro scores, per label with
intervals, errors by type, the documents with the most errors.

:func:`evaluation_figures` reads the saved result (the output of
:func:`annotate.core.evaluation.evaluate_spans` with every document's spans) into an
:class:`EvaluationFigures`; :func:`render_evaluation` turns that into the HTML page (the interval chart
is an SVG drawn by a template macro); :func:`evaluation_report` does both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from annotate.core.documents import Document
from annotate.core.spans import Span
from annotate.report.figures import SpanCard, readings
from annotate.report.render import colours_for, render

METRICS = ("precision", "recall", "f1")


@dataclass(frozen=True)
class Score:
    """One figure with its 95% bootstrap interval.

    metric (str): "precision", "recall" or "f1".
    value (float | None): The figure.
    ci95 (tuple[float | None, float | None]): The interval's bounds (None: no bootstrap).
    """

    metric: str
    value: float | None
    ci95: tuple[float | None, float | None] = (None, None)


@dataclass(frozen=True)
class LabelScores:
    """The strict scores of one label, with the partial F1.

    label (str): The label.
    scores (dict[str, Score]): Metric to its score.
    support (int): Gold spans of the label.
    f1_partial (float | None): F1 with overlapping spans of the same label matching.
    """

    label: str
    scores: dict[str, Score]
    support: int
    f1_partial: float | None


@dataclass(frozen=True)
class PredictionError:
    """A document whose predicted spans differ from its gold.

    card (SpanCard): The document with its gold and predicted spans.
    n_wrong (int): Spans in one and not the other.
    """

    card: SpanCard
    n_wrong: int


@dataclass(frozen=True)
class EvaluationFigures:
    """Everything the evaluation report shows.

    predictions (str): What was evaluated (a file or a model).
    gold (str): What it was evaluated against.
    n_documents (int): Documents scored.
    labels (list[str]): The labels, in the chart's order.
    micro (list[Score]): Strict micro precision, recall and F1.
    per_label (dict[str, LabelScores]): Label to its scores, in the result's order.
    errors (list[tuple[str, int]]): Error type to count.
    worst (list[PredictionError]): Documents with errors, most first.
    """

    predictions: str
    gold: str
    n_documents: int
    labels: list[str]
    micro: list[Score]
    per_label: dict[str, LabelScores]
    errors: list[tuple[str, int]] = field(default_factory=list)
    worst: list[PredictionError] = field(default_factory=list)


def _score(entry: Mapping[str, Any], metric: str) -> Score:
    ci = (entry.get("ci95") or {}).get(metric) or (None, None)
    return Score(metric, entry.get(metric), (ci[0], ci[1]))


def _worst(documents: list[Mapping[str, Any]]) -> list[PredictionError]:
    found = []
    for d in documents:
        gold = [Span.from_dict(s) for s in d["gold"]]
        predicted = [Span.from_dict(s) for s in d["predicted"]]
        wrong = len(set(gold) ^ set(predicted))
        if wrong:
            doc = Document(d["id"], d["text"], d.get("source", ""), 0, d.get("paragraph", 0), 0)
            found.append(PredictionError(SpanCard(doc, readings([("gold", gold), ("predicted", predicted)])), wrong))
    found.sort(key=lambda e: (-e.n_wrong, e.card.document.id))
    return found


def evaluation_figures(result: Mapping[str, Any]) -> EvaluationFigures:
    """The figures of an evaluation report, from a result saved by ``annotate evaluate --save``.

    result (Mapping[str, Any]): The saved result: ``micro``, ``per_label``, ``partial``, ``errors``,
        ``labels``, ``n_documents`` and, for the error cards, ``documents``.
    RETURNS (EvaluationFigures): What the report shows.
    """
    partial = result["partial"]["per_label"]
    per_label = {
        label: LabelScores(label, {m: _score(v, m) for m in METRICS}, v["support"], partial[label]["f1"])
        for label, v in result["per_label"].items()
    }
    return EvaluationFigures(
        predictions=result.get("predictions", "predictions"),
        gold=result.get("gold", "gold"),
        n_documents=result["n_documents"],
        labels=list(result["labels"]),
        micro=[_score(result["micro"], m) for m in METRICS],
        per_label=per_label,
        errors=list(result["errors"]["total"].items()),
        worst=_worst(result.get("documents") or []),
    )


def render_evaluation(figures: EvaluationFigures, schema_colours: dict[str, str] | None = None) -> str:
    """The evaluation report as one self-contained HTML page.

    figures (EvaluationFigures): What the report shows (:func:`evaluation_figures`).
    schema_colours (dict[str, str] | None): Label name to CSS colour, from the schema.
    RETURNS (str): The HTML page.
    """
    return render("evaluation.html.j2", f=figures, colours=colours_for(figures.labels, schema_colours))


def evaluation_report(result: dict, schema_colours: dict[str, str] | None = None) -> str:
    """The report of an evaluation result: micro scores, per label with intervals, errors, worst documents.

    result (dict): The result saved by ``annotate evaluate --save``.
    schema_colours (dict[str, str] | None): Label name to CSS colour, from the schema.
    RETURNS (str): The HTML page.
    """
    return render_evaluation(evaluation_figures(result), schema_colours)
