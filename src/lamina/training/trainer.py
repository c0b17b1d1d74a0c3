"""``Trainer``: the training loop, written with the public API only.

A hand-written PyTorch-style loop works just as well; the trainer adds callbacks, metrics,
validation and a resumable state, nothing a user could not write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from lamina.autodiff import Tensor, no_grad
from lamina.autodiff import random as lamina_random
from lamina.data.dataset import TensorDataset
from lamina.data.loader import DataLoader
from lamina.nn.module import Module
from lamina.ops.shape import cat
from lamina.training.callbacks import Callback
from lamina.training.history import History

__all__ = ["Trainer", "as_loader"]

Metric = Callable[[np.ndarray, np.ndarray], float]


def as_loader(
    data: Any, batch_size: int = 32, shuffle: bool = False, seed: int | None = None
) -> Any:
    """A DataLoader for ``data``: a loader or iterable of batches as is, (x, y) arrays wrapped."""
    if isinstance(data, tuple) and len(data) == 2 and not isinstance(data[0], DataLoader):
        x, y = (np.asarray(getattr(a, "data", a)) for a in data)  # arrays or Tensors
        return DataLoader(TensorDataset(x, y), batch_size=batch_size, shuffle=shuffle, seed=seed)
    return data


class Trainer:
    """Fit ``model`` with ``optimizer`` on ``loss``, reporting ``metrics`` per epoch.

    Parameters
    ----------
    model : Module
    optimizer : Optimizer
        From ``lamina.optim``, built on ``model.parameters()``.
    loss : callable
        ``loss(output, target) -> Tensor``, e.g. ``nn.CrossEntropyLoss()``.
    metrics : dict of name -> callable(y_true, y_score), optional
        Computed once per epoch on all of the epoch's outputs, e.g. ``lamina.metrics``.

    Examples
    --------
    >>> trainer = Trainer(model, optim.Adam(model.parameters()), nn.CrossEntropyLoss(),
    ...                   {"accuracy": metrics.accuracy})            # doctest: +SKIP
    >>> history = trainer.fit(train_loader, epochs=5, validation=val_loader)  # doctest: +SKIP
    """

    def __init__(
        self,
        model: Module,
        optimizer: Any,
        loss: Callable[[Tensor, Tensor], Tensor],
        metrics: dict[str, Metric] | None = None,
    ) -> None:
        self.model, self.optimizer, self.loss = model, optimizer, loss
        self.metrics = dict(metrics or {})
        self.history = History()
        self.callbacks: list[Callback] = []
        self.stop_training = False
        self.epoch = 0  # epochs completed
        self.epochs = 0
        self.train_data: Any = None
        self.steps_per_epoch: int | None = None
        self._loader_state: dict[str, Any] | None = None

    # ------------------------------------------------------------------ steps
    def train_step(self, x: Tensor, y: Tensor, batch: int) -> tuple[float, Tensor]:
        """One optimization step on a batch; returns the loss value and the detached output."""
        out = self.model(x)
        loss = self.loss(out, y)
        self.optimizer.zero_grad()
        loss.backward()
        for cb in self.callbacks:
            cb.on_after_backward(batch)
        self.optimizer.step()
        return loss.item(), out.detach()

    def _metrics(self, prefix: str, outs: list[Tensor], ys: list[Tensor]) -> dict[str, float]:
        if not self.metrics or not outs:
            return {}
        scores, target = cat(outs).numpy(), cat(ys).numpy()
        return {prefix + name: float(fn(target, scores)) for name, fn in self.metrics.items()}

    # ------------------------------------------------------------------ loops
    def fit(
        self,
        train: Any,
        epochs: int = 1,
        validation: Any = None,
        callbacks: Sequence[Callback] = (),
        batch_size: int = 32,
        seed: int | None = None,
        steps_per_epoch: int | None = None,
    ) -> History:
        """Train until ``epochs`` epochs are done in all (a resumed trainer continues).

        ``train`` is a DataLoader (or any re-iterable of (x, y) batches) or a pair of arrays,
        batched with ``batch_size`` and shuffled with ``seed``. ``steps_per_epoch`` cuts each
        epoch after that many batches (for quick runs).
        """
        self.train_data = as_loader(train, batch_size, shuffle=True, seed=seed)
        if self._loader_state is not None and hasattr(self.train_data, "load_state_dict"):
            self.train_data.load_state_dict(self._loader_state)  # resume the shuffling exactly
            self._loader_state = None
        validation = as_loader(validation, batch_size) if validation is not None else None
        self.callbacks, self.epochs, self.stop_training = list(callbacks), epochs, False
        self.steps_per_epoch = steps_per_epoch
        for cb in self.callbacks:
            cb.trainer = self
        for cb in self.callbacks:
            cb.on_train_begin()
        while self.epoch < epochs and not self.stop_training:
            logs = self._train_epoch(self.epoch)
            if validation is not None:
                logs.update(self.evaluate(validation, prefix="val_"))
            self.history.append(self.epoch, logs)
            self.epoch += 1  # callbacks see the epoch as done: a checkpoint then resumes after it
            for cb in self.callbacks:
                cb.on_epoch_end(self.epoch - 1, logs)
        for cb in self.callbacks:
            cb.on_train_end()
        return self.history

    def _train_epoch(self, epoch: int) -> dict[str, float]:
        for cb in self.callbacks:
            cb.on_epoch_begin(epoch)
        self.model.train()
        total, count, outs, ys = 0.0, 0, [], []
        for batch, (x, y) in enumerate(self.train_data):
            for cb in self.callbacks:
                cb.on_batch_begin(batch)
            value, out = self.train_step(x, y, batch)
            n = len(x)
            total, count = total + value * n, count + n
            if self.metrics:
                outs.append(out)
                ys.append(y)
            for cb in self.callbacks:
                cb.on_batch_end(batch, {"loss": value})
            if self.stop_training or batch + 1 == self.steps_per_epoch:
                break
        logs = {"loss": total / max(count, 1)}
        logs.update(self._metrics("", outs, ys))
        return logs

    def evaluate(self, data: Any, batch_size: int = 256, prefix: str = "") -> dict[str, float]:
        """The mean loss and the metrics on ``data``, in evaluation mode, without a graph."""
        loader = as_loader(data, batch_size)
        was_training = self.model.training
        self.model.eval()
        total, count, outs, ys = 0.0, 0, [], []
        with no_grad():
            for x, y in loader:
                out = self.model(x)
                total += self.loss(out, y).item() * len(x)
                count += len(x)
                outs.append(out)
                ys.append(y)
        self.model.train(was_training)
        return {prefix + "loss": total / max(count, 1), **self._metrics(prefix, outs, ys)}

    def predict(self, x: Any, batch_size: int = 256) -> np.ndarray:
        """The model's outputs for inputs ``x`` (an array, a Tensor or batches of either)."""
        batches: Iterable[Any]
        if isinstance(x, (np.ndarray, Tensor)):
            arr = np.asarray(getattr(x, "data", x))
            dtype = next((p.dtype for p in self.model.parameters()), arr.dtype)
            if arr.dtype.kind == "f" and arr.dtype != dtype:
                arr = arr.astype(dtype)  # float64 inputs to a float32 model, as a user means
            batches = (arr[i : i + batch_size] for i in range(0, len(arr), batch_size))
        else:
            batches = x
        was_training = self.model.training
        self.model.eval()
        with no_grad():
            outs = [
                self.model(Tensor(b) if not isinstance(b, Tensor) else b).numpy() for b in batches
            ]
        self.model.train(was_training)
        return np.concatenate(outs)

    # ------------------------------------------------------------------ state
    def state_dict(self) -> dict[str, Any]:
        """Everything needed to resume exactly: weights, optimizer, epoch, history, RNGs."""
        loader = self.train_data
        return {
            "model": self.model.state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "epoch": self.epoch,
            "history": self.history.state_dict(),
            "callbacks": [cb.state_dict() for cb in self.callbacks],
            "default_rng": lamina_random.default_generator().bit_generator.state,
            "loader": loader.state_dict() if hasattr(loader, "state_dict") else None,
        }

    def load_state_dict(self, state: dict[str, Any], callbacks: Sequence[Callback] = ()) -> None:
        """Restore ``state_dict()``; then call ``fit`` with the same data and callbacks."""
        self.model.load_state_dict(state["model"])
        self.optimizer.load_state_dict(state["optimizer"])
        self.epoch = int(state["epoch"])
        self.history.load_state_dict(state["history"])
        for cb, cb_state in zip(callbacks, state["callbacks"]):
            cb.load_state_dict(cb_state)
        lamina_random.default_generator().bit_generator.state = dict(state["default_rng"])
        self._loader_state = state.get("loader")
