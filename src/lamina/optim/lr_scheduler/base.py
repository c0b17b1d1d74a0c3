"""The base class of every learning-rate schedule, ``LRScheduler``.

It keeps ``base_lrs`` and ``last_epoch``, writes ``get_lr()`` into the optimizer's groups and
saves its state as plain data; the schedules in ``schedules`` and ``plateau`` subclass it.
"""

from __future__ import annotations

from typing import Any

from lamina.optim.optimizer import Optimizer, _plain

__all__ = ["LRScheduler"]


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
