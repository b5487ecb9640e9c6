"""``annotate push``: runs :func:`annotate.workflows.push.push`, prints what the project holds now."""

from __future__ import annotations

from pathlib import Path

import typer

from annotate.cli._common import FEEDBACK, EnvFile, SchemaOption, out, print_warnings
from annotate.labelstudio.push import DEFAULT_BATCH_SIZE
from annotate.workflows.preannotate import PREANNOTATED
from annotate.workflows.push import PushResult, push


def push_cli(
    input: Path = typer.Argument(
        PREANNOTATED, help="Documents JSONL (from preannotate, or ingest for no predictions)."
    ),
    project: str = typer.Option(..., "--project", help="Label Studio project title (created if missing)."),
    schema: Path | None = SchemaOption,
    batch_size: int = typer.Option(DEFAULT_BATCH_SIZE, help="Tasks per bulk import request."),
    overlap: int | None = typer.Option(
        None,
        "--overlap",
        help="Show each task to K different annotators "
        "(Label Studio's annotations per task; default: leave as is, 1 when new).",
    ),
    env_file: Path = EnvFile,
    order: str = typer.Option(
        "reading",
        "--order",
        help="reading (tasks in reading order) or uncertain (Label Studio hands out the least certain first: "
        "uncertainty sampling, and a 'Least certain first' tab).",
    ),
) -> None:
    """Create or reuse the project and import tasks with predictions. Idempotent and resumable."""
    print_push(push(input, project, schema, batch_size, overlap, env_file, feedback=FEEDBACK, order=order))


def print_push(result: PushResult) -> None:
    """The project, its tasks, duplicates removed or kept (W001), and its URL.

    result (PushResult): What push did.
    """
    report, project, the_schema = result.report, result.project, result.schema
    verb = "created" if report.created else "reused"
    if report.schema_updated:
        out.print(
            f"Project {project!r} brought up to schema {the_schema.name} v{the_schema.version} "
            "(label hints, hotkeys, colours and instructions)."
        )
    out.print(
        f"Project {project!r} ({verb}, id {report.project_id}): {report.new} new, "
        f"{report.present} already present; {report.documents} documents = "
        f"{report.tasks_for_documents} tasks; each shown to {report.overlap} annotator"
        f"{'s' if report.overlap > 1 else ''}."
    )
    if report.duplicates_removed:
        out.print(f"Removed {report.duplicates_removed} duplicate tasks left by an interrupted push.")
    if result.queue:
        queue = result.queue
        tab = "created" if queue["view_created"] else "kept"
        out.print(
            f"Queue: least certain first ({queue['sampling']} on model_version {queue['model_version']}; "
            f"tab 'Least certain first' {tab}, id {queue['view_id']})."
        )
    print_warnings(result.warnings)
    out.print(f"Open: {report.project_url}")
