"""Callbacks: everything the training loop does besides training, each at a named hook.

Hooks, in the order the ``Trainer`` calls them: ``on_train_begin``, ``on_epoch_begin``,
``on_batch_begin``, ``on_after_backward`` (gradients are there, the step has not run),
``on_batch_end``, ``on_epoch_end`` (with the epoch's logs, validation included),
``on_train_end``. A callback reaches the trainer as ``self.trainer`` and stops training by
setting ``self.trainer.stop_training = True``.
"""

from __future__ import annotations

import csv
import logging
import math
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from lamina.distributed import is_main
from lamina.errors import check_in
from lamina.serialization import save
from lamina.training.files import atomic_open

if TYPE_CHECKING:
    from lamina.training.trainer import Trainer

__all__ = [
    "CSVLogger",
    "Callback",
    "EarlyStopping",
    "GradientMonitor",
    "LearningRateScheduler",
    "ModelCheckpoint",
    "ProgressBar",
    "TerminateOnNaN",
]

log = logging.getLogger("lamina.training")


class Callback:
    """Base class: override the hooks you need; each gets the trainer as ``self.trainer``."""

    trainer: Trainer

    def on_train_begin(self) -> None: ...
    def on_epoch_begin(self, epoch: int) -> None: ...
    def on_batch_begin(self, batch: int) -> None: ...
    def on_after_backward(self, batch: int) -> None: ...
    def on_batch_end(self, batch: int, logs: dict[str, float]) -> None: ...
    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None: ...
    def on_train_end(self) -> None: ...

    def state_dict(self) -> dict[str, Any]:
        """What this callback must remember across an interrupted run."""
        return {}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore what ``state_dict`` returned."""


def _mode(monitor: str, mode: str) -> str:
    check_in("callback", "mode", mode, ("auto", "min", "max"))
    if mode != "auto":
        return mode
    return "max" if any(k in monitor for k in ("acc", "f1", "precision", "recall")) else "min"


class _Monitor(Callback):
    """Tracks the best value of a logged quantity."""

    def __init__(self, monitor: str, mode: str, min_delta: float = 0.0) -> None:
        self.monitor, self.mode, self.min_delta = monitor, _mode(monitor, mode), abs(min_delta)
        self.best = math.inf if self.mode == "min" else -math.inf

    def _value(self, logs: dict[str, float]) -> float:
        if self.monitor not in logs:
            known = ", ".join(sorted(logs))
            raise KeyError(f"{type(self).__name__}: no logged value {self.monitor!r}; have {known}")
        return logs[self.monitor]

    def _improved(self, value: float) -> bool:
        if self.mode == "min":
            return value < self.best - self.min_delta
        return value > self.best + self.min_delta

    def state_dict(self) -> dict[str, Any]:
        return {"best": self.best}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.best = float(state["best"])


class EarlyStopping(_Monitor):
    """Stop when ``monitor`` has not improved by ``min_delta`` for ``patience`` epochs.

    With ``restore_best_weights`` the model ends with the weights of its best epoch.
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        patience: int = 0,
        min_delta: float = 0.0,
        mode: str = "auto",
        restore_best_weights: bool = False,
    ) -> None:
        super().__init__(monitor, mode, min_delta)
        self.patience, self.restore_best_weights = patience, restore_best_weights
        self.wait = 0
        self.stopped_epoch: int | None = None
        self.best_epoch: int | None = None
        self.best_weights: dict[str, np.ndarray] | None = None

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        value = self._value(logs)
        if self._improved(value):
            self.best, self.best_epoch, self.wait = value, epoch, 0
            if self.restore_best_weights:
                self.best_weights = self.trainer.model.state_dict()
            return
        self.wait += 1
        if self.wait > self.patience:
            self.stopped_epoch = epoch
            self.trainer.stop_training = True

    def on_train_end(self) -> None:
        if self.stopped_epoch is not None and self.best_weights is not None:
            self.trainer.model.load_state_dict(self.best_weights)
            log.info("EarlyStopping: restored the weights of epoch %s", self.best_epoch)

    def state_dict(self) -> dict[str, Any]:
        """Best value, its epoch and weights, the epochs waited and the epoch it stopped at."""
        return {
            "best": self.best,
            "wait": self.wait,
            "best_epoch": self.best_epoch,
            "stopped_epoch": self.stopped_epoch,
            "best_weights": self.best_weights,
        }

    def load_state_dict(self, state: dict[str, Any]) -> None:
        keys = ("best", "wait", "best_epoch", "stopped_epoch", "best_weights")
        missing = [k for k in keys if k not in state]
        if missing:
            raise KeyError(f"EarlyStopping.load_state_dict: the state has no {missing}")
        self.best, self.wait = float(state["best"]), int(state["wait"])
        self.best_epoch, self.stopped_epoch = state["best_epoch"], state["stopped_epoch"]
        weights = state["best_weights"]
        self.best_weights = (
            None if weights is None else {k: np.array(v) for k, v in weights.items()}
        )


class ModelCheckpoint(_Monitor):
    """Save the model (or the full training state) at the end of an epoch, atomically.

    With ``save_best_only`` the file is written only when ``monitor`` improves, so it always
    holds the best model so far. ``full_state`` saves ``trainer.state_dict()`` (model,
    optimizer, epoch, history, random states) instead of the model's weights alone; list it
    after callbacks that change state at an epoch's end (a learning-rate schedule).
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        monitor: str = "val_loss",
        save_best_only: bool = True,
        mode: str = "auto",
        full_state: bool = False,
    ) -> None:
        super().__init__(monitor, mode)
        self.path, self.save_best_only, self.full_state = Path(path), save_best_only, full_state

    def on_train_begin(self) -> None:
        if not self.full_state:
            return
        cbs = self.trainer.callbacks
        later = [
            type(c).__name__
            for c in cbs[cbs.index(self) + 1 :]
            if not isinstance(c, ModelCheckpoint)
        ]
        if later:
            raise ValueError(
                f"ModelCheckpoint(full_state=True) must come after every other callback, so "
                f"the state it saves holds their end-of-epoch changes; it comes before {later}"
            )

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        if self.save_best_only:
            value = self._value(logs)
            if not self._improved(value):
                return
            self.best = value
        state = self.trainer.state_dict() if self.full_state else self.trainer.model.state_dict()
        if is_main():  # under mpiexec the replicas are equal: rank 0 writes
            save(state, self.path)


class LearningRateScheduler(Callback):
    """Step a schedule from ``lamina.optim.lr_scheduler`` every epoch (or every batch).

    ``ReduceLROnPlateau`` is stepped with the logged value ``monitor``. The learning rate of
    the first parameter group is logged as ``lr``.
    """

    def __init__(self, scheduler: Any, per: str = "epoch", monitor: str = "val_loss") -> None:
        check_in("LearningRateScheduler", "per", per, ("epoch", "batch"))
        self.scheduler, self.per, self.monitor = scheduler, per, monitor
        self.needs_metric = type(scheduler).__name__ == "ReduceLROnPlateau"

    def on_batch_end(self, batch: int, logs: dict[str, float]) -> None:
        if self.per == "batch":
            self.scheduler.step()

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        logs["lr"] = self.scheduler.optimizer.param_groups[0]["lr"]
        if self.per == "epoch":
            if self.needs_metric:
                self.scheduler.step(logs[self.monitor])
            else:
                self.scheduler.step()

    def state_dict(self) -> dict[str, Any]:
        return self.scheduler.state_dict()

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.scheduler.load_state_dict(state)


class CSVLogger(Callback):
    """Write one CSV row per epoch (epoch and every logged value), flushed each time.

    A trainer that continues (resumed from a checkpoint, or fit again) rewrites the file
    from its history first, so the file holds exactly the epochs of the run, no row twice.
    """

    def __init__(self, path: str | os.PathLike[str], append: bool = False) -> None:
        self.path, self.append = Path(path), append
        self._keys: list[str] | None = None

    def on_train_begin(self) -> None:
        if self.append or not is_main():  # under mpiexec rank 0 writes
            return
        history = self.trainer.history
        if not history.rows:
            self._keys = None
        elif self._keys is None:  # the columns a restored state_dict gave, else the logged keys
            self._keys = sorted(history.rows[0])
        with atomic_open(self.path) as f:
            if self._keys is not None:
                writer = csv.writer(f)
                writer.writerow(["epoch", *self._keys])
                for epoch, logs in zip(history.epoch, history.rows):
                    writer.writerow(self._row(epoch, logs))

    def state_dict(self) -> dict[str, Any]:
        """The file's columns, so a resumed run writes the same ones."""
        return {"keys": self._keys}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self._keys = None if state["keys"] is None else [str(k) for k in state["keys"]]

    def _row(self, epoch: int, logs: dict[str, float]) -> list[Any]:
        return [epoch, *(f"{logs.get(k, float('nan')):.6g}" for k in self._keys or [])]

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        if not is_main():
            return
        if self._keys is None:
            self._keys = sorted(logs)
            if self.path.stat().st_size == 0 if self.path.exists() else True:
                with self.path.open("a", newline="") as f:
                    csv.writer(f).writerow(["epoch", *self._keys])
        with self.path.open("a", newline="") as f:
            csv.writer(f).writerow(self._row(epoch, logs))


class TerminateOnNaN(Callback):
    """Stop training as soon as the batch loss is NaN or infinite, naming the step."""

    def __init__(self) -> None:
        self.message: str | None = None
        self._epoch = 0

    def on_epoch_begin(self, epoch: int) -> None:
        self._epoch = epoch

    def on_batch_end(self, batch: int, logs: dict[str, float]) -> None:
        loss = logs.get("loss", 0.0)
        if not math.isfinite(loss):
            self.message = f"TerminateOnNaN: loss is {loss} at epoch {self._epoch}, batch {batch}"
            log.warning(self.message)
            self.trainer.stop_training = True


class GradientMonitor(Callback):
    """Record each layer's gradient norm, averaged over the batches of every epoch.

    ``norms[layer]`` is a list with one value per epoch; a layer is a module owning
    parameters (its name as in ``named_modules``). Shows vanishing and exploding gradients:
    with sigmoid the first layers' norms are orders of magnitude below the last ones'.
    """

    def __init__(self) -> None:
        self.norms: dict[str, list[float]] = {}
        self._sums: dict[str, float] = {}
        self._count = 0

    def _layers(self) -> list[tuple[str, list[Any]]]:
        out = []
        for name, module in self.trainer.model.named_modules():
            params = list(module.parameters(recurse=False))
            if params:
                out.append((name or type(module).__name__, params))
        return out

    def on_epoch_begin(self, epoch: int) -> None:
        self._sums, self._count = {}, 0

    def on_after_backward(self, batch: int) -> None:
        for name, params in self._layers():
            sq = sum(
                float((p.grad.data.astype(np.float64) ** 2).sum())
                for p in params
                if p.grad is not None
            )
            self._sums[name] = self._sums.get(name, 0.0) + math.sqrt(sq)
        self._count += 1

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        for name, total in self._sums.items():
            self.norms.setdefault(name, []).append(total / max(self._count, 1))

    def state_dict(self) -> dict[str, Any]:
        return {"norms": {k: list(v) for k, v in self.norms.items()}}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.norms = {k: list(v) for k, v in state["norms"].items()}


class ProgressBar(Callback):
    """A tqdm bar per epoch with the running loss; silent off a terminal or with verbose=0.

    Needs the optional ``tqdm`` package (``pip install lamina[progress]``); without it, or
    off a terminal, one line per epoch goes to the ``lamina.training`` logger instead.
    """

    def __init__(self, verbose: int = 1, stream: Any = None, force: bool = False) -> None:
        self.verbose, self.stream, self.force = verbose, stream or sys.stderr, force
        self._bar: Any = None
        self._epochs = 0

    def _active(self) -> bool:
        tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        return self.verbose > 0 and (tty or self.force) and is_main()

    def on_train_begin(self) -> None:
        self._epochs = self.trainer.epochs

    def on_epoch_begin(self, epoch: int) -> None:
        if not self._active():
            return
        try:
            from tqdm.auto import tqdm
        except ImportError:  # no bar without tqdm: the epoch line below still goes to the log
            return
        total = (
            len(self.trainer.train_data) if hasattr(self.trainer.train_data, "__len__") else None
        )
        self._bar = tqdm(
            total=total,
            desc=f"epoch {epoch + 1}/{self._epochs}",
            file=self.stream,
            leave=True,
            dynamic_ncols=True,
        )

    def on_batch_end(self, batch: int, logs: dict[str, float]) -> None:
        if self._bar is not None:
            self._bar.update(1)
            self._bar.set_postfix(loss=f"{logs['loss']:.4f}", refresh=False)

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        text = "  ".join(f"{k} {v:.4g}" for k, v in logs.items())
        if self._bar is not None:
            self._bar.set_postfix_str(text)
            self._bar.close()
            self._bar = None
        elif not is_main():
            return  # under mpiexec rank 0 reports
        elif self.verbose > 0 and (epoch + 1) % max(1, self._epochs // 10) in (0, self._epochs):
            log.info("epoch %d/%d  %s", epoch + 1, self._epochs, text)  # about ten lines a run
