"""Suggested story boundaries for a file without marks: a headline block, then TextTiling over paragraphs.

A draft for a person to confirm (``annotate ingest --suggest-stories``), never applied by itself. Method:

* **Headlines.** The file's leading run of short paragraphs (at most :data:`HEADLINE_WORDS` words) that do
  not end in sentence punctuation is a headline block and its own story; the body starts after it (the
  seeds' ``stories.yml`` makes the same choice).
* **Lexical cohesion** (Hearst 1997, TextTiling, with paragraphs as the units): at each gap between body
  paragraphs, the cosine of the bags of the ``window`` paragraphs before and after it. A bag holds the
  paragraph's content words (lower-cased, stop words out) and, weighted :data:`ENTITY_WEIGHT`, its named
  entities (who/where) and dates (when): a shift of people, places and days between stories lowers it.
* **Depth.** Each gap that is a local minimum of the cohesion scores (a valley) gets the depth ``(left peak -
  score) + (right peak - score)``, climbing to the nearest peak on each side. Valleys deeper than ``mean +
  CUTOFF * std`` of the valleys' depths are boundaries, deepest first, none closer than ``min_story``
  paragraphs to another boundary or to the body's edges. Hearst's own cutoff, ``mean - std / 2`` over all
  gaps, is made for gaps between sentences; between paragraphs it marks nearly every valley (measured on the
  seeds, window 3: 17 boundaries suggested for 4, precision 0.12), hence the stricter cutoff over valleys only.

Why not a library: NLTK's ``TextTilingTokenizer`` works on pseudo-sentences of characters with its own
stop-word corpus (a download), and takes no entity features; the algorithm is a few lines over the spaCy
tokens and entities that :mod:`annotate.model.stories` passes in. Pure.

EXAMPLE:
    >>> texts = ["Rain in Oslo", "Rain fell on Oslo.", "Oslo rain again.", "Oslo rain, more.",
    ...          "Chess in Lima.", "Lima chess club.", "Chess, Lima, again."]
    >>> words = [tuple(w.strip(".,").lower() for w in t.split() if len(w) > 2) for t in texts]
    >>> suggest_stories(texts, words, [()] * 7, window=2, min_story=2)
    StoryMarks(starts=(0, 1, 4), headlines=(0,))
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from annotate.core.stories import StoryMarks

HEADLINE_WORDS = 20
ENTITY_WEIGHT = 2.0
WINDOW = 5
MIN_STORY = 3
CUTOFF = 0.5
_FINAL = tuple(".!?:;\"'”’)…")


def headline_block(texts: Sequence[str]) -> int:
    """How many leading paragraphs are headlines: short, and not ending in sentence punctuation.

    texts (Sequence[str]): The file's paragraphs.
    RETURNS (int): The length of the leading headline run (0 when there is none, or when all are headlines).

    EXAMPLE:
        >>> headline_block(["Storm hits Oslo", "Ferries stop", "A storm hit Oslo on Monday.", "More."])
        2
    """
    n = 0
    while n < len(texts) and len(texts[n].split()) <= HEADLINE_WORDS and not texts[n].rstrip().endswith(_FINAL):
        n += 1
    return n if n < len(texts) else 0


def _bag(words: Sequence[Sequence[str]], entities: Sequence[Sequence[str]]) -> dict[str, float]:
    bag: dict[str, float] = {}
    for mine in words:
        for w in mine:
            bag[w] = bag.get(w, 0.0) + 1.0
    for ents in entities:
        for e in ents:
            key = f"entity:{e}"
            bag[key] = bag.get(key, 0.0) + ENTITY_WEIGHT
    return bag


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    dot = sum(v * b[k] for k, v in a.items() if k in b)
    norm = math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def cohesion(words: Sequence[Sequence[str]], entities: Sequence[Sequence[str]], window: int = WINDOW) -> list[float]:
    """Lexical cohesion at each gap: the cosine of the bags of ``window`` paragraphs either side.

    words (Sequence[Sequence[str]]): Each paragraph's content words.
    entities (Sequence[Sequence[str]]): Each paragraph's entities and dates (normalised texts).
    window (int): Paragraphs per side.
    RETURNS (list[float]): One score per gap; gap ``i`` is before paragraph ``i + 1``.

    EXAMPLE:
        >>> [round(s, 2) for s in cohesion([("a",), ("a",), ("b",)], [(), (), ()], window=1)]
        [1.0, 0.0]
    """
    scores = []
    for gap in range(1, len(words)):
        left = _bag(words[max(0, gap - window) : gap], entities[max(0, gap - window) : gap])
        right = _bag(words[gap : gap + window], entities[gap : gap + window])
        scores.append(_cosine(left, right))
    return scores


def depths(scores: Sequence[float]) -> list[float]:
    """The depth of each gap that is a local minimum (0 elsewhere): how far it lies below its peaks.

    scores (Sequence[float]): Cohesion per gap.
    RETURNS (list[float]): Depth per gap.

    EXAMPLE:
        >>> depths([0.5, 0.2, 0.6, 0.6])
        [0.0, 0.7, 0.0, 0.0]
    """
    out: list[float] = []
    for i, s in enumerate(scores):
        if (i and scores[i - 1] < s) or (i + 1 < len(scores) and scores[i + 1] < s):
            out.append(0.0)
            continue
        left = right = s
        j = i
        while j > 0 and scores[j - 1] >= left:
            j -= 1
            left = scores[j]
        j = i
        while j + 1 < len(scores) and scores[j + 1] >= right:
            j += 1
            right = scores[j]
        out.append(round(left - s + right - s, 12))
    return out


def boundaries(depth: Sequence[float], min_story: int = MIN_STORY, cutoff: float = CUTOFF) -> list[int]:
    """The valleys at least ``mean + cutoff * std`` of the valleys' depths deep, deepest first, spaced out.

    depth (Sequence[float]): Depth per gap (gap ``i`` is before paragraph ``i + 1``; 0: not a valley).
    min_story (int): The fewest paragraphs a story may have.
    cutoff (float): How many standard deviations above the mean valley depth a boundary must be.
    RETURNS (list[int]): The paragraphs (indices into the sequence scored) where a new story starts, sorted.

    EXAMPLE:
        >>> boundaries([0, 0.1, 0, 0, 0.9, 0, 0.2, 0], min_story=2)
        [5]
    """
    valleys = [d for d in depth if d > 0]
    if not valleys:
        return []
    mean = sum(valleys) / len(valleys)
    threshold = mean + cutoff * math.sqrt(sum((d - mean) ** 2 for d in valleys) / len(valleys))
    paragraphs = len(depth) + 1
    chosen: list[int] = []
    for gap in sorted(range(len(depth)), key=lambda g: (-depth[g], g)):
        start = gap + 1
        if depth[gap] < threshold or depth[gap] <= 0:
            break
        if start < min_story or paragraphs - start < min_story:
            continue
        if all(abs(start - c) >= min_story for c in chosen):
            chosen.append(start)
    return sorted(chosen)


def suggest_stories(
    texts: Sequence[str],
    words: Sequence[Sequence[str]],
    entities: Sequence[Sequence[str]],
    window: int = WINDOW,
    min_story: int = MIN_STORY,
    cutoff: float = CUTOFF,
) -> StoryMarks:
    """Suggested story starts and headlines of one file (see the module docstring).

    texts (Sequence[str]): The file's paragraphs, in order.
    words (Sequence[Sequence[str]]): Each paragraph's content words (lower-cased, no stop words).
    entities (Sequence[Sequence[str]]): Each paragraph's named entities and dates (normalised texts).
    window (int): Paragraphs per side of a gap in the cohesion score.
    min_story (int): The fewest paragraphs a suggested story may have.
    cutoff (float): Standard deviations above the mean valley depth for a boundary (see :func:`boundaries`).
    RETURNS (StoryMarks): The suggestion; a headline block is a story of its own.
    """
    head = headline_block(texts)
    body = [b + head for b in boundaries(depths(cohesion(words[head:], entities[head:], window)), min_story, cutoff)]
    return StoryMarks(tuple(sorted({0, *([head] if head else []), *body})), tuple(range(head)))
