"""The learning curve: the same fine-tuning on growing shares of train, each point scored on the whole dev split.

``train_curve`` takes nested subsets of the version's train split (:func:`annotate.core.curve.nested_subsets`:
whole stories in a seeded order, or documents when the stories are fewer than the points), runs one
``spacy train`` per point from the same base pipeline, and writes::

    OUTPUT/
        base/                the starting pipeline, shared by every point
        points/p025/         one run per point: train.spacy (its subset), config.cfg, model-best/, model-last/
        curve.json           the record: corpus, base model, settings, and per point its documents, stories
                             and dev scores (micro and per label)

A curve still rising at 100% says more annotation still pays; a flat one says it does not (for this model).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

from annotate import __version__
from annotate.core.curve import nested_subsets
from annotate.core.splits import article_key
from annotate.corpus.gold import read_gold
from annotate.corpus.store import CORPUS_ROOT, read_splits, resolve, verify
from annotate.errors import Errors, InternalError
from annotate.io import files
from annotate.model.train import check_trainable, fit, record_head, save_base

CURVE_RECORD = "curve.json"
CURVE_KIND = "learning-curve"


def point_folder(percent: int) -> str:
    """The folder of one point under ``OUTPUT/points/``.

    percent (int): The point's share of train.
    RETURNS (str): ``p`` and the share on three digits.

    EXAMPLE:
        >>> point_folder(25)
        'p025'
    """
    return f"p{percent:03d}"


def per_label_scores(performance: dict) -> dict[str, dict[str, float]]:
    """spaCy's ``ents_per_type`` as label to ``precision``, ``recall``, ``f1``.

    performance (dict): A ``meta.json``'s ``performance``.
    RETURNS (dict[str, dict[str, float]]): The scores per label (empty when spaCy gave none).

    EXAMPLE:
        >>> per_label_scores({"ents_per_type": {"GPE": {"p": 1.0, "r": 0.5, "f": 0.667}}})
        {'GPE': {'precision': 1.0, 'recall': 0.5, 'f1': 0.667}}
    """
    per_type = performance.get("ents_per_type") or {}
    return {
        label: {"precision": s.get("p"), "recall": s.get("r"), "f1": s.get("f")}
        for label, s in sorted(per_type.items())
    }


def _train_docs(folder: Path, vocab, ids: list[str]) -> list:
    from spacy.tokens import DocBin

    docs = list(DocBin().from_disk(folder / "train.spacy").get_docs(vocab))
    if len(docs) != len(ids):
        raise InternalError(Errors.E182.format(path=folder, docs=len(docs), ids=len(ids)))
    return docs


def _write_subset(docs: list, ids: list[str], wanted: set[str], path: Path) -> None:
    from spacy.tokens import DocBin

    subset = DocBin(docs=[doc for doc_id, doc in zip(ids, docs, strict=True) if doc_id in wanted])
    path.parent.mkdir(parents=True, exist_ok=True)
    with files.atomic_write(path, "wb") as fh:
        fh.write(subset.to_bytes())


def train_curve(
    spec: str,
    output: Path,
    points: Sequence[int] = (25, 50, 75, 100),
    model: str | None = None,
    max_steps: int = 600,
    eval_frequency: int = 100,
    seed: int = 0,
    root: Path = CORPUS_ROOT,
    on_point: Callable[[dict], None] | None = None,
) -> dict:
    """Fine-tune on nested shares of corpus version ``spec``'s train split; score each on its whole dev split.

    spec (str): The corpus version: ``NAME``, ``NAME/vN`` or ``NAME@vN`` (checked against its manifest).
    output (Path): The output folder (created if needed; a previous curve there is replaced).
    points (Sequence[int]): Shares of train, in percent, increasing (:func:`annotate.core.curve.parse_points`).
    model (str | None): The model to start from (None: the first installed default).
    max_steps (int): Training steps of each point.
    eval_frequency (int): Steps between two scorings on dev.
    seed (int): The random seed of training and of the order stories are taken in.
    root (Path): The folder holding the corpora.
    on_point (Callable[[dict], None] | None): Called with each point's record once it is trained.
    RETURNS (dict): The curve record (``curve.json``).
    RAISES (InvalidInputError): E094 when the train or dev split has no documents, E095 when spaCy's training fails.
    """
    folder = resolve(spec, root)
    manifest = verify(folder)
    check_trainable(folder, manifest)
    output = Path(output)
    train_ids = read_splits(folder)["train"]
    by_id = {d.id: d for d in read_gold(folder / "gold.jsonl")}
    train_docs = [(i, by_id[i].source, by_id[i].article) for i in train_ids]
    unit, subsets = nested_subsets(train_docs, points, seed)
    nlp, base_name, added, base_path = save_base(model, list(manifest["labels"]), output)
    settings = {"max_steps": max_steps, "eval_frequency": eval_frequency, "seed": seed}
    files.remove_tree(output / "points", ignore_errors=True)
    docs = _train_docs(folder, nlp.vocab, train_ids)
    records = []
    for percent, ids in zip(points, subsets, strict=True):
        run = output / "points" / point_folder(percent)
        _write_subset(docs, train_ids, set(ids), run / "train.spacy")
        best = fit(
            nlp,
            base_path,
            run / "train.spacy",
            folder / "dev.spacy",
            run,
            settings,
            f"{manifest['name']}_v{manifest['version']}_p{percent}",
            f"NER fine-tuned from {base_name} on {percent}% of the train split of corpus {manifest['name']} "
            f"v{manifest['version']} by annotate {__version__}",
        )
        point = {
            "percent": percent,
            "documents": len(ids),
            "stories": len({article_key(by_id[i].source, by_id[i].article) for i in ids}),
            "ids": ids,
            "dev_scores": {k: best.get(k) for k in ("ents_f", "ents_p", "ents_r")},
            "per_label": per_label_scores(best),
            "model": str(run / "model-best"),
        }
        records.append(point)
        if on_point:
            on_point(point)
    record = {
        "kind": CURVE_KIND,
        **record_head(folder, manifest, base_name, added, settings),
        "unit": unit,
        "train_documents": len(train_ids),
        "train_stories": len({article_key(s, a) for _, s, a in train_docs}),
        "dev_documents": manifest["counts"]["splits"]["dev"]["documents"],
        "output": str(output),
        "points": records,
    }
    with files.atomic_write(output / CURVE_RECORD) as fh:
        json.dump(record, fh, indent=2, ensure_ascii=False)
    return record
