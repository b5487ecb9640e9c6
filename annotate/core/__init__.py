"""The functional core: pure functions over plain typed data (no file, network, clock or CLI).

Spans, documents, schema, paragraph segmentation, splits, adjudication, alignment, agreement, anchoring,
evaluation and change summaries. Nothing here imports :mod:`annotate.io`, :mod:`annotate.labelstudio`,
:mod:`annotate.corpus`, :mod:`annotate.model`, :mod:`annotate.report` or :mod:`annotate.cli`
(``tests/test_architecture.py`` checks it).
"""
