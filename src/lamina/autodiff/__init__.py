"""The autodiff core: Tensor, the graph engine, grad mode and gradient checking."""

import sys

from lamina.autodiff.device import *  # noqa: F403
from lamina.autodiff.engine import *  # noqa: F403
from lamina.autodiff.function import *  # noqa: F403
from lamina.autodiff.grad_mode import *  # noqa: F403
from lamina.autodiff.gradcheck import *  # noqa: F403
from lamina.autodiff.graphviz import *  # noqa: F403
from lamina.autodiff.random import *  # noqa: F403
from lamina.autodiff.tensor import *  # noqa: F403

# Looked up by name: ``device`` and ``tensor`` are bound to the functions of the same name.
_PUBLIC = ("device", "engine", "function", "grad_mode", "gradcheck", "graphviz", "random", "tensor")
__all__ = sorted({name for m in _PUBLIC for name in sys.modules[f"{__name__}.{m}"].__all__})
del sys
