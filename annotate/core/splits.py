"""Deterministic train/dev/test splits by article (story), so no story spans two splits.

Articles are ordered by a seeded hash of ``(source, article)`` and each goes,
whole, to the split furthest below its target share of documents. Articles that
must stay together (they share near-duplicate paragraphs: ``together``) form one
group, dealt whole, ordered by the hash of its first article (a group of one
article is dealt as before). The result depends only on the articles, their
sizes, the groups, the ratios and the seed. Pure.

EXAMPLE:
    >>> docs = [("a0", "a.txt", 0), ("a1", "a.txt", 0), ("b0", "b.txt", 0)]
    >>> splits = split_by_article(docs, ratios=(0.5, 0.5, 0.0))
    >>> sorted(len(ids) for ids in splits.values())
    [0, 1, 2]
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence

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


class DisjointSet:
    """Union-find over hashable items (path halving, union by size): which items are joined, transitively.

    items (Iterable[Hashable]): The items, each in a set of its own.

    EXAMPLE:
        >>> s = DisjointSet("abcd")
        >>> s.union("a", "b"); s.union("c", "b")
        >>> sorted(sorted(c) for c in s.components())
        [['a', 'b', 'c'], ['d']]
    """

    def __init__(self, items: Iterable[Hashable]):
        self.parent: dict = {item: item for item in items}
        self.size: dict = dict.fromkeys(self.parent, 1)

    def find(self, item: Hashable) -> Hashable:
        """The representative of an item's set.

        item (Hashable): The item.
        RETURNS (Hashable): Its set's representative.
        """
        parent = self.parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(self, a: Hashable, b: Hashable) -> None:
        """Join the sets of two items.

        a (Hashable): One item.
        b (Hashable): The other.
        """
        a, b = self.find(a), self.find(b)
        if a == b:
            return
        if self.size[a] < self.size[b]:
            a, b = b, a
        self.parent[b] = a
        self.size[a] += self.size[b]

    def components(self) -> list[list]:
        """The sets, each as a list of its items (in the order they were given).

        RETURNS (list[list]): The sets.
        """
        out: dict = defaultdict(list)
        for item in self.parent:
            out[self.find(item)].append(item)
        return list(out.values())


def seeded_rank(seed: int, key: str) -> str:
    """Where ``key`` falls in the seeded order stories are dealt in (by splits and by learning-curve subsets).

    seed (int): The seed.
    key (str): A story key (:func:`article_key`) or a document id.
    RETURNS (str): A sort key: the sha256 of the seed and the key, in hex.

    EXAMPLE:
        >>> seeded_rank(0, "a.txt#0") == seeded_rank(0, "a.txt#0") != seeded_rank(1, "a.txt#0")
        True
    """
    return hashlib.sha256(f"{seed}\x00{key}".encode()).hexdigest()


def split_by_article(
    docs: Iterable[tuple[str, str, int]],
    ratios: Sequence[float] = (0.8, 0.1, 0.1),
    seed: int = 0,
    together: Iterable[Iterable[str]] = (),
) -> dict[str, list[str]]:
    """Documents split by story: no story spans two splits, nor do stories joined by ``together``.

    docs (Iterable[tuple[str, str, int]]): ``(doc_id, source, article)`` of each document, in reading order.
    ratios (Sequence[float]): The train, dev and test shares (see :func:`check_ratios`).
    seed (int): Seeds the order in which stories are dealt out.
    together (Iterable[Iterable[str]]): Groups of document ids (of ``docs``) whose stories must share a split.
    RETURNS (dict[str, list[str]]): ``{"train": [ids], "dev": [ids], "test": [ids]}``, ids in their input order.

    EXAMPLE:
        >>> docs = [("a0", "a.txt", 0), ("b0", "b.txt", 0), ("c0", "c.txt", 0), ("d0", "d.txt", 0)]
        >>> splits = split_by_article(docs, (0.5, 0.5, 0.0), together=[["a0", "b0"], ["b0", "c0"]])
        >>> sorted(len(ids) for ids in splits.values())
        [0, 1, 3]
    """
    ratios = check_ratios(ratios)
    articles: dict[str, list[str]] = defaultdict(list)
    order: list[tuple[str, str]] = []  # (doc id, article key), in input order
    for doc_id, source, article in docs:
        key = article_key(source, article)
        articles[key].append(doc_id)
        order.append((doc_id, key))
    joined = DisjointSet(articles)
    article_of = dict(order)
    for ids in together:
        keys = [article_of[doc_id] for doc_id in ids]
        for key in keys[1:]:
            joined.union(keys[0], key)
    groups: dict[str, list[str]] = {}  # a group's first article key -> its document ids
    group_of: dict[str, str] = {}  # article key -> its group's first article key
    for members in joined.components():
        first = min(members)
        groups[first] = [doc_id for key in members for doc_id in articles[key]]
        group_of.update(dict.fromkeys(members, first))
    total = sum(len(ids) for ids in groups.values())
    ranked = sorted(groups, key=lambda k: seeded_rank(seed, k))
    sizes = dict.fromkeys(SPLITS, 0)
    assigned: dict[str, str] = {}
    for key in ranked:
        deficits = {name: ratio * total - sizes[name] for name, ratio in zip(SPLITS, ratios, strict=True) if ratio > 0}
        target = max(deficits, key=lambda name: (deficits[name], -SPLITS.index(name)))
        assigned[key] = target
        sizes[target] += len(groups[key])
    out: dict[str, list[str]] = {name: [] for name in SPLITS}
    for doc_id, key in order:  # the input order, which is also the order compile writes the exports in
        out[assigned[group_of[key]]].append(doc_id)
    return out
