"""Character spans: the unit every stage of the pipeline speaks.

A span is ``(start, end, label)`` over a document's text, in Python string
offsets (Unicode code points), ``end`` exclusive: ``text[start:end]`` is the
entity. Pure functions only.

EXAMPLE:
    >>> text = "Ada Lovelace met Babbage."
    >>> span = Span(0, 12, "PER")
    >>> text[span.start:span.end], span.within(text), span.overlaps(Span(4, 20, "PER"))
    ('Ada Lovelace', True, True)
"""

from __future__ import annotations

from collections.abc import Iterable
from sys import intern
from typing import NamedTuple


class Span(NamedTuple):
    """One labelled character span. Orders by (start, end, label); immutable and hashable.

    A named tuple (not a dataclass): hundreds of thousands are made and hashed
    per compile, and tuples do both in C.

    start (int): Offset of the first character (a code point index).
    end (int): Offset after the last character (exclusive).
    label (str): The entity label.
    """

    start: int
    end: int
    label: str

    def to_dict(self) -> dict:
        """The span as a JSON record.

        RETURNS (dict): ``{"start", "end", "label"}``.

        EXAMPLE:
            >>> Span(0, 3, "PER").to_dict()
            {'start': 0, 'end': 3, 'label': 'PER'}
        """
        return {"start": self.start, "end": self.end, "label": self.label}

    @classmethod
    def from_dict(cls, data: dict) -> Span:
        """A span from its JSON record (the label interned: labels are few).

        data (dict): ``{"start", "end", "label"}``; raises KeyError/ValueError on a bad record.
        RETURNS (Span): The span.

        EXAMPLE:
            >>> Span.from_dict({"start": 0, "end": 3, "label": "PER"})
            Span(start=0, end=3, label='PER')
        """
        return cls(int(data["start"]), int(data["end"]), intern(str(data["label"])))  # labels are few: one string each

    def within(self, text: str) -> bool:
        """True if the span is non-empty and lies inside ``text``.

        text (str): The document's text.
        RETURNS (bool): Whether ``0 <= start < end <= len(text)``.
        """
        return self.within_length(len(text))

    def overlaps(self, other: Span) -> bool:
        """True if the two spans share at least one character (labels aside).

        other (Span): Another span of the same text.
        RETURNS (bool): Whether they overlap.

        EXAMPLE:
            >>> Span(0, 5, "PER").overlaps(Span(5, 9, "PER")), Span(0, 5, "PER").overlaps(Span(4, 9, "ORG"))
            (False, True)
        """
        return self.start < other.end and other.start < self.end

    def within_length(self, length: int) -> bool:
        """True if the span is non-empty and lies inside a text of ``length`` characters.

        length (int): The text's length.
        RETURNS (bool): Whether ``0 <= start < end <= length``.
        """
        return 0 <= self.start < self.end <= length


def sort_spans(spans: Iterable[Span], shared: dict[Span, Span] | None = None) -> tuple[Span, ...]:
    """Spans sorted by start, end, label, duplicates removed.

    spans (Iterable[Span]): The spans.
    shared (dict[Span, Span] | None): The spans already made for the same document; an equal span is
        replaced by that object (annotators mostly mark the same spans: one object each, in memory).
    RETURNS (tuple[Span, ...]): The sorted, unique spans.

    EXAMPLE:
        >>> sort_spans([Span(4, 6, "ORG"), Span(0, 3, "PER"), Span(4, 6, "ORG")])
        (Span(start=0, end=3, label='PER'), Span(start=4, end=6, label='ORG'))
    """
    ordered = sorted(set(spans))
    if shared is not None:
        ordered = [shared.setdefault(span, span) for span in ordered]
    return tuple(ordered)


def trim_span(text: str, span: Span) -> Span | None:
    """The span without leading/trailing whitespace, or None if nothing is left.

    text (str): The document's text.
    span (Span): A span of it.
    RETURNS (Span | None): The trimmed span, or None for a whitespace-only span.

    EXAMPLE:
        >>> trim_span(" Ada ", Span(0, 5, "PER"))
        Span(start=1, end=4, label='PER')
    """
    start, end = span.start, span.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end, span.label) if start < end else None
