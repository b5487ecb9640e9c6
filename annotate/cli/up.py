"""``annotate up``: runs :func:`annotate.workflows.up.up`, printing each step as it ends, then where to annotate."""

from __future__ import annotations

from pathlib import Path

import typer

from annotate.cli._common import FEEDBACK, DataDir, out
from annotate.cli.ingest import print_ingest
from annotate.cli.preannotate import print_preannotate
from annotate.cli.push import print_push
from annotate.cli.server import print_login, print_started
from annotate.io.settings import ENV_FILE
from annotate.labelstudio import server as server_mod
from annotate.labelstudio.server import ServerInfo
from annotate.workflows.ingest import IngestResult
from annotate.workflows.preannotate import PreannotateResult
from annotate.workflows.push import PushResult
from annotate.workflows.up import Step, up


def up_cli(
    seeds: Path = typer.Argument(Path("seeds"), help="Folder of .txt articles."),
    project: str = typer.Option("News NER", "--project", help="Label Studio project title."),
    model: str | None = typer.Option(None, help="spaCy package name or model path."),
    port: int = typer.Option(server_mod.DEFAULT_PORT, help="Port for the local Label Studio."),
    data_dir: Path = DataDir,
) -> None:
    """The main job: start Label Studio, then ingest, pre-annotate and push the seeds."""
    env_file = Path(ENV_FILE)
    result = up(
        seeds,
        project,
        model,
        port,
        data_dir,
        env_file,
        feedback=FEEDBACK,
        on_step=lambda step: print_step(step, env_file),
    )
    out.rule("Ready to annotate")
    out.print(f"Label Studio: {result.server.url}")
    print_login(result.server, env_file)
    out.print(
        f"Project {project!r}: {result.push.report.project_url}  ({result.push.report.documents} tasks, pre-annotated)"
    )
    out.print("Stop the server with: annotate server stop")


def print_step(step: Step, env_file: Path) -> None:
    """What the command of the step prints, as soon as the step is done.

    step (Step): A step's result.
    env_file (Path): Where the server's settings are kept.
    """
    if isinstance(step, ServerInfo):
        print_started(step, env_file)
    elif isinstance(step, IngestResult):
        print_ingest(step)
    elif isinstance(step, PreannotateResult):
        print_preannotate(step)
    elif isinstance(step, PushResult):
        print_push(step)
