"""``annotate compile``: adjudicate a pull into the next immutable corpus version."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from annotate.corpus.compile import CompileResult
from annotate.corpus.pull import PULL_DIR, SUMMARY
from annotate.corpus.store import CORPUS_ROOT
from annotate.errors import Errors, InvalidInputError
from annotate.io.schemas import load_schema

ADJUDICATION_DIR = Path("data/adjudication")


@dataclass(frozen=True)
class CompileOutcome:
    """The corpus name, the version compiled (or found current) and, when one was written, its CHANGES.md."""

    name: str
    result: CompileResult
    changes: str | None


def compile_version(
    name: str,
    source: Path = PULL_DIR,
    strategy: str = "majority",
    adjudication: Path = ADJUDICATION_DIR,
    min_annotators: int = 1,
    ratios: tuple[float, float, float] = (0.8, 0.1, 0.1),
    seed: int = 0,
    root: Path = CORPUS_ROOT,
    empty_means_none: bool = True,
    schema: Path | None = None,
    keep_whitespace: bool = False,
    near_duplicate_threshold: float = 0.5,
    near_duplicates: str = "group",
) -> CompileOutcome:
    """Adjudicate the pull ``source`` into corpus/NAME/vN (gold, splits, exports, manifest, CHANGES).

    name (str): Corpus name: versions go to ``root/NAME/vN``.
    source (Path): A pull folder (from ``annotate pull``).
    strategy (str): majority, ground-truth, adjudicator:EMAIL, or adjudicated.
    adjudication (Path): Pull folder of the adjudication project (for ``strategy="adjudicated"``).
    min_annotators (int): Leave out documents with fewer annotations.
    ratios (tuple[float, float, float]): Shares of train, dev and test (whole stories).
    seed (int): Seed of the split.
    root (Path): Folder holding the corpora.
    empty_means_none (bool): Count a submission without spans as "no entities" (else leave it out).
    schema (Path | None): Schema whose language tokenises (None: schemas/news.yml).
    keep_whitespace (bool): Keep whitespace at span edges as annotated (they are then "misaligned" conflicts);
        by default it is trimmed before adjudication.
    near_duplicate_threshold (float): Jaccard similarity (word 5-grams) from which two paragraphs are near
        duplicates, in (0, 1].
    near_duplicates (str): ``group`` (stories sharing a near-duplicate paragraph share a split) or ``off``
        (split by story only; the leakage is still counted, W052).
    RETURNS (CompileOutcome): The version and its changes; ``result.created`` is False when nothing changed;
        ``result.warnings`` holds W052/W053.
    RAISES (InvalidInputError): A threshold outside (0, 1] (E175) or an unknown near-duplicate mode (E176).
    """
    from annotate.core.adjudication import parse_strategy
    from annotate.core.near_duplicates import NearDuplicateSettings
    from annotate.corpus.compile import compile_corpus
    from annotate.corpus.pull import read_pull

    the_strategy = parse_strategy(strategy)
    near = NearDuplicateSettings(threshold=near_duplicate_threshold, mode=near_duplicates)
    the_pull = read_pull(source, stream=True)  # compile streams them, one document at a time
    decisions = None
    if the_strategy.name == "adjudicated":
        if not (adjudication / SUMMARY).is_file():
            # E092's own reason: not the text of read_pull's error cut short (a damaged folder raises its own E076)
            raise InvalidInputError(Errors.E092.format(path=adjudication, reason=f"no {SUMMARY} in it"))
        decisions = read_pull(adjudication)
    lang = load_schema(schema).lang
    result = compile_corpus(
        the_pull,
        name,
        the_strategy,
        min_annotators,
        ratios,
        seed,
        lang,
        root,
        empty_means_none,
        adjudication=decisions,
        keep_whitespace=keep_whitespace,
        near_duplicates=near,
    )
    changes = (result.path / "CHANGES.md").read_text(encoding="utf-8").strip() if result.created else None
    return CompileOutcome(name, result, changes)
