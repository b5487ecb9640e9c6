"""``annotate train``: fine-tune the pre-annotation model's NER on a corpus version with ``spacy train``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from annotate.corpus.store import CORPUS_ROOT


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
