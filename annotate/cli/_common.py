"""What every command module shares: the consoles, common options, spinners and bars, errors and warnings."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from annotate.corpus.store import CORPUS_ROOT
from annotate.io.settings import ENV_FILE
from annotate.labelstudio import server as server_mod
from annotate.workflows.feedback import Advance

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

SchemaOption = typer.Option(
    None, "--schema", help="Schema file (default: schemas/news.yml here, else the one shipped with annotate)."
)
DataDir = typer.Option(Path(server_mod.DEFAULT_DATA_DIR), "--data-dir", help="Label Studio data folder.")
EnvFile = typer.Option(Path(ENV_FILE), help="File with LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY.")
Root = typer.Option(CORPUS_ROOT, "--root", help="Folder holding the corpora.")
BareRoot = typer.Option(CORPUS_ROOT, "--root")  # the commands whose --root never had a help text


def progress_bar() -> Progress:
    """The bar every long loop shows on stderr (gone when done).

    RETURNS (Progress): A Rich progress display, not started.
    """
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    )


class RichFeedback:
    """A workflow's :class:`~annotate.workflows.feedback.Feedback` drawn with Rich on stderr."""

    def status(self, message: str) -> AbstractContextManager[None]:
        """A spinner. message (str): What is done. RETURNS (AbstractContextManager[None]): The block."""
        return err.status(message)  # type: ignore[return-value]  # Rich's Status is a context manager of itself

    @contextmanager
    def progress(self, description: str, total: int | None) -> Iterator[Advance]:
        """A transient bar. description (str): Its label. total (int | None): Items in all. RETURNS: yields advance."""
        with progress_bar() as bar:
            task = bar.add_task(description, total=total)

            def advance(done: int, new_total: int | None = None) -> None:
                if new_total is None:
                    bar.advance(task, done)
                else:
                    bar.update(task, advance=done, total=new_total)

            yield advance

    def warn(self, message: str) -> None:
        """Print a warning now. message (str): The catalogue message."""
        print_warning(message)


FEEDBACK = RichFeedback()


def print_warning(message: str) -> None:
    """One warning line on stderr, markup in the message escaped (``[W002]`` and ``[...]`` stay as written).

    message (str): A :class:`annotate.errors.Warnings` message.
    """
    err.print(f"[yellow]warning:[/] {escape(message)}")


def print_warnings(messages: Iterable[str]) -> None:
    """Each warning of a workflow's result, in order.

    messages (Iterable[str]): :class:`annotate.errors.Warnings` messages.
    """
    for message in messages:
        print_warning(message)


def print_error(error: BaseException) -> None:
    """One error line on stderr, markup in the message escaped (a title "News [v2]" stays intact).

    error (BaseException): The AnnotateError; its text is the whole message.
    """
    err.print(f"[bold red]error:[/] {escape(str(error))}", highlight=False, soft_wrap=True, markup=True)
