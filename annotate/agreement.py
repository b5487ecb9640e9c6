"""Agreement coefficients, the public API (``from annotate.agreement import cohen_kappa, ...``).

The code lives in :mod:`annotate.core.agreement`; this module keeps the documented import path.
"""

from annotate.core.agreement import *  # noqa: F401,F403
from annotate.core.agreement import __all__  # noqa: F401
