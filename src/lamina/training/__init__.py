"""Training workflow: the ``Trainer`` loop, callbacks, history and Keras-style ``Model``."""

import sys

from lamina.training.callbacks import *  # noqa: F403
from lamina.training.history import *  # noqa: F403
from lamina.training.keras import *  # noqa: F403
from lamina.training.network_estimator import *  # noqa: F403
from lamina.training.plot_images import *  # noqa: F403
from lamina.training.plots import *  # noqa: F403
from lamina.training.search import *  # noqa: F403
from lamina.training.trainer import *  # noqa: F403

_PUBLIC = (
    "callbacks",
    "history",
    "keras",
    "network_estimator",
    "plot_images",
    "plots",
    "search",
    "trainer",
)
__all__ = sorted({name for m in _PUBLIC for name in sys.modules[f"{__name__}.{m}"].__all__})
del sys
