"""Near-duplicate paragraphs: found so that they always share a split, and counted when they do not (leakage).

A paragraph's shingles are its word n-grams (words: ``\\w+`` runs, lowercased; a paragraph shorter than n words is
one shingle), each hashed to 32 bits (CRC-32, the same on every machine). datasketch computes a MinHash signature
per paragraph and an LSH index proposes candidate pairs (paragraphs that share a band); a candidate is a near
duplicate only if the exact Jaccard similarity of the two shingle sets reaches the threshold (LSH only proposes).
Exact duplicates have a similarity of 1. Groups are the connected components of the confirmed pairs (union-find);
pairs inside a group already joined are not checked again, so a group of n copies costs about n checks, not n².
Deterministic: the MinHash permutations come from a fixed seed. Pure (datasketch and numpy compute, nothing is read
or written).

EXAMPLE:
    >>> index = NearDuplicateIndex(["Ada Lovelace wrote the first program for the engine.",
    ...                             "Ada Lovelace wrote the first program for the engine!",
    ...                             "Charles Babbage designed the analytical engine in London."])
    >>> index.groups()
    [[0, 1]]
    >>> index.leaks(["train", "test", "dev"])
    {'dev': 0, 'test': 1}
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

from annotate.core.splits import DisjointSet
from annotate.errors import Errors, InvalidInputError

METHOD = "minhash-lsh"  # datasketch MinHash signatures, LSH candidates, confirmed by exact Jaccard
MODES = ("group", "off")  # group: near-duplicates share a split; off: split by story only (leakage still counted)
LSH_THRESHOLD_MAX = 0.9
LSH_WEIGHTS = (0.2, 0.8)  # datasketch's weights of false positives and false negatives when it picks bands and rows
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class NearDuplicateSettings:
    """How near-duplicate paragraphs are found and whether they are kept in one split.

    threshold (float): The Jaccard similarity of two paragraphs' shingle sets from which they are near duplicates.
    shingle_size (int): Words per shingle.
    num_perm (int): MinHash permutations (the signature's length).
    seed (int): Seeds the MinHash permutations.
    mode (str): ``group`` (near-duplicates share a split) or ``off`` (split by story only; leakage still counted).
    RAISES (InvalidInputError): A threshold outside (0, 1] (E175) or an unknown mode (E176).

    EXAMPLE:
        >>> NearDuplicateSettings(threshold=0.7).to_dict()["threshold"]
        0.7
    """

    threshold: float = 0.5
    shingle_size: int = 5
    num_perm: int = 64
    seed: int = 1
    mode: str = "group"

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold <= 1.0:
            raise InvalidInputError(Errors.E175.format(threshold=self.threshold))
        if self.mode not in MODES:
            raise InvalidInputError(Errors.E176.format(mode=self.mode, modes=", ".join(MODES)))

    def to_dict(self) -> dict:
        """The settings as the manifest records them (part of the version's content key).

        RETURNS (dict): ``method``, ``mode``, ``threshold``, ``shingles``, ``shingle_size``, ``num_perm``, ``seed``.
        """
        return {
            "method": METHOD,
            "mode": self.mode,
            "threshold": self.threshold,
            "shingles": "words",
            "shingle_size": self.shingle_size,
            "num_perm": self.num_perm,
            "seed": self.seed,
        }


def shingles(text: str, size: int = 5) -> np.ndarray:
    """A paragraph's shingles: its word ``size``-grams, lowercased, each hashed to 32 bits; sorted, unique.

    text (str): The paragraph.
    size (int): Words per shingle.
    RETURNS (np.ndarray): The shingles' hashes (uint32); one when the text has fewer words, none without words.

    EXAMPLE:
        >>> len(shingles("Ada wrote the first program.", 3)), len(shingles("Ada wrote", 3)), len(shingles("--", 3))
        (3, 1, 0)
    """
    words = _WORD.findall(text.lower())
    grams = {zlib.crc32(" ".join(words[i : i + size]).encode()) for i in range(max(len(words) - size + 1, 1))}
    return np.array(sorted(grams) if words else [], dtype=np.uint32)


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """The exact Jaccard similarity of two shingle sets (as :func:`shingles` gives them).

    a (np.ndarray): One paragraph's shingles (sorted, unique).
    b (np.ndarray): The other's.
    RETURNS (float): ``|a ∩ b| / |a ∪ b|``; 0 when both are empty.

    EXAMPLE:
        >>> jaccard(shingles("a b c d", 2), shingles("a b c e", 2))
        0.5
    """
    common = np.intersect1d(a, b, assume_unique=True).size
    union = a.size + b.size - common
    return common / union if union else 0.0


class NearDuplicateIndex:
    """The paragraphs of a corpus, indexed for near-duplicates (MinHash LSH over their shingles).

    texts (Iterable[str]): The paragraphs; each is referred to by its position.
    settings (NearDuplicateSettings | None): Threshold, shingle size, permutations and seed (None: the defaults).
    """

    def __init__(self, texts: Iterable[str], settings: NearDuplicateSettings | None = None):
        self.settings = settings = settings or NearDuplicateSettings()
        self.shingles: list[np.ndarray] = []
        # LSH proposes, tuned for the threshold (above 0.9: for 0.9, datasketch needs two bands or more) and weighted
        # towards recall (a missed pair may leak; a false candidate costs one exact check): at the default 0.5,
        # 15 bands of 3 rows propose 87% of the pairs at Jaccard 0.5, 97% at 0.6, 99.9% at 0.8
        self.lsh = MinHashLSH(
            threshold=min(settings.threshold, LSH_THRESHOLD_MAX), num_perm=settings.num_perm, weights=LSH_WEIGHTS
        )
        signature = MinHash(num_perm=settings.num_perm, seed=settings.seed, hashfunc=int, scheme="affine32")
        for i, text in enumerate(texts):
            mine = shingles(text, settings.shingle_size)
            self.shingles.append(mine)
            if mine.size:  # no words, no shingles: such a paragraph is nobody's near-duplicate
                signature.clear()  # one MinHash reused (its permutations made once): the index keeps only the bands
                signature.update_batch(mine.tolist())
                self.lsh.insert(i, signature, check_duplication=False)
        self.checked = 0  # candidate pairs whose exact similarity was computed
        self._groups: list[list[int]] | None = None

    def __len__(self) -> int:
        return len(self.shingles)

    def similar(self, i: int, j: int) -> bool:
        """Whether two paragraphs are near duplicates: the exact Jaccard similarity reaches the threshold.

        i (int): One paragraph's position.
        j (int): The other's.
        RETURNS (bool): True if so.
        """
        self.checked += 1
        return jaccard(self.shingles[i], self.shingles[j]) >= self.settings.threshold

    def buckets(self) -> Iterable[list[int]]:
        """The LSH buckets holding two paragraphs or more (every candidate pair shares one), in a fixed order.

        RETURNS (Iterable[list[int]]): Each bucket's paragraph positions, ascending.
        """
        for table in self.lsh.hashtables:
            for key in table.keys():
                members = table.get(key)
                if len(members) > 1:
                    yield sorted(members)

    def groups(self) -> list[list[int]]:
        """The groups of near-duplicate paragraphs: connected components of the confirmed pairs.

        RETURNS (list[list[int]]): Each group's positions (two or more, ascending), groups by their first position.
        """
        if self._groups is None:
            joined = DisjointSet(range(len(self)))
            for bucket in self.buckets():
                self._link(bucket, joined)
            components = joined.components()
            self._groups = sorted((sorted(c) for c in components if len(c) > 1), key=lambda g: g[0])
        return self._groups

    def _link(self, bucket: list[int], joined: DisjointSet) -> None:
        """Join the groups of one bucket that have a near-duplicate pair; pairs inside one group are not checked."""
        by_group: dict = {}  # the bucket's paragraphs by their group so far, in the bucket's order
        for m in bucket:
            by_group.setdefault(joined.find(m), []).append(m)
        if len(by_group) == 1:  # the common case: all in one group already (or joined in an earlier band)
            return
        clusters: list[list[int]] = []  # the groups seen so far, each with its paragraphs in the bucket
        for members in by_group.values():
            mine = [c for c in clusters if any(self.similar(m, x) for m in members for x in c)]
            rest = [c for c in clusters if not any(c is k for k in mine)]
            for cluster in mine:
                joined.union(members[0], cluster[0])
                members.extend(cluster)
            clusters = [*rest, members]

    def leaks(self, split_of: Sequence[str | None]) -> dict[str, int]:
        """Leakage: the dev and test paragraphs that have a near duplicate in train.

        split_of (Sequence[str | None]): Each paragraph's split, by position (None: in no split).
        RETURNS (dict[str, int]): ``{"dev": n, "test": n}``: paragraphs counted once each.
        """
        leaking: set[int] = set()
        for bucket in self.buckets():
            train = [m for m in bucket if split_of[m] == "train"]
            if not train:
                continue
            for m in bucket:
                if split_of[m] in ("dev", "test") and m not in leaking and any(self.similar(m, t) for t in train):
                    leaking.add(m)
        return {split: sum(1 for m in leaking if split_of[m] == split) for split in ("dev", "test")}
