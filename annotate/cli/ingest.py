"""``annotate ingest``: parses its options, runs :func:`annotate.workflows.ingest.ingest`, prints the counts."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from annotate.cli._common import out
from annotate.workflows.ingest import DOCUMENTS, IngestResult, ingest


def ingest_cli(
    path: Path = typer.Argument(..., help="A folder of .txt articles, or one .txt file."),
    output: Path = typer.Option(DOCUMENTS, "-o", "--output", help="Documents JSONL to write."),
    paragraphs: str = typer.Option(
        "auto", help="Paragraph splitting: auto, lines (one per line) or blank (blank-line separated)."
    ),
) -> None:
    """Split articles into paragraph documents with stable ids and exact offsets."""
    print_ingest(ingest(path, output, paragraphs))


def print_ingest(result: IngestResult) -> None:
    """The documents per source, and where they went.

    result (IngestResult): What ingest wrote.
    """
    table = Table()
    for column in ("source", "articles", "documents"):
        table.add_column(column)
    for s in result.sources:
        table.add_row(s.source, str(s.articles), str(s.documents))
    out.print(table)
    out.print(f"{result.documents} documents from {len(result.sources)} files written to {result.output}")
