"""Epoch-indexed schedules: the rate is a function of the step count ``last_epoch``.

StepLR, MultiStepLR, ExponentialLR, LambdaLR and CosineAnnealingLR follow PyTorch's chainable
formulas; InverseTimeLR and InverseSqrtLR are the course's decays that PyTorch lacks.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from lamina.errors import check_nonnegative, check_positive_int
from lamina.optim.lr_scheduler.base import LRScheduler
from lamina.optim.optimizer import Optimizer

__all__ = [
    "CosineAnnealingLR",
    "ExponentialLR",
    "InverseSqrtLR",
    "InverseTimeLR",
    "LambdaLR",
    "MultiStepLR",
    "StepLR",
]


class StepLR(LRScheduler):
    """The course's staircase: multiply the rate by gamma every ``step_size`` steps.

    lr_t = lr_0 * gamma ** floor(t / step_size)

    Parameters
    ----------
    optimizer : Optimizer
    step_size : int
        Steps between two decays; a positive integer.
    gamma : float, default=0.1
        Decay factor; must be >= 0.
    last_epoch : int, default=-1
    """

    def __init__(
        self, optimizer: Optimizer, step_size: int, gamma: float = 0.1, last_epoch: int = -1
    ) -> None:
        check_positive_int("StepLR", step_size=step_size)
        check_nonnegative("StepLR", gamma=gamma)
        self.step_size, self.gamma = step_size, gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        # Chainable like PyTorch: the rate is multiplied, so another schedule may act as well.
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return self._group_lrs()
        return [lr * self.gamma for lr in self._group_lrs()]


class MultiStepLR(LRScheduler):
    """Multiply the rate by gamma at each milestone step.

    lr_t = lr_0 * gamma ** (number of milestones <= t)

    Parameters
    ----------
    optimizer : Optimizer
    milestones : sequence of int
        Steps at which to decay; a step listed twice decays twice.
    gamma : float, default=0.1
    last_epoch : int, default=-1
    """

    def __init__(
        self,
        optimizer: Optimizer,
        milestones: Sequence[int],
        gamma: float = 0.1,
        last_epoch: int = -1,
    ) -> None:
        check_positive_int(
            "MultiStepLR", **{f"milestones[{i}]": m for i, m in enumerate(milestones)}
        )
        check_nonnegative("MultiStepLR", gamma=gamma)
        self.milestones, self.gamma = sorted(int(m) for m in milestones), gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        hits = self.milestones.count(self.last_epoch)
        if hits == 0:
            return self._group_lrs()
        return [lr * self.gamma**hits for lr in self._group_lrs()]


class ExponentialLR(LRScheduler):
    """Multiply the rate by gamma at every step: lr_t = lr_0 * gamma ** t.

    Parameters
    ----------
    optimizer : Optimizer
    gamma : float
        Decay factor per step; must be >= 0.
    last_epoch : int, default=-1
    """

    def __init__(self, optimizer: Optimizer, gamma: float, last_epoch: int = -1) -> None:
        check_nonnegative("ExponentialLR", gamma=gamma)
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        if self._is_initial:
            return self._group_lrs()
        return [lr * self.gamma for lr in self._group_lrs()]


class LambdaLR(LRScheduler):
    """Scale each group's initial rate by a function of the step: lr_t = lr_0 * f(t).

    Parameters
    ----------
    optimizer : Optimizer
    lr_lambda : callable or list of callables
        f(t) for all groups, or one per group.
    last_epoch : int, default=-1

    Notes
    -----
    Like PyTorch, ``state_dict`` leaves the functions out (they cannot be saved as data):
    build the scheduler with the same functions before ``load_state_dict``.
    """

    def __init__(
        self,
        optimizer: Optimizer,
        lr_lambda: Callable[[int], float] | Sequence[Callable[[int], float]],
        last_epoch: int = -1,
    ) -> None:
        n = len(optimizer.param_groups)
        if isinstance(lr_lambda, (list, tuple)):
            if len(lr_lambda) != n:
                raise ValueError(f"LambdaLR: expected {n} lr_lambdas, got {len(lr_lambda)}")
            self.lr_lambdas = list(lr_lambda)
        else:
            self.lr_lambdas = [lr_lambda] * n
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        return [base * f(self.last_epoch) for f, base in zip(self.lr_lambdas, self.base_lrs)]

    def state_dict(self) -> dict[str, Any]:
        state = super().state_dict()
        del state["lr_lambdas"]
        return state


class CosineAnnealingLR(LRScheduler):
    """Anneal the rate from lr_0 to eta_min along half a cosine over T_max steps.

    lr_t = eta_min + (lr_0 - eta_min) * (1 + cos(pi * t / T_max)) / 2

    Parameters
    ----------
    optimizer : Optimizer
    T_max : int
        Half-period in steps; a positive integer. Past T_max the rate climbs back (a cosine
        with period 2 * T_max), as in PyTorch.
    eta_min : float, default=0
        Lowest rate.
    last_epoch : int, default=-1

    Notes
    -----
    PyTorch applies the formula recursively, lr_t = eta_min + (lr_{t-1} - eta_min) *
    (1 + cos(pi * t / T_max)) / (1 + cos(pi * (t - 1) / T_max)), so that other schedules can
    act on the same groups; so does this class, to give PyTorch's sequence to the last bit.
    """

    def __init__(
        self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0, last_epoch: int = -1
    ) -> None:
        check_positive_int("CosineAnnealingLR", T_max=T_max)
        self.T_max, self.eta_min = T_max, eta_min
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        t, T, lo = self.last_epoch, self.T_max, self.eta_min
        if self._is_initial:
            return self._group_lrs()
        if (t - 1 - T) % (2 * T) == 0:  # at the bottom the recursion would divide by zero
            return [
                lr + (base - lo) * (1 - math.cos(math.pi / T)) / 2
                for base, lr in zip(self.base_lrs, self._group_lrs())
            ]
        ratio = (1 + math.cos(math.pi * t / T)) / (1 + math.cos(math.pi * (t - 1) / T))
        return [ratio * (lr - lo) + lo for lr in self._group_lrs()]


class InverseTimeLR(LRScheduler):
    """The course's 1/t decay: lr_t = lr_0 / (1 + k * t).

    Parameters
    ----------
    optimizer : Optimizer
    k : float
        Decay rate; must be >= 0 (k = 0 keeps the rate constant).
    last_epoch : int, default=-1

    Notes
    -----
    t counts ``step()`` calls (0 before the first), so the decay is per epoch or per batch as
    the caller steps it. Keras calls the same schedule ``InverseTimeDecay``.
    """

    def __init__(self, optimizer: Optimizer, k: float, last_epoch: int = -1) -> None:
        check_nonnegative("InverseTimeLR", k=k)
        self.k = k
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        return [base / (1 + self.k * self.last_epoch) for base in self.base_lrs]


class InverseSqrtLR(LRScheduler):
    """The course's k/sqrt(t) decay: lr_t = k * lr_0 / sqrt(t), counting t from 1.

    Parameters
    ----------
    optimizer : Optimizer
    k : float, default=1.0
        Scale; must be >= 0. With k = 1 the first rate is lr_0.
    last_epoch : int, default=-1

    Notes
    -----
    t = last_epoch + 1: the rate before the first ``step()`` is k * lr_0 / sqrt(1), then
    k * lr_0 / sqrt(2), ... so the formula never divides by zero.
    """

    def __init__(self, optimizer: Optimizer, k: float = 1.0, last_epoch: int = -1) -> None:
        check_nonnegative("InverseSqrtLR", k=k)
        self.k = k
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        return [self.k * base / math.sqrt(self.last_epoch + 1) for base in self.base_lrs]
