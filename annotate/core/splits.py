"""Deterministic train/dev/test splits by article (story), so no story spans two splits.

Articles are ordered by a seeded hash of ``(source, article)`` and each goes,
whole, to the split furthest below its target share of documents. The result
depends only on the articles, their sizes, the ratios and the seed. Pure.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from typing import Iterable, Sequence

from annotate.errors import Errors, InvalidInputError

SPLITS = ("train", "dev", "test")


def check_ratios(ratios: Sequence[float]) -> tuple[float, float, float]:
    if len(ratios) != 3 or any(r < 0 for r in ratios) or abs(sum(ratios) - 1.0) > 1e-6:
        raise InvalidInputError(Errors.E081.format(ratios=", ".join(map(str, ratios))))
    return tuple(float(r) for r in ratios)  # type: ignore[return-value]


def article_key(source: str, article: int) -> str:
    return f"{source}#{article}"


def split_by_article(docs: Iterable[tuple[str, str, int]], ratios: Sequence[float] = (0.8, 0.1, 0.1),
                     seed: int = 0) -> dict[str, list[str]]:
    """``{"train": [ids], "dev": [ids], "test": [ids]}`` from ``(doc_id, source, article)`` triples.

    Ids keep their input order within a split.
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
        deficits = {name: ratio * total - sizes[name] for name, ratio in zip(SPLITS, ratios) if ratio > 0}
        target = max(deficits, key=lambda name: (deficits[name], -SPLITS.index(name)))
        assigned[key] = target
        sizes[target] += len(groups[key])
    out: dict[str, list[str]] = {name: [] for name in SPLITS}
    for doc_id, key in order:  # the input order, which is also the order compile writes the exports in
        out[assigned[key]].append(doc_id)
    return out
