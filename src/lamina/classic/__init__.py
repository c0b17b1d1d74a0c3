"""Classic machine learning on NumPy: linear models, logistic models, PCA and LDA.

Every estimator follows scikit-learn's contract (constructor stores, ``fit`` validates and
returns ``self``, fitted attributes end in ``_``) and matches scikit-learn's results.
"""

from lamina.classic import (
    base,
    decomposition,
    lasso,
    linear,
    logistic,
    preprocessing,
    validation,
)
from lamina.classic.base import *  # noqa: F403
from lamina.classic.decomposition import *  # noqa: F403
from lamina.classic.lasso import *  # noqa: F403
from lamina.classic.linear import *  # noqa: F403
from lamina.classic.logistic import *  # noqa: F403
from lamina.classic.preprocessing import *  # noqa: F403
from lamina.classic.validation import *  # noqa: F403

_MODULES = (base, decomposition, lasso, linear, logistic, preprocessing, validation)
__all__ = sorted({name for m in _MODULES for name in m.__all__})
