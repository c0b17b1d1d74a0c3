"""The operations of lamina: every differentiable function, written once.

Tensor methods and ``lamina.nn.functional`` both call into here. Each module lists its public
names in ``__all__``; this package exports exactly their union, so a new op is exported by
adding it to its own module's ``__all__`` and nowhere else. (No module is named like one of
its functions, so ``lamina.ops.<name>`` is always the function.)
"""

from lamina.ops import (
    activation,
    affine,
    attention,
    clipped,
    compare,
    contract,
    conv,
    creation,
    elementwise,
    gaussian,
    index,
    inplace,
    layout,
    linalg,
    lookup,
    loss,
    loss_pointwise,
    mask,
    normalization,
    pool,
    random,
    reduce,
    regularize,
    resample,
    rnn,
    shape,
    sorting,
    trig,
)
from lamina.ops.activation import *  # noqa: F403
from lamina.ops.affine import *  # noqa: F403
from lamina.ops.attention import *  # noqa: F403
from lamina.ops.clipped import *  # noqa: F403
from lamina.ops.compare import *  # noqa: F403
from lamina.ops.contract import *  # noqa: F403
from lamina.ops.conv import *  # noqa: F403
from lamina.ops.creation import *  # noqa: F403
from lamina.ops.elementwise import *  # noqa: F403
from lamina.ops.gaussian import *  # noqa: F403
from lamina.ops.index import *  # noqa: F403
from lamina.ops.inplace import *  # noqa: F403
from lamina.ops.layout import *  # noqa: F403
from lamina.ops.linalg import *  # noqa: F403
from lamina.ops.lookup import *  # noqa: F403
from lamina.ops.loss import *  # noqa: F403
from lamina.ops.loss_pointwise import *  # noqa: F403
from lamina.ops.mask import *  # noqa: F403
from lamina.ops.normalization import *  # noqa: F403
from lamina.ops.pool import *  # noqa: F403
from lamina.ops.random import *  # noqa: F403
from lamina.ops.reduce import *  # noqa: F403
from lamina.ops.regularize import *  # noqa: F403
from lamina.ops.resample import *  # noqa: F403
from lamina.ops.rnn import *  # noqa: F403
from lamina.ops.shape import *  # noqa: F403
from lamina.ops.sorting import *  # noqa: F403
from lamina.ops.trig import *  # noqa: F403

_MODULES = (
    activation,
    affine,
    clipped,
    compare,
    contract,
    conv,
    creation,
    elementwise,
    index,
    inplace,
    layout,
    linalg,
    loss,
    loss_pointwise,
    lookup,
    mask,
    normalization,
    pool,
    random,
    reduce,
    regularize,
    resample,
    rnn,
    shape,
    sorting,
    trig,
    attention,
    gaussian,
)
__all__ = sorted({name for module in _MODULES for name in module.__all__} | {"inplace"})
