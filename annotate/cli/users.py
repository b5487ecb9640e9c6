"""``annotate users add/list`` and ``annotate status``: run :mod:`annotate.workflows.users` and
:func:`annotate.workflows.status.status`, print the accounts and the labeling progress."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from annotate.cli._common import FEEDBACK, DataDir, EnvFile, out
from annotate.workflows.status import StatusResult, status
from annotate.workflows.users import add_user, list_users

users_app = typer.Typer(help="Annotator accounts on the Label Studio server (admin API).", no_args_is_help=True)


@users_app.command("add")
def users_add_cli(
    email: str = typer.Argument(..., help="The annotator's email (their login)."),
    first: str = typer.Option("", "--first", help="First name."),
    last: str = typer.Option("", "--last", help="Last name."),
    data_dir: Path = DataDir,
    env_file: Path = EnvFile,
) -> None:
    """Create an annotator account and print how they log in.

    On the server this folder runs (`annotate server start`), the account gets a password, shown once. On another
    server Label Studio's API cannot set passwords: the organisation's sign-up link is printed instead.
    """
    user = add_user(email, first, last, data_dir, env_file)
    out.print(f"Created user {user.id}: {user.email}" + (f" ({user.full_name})." if user.full_name else "."))
    if user.password is not None:
        out.print(
            f"They log in at {user.url}/user/login/ with the email {user.email} and the password "
            f"{user.password} (shown once: hand it over privately; they can change it under Account & Settings)."
        )
    else:
        out.print(
            f"They sign up at {user.invite} with the email {user.email} and a password of their own "
            f"(Label Studio's API cannot set passwords on a server this folder does not run)."
        )


@users_app.command("list")
def users_list_cli(
    env_file: Path = EnvFile,
) -> None:
    """Every user of the server: id, email, name, last activity."""
    table = Table()
    for column in ("id", "email", "name", "last activity"):
        table.add_column(column, justify="right" if column == "id" else "left")
    for u in list_users(env_file):
        table.add_row(str(u.id), u.email, u.name, u.last_activity)
    out.print(table)


def status_cli(
    project: str = typer.Option(..., "--project", help="Title of the Label Studio project."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    env_file: Path = EnvFile,
) -> None:
    """Labeling progress: tasks with 0..K annotations (K = overlap), per annotator, skipped."""
    result = status(project, env_file, feedback=FEEDBACK)
    if as_json:
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        return
    print_status(result)


def print_status(result: StatusResult) -> None:
    """Tasks complete, tasks by submitted annotations, and per annotator.

    result (StatusResult): The project's progress.
    """
    state, project, overlap = result.progress, result.project, result.overlap
    done = state.complete
    out.print(
        f"{project!r}: {state.tasks} tasks, each for {overlap} annotator{'s' if overlap > 1 else ''}; "
        f"{done} complete ({100 * done / state.tasks:.0f}%)."
        if state.tasks
        else f"{project!r}: no tasks yet."
    )
    table = Table(title="Tasks by submitted annotations")
    table.add_column("annotations")
    table.add_column("tasks", justify="right")
    for k, n in state.by_count.items():
        table.add_row(f"{k}+" if k == overlap and k else str(k), str(n))
    out.print(table)
    people = Table(title="Per annotator")
    for column in ("annotator", "submitted", "skipped", "drafts"):
        people.add_column(column, justify="left" if column == "annotator" else "right")
    for name, c in state.per_annotator.items():
        people.add_row(name, str(c["submitted"]), str(c["skipped"]), str(c["drafts"]))
    out.print(people)
    out.print(f"Skipped: {state.skipped}; drafts: {state.drafts}.")
