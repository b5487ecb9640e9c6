"""Deprecated: the old home of the reports, kept while ``annotate/cli`` imports it; import from
:mod:`annotate.report` instead (the lead removes this module when the new CLI is merged)."""

from annotate.report import corpus_report, evaluation_report, fmt, pull_report, share  # noqa: F401
from annotate.report.pull import label_confusion  # noqa: F401
from annotate.report.render import colours_for, render_spans  # noqa: F401
