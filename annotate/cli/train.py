"""``annotate train``: runs :func:`annotate.workflows.train.train`, prints the dev scores and what to run next."""

from __future__ import annotations

from pathlib import Path

import typer

from annotate.cli._common import Root, out
from annotate.report.render import fmt
from annotate.workflows.train import train


def train_cli(
    corpus: str = typer.Option(..., "--corpus", help="Corpus version to train on: NAME, NAME@vN, NAME/vN or a folder."),
    output: Path = typer.Option(..., "-o", "--output", help="Output folder (model-best/, model-last/, config.cfg)."),
    model: str | None = typer.Option(
        None, "--base", help="Pipeline to start from (default: the pre-annotation model, en_core_web_sm if installed)."
    ),
    max_steps: int = typer.Option(600, help="Training steps (spaCy's max_steps)."),
    eval_frequency: int = typer.Option(100, help="Steps between evaluations on dev (model-best is the best of them)."),
    seed: int = typer.Option(0, help="Training seed."),
    root: Path = Root,
) -> None:
    """Fine-tune the pre-annotation model's NER on a corpus version with spaCy's own `spacy train` (CPU)."""
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
