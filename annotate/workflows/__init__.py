"""The workflows: one importable function per CLI command, each doing one job (Prodigy's recipes).

The rule: ``annotate/cli/`` parses options and prints; ``annotate/workflows/`` does the work. A command such as
``annotate evaluate`` is the Typer function :func:`annotate.cli.evaluate.evaluate_cli`, which parses its options,
calls :func:`annotate.workflows.evaluate.evaluate` once and prints the dataclass it returns. A workflow never
prints: it reads and writes files, talks to Label Studio and calls the core, and returns plain typed results
(warnings included, as catalogue messages from :class:`annotate.errors.Warnings`). Progress and spinners go
through a :class:`annotate.workflows.feedback.Feedback` the caller passes in (silent by default), so every
workflow runs the same from the CLI, a notebook or a test.

The pipeline's verbs, in the order they run, and their workflow modules:

1. ``server start`` (:mod:`~annotate.workflows.server`) — a local Label Studio;
2. ``ingest`` (:mod:`~annotate.workflows.ingest`) — articles to paragraph documents;
3. ``preannotate`` (:mod:`~annotate.workflows.preannotate`) — a spaCy model's predictions;
4. ``push`` (:mod:`~annotate.workflows.push`) — tasks into a Label Studio project
   (``up``, :mod:`~annotate.workflows.up`, runs steps 1-4 in one go);
5. ``users add``, ``status`` (:mod:`~annotate.workflows.users`, :mod:`~annotate.workflows.status`) — the team
   annotates;
6. ``pull`` (:mod:`~annotate.workflows.pull`) — export, keep raw, normalise; ``agree``
   (:mod:`~annotate.workflows.agree`) measures agreement on it;
7. ``compile`` (:mod:`~annotate.workflows.compile`) — the next immutable corpus version; ``adjudicate push`` /
   ``adjudicate pull`` (:mod:`~annotate.workflows.adjudicate`) settle its conflicts for the next compile;
   ``corpus list/show/verify`` (:mod:`~annotate.workflows.corpus`) inspect the versions;
8. ``train`` and ``evaluate`` (:mod:`~annotate.workflows.train`, :mod:`~annotate.workflows.evaluate`) — models
   on a version; ``report`` (:mod:`~annotate.workflows.report`) — HTML for a pull, a version or an evaluation.

``schema show/guidelines/config`` (:mod:`~annotate.workflows.schema`) can run at any point.
"""
