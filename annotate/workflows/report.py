"""``annotate report``: one self-contained HTML report of a pull, a corpus version or a saved evaluation."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotate.corpus.pull import SUMMARY
from annotate.corpus.store import CORPUS_ROOT, read_manifest
from annotate.errors import Errors, InvalidInputError
from annotate.io.files import atomic_write
from annotate.io.jsonl import read_jsonl
from annotate.io.schemas import load_schema

CURVE_RECORD = "curve.json"  # annotate.model.curve.CURVE_RECORD (not imported: it would load spaCy)
CURVE_KIND = "learning-curve"


@dataclass(frozen=True)
class ReportResult:
    """What ``report`` wrote: the kind of report ("annotation", "evaluation", "curve" or "corpus"), the file, its
    length."""

    kind: str
    output: Path
    characters: int


def source_kind(source: str) -> str:
    """What ``source`` names: "annotation" (a pull folder), "curve" (a ``train --curve`` folder), "evaluation" (a
    file: a curve record is told apart when read) or "corpus" (anything else).

    source (str): The command's argument.
    RETURNS (str): The kind of report it makes.

    EXAMPLE:
        >>> source_kind("news@v1")
        'corpus'
    """
    path = Path(source)
    if (path / SUMMARY).is_file():
        return "annotation"
    if (path / CURVE_RECORD).is_file():
        return "curve"
    return "evaluation" if path.is_file() else "corpus"


def read_evaluation(path: Path) -> dict[str, Any]:
    """An evaluation result written by ``annotate evaluate --save``, checked to be one.

    path (Path): The file.
    RETURNS (dict[str, Any]): The result.
    RAISES (InvalidInputError): E089 when it is not JSON or has no "micro" and "per_label".
    """
    try:
        result = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InvalidInputError(Errors.E089.format(path=path, reason=error)) from None
    if not isinstance(result, dict) or "micro" not in result or "per_label" not in result:
        raise InvalidInputError(Errors.E089.format(path=path, reason="no 'micro' and 'per_label' in it"))
    return result


def read_curve(path: Path) -> dict[str, Any]:
    """A learning-curve record written by ``annotate train --curve``, checked to be one.

    path (Path): The file (``curve.json``).
    RETURNS (dict[str, Any]): The record.
    RAISES (InvalidInputError): E181 when it is not JSON, not a curve record or has no point.
    """
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InvalidInputError(Errors.E181.format(path=path, reason=error)) from None
    if not isinstance(record, dict) or record.get("kind") != CURVE_KIND or not record.get("points"):
        raise InvalidInputError(Errors.E181.format(path=path, reason=f"no 'kind': {CURVE_KIND!r} and 'points'"))
    return record


def is_curve_record(path: Path) -> bool:
    """Whether a JSON file says it is a learning-curve record (``"kind": "learning-curve"``).

    path (Path): The file.
    RETURNS (bool): True for a curve record; False for anything else (an evaluation result, not JSON).
    """
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return False
    return isinstance(record, dict) and record.get("kind") == CURVE_KIND


def report(
    source: str,
    output: Path = Path("report.html"),
    gold: str | None = None,
    schema: Path | None = None,
    root: Path = CORPUS_ROOT,
) -> ReportResult:
    """Write the HTML report ``source`` calls for: agreement and disagreements, a corpus version or an evaluation.

    source (str): A pull folder, a corpus version (folder or NAME@vN), a file from ``evaluate --save``, or a
        ``train --curve`` output folder or its ``curve.json``.
    output (Path): HTML file to write (atomically).
    gold (str | None): For a pull: a corpus version or gold JSONL to score each annotator against.
    schema (Path | None): Schema for label colours and the language (None: schemas/news.yml).
    root (Path): Folder holding the corpora.
    RETURNS (ReportResult): The kind of report, the file and its length in characters.
    """
    from annotate.corpus.api import load_gold
    from annotate.corpus.gold import read_gold
    from annotate.corpus.pull import read_pull
    from annotate.corpus.store import resolve
    from annotate.report import corpus_report, curve_report, evaluation_report, pull_report

    the_schema = load_schema(schema)
    colours = {label.name: label.color for label in the_schema.labels}
    kind = source_kind(source)
    if kind == "evaluation" and is_curve_record(Path(source)):
        kind = "curve"
    if kind == "curve":
        path = Path(source)
        html = curve_report(read_curve(path / CURVE_RECORD if path.is_dir() else path))
    elif kind == "annotation":
        gold_docs = load_gold(gold, "all", root)[0] if gold else None
        html = pull_report(read_pull(Path(source)), colours, gold_docs, lang=the_schema.lang)
    elif kind == "evaluation":
        html = evaluation_report(read_evaluation(Path(source)), colours)
    else:
        folder = resolve(source, root)
        conflicts = [r for _, r in read_jsonl(folder / "conflicts.jsonl", producer="compile")]
        html = corpus_report(
            read_manifest(folder),
            (folder / "CHANGES.md").read_text(encoding="utf-8"),
            read_gold(folder / "gold.jsonl"),
            conflicts,
            colours,
        )
    with atomic_write(output) as fh:
        fh.write(html)
    return ReportResult(kind, output, len(html))
