"""``annotate agree``: runs :func:`annotate.workflows.agree.agree`, prints the agreement and anchoring tables."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from annotate.cli._common import out
from annotate.core.agreement import AgreementReport
from annotate.corpus.pull import PULL_DIR
from annotate.report.render import fmt, share
from annotate.workflows.agree import agree


def agree_cli(
    source: Path = typer.Argument(PULL_DIR, help="A pull folder, or a Label Studio export file."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of tables."),
    schema: Path | None = typer.Option(None, "--schema", help="Schema for an export file's labels (as in pull)."),
) -> None:
    """Inter-annotator agreement: pairwise span F1 and Cohen's kappa, Krippendorff's alpha, Fleiss' kappa."""
    result = agree(source, schema)
    if as_json:
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        return
    print_agreement(result.report)
    print_anchoring(result.anchoring)


def print_anchoring(anchoring: dict[str, Any]) -> None:
    """Per annotator: the model spans accepted, modified, deleted, and the spans added.

    anchoring (dict[str, Any]): From :func:`annotate.core.anchoring.anchoring_for`.
    """
    rows = anchoring["annotators"]
    if not rows:
        out.print("[dim]Anchoring: no pre-annotated document was annotated.[/]")
        return
    table = Table(title=f"Pre-annotation anchoring ({anchoring['pre_annotated_documents']} pre-annotated documents)")
    for column in ("annotator", "docs", "predicted", "accepted", "modified", "deleted", "added"):
        table.add_column(column, justify="left" if column == "annotator" else "right")
    for name, r in rows.items():
        table.add_row(
            name,
            str(r["documents"]),
            str(r["predicted"]),
            share(r["accepted_share"]),
            share(r["modified_share"]),
            share(r["deleted_share"]),
            str(r["added"]),
        )
    out.print(table)
    out.print(
        "[dim]accepted = model spans kept unchanged; modified = boundary or label changed; added = spans the "
        "model missed. Per label and against gold: --json, `annotate report`, the corpus manifest.[/]"
    )


def print_agreement(report: AgreementReport) -> None:
    """Pairwise F1 and κ, α, Fleiss' κ, and strict F1 per label.

    report (AgreementReport): The agreement of one pull.
    """
    out.print(f"{report.n_documents} documents, {len(report.annotators)} annotators: {', '.join(report.annotators)}")
    table = Table(title="Pairwise (documents both annotated)")
    for column in ("annotator A", "annotator B", "docs", "F1 strict", "F1 partial", "Cohen's κ (tokens)"):
        table.add_column(column, justify="right" if column not in ("annotator A", "annotator B") else "left")
    for p in report.pairwise:
        table.add_row(
            p["annotator_a"],
            p["annotator_b"],
            str(p["n_documents"]),
            fmt(p["f1_strict"]),
            fmt(p["f1_partial"]),
            fmt(p["cohen_kappa"]),
        )
    out.print(table)
    out.print(f"Krippendorff's α (tokens, nominal, all annotators): {fmt(report.krippendorff_alpha)}")
    out.print(
        f"Fleiss' κ (tokens; {report.fleiss_n_documents} documents with {report.fleiss_n_annotators} "
        f"annotators each): {fmt(report.fleiss_kappa)}"
    )
    labels = Table(title="Per label (strict span F1 across pairs)")
    labels.add_column("label")
    labels.add_column("F1 strict", justify="right")
    labels.add_column("spans compared", justify="right")
    for label, values in report.per_label.items():
        labels.add_row(label, fmt(values["f1_strict"]), str(values["support"]))
    out.print(labels)
    for note in report.notes:
        out.print(f"[dim]{note}[/]")
