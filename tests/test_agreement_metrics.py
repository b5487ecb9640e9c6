"""The agreement coefficients equal the reference packages (scikit-learn, statsmodels,
krippendorff, seqeval) to 1e-9, on textbook examples, random inputs, and the undefined cases."""

import doctest
import math
import warnings
from itertools import permutations

import krippendorff
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from seqeval.metrics import f1_score as seqeval_f1
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss

import annotate.agreement as agreement
from annotate.agreement import cohen_kappa, fleiss_kappa, krippendorff_alpha, span_f1
from annotate.core.spans import Span

from .tokenspans import iob2, non_overlapping, token_spans

TOL = 1e-9
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def same(ours, reference):
    if reference is None or (isinstance(reference, float) and math.isnan(reference)):
        return math.isnan(ours)
    return abs(ours - reference) <= TOL


def reference_alpha(data, level):
    """The krippendorff package, or NaN where it refuses (its ValueError means: undefined)."""
    matrix = np.array([[np.nan if v is None else v for v in row] for row in data], dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return float(krippendorff.alpha(reliability_data=matrix, level_of_measurement=level))
        except ValueError:
            return float("nan")


def reference_cohen(a, b):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(cohen_kappa_score(a, b))


def reference_fleiss(table):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return float(sm_fleiss(np.asarray(table, dtype=float)))


def test_docstring_examples():
    from annotate.core import agreement as report
    from annotate.core import coefficients, matching

    for module in (agreement, coefficients, matching, report):
        assert doctest.testmod(module).failed == 0, module.__name__


def test_the_public_api_names_every_public_name_of_the_core_modules():
    from annotate.core import agreement as report
    from annotate.core import coefficients, matching

    core = [*coefficients.__all__, *matching.__all__, *report.__all__]
    assert agreement.__all__ == core
    assert all(
        getattr(agreement, name) is getattr(module, name)
        for module in (coefficients, matching, report)
        for name in module.__all__
    )


# --- textbook examples ---------------------------------------------------------


def test_krippendorff_textbook_examples():
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability", the 4 coders x 12 units example
    data = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
        [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
    ]
    assert round(krippendorff_alpha(data, "nominal"), 3) == 0.743
    assert round(krippendorff_alpha(data, "ordinal"), 3) == 0.815
    assert round(krippendorff_alpha(data, "interval"), 3) == 0.849
    for level in ("nominal", "ordinal", "interval"):
        assert same(krippendorff_alpha(data, level), reference_alpha(data, level))


def test_fleiss_textbook_example():
    # Fleiss (1971) as reproduced on Wikipedia: 10 subjects, 14 raters, 5 categories -> 0.210
    table = [
        [0, 0, 0, 0, 14],
        [0, 2, 6, 4, 2],
        [0, 0, 3, 5, 6],
        [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0],
        [3, 2, 6, 3, 0],
        [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0],
        [0, 2, 2, 3, 7],
    ]
    assert round(fleiss_kappa(table), 3) == 0.210
    assert same(fleiss_kappa(table), reference_fleiss(table))


def test_cohen_textbook_example():
    # 50 items: 20 both yes, 15 both no, 5 yes/no, 10 no/yes -> po 0.7, pe 0.5, kappa 0.4
    a = ["y"] * 20 + ["n"] * 15 + ["y"] * 5 + ["n"] * 10
    b = ["y"] * 20 + ["n"] * 15 + ["n"] * 5 + ["y"] * 10
    assert abs(cohen_kappa(a, b) - 0.4) < TOL
    assert same(cohen_kappa(a, b), reference_cohen(a, b))


# --- random inputs -------------------------------------------------------------

labels = st.sampled_from(["O", "PER", "ORG", "GPE"])


@SETTINGS
@given(
    st.integers(1, 40).flatmap(
        lambda n: st.tuples(st.lists(labels, min_size=n, max_size=n), st.lists(labels, min_size=n, max_size=n))
    )
)
def test_cohen_equals_sklearn(pair):
    a, b = pair
    assert same(cohen_kappa(a, b), reference_cohen(a, b))


@SETTINGS
@given(
    st.integers(2, 6).flatmap(
        lambda raters: st.lists(
            st.lists(st.integers(0, raters), min_size=3, max_size=3)
            .filter(lambda r: sum(r) <= raters)
            .map(lambda r: r + [raters - sum(r)]),
            min_size=1,
            max_size=30,
        )
    )
)
def test_fleiss_equals_statsmodels(table):
    assert same(fleiss_kappa(table), reference_fleiss(table))


@SETTINGS
@given(
    st.integers(1, 5).flatmap(
        lambda coders: st.integers(1, 25).flatmap(
            lambda units: st.lists(
                st.lists(st.one_of(st.none(), st.integers(1, 4)), min_size=units, max_size=units),
                min_size=coders,
                max_size=coders,
            )
        )
    ),
    st.sampled_from(["nominal", "ordinal", "interval"]),
)
def test_krippendorff_equals_reference(data, level):
    assert same(krippendorff_alpha(data, level), reference_alpha(data, level))


@SETTINGS
@given(
    st.integers(1, 5).flatmap(
        lambda coders: st.integers(1, 25).flatmap(
            lambda units: st.lists(
                st.lists(st.one_of(st.none(), st.integers(1, 4)), min_size=units, max_size=units),
                min_size=coders,
                max_size=coders,
            )
        )
    ),
    st.sampled_from(["nominal", "ordinal", "interval"]),
)
def test_krippendorff_numpy_path_equals_reference(data, level):
    matrix = np.array([[np.nan if v is None else v for v in row] for row in data], dtype=float)
    assert same(krippendorff_alpha(matrix, level), reference_alpha(data, level))


def test_krippendorff_large_random_nominal_and_strings():
    rng = np.random.default_rng(7)
    data = rng.integers(0, 5, size=(5, 2000)).astype(float)
    data[rng.random(data.shape) < 0.2] = np.nan
    rows = [[None if np.isnan(v) else int(v) for v in row] for row in data]
    assert same(
        krippendorff_alpha(rows), float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
    )
    names = np.array(["O", "PER", "ORG", "GPE", "LOC"])
    as_strings = [[None if v is None else names[v] for v in row] for row in rows]
    assert krippendorff_alpha(as_strings) == krippendorff_alpha(rows)


# --- undefined and degenerate cases --------------------------------------------


def test_undefined_cases_are_nan_never_a_made_up_number():
    # one category only
    assert math.isnan(cohen_kappa(["O", "O"], ["O", "O"])) and math.isnan(reference_cohen(["O", "O"], ["O", "O"]))
    assert math.isnan(fleiss_kappa([[3, 0], [3, 0]])) and math.isnan(reference_fleiss([[3, 0], [3, 0]]))
    assert math.isnan(krippendorff_alpha([[1, 1, 1], [1, 1, 1]]))
    assert math.isnan(reference_alpha([[1, 1, 1], [1, 1, 1]], "nominal"))  # the package refuses: undefined
    # a single unit: defined (0) when the coders differ, undefined when they agree (one value only)
    assert krippendorff_alpha([[1], [2]]) == 0.0 == reference_alpha([[1], [2]], "nominal")
    assert math.isnan(krippendorff_alpha([[1], [1]])) and math.isnan(reference_alpha([[1], [1]], "nominal"))
    assert math.isnan(cohen_kappa(["O"], ["O"])) and cohen_kappa(["O"], ["PER"]) == reference_cohen(["O"], ["PER"])
    # no unit rated by two coders
    assert math.isnan(krippendorff_alpha([[1, None], [None, 2]]))
    # a single rater per subject
    assert math.isnan(fleiss_kappa([[1, 0], [0, 1]]))
    # no spans at all: F1 undefined; no overlap: 0
    empty = span_f1({"d": []}, {"d": []})
    assert math.isnan(empty.f1) and math.isnan(empty.precision) and math.isnan(empty.recall)
    disjoint = span_f1({"d": [(0, 3, "PER")]}, {"d": [(5, 8, "PER")]})
    assert disjoint.f1 == 0.0 and disjoint.precision == 0.0 and disjoint.recall == 0.0
    one_sided = span_f1({"d": [(0, 3, "PER")]}, {"d": []})
    assert one_sided.recall == 0.0 and math.isnan(one_sided.precision) and one_sided.f1 == 0.0


def test_malformed_input_raises_clear_errors():
    with pytest.raises(ValueError, match="equal length"):
        cohen_kappa(["a"], ["a", "b"])
    with pytest.raises(ValueError, match="same number of ratings"):
        fleiss_kappa([[2, 0], [1, 0]])
    with pytest.raises(ValueError, match="level must be one of"):
        krippendorff_alpha([[1]], level="ratio-ish")
    with pytest.raises(ValueError, match="same number of units"):
        krippendorff_alpha([[1, 2], [1]])
    with pytest.raises(ValueError, match="same number of documents"):
        span_f1([[]], [[], []])


# --- span F1 -------------------------------------------------------------------


def test_span_f1_strict_and_partial_by_hand():
    a = {"d1": [Span(0, 6, "GPE"), Span(10, 15, "PER"), Span(20, 24, "ORG")], "d2": [Span(0, 4, "DATE")]}
    b = {
        "d1": [Span(0, 6, "GPE"), Span(8, 15, "PER"), Span(20, 24, "GPE")],
        "d2": [Span(0, 4, "DATE"), Span(6, 9, "ORG")],
    }
    strict = span_f1(a, b)
    assert (strict.matches, strict.n_a, strict.n_b) == (2, 4, 5)
    assert strict.f1 == 2 * 2 / 9 and strict.recall == 2 / 4 and strict.precision == 2 / 5
    partial = span_f1(a, b, mode="partial")
    assert partial.matches == 3 and partial.f1 == 6 / 9
    # F1 is symmetric
    assert span_f1(b, a).f1 == strict.f1 and span_f1(b, a, mode="partial").f1 == partial.f1


def test_partial_matching_uses_each_span_once_and_finds_the_maximum():
    # one long span overlapping two short ones counts once
    assert span_f1([[(0, 10, "X")]], [[(0, 3, "X"), (5, 8, "X")]], mode="partial").matches == 1
    # greedy by position would match a1-b1 and leave a2 unmatched; the maximum matching is 2
    a = [[(0, 5, "X"), (4, 6, "X")]]
    b = [[(3, 7, "X"), (0, 2, "X")]]
    assert span_f1(a, b, mode="partial").matches == 2


def brute_force_partial(a, b):
    best = 0
    for k in range(len(b) + 1):
        for chosen in permutations(range(len(b)), min(k, len(a))):
            ok = all(a[i][2] == b[j][2] and a[i][0] < b[j][1] and b[j][0] < a[i][1] for i, j in enumerate(chosen))
            if ok:
                best = max(best, len(chosen))
    # also try matchings that skip some of a
    for skip in range(1, len(a) + 1):
        for kept in permutations(range(len(a)), len(a) - skip):
            for chosen in permutations(range(len(b)), len(kept)):
                if all(
                    a[i][2] == b[j][2] and a[i][0] < b[j][1] and b[j][0] < a[i][1]
                    for i, j in zip(kept, chosen, strict=True)
                ):
                    best = max(best, len(kept))
    return best


span_strategy = st.tuples(st.integers(0, 20), st.integers(1, 6), st.sampled_from(["X", "Y"])).map(
    lambda t: (t[0], t[0] + t[1], t[2])
)


@settings(max_examples=150, deadline=None)
@given(st.lists(span_strategy, max_size=4, unique=True), st.lists(span_strategy, max_size=4, unique=True))
def test_partial_matches_equal_brute_force(a, b):
    assert span_f1([a], [b], mode="partial").matches == brute_force_partial(a, b)


token_span = token_spans(12, ["PER", "ORG"])


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(token_span, max_size=4).map(non_overlapping), min_size=1, max_size=4),
    st.lists(st.lists(token_span, max_size=4).map(non_overlapping), min_size=1, max_size=4),
)
def test_strict_f1_equals_seqeval(docs_a, docs_b):
    n = min(len(docs_a), len(docs_b))
    docs_a, docs_b = docs_a[:n], docs_b[:n]
    ours = span_f1(docs_a, docs_b)  # token offsets stand in for character offsets
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = seqeval_f1([iob2(12, d) for d in docs_a], [iob2(12, d) for d in docs_b], zero_division=0)
    expected = reference if (ours.n_a + ours.n_b) else float("nan")
    assert same(ours.f1, expected)
