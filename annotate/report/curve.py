"""The report of a learning curve (``annotate train --curve``): dev F1 against the share of train, as a table
and a chart.

:func:`curve_figures` reads the curve record (``curve.json``) into a :class:`CurveFigures`;
:func:`render_curve` turns that into the HTML page (the chart is an SVG drawn by a template macro);
:func:`curve_report` does both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from annotate.report.render import render


@dataclass(frozen=True)
class CurvePoint:
    """One point of the curve: a share of train and the dev scores of the model trained on it.

    percent (int): The share of train, in percent.
    documents (int): Train documents in it.
    stories (int): Stories in it.
    f1 (float | None): Dev micro F1 (strict).
    precision (float | None): Dev micro precision.
    recall (float | None): Dev micro recall.
    per_label (dict[str, float | None]): Label to its dev F1.
    """

    percent: int
    documents: int
    stories: int
    f1: float | None
    precision: float | None
    recall: float | None
    per_label: dict[str, float | None] = field(default_factory=dict)


@dataclass(frozen=True)
class CurveFigures:
    """Everything the learning-curve report shows.

    corpus (str): The corpus version, "NAME vN".
    base_model (str): The model every point started from.
    unit (str): What the subsets take whole: "story" or "document".
    train_documents (int): Documents of the whole train split.
    dev_documents (int): Documents of the dev split every point is scored on.
    max_steps (int): Training steps of each point.
    labels (list[str]): The labels, in the corpus' order.
    points (list[CurvePoint]): The points, by share.
    """

    corpus: str
    base_model: str
    unit: str
    train_documents: int
    dev_documents: int
    max_steps: int
    labels: list[str]
    points: list[CurvePoint]

    @property
    def gain_last(self) -> float | None:
        """Dev F1 gained by the last step of the curve (None with fewer than two defined points).

        RETURNS (float | None): The last point's F1 minus the one before it.
        """
        if len(self.points) < 2 or self.points[-1].f1 is None or self.points[-2].f1 is None:
            return None
        return self.points[-1].f1 - self.points[-2].f1

    @property
    def axis_labels(self) -> list[tuple[int, str]]:
        """One x-axis label per distinct subset size: shares that hold the same documents (whole stories can make
        50% and 75% the same subset) share one label, so they do not print over each other.

        RETURNS (list[tuple[int, str]]): ``(documents, "50%")`` or ``(documents, "50–75%")``, by size.

        EXAMPLE:
            >>> point = lambda percent, documents: CurvePoint(percent, documents, 1, None, None, None)
            >>> f = CurveFigures("n v1", "m", "story", 60, 4, 10, [], [point(25, 19), point(50, 50), point(75, 50)])
            >>> f.axis_labels
            [(19, '25%'), (50, '50–75%')]
        """
        runs: list[tuple[int, int, int]] = []  # (documents, first percent, last percent)
        for p in self.points:
            if runs and runs[-1][0] == p.documents:
                runs[-1] = (p.documents, runs[-1][1], p.percent)
            else:
                runs.append((p.documents, p.percent, p.percent))
        return [(docs, f"{first}%" if first == last else f"{first}–{last}%") for docs, first, last in runs]


def curve_figures(record: Mapping[str, Any]) -> CurveFigures:
    """The figures of a learning-curve report, from a ``curve.json`` record.

    record (Mapping[str, Any]): The record :func:`annotate.model.curve.train_curve` wrote.
    RETURNS (CurveFigures): What the report shows.

    EXAMPLE:
        >>> record = {"corpus": {"name": "news", "version": 1}, "base_model": "m", "unit": "story",
        ...     "train_documents": 8, "dev_documents": 2, "settings": {"max_steps": 5}, "labels": ["GPE"],
        ...     "points": [{"percent": 50, "documents": 4, "stories": 2, "per_label": {"GPE": {"f1": 0.5}},
        ...                 "dev_scores": {"ents_f": 0.5, "ents_p": 0.5, "ents_r": 0.5}}]}
        >>> curve_figures(record).points[0].per_label
        {'GPE': 0.5}
    """
    points = [
        CurvePoint(
            percent=p["percent"],
            documents=p["documents"],
            stories=p["stories"],
            f1=p["dev_scores"].get("ents_f"),
            precision=p["dev_scores"].get("ents_p"),
            recall=p["dev_scores"].get("ents_r"),
            per_label={label: s.get("f1") for label, s in (p.get("per_label") or {}).items()},
        )
        for p in record["points"]
    ]
    return CurveFigures(
        corpus=f"{record['corpus']['name']} v{record['corpus']['version']}",
        base_model=record["base_model"],
        unit=record["unit"],
        train_documents=record["train_documents"],
        dev_documents=record["dev_documents"],
        max_steps=record["settings"]["max_steps"],
        labels=list(record["labels"]),
        points=points,
    )


def render_curve(figures: CurveFigures) -> str:
    """The learning-curve report as one self-contained HTML page.

    figures (CurveFigures): What the report shows (:func:`curve_figures`).
    RETURNS (str): The HTML page.
    """
    return render("curve.html.j2", f=figures)


def curve_report(record: Mapping[str, Any]) -> str:
    """The report of a learning curve: dev F1 per share of train, a table and a chart.

    record (Mapping[str, Any]): The ``curve.json`` record.
    RETURNS (str): The HTML page.
    """
    return render_curve(curve_figures(record))
