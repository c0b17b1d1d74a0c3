"""Optimizers and learning-rate schedules, with PyTorch's names, defaults and update rules.

The update rules live in ``lamina.optim.functional``, one pure function each; the classes
keep parameter groups and state. Schedules are in ``lamina.optim.lr_scheduler``.
"""

from lamina.optim import (
    adadelta,
    adagrad,
    adam,
    functional,
    lbfgs,
    lr_scheduler,
    optimizer,
    rmsprop,
    sgd,
)
from lamina.optim.adadelta import *  # noqa: F403
from lamina.optim.adagrad import *  # noqa: F403
from lamina.optim.adam import *  # noqa: F403
from lamina.optim.lbfgs import *  # noqa: F403
from lamina.optim.optimizer import *  # noqa: F403
from lamina.optim.rmsprop import *  # noqa: F403
from lamina.optim.sgd import *  # noqa: F403

_MODULES = (adadelta, adagrad, adam, lbfgs, optimizer, rmsprop, sgd)
_NAMESPACES = (functional, lr_scheduler)
__all__ = sorted({name for m in _MODULES for name in m.__all__} | {"functional", "lr_scheduler"})
