"""``annotate ingest``: parses its options, runs :func:`annotate.workflows.ingest.ingest`, prints the counts."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from annotate.cli._common import FEEDBACK, out, print_warnings
from annotate.workflows.ingest import DOCUMENTS, IngestResult, ingest


def ingest_cli(
    path: Path = typer.Argument(
        ..., help="A folder of .txt articles and/or .jsonl/.csv/.tsv records (each file by its suffix), or one file."
    ),
    output: Path = typer.Option(DOCUMENTS, "-o", "--output", help="Documents JSONL to write."),
    paragraphs: str = typer.Option(
        "auto", help="Paragraph splitting of .txt files: auto, lines (one per line) or blank (blank-line separated)."
    ),
    text_field: str = typer.Option("text", "--text-field", help="JSONL key or CSV/TSV column holding the text."),
    id_field: str | None = typer.Option(
        None, "--id-field", help="JSONL key or CSV/TSV column holding the id (default: 'id' when there, else a hash)."
    ),
    suggest_stories: bool = typer.Option(
        False,
        "--suggest-stories",
        help="Also suggest story boundaries for .txt files without a stories.yml entry, as a draft to confirm.",
    ),
    stories_out: Path | None = typer.Option(
        None, "--stories-out", help="The draft to write (default: stories.draft.yml beside the sources)."
    ),
    model: str | None = typer.Option(None, help="spaCy model for --suggest-stories (default: as preannotate)."),
) -> None:
    """Split articles into paragraph documents (records: one each) with stable ids and exact offsets."""
    result = ingest(path, output, paragraphs, text_field, id_field, suggest_stories, stories_out, model, FEEDBACK)
    print_ingest(result)
    if suggest_stories and result.stories_draft is None:
        out.print("no story boundaries to suggest: every .txt file has a stories.yml entry (no draft written)")


def print_ingest(result: IngestResult) -> None:
    """The documents per source, where they went, and the story draft if one was written.

    result (IngestResult): What ingest wrote.
    """
    table = Table()
    for column in ("source", "articles", "documents"):
        table.add_column(column)
    for s in result.sources:
        table.add_row(s.source, str(s.articles), str(s.documents))
    out.print(table)
    print_warnings(result.warnings)
    out.print(f"{result.documents} documents from {len(result.sources)} files written to {result.output}")
    if result.stories_draft is not None:
        out.print(
            f"story boundaries suggested for {len(result.suggested)} files in {result.stories_draft}: check them, "
            "then move the entries into stories.yml (ingest again to apply them)",
            markup=False,
        )
