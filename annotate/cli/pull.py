"""``annotate pull``: runs :func:`annotate.workflows.pull.pull`, prints the span accounting of the pull."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from annotate.cli._common import FEEDBACK, EnvFile, out, print_warnings
from annotate.corpus.pull import PULL_DIR
from annotate.corpus.raw import RAW_DIR
from annotate.workflows.pull import PullResult, pull


def pull_cli(
    project: str | None = typer.Option(None, "--project", help="Title of the Label Studio project to export."),
    from_file: Path | None = typer.Option(
        None, "--from-file", help="A Label Studio JSON/JSON-MIN export file instead."
    ),
    output: Path = typer.Option(PULL_DIR, "-o", "--output", help="Pull folder to (re)write."),
    raw_dir: Path = typer.Option(RAW_DIR, "--raw-dir", help="Where raw exports are kept, named by sha256."),
    schema: Path | None = typer.Option(
        None,
        "--schema",
        help="Check labels against this schema (default: "
        "schemas/news.yml if the export uses its labels, else the export's own labels).",
    ),
    trim: bool = typer.Option(
        False, "--trim", help="Trim leading/trailing whitespace inside spans (reported either way)."
    ),
    text_key: str | None = typer.Option(
        None,
        "--text-key",
        help="Task data field holding the text (default: the project's labeling config with --project, else "
        "'text' or the only text field).",
    ),
    env_file: Path = EnvFile,
) -> None:
    """Export a project (or read an export file), keep it raw, normalise every annotator's spans."""
    print_pull(pull(project, from_file, output, raw_dir, schema, trim, text_key, env_file, feedback=FEEDBACK))


def print_pull(result: PullResult) -> None:
    """The raw snapshot, the labels, every span kept or rejected, what was set aside, and W002.

    result (PullResult): What pull wrote.
    """
    from annotate.labelstudio.normalise import REASONS, SET_ASIDE

    summary, snapshot = result.summary, result.snapshot
    c = summary["counts"]
    out.print(f"Raw export kept at {snapshot.path} (sha256 {snapshot.sha256[:12]}…, {summary['format']}).")
    note = summary["label_note"]
    out.print(note[:1].upper() + note[1:] + ".")
    config = summary.get("label_config")
    if config:
        out.print(
            f"Labeling config: spans of {', '.join(config['controls'])} on the task field {config['text_key']!r}."
        )
    table = Table(title=None)
    table.add_column("spans")
    table.add_column("count", justify="right")
    table.add_row("in the export", str(c["spans_in"]), style="bold")
    table.add_row("kept", str(c["spans_kept"]))
    for reason, n in sorted(c["rejected"].items()):
        table.add_row(f"rejected: {REASONS.get(reason, reason)}", str(n))
    table.add_row("kept + rejected", str(c["spans_kept"] + sum(c["rejected"].values())), style="bold")
    out.print(table)
    aside = ", ".join(
        f"{n} {SET_ASIDE.get(k, k).split(' (')[0].split(',')[0]}" for k, n in sorted(c["set_aside"].items())
    )
    out.print(
        f"{c['tasks']} tasks, {c['annotations_in']} annotations in → {c['records']} normalised records"
        + (f"; set aside: {aside}" if aside else "")
        + "."
    )
    if c["utf16_converted"]:
        out.print(f"{c['utf16_converted']} spans had UTF-16 (JavaScript) offsets and were converted to code points.")
    if c.get("text_whitespace_differs"):
        out.print(
            f"{c['text_whitespace_differs']} spans kept by their offsets: their cached text differs from the "
            "document's only in whitespace."
        )
    print_warnings(result.warnings)
    out.print(
        f"Pull written to {result.output}/ (annotations.jsonl, documents.jsonl, set_aside.jsonl, rejected.jsonl)."
    )
