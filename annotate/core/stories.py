"""Story boundaries as data: the ``stories.yml`` sidecar, checked and applied to ingested paragraphs.

A source file may hold several stories with no mark between them (a compilation of wire reports). The
sidecar ``stories.yml``, in the folder of the sources, says per file where each story starts and which
paragraphs are headlines; the source files are never edited::

    # paragraph indices are ingest's meta.paragraph (0-based)
    004_b56947bfff866269.txt:
      stories: [0, 4, 27, 41, 49]   # the paragraph where each story starts (0 is implied)
      headlines: [0, 1, 2, 3]       # optional: paragraphs that are headlines

Rules: the top level maps a source file name (``meta.source``) to an entry; an entry has ``stories``
(required) and ``headlines`` (optional), each a list of paragraph indices, strictly increasing, each below
the file's paragraph count. Applied, a paragraph's ``meta.article`` is the index of the last story start at
or before it, and a headline carries ``meta.headline: true``. Ids do not change (they never depend on the
story). A file without an entry keeps ingest's own story marks (blank-line runs, rule lines). Pure:
:mod:`annotate.io.stories` reads and writes the file.

EXAMPLE:
    >>> marks = parse_stories({"a.txt": {"stories": [2], "headlines": [0]}}, "stories.yml")
    >>> marks["a.txt"]
    StoryMarks(starts=(0, 2), headlines=(0,))
    >>> marks["a.txt"].article(3)
    1
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from annotate.core.documents import Document
from annotate.errors import Errors, InvalidInputError

SIDECAR = "stories.yml"
DRAFT = "stories.draft.yml"
KEYS = ("stories", "headlines")
HEADLINE = "headline"  # the meta key of a headline paragraph


@dataclass(frozen=True)
class StoryMarks:
    """One file's story boundaries.

    starts (tuple[int, ...]): The paragraphs where stories start, strictly increasing, starting with 0.
    headlines (tuple[int, ...]): The paragraphs that are headlines, strictly increasing.
    """

    starts: tuple[int, ...]
    headlines: tuple[int, ...] = ()

    def article(self, paragraph: int) -> int:
        """The story a paragraph belongs to.

        paragraph (int): The paragraph's index in the file.
        RETURNS (int): The index of the last story start at or before it.

        EXAMPLE:
            >>> StoryMarks((0, 4, 9)).article(8)
            1
        """
        return bisect_right(self.starts, paragraph) - 1


def _indices(value: object, path: str, source: str, key: str) -> tuple[int, ...]:
    if not isinstance(value, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        raise InvalidInputError(Errors.E171.format(path=path, source=source, key=key, value=repr(value)[:60]))
    if any(v < 0 for v in value) or any(a >= b for a, b in zip(value, value[1:], strict=False)):
        raise InvalidInputError(Errors.E173.format(path=path, source=source, key=key, value=value))
    return tuple(value)


def parse_stories(data: object, path: str) -> dict[str, StoryMarks]:
    """Check a parsed sidecar (see the module docstring) and read its entries.

    data (object): The parsed YAML (None for an empty file).
    path (str): The sidecar's path, named in errors.
    RETURNS (dict[str, StoryMarks]): The marks per source file name. InvalidInputError: E170 for a top level
        or entry that is not a mapping or an unknown key, E171 for a value that is not a list of integers,
        E173 for negative, unsorted or repeated indices.
    """
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise InvalidInputError(Errors.E170.format(path=path, reason="the top level is not a mapping of file names"))
    marks = {}
    for source, entry in data.items():
        if not isinstance(entry, Mapping) or "stories" not in entry or set(entry) - set(KEYS):
            reason = f"the entry of {source!r} is not a mapping with 'stories' (and optional 'headlines')"
            raise InvalidInputError(Errors.E170.format(path=path, reason=reason))
        starts = _indices(entry["stories"], path, str(source), "stories")
        headlines = _indices(entry.get("headlines", []), path, str(source), "headlines")
        marks[str(source)] = StoryMarks(starts if starts[:1] == (0,) else (0, *starts), headlines)
    return marks


def check_marks(marks: StoryMarks, paragraphs: int, path: str, source: str) -> None:
    """Check that a file's marks name only paragraphs it has.

    marks (StoryMarks): The file's marks.
    paragraphs (int): How many paragraphs ingest found in the file.
    path (str): The sidecar's path, named in the error.
    source (str): The file's name.
    RETURNS (None): InvalidInputError E172 for an index at or past ``paragraphs``.

    EXAMPLE:
        >>> check_marks(StoryMarks((0, 5)), 4, "stories.yml", "a.txt")
        Traceback (most recent call last):
        annotate.exceptions.InvalidInputError: [E172] stories.yml, a.txt: stories names paragraph 5 but the file has 4 paragraphs (0-3). Use ingest's meta.paragraph (0-based) of the file.
    """
    for key, values in (("stories", marks.starts), ("headlines", marks.headlines)):
        if values and values[-1] >= paragraphs:
            raise InvalidInputError(
                Errors.E172.format(
                    path=path, source=source, key=key, index=values[-1], count=paragraphs, last=paragraphs - 1
                )
            )


def apply_stories(docs: Sequence[Document], marks: Mapping[str, StoryMarks], path: str) -> list[Document]:
    """Set ``article`` (and the headline flag) of each document whose source has an entry.

    docs (Sequence[Document]): Ingested documents, in file then paragraph order.
    marks (Mapping[str, StoryMarks]): The sidecar's entries.
    path (str): The sidecar's path, named in errors.
    RETURNS (list[Document]): The documents, ids and texts unchanged; others as they were. E172 (see
        :func:`check_marks`) for an index past a file's paragraphs.

    EXAMPLE:
        >>> docs = [Document(str(i), "x", "a.txt", 0, i, 0) for i in range(3)]
        >>> out = apply_stories(docs, {"a.txt": StoryMarks((0, 1), (0,))}, "stories.yml")
        >>> [(d.article, d.extra_meta) for d in out]
        [(0, {'headline': True}), (1, {}), (1, {})]
    """
    counts: dict[str, int] = {}
    for d in docs:
        counts[d.source] = max(counts.get(d.source, 0), d.paragraph + 1)
    for source, entry in marks.items():
        if source in counts:
            check_marks(entry, counts[source], path, source)
    out = []
    for d in docs:
        mine = marks.get(d.source)
        if mine is None:
            out.append(d)
            continue
        extra = {k: v for k, v in d.extra_meta.items() if k != HEADLINE}
        if d.paragraph in mine.headlines:
            extra[HEADLINE] = True
        out.append(replace(d, article=mine.article(d.paragraph), extra_meta=extra))
    return out


@dataclass(frozen=True)
class BoundaryScore:
    """Suggested story boundaries against the confirmed ones (a boundary is a story start other than 0).

    found (int): Suggested boundaries.
    true (int): Confirmed boundaries.
    exact (int): Suggested boundaries that are confirmed ones.
    near (int): Suggested boundaries within ``tolerance`` paragraphs of a confirmed one (each matched once).
    tolerance (int): The tolerance of ``near``.
    """

    found: int
    true: int
    exact: int
    near: int
    tolerance: int = 1

    def prf(self, hits: int) -> tuple[float, float, float]:
        """Precision, recall and F1 of a hit count (``exact`` or ``near``); 1.0 when there is nothing to find.

        hits (int): The matched boundaries.
        RETURNS (tuple[float, float, float]): Precision, recall, F1.

        EXAMPLE:
            >>> BoundaryScore(found=4, true=2, exact=1, near=2).prf(2)
            (0.5, 1.0, 0.6666666666666666)
        """
        p = hits / self.found if self.found else 1.0
        r = hits / self.true if self.true else 1.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _near_hits(found: Sequence[int], true: Sequence[int], tolerance: int) -> int:
    free = sorted(true)
    hits = 0
    for b in sorted(found):
        match = next((t for t in free if abs(t - b) <= tolerance), None)
        if match is not None:
            free.remove(match)
            hits += 1
    return hits


def score_boundaries(
    found: Mapping[str, StoryMarks], true: Mapping[str, StoryMarks], tolerance: int = 1
) -> BoundaryScore:
    """Compare suggested story starts with confirmed ones, pooled over the files of ``true``.

    found (Mapping[str, StoryMarks]): The suggestions per file (a file missing: no boundary suggested).
    true (Mapping[str, StoryMarks]): The confirmed marks per file.
    tolerance (int): How many paragraphs off a boundary may be and still count as ``near``.
    RETURNS (BoundaryScore): The counts.

    EXAMPLE:
        >>> s = score_boundaries({"a": StoryMarks((0, 3, 8))}, {"a": StoryMarks((0, 4, 8))})
        >>> (s.found, s.true, s.exact, s.near)
        (2, 2, 1, 2)
    """
    counts = [0, 0, 0, 0]
    for source, marks in true.items():
        t = [b for b in marks.starts if b]
        f = [b for b in found.get(source, StoryMarks((0,))).starts if b]
        for i, n in enumerate((len(f), len(t), len(set(f) & set(t)), _near_hits(f, t, tolerance))):
            counts[i] += n
    return BoundaryScore(counts[0], counts[1], counts[2], counts[3], tolerance)


def sidecar_text(marks: Mapping[str, StoryMarks], notes: Mapping[str, Iterable[str]] | None = None) -> str:
    """A sidecar's YAML text (flow lists, file names quoted), with optional comment lines per entry.

    marks (Mapping[str, StoryMarks]): The entries, written in name order.
    notes (Mapping[str, Iterable[str]] | None): Comment lines to write under an entry (e.g. each story's first words).
    RETURNS (str): The text; :func:`parse_stories` of its YAML gives ``marks`` back.

    EXAMPLE:
        >>> print(sidecar_text({"a.txt": StoryMarks((0, 2), (0,))}), end="")
        "a.txt":
          stories: [0, 2]
          headlines: [0]
    """
    lines = []
    for source in sorted(marks):
        mine = marks[source]
        lines.append(f"{json.dumps(source, ensure_ascii=False)}:")  # JSON strings are YAML
        lines.append(f"  stories: [{', '.join(map(str, mine.starts))}]")
        if mine.headlines:
            lines.append(f"  headlines: [{', '.join(map(str, mine.headlines))}]")
        lines.extend(f"  # {note}" for note in (notes or {}).get(source, ()))
    return "".join(line + "\n" for line in lines)
