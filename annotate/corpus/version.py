"""Corpus versions: compile a pull into ``corpus/NAME/vN/``, immutable once written.

A version folder holds ``gold.jsonl``, ``conflicts.jsonl``, ``left_out.jsonl``,
``splits.json``, per split ``SPLIT.spacy`` (DocBin), ``SPLIT.conll`` (IOB2) and
``SPLIT.jsonl`` (Hugging Face ``datasets`` JSON), ``conflicted_documents.jsonl`` (every
document with a conflict, with each annotator's version: what ``annotate adjudicate
push`` sends to Label Studio), ``manifest.json`` and ``CHANGES.md``. It is built in a temp folder and renamed into place at the end,
its files are made read-only, and ``manifest.json`` records the sha256 of every
other file so that :func:`verify` can prove nothing changed.

Compiling from a source that gives the same content as the latest version
writes nothing ("no change"); the content key is the sha256 of the gold, the
conflicts, the left-out list, the splits, the compile settings and the schema.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

from spacy.tokens import Doc

from annotate import __version__
from annotate.io import files
from annotate.io.gc import collector_skips_existing
from annotate.core.adjudication import Decision, Strategy, adjudicate, decisions_from
from annotate.core.agreement import AgreementReport, AgreementTally
from annotate.core.alignment import blank_pipeline, token_labels_by_annotator
from annotate.core.anchoring import AnchoringTally
from annotate.core.changes import changes_markdown, diff_gold
from annotate.core.documents import Document
from annotate.errors import AnnotateError, Errors, InvalidInputError, NotFoundError
from annotate.corpus.formats import hf_record, iob_tokens, new_docbin, write_conll_document
from annotate.corpus.pull import ByDocument, Pull, by_document
from annotate.core.spans import Span
from annotate.core.splits import SPLITS, split_by_article
from annotate.labelstudio.tasks import ADJUDICATING_KEY

CORPUS_ROOT = Path("corpus")
MANIFEST = "manifest.json"
CONFLICTED = "conflicted_documents.jsonl"
_VERSION = re.compile(r"^v(\d+)$")


@dataclass
class CompileResult:
    path: Path
    version: int
    created: bool  # False: no change, ``version`` is the current one
    manifest: dict


# --- pure part: gold from a pull ---------------------------------------------

@dataclass
class Gold:
    documents: list[Document]  # gold documents, spans aligned, sorted by (source, paragraph)
    conflicts: list[dict]
    left_out: list[dict]
    accounting: dict  # every annotator's kept span: in gold, in a conflict, outvoted, or in a left-out document

    @property
    def balanced(self) -> bool:
        a = self.accounting
        return a["kept_spans"] == a["in_gold"] + a["in_conflicts"] + a["outvoted"] + a["in_left_out"]


@dataclass
class Outcome:
    """What compile decided for one document (see :func:`iter_gold`)."""

    document: Document  # the pull's document
    records: list  # its annotators' kept records (what agreement compares)
    submitted: list  # those and the empty submissions (as "no entities" records), if they count
    sdoc: Doc | None  # its spaCy Doc (tokenised once), gold entities set when it is in the gold
    gold: Document | None  # the gold document, or None when left out
    conflicts: list[dict]
    left_out: dict | None


def iter_gold(pull: Pull, strategy: Strategy, min_annotators: int, nlp, accounting: dict,
              empty_means_none: bool = True, grouped: ByDocument | None = None,
              decisions: Mapping[str, Any] | None = None) -> Iterator[Outcome]:
    """Adjudicate the documents of a pull one at a time, in gold order; align gold spans to spaCy tokens.

    Each document is tokenised once (``nlp.make_doc``); its Doc comes with the
    outcome so that exports and agreement need no second pass. ``accounting``
    (a dict of the five counters of :attr:`Gold.accounting`) is updated as it goes.

    With ``empty_means_none`` (the default) a submitted annotation without any
    span counts as that annotator saying "no entities here" (the pull keeps
    such submissions apart, and ``agree`` leaves them out; a corpus needs its
    paragraphs without entities). Cancelled (skipped) annotations never count.
    ``grouped``: the pull by document (:func:`~annotate.pull.by_document`), if the caller has it. ``decisions``: the
    adjudicator's record per document (strategy ``adjudicated``).
    """
    decisions = decisions or {}
    source = grouped or by_document(pull, empty_means_none)
    groups = source.groups()
    pending = next(groups, None)
    for doc in source.documents():
        kept: list = []
        if pending is not None and pending[0] == doc.id:
            kept, pending = pending[1], next(groups, None)
        records = kept + source.empty.get(doc.id, [])
        marks = [span for r in records for span in r.spans]
        accounting["kept_spans"] += len(marks)
        sdoc = nlp.make_doc(doc.text) if records else None
        if len(records) < min_annotators or not records:
            accounting["in_left_out"] += len(marks)
            yield Outcome(doc, kept, records, sdoc, None, [], {
                "doc_id": doc.id, "annotations": len(records),
                "reason": f"{len(records)} annotations, fewer than {max(min_annotators, 1)}"})
            continue
        decision: Decision = adjudicate(doc.id, records, strategy, decisions.get(doc.id))
        mine = [c.to_dict(doc.text) for c in decision.conflicts]  # this document's conflicts
        aligned, ents = [], []
        for span in decision.spans:
            ent = sdoc.char_span(span.start, span.end, label=span.label)
            if ent is None:
                who = sorted(r.annotator for r in records if span in r.spans)  # not in the file's order
                mine.append({"doc_id": doc.id, "reason": "misaligned",
                             "spans": [{**span.to_dict(), "text": doc.text[span.start:span.end],
                                        "annotators": who}]})
            else:
                aligned.append(span)
                ents.append(ent)
        sdoc.ents = ents
        disputed = {Span(s["start"], s["end"], s["label"]) for c in mine for s in c["spans"]}
        gold_set = set(aligned)
        for span in marks:
            key = "in_gold" if span in gold_set else "in_conflicts" if span in disputed else "outvoted"
            accounting[key] += 1
        meta = {"annotators": list(decision.annotators), "decided_by": decision.decided_by, "conflicts": len(mine)}
        gold = Document(doc.id, doc.text, doc.source, doc.article, doc.paragraph, doc.offset,
                        spans=tuple(aligned), extra_meta=meta)
        yield Outcome(doc, kept, records, sdoc, gold, mine, None)
    assert pending is None, f"records of {pending[0]} left over"  # a bug if the groups and documents disagree


def _conflicted_record(outcome: Outcome) -> dict:
    """A document with conflicts, with every annotator's version (input of ``annotate adjudicate push``)."""
    record = gold_record(outcome.gold)
    record["annotations"] = [{"annotator": r.annotator, "spans": [s.to_dict() for s in r.spans]}
                             for r in sorted(outcome.submitted, key=lambda r: r.annotator)]
    record["conflicts"] = outcome.conflicts
    return record


def read_conflicted(folder: Path) -> list[tuple[Document, dict[str, tuple[Span, ...]]]]:
    """The conflicted documents of a version: ``(gold document, {annotator: spans})`` each."""
    path = folder / CONFLICTED
    if not path.is_file():
        raise NotFoundError(Errors.E090.format(path=folder))
    out = []
    for _, record in files.read_jsonl(path, producer="compile"):
        versions = {a["annotator"]: tuple(Span.from_dict(s) for s in a["spans"]) for a in record["annotations"]}
        out.append((gold_from_record({k: record[k] for k in ("id", "text", "spans", "meta")}), versions))
    return out


def _adjudication(adjudication: Pull | None, pull: Pull, strategy: Strategy, root: Path) -> tuple[dict, dict]:
    """The adjudicator's decisions, and what the manifest says about them (empty without an adjudication)."""
    if strategy.name != "adjudicated" or adjudication is None:
        return {}, {}
    known = {o.id for o in pull.outlines()}
    everything = decisions_from(adjudication.submitted())
    decisions = {doc_id: record for doc_id, record in everything.items() if doc_id in known}
    if not decisions:
        raise InvalidInputError(Errors.E093.format(path=adjudication.path or "the adjudication pull",
                                               source=pull.path or "the pull"))
    specs = sorted({d.extra_meta.get(ADJUDICATING_KEY) for d in adjudication.documents} - {None})
    settled = 0
    for spec in specs:  # the conflicts of the adjudicated version(s) that a decision now settles
        try:
            folder = resolve(spec, root)
        except AnnotateError:
            continue
        for _, conflict in files.read_jsonl(folder / "conflicts.jsonl", producer="compile"):
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
    info["note"] = (f"Adjudicated: {len(decisions)} documents decided by {who}"
                    + (f", settling {settled} conflicts of {', '.join(specs)}" if specs else "") + ".")
    return decisions, info


def _new_accounting() -> dict:
    return dict.fromkeys(("kept_spans", "in_gold", "in_conflicts", "outvoted", "in_left_out"), 0)


def build_gold(pull: Pull, strategy: Strategy, min_annotators: int, lang: str, empty_means_none: bool = True) -> Gold:
    """Adjudicate every document of a pull; align gold spans to spaCy tokens (all in memory; see :func:`iter_gold`)."""
    accounting = _new_accounting()
    documents, conflicts, left_out = [], [], []
    for outcome in iter_gold(pull, strategy, min_annotators, blank_pipeline(lang), accounting, empty_means_none):
        conflicts.extend(outcome.conflicts)
        if outcome.gold is None:
            left_out.append(outcome.left_out)
        else:
            documents.append(outcome.gold)
    gold = Gold(documents, conflicts, left_out, accounting)
    assert gold.balanced, accounting  # every kept span is accounted for: a bug if not
    return gold


def gold_record(doc: Document) -> dict:
    meta = {"source": doc.source, "article": doc.article, "paragraph": doc.paragraph, "offset": doc.offset}
    meta.update(doc.extra_meta)
    return {"id": doc.id, "text": doc.text, "spans": [s.to_dict() for s in doc.spans], "meta": meta}


def gold_from_record(record: dict) -> Document:
    meta = dict(record["meta"])
    known = {k: meta.pop(k) for k in ("source", "article", "paragraph", "offset")}
    return Document(id=record["id"], text=record["text"], spans=tuple(Span.from_dict(s) for s in record["spans"]),
                    extra_meta=meta, **known)


# --- versions on disk --------------------------------------------------------

def versions(corpus_dir: Path) -> list[int]:
    if not corpus_dir.is_dir():
        return []
    return sorted(int(m.group(1)) for p in corpus_dir.iterdir() if p.is_dir() and (m := _VERSION.match(p.name)))


def resolve(spec: str | Path, root: Path = CORPUS_ROOT) -> Path:
    """A version folder from ``NAME``, ``NAME/vN``, ``NAME@vN``, ``NAME@latest`` or a folder path."""
    path = Path(spec)
    if (path / MANIFEST).is_file():
        return path
    text = str(spec).replace("@", "/")
    name, _, version = text.partition("/")
    corpus_dir = root / name
    found = versions(corpus_dir)
    if not found:
        names = ", ".join(sorted(p.name for p in root.iterdir() if p.is_dir())) if root.is_dir() else ""
        raise NotFoundError(Errors.E082.format(spec=str(spec), root=root, names=names or "none"))
    if version in ("", "latest"):
        return corpus_dir / f"v{found[-1]}"
    match = _VERSION.match(version)
    if not match or int(match.group(1)) not in found:
        raise NotFoundError(Errors.E082.format(spec=str(spec), root=root,
                                               names=", ".join(f"{name}/v{v}" for v in found)))
    return corpus_dir / version


def read_gold(path: Path) -> list[Document]:
    return [gold_from_record(r) for _, r in files.read_jsonl(path, producer="compile")]


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _json_bytes(value) -> bytes:
    return (json.dumps(value, indent=2, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8")


def compile_corpus(pull: Pull, name: str, strategy: Strategy, min_annotators: int = 1,
                   ratios: Sequence[float] = (0.8, 0.1, 0.1), seed: int = 0, lang: str = "en",
                   root: Path = CORPUS_ROOT, empty_means_none: bool = True,
                   adjudication: Pull | None = None) -> CompileResult:
    """Write the next version of corpus ``name`` from a pull, or report that nothing changed.

    ``adjudication``: the pull of an adjudication project (strategy ``adjudicated``): its
    decisions settle the documents they cover, recorded in the manifest and CHANGES.md.

    One pass over the documents: each is adjudicated, tokenised once, and
    written to the gold, its split's exports and the agreement tally as it
    comes, so memory does not grow with the documents' spaCy Docs.
    """
    with collector_skips_existing():  # the pull's objects are many and long-lived: collections skip them
        return _compile(pull, name, strategy, min_annotators, ratios, seed, lang, root, empty_means_none, adjudication)


def _compile(pull: Pull, name: str, strategy: Strategy, min_annotators: int, ratios: Sequence[float], seed: int,
             lang: str, root: Path, empty_means_none: bool, adjudication: Pull | None) -> CompileResult:
    decisions, adjudicated = _adjudication(adjudication, pull, strategy, root)
    grouped = by_document(pull, empty_means_none)
    included = [o for o in grouped.outline if grouped.submitted(o.id) >= max(min_annotators, 1)]
    if not included:
        raise InvalidInputError(Errors.E084.format(source=pull.path or "the source", k=max(min_annotators, 1),
                                               left=len(grouped.outline)))
    splits = split_by_article(((d.id, d.source, d.article) for d in included), ratios, seed)
    del included
    settings = {"strategy": str(strategy), "min_annotators": min_annotators, "ratios": list(ratios), "seed": seed,
                "lang": lang, "empty_means_none": empty_means_none}
    corpus_dir = root / name
    corpus_dir.mkdir(parents=True, exist_ok=True)
    files.remove_stale_temps(corpus_dir, "version")
    tmp = Path(tempfile.mkdtemp(prefix=files.temp_prefix("version"), dir=corpus_dir))
    try:
        os.chmod(tmp, files.default_mode(directory=True))
        built = _write_version(tmp, pull, strategy, min_annotators, splits, settings, empty_means_none, grouped,
                               decisions)
        existing = versions(corpus_dir)
        previous = existing[-1] if existing else None
        latest = json.loads((corpus_dir / f"v{previous}" / MANIFEST).read_text(encoding="utf-8")) if previous else {}
        if latest.get("content_sha256") == built.content_key:
            files.remove_tree(tmp)
            return CompileResult(corpus_dir / f"v{previous}", previous, False, latest)
        version = (previous or 0) + 1
        old_gold = {d.id: d.spans for d in read_gold(corpus_dir / f"v{previous}" / "gold.jsonl")} if previous else {}
        changes = diff_gold(old_gold, built.gold_spans)
        notes = [adjudicated["note"]] if adjudicated else []
        notes += _schema_change(latest.get("schema"), pull.summary.get("schema"))
        (tmp / "CHANGES.md").write_text(changes_markdown(changes, name, version, previous, notes), encoding="utf-8")
        manifest = _manifest(pull, name, version, strategy, settings, built, tmp)
        if adjudicated:
            manifest["adjudication"] = {k: v for k, v in adjudicated.items() if k != "note"}
        (tmp / MANIFEST).write_bytes(_json_bytes(manifest))
        for path in tmp.iterdir():
            os.chmod(path, 0o444)
        final = corpus_dir / f"v{version}"
        os.rename(tmp, final)  # fails if a concurrent compile took this number: nothing is overwritten
    except BaseException:
        files.remove_tree(tmp, ignore_errors=True)
        raise
    return CompileResult(final, version, True, manifest)


def _schema_change(before: dict | None, now: dict | None) -> list[str]:
    """A CHANGES.md note when the schema differs from the previous version's."""
    if not before or not now or (before.get("version"), before.get("hash")) == (now.get("version"), now.get("hash")):
        return []
    return [f"Schema {before.get('name')} v{before.get('version')} → {now.get('name')} v{now.get('version')} (labels "
            "or their guidelines changed; see schemas/GUIDELINES.md)."]


def _json_line(record: dict) -> bytes:
    return (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


class _HashedFile:
    """A binary file written piece by piece, hashing what it writes."""

    def __init__(self, path: Path):
        self.fh = open(path, "wb")
        self.digest = hashlib.sha256()

    def write(self, data: bytes) -> None:
        self.digest.update(data)
        self.fh.write(data)

    def close(self) -> bytes:
        self.fh.close()
        return self.digest.digest()


@dataclass
class _Built:
    """What one pass over the documents wrote and counted."""

    content_key: str
    spans_per_label: Counter
    conflicts_by_reason: Counter
    left_out: int
    accounting: dict
    split_counts: dict
    agreement: AgreementReport
    anchoring: dict  # see annotate.anchoring
    gold_spans: dict[str, tuple[Span, ...]]  # doc id -> gold spans (for CHANGES.md)


def _write_version(folder: Path, pull: Pull, strategy: Strategy, min_annotators: int, splits: dict,
                   settings: dict, empty_means_none: bool, grouped: ByDocument,
                   decisions: Mapping[str, Any] | None = None) -> _Built:
    """gold, conflicts, left-out, splits and the per-split exports, in one pass over the documents."""
    nlp = blank_pipeline(settings["lang"])
    split_of = {doc_id: split for split in SPLITS for doc_id in splits[split]}
    gold_file, conflicts_file, left_file = (_HashedFile(folder / n) for n in ("gold.jsonl", "conflicts.jsonl",
                                                                               "left_out.jsonl"))
    conflicted = open(folder / CONFLICTED, "w", encoding="utf-8")
    exports = {split: _SplitWriter(folder, split) for split in SPLITS}
    tally = AgreementTally(pull.labels)
    anchoring = AnchoringTally()
    pre_annotated = 0
    accounting = _new_accounting()
    gold_spans: dict[str, tuple[Span, ...]] = {}
    left_out = 0
    spans_per_label: Counter = Counter()
    conflicts_by_reason: Counter = Counter()
    try:
        for outcome in iter_gold(pull, strategy, min_annotators, nlp, accounting, empty_means_none, grouped,
                                 decisions):
            if outcome.records:  # one annotator: a document counted, no tokens to compare
                marked = {r.annotator: r.spans for r in outcome.records}
                tally.add(marked, token_labels_by_annotator(outcome.sdoc, marked) if len(marked) >= 2 else {})
            if outcome.document.model is not None and outcome.submitted:
                pre_annotated += 1
                for r in outcome.submitted:
                    anchoring.add(r.annotator, outcome.document.spans, r.spans,
                                  outcome.gold.spans if outcome.gold is not None else None)
            for conflict in outcome.conflicts:
                conflicts_file.write(_json_line(conflict))
                conflicts_by_reason[conflict["reason"]] += 1
            if outcome.conflicts and outcome.gold is not None:
                conflicted.write(json.dumps(_conflicted_record(outcome), ensure_ascii=False) + "\n")
            if outcome.gold is None:
                left_file.write(_json_line(outcome.left_out))
                left_out += 1
                continue
            gold_spans[outcome.gold.id] = outcome.gold.spans
            spans_per_label.update(s.label for s in outcome.gold.spans)
            gold_file.write(_json_line(gold_record(outcome.gold)))
            exports[split_of[outcome.gold.id]].add(outcome.gold, outcome.sdoc)
        hashes = [f.close() for f in (gold_file, conflicts_file, left_file)]
        split_counts = {split: exports[split].close() for split in SPLITS}
    finally:
        conflicted.close()
        for f in (gold_file, conflicts_file, left_file):
            f.fh.close()
        for writer in exports.values():
            writer.abandon()
    assert sum(accounting[k] for k in ("in_gold", "in_conflicts", "outvoted", "in_left_out")) == \
        accounting["kept_spans"], accounting  # every kept span is accounted for: a bug if not
    splits_bytes = _json_bytes(splits)
    (folder / "splits.json").write_bytes(splits_bytes)
    content = hashlib.sha256()
    schema = _json_bytes(pull.summary.get("schema"))  # a new schema version is a new corpus version, gold or not
    for digest in (*hashes, *(hashlib.sha256(b).digest() for b in (splits_bytes, _json_bytes(settings), schema))):
        content.update(digest)
    return _Built(content.hexdigest(), spans_per_label, conflicts_by_reason, left_out, accounting,
                  split_counts, tally.report(), {**anchoring.report(), "pre_annotated_documents": pre_annotated},
                  gold_spans)


class _SplitWriter:
    """One split's exports written as documents come: DocBin (kept until the end), CoNLL and JSONL lines."""

    def __init__(self, folder: Path, split: str):
        self.folder, self.split = folder, split
        self.docbin = new_docbin()
        self.conll = open(folder / f"{split}.conll", "w", encoding="utf-8")
        self.jsonl = open(folder / f"{split}.jsonl", "w", encoding="utf-8")
        self.documents = 0
        self.articles: set = set()
        self.spans: Counter = Counter()

    def add(self, gold: Document, sdoc: Doc) -> None:
        self.docbin.add(sdoc)
        tokens, tags = iob_tokens(sdoc, gold.text)
        write_conll_document(self.conll, tokens, tags)
        self.jsonl.write(json.dumps(hf_record(gold, tokens, tags), ensure_ascii=False) + "\n")
        self.documents += 1
        self.articles.add((gold.source, gold.article))
        self.spans.update(s.label for s in gold.spans)

    def close(self) -> dict:
        self.conll.close()
        self.jsonl.close()
        (self.folder / f"{self.split}.spacy").write_bytes(self.docbin.to_bytes())
        self.docbin = None
        return {"documents": self.documents, "articles": len(self.articles), "spans": dict(sorted(self.spans.items()))}

    def abandon(self) -> None:
        self.conll.close()
        self.jsonl.close()


def _manifest(pull: Pull, name: str, version: int, strategy: Strategy, settings: dict, built: _Built,
              folder: Path) -> dict:
    summary = pull.summary
    models = sorted({f"{o.model.name} {o.model.version}".strip() for o in pull.outlines() if o.model})
    report = built.agreement.to_dict()
    agreement = {k: report[k] for k in ("n_documents", "annotators", "krippendorff_alpha", "fleiss_kappa",
                                        "fleiss_n_documents")}
    agreement["mean_pairwise_f1_strict"] = _mean([p["f1_strict"] for p in report["pairwise"]])
    agreement["per_label_f1_strict"] = {k: v["f1_strict"] for k, v in report["per_label"].items()}
    raw = summary.get("raw_export") or {}
    file_hashes = {p.name: sha256_file(p) for p in sorted(folder.iterdir()) if p.name != MANIFEST}
    return {
        "name": name,
        "version": version,
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "annotate_version": __version__,
        "source": {"pull": str(pull.path) if pull.path else None, "origin": summary.get("origin"),
                   "raw_exports": [raw["sha256"]] if raw.get("sha256") else []},
        "schema": summary.get("schema"),
        "labels": pull.labels,
        "strategy": str(strategy),
        "settings": settings,
        "preannotation_models": models,
        "content_sha256": built.content_key,
        "counts": {
            "documents": len(built.gold_spans),
            "spans": sum(built.spans_per_label.values()),
            "spans_per_label": dict(sorted(built.spans_per_label.items())),
            "splits": built.split_counts,
            "conflicts": sum(built.conflicts_by_reason.values()),
            "conflicts_by_reason": dict(sorted(built.conflicts_by_reason.items())),
            "left_out": built.left_out,
            "accounting": built.accounting,
        },
        "agreement": agreement,
        "anchoring": built.anchoring,
        "files": file_hashes,
    }


def _mean(values: list) -> float | None:
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


# --- verify, list, show ------------------------------------------------------

def verify(path: Path) -> dict:
    """Recompute every checksum of a version; AnnotateError naming what changed."""
    manifest_path = path / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as err:
        raise InvalidInputError(Errors.E083.format(path=path, problems=f"manifest.json unreadable ({err})")) from None
    problems = []
    expected = manifest.get("files", {})
    for name, sha in sorted(expected.items()):
        file = path / name
        if not file.is_file():
            problems.append(f"{name} is missing")
        elif sha256_file(file) != sha:
            problems.append(f"{name} changed (sha256 differs)")
    extra = sorted(p.name for p in path.iterdir() if p.name != MANIFEST and p.name not in expected)
    problems += [f"{name} was added" for name in extra]
    if problems:
        raise InvalidInputError(Errors.E083.format(path=path, problems="; ".join(problems)))
    return manifest


@dataclass
class CorpusVersion:
    """A compiled corpus version, loaded: its manifest and its gold documents, per split.

    Get one with :func:`load`. Documents are :class:`~annotate.documents.Document` objects
    (``id``, ``text``, ``spans`` as :class:`~annotate.spans.Span`, ``source``, ``article``,
    ``paragraph``, ``offset``; ``extra_meta`` says who annotated and how it was decided).

    Example::

        >>> import annotate.corpus
        >>> news = annotate.corpus.load("news@v3")          # checksums verified
        >>> len(news.train), news.test[0].spans[:1]
        (1520, (Span(start=0, end=6, label='GPE'),))
    """

    path: Path
    manifest: dict
    documents: list[Document]  # every gold document, in gold.jsonl order
    splits: dict[str, list[str]]  # split -> document ids, in splits.json order

    @property
    def name(self) -> str:
        return self.manifest["name"]

    @property
    def version(self) -> int:
        return int(self.manifest["version"])

    def split(self, name: str) -> list[Document]:
        """The documents of one split (``"train"``, ``"dev"``, ``"test"``; ``"all"``: every document).

        Args:
            name: the split.
        Returns:
            The split's documents, in the order of ``splits.json`` (the order of its exports).
        Raises:
            AnnotateError: an unknown split name.
        """
        if name == "all":
            return list(self.documents)
        if name not in self.splits:
            raise NotFoundError(Errors.E097.format(split=name, path=self.path, splits=", ".join(self.splits)))
        by_id = {d.id: d for d in self.documents}
        return [by_id[i] for i in self.splits[name]]

    @property
    def train(self) -> list[Document]:
        return self.split("train")

    @property
    def dev(self) -> list[Document]:
        return self.split("dev")

    @property
    def test(self) -> list[Document]:
        return self.split("test")

    def to_spacy(self, nlp_or_vocab, split: str | None = None) -> Iterator[Doc]:
        """The gold as spaCy ``Doc`` objects with ``ents`` set, read from the version's DocBins.

        Args:
            nlp_or_vocab: a ``Language`` (its vocab is used) or a ``Vocab``.
            split: one split, or None for train, dev and test in that order.
        Yields:
            ``Doc`` objects tokenised as compiled, ``doc.ents`` the gold entities and
            ``doc.user_data["id"]`` the document id.

        Example::

            >>> import spacy
            >>> docs = list(news.to_spacy(spacy.blank("en"), split="dev"))
        """
        from spacy.tokens import DocBin

        vocab = getattr(nlp_or_vocab, "vocab", nlp_or_vocab)
        for name in ([split] if split and split != "all" else list(SPLITS)):
            self.split(name)  # an unknown split name raises here
            ids = self.splits[name]
            docbin = DocBin().from_disk(self.path / f"{name}.spacy")
            for doc_id, doc in zip(ids, docbin.get_docs(vocab)):
                doc.user_data["id"] = doc_id
                yield doc

    def to_hf(self):
        """The version as a Hugging Face ``datasets.DatasetDict`` (``train``, ``dev``, ``test``).

        Each row: ``id``, ``text``, ``tokens``, ``ner_tags`` (IOB2, a ``ClassLabel`` sequence whose
        names are ``O`` then ``B-``/``I-`` of each label in the manifest's order) and ``spans``
        (``start``, ``end``, ``label`` over ``text``). Tokens and tags are the CoNLL export's.
        Needs the optional ``datasets`` package (``pip install 'annotate[hf]'``).

        Example::

            >>> ds = news.to_hf()
            >>> ds["train"].features["ner_tags"].feature.names[:3]
            ['O', 'B-PERSON', 'I-PERSON']
        """
        try:
            import datasets
        except ImportError:
            raise NotFoundError(Errors.E098) from None
        names = ["O"] + [f"{prefix}-{label}" for label in self.manifest["labels"] for prefix in ("B", "I")]
        features = datasets.Features({
            "id": datasets.Value("string"), "text": datasets.Value("string"),
            "tokens": datasets.Sequence(datasets.Value("string")),
            "ner_tags": datasets.Sequence(datasets.ClassLabel(names=names)),
            "spans": [{"start": datasets.Value("int64"), "end": datasets.Value("int64"),
                       "label": datasets.Value("string")}],
        })
        out = {}
        for split in SPLITS:
            rows = [r for _, r in files.read_jsonl(self.path / f"{split}.jsonl", producer="compile")]
            columns = {key: [r[key] for r in rows] for key in ("id", "text", "tokens", "ner_tags", "spans")}
            out[split] = datasets.Dataset.from_dict(columns, features=features)
        return datasets.DatasetDict(out)

    def stats(self) -> dict:
        """The manifest's counts: documents, spans per label, per split, conflicts, left out, accounting."""
        return json.loads(json.dumps(self.manifest["counts"]))


def load(spec: str | Path, root: Path = CORPUS_ROOT, verify_checksums: bool = True) -> CorpusVersion:
    """Load a compiled corpus version for training or evaluation.

    Args:
        spec: ``"NAME"`` or ``"NAME@latest"`` (the newest version), ``"NAME@v3"`` or ``"NAME/v3"``,
            or the path of a version folder.
        root: the folder holding the corpora (default ``corpus/``).
        verify_checksums: recompute every file's sha256 against the manifest first (default).
    Returns:
        A :class:`CorpusVersion`.
    Raises:
        AnnotateError: the version does not exist, or a file changed since it was written
            (the message names the file).

    Example::

        >>> news = load("news@v3")
        >>> news.stats()["documents"]
        1900
    """
    folder = resolve(spec, root)
    manifest = verify(folder) if verify_checksums else json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    splits = json.loads((folder / "splits.json").read_text(encoding="utf-8"))
    return CorpusVersion(folder, manifest, read_gold(folder / "gold.jsonl"), splits)


def list_versions(root: Path = CORPUS_ROOT) -> list[dict]:
    out = []
    if not root.is_dir():
        return out
    for corpus_dir in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for v in versions(corpus_dir):
            manifest = json.loads((corpus_dir / f"v{v}" / MANIFEST).read_text(encoding="utf-8"))
            out.append(manifest)
    return out


def load_gold(spec: str | Path, split: str = "test", root: Path = CORPUS_ROOT) -> tuple[list[Document], list[Document], str]:
    """Gold documents to evaluate against: ``(selected, all_in_source, description)``.

    ``spec`` is a version (folder, ``NAME``, ``NAME/vN``, ``NAME@vN``) whose ``split``
    ("train", "dev", "test" or "all") is taken, or a gold JSONL file (all of it).
    """
    path = Path(spec)
    if path.is_file():
        docs = read_gold(path)
        return docs, docs, str(path)
    try:
        folder = resolve(spec, root)
    except AnnotateError:
        if path.exists() or "/" in str(spec) and not (root / str(spec).split("/")[0]).exists():
            raise InvalidInputError(Errors.E088.format(path=spec)) from None
        raise
    docs = read_gold(folder / "gold.jsonl")
    if split == "all":
        return docs, docs, f"{folder} (all)"
    splits = json.loads((folder / "splits.json").read_text(encoding="utf-8"))
    wanted = set(splits[split])
    selected = [d for d in docs if d.id in wanted]
    if not selected:
        raise InvalidInputError(Errors.E085.format(split=split, path=folder,
                                               articles=len({(d.source, d.article) for d in docs})))
    return selected, docs, f"{folder} ({split})"
