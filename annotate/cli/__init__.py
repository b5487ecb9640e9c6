"""The ``annotate`` command line: a thin Typer shell over :mod:`annotate.workflows`.

The rule for a newcomer: a command parses, a workflow works. Each command is a typed function ``<verb>_cli`` in
the module of its group (``annotate/cli/evaluate.py`` holds ``evaluate_cli``) that parses its options, calls ONE
workflow (``annotate.workflows.evaluate.evaluate``) and prints the dataclass it returns: tables and summaries
are presentation and live here; checking, choosing, reading, writing and talking to Label Studio live in the
workflow, so every command is importable and testable without the CLI. ``_common.py`` holds what all commands
share: the consoles, the common options, the progress bar, and the one way errors and warnings are printed.

The pipeline's verbs, in the order they run: ``server start`` → ``ingest`` → ``preannotate`` → ``push`` (``up``
does these four) → ``users add`` / ``status`` while the team annotates → ``pull`` → ``agree`` → ``compile``
(``adjudicate push`` / ``adjudicate pull`` then ``compile --strategy adjudicated`` settle its conflicts;
``corpus list/show/verify`` inspect it) → ``train`` / ``evaluate`` → ``report``. ``schema`` runs any time;
``model serve`` keeps a model in the loop as Label Studio's ML backend.

Errors the user can act on (:class:`annotate.errors.AnnotateError`) print as one line on stderr, Rich markup
escaped, with exit code 1 and never a traceback; warnings go to stderr and the command goes on; Ctrl-C exits
with 130 and a message.
"""

from __future__ import annotations

import sys

import typer

from annotate.cli._common import err, print_error
from annotate.cli.adjudicate import adjudicate_app
from annotate.cli.agree import agree_cli
from annotate.cli.compile import compile_cli
from annotate.cli.corpus import corpus_app
from annotate.cli.evaluate import evaluate_cli
from annotate.cli.ingest import ingest_cli
from annotate.cli.model import model_app
from annotate.cli.preannotate import preannotate_cli
from annotate.cli.pull import pull_cli
from annotate.cli.push import push_cli
from annotate.cli.report import report_cli
from annotate.cli.schema import schema_app
from annotate.cli.server import server_app
from annotate.cli.train import train_cli
from annotate.cli.up import up_cli
from annotate.cli.users import status_cli, users_app
from annotate.errors import AnnotateError

app = typer.Typer(
    help="Turn raw news articles into a versioned, measured gold NER corpus around Label Studio.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# The order of the help's command list: the top-level verbs, then the groups.
for name, command in (
    ("ingest", ingest_cli),
    ("preannotate", preannotate_cli),
    ("push", push_cli),
    ("pull", pull_cli),
    ("agree", agree_cli),
    ("compile", compile_cli),
    ("train", train_cli),
    ("status", status_cli),
    ("evaluate", evaluate_cli),
    ("report", report_cli),
    ("up", up_cli),
):
    app.command(name)(command)
for name, group in (
    ("server", server_app),
    ("schema", schema_app),
    ("users", users_app),
    ("adjudicate", adjudicate_app),
    ("corpus", corpus_app),
    ("model", model_app),
):
    app.add_typer(group, name=name)


@app.callback()
def _global_options(
    verbose: bool = typer.Option(
        False, "--verbose", "-v", help="Log what is done, HTTP calls included (the API key is never shown)."
    ),
) -> None:
    if verbose:
        import logging

        from rich.logging import RichHandler

        from annotate.io.settings import RedactSecrets

        handler = RichHandler(console=err, show_path=False)
        handler.addFilter(RedactSecrets())
        logging.basicConfig(level=logging.DEBUG, handlers=[handler], format="%(name)s: %(message)s", force=True)
        logging.getLogger("httpcore").setLevel(logging.INFO)  # its debug lines are socket-level noise


def main() -> None:
    """Run the command line: one error line and exit 1 for an AnnotateError, exit 130 on Ctrl-C."""
    import click

    interrupted = "Interrupted. Files are written atomically, so nothing is half-written; re-run the command to resume."
    try:
        code = app(standalone_mode=False)
    except AnnotateError as error:
        print_error(error)
        sys.exit(1)
    except (KeyboardInterrupt, click.exceptions.Abort):
        err.print(interrupted)
        sys.exit(130)
    except click.ClickException as error:  # usage errors: bad option, missing argument
        error.show()
        sys.exit(error.exit_code)
    if code == 130:  # Typer turns Ctrl-C inside a command into exit code 130
        err.print(interrupted)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
