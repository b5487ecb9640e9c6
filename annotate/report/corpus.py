"""The report of a corpus version: agreement it came from, counts, manifest, changes, anchoring, conflicts.

:func:`corpus_figures` gathers what the report shows from the version's manifest, changes, gold and
conflicts into a :class:`CorpusFigures`; :func:`render_corpus` turns that into the HTML page;
:func:`corpus_report` does both.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from annotate.core.documents import Document
from annotate.core.spans import Span
from annotate.report.figures import AgreementFigures, SpanCard, readings
from annotate.report.render import colours_for, render

UNATTRIBUTED = "(unattributed)"  # the reader of a conflicting span no annotator is recorded for


@dataclass(frozen=True)
class CountRow:
    """One row of the counts table.

    name (str): A label, "documents" or "stories".
    per_split (list[int]): The count in each split, in the manifest's order.
    total (int | None): The count over all splits (None: not shown).
    """

    name: str
    per_split: list[int]
    total: int | None


@dataclass(frozen=True)
class Conflict:
    """A document whose conflict the adjudication strategy could not settle.

    card (SpanCard): The document with its gold spans and each annotator's conflicting spans.
    reasons (list[str]): Why its spans conflict, sorted.
    """

    card: SpanCard
    reasons: list[str]


@dataclass(frozen=True)
class CorpusFigures:
    """Everything the corpus version report shows.

    name (str): The corpus name.
    version (int): The version number.
    created_at (str): When the version was compiled.
    labels (list[str]): The corpus labels.
    headline (AgreementFigures): Agreement of the annotations the version came from.
    splits (list[str]): The split names, in the manifest's order.
    counts (list[CountRow]): Spans per label, then documents and stories, per split.
    n_conflicts (int): Conflicts found while compiling.
    left_out (int): Documents left out.
    manifest (list[tuple[str, str]]): The provenance fields shown, as text.
    changes (str): The version's CHANGES.md.
    anchoring (dict | None): The manifest's anchoring report.
    conflicts (list[Conflict]): The unsettled conflicts, in the order of conflicts.jsonl.
    annotators (list[str]): Every annotator of a conflict, sorted (the annotator filter).
    """

    name: str
    version: int
    created_at: str
    labels: list[str]
    headline: AgreementFigures
    splits: list[str]
    counts: list[CountRow]
    n_conflicts: int
    left_out: int
    manifest: list[tuple[str, str]]
    changes: str
    anchoring: dict | None
    conflicts: list[Conflict]
    annotators: list[str]


def _conflicts(gold: Sequence[Document], conflicts: Sequence[Mapping[str, Any]]) -> list[Conflict]:
    texts = {d.id: d for d in gold}
    by_doc: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for c in conflicts:
        by_doc[c["doc_id"]].append(c)
    found = []
    for doc_id, items in by_doc.items():
        doc = texts.get(doc_id)
        if doc is None:
            continue
        by_who: dict[str, list[Span]] = defaultdict(list)
        for c in items:
            for s in c["spans"]:
                for who in s["annotators"] or [UNATTRIBUTED]:
                    by_who[who].append(Span(s["start"], s["end"], s["label"]))
        card = SpanCard(doc, readings([("gold", doc.spans), *sorted(by_who.items())]))
        found.append(Conflict(card, sorted({c["reason"] for c in items})))
    return found


def corpus_figures(
    manifest: Mapping[str, Any], changes_md: str, gold: Sequence[Document], conflicts: Sequence[Mapping[str, Any]]
) -> CorpusFigures:
    """The figures of a corpus version's report.

    manifest (Mapping[str, Any]): The version's manifest.json.
    changes_md (str): The version's CHANGES.md.
    gold (Sequence[Document]): The version's gold documents.
    conflicts (Sequence[Mapping[str, Any]]): The version's conflicts.jsonl records.
    RETURNS (CorpusFigures): What the report shows.
    """
    labels = list(manifest["labels"])
    counts = manifest["counts"]
    splits = counts["splits"]
    a = manifest.get("agreement") or {}
    rows = [
        CountRow(label, [splits[s]["spans"].get(label, 0) for s in splits], counts["spans_per_label"].get(label, 0))
        for label in labels
    ]
    rows.append(CountRow("documents", [splits[s]["documents"] for s in splits], counts["documents"]))
    rows.append(CountRow("stories", [splits[s]["articles"] for s in splits], None))
    found = _conflicts(gold, conflicts)
    provenance = [
        ("raw exports", ", ".join(manifest["source"]["raw_exports"]) or "-"),
        ("schema", json.dumps(manifest.get("schema"))),
        ("strategy", manifest["strategy"]),
        ("pre-annotation", ", ".join(manifest.get("preannotation_models") or []) or "-"),
        ("content sha256", manifest["content_sha256"]),
        ("files", str(len(manifest["files"]))),
    ]
    return CorpusFigures(
        name=manifest["name"],
        version=manifest["version"],
        created_at=manifest["created_at"],
        labels=labels,
        headline=AgreementFigures(a.get("krippendorff_alpha"), a.get("fleiss_kappa"), a.get("mean_pairwise_f1_strict")),
        splits=list(splits),
        counts=rows,
        n_conflicts=counts["conflicts"],
        left_out=counts["left_out"],
        manifest=provenance,
        changes=changes_md,
        anchoring=manifest.get("anchoring"),
        conflicts=found,
        annotators=sorted({who for c in found for who in c.card.readers[1:]}),
    )


def render_corpus(figures: CorpusFigures, schema_colours: dict[str, str] | None = None) -> str:
    """The corpus version report as one self-contained HTML page.

    figures (CorpusFigures): What the report shows (:func:`corpus_figures`).
    schema_colours (dict[str, str] | None): Label name to CSS colour, from the schema.
    RETURNS (str): The HTML page.
    """
    return render("corpus.html.j2", f=figures, colours=colours_for(figures.labels, schema_colours))


def corpus_report(
    manifest: dict,
    changes_md: str,
    gold: list[Document],
    conflicts: list[dict],
    schema_colours: dict[str, str] | None = None,
) -> str:
    """The report of a corpus version: its counts, manifest, changes, anchoring and unsettled conflicts.

    manifest (dict): The version's manifest.json.
    changes_md (str): The version's CHANGES.md.
    gold (list[Document]): The version's gold documents.
    conflicts (list[dict]): The version's conflicts.jsonl records.
    schema_colours (dict[str, str] | None): Label name to CSS colour, from the schema.
    RETURNS (str): The HTML page.
    """
    return render_corpus(corpus_figures(manifest, changes_md, gold, conflicts), schema_colours)
