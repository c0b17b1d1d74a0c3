"""``Model``: Keras's spelling (compile, fit, evaluate, predict) around any ``Module``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from lamina.nn.model_summary import Summary, summary
from lamina.nn.module import Module
from lamina.training.callbacks import Callback, ProgressBar
from lamina.training.history import History
from lamina.training.registry import LOSSES, METRICS, OPTIMIZERS, resolve
from lamina.training.trainer import Trainer

__all__ = ["Model"]


def _array(a: Any) -> np.ndarray:
    return np.asarray(getattr(a, "data", a))


class Model:
    """Wrap ``module`` with Keras's training API.

    Examples
    --------
    >>> net = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))  # doctest: +SKIP
    >>> model = Model(net)  # doctest: +SKIP
    >>> model.compile("adam", "cross_entropy", metrics=["accuracy"])  # doctest: +SKIP
    >>> history = model.fit(x, y, epochs=10, batch_size=32, validation_split=0.2)  # doctest: +SKIP
    """

    def __init__(self, module: Module) -> None:
        if not isinstance(module, Module):
            raise TypeError(f"Model: expected a lamina Module, got {type(module).__name__}")
        self.module = module
        self.trainer: Trainer | None = None

    def compile(
        self,
        optimizer: Any = "adam",
        loss: Any = "cross_entropy",
        metrics: Sequence[Any] = (),
        **optimizer_options: Any,
    ) -> None:
        """Choose the optimizer, loss and metrics, by name or as objects."""
        opt = resolve("optimizer", optimizer, OPTIMIZERS)
        if isinstance(opt, type):
            opt = opt(self.module.parameters(), **optimizer_options)
        named = {}
        for m in metrics:
            fn = resolve("metric", m, METRICS)
            named[m if isinstance(m, str) else getattr(m, "__name__", "metric")] = fn
        self.trainer = Trainer(self.module, opt, resolve("loss", loss, LOSSES), named)

    def _trainer(self, owner: str) -> Trainer:
        if self.trainer is None:
            raise RuntimeError(f"Model.{owner}: call compile(optimizer, loss) first")
        return self.trainer

    def fit(
        self,
        x: Any,
        y: Any = None,
        epochs: int = 1,
        batch_size: int = 32,
        validation_data: tuple[Any, Any] | None = None,
        validation_split: float = 0.0,
        callbacks: Sequence[Callback] = (),
        seed: int | None = None,
        verbose: int = 1,
        steps_per_epoch: int | None = None,
    ) -> History:
        """Train on arrays ``x``, ``y`` (or a DataLoader as ``x``); returns the History.

        ``validation_split`` holds out the last fraction of the samples, as Keras does.
        """
        trainer = self._trainer("fit")
        train: Any = x if y is None else (_array(x), _array(y))
        if validation_split:
            if not 0 < validation_split < 1 or y is None:
                msg = f"validation_split must be in (0, 1) with arrays, got {validation_split}"
                raise ValueError(f"Model.fit: {msg}")
            n = len(train[0])
            cut = n - round(n * validation_split)
            validation_data = (train[0][cut:], train[1][cut:])
            train = (train[0][:cut], train[1][:cut])
        cbs = list(callbacks)
        if not any(isinstance(c, ProgressBar) for c in cbs):
            cbs.insert(0, ProgressBar(verbose))  # first: a full-state checkpoint stays last
        return trainer.fit(
            train, epochs, validation_data, cbs, batch_size, seed, steps_per_epoch=steps_per_epoch
        )

    def evaluate(self, x: Any, y: Any = None, batch_size: int = 256) -> dict[str, float]:
        """Loss and metrics on ``x``, ``y`` (or a loader as ``x``)."""
        data = x if y is None else (_array(x), _array(y))
        return self._trainer("evaluate").evaluate(data, batch_size)

    def predict(self, x: Any, batch_size: int = 256) -> np.ndarray:
        """The network's outputs for ``x``, in evaluation mode."""
        if self.trainer is None:
            return Trainer(self.module, None, lambda o, t: o).predict(x, batch_size)
        return self.trainer.predict(x, batch_size)

    def summary(self, input_shape: tuple[int, ...], dtype: Any = None) -> Summary:
        """The layer table of ``lamina.summary``."""
        return summary(self.module, input_shape, dtype)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.module(*args, **kwargs)
