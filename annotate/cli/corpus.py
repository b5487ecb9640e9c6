"""``annotate corpus list/show/verify``: run :mod:`annotate.workflows.corpus`, print the versions."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from annotate.cli._common import BareRoot, out
from annotate.report.render import fmt
from annotate.workflows.corpus import list_corpora, show_corpus, verify_corpus

corpus_app = typer.Typer(help="List, show and verify corpus versions.", no_args_is_help=True)


@corpus_app.command("list")
def corpus_list_cli(root: Path = BareRoot) -> None:
    """Every version of every corpus."""
    table = Table()
    for column in ("corpus", "version", "created", "documents", "spans", "conflicts", "strategy"):
        table.add_column(column)
    for m in list_corpora(root):
        table.add_row(
            m["name"],
            f"v{m['version']}",
            m["created_at"],
            str(m["counts"]["documents"]),
            str(m["counts"]["spans"]),
            str(m["counts"]["conflicts"]),
            m["strategy"],
        )
    out.print(table)


@corpus_app.command("show")
def corpus_show_cli(spec: str = typer.Argument(..., help="NAME, NAME/vN or NAME@vN."), root: Path = BareRoot) -> None:
    """Summary of one version: counts per split and label, agreement, provenance, changes."""
    summary = show_corpus(spec, root)
    m, folder = summary.manifest, summary.folder
    out.print(f"{m['name']} v{m['version']}  created {m['created_at']}  strategy {m['strategy']}  ({folder})")
    out.print(
        f"schema: {m['schema']['name']} v{m['schema']['version']}"
        if m.get("schema")
        else f"labels: {', '.join(m['labels'])}"
    )
    out.print(
        f"raw exports: {', '.join(s[:12] for s in m['source']['raw_exports']) or '-'};  "
        f"pre-annotation: {', '.join(m['preannotation_models']) or '-'}"
    )
    table = Table()
    table.add_column("label")
    for split in m["counts"]["splits"]:
        table.add_column(split, justify="right")
    table.add_column("total", justify="right")
    for label in m["labels"]:
        row = [str(m["counts"]["splits"][s]["spans"].get(label, 0)) for s in m["counts"]["splits"]]
        table.add_row(label, *row, str(m["counts"]["spans_per_label"].get(label, 0)))
    out.print(table)
    a = m["agreement"]
    out.print(
        f"agreement: Krippendorff's α {fmt(a['krippendorff_alpha'])}, Fleiss' κ {fmt(a['fleiss_kappa'])}, "
        f"mean pairwise F1 {fmt(a['mean_pairwise_f1_strict'])};  conflicts {m['counts']['conflicts']}, "
        f"left out {m['counts']['left_out']}"
    )
    out.print(summary.changes)


@corpus_app.command("verify")
def corpus_verify_cli(
    spec: str = typer.Argument(..., help="NAME (every version), NAME/vN or NAME@vN."), root: Path = BareRoot
) -> None:
    """Recompute every checksum; exit 1 naming any file that changed."""
    for checked in verify_corpus(spec, root):
        out.print(f"{checked.folder}: OK ({checked.files} files match their sha256)")
