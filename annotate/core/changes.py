"""What changed between two corpus versions' gold documents, per label. Pure.

EXAMPLE:
    >>> changes = diff_gold({"d1": [Span(0, 3, "PER")]}, {"d1": [Span(0, 3, "ORG")], "d2": []})
    >>> changes.added_documents, dict(changes.relabelled)
    (['d2'], {('PER', 'ORG'): 1})
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from annotate.core.spans import Span


@dataclass
class Changes:
    """The differences between two versions' gold.

    added_documents (list[str]): Documents only in the new version.
    removed_documents (list[str]): Documents only in the old one.
    spans_added (Counter): Label to spans added.
    spans_removed (Counter): Label to spans removed.
    relabelled (Counter): ``(old label, new label)`` to spans kept with the same boundaries and another label.
    changed_documents (list[str]): Documents in both whose spans differ.
    """

    added_documents: list[str] = field(default_factory=list)
    removed_documents: list[str] = field(default_factory=list)
    spans_added: Counter = field(default_factory=Counter)  # label -> count
    spans_removed: Counter = field(default_factory=Counter)
    relabelled: Counter = field(default_factory=Counter)  # (old label, new label) -> count
    changed_documents: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """True when nothing changed."""
        return not (self.added_documents or self.removed_documents or self.changed_documents)


def diff_gold(old: Mapping[str, Sequence[Span]], new: Mapping[str, Sequence[Span]]) -> Changes:
    """Changes from one version's gold to the next.

    Documents only on one side count as added/removed (their spans too); a span kept with the same
    boundaries and another label is relabelled.

    old (Mapping[str, Sequence[Span]]): The old gold, doc id to spans.
    new (Mapping[str, Sequence[Span]]): The new gold, doc id to spans.
    RETURNS (Changes): What changed.
    """
    changes = Changes()
    for doc_id in new:
        if doc_id not in old:
            changes.added_documents.append(doc_id)
            changes.spans_added.update(s.label for s in new[doc_id])
    for doc_id in old:
        if doc_id not in new:
            changes.removed_documents.append(doc_id)
            changes.spans_removed.update(s.label for s in old[doc_id])
    for doc_id in new:
        if doc_id not in old:
            continue
        before, after = set(old[doc_id]), set(new[doc_id])
        if before == after:
            continue
        changes.changed_documents.append(doc_id)
        gone, came = before - after, after - before
        by_bounds = {(s.start, s.end): s for s in came}
        for span in sorted(gone):
            twin = by_bounds.pop((span.start, span.end), None)
            if twin is not None:
                changes.relabelled[(span.label, twin.label)] += 1
                came.discard(twin)
            else:
                changes.spans_removed[span.label] += 1
        changes.spans_added.update(s.label for s in came)
    return changes


def changes_markdown(changes: Changes, name: str, version: int, previous: int | None, notes: Sequence[str] = ()) -> str:
    """The CHANGES.md of a version.

    changes (Changes): Against the previous version (everything added for a first version).
    name (str): The corpus name.
    version (int): The version number.
    previous (int | None): The previous version's number; None for a first version.
    notes (Sequence[str]): Notes to put first, one bullet each (such as what an adjudication settled).
    RETURNS (str): The Markdown text.

    EXAMPLE:
        >>> print(changes_markdown(diff_gold({}, {"d1": [Span(0, 3, "PER")]}), "news", 1, None), end="")
        # news v1
        <BLANKLINE>
        First version.
        <BLANKLINE>
        - 1 documents
        - 1 gold spans
          - PER: 1
    """
    lines = [f"# {name} v{version}", ""]
    if notes:
        lines += [f"- {note}" for note in notes] + [""]
    if previous is None:
        lines += [
            "First version.",
            "",
            f"- {len(changes.added_documents)} documents",
            f"- {sum(changes.spans_added.values())} gold spans",
        ]
        for label, n in sorted(changes.spans_added.items()):
            lines.append(f"  - {label}: {n}")
        return "\n".join(lines) + "\n"
    lines += [
        f"Changes against v{previous}.",
        "",
        f"- documents added: {len(changes.added_documents)}",
        f"- documents removed: {len(changes.removed_documents)}",
        f"- documents with changed spans: {len(changes.changed_documents)}",
        "",
        "| label | spans added | spans removed | relabelled from | relabelled to |",
        "|---|---:|---:|---:|---:|",
    ]
    labels = sorted(
        set(changes.spans_added)
        | set(changes.spans_removed)
        | {a for a, _ in changes.relabelled}
        | {b for _, b in changes.relabelled}
    )
    for label in labels:
        out_of = sum(n for (a, _), n in changes.relabelled.items() if a == label)
        into = sum(n for (_, b), n in changes.relabelled.items() if b == label)
        lines.append(f"| {label} | {changes.spans_added[label]} | {changes.spans_removed[label]} | {out_of} | {into} |")
    if changes.relabelled:
        lines += ["", "Relabelled spans:"]
        for (a, b), n in sorted(changes.relabelled.items()):
            lines.append(f"- {a} → {b}: {n}")
    for title, ids in (("Added documents", changes.added_documents), ("Removed documents", changes.removed_documents)):
        if ids:
            lines += ["", f"{title}: " + ", ".join(ids)]
    return "\n".join(lines) + "\n"
