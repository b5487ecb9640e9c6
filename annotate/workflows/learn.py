"""The model in the loop learns: ``annotate model serve --retrain-every N`` retrains on the project's annotations.

A retraining (:meth:`Loop.retrain`, run by :class:`~annotate.labelstudio.learning.Learner` in its thread):

1. exports the project (:func:`annotate.workflows.pull.pull`: the raw export is kept by sha256 in ``DIR/raw``);
2. builds the majority gold of what is there, the same code as ``compile``
   (:func:`annotate.corpus.compile.build_gold`, strategy ``majority``, one annotator suffices);
3. trains from the BASE model (:func:`annotate.model.retrain.train_on_documents`) in ``DIR/V.partial``;
4. loads the trained model; only then the folder becomes ``DIR/V`` with its ``version.json`` and ``current.json``
   points to it (:class:`annotate.model.versions.VersionStore`). Any failure removes the partial folder.

After the swap, :meth:`Loop.publish` posts fresh predictions of the new version for the project's unlabeled tasks
(``POST /api/projects/ID/import/predictions``, one request), sets the project's ``model_version`` to it (so that
Label Studio shows them and does not ask again), then calls the queue-order hook.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotate.core.adjudication import parse_strategy
from annotate.core.schema import Schema
from annotate.corpus.compile import build_gold
from annotate.corpus.pull import read_pull
from annotate.errors import Errors, InvalidInputError
from annotate.io import files
from annotate.io.settings import ENV_FILE, Settings
from annotate.labelstudio.client import LabelStudio
from annotate.labelstudio.learning import Model, Predictor, ProjectRef, Served
from annotate.labelstudio.ml_backend import ProjectSetup, predict_served
from annotate.labelstudio.queue import order_uncertain
from annotate.model.preannotate import load_model
from annotate.model.retrain import train_on_documents
from annotate.model.scores import scored_entities
from annotate.model.versions import DEFAULT_MODELS_DIR, Version, VersionStore
from annotate.workflows.pull import pull

log = logging.getLogger(__name__)

DEFAULT_EVERY = 20
DEFAULT_STEPS = 200
PREDICT_BATCH = 64
OrderHook = Callable[[LabelStudio, int, str], Any]


@dataclass(frozen=True)
class LearnOptions:
    """How the backend learns.

    every (int): Submitted annotations per project between retrainings (0: never).
    models_dir (Path): The versions' folder.
    steps (int): Training steps per retraining.
    env_file (Path): File with LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY (to export and post predictions).
    """

    every: int = DEFAULT_EVERY
    models_dir: Path = DEFAULT_MODELS_DIR
    steps: int = DEFAULT_STEPS
    env_file: Path = Path(ENV_FILE)


def schema_predictor(nlp, schema: Schema, batch_size: int = PREDICT_BATCH) -> Predictor:
    """A predictor of ``nlp`` whose labels the schema maps (:func:`annotate.model.scores.scored_entities`); a
    retrained model predicts the schema's own labels, which a project lists, so they are kept as the model's.

    nlp (Language): The pipeline.
    schema (Schema): The schema.
    batch_size (int): Texts per batch.
    RETURNS (Predictor): Texts to scored entities.
    """

    def predictor(texts: Sequence[str]):  # the type of what scored_entities returns
        return scored_entities(nlp, texts, schema, batch_size=batch_size)

    return predictor


class Loop:
    """Retrain from a project's annotations, keep every version on disk, publish the new one."""

    def __init__(
        self,
        options: LearnOptions,
        settings: Settings,
        base: str | None,
        base_tag: str,
        schema: Schema,
        schema_path: Path | None = None,
        order: OrderHook | None = None,
    ):
        """A loop for the base model ``base``.

        options (LearnOptions): How it learns.
        settings (Settings): Label Studio's URL and key.
        base (str | None): The base model, a package name or path (every retraining starts from it).
        base_tag (str): Its ``name-version``.
        schema (Schema): The schema (its language tokenises the gold; it maps the model's labels).
        schema_path (Path | None): Its file, to check the export's labels (None: the default schema).
        order (OrderHook | None): Called after the predictions are posted (None:
            :func:`annotate.labelstudio.queue.order_uncertain`, least certain tasks first).
        """
        self.options = options
        self.settings = settings
        self.base = base
        self.base_tag = base_tag
        self.schema = schema
        self.schema_path = schema_path
        self.order = order if order is not None else order_uncertain
        self.store = VersionStore(options.models_dir)

    def restore(self) -> Served | None:
        """On start: remove the partial folders of killed trainings, load the version ``current.json`` points to.

        RETURNS (Served | None): The last good version of this base model, or None (serve the base model).
        """
        removed = self.store.clean_partials()
        if removed:
            log.info("removed unfinished trainings in %s: %s", self.store.root, ", ".join(removed))
        version = self.store.current()
        if version is None:
            return None
        if version.meta.get("base_model_tag") not in (None, self.base_tag):
            log.info(
                "%s was trained from %s, not %s: serving the base model",
                version.model_version,
                version.meta.get("base_model_tag"),
                self.base_tag,
            )
            return None
        nlp, _ = load_model(str(version.model))
        return Served(schema_predictor(nlp, self.schema), version.model_version)

    def retrain(self, project: ProjectRef) -> Served:
        """Export the project, build its majority gold, train from the base model, load it, point to it.

        project (ProjectRef): The project.
        RETURNS (Served): The new model; InvalidInputError (E200) when the project has no gold yet, the errors of
            the export and of training otherwise (the partial folder is then removed).
        """
        model_version = self.store.issue(self.base_tag)
        folder = self.store.partial(model_version)
        try:
            version, served = self._train(project, model_version, folder)
        except BaseException:
            self.store.discard(model_version)
            raise
        self.store.point(version)
        return served

    def _train(self, project: ProjectRef, model_version: str, folder: Path) -> tuple[Version, Served]:
        pulled = pull(
            project=project.title,
            output=folder / "pull",
            raw_dir=self.store.root / "raw",
            schema=self.schema_path,
            env_file=self.options.env_file,
        )
        gold = build_gold(read_pull(folder / "pull"), parse_strategy("majority"), 1, self.schema.lang)
        if not gold.documents:
            raise InvalidInputError(Errors.E200.format(project=project.title, left_out=len(gold.left_out)))
        trained = train_on_documents(gold.documents, folder, self.base, self.options.steps, name="annotate_loop")
        nlp, _ = load_model(str(trained.model))  # it loads, or this version is never pointed to
        for spare in ("base", "model-best"):  # the base model is installed; model-best is model-last here
            files.remove_tree(folder / spare, ignore_errors=True)
        meta = {
            "base_model": trained.base_model,
            "base_model_tag": self.base_tag,
            "export_sha256": pulled.summary["raw_export"]["sha256"],
            "documents": trained.documents,
            "spans": trained.spans,
            "project": {"id": project.id, "title": project.title},
            "steps": self.options.steps,
            "labels_added": list(trained.labels_added),
        }
        version = self.store.complete(model_version, meta)
        return version, Served(schema_predictor(nlp, self.schema), model_version)

    def publish(self, project: ProjectRef, model: Model) -> int:
        """Post the served model's predictions for the project's unlabeled tasks, set the project's version, order.

        project (ProjectRef): The project.
        model (Model): The served model (just swapped in).
        RETURNS (int): Predictions posted.
        """
        with LabelStudio(self.settings) as client:
            details = client.project(project.id)
            setup = ProjectSetup.from_config(details.get("label_config"))
            unlabeled = [
                {"id": t["id"], "data": t["data"]}
                for t in client.iter_tasks(project.id)
                if not t.get("total_annotations") and not t.get("annotations")
            ]
            posted = 0
            version = model.current.model_version
            for first in range(0, len(unlabeled), PREDICT_BATCH):
                batch = unlabeled[first : first + PREDICT_BATCH]
                predictions = predict_served(batch, setup, model)
                version = predictions[0]["model_version"]
                client.import_predictions(
                    project.id, [{"task": task["id"], **p} for task, p in zip(batch, predictions, strict=True)]
                )
                posted += len(batch)
            if posted:  # Label Studio accepts a version its predictions (or a backend's title) have
                client.update_project(project.id, model_version=version)
                self.order(client, project.id, version)  # least certain first, by the new version's scores
        log.info("posted %d predictions of %s to project %s", posted, version, project.id)
        return posted
