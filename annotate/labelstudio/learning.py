"""The ML backend's learning loop: count submitted annotations per project, retrain in the background, swap.

Label Studio sends the backend's ``/webhook`` every event of a project it is connected to. ``ANNOTATION_CREATED``
and ``ANNOTATION_UPDATED`` of an annotation that was not cancelled count toward ``every`` for their project; at
``every``, one background thread retrains (:attr:`Learner.retrain`, injected: the export, the gold and spaCy live
in :mod:`annotate.workflows.learn`), swaps the new model in under the served model's lock, then publishes it
(:attr:`Learner.publish`: fresh predictions for the project's unlabeled tasks). ``/predict`` never waits for a
training: it keeps the old model until the swap. One training at a time; events that arrive during it count
toward the next, which starts when it ends. A failed training (any exception) logs one line and keeps the old
model; /health reports the last outcome.

This module knows neither spaCy nor HTTP: models are :class:`Served` pairs (predictor, model_version).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from annotate.core.scores import ScoredText

log = logging.getLogger(__name__)

Predictor = Callable[[Sequence[str]], list[ScoredText]]
COUNTED = ("ANNOTATION_CREATED", "ANNOTATION_UPDATED")


@dataclass(frozen=True)
class Served:
    """A model as the backend serves it.

    predictor (Predictor): Texts to scored entities.
    model_version (str): Its version, recorded on every prediction.
    """

    predictor: Predictor
    model_version: str


@dataclass(frozen=True)
class ProjectRef:
    """The project an event came from.

    id (int): Label Studio's project id.
    title (str): Its title.
    """

    id: int
    title: str


class Model:
    """The served model, swapped under ``lock``, which a prediction holds for its batch (one spaCy pipeline)."""

    def __init__(self, served: Served):
        """Serve ``served`` until :meth:`swap`.

        served (Served): The first model.
        """
        self._served = served
        self.lock = threading.Lock()

    @property
    def current(self) -> Served:
        """The model serving now.

        RETURNS (Served): It.
        """
        return self._served

    def swap(self, served: Served) -> None:
        """Serve ``served`` from the next batch on (a batch under way ends with the old model).

        served (Served): The new model.
        """
        with self.lock:
            self._served = served


def event_project(payload: dict[str, Any]) -> ProjectRef | None:
    """The project of a webhook event that counts toward a retraining, else None.

    payload (dict[str, Any]): The webhook's JSON body.
    RETURNS (ProjectRef | None): The project for a submitted (not cancelled) annotation created or updated.

    EXAMPLE:
        >>> event_project({"action": "ANNOTATION_CREATED", "project": {"id": 3, "title": "news"},
        ...                "annotation": {"was_cancelled": False}})
        ProjectRef(id=3, title='news')
        >>> event_project({"action": "ANNOTATION_CREATED", "project": {"id": 3, "title": "news"},
        ...                "annotation": {"was_cancelled": True}}) is None
        True
    """
    if payload.get("action") not in COUNTED:
        return None
    annotation, project = payload.get("annotation"), payload.get("project")
    if not isinstance(annotation, dict) or annotation.get("was_cancelled") or not isinstance(project, dict):
        return None
    if not isinstance(project.get("id"), int):
        return None
    return ProjectRef(project["id"], str(project.get("title") or ""))


def no_publish(project: ProjectRef, model: Model) -> None:
    """The default :attr:`Learner.publish`: nothing.

    project (ProjectRef): The project.
    model (Model): The served model, the new one swapped in.
    """


class Learner:
    """Counts annotations per project and retrains in one background thread."""

    def __init__(
        self,
        model: Model,
        retrain: Callable[[ProjectRef], Served],
        every: int,
        publish: Callable[[ProjectRef, Model], Any] = no_publish,
    ):
        """Learn for ``model``.

        model (Model): The served model (swapped after a retraining).
        retrain (Callable[[ProjectRef], Served]): Trains a new model from the project's annotations and makes it
            the current version on disk; raises when it cannot.
        every (int): Annotations per project between trainings (0: never).
        publish (Callable[[ProjectRef, Model], Any]): Run after the swap (fresh predictions, queue order).
        """
        self.model = model
        self.retrain = retrain
        self.every = every
        self.publish = publish
        self.counts: Counter = Counter()
        self.projects: dict[int, ProjectRef] = {}
        self.last: dict[str, Any] | None = None
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._running = False  # under self._lock: set when a thread starts, cleared when it has no more to do

    @property
    def training(self) -> bool:
        """Whether a training is under way.

        RETURNS (bool): True from the start of a training until the thread has nothing left to train.
        """
        return self._running

    def status(self) -> dict[str, Any]:
        """What /health says of the learning.

        RETURNS (dict[str, Any]): ``training``, ``retrain_every``, the counts toward the next training per project
            and the last training's outcome.
        """
        with self._lock:
            counts = {str(k): v for k, v in self.counts.items()}
        return {"training": self.training, "retrain_every": self.every, "pending": counts, "last_training": self.last}

    def event(self, payload: dict[str, Any]) -> bool:
        """Count a webhook event; start a training when a project reaches ``every``.

        payload (dict[str, Any]): The webhook's JSON body.
        RETURNS (bool): Whether the event counted.
        """
        project = event_project(payload)
        if project is None or self.every <= 0:
            return False
        with self._lock:
            self.counts[project.id] += 1
            self.projects[project.id] = project
            self._start_if_due()
        return True

    def _due(self) -> ProjectRef | None:
        for project_id, count in self.counts.items():
            if count >= self.every:
                return self.projects[project_id]
        return None

    def _start_if_due(self) -> None:
        # under self._lock
        if self._running:
            return
        project = self._due()
        if project is None:
            return
        self.counts[project.id] = 0
        self._running = True
        self._thread = threading.Thread(target=self._run, args=(project,), name="annotate-retrain", daemon=True)
        self._thread.start()

    def _run(self, project: ProjectRef) -> None:
        next_project: ProjectRef | None = project
        while next_project is not None:
            try:
                self._train_once(next_project)
            finally:
                with self._lock:
                    next_project = self._due()
                    if next_project is not None:
                        self.counts[next_project.id] = 0
                    else:
                        self._running = False  # the next due event starts another thread

    def _train_once(self, project: ProjectRef) -> None:
        started = time.monotonic()
        self.last = {"project": project.id, "status": "running", "started_at": time.time()}
        try:
            served = self.retrain(project)
        except Exception as err:  # a failed training keeps the old model, whatever failed
            seconds = round(time.monotonic() - started, 2)
            reason = " ".join(str(err).split()) or type(err).__name__
            log.warning(
                "retraining for project %s failed after %.1f s, the old model keeps serving: %s",
                project.id,
                seconds,
                reason,
            )
            self.last = {"project": project.id, "status": "failed", "error": reason, "seconds": seconds}
            return
        self.model.swap(served)
        seconds = round(time.monotonic() - started, 2)
        log.info("retrained for project %s in %.1f s: serving %s", project.id, seconds, served.model_version)
        outcome: dict[str, Any] = {
            "project": project.id,
            "status": "ok",
            "model_version": served.model_version,
            "seconds": seconds,
        }
        try:
            self.publish(project, self.model)
        except Exception as err:  # the model is served; only its predictions in Label Studio are missing
            reason = " ".join(str(err).split()) or type(err).__name__
            log.warning(
                "%s serves, but publishing its predictions to project %s failed: %s",
                served.model_version,
                project.id,
                reason,
            )
            outcome["publish_error"] = reason
        self.last = outcome

    def wait(self, timeout: float | None = None) -> None:
        """Wait for the training under way, if any (tests, shutdown).

        timeout (float | None): Seconds at most.
        """
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
