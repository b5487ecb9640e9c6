"""``annotate evaluate``: runs :func:`annotate.workflows.evaluate.evaluate`, prints scores and the comparison."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from annotate.cli._common import BareRoot, SchemaOption, out, print_warnings
from annotate.report.render import fmt
from annotate.workflows.evaluate import ComparisonRow, Scored, evaluate


def evaluate_cli(
    gold: str = typer.Option(
        ...,
        "--gold",
        help="Corpus version (corpus/NAME/vN, NAME@vN) or a gold file: JSONL, spaCy DocBin (.spacy) or CoNLL IOB2.",
    ),
    predictions: Path | None = typer.Option(
        None,
        "--predictions",
        help="Predictions: JSONL (text + spans, id optional), DocBin or CoNLL; matched by id, else by text.",
    ),
    model: list[str] | None = typer.Option(
        None,
        "--model",
        help="Or a spaCy model (package or path) to run; repeat to compare models on the same documents.",
    ),
    split: str = typer.Option("test", help="train, dev, test or all (for a corpus version)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    save: Path | None = typer.Option(
        None,
        "--save",
        help="Also write the result, with every document's gold and "
        "predicted spans, as JSON (input for `annotate report`).",
    ),
    bootstrap: int = typer.Option(1000, help="Bootstrap resamples for the 95% intervals (0: none)."),
    seed: int = typer.Option(0, help="Bootstrap seed."),
    schema: Path | None = SchemaOption,
    root: Path = BareRoot,
) -> None:
    """Score predictions or models against gold: strict and partial P/R/F1, micro and per label, with CIs."""
    result = evaluate(gold, predictions, model or (), split, save, bootstrap, seed, schema, root)
    if as_json:
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        return
    for scored in result.scored:
        print_evaluation(scored)
    if result.comparison:
        print_comparison(result.gold, result.comparison)


def print_evaluation(scored: Scored) -> None:
    """One run: W003 if documents had no predictions, P/R/F1 per label and micro, the error types.

    scored (Scored): The run.
    """
    result, report = scored.result, scored.report
    out.print(f"{result['predictions']} against {result['gold']}: {report.n_documents} documents")
    print_warnings(scored.warnings)
    table = Table()
    for column in ("label", "P", "R", "F1", "F1 95% CI", "support", "F1 partial"):
        table.add_column(column, justify="left" if column == "label" else "right")

    def row(name: str, s: dict, p: dict) -> None:
        ci = s["ci95"]["f1"] if s.get("ci95") else [None, None]
        table.add_row(
            name,
            fmt(s["precision"]),
            fmt(s["recall"]),
            fmt(s["f1"]),
            f"{fmt(ci[0])}–{fmt(ci[1])}",
            str(s["support"]),
            fmt(p["f1"]),
        )

    for label in report.strict["per_label"]:
        row(label, report.strict["per_label"][label], report.partial["per_label"][label])
    row("micro", report.strict["micro"], report.partial["micro"])
    out.print(table)
    errors = report.errors["total"]
    out.print("errors: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in errors.items()))


def print_comparison(gold: str, rows: tuple[ComparisonRow, ...]) -> None:
    """The models side by side, with ΔF1 against the first.

    gold (str): What they were scored against.
    rows (tuple[ComparisonRow, ...]): One per model.
    """
    table = Table(title=f"Comparison on {gold} (strict, micro)")
    for column in ("model", "P", "R", "F1", "F1 95% CI", "ΔF1 vs the first"):
        table.add_column(column, justify="left" if column == "model" else "right")
    for r in rows:
        table.add_row(
            r.predictions,
            fmt(r.precision),
            fmt(r.recall),
            fmt(r.f1),
            f"{fmt(r.ci95[0])}–{fmt(r.ci95[1])}",
            "" if r.delta_f1 is None else f"{r.delta_f1:+.3f}",
        )
    out.print(table)
