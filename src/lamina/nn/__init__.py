"""Neural-network building blocks: ``Module``, layers, losses, initializers.

``lamina.nn`` exports the union of its layer modules' ``__all__``, so a new layer is exported by
listing it in its own module and nowhere else. ``functional`` (imported as ``F``), ``init`` and
``utils`` are sub-namespaces, as in PyTorch.
"""

from lamina.nn import (
    activation,
    attention,
    container,
    conv,
    dropout,
    embedding,
    functional,
    init,
    linear,
    loss,
    model_summary,
    module,
    norm,
    packing,
    padding,
    parameter,
    pool,
    positional,
    pyramidal,
    recurrent,
    rnn_cells,
    transformer,
    upsample,
    utils,
)
from lamina.nn.activation import *  # noqa: F403
from lamina.nn.attention import *  # noqa: F403
from lamina.nn.container import *  # noqa: F403
from lamina.nn.conv import *  # noqa: F403
from lamina.nn.dropout import *  # noqa: F403
from lamina.nn.embedding import *  # noqa: F403
from lamina.nn.linear import *  # noqa: F403
from lamina.nn.loss import *  # noqa: F403
from lamina.nn.model_summary import *  # noqa: F403
from lamina.nn.module import *  # noqa: F403
from lamina.nn.norm import *  # noqa: F403
from lamina.nn.packing import *  # noqa: F403
from lamina.nn.padding import *  # noqa: F403
from lamina.nn.parameter import *  # noqa: F403
from lamina.nn.pool import *  # noqa: F403
from lamina.nn.positional import *  # noqa: F403
from lamina.nn.pyramidal import *  # noqa: F403
from lamina.nn.recurrent import *  # noqa: F403
from lamina.nn.rnn_cells import *  # noqa: F403
from lamina.nn.transformer import *  # noqa: F403
from lamina.nn.upsample import *  # noqa: F403

_LAYER_MODULES = (
    activation,
    container,
    conv,
    dropout,
    embedding,
    linear,
    loss,
    module,
    norm,
    packing,
    padding,
    parameter,
    pool,
    pyramidal,
    recurrent,
    rnn_cells,
    model_summary,
    upsample,
    attention,
    positional,
    transformer,
)
_NAMESPACES = (functional, init, utils)
__all__ = sorted(
    {name for m in _LAYER_MODULES for name in m.__all__} | {"functional", "init", "utils"}
)
