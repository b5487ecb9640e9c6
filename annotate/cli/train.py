"""``annotate train``: runs :func:`annotate.workflows.train.train`, prints the dev scores and what to run next."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from annotate.cli._common import FEEDBACK, Root, out
from annotate.report.render import fmt
from annotate.workflows.train import curve, train


def train_cli(
    corpus: str = typer.Option(..., "--corpus", help="Corpus version to train on: NAME, NAME@vN, NAME/vN or a folder."),
    output: Path = typer.Option(..., "-o", "--output", help="Output folder (model-best/, model-last/, config.cfg)."),
    model: str | None = typer.Option(
        None, "--base", help="Pipeline to start from (default: the pre-annotation model, en_core_web_sm if installed)."
    ),
    max_steps: int = typer.Option(600, help="Training steps (spaCy's max_steps)."),
    eval_frequency: int = typer.Option(100, help="Steps between evaluations on dev (model-best is the best of them)."),
    seed: int = typer.Option(0, help="Training seed."),
    with_curve: bool = typer.Option(
        False, "--curve", help="A learning curve: train on growing shares of train (whole stories), F1 on dev for each."
    ),
    curve_points: str | None = typer.Option(
        None, help="The shares of train, in percent, for --curve (which they imply) [default: 25,50,75,100]."
    ),
    root: Path = Root,
) -> None:
    """Fine-tune the pre-annotation model's NER on a corpus version with spaCy's own `spacy train` (CPU)."""
    if with_curve or curve_points is not None:
        points = curve_points or "25,50,75,100"
        print_curve(curve(corpus, output, points, model, max_steps, eval_frequency, seed, root, FEEDBACK))
        return
    record = train(corpus, output, model, max_steps, eval_frequency, seed, root)
    scores = record["dev_scores"]
    out.print(
        f"Trained from {record['base_model']} on {record['corpus']['name']} v{record['corpus']['version']}: "
        f"dev F1 {fmt(scores['ents_f'])} (P {fmt(scores['ents_p'])}, R {fmt(scores['ents_r'])})."
    )
    if record["labels_added_to_base"]:
        out.print(f"Labels new to the base model: {', '.join(record['labels_added_to_base'])}.")
    out.print(
        f"Model: {record['model']}  — next: `annotate preannotate --model {record['model']}`, and "
        f"`annotate evaluate --gold {record['corpus']['name']}@v{record['corpus']['version']} --model "
        f"{record['base_model']} --model {record['model']}` to compare."
    )


def print_curve(record: dict) -> None:
    """The learning curve as a table: per point, its share, documents, stories and dev F1 (P, R).

    record (dict): The curve record (``curve.json``).
    """
    corpus = record["corpus"]
    table = Table(
        title=f"Learning curve: {corpus['name']} v{corpus['version']}, dev F1 ({record['dev_documents']} docs)"
    )
    for column in ("train", "documents", "stories", "dev F1", "P", "R"):
        table.add_column(column, justify="right")
    for p in record["points"]:
        s = p["dev_scores"]
        table.add_row(
            f"{p['percent']}%",
            str(p["documents"]),
            str(p["stories"]),
            fmt(s["ents_f"]),
            fmt(s["ents_p"]),
            fmt(s["ents_r"]),
        )
    out.print(table)
    unit = "whole stories" if record["unit"] == "story" else "documents (fewer stories than points)"
    out.print(
        f"Subsets of the {record['train_documents']} train documents taken as {unit}, nested; "
        f"{record['settings']['max_steps']} steps each, from {record['base_model']}. "
        f"Record: {Path(record['output']) / 'curve.json'} — `annotate report` on it draws the chart."
    )
