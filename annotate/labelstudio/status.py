"""Progress of a labeling project: how many annotations each task has, per annotator, skipped. Pure.

With overlap K (each task shown to K annotators), a task is complete when it
has K submitted annotations. Cancelled (skipped) annotations and drafts do
not count toward K; they are reported apart.

EXAMPLE:
    >>> from annotate.labelstudio.export import ExportAnnotation
    >>> from annotate.core.documents import Document
    >>> doc = Document("d", "text", "s", 0, 0, 0)
    >>> task = ExportTask(1, doc, [ExportAnnotation("annotation", 1, "ann@x.org", [])])
    >>> progress([task], overlap=2).by_count
    {0: 0, 1: 1, 2: 0}
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from annotate.labelstudio.export import ExportTask


@dataclass
class Progress:
    """Labeling progress of a project.

    tasks (int): Tasks in the project.
    overlap (int): Annotators per task (K).
    by_count (dict[int, int]): Submitted annotations (0..K, K meaning K or more) to tasks.
    per_annotator (dict[str, dict[str, int]]): Per annotator: submitted, skipped, drafts.
    skipped (int): Cancelled (skipped) annotations.
    drafts (int): Drafts.
    """

    tasks: int = 0
    overlap: int = 1
    by_count: dict[int, int] = field(default_factory=dict)
    per_annotator: dict[str, dict[str, int]] = field(default_factory=dict)
    skipped: int = 0
    drafts: int = 0

    @property
    def complete(self) -> int:
        """Tasks with K submitted annotations."""
        return self.by_count.get(self.overlap, 0)

    def to_dict(self) -> dict:
        """The progress as JSON-ready values (what ``annotate status --json`` prints).

        RETURNS (dict): Every field, and ``complete``.
        """
        return {
            "tasks": self.tasks,
            "overlap": self.overlap,
            "complete": self.complete,
            "by_count": {str(k): v for k, v in self.by_count.items()},
            "skipped": self.skipped,
            "drafts": self.drafts,
            "per_annotator": self.per_annotator,
        }


def progress(tasks: Iterable[ExportTask], overlap: int = 1) -> Progress:
    """Count submitted, skipped and draft annotations per task and annotator.

    tasks (Iterable[ExportTask]): The project's exported tasks.
    overlap (int): Annotators per task (K; at least 1).
    RETURNS (Progress): The counts.
    """
    overlap = max(int(overlap or 1), 1)
    counts: Counter = Counter()
    per: dict[str, Counter] = defaultdict(Counter)
    result = Progress(overlap=overlap)
    for task in tasks:
        result.tasks += 1
        submitted = set()
        for a in task.annotations:
            if a.kind == "draft":
                per[a.annotator]["drafts"] += 1
                result.drafts += 1
            elif a.was_cancelled:
                per[a.annotator]["skipped"] += 1
                result.skipped += 1
            else:
                per[a.annotator]["submitted"] += 1
                submitted.add(a.annotator)
        counts[min(len(submitted), overlap)] += 1
    result.by_count = {k: counts[k] for k in range(overlap + 1)}
    result.per_annotator = {
        name: {k: c[k] for k in ("submitted", "skipped", "drafts")} for name, c in sorted(per.items())
    }
    return result
