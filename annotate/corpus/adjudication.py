"""The adjudication round trip's bookkeeping: the conflicted documents a version sends, the decisions it gets back.

``compile`` writes every document with a conflict, with each annotator's version, to
``conflicted_documents.jsonl`` (:func:`conflicted_record`); ``annotate adjudicate push`` reads
them (:func:`read_conflicted`) into an adjudication project; its pull comes back to compile
with strategy ``adjudicated`` (:func:`adjudication_decisions`).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from annotate.core.adjudication import Strategy, decisions_from
from annotate.core.documents import Document
from annotate.core.gold import Outcome
from annotate.core.records import AnnotationRecord
from annotate.core.spans import Span
from annotate.corpus.gold import gold_record
from annotate.corpus.pull import Pull
from annotate.corpus.store import resolve
from annotate.errors import AnnotateError, Errors, InvalidInputError, NotFoundError
from annotate.io import jsonl
from annotate.labelstudio.tasks import ADJUDICATING_KEY

CONFLICTED = "conflicted_documents.jsonl"


def conflicted_record(outcome: Outcome) -> dict:
    """A document with conflicts, with every annotator's version (what ``annotate adjudicate push`` sends).

    outcome (Outcome): The document's outcome (in the gold, with conflicts).
    RETURNS (dict): Its gold record with ``annotations`` (annotator, spans) and ``conflicts``.
    """
    if outcome.gold is None:
        raise ValueError("a left-out document has no conflicted record")
    record = gold_record(outcome.gold)
    record["annotations"] = [
        {"annotator": r.annotator, "spans": [s.to_dict() for s in r.spans]}
        for r in sorted(outcome.submitted, key=lambda r: r.annotator)
    ]
    record["conflicts"] = outcome.conflicts
    return record


def read_conflicted(folder: Path) -> list[tuple[Document, dict[str, tuple[Span, ...]]]]:
    """The conflicted documents of a version.

    folder (Path): The version folder.
    RETURNS (list[tuple[Document, dict[str, tuple[Span, ...]]]]): ``(gold document, {annotator: spans})`` each.
    RAISES (NotFoundError): The version has no ``conflicted_documents.jsonl`` (E090).
    """
    path = folder / CONFLICTED
    if not path.is_file():
        raise NotFoundError(Errors.E090.format(path=folder))
    out = []
    for _, record in jsonl.read_jsonl(path, producer="compile"):
        versions = {a["annotator"]: tuple(Span.from_dict(s) for s in a["spans"]) for a in record["annotations"]}
        out.append((Document.from_dict({k: record[k] for k in ("id", "text", "spans", "meta")}), versions))
    return out


def adjudication_decisions(
    adjudication: Pull | None, pull: Pull, strategy: Strategy, root: Path
) -> tuple[dict[str, AnnotationRecord], dict]:
    """The adjudicator's decisions on a pull's documents, and what the manifest says about them.

    adjudication (Pull | None): The adjudication project's pull (strategy ``adjudicated``).
    pull (Pull): The pull being compiled.
    strategy (Strategy): The compile's strategy (nothing is decided unless ``adjudicated``).
    root (Path): The folder holding the corpora (the adjudicated versions' conflicts are counted).
    RETURNS (tuple[dict[str, AnnotationRecord], dict]): The decision per document id, and the manifest's
        ``adjudication`` entry with a ``note`` for CHANGES.md (both empty without an adjudication).
    RAISES (InvalidInputError): The adjudication decides none of the pull's documents (E093).
    """
    if strategy.name != "adjudicated" or adjudication is None:
        return {}, {}
    known = {o.id for o in pull.outlines()}
    everything = decisions_from(adjudication.submitted())
    decisions = {doc_id: record for doc_id, record in everything.items() if doc_id in known}
    if not decisions:
        raise InvalidInputError(
            Errors.E093.format(path=adjudication.path or "the adjudication pull", source=pull.path or "the pull")
        )
    specs: list[str] = sorted(
        {
            str(d.extra_meta[ADJUDICATING_KEY])
            for d in adjudication.documents or ()
            if d.extra_meta.get(ADJUDICATING_KEY) is not None
        }
    )
    settled = 0
    for spec in specs:  # the conflicts of the adjudicated version(s) that a decision now settles
        try:
            folder = resolve(spec, root)
        except AnnotateError:
            continue
        for _, conflict in jsonl.read_jsonl(folder / "conflicts.jsonl", producer="compile"):
            settled += conflict.get("doc_id") in decisions
    by = Counter(r.annotator for r in decisions.values())
    raw = adjudication.summary.get("raw_export") or {}
    info = {
        "adjudicated_versions": specs,
        "origin": adjudication.summary.get("origin"),
        "raw_export": raw.get("sha256"),
        "documents_decided": len(decisions),
        "by": dict(sorted(by.items())),
        "conflicts_settled": settled,
        "decisions_for_unknown_documents": len(everything) - len(decisions),
    }
    who = ", ".join(f"{name} ({n})" for name, n in sorted(by.items()))
    info["note"] = (
        f"Adjudicated: {len(decisions)} documents decided by {who}"
        + (f", settling {settled} conflicts of {', '.join(specs)}" if specs else "")
        + "."
    )
    return decisions, info
