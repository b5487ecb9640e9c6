"""compile: a pull into the next version of a corpus, ``corpus/NAME/vN/``, immutable once written.

A version folder holds ``gold.jsonl``, ``conflicts.jsonl``, ``left_out.jsonl``, ``splits.json``,
per split ``SPLIT.spacy`` (DocBin), ``SPLIT.conll`` (IOB2) and ``SPLIT.jsonl`` (Hugging Face
``datasets`` JSON), ``conflicted_documents.jsonl`` (every document with a conflict, with each
annotator's version: what ``annotate adjudicate push`` sends), ``manifest.json`` and
``CHANGES.md``. It is built under a temp name and renamed into place at the end, its files
fsynced and made read-only; ``manifest.json`` records the sha256 of every other file so that
:func:`~annotate.corpus.store.verify` can prove nothing changed.

The pipeline, one document at a time in reading order (memory does not grow with the spaCy Docs)::

    ByDocument.stream()  (document, its records)          annotate.corpus.pull
      -> iter_gold: adjudicate_document, align_document    annotate.core.gold (pure)
      -> CompileState.add: every count, in one place       annotate.core.gold (pure)
      -> VersionWriter.add: the version's files            annotate.corpus.writer

Before the pass, the texts of the included documents are read once for near-duplicate paragraphs
(:mod:`annotate.core.near_duplicates`): stories that share one are dealt into one split, and the
manifest's ``near_duplicates`` records the method, its settings and the leakage (dev/test paragraphs
with a near duplicate in train: 0 unless ``mode="off"``).

Compiling from a source that gives the same content as the latest version writes nothing
("no change"); the content key is the sha256 of the gold, the conflicts, the left-out list,
the splits, the compile settings (the near-duplicate settings among them) and the schema.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from annotate.core.adjudication import Strategy
from annotate.core.alignment import blank_pipeline
from annotate.core.changes import changes_markdown, diff_gold
from annotate.core.documents import Document
from annotate.core.gold import Accounting, CompileState, iter_gold
from annotate.core.splits import DisjointSet, article_key, split_by_article
from annotate.corpus.adjudication import adjudication_decisions
from annotate.corpus.gold import read_gold
from annotate.corpus.pull import Pull
from annotate.corpus.store import CORPUS_ROOT, MANIFEST, read_manifest, versions
from annotate.corpus.stream import ByDocument, by_document
from annotate.corpus.writer import VersionWriter, manifest, now, schema_change
from annotate.errors import Errors, InternalError, InvalidInputError, Warnings
from annotate.io import files, jsonl
from annotate.io.gc import collector_skips_existing

if TYPE_CHECKING:
    from annotate.core.near_duplicates import NearDuplicateSettings

PAIRS_COUNTED = 200_000  # the manifest counts the near-duplicate pairs inside groups when there are at most this many


@dataclass
class CompileResult:
    """What :func:`compile_corpus` did."""

    path: Path
    version: int
    created: bool  # False: no change, ``version`` is the current one
    manifest: dict
    warnings: tuple[str, ...] = ()  # W052 (the splits leak), W053 (a near-duplicate group too large for the ratios)


@dataclass
class Gold:
    """A pull's gold, in memory (:func:`build_gold`)."""

    documents: list[Document]  # gold documents, spans aligned, in reading order
    conflicts: list[dict]
    left_out: list[dict]
    accounting: dict  # every annotator's kept span: in gold, in a conflict, outvoted, or in a left-out document

    @property
    def balanced(self) -> bool:
        """Whether every kept span is accounted for.

        RETURNS (bool): True if so.
        """
        return Accounting(**self.accounting).balanced


def build_gold(
    pull: Pull,
    strategy: Strategy,
    min_annotators: int,
    lang: str,
    empty_means_none: bool = True,
    keep_whitespace: bool = False,
) -> Gold:
    """Adjudicate every document of a pull and align gold spans to spaCy tokens, all in memory.

    pull (Pull): The pull.
    strategy (Strategy): How gold is decided.
    min_annotators (int): The fewest submissions a document needs to be in the gold.
    lang (str): The tokenizer's language.
    empty_means_none (bool): An empty submission counts as "no entities here".
    keep_whitespace (bool): Keep whitespace at span edges as annotated (default: trimmed before adjudication).
    RETURNS (Gold): Gold documents, conflicts, left-out documents and the span accounting.
    RAISES (InternalError): A conservation check failed (E110, E111): a bug.
    """
    accounting = Accounting()
    documents: list[Document] = []
    conflicts: list[dict] = []
    left_out: list[dict] = []
    for outcome in iter_gold(
        by_document(pull, empty_means_none).stream(),
        strategy,
        min_annotators,
        blank_pipeline(lang),
        trim=not keep_whitespace,
    ):
        accounting.add(outcome)
        conflicts.extend(outcome.conflicts)
        if outcome.left_out is not None:
            left_out.append(outcome.left_out)
        if outcome.gold is not None:
            documents.append(outcome.gold)
    accounting.check()
    return Gold(documents, conflicts, left_out, accounting.to_dict())


@collector_skips_existing()  # the pull's objects are many and long-lived: collections skip them
def compile_corpus(
    pull: Pull,
    name: str,
    strategy: Strategy,
    min_annotators: int = 1,
    ratios: Sequence[float] = (0.8, 0.1, 0.1),
    seed: int = 0,
    lang: str = "en",
    root: Path = CORPUS_ROOT,
    empty_means_none: bool = True,
    adjudication: Pull | None = None,
    keep_whitespace: bool = False,
    near_duplicates: NearDuplicateSettings | None = None,
) -> CompileResult:
    """Write the next version of corpus ``name`` from a pull, or report that nothing changed.

    One pass over the documents: each is adjudicated, tokenised once, counted and written to
    the gold and its split's training files as it comes (see the module's pipeline).

    pull (Pull): The pull (``read_pull(path, stream=True)`` streams it from its folder).
    name (str): The corpus name.
    strategy (Strategy): How gold is decided.
    min_annotators (int): The fewest submissions a document needs to be in the gold.
    ratios (Sequence[float]): The train, dev and test shares (split by article).
    seed (int): The split's seed.
    lang (str): The tokenizer's language.
    root (Path): The folder holding the corpora.
    empty_means_none (bool): An empty submission counts as "no entities here".
    adjudication (Pull | None): An adjudication project's pull (strategy ``adjudicated``): its decisions settle
        the documents they cover, recorded in the manifest and CHANGES.md.
    keep_whitespace (bool): Keep whitespace at span edges as annotated: such spans are then "misaligned" conflicts
        (default: trimmed before adjudication, counted in the manifest's ``whitespace_trimmed``).
    near_duplicates (NearDuplicateSettings | None): How near-duplicate paragraphs are found and whether their
        stories share a split (None: the defaults, grouped at Jaccard 0.5 over word 5-grams).
    RETURNS (CompileResult): The version written, or the current one if nothing changed.
    RAISES (InvalidInputError): No document has enough annotations (E084); see also E093.
    RAISES (InternalError): A conservation check failed (E110-E112): a bug.
    """
    decisions, adjudicated = adjudication_decisions(adjudication, pull, strategy, root)
    grouped = by_document(pull, empty_means_none)
    included = [o for o in grouped.outline if grouped.submitted(o.id) >= max(min_annotators, 1)]
    if not included:
        raise InvalidInputError(
            Errors.E084.format(source=pull.path or "the source", k=max(min_annotators, 1), left=len(grouped.outline))
        )
    from annotate.core.near_duplicates import NearDuplicateSettings  # datasketch: imported when compile runs

    near = near_duplicates or NearDuplicateSettings()
    found = find_near_duplicates(grouped, included, near)
    together = found["groups"] if near.mode == "group" else []
    splits = split_by_article(((d.id, d.source, d.article) for d in included), ratios, seed, together)
    report, warnings = near_duplicate_report(found, splits, ratios)
    del included, found, together
    settings = {
        "strategy": str(strategy),
        "min_annotators": min_annotators,
        "ratios": list(ratios),
        "seed": seed,
        "lang": lang,
        "empty_means_none": empty_means_none,
        "keep_whitespace": keep_whitespace,
        "near_duplicates": near.to_dict(),
    }
    corpus_dir = root / name
    state = CompileState(pull.labels)
    with files.atomic_folder(corpus_dir / "version", replace=False, prefix="version") as folder:
        writer = VersionWriter(folder, splits)
        try:
            stream = grouped.stream()
            nlp = blank_pipeline(lang)
            for outcome in iter_gold(stream, strategy, min_annotators, nlp, decisions, trim=not keep_whitespace):
                writer.add(state.add(outcome))
            written = writer.close(settings, pull.summary.get("schema"))
        except BaseException:
            writer.abandon()
            raise
        state.accounting.check()  # every kept span is accounted for
        existing = versions(corpus_dir)
        previous = existing[-1] if existing else None
        latest = read_manifest(corpus_dir / f"v{previous}") if previous else {}
        if previous is not None and latest.get("content_sha256") == written.content_key:
            folder.abandon()
            return CompileResult(corpus_dir / f"v{previous}", previous, False, latest, warnings)
        version = (previous or 0) + 1
        old_gold = {d.id: d.spans for d in read_gold(corpus_dir / f"v{previous}" / "gold.jsonl")} if previous else {}
        notes = [adjudicated["note"]] if adjudicated else []
        notes += schema_change(latest.get("schema"), pull.summary.get("schema"))
        changes = changes_markdown(diff_gold(old_gold, state.gold_spans), name, version, previous, notes)
        folder.write_bytes("CHANGES.md", changes)
        made = manifest(pull, name, version, strategy, settings, state, written, folder.hashes, now())
        made["near_duplicates"] = {**near.to_dict(), **report}
        if adjudicated:
            made["adjudication"] = {k: v for k, v in adjudicated.items() if k != "note"}
        folder.write_bytes(MANIFEST, jsonl.json_bytes(made))
        for path in folder.path.iterdir():
            os.chmod(path, 0o444)
        folder.target = corpus_dir / f"v{version}"  # the rename fails if a concurrent compile took this number
    return CompileResult(folder.target, version, True, made, warnings)


def find_near_duplicates(grouped: ByDocument, included: list, settings: NearDuplicateSettings) -> dict:
    """The near-duplicate paragraphs among the included documents (their texts read once, in reading order).

    grouped (ByDocument): The pull's documents.
    included (list[Outline]): The documents in the gold, in reading order.
    settings (NearDuplicateSettings): Threshold, shingles, permutations, seed.
    RETURNS (dict): ``groups`` (document ids, each group two or more near duplicates), ``pairs`` (the near-duplicate
        pairs inside the groups, or None when more than :data:`PAIRS_COUNTED` would be compared), ``checked`` (pairs
        compared), ``index`` (the :class:`~annotate.core.near_duplicates.NearDuplicateIndex`), ``ids`` (by position)
        and ``article_of`` (document id to story key).
    """
    from annotate.core.near_duplicates import NearDuplicateIndex

    ids = [o.id for o in included]
    wanted = set(ids)
    index = NearDuplicateIndex((d.text for d in grouped.documents() if d.id in wanted), settings)
    if len(index) != len(ids):  # the outline and the documents come from one file: a bug if they differ
        raise InternalError(Errors.E177.format(read=len(index), outlined=len(ids)))
    positions = index.groups()
    pairs: int | None = None
    if sum(len(g) * (len(g) - 1) // 2 for g in positions) <= PAIRS_COUNTED:
        pairs = sum(index.similar(a, b) for g in positions for i, a in enumerate(g) for b in g[i + 1 :])
    return {
        "groups": [[ids[i] for i in g] for g in positions],
        "pairs": pairs,
        "index": index,
        "ids": ids,
        "article_of": {o.id: article_key(o.source, o.article) for o in included},
    }


def near_duplicate_report(found: dict, splits: dict[str, list[str]], ratios: Sequence[float]) -> tuple[dict, tuple]:
    """The manifest's near-duplicate counts and leakage, and the warnings they call for.

    found (dict): What :func:`find_near_duplicates` found.
    splits (dict[str, list[str]]): The splits.
    ratios (Sequence[float]): The train, dev and test shares.
    RETURNS (tuple[dict, tuple]): ``pairs``, ``groups``, ``paragraphs``, ``stories_joined``, ``largest_group``
        (documents in the largest group of joined stories), ``pairs_checked`` and ``leakage`` per split; W052, W053.
    """
    split_of = {doc_id: split for split, ids in splits.items() for doc_id in ids}
    index = found["index"]
    leakage = index.leaks([split_of.get(doc_id) for doc_id in found["ids"]])
    article_of = found["article_of"]
    stories = DisjointSet({article_of[d] for g in found["groups"] for d in g})
    for group in found["groups"]:
        for doc_id in group[1:]:
            stories.union(article_of[group[0]], article_of[doc_id])
    joined = [set(c) for c in stories.components() if len(c) > 1]
    size = Counter(article_of.values())  # documents per story
    largest = max((sum(size[k] for k in c) for c in joined), default=0)
    warnings: list[str] = []
    if sum(leakage.values()):
        warnings.append(Warnings.W052.format(leaks=sum(leakage.values())))
    if joined and largest > max(ratios) * len(article_of):
        stories_in = max(joined, key=lambda c: sum(size[k] for k in c))
        warnings.append(
            Warnings.W053.format(stories=len(stories_in), documents=largest, share=largest / len(article_of))
        )
    report = {
        "pairs": found["pairs"],
        "groups": len(found["groups"]),
        "paragraphs": sum(len(g) for g in found["groups"]),
        "stories_joined": sum(len(c) for c in joined),
        "largest_group": largest,
        "pairs_checked": index.checked,
        "lsh": {"bands": index.lsh.b, "rows": index.lsh.r},
        "leakage": leakage,
    }
    return report, tuple(warnings)
