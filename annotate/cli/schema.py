"""``annotate schema show/guidelines/config``: run :mod:`annotate.workflows.schema`, print the schema."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from annotate.cli._common import SchemaOption, out
from annotate.workflows.schema import GUIDELINES, schema_config, show_schema, write_guidelines

schema_app = typer.Typer(help="Inspect the label schema.", no_args_is_help=True)


@schema_app.command("show")
def schema_show_cli(schema: Path | None = SchemaOption) -> None:
    """Labels, guidelines and the model-label mapping."""
    summary = show_schema(schema)
    s = summary.schema
    out.print(f"schema {s.name} v{s.version}  sha256 {s.hash}")
    table = Table()
    for column in ("label", "hotkey", "colour", "guideline", "from model labels"):
        table.add_column(column)
    for row in summary.labels:
        label = row.label
        table.add_row(label.name, label.hotkey, label.color, label.guideline, ", ".join(row.model_labels))
    out.print(table)


@schema_app.command("guidelines")
def schema_guidelines_cli(
    schema: Path | None = SchemaOption,
    output: Path = typer.Option(GUIDELINES, "-o", "--output", help="Where to write them."),
    check: bool = typer.Option(False, "--check", help="Write nothing; exit 1 if the file is not current."),
) -> None:
    """Generate the annotators' guidelines (Markdown) from the schema: labels, keys, guidelines, examples."""
    result = write_guidelines(schema, output, check)
    s = result.schema
    if result.written:
        out.print(f"Wrote {result.output} (schema {s.name} v{s.version}, {len(s.labels)} labels).")
    else:
        out.print(f"{result.output} is current (schema {s.name} v{s.version}).")


@schema_app.command("config")
def schema_config_cli(schema: Path | None = SchemaOption) -> None:
    """Print the generated Label Studio labeling config (XML)."""
    print(schema_config(schema))
