"""``annotate report``: runs :func:`annotate.workflows.report.report`, says what it wrote."""

from __future__ import annotations

from pathlib import Path

import typer

from annotate.cli._common import BareRoot, SchemaOption, out
from annotate.workflows.report import report


def report_cli(
    source: str = typer.Argument(
        ...,
        help="A pull folder, a corpus version (folder or NAME@vN), an evaluation "
        "result saved with `annotate evaluate --save`, or a `train --curve` folder (or its curve.json).",
    ),
    output: Path = typer.Option(Path("report.html"), "-o", "--output", help="HTML file to write."),
    gold: str | None = typer.Option(
        None,
        "--gold",
        help="For a pull: a corpus version or gold file (JSONL, DocBin, CoNLL) to score each annotator against.",
    ),
    schema: Path | None = SchemaOption,
    root: Path = BareRoot,
) -> None:
    """One self-contained HTML report: agreement, disagreements, corpus version, evaluation or learning curve."""
    result = report(source, output, gold, schema, root)
    out.print(
        f"Wrote the {result.kind} report to {result.output} ({result.characters // 1024} KB, self-contained: "
        "open it in any browser)."
    )
