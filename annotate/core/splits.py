"""Deterministic train/dev/test splits by article (story), so no story spans two splits.

Articles are ordered by a seeded hash of ``(source, article)`` and each goes,
whole, to the split furthest below its target share of documents. The result
depends only on the articles, their sizes, the ratios and the seed. Pure.

EXAMPLE:
    >>> docs = [("a0", "a.txt", 0), ("a1", "a.txt", 0), ("b0", "b.txt", 0)]
    >>> splits = split_by_article(docs, ratios=(0.5, 0.5, 0.0))
    >>> sorted(len(ids) for ids in splits.values())
    [0, 1, 2]
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence

from annotate.errors import Errors, InvalidInputError

SPLITS = ("train", "dev", "test")


def check_ratios(ratios: Sequence[float]) -> tuple[float, float, float]:
    """Validate train/dev/test shares.

    ratios (Sequence[float]): Three non-negative numbers summing to 1.
    RETURNS (tuple[float, float, float]): The shares as floats; InvalidInputError (E081) otherwise.

    EXAMPLE:
        >>> check_ratios([0.8, 0.1, 0.1])
        (0.8, 0.1, 0.1)
    """
    if len(ratios) != 3 or any(r < 0 for r in ratios) or abs(sum(ratios) - 1.0) > 1e-6:
        raise InvalidInputError(Errors.E081.format(ratios=", ".join(map(str, ratios))))
    return tuple(float(r) for r in ratios)  # type: ignore[return-value]


def article_key(source: str, article: int) -> str:
    """The key of one story: its source and its index in the source.

    source (str): The source file's name.
    article (int): The story's index in it.
    RETURNS (str): ``source#article``.

    EXAMPLE:
        >>> article_key("000_x.txt", 2)
        '000_x.txt#2'
    """
    return f"{source}#{article}"


def split_by_article(
    docs: Iterable[tuple[str, str, int]], ratios: Sequence[float] = (0.8, 0.1, 0.1), seed: int = 0
) -> dict[str, list[str]]:
    """Documents split by story: no story spans two splits.

    docs (Iterable[tuple[str, str, int]]): ``(doc_id, source, article)`` of each document, in reading order.
    ratios (Sequence[float]): The train, dev and test shares (see :func:`check_ratios`).
    seed (int): Seeds the order in which stories are dealt out.
    RETURNS (dict[str, list[str]]): ``{"train": [ids], "dev": [ids], "test": [ids]}``, ids in their input order.
    """
    ratios = check_ratios(ratios)
    groups: dict[str, list[str]] = defaultdict(list)
    order: list[tuple[str, str]] = []  # (doc id, article key), in input order
    for doc_id, source, article in docs:
        key = article_key(source, article)
        groups[key].append(doc_id)
        order.append((doc_id, key))
    total = sum(len(ids) for ids in groups.values())
    ranked = sorted(groups, key=lambda k: hashlib.sha256(f"{seed}\x00{k}".encode()).hexdigest())
    sizes = dict.fromkeys(SPLITS, 0)
    assigned: dict[str, str] = {}
    for key in ranked:
        deficits = {name: ratio * total - sizes[name] for name, ratio in zip(SPLITS, ratios, strict=True) if ratio > 0}
        target = max(deficits, key=lambda name: (deficits[name], -SPLITS.index(name)))
        assigned[key] = target
        sizes[target] += len(groups[key])
    out: dict[str, list[str]] = {name: [] for name in SPLITS}
    for doc_id, key in order:  # the input order, which is also the order compile writes the exports in
        out[assigned[key]].append(doc_id)
    return out
