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

from annotate.core import agreement as _report
from annotate.core import coefficients as _coefficients
from annotate.core import matching as _matching
from annotate.core.agreement import *  # noqa: F401,F403
from annotate.core.coefficients import *  # noqa: F401,F403
from annotate.core.matching import *  # noqa: F401,F403

# Every public name of the three core modules, in the order they document them.
__all__ = [*_coefficients.__all__, *_matching.__all__, *_report.__all__]
