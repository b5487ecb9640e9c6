"""``annotate train``: fine-tune the pre-annotation model's NER on a corpus version with ``spacy train``; with
``--curve``, once per share of the train split (a learning curve)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from annotate.corpus.store import CORPUS_ROOT
from annotate.workflows.feedback import SILENT, Feedback


def train(
    corpus: str,
    output: Path,
    base: str | None = None,
    max_steps: int = 600,
    eval_frequency: int = 100,
    seed: int = 0,
    root: Path = CORPUS_ROOT,
) -> dict[str, Any]:
    """Train a spaCy NER model on a version's train split, picking the best on dev (CPU).

    corpus (str): Corpus version to train on: NAME, NAME@vN, NAME/vN or a folder.
    output (Path): Output folder (model-best/, model-last/, config.cfg, training.json).
    base (str | None): Pipeline to start from (None: the pre-annotation model).
    max_steps (int): Training steps (spaCy's max_steps).
    eval_frequency (int): Steps between evaluations on dev.
    seed (int): Training seed.
    root (Path): Folder holding the corpora.
    RETURNS (dict[str, Any]): The training record (base model, corpus, dev scores, labels added, model path).
    """
    from annotate.model.train import train_model

    return train_model(corpus, output, base, max_steps, eval_frequency, seed, root)


def curve(
    corpus: str,
    output: Path,
    points: str = "25,50,75,100",
    base: str | None = None,
    max_steps: int = 600,
    eval_frequency: int = 100,
    seed: int = 0,
    root: Path = CORPUS_ROOT,
    feedback: Feedback = SILENT,
) -> dict[str, Any]:
    """A learning curve: train on nested shares of the train split (whole stories), score each on dev.

    corpus (str): Corpus version to train on: NAME, NAME@vN, NAME/vN or a folder.
    output (Path): Output folder (base/, points/pNNN/ with each run, curve.json).
    points (str): Shares of train in percent, comma-separated and increasing ("25,50,75,100").
    base (str | None): Pipeline to start from (None: the pre-annotation model).
    max_steps (int): Training steps of each point (spaCy's max_steps).
    eval_frequency (int): Steps between evaluations on dev.
    seed (int): Training seed, and the seed of the order stories are taken in.
    root (Path): Folder holding the corpora.
    feedback (Feedback): Shows a bar over the points.
    RETURNS (dict[str, Any]): The curve record (``curve.json``): per point its documents, stories and dev scores.
    RAISES (InvalidInputError): E180 for bad points, E094 for an empty train or dev split, E095 if spaCy fails.
    """
    from annotate.core.curve import parse_points
    from annotate.model.curve import train_curve

    shares = parse_points(points)
    with feedback.progress("learning curve", len(shares)) as advance:
        return train_curve(
            corpus, output, shares, base, max_steps, eval_frequency, seed, root, on_point=lambda _: advance(1, None)
        )
