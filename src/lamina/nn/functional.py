"""Stateless network functions, named as in ``torch.nn.functional`` (import as ``F``).

The formulas live in ``lamina.ops``; this module is the users' door to the network functions
among them: every public name of the op modules listed here (so a new activation or loss is
in ``F`` once it is in its module's ``__all__``), plus ``sigmoid``, ``tanh`` and ``pad``.
"""

from lamina.ops import (
    activation,
    affine,
    attention,
    clipped,
    conv,
    gaussian,
    lookup,
    loss,
    loss_pointwise,
    normalization,
    pool,
    regularize,
    resample,
)
from lamina.ops.activation import *  # noqa: F403
from lamina.ops.affine import *  # noqa: F403
from lamina.ops.attention import *  # noqa: F403
from lamina.ops.clipped import *  # noqa: F403
from lamina.ops.conv import *  # noqa: F403
from lamina.ops.elementwise import sigmoid as sigmoid
from lamina.ops.elementwise import tanh as tanh
from lamina.ops.gaussian import *  # noqa: F403
from lamina.ops.lookup import *  # noqa: F403
from lamina.ops.loss import *  # noqa: F403
from lamina.ops.loss_pointwise import *  # noqa: F403
from lamina.ops.normalization import *  # noqa: F403
from lamina.ops.pool import *  # noqa: F403
from lamina.ops.regularize import *  # noqa: F403
from lamina.ops.resample import *  # noqa: F403
from lamina.ops.shape import pad as pad

_MODULES = (
    activation,
    affine,
    clipped,
    conv,
    lookup,
    loss,
    loss_pointwise,
    normalization,
    pool,
    regularize,
    resample,
    attention,
    gaussian,
)
__all__ = sorted({name for m in _MODULES for name in m.__all__} | {"pad", "sigmoid", "tanh"})
