"""The metric-driven schedule ``ReduceLROnPlateau``: it drops the rate when a metric stalls."""

from __future__ import annotations

import math
from typing import Any

from lamina.errors import check_in, check_nonnegative
from lamina.optim.lr_scheduler.base import LRScheduler
from lamina.optim.optimizer import Optimizer

__all__ = ["ReduceLROnPlateau"]


class ReduceLROnPlateau(LRScheduler):
    """Multiply the rate by ``factor`` when a metric has stopped improving for a while.

    better(a) = a < best * (1 - threshold)   (mode="min", threshold_mode="rel")
                a < best - threshold         (mode="min", threshold_mode="abs")
                a > best * (1 + threshold)   (mode="max", threshold_mode="rel")
                a > best + threshold         (mode="max", threshold_mode="abs")
    after more than ``patience`` steps without improvement: lr = max(lr * factor, min_lr)

    Parameters
    ----------
    optimizer : Optimizer
    mode : {"min", "max"}, default="min"
        Whether the metric should go down (a loss) or up (an accuracy).
    factor : float, default=0.1
        Multiplier of the rate; must be in [0, 1).
    patience : int, default=10
        Steps without improvement tolerated before the rate drops; must be >= 0.
    threshold : float, default=1e-4
        How much better counts as an improvement; must be >= 0.
    threshold_mode : {"rel", "abs"}, default="rel"
    cooldown : int, default=0
        Steps after a drop during which bad steps are not counted; must be >= 0.
    min_lr : float or list of float, default=0
        Lower bound of the rate, for all groups or per group.
    eps : float, default=1e-8
        A drop smaller than eps is skipped.

    Notes
    -----
    ``step(metric)`` takes the metric (call it after validation); it follows PyTorch's
    bookkeeping exactly, including that bad steps during cooldown are forgotten.
    """

    def __init__(
        self,
        optimizer: Optimizer,
        mode: str = "min",
        factor: float = 0.1,
        patience: int = 10,
        threshold: float = 1e-4,
        threshold_mode: str = "rel",
        cooldown: int = 0,
        min_lr: float | list[float] | tuple[float, ...] = 0.0,
        eps: float = 1e-8,
    ) -> None:
        name = "ReduceLROnPlateau"
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{name}: expected an Optimizer, got {type(optimizer).__name__}")
        check_in(name, "mode", mode, ("min", "max"))
        check_in(name, "threshold_mode", threshold_mode, ("rel", "abs"))
        if not isinstance(factor, (int, float)) or not 0 <= factor < 1:
            raise ValueError(f"{name}: factor must be in [0, 1), got {factor!r}")
        check_nonnegative(name, patience=patience, threshold=threshold, cooldown=cooldown, eps=eps)
        n = len(optimizer.param_groups)
        min_lrs = list(min_lr) if isinstance(min_lr, (list, tuple)) else [min_lr] * n
        if len(min_lrs) != n:
            raise ValueError(f"{name}: expected {n} min_lrs, got {len(min_lrs)}")
        self.optimizer = optimizer
        self.mode, self.factor, self.patience = mode, factor, patience
        self.threshold, self.threshold_mode = threshold, threshold_mode
        self.cooldown, self.min_lrs, self.eps = cooldown, min_lrs, eps
        self.last_epoch = 0
        self.best = math.inf if mode == "min" else -math.inf
        self.num_bad_epochs = 0
        self.cooldown_counter = 0
        self._last_lr = self._group_lrs()

    def _is_better(self, a: float) -> bool:
        best, th = self.best, self.threshold
        if self.mode == "min":
            return a < best * (1.0 - th) if self.threshold_mode == "rel" else a < best - th
        return a > best * (1.0 + th) if self.threshold_mode == "rel" else a > best + th

    # PyTorch's ReduceLROnPlateau.step takes the metric, unlike every other scheduler's step
    def step(self, metrics: Any) -> None:  # type: ignore[override]
        """Record this step's metric and drop the rates if it has plateaued."""
        current = float(metrics)
        self.last_epoch += 1
        if self._is_better(current):
            self.best, self.num_bad_epochs = current, 0
        else:
            self.num_bad_epochs += 1
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0
        if self.num_bad_epochs > self.patience:
            for group, min_lr in zip(self.optimizer.param_groups, self.min_lrs):
                old = float(group["lr"])
                new = max(old * self.factor, min_lr)
                if old - new > self.eps:
                    group["lr"] = new
            self.cooldown_counter, self.num_bad_epochs = self.cooldown, 0
        self._last_lr = self._group_lrs()
