"""Matching spans: strict and partial matches, and span precision/recall/F1 between two annotators. Pure.

* strict: the same start, end and label;
* partial: overlapping with the same label, each span matched at most once (a maximum matching).

Agreement (:mod:`annotate.core.agreement`) and evaluation (:mod:`annotate.core.evaluation`) both count
matches here. Import :func:`span_f1` from :mod:`annotate.agreement`, the public API.

EXAMPLE:
    >>> span_f1({"d1": [(0, 5, "PER")]}, {"d1": [(0, 5, "PER"), (9, 12, "ORG")]}).f1
    0.6666666666666666
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from annotate.core.spans import Span

__all__ = ["SpanScores", "match_count", "overlap_pairs", "span_f1"]

NAN = float("nan")


@dataclass(frozen=True)
class SpanScores:
    """Precision, recall and F1 of spans ``b`` against reference ``a``.

    ``precision = matches / n_b``, ``recall = matches / n_a``,
    ``f1 = 2 * matches / (n_a + n_b)`` (symmetric). NaN where a denominator is 0.

    precision (float): Matches over b's spans.
    recall (float): Matches over a's spans.
    f1 (float): Twice the matches over all spans.
    matches (int): Matched spans.
    n_a (int): a's spans.
    n_b (int): b's spans.
    """

    precision: float
    recall: float
    f1: float
    matches: int
    n_a: int
    n_b: int

    @classmethod
    def from_counts(cls, matches: int, n_a: int, n_b: int) -> SpanScores:
        """The scores of match and span counts.

        matches (int): Matched spans.
        n_a (int): The reference's spans.
        n_b (int): The other's spans.
        RETURNS (SpanScores): The scores.

        EXAMPLE:
            >>> SpanScores.from_counts(1, 2, 1).f1
            0.6666666666666666
        """

        def ratio(x: float, y: float) -> float:
            return x / y if y else NAN

        return cls(ratio(matches, n_b), ratio(matches, n_a), ratio(2 * matches, n_a + n_b), matches, n_a, n_b)


def _as_span(item: Any) -> Span:
    if isinstance(item, Span):
        return item
    if isinstance(item, Mapping):
        return Span(int(item["start"]), int(item["end"]), str(item["label"]))
    start, end, label = item
    return Span(int(start), int(end), str(label))


def overlap_pairs(a: Sequence[Span], b: Sequence[Span]) -> list[tuple[int, int]]:
    """A maximum matching between overlapping spans, labels aside (Kuhn's augmenting paths), as index pairs.

    Each span of ``a`` and of ``b`` is in at most one pair; ties are broken by the spans' order.

    a (Sequence[Span]): The first spans.
    b (Sequence[Span]): The second spans.
    RETURNS (list[tuple[int, int]]): ``(i, j)`` pairs, ``a[i]`` overlapping ``b[j]``, sorted by ``i``.

    EXAMPLE:
        >>> overlap_pairs([Span(0, 9, "ORG")], [Span(0, 3, "PER"), Span(4, 9, "GPE")])
        [(0, 0)]
    """
    adjacency = [[j for j, y in enumerate(b) if x.overlaps(y)] for x in a]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in adjacency[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(a)):
        augment(i, set())
    return sorted((i, j) for j, i in owner.items())


def _max_matching(a: list[Span], b: list[Span]) -> int:
    """Size of a maximum matching between overlapping spans (Kuhn's augmenting paths)."""
    return len(overlap_pairs(a, b))


def match_count(a: Iterable[Any], b: Iterable[Any], mode: str = "strict") -> int:
    """Matched spans between two annotators' spans of one document.

    a (Iterable[Any]): The first's spans (:class:`~annotate.core.spans.Span`, ``(start, end, label)`` or a dict).
    b (Iterable[Any]): The second's.
    mode (str): "strict" (same start, end and label) or "partial" (overlapping, same label; a maximum
        matching, each span matched at most once).
    RETURNS (int): The number of matched pairs.

    EXAMPLE:
        >>> match_count([(0, 4, "ORG")], [(0, 6, "ORG")]), match_count([(0, 4, "ORG")], [(0, 6, "ORG")], "partial")
        (0, 1)
    """
    sa, sb = [_as_span(x) for x in a], [_as_span(x) for x in b]
    if mode not in ("strict", "partial"):
        raise ValueError(f"mode must be 'strict' or 'partial', got {mode!r}")
    if mode == "strict":
        return sum((Counter(sa) & Counter(sb)).values())
    return partial_count(sa, sb)


def partial_count(sa: Iterable[Span], sb: Iterable[Span]) -> int:
    """Partial matches: a maximum matching between overlapping spans of the same label.

    sa (Iterable[Span]): One annotator's spans of a document.
    sb (Iterable[Span]): The other's.
    RETURNS (int): The size of the matching.
    """
    by_label_a, by_label_b = defaultdict(list), defaultdict(list)
    for s in sa:
        by_label_a[s.label].append(s)
    for s in sb:
        by_label_b[s.label].append(s)
    matched = 0
    for label, xs in by_label_a.items():
        ys = by_label_b.get(label)
        if ys:  # the same spans of a label match one to one; else the maximum matching decides
            matched += len(xs) if sorted(xs) == sorted(ys) else _max_matching(xs, ys)
    return matched


def span_f1(
    a: Mapping[Any, Iterable[Any]] | Sequence[Iterable[Any]],
    b: Mapping[Any, Iterable[Any]] | Sequence[Iterable[Any]],
    mode: str = "strict",
) -> SpanScores:
    """Span precision/recall/F1 of annotator ``b`` taking ``a`` as reference, micro-averaged over documents.

    a (Mapping[Any, Iterable[Any]] | Sequence[Iterable[Any]]): The reference's spans per document: a mapping
        ``doc_id -> spans`` (a document missing from one side has no spans there) or a sequence of span
        lists. A span is a :class:`~annotate.core.spans.Span`, a ``(start, end, label)`` tuple or a
        ``{"start", "end", "label"}`` dict.
    b (Mapping[Any, Iterable[Any]] | Sequence[Iterable[Any]]): The other's, of the same kind (and length).
    mode (str): "strict" (same start, end and label) or "partial" (overlapping with the same label; each
        span matched at most once, maximum matching).
    RETURNS (SpanScores): Matches, totals, precision, recall and F1.

    EXAMPLE:
        >>> span_f1([[(0, 4, "ORG")]], [[(0, 6, "ORG")]], mode="partial").f1
        1.0
    """
    if isinstance(a, Mapping) != isinstance(b, Mapping):
        raise ValueError("span_f1 needs two mappings (doc id -> spans) or two sequences, not one of each")
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        keys = list(dict.fromkeys([*a.keys(), *b.keys()]))
        pairs = [(a.get(k, ()), b.get(k, ())) for k in keys]
    else:
        if len(a) != len(b):
            raise ValueError(f"span_f1 needs the same number of documents on both sides, got {len(a)} and {len(b)}")
        pairs = list(zip(a, b, strict=True))
    matches = n_a = n_b = 0
    for doc_a, doc_b in pairs:
        doc_a, doc_b = list(doc_a), list(doc_b)
        matches += match_count(doc_a, doc_b, mode)
        n_a += len(doc_a)
        n_b += len(doc_b)
    return SpanScores.from_counts(matches, n_a, n_b)
