"""Documents for people: the HTML reports and the annotation guidelines.

Each report is computed into plain typed data, then rendered from Jinja2 templates
(``annotate/report/templates/``, autoescaped):

- a pull: :func:`~annotate.report.pull.pull_figures` → :class:`~annotate.report.pull.PullFigures` →
  :func:`~annotate.report.pull.render_pull`;
- a corpus version: :func:`~annotate.report.corpus.corpus_figures` → :class:`~annotate.report.corpus.CorpusFigures`
  → :func:`~annotate.report.corpus.render_corpus`;
- an evaluation result: :func:`~annotate.report.evaluation.evaluation_figures` →
  :class:`~annotate.report.evaluation.EvaluationFigures` → :func:`~annotate.report.evaluation.render_evaluation`;
- a learning curve (``train --curve``): :func:`~annotate.report.curve.curve_figures` →
  :class:`~annotate.report.curve.CurveFigures` → :func:`~annotate.report.curve.render_curve`.

:func:`pull_report`, :func:`corpus_report`, :func:`evaluation_report` and :func:`curve_report` do both steps (what the CLI calls);
:mod:`annotate.report.guidelines` makes the Markdown guidelines and the Label Studio instructions.
"""

from annotate.report.corpus import CorpusFigures, corpus_figures, corpus_report, render_corpus
from annotate.report.curve import CurveFigures, curve_figures, curve_report, render_curve
from annotate.report.evaluation import EvaluationFigures, evaluation_figures, evaluation_report, render_evaluation
from annotate.report.pull import PullFigures, pull_figures, pull_report, render_pull
from annotate.report.render import colours_for, fmt, render_spans, share

__all__ = [
    "CorpusFigures",
    "CurveFigures",
    "EvaluationFigures",
    "PullFigures",
    "colours_for",
    "corpus_figures",
    "corpus_report",
    "curve_figures",
    "curve_report",
    "evaluation_figures",
    "evaluation_report",
    "fmt",
    "pull_figures",
    "pull_report",
    "render_corpus",
    "render_curve",
    "render_evaluation",
    "render_pull",
    "render_spans",
    "share",
]
