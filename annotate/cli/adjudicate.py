"""``annotate adjudicate push/pull``: run :mod:`annotate.workflows.adjudicate`, print the project or the pull."""

from __future__ import annotations

from pathlib import Path

import typer

from annotate.cli._common import FEEDBACK, EnvFile, Root, SchemaOption, out
from annotate.cli.pull import print_pull
from annotate.corpus.raw import RAW_DIR
from annotate.workflows.adjudicate import adjudicate_pull, adjudicate_push
from annotate.workflows.compile import ADJUDICATION_DIR

adjudicate_app = typer.Typer(
    help="Settle a version's conflicts in Label Studio: push them, pull the decisions.", no_args_is_help=True
)


@adjudicate_app.command("push")
def adjudicate_push_cli(
    corpus: str = typer.Option(..., "--corpus", help="The version whose conflicts to settle: NAME, NAME@vN, NAME/vN."),
    project: str = typer.Option(..., "--project", help="Title of the adjudication project (created if missing)."),
    root: Path = Root,
    schema: Path | None = SchemaOption,
    env_file: Path = EnvFile,
) -> None:
    """One task per conflicted document, every annotator's version a prediction named by the annotator. Idempotent."""
    pushed = adjudicate_push(corpus, project, root, schema, env_file)
    report = pushed.report
    verb = "created" if report.created else "reused"
    out.print(
        f"Adjudication project {project!r} ({verb}, id {report.project_id}): {report.new} new, "
        f"{report.present} already present; {pushed.documents} conflicted documents of {pushed.spec}."
    )
    out.print(
        f"Open: {report.project_url}  — then `annotate adjudicate pull --project {project!r}` and "
        f"`annotate compile --strategy adjudicated`."
    )


@adjudicate_app.command("pull")
def adjudicate_pull_cli(
    project: str | None = typer.Option(None, "--project", help="Title of the adjudication project."),
    from_file: Path | None = typer.Option(None, "--from-file", help="Its export file instead."),
    output: Path = typer.Option(ADJUDICATION_DIR, "-o", "--output", help="Folder for the decisions (a pull folder)."),
    raw_dir: Path = typer.Option(RAW_DIR, "--raw-dir", help="Where raw exports are kept, named by sha256."),
    schema: Path | None = typer.Option(None, "--schema", help="Check labels against this schema."),
    env_file: Path = EnvFile,
) -> None:
    """Export the adjudicator's decisions (kept raw, normalised) for `compile --strategy adjudicated`."""
    print_pull(adjudicate_pull(project, from_file, output, raw_dir, schema, env_file, feedback=FEEDBACK))
