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
from lamina.distributed import (
    DistributedDataParallel,
    gather,
    reduce_sums,
    shard_eval_loader,
    shard_loader,
    world_size,
)
from lamina.errors import check_positive_int
from lamina.nn.module import Module
from lamina.ops.shape import cat
from lamina.training.callbacks import Callback
from lamina.training.history import History

__all__ = ["Trainer", "as_loader", "cast_floats", "model_dtype", "module_generators"]

Metric = Callable[[np.ndarray, np.ndarray], float]
_NOT_RESUMED = object()


def model_dtype(model: Module) -> np.dtype | None:
    """The dtype of ``model``'s first floating parameter (None for a model without one)."""
    return next((p.dtype for p in model.parameters() if p.dtype.kind == "f"), None)


def cast_floats(a: Any, dtype: Any) -> np.ndarray:
    """``a`` as an array; floating data of any precision cast to ``dtype``, the rest kept.

    Inputs and float targets go to the model's parameter dtype (float64 arrays to a float32
    model, as a user means); integer class ids, booleans and strings stay as they are.
    """
    arr = np.asarray(getattr(a, "data", a))  # arrays or Tensors
    if dtype is not None and arr.dtype.kind == "f" and arr.dtype != dtype:
        arr = arr.astype(dtype)
    return arr


def as_loader(
    data: Any,
    batch_size: int = 32,
    shuffle: bool = False,
    seed: int | None = None,
    dtype: Any = None,
) -> Any:
    """A DataLoader for ``data``: a loader or iterable of batches as is, (x, y) arrays wrapped.

    Floating arrays are cast to ``dtype`` when it is given (``cast_floats``).
    """
    if isinstance(data, tuple) and len(data) == 2 and not isinstance(data[0], DataLoader):
        x, y = (cast_floats(a, dtype) for a in data)
        if len(x) != len(y):
            raise ValueError(f"as_loader: x has {len(x)} samples but y has {len(y)}")
        return DataLoader(TensorDataset(x, y), batch_size=batch_size, shuffle=shuffle, seed=seed)
    return data


def _check_not_empty(owner: str, what: str, data: Any) -> None:
    """Refuse a loader over no samples before iterating it (an epoch of nothing)."""
    size = getattr(data, "dataset", data)
    if hasattr(size, "__len__") and len(size) == 0:
        raise ValueError(f"{owner}: the {what} has no samples")


def module_generators(model: Module) -> dict[str, np.random.Generator]:
    """Every NumPy Generator a submodule holds as an attribute (a ``Dropout(rng=...)``).

    Keys are ``"<module name>.<attribute>"``; a module drawing from lamina's default
    generator has none. ``Trainer.state_dict`` saves their states, so resuming is exact.
    """
    found = {}
    for name, module in model.named_modules():
        for attr, value in vars(module).items():
            if isinstance(value, np.random.Generator):
                found[f"{name}.{attr}" if name else attr] = value
    return found


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
        self._loader_state: Any = _NOT_RESUMED  # a loader state after load_state_dict
        self._resumed_stop = False
        self._restored_callbacks: list[Callback] | None = None
        self._net: Module = model  # under mpiexec: the model in DistributedDataParallel

    # ------------------------------------------------------------------ steps
    def train_step(self, x: Tensor, y: Tensor, batch: int) -> tuple[float, Tensor]:
        """One optimization step on a batch; returns the loss value and the detached output."""
        out = self._net(x)
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
        if world_size() > 1:  # every rank's outputs: metrics of the whole data, not averages
            scores, target = gather(scores), gather(target)
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
        batched with ``batch_size`` and shuffled with ``seed``; floating arrays are cast to
        the model's dtype. ``steps_per_epoch`` cuts each epoch after that many batches.
        After ``load_state_dict`` pass the same data and the callbacks restored there.
        """
        check_positive_int("Trainer.fit", epochs=epochs, batch_size=batch_size)
        if steps_per_epoch is not None:
            check_positive_int("Trainer.fit", steps_per_epoch=steps_per_epoch)
        dtype = model_dtype(self.model)
        self.train_data = as_loader(train, batch_size, shuffle=True, seed=seed, dtype=dtype)
        _check_not_empty("Trainer.fit", "training data", self.train_data)
        if world_size() > 1:  # under mpiexec: this rank's shard, gradients averaged
            self.train_data = shard_loader(self.train_data, 0 if seed is None else seed)
            if not isinstance(self._net, DistributedDataParallel):
                self._net = DistributedDataParallel(self.model)
        self._restore_loader()
        validation = (
            as_loader(validation, batch_size, dtype=dtype) if validation is not None else None
        )
        if self._restored_callbacks is not None:
            absent = [
                type(cb).__name__
                for cb in self._restored_callbacks
                if not any(cb is c for c in callbacks)
            ]
            if absent:
                raise ValueError(
                    f"Trainer.fit: the callbacks restored by load_state_dict are not all passed "
                    f"to fit (missing {absent}); pass the same objects"
                )
            self._restored_callbacks = None
        self.callbacks, self.epochs = list(callbacks), epochs
        self.stop_training, self._resumed_stop = self._resumed_stop, False
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

    def _restore_loader(self) -> None:
        if self._loader_state is _NOT_RESUMED:
            return
        state, self._loader_state = self._loader_state, _NOT_RESUMED
        has_state = hasattr(self.train_data, "load_state_dict")
        if state is None and not has_state:
            return
        if state is None or not has_state:
            saved = "a DataLoader's" if state is not None else "no"
            raise ValueError(
                f"Trainer.fit: the checkpoint holds {saved} loader state but the training data "
                f"is a {type(self.train_data).__name__}; resume with the same kind of data"
            )
        self.train_data.load_state_dict(state)  # resume the shuffling exactly

    def _train_epoch(self, epoch: int) -> dict[str, float]:
        for cb in self.callbacks:
            cb.on_epoch_begin(epoch)
        self.model.train()
        if hasattr(getattr(self.train_data, "sampler", None), "set_epoch"):
            self.train_data.sampler.set_epoch(epoch)  # a DistributedSampler's order
        total, outs, ys = 0.0, [], []
        count: float = 0  # samples; a float once reduce_sums has summed it over the ranks
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
        total, count = reduce_sums(total, count) if world_size() > 1 else (total, count)
        if count == 0:
            raise ValueError(f"Trainer.fit: epoch {epoch} got no training samples (empty data)")
        logs = {"loss": total / count}
        logs.update(self._metrics("", outs, ys))
        return logs

    def evaluate(self, data: Any, batch_size: int = 256, prefix: str = "") -> dict[str, float]:
        """The mean loss and the metrics on ``data``, in evaluation mode, without a graph."""
        check_positive_int("Trainer.evaluate", batch_size=batch_size)
        loader = as_loader(data, batch_size, dtype=model_dtype(self.model))
        _check_not_empty("Trainer.evaluate", "data", loader)
        loader = shard_eval_loader(loader)  # under mpiexec: this rank's part
        was_training = self.model.training
        self.model.eval()
        total, outs, ys = 0.0, [], []
        count: float = 0  # samples; a float once reduce_sums has summed it over the ranks
        with no_grad():
            for x, y in loader:
                out = self.model(x)
                total += self.loss(out, y).item() * len(x)
                count += len(x)
                outs.append(out)
                ys.append(y)
        self.model.train(was_training)
        total, count = reduce_sums(total, count) if world_size() > 1 else (total, count)
        if count == 0:
            raise ValueError("Trainer.evaluate: the data has no samples")
        return {prefix + "loss": total / count, **self._metrics(prefix, outs, ys)}

    def predict(self, x: Any, batch_size: int = 256) -> np.ndarray:
        """The model's outputs for inputs ``x`` (an array, a Tensor or batches of either)."""
        check_positive_int("Trainer.predict", batch_size=batch_size)
        batches: Iterable[Any]
        if isinstance(x, (np.ndarray, Tensor)):
            arr = cast_floats(x, model_dtype(self.model))
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
        if not outs:
            raise ValueError("Trainer.predict: the input has no samples")
        return np.concatenate(outs)

    # ------------------------------------------------------------------ state
    def state_dict(self) -> dict[str, Any]:
        """Everything needed to resume exactly.

        Weights, optimizer, epoch, history, whether training was stopped, each callback's
        state (with its class name), the default generator, every generator a submodule
        holds (``module_generators``) and the training loader's order and transform state.
        """
        loader = self.train_data
        return {
            "model": self.model.state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "epoch": self.epoch,
            "stop_training": bool(self.stop_training),
            "history": self.history.state_dict(),
            "callbacks": [
                {"type": type(cb).__name__, "state": cb.state_dict()} for cb in self.callbacks
            ],
            "default_rng": lamina_random.default_generator().bit_generator.state,
            "generators": {
                k: g.bit_generator.state for k, g in module_generators(self.model).items()
            },
            "loader": loader.state_dict() if hasattr(loader, "state_dict") else None,
        }

    def load_state_dict(self, state: dict[str, Any], callbacks: Sequence[Callback] = ()) -> None:
        """Restore ``state_dict()``; then call ``fit`` with the same data and ``callbacks``.

        ``callbacks`` must be the checkpointed run's callbacks, same classes in the same
        order; a missing one, a missing key or a generator the model lacks is an error.
        """
        keys = (
            "model",
            "optimizer",
            "epoch",
            "stop_training",
            "history",
            "callbacks",
            "default_rng",
            "generators",
            "loader",
        )
        missing = [k for k in keys if k not in state]
        if missing:
            raise KeyError(f"Trainer.load_state_dict: the state has no {missing}")
        saved = [c["type"] for c in state["callbacks"]]
        given = [type(cb).__name__ for cb in callbacks]
        if saved != given:
            raise ValueError(
                f"Trainer.load_state_dict: the state holds callbacks {saved}, got {given}; "
                f"pass the same callbacks in the same order (their state is part of the run)"
            )
        gens = module_generators(self.model)
        if set(gens) != set(state["generators"]):
            raise ValueError(
                f"Trainer.load_state_dict: the state holds generators "
                f"{sorted(state['generators'])} but the model has {sorted(gens)}"
            )
        self.model.load_state_dict(state["model"])
        self.optimizer.load_state_dict(state["optimizer"])
        self.epoch = int(state["epoch"])
        self._resumed_stop = bool(state["stop_training"])
        self.history.load_state_dict(state["history"])
        for cb, saved_cb in zip(callbacks, state["callbacks"]):
            cb.load_state_dict(saved_cb["state"])
        self._restored_callbacks = list(callbacks)
        lamina_random.default_generator().bit_generator.state = dict(state["default_rng"])
        for name, gen in gens.items():
            gen.bit_generator.state = dict(state["generators"][name])
        self._loader_state = state["loader"]
