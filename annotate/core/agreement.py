"""Inter-annotator agreement: the coefficients, and the report ``annotate agree`` prints.

The coefficient functions are a public API for notebooks. Their values equal
scikit-learn's ``cohen_kappa_score``, statsmodels' ``fleiss_kappa`` and the
``krippendorff`` package's ``alpha`` (to 1e-9; the test suite checks). Where a
coefficient is undefined (every rating in one category, no unit rated twice,
no spans at all) the functions return ``float('nan')``, never a made-up number;
malformed input (unequal lengths, ragged tables) raises ``ValueError``.

Example::

    >>> from annotate.agreement import cohen_kappa, fleiss_kappa, krippendorff_alpha, span_f1
    >>> cohen_kappa(["PER", "O", "O", "ORG"], ["PER", "O", "ORG", "ORG"])
    0.6363636363636364
    >>> krippendorff_alpha([[1, 2, 3, None], [1, 2, 3, 3]], level="nominal")
    1.0
    >>> span_f1({"d1": [(0, 5, "PER")]}, {"d1": [(0, 5, "PER"), (9, 12, "ORG")]}).f1
    0.6666666666666666
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, Hashable, Iterable, Mapping, Sequence

import numpy as np

from annotate.core.spans import Span

__all__ = [
    "cohen_kappa",
    "cohen_kappa_from_confusion",
    "fleiss_kappa",
    "fleiss_kappa_from_totals",
    "krippendorff_alpha",
    "alpha_from_units",
    "alpha_from_counts",
    "coincidences",
    "alpha_from_coincidences",
    "SpanScores",
    "match_count",
    "span_f1",
    "AgreementReport",
    "AgreementTally",
    "agreement_report",
    "agreement_for",
]

NAN = float("nan")
LEVELS = ("nominal", "ordinal", "interval")


# --- Cohen's kappa -----------------------------------------------------------

def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Cohen's kappa of two raters' labels for the same items (``a[i]`` and ``b[i]`` rate item i).

    Args:
        a, b: equal-length sequences of labels (any hashable values).
    Returns:
        kappa in [-1, 1]; NaN when undefined (both raters used one and the same label only).
    Raises:
        ValueError: unequal lengths or no items.

    >>> cohen_kappa(["A", "A", "B"], ["A", "B", "B"])
    0.4
    """
    if len(a) != len(b):
        raise ValueError(f"cohen_kappa needs two sequences of equal length, got {len(a)} and {len(b)}")
    if not len(a):
        raise ValueError("cohen_kappa needs at least one item")
    return cohen_kappa_from_confusion(Counter(zip(a, b)))


def cohen_kappa_from_confusion(confusion: Mapping[tuple[Hashable, Hashable], int]) -> float:
    """Cohen's kappa from a confusion table: ``confusion[(x, y)]`` items rated x by one rater and y by the other.

    >>> cohen_kappa_from_confusion({("A", "A"): 1, ("A", "B"): 1, ("B", "B"): 1})
    0.4
    """
    n = sum(confusion.values())
    if not n:
        return NAN
    agree = sum(count for (x, y), count in confusion.items() if x == y)
    count_a: Counter = Counter()
    count_b: Counter = Counter()
    for (x, y), count in confusion.items():
        count_a[x] += count
        count_b[y] += count
    expected = sum(count_a[k] * count_b.get(k, 0) for k in count_a) / n
    disagreement_expected = n - expected  # sum of off-diagonal expected counts
    if disagreement_expected == 0:
        return NAN
    return 1.0 - (n - agree) / disagreement_expected


# --- Fleiss' kappa -----------------------------------------------------------

def fleiss_kappa(table: Sequence[Sequence[float]] | np.ndarray) -> float:
    """Fleiss' kappa from a subjects x categories table of counts.

    ``table[i][j]`` is how many raters put subject i in category j; every row
    must sum to the same number of raters n >= 2.

    Returns:
        kappa; NaN when undefined (all ratings in one category, or fewer than 2 raters).
    Raises:
        ValueError: an empty or ragged table, or rows with different rater counts.

    >>> fleiss_kappa([[2, 0], [0, 2], [1, 1]])
    0.3333333333333335
    """
    t = np.asarray(table, dtype=float)
    if t.ndim != 2 or t.shape[0] == 0 or t.shape[1] == 0:
        raise ValueError("fleiss_kappa needs a non-empty 2-D table (subjects x categories)")
    raters = t.sum(axis=1)
    n = raters[0]
    if not np.all(raters == n):
        raise ValueError("fleiss_kappa needs the same number of ratings on every subject (row sums differ)")
    return fleiss_kappa_from_totals(n, t.shape[0], float((t * t).sum()), t.sum(axis=0))


def fleiss_kappa_from_totals(raters: float, subjects: int, sum_of_squares: float,
                             category_totals: Sequence[float] | np.ndarray) -> float:
    """Fleiss' kappa from a table's totals, for tables built one block of rows at a time.

    Args:
        raters: ratings per subject (every row's sum).
        subjects: rows of the table.
        sum_of_squares: the sum of every cell squared.
        category_totals: the column sums.
    """
    if raters < 2 or not subjects:
        return NAN
    totals = np.asarray(category_totals, dtype=float)
    p_cat = totals / totals.sum()
    p_mean = (sum_of_squares / subjects - raters) / (raters * (raters - 1.0))
    p_expected = float((p_cat * p_cat).sum())
    if p_expected == 1.0:
        return NAN
    return float((p_mean - p_expected) / (1.0 - p_expected))


# --- Krippendorff's alpha ----------------------------------------------------

def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def krippendorff_alpha(data: Sequence[Sequence[Any]], level: str = "nominal") -> float:
    """Krippendorff's alpha for coders x units reliability data.

    Args:
        data: one row per coder, one column per unit; ``None`` (or NaN) where a
            coder did not rate a unit. Values are any hashables for nominal,
            sortable values for ordinal, numbers for interval. A numeric NumPy
            array (NaN = missing) takes a vectorised path.
        level: "nominal", "ordinal" or "interval".
    Returns:
        alpha; NaN when undefined (no unit rated by two coders, or a single
        value among the pairable ratings, where expected disagreement is 0).

    >>> round(krippendorff_alpha([[1, 2, 3, 3], [1, 2, 3, 4]], level="interval"), 6)
    0.888889
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, got {level!r}")
    if isinstance(data, np.ndarray) and data.ndim == 2 and data.dtype.kind in "fiu":
        return _alpha_from_array(data.astype(float, copy=False), level)
    rows = [list(row) for row in data]
    if not rows:
        raise ValueError("krippendorff_alpha needs at least one coder row")
    n_units = len(rows[0])
    if any(len(row) != n_units for row in rows):
        raise ValueError("krippendorff_alpha needs every coder row to have the same number of units")
    units = [[row[u] for row in rows if not _missing(row[u])] for u in range(n_units)]
    return alpha_from_units(units, level)


def _alpha_from_array(data: np.ndarray, level: str) -> float:
    """Vectorised path for a numeric coders x units array with NaN for missing."""
    present = ~np.isnan(data)
    if not present.any():
        return NAN
    domain, codes = np.unique(data[present], return_inverse=True)
    units = np.broadcast_to(np.arange(data.shape[1]), data.shape)[present]
    counts = np.bincount(units * len(domain) + codes.ravel(), minlength=data.shape[1] * len(domain))
    return alpha_from_counts(counts.reshape(data.shape[1], len(domain)).astype(float), list(domain), level)


def alpha_from_units(units: Iterable[Sequence[Any]], level: str = "nominal") -> float:
    """Krippendorff's alpha from the values each unit received (missing ones left out).

    The fast path behind :func:`krippendorff_alpha`, for callers that hold data per unit.
    """
    index: dict[Any, int] = {}
    unit_ids: list[int] = []
    value_ids: list[int] = []
    for u, values in enumerate(units):
        if len(values) < 2:  # a unit rated once is not pairable: it adds nothing
            continue
        for v in values:
            unit_ids.append(u)
            value_ids.append(index.setdefault(v, len(index)))
    if not unit_ids:
        return NAN
    domain = list(index)
    n_values = len(domain)
    if level != "nominal":
        order = sorted(range(n_values), key=lambda i: domain[i])
        remap = np.empty(n_values, dtype=np.int64)
        remap[order] = np.arange(n_values)
        value_ids = remap[np.asarray(value_ids)]
        domain = [domain[i] for i in order]
    _, unit_index = np.unique(np.asarray(unit_ids), return_inverse=True)
    n_units = int(unit_index.max()) + 1
    counts = np.bincount(unit_index * n_values + np.asarray(value_ids), minlength=n_units * n_values)
    return alpha_from_counts(counts.reshape(n_units, n_values).astype(float), domain, level)


def alpha_from_counts(counts: np.ndarray, domain: Sequence[Any] | None = None, level: str = "nominal") -> float:
    """Krippendorff's alpha from a units x values matrix of counts (how many coders gave unit u value v).

    ``domain`` lists the values in column order (sorted, for ordinal and interval).
    """
    return alpha_from_coincidences(coincidences(counts), domain, level)


def coincidences(counts: np.ndarray) -> np.ndarray:
    """Krippendorff's coincidence matrix of a units x values count matrix (units rated once add nothing).

    Coincidence matrices add up: a large table can be taken a block of units at a time.
    """
    counts = np.asarray(counts, dtype=float)
    counts = counts[counts.sum(axis=1) >= 2]  # only pairable units count
    weighted = counts / (counts.sum(axis=1) - 1.0)[:, None]
    return weighted.T @ counts - np.diag(weighted.sum(axis=0))


def alpha_from_coincidences(o: np.ndarray, domain: Sequence[Any] | None = None, level: str = "nominal") -> float:
    """Krippendorff's alpha from a coincidence matrix (see :func:`coincidences`); NaN when undefined."""
    n_v = o.sum(axis=0)
    total = n_v.sum()
    if total <= 1:
        return NAN
    domain = list(domain) if domain is not None else list(range(len(n_v)))
    e = (np.outer(n_v, n_v) - np.diag(n_v)) / (total - 1.0)
    d = _distances(domain, n_v, level)
    expected = float((e * d).sum())
    if expected == 0.0:
        return NAN
    return float(1.0 - (o * d).sum() / expected)


def _distances(domain: list, n_v: np.ndarray, level: str) -> np.ndarray:
    k = len(domain)
    if level == "nominal":
        return 1.0 - np.eye(k)
    if level == "interval":
        values = np.asarray(domain, dtype=float)
        return (values[:, None] - values[None, :]) ** 2
    # ordinal: (sum of n_g for g between c and k inclusive - (n_c + n_k) / 2) ** 2
    cumulative = np.concatenate(([0.0], np.cumsum(n_v)))
    i = np.arange(k)
    lo, hi = np.minimum(i[:, None], i[None, :]), np.maximum(i[:, None], i[None, :])
    between = cumulative[hi + 1] - cumulative[lo]
    return (between - (n_v[lo] + n_v[hi]) / 2.0) ** 2


# --- span F1 -----------------------------------------------------------------

@dataclass(frozen=True)
class SpanScores:
    """Precision, recall and F1 of spans ``b`` against reference ``a``.

    ``precision = matches / n_b``, ``recall = matches / n_a``,
    ``f1 = 2 * matches / (n_a + n_b)`` (symmetric). NaN where a denominator is 0.
    """

    precision: float
    recall: float
    f1: float
    matches: int
    n_a: int
    n_b: int

    @classmethod
    def from_counts(cls, matches: int, n_a: int, n_b: int) -> "SpanScores":
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


def _max_matching(a: list[Span], b: list[Span]) -> int:
    """Size of a maximum matching between overlapping spans (Kuhn's augmenting paths)."""
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

    return sum(1 for i in range(len(a)) if augment(i, set()))


def match_count(a: Iterable[Any], b: Iterable[Any], mode: str = "strict") -> int:
    """Matched spans between two annotators' spans of one document."""
    sa, sb = [_as_span(x) for x in a], [_as_span(x) for x in b]
    if mode not in ("strict", "partial"):
        raise ValueError(f"mode must be 'strict' or 'partial', got {mode!r}")
    if mode == "strict":
        return sum((Counter(sa) & Counter(sb)).values())
    return _partial_count(sa, sb)


def _partial_count(sa: Iterable[Span], sb: Iterable[Span]) -> int:
    """Partial matches: a maximum matching between overlapping spans of the same label."""
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


def span_f1(a: Mapping[Any, Iterable[Any]] | Sequence[Iterable[Any]],
            b: Mapping[Any, Iterable[Any]] | Sequence[Iterable[Any]],
            mode: str = "strict") -> SpanScores:
    """Span precision/recall/F1 of annotator ``b`` taking ``a`` as reference, micro-averaged over documents.

    Args:
        a, b: per-document spans, either two mappings ``doc_id -> spans`` (a
            document missing from one side has no spans there) or two
            equal-length sequences of span lists. A span is a
            :class:`~annotate.spans.Span`, a ``(start, end, label)`` tuple or a
            ``{"start", "end", "label"}`` dict.
        mode: "strict" (same start, end and label) or "partial" (overlapping
            with the same label; each span matched at most once, maximum matching).
    Returns:
        :class:`SpanScores`.

    >>> span_f1([[(0, 4, "ORG")]], [[(0, 6, "ORG")]], mode="partial").f1
    1.0
    """
    if isinstance(a, Mapping) != isinstance(b, Mapping):
        raise ValueError("span_f1 needs two mappings (doc id -> spans) or two sequences, not one of each")
    if isinstance(a, Mapping):
        keys = list(dict.fromkeys([*a.keys(), *b.keys()]))
        pairs = [(a.get(k, ()), b.get(k, ())) for k in keys]
    else:
        if len(a) != len(b):
            raise ValueError(f"span_f1 needs the same number of documents on both sides, got {len(a)} and {len(b)}")
        pairs = list(zip(a, b))
    matches = n_a = n_b = 0
    for doc_a, doc_b in pairs:
        doc_a, doc_b = list(doc_a), list(doc_b)
        matches += match_count(doc_a, doc_b, mode)
        n_a += len(doc_a)
        n_b += len(doc_b)
    return SpanScores.from_counts(matches, n_a, n_b)


# --- the agreement report ----------------------------------------------------

@dataclass
class AgreementReport:
    n_documents: int
    annotators: list[str]
    pairwise: list[dict]
    krippendorff_alpha: float
    fleiss_kappa: float
    fleiss_n_documents: int
    fleiss_n_annotators: int
    per_label: dict[str, dict]
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        def clean(value: Any) -> Any:
            if isinstance(value, float) and math.isnan(value):
                return None
            if isinstance(value, dict):
                return {k: clean(v) for k, v in value.items()}
            if isinstance(value, list):
                return [clean(v) for v in value]
            return value

        return clean({
            "n_documents": self.n_documents, "annotators": self.annotators, "pairwise": self.pairwise,
            "krippendorff_alpha": self.krippendorff_alpha, "fleiss_kappa": self.fleiss_kappa,
            "fleiss_n_documents": self.fleiss_n_documents, "fleiss_n_annotators": self.fleiss_n_annotators,
            "per_label": self.per_label, "notes": self.notes,
        })


class AgreementTally:
    """The agreement report's statistics, gathered one document at a time.

    Memory stays bounded whatever the number of documents: per annotator pair
    the span counts and a token confusion table (Cohen), per annotator count
    the totals of a Fleiss table, and one Krippendorff coincidence matrix.
    Token count rows are buffered and folded into those totals in blocks.

    >>> tally = AgreementTally(["ORG"])
    >>> tally.add({"ann": [Span(0, 4, "ORG")], "bob": [Span(0, 4, "ORG")]},
    ...           {"ann": ["ORG", "O"], "bob": ["ORG", "O"]})
    >>> tally.report().pairwise[0]["f1_strict"]
    1.0
    """

    BLOCK = 50_000  # token rows buffered before they are folded into the totals

    def __init__(self, labels: Sequence[str]):
        self.labels = list(labels)
        self.n_documents = 0
        self.annotators: set[str] = set()
        self.pairs: dict[tuple[str, str], list] = {}  # (a, b) -> [docs, strict, partial, n_a, n_b]
        self.confusion: dict[tuple[str, str], Counter] = defaultdict(Counter)  # (a, b) -> {(code a, code b): n}
        self.label_matches: Counter = Counter()
        self.label_totals: Counter = Counter()
        self.codes: dict[str, int] = {}
        self.coincidence = np.zeros((0, 0))
        self.fleiss: dict[int, list] = {}  # raters -> [documents, subjects, sum of squares, category totals]
        self.buffer: dict[tuple, list[np.ndarray]] = defaultdict(list)  # annotators -> their code rows, not yet folded
        self.buffered = 0

    def add(self, spans: Mapping[str, Iterable[Span]], token_labels: Mapping[str, Sequence[str]]) -> None:
        """One document: each annotator's spans (a set: duplicates count once), and each one's label per
        token ("O" outside)."""
        self.n_documents += 1
        names = sorted(spans)
        self.annotators.update(names)
        if len(names) < 2:
            return
        coded: dict[int, list[int]] = {}  # one coding per distinct label list (annotators often agree)
        rows = np.array([coded[id(token_labels[n])] if id(token_labels[n]) in coded else
                         coded.setdefault(id(token_labels[n]), self._coded(token_labels[n])) for n in names],
                        dtype=np.int64).reshape(len(names), -1)
        marked = {n: frozenset(spans[n]) for n in names}
        totals = self.label_totals
        for n in names:  # each annotator's spans are compared in len(names) - 1 pairs
            for span in marked[n]:
                totals[span.label] += len(names) - 1
        for (i, x), (j, y) in combinations(enumerate(names), 2):
            sx, sy = marked[x], marked[y]
            common = sx & sy
            pair = self.pairs.setdefault((x, y), [0, 0, 0, 0, 0])
            pair[0] += 1
            pair[1] += len(common)
            pair[2] += len(sx) if sx == sy else _partial_count(sx, sy)
            pair[3] += len(sx)
            pair[4] += len(sy)
            for span in common:
                self.label_matches[span.label] += 1
        self.fleiss.setdefault(len(names), [0, 0, 0.0, np.zeros(0)])[0] += 1
        self.buffer[tuple(names)].append(rows)  # raters x tokens
        self.buffered += rows.shape[1]
        if self.buffered >= self.BLOCK:
            self._fold()

    def _coded(self, labels: Sequence[str]) -> list[int]:
        """Token labels as integer codes (a code per label, given on first sight)."""
        codes = self.codes
        try:
            return list(map(codes.__getitem__, labels))
        except KeyError:
            for label in labels:
                codes.setdefault(label, len(codes))
            return list(map(codes.__getitem__, labels))

    def _fold(self) -> None:
        """Fold the buffered token rows into the pairs' confusion tables, the coincidence matrix and the Fleiss totals."""
        width = len(self.codes)
        by_raters: dict[int, list[np.ndarray]] = defaultdict(list)
        for names, chunks in self.buffer.items():
            stacked = np.hstack(chunks)  # raters x tokens
            by_raters[len(names)].append(stacked.T)
            for (i, x), (j, y) in combinations(enumerate(names), 2):  # Cohen: each pair's (code, code) counts
                cells, times = np.unique(stacked[i] * _PAIR + stacked[j], return_counts=True)
                table = self.confusion[(x, y)]
                for cell, n in zip(cells.tolist(), times.tolist()):
                    table[divmod(cell, _PAIR)] += n
        for raters, blocks in by_raters.items():
            rows = np.vstack(blocks)
            n_tokens = rows.shape[0]
            cells = (np.arange(n_tokens)[:, None] * width + rows).ravel()
            counts = np.bincount(cells, minlength=n_tokens * width).reshape(n_tokens, width).astype(float)
            self.coincidence = _grown(self.coincidence, width, square=True) + coincidences(counts)
            block = self.fleiss[raters]
            block[1] += n_tokens
            block[2] += float((counts * counts).sum())
            block[3] = _grown(block[3], width) + counts.sum(axis=0)
        self.buffer.clear()
        self.buffered = 0

    def report(self) -> AgreementReport:
        """The report of everything added so far."""
        self._fold()
        annotators = sorted(self.annotators)
        pairwise = []
        for x, y in combinations(annotators, 2):
            docs, strict, partial, n_x, n_y = self.pairs.get((x, y), [0, 0, 0, 0, 0])
            pairwise.append({"annotator_a": x, "annotator_b": y, "n_documents": docs,
                             "f1_strict": SpanScores.from_counts(strict, n_x, n_y).f1,
                             "f1_partial": SpanScores.from_counts(partial, n_x, n_y).f1,
                             "cohen_kappa": cohen_kappa_from_confusion(self.confusion.get((x, y), {}))})
        per_label = {label: {"f1_strict": (2 * self.label_matches[label] / self.label_totals[label])
                             if self.label_totals[label] else NAN, "support": self.label_totals[label]}
                     for label in self.labels}
        alpha = alpha_from_coincidences(self.coincidence) if self.coincidence.size else NAN
        notes = []
        fleiss, fleiss_docs, fleiss_n = NAN, 0, 0
        if self.fleiss:
            fleiss_n = max(self.fleiss, key=lambda k: (self.fleiss[k][0], k))
            fleiss_docs, subjects, squares, totals = self.fleiss[fleiss_n]
            fleiss = fleiss_kappa_from_totals(fleiss_n, subjects, squares, totals)
            if fleiss_docs < self.n_documents:
                notes.append(f"Fleiss' kappa covers the {fleiss_docs} documents with {fleiss_n} annotators each "
                             f"(of {self.n_documents}); it needs the same number of annotators on every document.")
        else:
            notes.append("No document has two or more annotators: agreement is undefined.")
        return AgreementReport(
            n_documents=self.n_documents, annotators=annotators, pairwise=pairwise, krippendorff_alpha=alpha,
            fleiss_kappa=fleiss, fleiss_n_documents=fleiss_docs, fleiss_n_annotators=fleiss_n,
            per_label=per_label, notes=notes,
        )


_PAIR = 1 << 20  # a pair of token label codes (x, y) is stored as one integer x * _PAIR + y


def _grown(array: np.ndarray, width: int, square: bool = False) -> np.ndarray:
    """``array`` padded with zeros to ``width`` columns (and rows, if ``square``)."""
    if array.shape[-1] == width:
        return array
    out = np.zeros((width, width) if square else width)
    out[tuple(slice(0, n) for n in array.shape)] = array
    return out


def agreement_report(
    spans: Mapping[str, Mapping[str, Sequence[Span]]],
    token_labels: Mapping[str, Mapping[str, Sequence[str]]],
    labels: Sequence[str],
) -> AgreementReport:
    """Agreement over documents annotated by several annotators.

    Args:
        spans: ``doc_id -> annotator -> spans`` (only the kept annotations).
        token_labels: ``doc_id -> annotator -> label per token`` ("O" outside entities),
            the same documents and annotators as ``spans``.
        labels: the label set (for the per-label table).
    """
    tally = AgreementTally(labels)
    for doc_id, per_doc in spans.items():
        tally.add(per_doc, token_labels[doc_id])
    return tally.report()


def agreement_for(documents: Sequence[Any], records: Sequence[Any], labels: Sequence[str],
                  lang: str = "en") -> AgreementReport:
    """The agreement report of normalised annotation records over their documents.

    Tokens come from spaCy's tokenizer for ``lang``; a token's label is the
    label of the entity covering it, or "O".
    """
    from annotate.core.alignment import blank_pipeline, token_labels_by_annotator

    texts = {d.id: d.text for d in documents}
    spans: dict[str, dict[str, Sequence[Span]]] = defaultdict(dict)
    for record in records:
        spans[record.doc_id][record.annotator] = record.spans
    nlp = blank_pipeline(lang)
    tally = AgreementTally(labels)
    for doc_id, per_annotator in spans.items():  # one annotator: a document counted, no tokens to compare
        tally.add(per_annotator, token_labels_by_annotator(nlp.make_doc(texts[doc_id]), per_annotator)
                  if len(per_annotator) >= 2 else {})
    return tally.report()
