"""Learning-rate schedules: they rewrite ``group["lr"]`` of an optimizer's parameter groups.

Call ``scheduler.step()`` after ``optimizer.step()``, once per epoch or once per batch: a
schedule counts calls, not epochs. Each schedule follows PyTorch's semantics (the constructor
takes the first step, so ``last_epoch`` is 0 right after it; ``initial_lr`` is stored in each
group) and PyTorch's chainable formulas, so its lr sequence matches ``torch.optim.lr_scheduler``.
``InverseTimeLR`` and ``InverseSqrtLR`` are the course's decays that PyTorch lacks.

The base class ``LRScheduler`` is in ``base``, the epoch-indexed schedules in ``schedules``,
and the metric-driven ``ReduceLROnPlateau`` (``step(metric)``) in ``plateau``.
"""

from lamina.optim.lr_scheduler import (
    base,
    plateau,
    schedules,
)
from lamina.optim.lr_scheduler.base import *  # noqa: F403
from lamina.optim.lr_scheduler.plateau import *  # noqa: F403
from lamina.optim.lr_scheduler.schedules import *  # noqa: F403

_MODULES = (base, plateau, schedules)
__all__ = sorted({name for m in _MODULES for name in m.__all__})
