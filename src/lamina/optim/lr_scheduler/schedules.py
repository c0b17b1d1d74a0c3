"""Learning-rate schedules: they rewrite ``group["lr"]`` of an optimizer's parameter groups.

Call ``scheduler.step()`` after ``optimizer.step()``, once per epoch or once per batch: a
schedule counts calls, not epochs. Each schedule follows PyTorch's semantics (the constructor
takes the first step, so ``last_epoch`` is 0 right after it; ``initial_lr`` is stored in each
group) and PyTorch's chainable formulas, so its lr sequence matches ``torch.optim.lr_scheduler``.
``InverseTimeLR`` and ``InverseSqrtLR`` are the course's decays that PyTorch lacks.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from lamina.errors import check_in, check_nonnegative, check_positive_int
from lamina.optim.optimizer import Optimizer, _plain

__all__ = [
    "CosineAnnealingLR",
    "ExponentialLR",
    "InverseSqrtLR",
    "InverseTimeLR",
    "LRScheduler",
    "LambdaLR",
    "MultiStepLR",
    "ReduceLROnPlateau",
    "StepLR",
]


class LRScheduler:
    """Base class: keeps ``base_lrs`` and ``last_epoch``, writes ``get_lr()`` into the groups.

    Parameters
    ----------
    optimizer : Optimizer
    last_epoch : int, default=-1
        Index of the last step taken; -1 starts a new schedule. Resuming is better done with
        ``load_state_dict``.

    Notes
    -----
    The state (``state_dict``) is every attribute but the optimizer: numbers, strings, bools
    and lists of numbers, so it can be saved with ``np.savez``. Create the scheduler before
    loading the optimizer's state dict: construction writes the group learning rates.
    """

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(
                f"{type(self).__name__}: expected an Optimizer, got {type(optimizer).__name__}"
            )
        self.optimizer = optimizer
        for i, group in enumerate(optimizer.param_groups):
            if last_epoch == -1:
                group.setdefault("initial_lr", group["lr"])
            elif "initial_lr" not in group:
                raise KeyError(
                    f"{type(self).__name__}: param_groups[{i}] has no 'initial_lr' to resume "
                    f"from last_epoch={last_epoch}"
                )
        self.base_lrs: list[float] = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self._step_count = 0
        self._is_initial = True  # PyTorch's first step (in the constructor) keeps the lr
        self.step()
        self._is_initial = False

    def get_lr(self) -> list[float]:
        """The learning rates for step ``last_epoch``, one per parameter group."""
        raise NotImplementedError

    def _group_lrs(self) -> list[float]:
        return [group["lr"] for group in self.optimizer.param_groups]

    def step(self) -> None:
        """Advance the schedule by one step and write the new rates into the optimizer."""
        self._step_count += 1
        self.last_epoch += 1
        for group, lr in zip(self.optimizer.param_groups, self.get_lr()):
            group["lr"] = lr
        self._last_lr = self._group_lrs()

    def get_last_lr(self) -> list[float]:
        """The learning rates the last ``step`` (or the constructor) set."""
        return list(self._last_lr)

    def state_dict(self) -> dict[str, Any]:
        """Every attribute but the optimizer (lists are copied)."""
        return {
            k: list(v) if isinstance(v, list) else v
            for k, v in self.__dict__.items()
            if k != "optimizer"
        }

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore a ``state_dict()``, also one read back from ``np.savez`` (arrays of numbers)."""
        for k, v in state_dict.items():
            v = _plain(v)
            if isinstance(getattr(self, k, None), list) and not isinstance(v, list):
                v = [v]  # a one-group list saved by np.savez comes back as a 1-element array
            setattr(self, k, v)


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
        min_lr: float | Sequence[float] = 0.0,
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
