"""Retrain: a spaCy NER pipeline from a corpus version, starting from the pre-annotation model.

Training is spaCy's own (``spacy train``, on CPU) with a config generated from
the corpus version; nothing of it is re-implemented here. ``train_model``
writes::

    OUTPUT/
        base/                the starting pipeline: the pre-annotation model's ``ner`` (and the
                             ``tok2vec`` it listens to, if any), with every corpus label it lacks added
        config.cfg           the generated training config: ``python -m spacy train config.cfg``
                             reproduces the run
        model-best/          spaCy's output (best dev score), then model-last/
        training.json        provenance: corpus version and content hash, base model, labels, scores

``annotate preannotate --model OUTPUT/model-best`` then pre-annotates the next
batch with it, and ``annotate evaluate --model A --model B`` compares models. ``annotate train --curve`` runs
:func:`fit` once per share of train (:mod:`annotate.model.curve`).
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from annotate import __version__
from annotate.corpus.store import CORPUS_ROOT, MANIFEST, resolve, verify
from annotate.errors import Errors, InvalidInputError
from annotate.io import files
from annotate.io.files import sha256_file
from annotate.model.preannotate import load_ner_pipeline

TRAINING_RECORD = "training.json"


def base_pipeline(model: str | None, labels: list[str]):
    """The starting pipeline: ``model``'s entity components (and the tok2vec they listen to), other
    components removed, every label of ``labels`` known to ``ner``.

    model (str | None): The pre-annotation model, a package name or path (None: the first installed default).
    labels (list[str]): The corpus version's labels.
    RETURNS (tuple[Language, str, list[str]]): ``(nlp, name, added_labels)``: the pipeline, the name of the
        model loaded, and the labels its ``ner`` did not know (added, in ``labels``' order).
    RAISES (InvalidInputError): E031 when the model cannot be loaded, E032 when it has no ``ner``.
    """
    nlp, name, keep = load_ner_pipeline(model)
    for pipe_name in [p for p in nlp.component_names if p not in keep]:
        nlp.remove_pipe(pipe_name)
    ner = nlp.get_pipe("ner")
    added = [label for label in labels if label not in ner.labels]
    for label in added:
        ner.add_label(label)
    return nlp, name, added


def training_config(
    base_nlp, base_path: Path, train_path: Path, dev_path: Path, max_steps: int, eval_frequency: int, seed: int
):
    """spaCy's config for fine-tuning ``base_nlp`` (saved at ``base_path``) on the corpus' train/dev DocBins.

    Every component is sourced from ``base_path``, and so are the tokenizer and vocabulary; training
    runs ``max_steps`` steps (no epoch limit, no early stop) on CPU, scored by entity F1.

    base_nlp (Language): The starting pipeline (:func:`base_pipeline`); its config is copied, not changed.
    base_path (Path): Where ``base_nlp`` was saved (``nlp.to_disk``).
    train_path (Path): The corpus version's ``train.spacy``.
    dev_path (Path): The corpus version's ``dev.spacy``.
    max_steps (int): Training steps.
    eval_frequency (int): Steps between two scorings on dev.
    seed (int): The random seed.
    RETURNS (Config): The training config (``config.to_disk`` writes ``config.cfg``).

    EXAMPLE:
        >>> import spacy
        >>> nlp = spacy.blank("en")
        >>> _ = nlp.add_pipe("ner")
        >>> config = training_config(nlp, Path("base"), Path("train.spacy"), Path("dev.spacy"), 600, 100, 0)
        >>> config["components"]["ner"]["source"] == str(Path("base").resolve()), config["training"]["max_steps"]
        (True, 600)
    """
    config = base_nlp.config.copy()
    source = str(base_path.resolve())
    config["paths"] = {
        "train": str(train_path.resolve()),
        "dev": str(dev_path.resolve()),
        "vectors": None,
        "init_tok2vec": None,
    }
    config["system"] = {"seed": seed, "gpu_allocator": None}
    config["components"] = {name: {"source": source} for name in base_nlp.pipe_names}
    config["corpora"] = {
        "train": {
            "@readers": "spacy.Corpus.v1",
            "path": "${paths.train}",
            "max_length": 0,
            "gold_preproc": False,
            "limit": 0,
            "augmenter": None,
        },
        "dev": {
            "@readers": "spacy.Corpus.v1",
            "path": "${paths.dev}",
            "max_length": 0,
            "gold_preproc": False,
            "limit": 0,
            "augmenter": None,
        },
    }
    training = config["training"]
    training.update(
        {
            "dev_corpus": "corpora.dev",
            "train_corpus": "corpora.train",
            "seed": "${system.seed}",
            "gpu_allocator": "${system.gpu_allocator}",
            "max_steps": max_steps,
            "max_epochs": 0,
            "eval_frequency": eval_frequency,
            "patience": 0,
            "frozen_components": [],
            "annotating_components": [],
            "before_to_disk": None,
            "before_update": None,
            "score_weights": {"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None},
        }
    )
    config["initialize"] = {
        "vectors": "${paths.vectors}",
        "init_tok2vec": "${paths.init_tok2vec}",
        "vocab_data": None,
        "lookups": None,
        "components": {},
        "tokenizer": {},
        "after_init": None,
        # The tokenizer and vocabulary (lexeme norms included) are the base model's, as its ner was trained with.
        "before_init": {"@callbacks": "spacy.copy_from_base_model.v1", "tokenizer": source, "vocab": source},
    }
    return config


def check_trainable(folder: Path, manifest: dict) -> None:
    """Refuse a version whose train or dev split has no documents (spaCy's training needs both).

    folder (Path): The version folder.
    manifest (dict): Its manifest.
    RAISES (InvalidInputError): E094 naming the empty split and every split's size.
    """
    splits = manifest["counts"]["splits"]
    for split in ("train", "dev"):
        if not splits.get(split, {}).get("documents"):
            detail = ", ".join(f"{s} {c['documents']} documents" for s, c in splits.items())
            raise InvalidInputError(Errors.E094.format(path=folder, split=split, detail=detail))


def save_base(model: str | None, labels: list[str], output: Path):
    """The starting pipeline (:func:`base_pipeline`), saved to ``output/base`` (a previous one replaced).

    model (str | None): The model to start from (None: the first installed default).
    labels (list[str]): The corpus version's labels.
    output (Path): The output folder (created if needed).
    RETURNS (tuple[Language, str, list[str], Path]): ``(nlp, name, added_labels, base_path)``.
    """
    output.mkdir(parents=True, exist_ok=True)
    nlp, base_name, added = base_pipeline(model, labels)
    base_path = output / "base"
    files.remove_tree(base_path, ignore_errors=True)
    nlp.to_disk(base_path)
    return nlp, base_name, added, base_path


def fit(
    nlp, base_path: Path, train_path: Path, dev_path: Path, output: Path, settings: dict, name: str, description: str
) -> dict:
    """One ``spacy train`` run: ``output/config.cfg``, then ``model-best/`` and ``model-last/`` named ``name``.

    nlp (Language): The starting pipeline, saved at ``base_path``.
    base_path (Path): Where it was saved.
    train_path (Path): The train DocBin.
    dev_path (Path): The dev DocBin.
    output (Path): The run's folder (a previous run's models there are replaced).
    settings (dict): ``max_steps``, ``eval_frequency`` and ``seed``.
    name (str): The trained pipeline's name (``meta.json``).
    description (str): Its description.
    RETURNS (dict): ``model-best``'s ``performance`` (``ents_f``, ``ents_p``, ``ents_r``, ``ents_per_type``).
    RAISES (InvalidInputError): E095 when spaCy's training fails.
    """
    from spacy.cli.train import train as spacy_train

    output.mkdir(parents=True, exist_ok=True)
    config = training_config(
        nlp, base_path, train_path, dev_path, settings["max_steps"], settings["eval_frequency"], settings["seed"]
    )
    config_path = output / "config.cfg"
    config.to_disk(config_path)
    for kept in ("model-best", "model-last"):  # a previous run's output is replaced, never mixed
        files.remove_tree(output / kept, ignore_errors=True)
    try:
        spacy_train(config_path, output, use_gpu=-1)
    except SystemExit as stop:  # spaCy's CLI helpers exit on bad input
        raise InvalidInputError(
            Errors.E095.format(reason=f"spaCy exited with {stop.code}", config=config_path)
        ) from None
    except (ValueError, KeyError, OSError) as err:
        raise InvalidInputError(Errors.E095.format(reason=str(err).splitlines()[0], config=config_path)) from None
    for kept in ("model-best", "model-last"):
        meta_path = output / kept / "meta.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        meta.update({"name": name, "description": description})
        with files.atomic_write(meta_path) as fh:
            json.dump(meta, fh, indent=2, ensure_ascii=False)
    best = json.loads((output / "model-best" / "meta.json").read_text(encoding="utf-8"))
    return dict(best.get("performance", {}))


def record_head(folder: Path, manifest: dict, base_name: str, added: list[str], settings: dict) -> dict:
    """The part a training record and a learning-curve record share: when, by what, from what corpus and model.

    folder (Path): The corpus version folder.
    manifest (dict): Its manifest.
    base_name (str): The base pipeline trained from.
    added (list[str]): The labels added to the base pipeline's NER.
    settings (dict): The training settings (steps, frequency, seed).
    RETURNS (dict): ``created_at``, ``annotate_version``, ``corpus`` (name, version, path, content and manifest
        sha256), ``base_model``, ``labels``, ``labels_added_to_base`` and ``settings``.
    """
    return {
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "annotate_version": __version__,
        "corpus": {
            "name": manifest["name"],
            "version": manifest["version"],
            "path": str(folder),
            "content_sha256": manifest["content_sha256"],
            "manifest_sha256": sha256_file(folder / MANIFEST),
        },
        "base_model": base_name,
        "labels": list(manifest["labels"]),
        "labels_added_to_base": added,
        "settings": settings,
    }


def train_model(
    spec: str,
    output: Path,
    model: str | None = None,
    max_steps: int = 600,
    eval_frequency: int = 100,
    seed: int = 0,
    root: Path = CORPUS_ROOT,
) -> dict:
    """Fine-tune the pre-annotation model's NER on corpus version ``spec``, with ``spacy train`` on CPU.

    Writes ``output/`` as the module docstring shows (a previous run's models there are replaced).

    spec (str): The corpus version: ``NAME``, ``NAME/vN`` or ``NAME@vN`` (checked against its manifest).
    output (Path): The output folder (created if needed).
    model (str | None): The model to start from, a package name or path (None: the first installed default).
    max_steps (int): Training steps.
    eval_frequency (int): Steps between two scorings on dev.
    seed (int): The random seed.
    root (Path): The folder holding the corpora.
    RETURNS (dict): The training record (``training.json``): corpus and its hashes, base model, labels, settings,
        dev scores and the path of ``model-best``.
    RAISES (InvalidInputError): E094 when the train or dev split has no documents, E095 when spaCy's training fails.
    """
    folder = resolve(spec, root)
    manifest = verify(folder)
    check_trainable(folder, manifest)
    output = Path(output)
    nlp, base_name, added, base_path = save_base(model, list(manifest["labels"]), output)
    settings = {"max_steps": max_steps, "eval_frequency": eval_frequency, "seed": seed}
    best = fit(
        nlp,
        base_path,
        folder / "train.spacy",
        folder / "dev.spacy",
        output,
        settings,
        f"{manifest['name']}_v{manifest['version']}",
        f"NER fine-tuned from {base_name} on corpus {manifest['name']} v{manifest['version']} by annotate {__version__}",
    )
    record = {
        **record_head(folder, manifest, base_name, added, settings),
        "dev_scores": {k: best.get(k) for k in ("ents_f", "ents_p", "ents_r")},
        "model": str(output / "model-best"),
    }
    with files.atomic_write(output / TRAINING_RECORD) as fh:
        json.dump(record, fh, indent=2, ensure_ascii=False)
    return record
