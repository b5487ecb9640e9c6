"""The reports' templates: autoescaping on, so a label, an annotator or a title is text, never markup;
computing (plain typed data) apart from rendering; no HTML built in Python."""

import re
from types import SimpleNamespace

import pytest

from annotate.core.documents import Document
from annotate.core.records import AnnotationRecord
from annotate.core.spans import Span
from annotate.report import (
    CorpusFigures,
    CurveFigures,
    EvaluationFigures,
    PullFigures,
    corpus_report,
    curve_figures,
    curve_report,
    evaluation_figures,
    evaluation_report,
    fmt,
    pull_figures,
    pull_report,
    render_curve,
    render_pull,
    share,
)
from annotate.report.render import environment, render, render_spans

from .conftest import ROOT

NASTY = '<b>"cy"</b>'  # an annotator name, label or title that must show as text
ESCAPED = "&lt;b&gt;&quot;cy&quot;&lt;/b&gt;"


def test_the_environment_autoescapes():
    env = environment()
    assert env.autoescape is True
    assert env.from_string("<p title='{{ x }}'>{{ x }}</p>").render(x=NASTY) == f"<p title='{ESCAPED}'>{ESCAPED}</p>"
    assert "<b>" not in render("page.html.j2", title=NASTY, subtitle=NASTY)
    assert render_spans("<script>x</script> Ann", [Span(19, 22, "PERSON")], {}).count("<script>") == 0


def record(doc_id, who, spans, task_id=1):
    return AnnotationRecord(
        doc_id=doc_id,
        task_id=task_id,
        annotation_id=None,
        annotator=who,
        spans=tuple(spans),
        lead_time=12.0,
        created_at=None,
        updated_at=None,
        ground_truth=False,
        accepted_prediction=None,
    )


def a_pull(annotator=NASTY, label=NASTY):
    doc = Document("d1", "Ann met Bob in Rome.", "a.txt", 0, 0, 0)
    records = [
        record("d1", annotator, [Span(0, 3, label), Span(15, 19, "GPE")]),
        record("d1", "bob", [Span(0, 3, label)]),
    ]
    return SimpleNamespace(
        documents=[doc],
        records=records,
        labels=[label, "GPE"],
        summary={"labels": [label, "GPE"], "origin": {"url": "http://ls", "project_id": 2, "project": NASTY}},
        submitted=lambda: records,
    )


def test_a_label_or_annotator_with_markup_shows_as_text_in_the_pull_report():
    html = pull_report(a_pull(), gold=[Document("d1", "Ann met Bob in Rome.", "a.txt", 0, 0, 0, (Span(0, 3, "GPE"),))])
    assert NASTY not in html and "<b>" not in html
    assert ESCAPED in html
    assert f"data-annotators='bob {ESCAPED}'" not in html  # attributes are double-quoted and escaped
    assert re.search(r'data-annotators="[^"]*&lt;b&gt;&quot;cy&quot;&lt;/b&gt;[^"]*"', html)
    assert f'<option value="{ESCAPED}">{ESCAPED}</option>' in html
    assert 'href="http://ls/projects/2/data?task=1"' in html


def test_computing_is_apart_from_rendering():
    figures = pull_figures(a_pull("ann", "PERSON"))
    assert isinstance(figures, PullFigures)
    assert figures.matrix["ann"]["bob"].f1 == pytest.approx(2 / 3) and figures.matrix["ann"]["bob"].n_documents == 1
    assert figures.disputed == {"GPE": 1} and figures.confusion.counts[("GPE", "O")] == 1
    assert [d.card.readers for d in figures.disagreements] == [["ann", "bob"]]
    assert [row.name for row in figures.annotators] == ["ann", "bob"]
    html = render_pull(figures)
    assert render_pull(figures) == html  # pure: the same figures, the same page
    assert f"<td>{fmt(figures.headline.krippendorff_alpha)}</td>" not in html  # a card, not a cell
    assert fmt(figures.matrix["ann"]["bob"].f1) in html and share(0.5) == "50%"


def evaluation_result(label=NASTY):
    scores = {
        "precision": 0.5,
        "recall": 1.0,
        "f1": 2 / 3,
        "support": 1,
        "ci95": {"precision": [0.2, 0.8], "recall": [1.0, 1.0], "f1": [0.3, 0.9]},
    }
    return {
        "gold": NASTY,
        "predictions": NASTY,
        "n_documents": 1,
        "labels": [label],
        "micro": scores,
        "per_label": {label: scores},
        "partial": {"per_label": {label: {"f1": 1.0}}},
        "errors": {"total": {"wrong_label": 1}},
        "documents": [
            {
                "id": "d1",
                "text": "<i>Ann</i>",
                "source": NASTY,
                "paragraph": 0,
                "gold": [{"start": 3, "end": 6, "label": label}],
                "predicted": [{"start": 3, "end": 6, "label": label}, {"start": 0, "end": 2, "label": label}],
            }
        ],
    }


def test_a_label_with_markup_shows_as_text_in_the_evaluation_report():
    figures = evaluation_figures(evaluation_result())
    assert isinstance(figures, EvaluationFigures) and [e.n_wrong for e in figures.worst] == [1]
    html = evaluation_report(evaluation_result())
    assert NASTY not in html and "<b>" not in html and "<i>" not in html
    assert html.count("<circle") == 3 and f"<title>{ESCAPED} f1 0.667 (95% CI 0.300–0.900)</title>" in html


def test_an_annotator_with_markup_shows_as_text_in_the_corpus_report():
    doc = Document("d1", "Ann met Bob.", "a.txt", 0, 0, 0, (Span(0, 3, "PERSON"),))
    manifest = {
        "name": NASTY,
        "version": 1,
        "created_at": "now",
        "labels": ["PERSON"],
        "strategy": "majority",
        "counts": {
            "splits": {"train": {"spans": {"PERSON": 1}, "documents": 1, "articles": 1}},
            "spans_per_label": {"PERSON": 1},
            "documents": 1,
            "conflicts": 1,
            "left_out": 0,
        },
        "source": {"raw_exports": [NASTY]},
        "schema": None,
        "content_sha256": "0",
        "files": [],
        "anchoring": {
            "annotators": {
                NASTY: {
                    "documents": 1,
                    "predicted": 1,
                    "accepted_share": 1.0,
                    "modified_share": 0.0,
                    "modified_boundary": 0,
                    "modified_label": 0,
                    "modified_both": 0,
                    "deleted_share": 0.0,
                    "added": 0,
                    "added_share": 0.0,
                    "precision_accepted": None,
                    "precision_edited": None,
                }
            }
        },
    }
    conflicts = [
        {"doc_id": "d1", "reason": NASTY, "spans": [{"start": 8, "end": 11, "label": "PERSON", "annotators": [NASTY]}]}
    ]
    html = corpus_report(manifest, f"# {NASTY}\n", [doc], conflicts)
    assert NASTY not in html and "<b>" not in html
    assert html.count(ESCAPED) >= 6  # title twice, raw export, changes, anchoring, filter, card


def test_no_html_is_built_in_python():
    for path in (ROOT / "annotate" / "report").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"""["'][^"'\n]*<(/?)(td|tr|div|section|table|svg|p|h[1-6]|li|span)\b""", text), (
            f"{path.name} writes HTML: put it in a template under annotate/report/templates/"
        )
    assert CorpusFigures.__module__ == "annotate.report.corpus"


def curve_record(label=NASTY):
    point = {"documents": 4, "stories": 2, "per_label": {label: {"precision": 1.0, "recall": 0.5, "f1": 2 / 3}}}
    return {
        "kind": "learning-curve",
        "corpus": {"name": NASTY, "version": 1},
        "base_model": NASTY,
        "unit": "story",
        "train_documents": 8,
        "dev_documents": 2,
        "settings": {"max_steps": 5},
        "labels": [label],
        "points": [
            {**point, "percent": 50, "dev_scores": {"ents_f": 0.5, "ents_p": 0.6, "ents_r": None}},
            {**point, "percent": 100, "documents": 8, "dev_scores": {"ents_f": 0.75, "ents_p": 0.8, "ents_r": 0.7}},
        ],
    }


def test_the_curve_report_draws_each_point_and_shows_markup_as_text():
    figures = curve_figures(curve_record())
    assert isinstance(figures, CurveFigures) and figures.gain_last == pytest.approx(0.25)
    html = curve_report(curve_record())
    assert render_curve(figures) == html  # pure
    assert NASTY not in html and "<b>" not in html and ESCAPED in html
    # F1 and precision at both points, recall only where it is defined
    assert html.count("<circle") == 5 and "dev f1 0.750</title>" in html and "dev recall n/a" not in html
    assert "<td>100%</td><td>8</td><td>2</td><td>0.750</td><td>0.800</td><td>0.700</td>" in html
    assert "<td>0.667</td>" in html  # the label's F1, per point
