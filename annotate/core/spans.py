"""Character spans: the unit every stage of the pipeline speaks.

A span is ``(start, end, label)`` over a document's text, in Python string
offsets (Unicode code points), ``end`` exclusive: ``text[start:end]`` is the
entity. Pure functions only.
"""

from __future__ import annotations

from sys import intern
from typing import Iterable, NamedTuple


class Span(NamedTuple):
    """One labelled character span. Orders by (start, end, label); immutable and hashable.

    A named tuple (not a dataclass): hundreds of thousands are made and hashed
    per compile, and tuples do both in C.
    """

    start: int
    end: int
    label: str

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "label": self.label}

    @classmethod
    def from_dict(cls, data: dict) -> "Span":
        return cls(int(data["start"]), int(data["end"]), intern(str(data["label"])))  # labels are few: one string each

    def within(self, text: str) -> bool:
        """True if the span is non-empty and lies inside ``text``."""
        return self.within_length(len(text))

    def overlaps(self, other: "Span") -> bool:
        """True if the two spans share at least one character (labels aside)."""
        return self.start < other.end and other.start < self.end

    def within_length(self, length: int) -> bool:
        """True if the span is non-empty and lies inside a text of ``length`` characters."""
        return 0 <= self.start < self.end <= length


def sort_spans(spans: Iterable[Span], shared: dict[Span, Span] | None = None) -> tuple[Span, ...]:
    """Spans sorted by start, end, label, duplicates removed.

    ``shared``: the spans already made for the same document; an equal span is replaced by that
    object (annotators mostly mark the same spans: one object each, in memory).
    """
    ordered = sorted(set(spans))
    if shared is not None:
        ordered = [shared.setdefault(span, span) for span in ordered]
    return tuple(ordered)
