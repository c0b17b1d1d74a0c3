"""Datasets that need no network: bundled real data, generated toy problems, text corpora.

Classification datasets return ``X`` as float32 and ``y`` as int64 class indices.

>>> from lamina.datasets import load_iris
>>> X, y = load_iris()
>>> X.shape, X.dtype, y.dtype
((150, 4), dtype('float32'), dtype('int64'))
"""

import sys

from lamina.datasets.bundled import *  # noqa: F403
from lamina.datasets.cmudict import *  # noqa: F403
from lamina.datasets.dates import *  # noqa: F403
from lamina.datasets.sentiment import *  # noqa: F403
from lamina.datasets.shapes import *  # noqa: F403
from lamina.datasets.synthetic import *  # noqa: F403
from lamina.datasets.text import *  # noqa: F403
from lamina.datasets.treebank import *  # noqa: F403

_PUBLIC = ("bundled", "cmudict", "dates", "sentiment", "shapes", "synthetic", "text", "treebank")
__all__ = sorted({name for m in _PUBLIC for name in sys.modules[f"{__name__}.{m}"].__all__})
del sys
