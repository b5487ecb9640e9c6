"""Retrain in the loop: fine-tune the base model's NER on gold documents held in memory (no corpus version).

The ML backend (``annotate model serve --retrain-every N``) and the annotation benchmark train this way: every
document given is trained on, from the base model each time (never from the last retrained model, so a model's
errors are not learned again), with spaCy's own ``spacy train`` (:func:`annotate.model.train.fit`). There is no
held-out dev split in the loop, so the run keeps ``model-last`` (spaCy still scores it on the same documents,
which says only that training took). ``train_on_documents`` writes::

    OUTPUT/
        base/            the starting pipeline (the base model's NER, labels of the documents added)
        train.spacy      the documents, tokenized by the base model's tokenizer
        config.cfg       the training config (``python -m spacy train config.cfg`` reproduces the run)
        model-last/      the trained pipeline (and model-best/, the same documents' best)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from annotate.core.documents import Document
from annotate.corpus.formats import new_docbin, to_spacy_doc
from annotate.errors import Errors, InvalidInputError
from annotate.io import files
from annotate.model.train import fit, save_base

DEFAULT_STEPS = 200


@dataclass(frozen=True)
class Retrained:
    """One retraining run.

    model (Path): The trained pipeline (``OUTPUT/model-last``).
    base_model (str): The model trained from.
    documents (int): Documents trained on.
    spans (int): Their gold spans.
    labels_added (tuple[str, ...]): Labels the base model's NER did not know.
    performance (dict): spaCy's scores of the model on the documents it learned from.
    """

    model: Path
    base_model: str
    documents: int
    spans: int
    labels_added: tuple[str, ...]
    performance: dict


def train_on_documents(
    documents: Sequence[Document],
    output: Path,
    base: str | None = None,
    max_steps: int = DEFAULT_STEPS,
    seed: int = 0,
    name: str = "annotate_retrained",
) -> Retrained:
    """Fine-tune ``base``'s NER on ``documents`` (their spans are gold), from the base model.

    documents (Sequence[Document]): Gold documents (spans token-aligned and trimmed, as compile gives them).
    output (Path): The run's folder (created; a previous run's models there are replaced).
    base (str | None): The model to start from, a package name or path (None: the first installed default).
    max_steps (int): Training steps.
    seed (int): The random seed.
    name (str): The trained pipeline's name (its ``meta.json``).
    RETURNS (Retrained): Where the model is and what it learned from.
    RAISES (InvalidInputError): E094 when there are no documents, E095 when spaCy's training fails.
    """
    if not documents:
        raise InvalidInputError(Errors.E094.format(path=output, split="train", detail="no gold documents yet"))
    output = Path(output)
    labels = sorted({span.label for document in documents for span in document.spans})
    nlp, base_name, added, base_path = save_base(base, labels, output)
    docbin = new_docbin()
    for document in documents:
        docbin.add(to_spacy_doc(nlp, document))
    train_path = output / "train.spacy"
    with files.atomic_write(train_path, "wb") as fh:
        fh.write(docbin.to_bytes())
    settings = {"max_steps": max_steps, "eval_frequency": max_steps, "seed": seed}
    description = f"NER fine-tuned from {base_name} on {len(documents)} gold documents in the loop"
    performance = fit(nlp, base_path, train_path, train_path, output, settings, name, description)
    return Retrained(
        output / "model-last",
        base_name,
        len(documents),
        sum(len(document.spans) for document in documents),
        tuple(added),
        performance,
    )
