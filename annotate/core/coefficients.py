"""Agreement coefficients: Cohen's kappa, Fleiss' kappa and Krippendorff's alpha. Pure.

Their values equal scikit-learn's ``cohen_kappa_score``, statsmodels' ``fleiss_kappa`` and the
``krippendorff`` package's ``alpha`` (to 1e-9; the test suite checks). Where a coefficient is undefined
(every rating in one category, no unit rated twice) the functions return ``float('nan')``, never a made-up
number; malformed input (unequal lengths, ragged tables) raises ``ValueError``. Import them from
:mod:`annotate.agreement`, the public API.

EXAMPLE:
    >>> cohen_kappa(["PER", "O", "O", "ORG"], ["PER", "O", "ORG", "ORG"])
    0.6363636363636364
    >>> krippendorff_alpha([[1, 2, 3, None], [1, 2, 3, 3]], level="nominal")
    1.0
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np

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
]

NAN = float("nan")
LEVELS = ("nominal", "ordinal", "interval")


# --- Cohen's kappa -----------------------------------------------------------


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Cohen's kappa of two raters' labels for the same items (``a[i]`` and ``b[i]`` rate item i).

    a (Sequence[Hashable]): The first rater's labels (any hashable values).
    b (Sequence[Hashable]): The second rater's, as many. ValueError for unequal lengths or no items.
    RETURNS (float): Kappa in [-1, 1]; NaN when undefined (both raters used one and the same label only).

    EXAMPLE:
        >>> cohen_kappa(["A", "A", "B"], ["A", "B", "B"])
        0.4
    """
    if len(a) != len(b):
        raise ValueError(f"cohen_kappa needs two sequences of equal length, got {len(a)} and {len(b)}")
    if not len(a):
        raise ValueError("cohen_kappa needs at least one item")
    return cohen_kappa_from_confusion(Counter(zip(a, b, strict=True)))


def cohen_kappa_from_confusion(confusion: Mapping[tuple[Hashable, Hashable], int]) -> float:
    """Cohen's kappa from a confusion table, for tables built one block of items at a time.

    confusion (Mapping[tuple[Hashable, Hashable], int]): ``confusion[(x, y)]`` items rated x by one rater
        and y by the other.
    RETURNS (float): Kappa; NaN when undefined (an empty table, or no disagreement is expected).

    EXAMPLE:
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

    table (Sequence[Sequence[float]] | np.ndarray): ``table[i][j]`` is how many raters put subject i in
        category j; every row sums to the same number of raters n >= 2. ValueError for an empty or ragged
        table, or rows with different rater counts.
    RETURNS (float): Kappa; NaN when undefined (all ratings in one category, or fewer than 2 raters).

    EXAMPLE:
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


def fleiss_kappa_from_totals(
    raters: float, subjects: int, sum_of_squares: float, category_totals: Sequence[float] | np.ndarray
) -> float:
    """Fleiss' kappa from a table's totals, for tables built one block of rows at a time.

    raters (float): Ratings per subject (every row's sum).
    subjects (int): Rows of the table.
    sum_of_squares (float): The sum of every cell squared.
    category_totals (Sequence[float] | np.ndarray): The column sums.
    RETURNS (float): Kappa; NaN when undefined.

    EXAMPLE:
        >>> fleiss_kappa_from_totals(2, 3, 2 * 4 + 2 * 1, [3, 3])
        0.3333333333333335
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

    data (Sequence[Sequence[Any]]): One row per coder, one column per unit; ``None`` (or NaN) where a coder
        did not rate a unit. Values are any hashables for nominal, sortable values for ordinal, numbers for
        interval. A numeric NumPy array (NaN = missing) takes a vectorised path.
    level (str): "nominal", "ordinal" or "interval".
    RETURNS (float): Alpha; NaN when undefined (no unit rated by two coders, or a single value among the
        pairable ratings, where expected disagreement is 0).

    EXAMPLE:
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

    units (Iterable[Sequence[Any]]): Each unit's values (a unit rated once adds nothing).
    level (str): "nominal", "ordinal" or "interval".
    RETURNS (float): Alpha; NaN when undefined.

    EXAMPLE:
        >>> alpha_from_units([["PER", "PER"], ["ORG", "ORG"], ["O"]])
        1.0
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
    """Krippendorff's alpha from a units x values matrix of counts.

    counts (np.ndarray): ``counts[u, v]``: how many coders gave unit u value v.
    domain (Sequence[Any] | None): The values in column order (sorted, for ordinal and interval).
    level (str): "nominal", "ordinal" or "interval".
    RETURNS (float): Alpha; NaN when undefined.

    EXAMPLE:
        >>> alpha_from_counts(np.array([[2, 0], [0, 2], [1, 1]]))
        0.4444444444444444
    """
    return alpha_from_coincidences(coincidences(counts), domain, level)


def coincidences(counts: np.ndarray) -> np.ndarray:
    """Krippendorff's coincidence matrix of a units x values count matrix (units rated once add nothing).

    Coincidence matrices add up: a large table can be taken a block of units at a time.

    counts (np.ndarray): ``counts[u, v]``: how many coders gave unit u value v.
    RETURNS (np.ndarray): The values x values coincidence matrix.

    EXAMPLE:
        >>> coincidences(np.array([[2, 0], [0, 2]])).tolist()
        [[2.0, 0.0], [0.0, 2.0]]
    """
    counts = np.asarray(counts, dtype=float)
    counts = counts[counts.sum(axis=1) >= 2]  # only pairable units count
    weighted = counts / (counts.sum(axis=1) - 1.0)[:, None]
    return weighted.T @ counts - np.diag(weighted.sum(axis=0))


def alpha_from_coincidences(o: np.ndarray, domain: Sequence[Any] | None = None, level: str = "nominal") -> float:
    """Krippendorff's alpha from a coincidence matrix (see :func:`coincidences`).

    o (np.ndarray): The coincidence matrix (sums of blocks' matrices allowed).
    domain (Sequence[Any] | None): The values in column order (default: 0, 1, ...).
    level (str): "nominal", "ordinal" or "interval".
    RETURNS (float): Alpha; NaN when undefined.
    """
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
