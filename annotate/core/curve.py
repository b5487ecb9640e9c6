"""Learning-curve subsets: nested, deterministic shares of a train split, whole stories at a time. Pure.

Stories (``source#article``, :func:`annotate.core.splits.article_key`) are put in a seeded order (the hash
``compile`` deals stories out with); the subset for k% is the shortest prefix of that order holding at least
k% of the documents, so every subset holds the smaller ones and no story is cut. When the train split has
fewer stories than points, the points could not differ: documents are ordered by the same hash instead.

EXAMPLE:
    >>> docs = [(f"d{i}", f"s{i // 2}.txt", 0) for i in range(8)]
    >>> unit, subsets = nested_subsets(docs, [50, 100])
    >>> unit, [len(ids) for ids in subsets], set(subsets[0]) <= set(subsets[1])
    ('story', [4, 8], True)
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from annotate.core.splits import article_key, seeded_rank
from annotate.errors import Errors, InvalidInputError

DEFAULT_POINTS = (25, 50, 75, 100)


def parse_points(text: str) -> list[int]:
    """The curve's points from ``--curve-points``: percentages of the train split, comma-separated.

    text (str): E.g. "25,50,75,100".
    RETURNS (list[int]): The points, increasing, each in 1..100.
    RAISES (InvalidInputError): E180 when a point is not a whole number in 1..100, or the points do not increase.

    EXAMPLE:
        >>> parse_points("25, 50,100")
        [25, 50, 100]
    """
    try:
        points = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        points = []
    if (
        not points
        or any(not 0 < p <= 100 for p in points)
        or any(a >= b for a, b in zip(points, points[1:], strict=False))
    ):
        raise InvalidInputError(Errors.E180.format(points=text))
    return points


def nested_subsets(
    docs: Sequence[tuple[str, str, int]], points: Sequence[int], seed: int = 0
) -> tuple[str, list[list[str]]]:
    """One subset of ``docs`` per point, each holding the one before it.

    docs (Sequence[tuple[str, str, int]]): ``(doc_id, source, article)`` of each train document, in order.
    points (Sequence[int]): Percentages, increasing (:func:`parse_points`).
    seed (int): Seeds the order of stories (or documents).
    RETURNS (tuple[str, list[list[str]]]): The unit taken whole ("story" or "document") and, per point, the ids
        of its subset in ``docs``' order (at least one unit each).
    """
    groups: dict[str, list[str]] = {}
    for doc_id, source, article in docs:
        groups.setdefault(article_key(source, article), []).append(doc_id)
    unit = "story" if len(groups) >= len(points) else "document"
    if unit == "document":
        groups = {doc_id: [doc_id] for doc_id, _, _ in docs}
    ranked = sorted(groups, key=lambda key: seeded_rank(seed, key))
    total = len(docs)
    subsets: list[list[str]] = []
    for point in points:
        wanted = math.ceil(point * total / 100)
        taken: set[str] = set()
        for key in ranked:
            if len(taken) >= wanted and taken:
                break
            taken.update(groups[key])
        subsets.append([doc_id for doc_id, _, _ in docs if doc_id in taken])
    return unit, subsets
