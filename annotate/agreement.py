"""Agreement coefficients and span F1, the public API (``from annotate.agreement import cohen_kappa, ...``).

The code lives in the functional core: the coefficients in :mod:`annotate.core.coefficients`, span
matching in :mod:`annotate.core.matching`, the report in :mod:`annotate.core.agreement`; this module keeps
the documented import path. Where a coefficient is undefined (every rating in one category, no unit rated
twice, no spans at all) the functions return ``float('nan')``; malformed input raises ``ValueError``.

EXAMPLE:
    >>> from annotate.agreement import cohen_kappa, fleiss_kappa, krippendorff_alpha, span_f1
    >>> cohen_kappa(["PER", "O", "O", "ORG"], ["PER", "O", "ORG", "ORG"])
    0.6363636363636364
    >>> krippendorff_alpha([[1, 2, 3, None], [1, 2, 3, 3]], level="nominal")
    1.0
    >>> span_f1({"d1": [(0, 5, "PER")]}, {"d1": [(0, 5, "PER"), (9, 12, "ORG")]}).f1
    0.6666666666666666
"""

from annotate.core.agreement import AgreementReport, AgreementTally, agreement_for, agreement_report
from annotate.core.coefficients import (
    alpha_from_coincidences,
    alpha_from_counts,
    alpha_from_units,
    coincidences,
    cohen_kappa,
    cohen_kappa_from_confusion,
    fleiss_kappa,
    fleiss_kappa_from_totals,
    krippendorff_alpha,
)
from annotate.core.matching import SpanScores, match_count, span_f1

__all__ = [  # every public name of the three core modules (tests/test_agreement_metrics.py checks)
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
