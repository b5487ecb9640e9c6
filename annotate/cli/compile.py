"""``annotate compile``: runs :func:`annotate.workflows.compile.compile_version`, prints the version's accounting."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from annotate.cli._common import Root, SchemaOption, out, print_warnings
from annotate.corpus.pull import PULL_DIR
from annotate.workflows.compile import ADJUDICATION_DIR, CompileOutcome, compile_version


def compile_cli(
    source: Path = typer.Argument(PULL_DIR, help="A pull folder (from `annotate pull`)."),
    name: str = typer.Option(..., "--name", help="Corpus name: versions go to corpus/NAME/vN."),
    strategy: str = typer.Option(
        "majority",
        help="majority, ground-truth, adjudicator:EMAIL, or adjudicated (the "
        "decisions of `annotate adjudicate pull` settle the documents they cover).",
    ),
    adjudication: Path = typer.Option(
        ADJUDICATION_DIR, "--adjudication", help="Pull folder of the adjudication project (for --strategy adjudicated)."
    ),
    min_annotators: int = typer.Option(1, "--min-annotators", help="Leave out documents with fewer annotations."),
    train: float = typer.Option(0.8, help="Share of documents for train (whole stories)."),
    dev: float = typer.Option(0.1, help="Share for dev."),
    test: float = typer.Option(0.1, help="Share for test."),
    seed: int = typer.Option(0, help="Seed of the split."),
    root: Path = Root,
    empty_means_none: bool = typer.Option(
        True,
        "--empty-means-none/--skip-empty",
        help="Count a submission without spans as 'no entities' (default) or leave it out.",
    ),
    schema: Path | None = SchemaOption,
    keep_whitespace: bool = typer.Option(
        False,
        "--keep-whitespace",
        help="Keep whitespace at span edges as annotated (such spans are then misaligned conflicts); "
        "by default it is trimmed before adjudication and counted in the manifest.",
    ),
    near_duplicate_threshold: float = typer.Option(
        0.5,
        "--near-duplicate-threshold",
        help="Jaccard similarity (word 5-grams) from which two paragraphs are near duplicates: their stories "
        "share a split.",
    ),
    near_duplicates: str = typer.Option(
        "group",
        "--near-duplicates",
        help="group (stories sharing a near-duplicate paragraph share a split) or off (by story only; the leakage "
        "is still counted).",
    ),
) -> None:
    """Adjudicate a pull into the next immutable corpus version (gold, splits, exports, manifest, CHANGES)."""
    print_compile(
        compile_version(
            name,
            source,
            strategy,
            adjudication,
            min_annotators,
            (train, dev, test),
            seed,
            root,
            empty_means_none,
            schema,
            keep_whitespace,
            near_duplicate_threshold,
            near_duplicates,
        )
    )


def print_compile(outcome: CompileOutcome) -> None:
    """The version written (or "No change"), every span accounted for, the splits and the changes.

    outcome (CompileOutcome): What compile did.
    """
    result = outcome.result
    print_warnings(result.warnings)
    if not result.created:
        out.print(f"No change: {outcome.name} v{result.version} is current ({result.path}). Nothing written.")
        return
    c = result.manifest["counts"]
    out.print(
        f"Wrote {result.path}: {c['documents']} documents, {c['spans']} gold spans, "
        f"{c['conflicts']} conflicts, {c['left_out']} left out."
    )
    a = c["accounting"]
    out.print(
        f"Every annotator's span accounted for: {a['kept_spans']} kept in the pull = {a['in_gold']} in gold + "
        f"{a['in_conflicts']} in conflicts + {a['outvoted']} outvoted + {a['in_left_out']} in left-out documents"
        + (f" + {a['dropped_by_trim']} dropped by trimming." if a.get("dropped_by_trim") else ".")
    )
    trimmed, splits = c.get("whitespace_trimmed", {}).get("spans"), c.get("token_splits", {})
    if trimmed:
        out.print(
            f"{trimmed} spans had whitespace at an edge: trimmed before adjudication (--keep-whitespace keeps it)."
        )
    if splits.get("spans"):
        out.print(
            f"{splits['spans']} gold spans fall inside spaCy tokens: kept, the tokens of {splits['documents']} "
            "documents split at their edges."
        )
    near = result.manifest.get("near_duplicates")
    if near:
        leaks = near["leakage"]
        out.print(
            f"Near-duplicate paragraphs (Jaccard ≥ {near['threshold']}, word {near['shingle_size']}-grams): "
            f"{near['paragraphs']} in {near['groups']} groups, joining {near['stories_joined']} stories"
            + (" into one split each." if near["mode"] == "group" else " (not grouped: --near-duplicates off).")
        )
        out.print(f"Leakage: {leaks['dev']} dev and {leaks['test']} test paragraphs have a near duplicate in train.")
    table = Table()
    for column in ("split", "documents", "stories", "spans"):
        table.add_column(column, justify="right" if column != "split" else "left")
    for split, counts in c["splits"].items():
        table.add_row(split, str(counts["documents"]), str(counts["articles"]), str(sum(counts["spans"].values())))
    out.print(table)
    out.print(outcome.changes or "")
