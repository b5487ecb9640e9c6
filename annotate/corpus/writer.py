"""Writing a corpus version: the gold files and per-split training files as documents come, the content key, the manifest.

Every file goes through one :class:`~annotate.io.files.FolderWriter` (hashed while written,
fsynced); the folder is renamed into place by :func:`~annotate.io.files.atomic_folder`.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone

from spacy.tokens import Doc

from annotate import __version__
from annotate.core.adjudication import Strategy
from annotate.core.documents import Document
from annotate.core.gold import CompileState, Outcome
from annotate.core.splits import SPLITS
from annotate.corpus.adjudication import CONFLICTED, conflicted_record
from annotate.corpus.formats import NerDocBin, hf_record, iob_tokens, new_docbin, write_conll_document
from annotate.corpus.gold import gold_record
from annotate.corpus.pull import Pull
from annotate.corpus.store import MANIFEST
from annotate.errors import Errors, InternalError
from annotate.io.files import FolderWriter
from annotate.io.jsonl import json_bytes, json_line


class SplitWriter:
    """One split's training files written as documents come: the DocBin (kept until the end), CoNLL and JSONL lines.

    folder (FolderWriter): The version folder being built.
    split (str): The split ("train", "dev" or "test").
    """

    def __init__(self, folder: FolderWriter, split: str):
        self.folder, self.split = folder, split
        self.docbin: NerDocBin | None = new_docbin()
        self.conll = folder.create(f"{split}.conll")
        self.jsonl = folder.create(f"{split}.jsonl")
        self.documents = 0
        self.articles: set = set()
        self.spans: Counter = Counter()

    def add(self, gold: Document, sdoc: Doc) -> None:
        """Add one gold document to the split's training files.

        gold (Document): The gold document.
        sdoc (Doc): Its spaCy Doc, ``ents`` set to the gold spans.
        """
        if self.docbin is None:
            raise ValueError(f"split {self.split} is closed")
        self.docbin.add(sdoc)
        tokens, tags = iob_tokens(sdoc, gold.text)
        write_conll_document(self.conll, tokens, tags)
        self.jsonl.write(json_line(hf_record(gold, tokens, tags)))
        self.documents += 1
        self.articles.add((gold.source, gold.article))
        self.spans.update(s.label for s in gold.spans)

    def close(self) -> dict:
        """Finish the split's files (the DocBin is serialised now).

        RETURNS (dict): The split's counts: documents, articles, spans per label.
        """
        self.folder.close(self.conll)
        self.folder.close(self.jsonl)
        if self.docbin is not None:
            self.folder.write_bytes(f"{self.split}.spacy", self.docbin.to_bytes())
        self.docbin = None
        return {"documents": self.documents, "articles": len(self.articles), "spans": dict(sorted(self.spans.items()))}

    def abandon(self) -> None:
        """Close the split's files without finishing them (the version is not written)."""
        for fh in (self.conll, self.jsonl):
            fh.fh.close()


@dataclass
class Written:
    """What a version's pass over the documents wrote: the content key and the splits' counts."""

    content_key: str  # sha256 of gold, conflicts, left-out, splits, settings and schema
    split_counts: dict


class VersionWriter:
    """The files of a version, written one outcome at a time (gold, conflicts, left-out, conflicted, training files).

    folder (FolderWriter): The version folder being built.
    splits (dict[str, list[str]]): Split name to document ids.
    """

    def __init__(self, folder: FolderWriter, splits: dict[str, list[str]]):
        self.folder, self.splits = folder, splits
        self.split_of = {doc_id: split for split in SPLITS for doc_id in splits[split]}
        self.gold = folder.create("gold.jsonl")
        self.conflicts = folder.create("conflicts.jsonl")
        self.left_out = folder.create("left_out.jsonl")
        self.conflicted = folder.create(CONFLICTED)
        self.training_files = {split: SplitWriter(folder, split) for split in SPLITS}

    def add(self, outcome: Outcome) -> None:
        """Write one document's outcome to the files it belongs in.

        outcome (Outcome): The document's outcome.
        RAISES (InternalError): A gold document is in no split (E112).
        """
        for conflict in outcome.conflicts:
            self.conflicts.write(json_line(conflict))
        if outcome.gold is None:
            self.left_out.write(json_line(outcome.left_out))
            return
        if outcome.conflicts:
            self.conflicted.write(json_line(conflicted_record(outcome)))
        split = self.split_of.get(outcome.gold.id)
        if split is None:
            raise InternalError(Errors.E112.format(doc_id=outcome.gold.id))
        self.gold.write(json_line(gold_record(outcome.gold)))
        self.training_files[split].add(outcome.gold, outcome.sdoc)

    def close(self, settings: dict, schema: dict | None) -> Written:
        """Finish the files and write ``splits.json``; the content key of what was written.

        settings (dict): The compile settings (part of the content key).
        schema (dict | None): The pull's schema (a new schema version is a new corpus version, gold or not).
        RETURNS (Written): The content key and each split's counts.
        """
        parts = [self.gold, self.conflicts, self.left_out]
        for fh in (*parts, self.conflicted):
            self.folder.close(fh)
        split_counts = {split: self.training_files[split].close() for split in SPLITS}
        splits_bytes = json_bytes(self.splits)
        self.folder.write_bytes("splits.json", splits_bytes)
        content = hashlib.sha256()
        for digest in (
            *(f.digest() for f in parts),
            *(hashlib.sha256(b).digest() for b in (splits_bytes, json_bytes(settings), json_bytes(schema))),
        ):
            content.update(digest)
        return Written(content.hexdigest(), split_counts)

    def abandon(self) -> None:
        """Close every open file without finishing it (an error: the version is not written)."""
        for fh in (self.gold, self.conflicts, self.left_out, self.conflicted):
            fh.fh.close()
        for writer in self.training_files.values():
            writer.abandon()


def manifest(
    pull: Pull,
    name: str,
    version: int,
    strategy: Strategy,
    settings: dict,
    state: CompileState,
    written: Written,
    hashes: dict[str, str],
    created_at: str,
) -> dict:
    """A version's ``manifest.json``: what it was compiled from and how, its counts, agreement and checksums.

    pull (Pull): The pull compiled.
    name (str): The corpus name.
    version (int): The version number.
    strategy (Strategy): The adjudication strategy.
    settings (dict): The compile settings.
    state (CompileState): The compile's counts.
    written (Written): The content key and the splits' counts.
    hashes (dict[str, str]): Every other file's sha256.
    created_at (str): The time stamp (ISO 8601).
    RETURNS (dict): The manifest.
    """
    summary = pull.summary
    models = sorted({f"{o.model.name} {o.model.version}".strip() for o in pull.outlines() if o.model})
    report = state.agreement.report().to_dict()
    agreement = {
        k: report[k] for k in ("n_documents", "annotators", "krippendorff_alpha", "fleiss_kappa", "fleiss_n_documents")
    }
    agreement["mean_pairwise_f1_strict"] = _mean([p["f1_strict"] for p in report["pairwise"]])
    agreement["per_label_f1_strict"] = {k: v["f1_strict"] for k, v in report["per_label"].items()}
    raw = summary.get("raw_export") or {}
    return {
        "name": name,
        "version": version,
        "created_at": created_at,
        "annotate_version": __version__,
        "source": {
            "pull": str(pull.path) if pull.path else None,
            "origin": summary.get("origin"),
            "raw_exports": [raw["sha256"]] if raw.get("sha256") else [],
        },
        "schema": summary.get("schema"),
        "labels": pull.labels,
        "strategy": str(strategy),
        "settings": settings,
        "preannotation_models": models,
        "content_sha256": written.content_key,
        "counts": {
            "documents": len(state.gold_spans),
            "spans": sum(state.spans_per_label.values()),
            "spans_per_label": dict(sorted(state.spans_per_label.items())),
            "splits": written.split_counts,
            "conflicts": sum(state.conflicts_by_reason.values()),
            "conflicts_by_reason": dict(sorted(state.conflicts_by_reason.items())),
            "left_out": state.left_out,
            "accounting": state.accounting.to_dict(),
            "whitespace_trimmed": {
                "spans": sum(state.trimmed.values()),
                "spans_per_label": dict(sorted(state.trimmed.items())),
            },
            "token_splits": {
                "spans": sum(state.split.values()),
                "documents": state.split_documents,
                "spans_per_label": dict(sorted(state.split.items())),
            },
        },
        "agreement": agreement,
        "anchoring": {**state.anchoring.report(), "pre_annotated_documents": state.pre_annotated},
        "files": dict(sorted((k, v) for k, v in hashes.items() if k != MANIFEST)),
    }


def now() -> str:
    """The current UTC time, as manifests stamp it.

    RETURNS (str): ISO 8601, to the second.
    """
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def schema_change(before: dict | None, now: dict | None) -> list[str]:
    """A CHANGES.md note when the schema differs from the previous version's.

    before (dict | None): The previous version's schema (name, version, hash).
    now (dict | None): This version's.
    RETURNS (list[str]): The note, or nothing.
    """
    if not before or not now or (before.get("version"), before.get("hash")) == (now.get("version"), now.get("hash")):
        return []
    return [
        f"Schema {before.get('name')} v{before.get('version')} → {now.get('name')} v{now.get('version')} (labels "
        "or their guidelines changed; see schemas/GUIDELINES.md)."
    ]


def _mean(values: list) -> float | None:
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None
