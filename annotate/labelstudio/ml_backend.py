"""A Label Studio ML backend: the HTTP protocol Label Studio speaks to a model, on FastAPI.

Endpoints (Label Studio 1.23's ML backend protocol):

* ``GET /health`` → ``{"status": "UP", "model_version": v}``;
* ``POST /setup`` (``project``, ``schema`` = the labeling config, ``hostname``, ``access_token``) →
  ``{"model_version": v}``; the config says which task field holds the text and which ``<Labels>``/``<Text>``
  the spans go in (:func:`annotate.labelstudio.label_config.span_source`), and which labels the project has;
* ``POST /predict`` (``tasks``, ``project``, ``label_config``, ``params``) → ``{"results": [...]}``, one
  prediction per task in order: ``{"result": [...], "score": s, "model_version": v}``, each span result with its
  own ``score`` (:mod:`annotate.core.scores`: the task's score is the least of its span scores and of ``1 - p``
  for the likeliest entity the beam holds but the model did not predict, among the project's labels; 1.0 with
  neither);
* ``POST /webhook`` → 200; the event is counted by action and, with a :class:`~annotate.labelstudio.learning.Learner`,
  submitted annotations count toward the next retraining (``/health`` then also says ``training`` and the last
  training's outcome).

The model is a *predictor* passed in (texts → scored entities, see :mod:`annotate.model.scores`), so this module
knows Label Studio and nothing of spaCy. A model label the project does not have is dropped: a span takes the
schema's label if the project lists it, else the model's own (``ScoredEntity.project_label``). A body that is
not the protocol's JSON gets a 400 or 422 with one line saying what is wrong, never a traceback.

No ``from __future__ import annotations`` here: FastAPI reads the handlers' annotations (``Request``, imported
inside :func:`create_app` because FastAPI is an optional extra) as objects, not strings.
"""

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from annotate.core.scores import task_score
from annotate.core.spans import Span
from annotate.errors import AnnotateError, Errors, InvalidInputError, NotFoundError
from annotate.labelstudio.label_config import SpanSource, control_labels, span_source
from annotate.labelstudio.learning import Learner, Model, Predictor, Served
from annotate.labelstudio.tasks import span_to_result

log = logging.getLogger(__name__)

__all__ = ["BackendState", "Predictor", "ProjectSetup", "create_app", "predict_served", "predict_tasks"]


@dataclass(frozen=True)
class ProjectSetup:
    """What a project's labeling config says a prediction must look like.

    source (SpanSource): The task field of the text, and the ``<Labels>``/``<Text>`` names.
    labels (frozenset[str] | None): The labels of its span control (None: it lists none, any label goes).
    """

    source: SpanSource
    labels: frozenset[str] | None

    @classmethod
    def from_config(cls, config: Any) -> "ProjectSetup":
        """Read a labeling config.

        config (Any): The labeling config (XML text).
        RETURNS (ProjectSetup): Its span source and labels; InvalidInputError (E191) when it gives no span control.

        EXAMPLE:
            >>> setup = ProjectSetup.from_config('<View><Text name="doc" value="$body"/>'
            ...     '<Labels name="ner" toName="doc"><Label value="PER"/></Labels></View>')
            >>> setup.source.text_key, setup.source.controls, sorted(setup.labels)
            ('body', ('ner',), ['PER'])
        """
        source, note = span_source(config if isinstance(config, str) else "")
        if source is None:
            raise InvalidInputError(Errors.E191.format(reason=note))
        return cls(source, control_labels(config, source.controls))


def predict_tasks(tasks: Sequence[Any], setup: ProjectSetup, predictor: Predictor, model_version: str) -> list[dict]:
    """One Label Studio prediction per task, in order.

    tasks (Sequence[Any]): The tasks (each a dict with ``data``, and ``id`` when Label Studio sends it).
    setup (ProjectSetup): Where the text is and where the spans go.
    predictor (Predictor): Texts to scored entities.
    model_version (str): Recorded on each prediction.
    RETURNS (list[dict]): ``{"result": [...], "score": s, "model_version": v}`` per task; InvalidInputError
        (E192) for a task without the text, (E193) for a task that is no object.
    """
    texts = []
    for index, task in enumerate(tasks):
        data = task.get("data") if isinstance(task, dict) else None
        if not isinstance(data, dict):
            raise InvalidInputError(Errors.E193.format(path="/predict", reason=f"task {index} has no data object"))
        text = data.get(setup.source.text_key)
        if not isinstance(text, str):
            raise InvalidInputError(
                Errors.E192.format(task=task.get("id", index), key=setup.source.text_key, keys=sorted(data))
            )
        texts.append(text)
    predicted = predictor(texts)
    results = []
    for index, (task, text, scored) in enumerate(zip(tasks, texts, predicted, strict=True)):
        region = f"task{task.get('id', index)}"
        spans = []
        for entity in scored.entities:
            label = entity.project_label(setup.labels)
            if label is None:
                continue
            result = span_to_result(
                text, Span(entity.start, entity.end, label), region, setup.source.controls[0], setup.source.text_name
            )
            result["score"] = entity.score
            spans.append(result)
        score = task_score((result["score"] for result in spans), scored.missed(setup.labels))
        results.append({"result": spans, "score": score, "model_version": model_version})
    return results


def predict_served(tasks: Sequence[Any], setup: ProjectSetup, model: Model) -> list[dict]:
    """:func:`predict_tasks` with the model serving now, its version read under the same lock as its predictions.

    tasks (Sequence[Any]): The tasks.
    setup (ProjectSetup): Where the text is and where the spans go.
    model (Model): The served model.
    RETURNS (list[dict]): One prediction per task, all of one model version.
    """
    with model.lock:  # one spaCy pipeline: one batch at a time, and a swap waits for it
        served = model.current
        return predict_tasks(tasks, setup, served.predictor, served.model_version)


@dataclass
class BackendState:
    """What the backend keeps between requests.

    model (Model): The served model (a retraining swaps it).
    projects (dict[str, ProjectSetup]): Each project's setup (by project id), from ``/setup`` or ``/predict``.
    events (Counter): Webhook events received, by action.
    learner (Learner | None): The learning loop, when the backend learns.
    """

    model: Model
    projects: dict[str, ProjectSetup] = field(default_factory=dict)
    events: Counter = field(default_factory=Counter)
    learner: Learner | None = None

    @property
    def model_version(self) -> str:
        """The version of the model serving now.

        RETURNS (str): It.
        """
        return self.model.current.model_version

    def setup_for(self, project: Any, config: Any) -> ProjectSetup:
        """The setup of a project: read from ``config`` when given, else the one ``/setup`` kept.

        project (Any): Label Studio's project (``"ID"`` or ``"ID.TIMESTAMP"``; may be missing).
        config (Any): The labeling config sent along, if any.
        RETURNS (ProjectSetup): The setup; InvalidInputError (E191) when there is none.
        """
        key = str(project).split(".", 1)[0]
        if config:
            setup = ProjectSetup.from_config(config)
            self.projects[key] = setup
            return setup
        if key in self.projects:
            return self.projects[key]
        return ProjectSetup.from_config(config)


def create_app(predictor: Predictor, model_version: str, learner: Learner | None = None):
    """The ML backend's FastAPI app.

    predictor (Predictor): Texts to scored entities (called by one request at a time).
    model_version (str): The served model's version.
    learner (Learner | None): The learning loop (it then holds the served model, and ``predictor`` and
        ``model_version`` are not used).
    RETURNS (FastAPI): The app; NotFoundError (E190) when the ``ml`` extra is not installed.
    """
    try:
        from fastapi import FastAPI, Request
        from fastapi.concurrency import run_in_threadpool
        from fastapi.responses import JSONResponse
    except ImportError:
        raise NotFoundError(Errors.E190) from None

    model = learner.model if learner is not None else Model(Served(predictor, model_version))
    state = BackendState(model, learner=learner)
    app = FastAPI(title="annotate ML backend", version=state.model_version)
    app.state.backend = state

    async def body(request: Request) -> dict:
        try:
            payload = await request.json()
        except ValueError as err:
            raise InvalidInputError(
                Errors.E193.format(path=request.url.path, reason=f"the body is not JSON ({err})")
            ) from None
        if not isinstance(payload, dict):
            raise InvalidInputError(Errors.E193.format(path=request.url.path, reason="the body is not a JSON object"))
        return payload

    @app.exception_handler(AnnotateError)
    async def _annotate_error(request: Request, error: AnnotateError) -> JSONResponse:
        status = 400 if str(error).startswith("[E193]") else 422  # a malformed body, else a body we cannot use
        log.warning("%s %s: %s", request.method, request.url.path, error)
        return JSONResponse({"detail": str(error)}, status_code=status)

    @app.get("/health")
    @app.get("/")
    async def health() -> dict:
        answer = {"status": "UP", "model_class": "annotate", "model_version": state.model_version}
        if state.learner is not None:
            answer.update(state.learner.status())
        return answer

    @app.post("/setup")
    async def setup(request: Request) -> dict:
        payload = await body(request)
        state.setup_for(payload.get("project", ""), payload.get("schema") or payload.get("label_config"))
        return {"model_version": state.model_version}

    @app.post("/predict")
    async def predict(request: Request) -> dict:
        payload = await body(request)
        tasks = payload.get("tasks")
        if not isinstance(tasks, list):
            raise InvalidInputError(Errors.E193.format(path="/predict", reason="'tasks' must be a list of tasks"))
        the_setup = state.setup_for(payload.get("project", ""), payload.get("label_config"))
        results = await run_in_threadpool(predict_served, tasks, the_setup, model)
        return {"results": results, "model_version": results[0]["model_version"] if results else state.model_version}

    @app.post("/webhook")
    async def webhook(request: Request) -> dict:
        payload = await body(request)
        action = str(payload.get("action", "unknown"))
        state.events[action] += 1
        counted = state.learner.event(payload) if state.learner is not None else False
        log.info("webhook %s (%d so far)", action, state.events[action])
        return {"status": "ok", "action": action, "counted": counted}

    return app
