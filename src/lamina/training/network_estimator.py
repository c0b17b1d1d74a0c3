"""``NetworkEstimator``: a network behind the ``fit``/``score`` contract of the searches."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import numpy as np

from lamina.autodiff.random import manual_seed
from lamina.errors import check_positive_int
from lamina.training.keras import Model
from lamina.training.registry import METRICS
from lamina.training.search import format_value

__all__ = ["NetworkEstimator"]

# Metrics where lower is better: NetworkEstimator.score negates them (scikit-learn's neg_* rule).
_ERRORS = frozenset({"loss", "mse", "rmse", "mae"})


class NetworkEstimator:
    """A network as a ``fit``/``score`` estimator, so its hyper-parameters can be searched.

    ``fit`` builds ``make_module(**module_params)`` afresh, compiles a Keras-style ``Model``
    with ``optimizer(lr=lr, weight_decay=weight_decay)`` and ``loss``, and trains it for
    ``epochs``; ``score`` is ``metric`` on the given data (negated for error metrics and the
    loss, so that higher is always better).

    Parameters
    ----------
    make_module : callable
        ``make_module(**module_params) -> Module``; if it takes an ``rng`` argument, it gets a
        Generator seeded with ``seed``.
    optimizer : str, default="adam"
        A name known to ``Model.compile``.
    loss : str or callable, default="cross_entropy"
    epochs : int, default=10
    batch_size : int, default=32
    lr : float, default=1e-3
    weight_decay : float or None, default=None
        None keeps the optimizer's default.
    metric : str or None, default="accuracy"
        A metric name of ``Model.compile``; None scores with the negated loss.
    seed : int or None, default=0
        Seeds the network's initialization (``lamina.manual_seed``) and the batch shuffling.
    **module_params
        Passed to ``make_module`` (e.g. ``hidden=32``).

    Notes
    -----
    With a ``seed``, ``fit`` reseeds lamina's default generator, as Keras's
    ``set_random_seed`` does, so layers built without an ``rng`` start identically.

    Examples
    --------
    >>> build = functools.partial(NetworkEstimator, make_mlp, epochs=5)  # doctest: +SKIP
    >>> grid_search(build, {"lr": [1e-3, 1e-2], "hidden": [16, 64]}, X, y)  # doctest: +SKIP
    """

    def __init__(
        self,
        make_module: Callable[..., Any],
        optimizer: str = "adam",
        loss: Any = "cross_entropy",
        epochs: int = 10,
        batch_size: int = 32,
        lr: float = 1e-3,
        weight_decay: float | None = None,
        metric: str | None = "accuracy",
        seed: int | None = 0,
        **module_params: Any,
    ) -> None:
        check_positive_int("NetworkEstimator", epochs=epochs, batch_size=batch_size)
        if metric is not None and metric != "loss" and metric not in METRICS:
            raise ValueError(
                f"NetworkEstimator: unknown metric {metric!r}; choose one of "
                f"{', '.join(sorted(METRICS))} or None"
            )
        self.make_module, self.optimizer, self.loss = make_module, optimizer, loss
        self.epochs, self.batch_size, self.lr = epochs, batch_size, lr
        self.weight_decay, self.metric, self.seed = weight_decay, metric, seed
        self.module_params = module_params
        self.model_: Model | None = None

    def get_params(self) -> dict[str, Any]:
        """The constructor's arguments, module parameters included."""
        names = (
            "optimizer",
            "loss",
            "epochs",
            "batch_size",
            "lr",
            "weight_decay",
            "metric",
            "seed",
        )
        return {
            "make_module": self.make_module,
            **{k: getattr(self, k) for k in names},
            **self.module_params,
        }

    def __repr__(self) -> str:
        shown = {k: v for k, v in self.get_params().items() if k != "make_module"}
        args = ", ".join(f"{k}={format_value(v)}" for k, v in shown.items())
        return f"NetworkEstimator({format_value(self.make_module)}, {args})"

    def fit(self, X: Any, y: Any) -> NetworkEstimator:
        """Build, compile and train a fresh network on ``X``, ``y``; return ``self``."""
        kwargs = dict(self.module_params)
        if self.seed is not None:
            manual_seed(self.seed)
            if "rng" in inspect.signature(self.make_module).parameters:
                kwargs.setdefault("rng", np.random.default_rng(self.seed))
        model = Model(self.make_module(**kwargs))
        options = {"lr": self.lr}
        if self.weight_decay is not None:
            options["weight_decay"] = self.weight_decay
        metrics = [self.metric] if self.metric not in (None, "loss") else []
        model.compile(self.optimizer, self.loss, metrics, **options)
        model.fit(X, y, epochs=self.epochs, batch_size=self.batch_size, seed=self.seed, verbose=0)
        self.model_ = model
        return self

    def _fitted(self, method: str) -> Model:
        if self.model_ is None:
            raise RuntimeError(f"NetworkEstimator.{method}: call fit first")
        return self.model_

    def predict(self, X: Any) -> np.ndarray:
        """The network's outputs for ``X``."""
        return self._fitted("predict").predict(np.asarray(getattr(X, "data", X)))

    def score(self, X: Any, y: Any) -> float:
        """``metric`` on ``X``, ``y``: higher is better (errors and the loss are negated)."""
        logs = self._fitted("score").evaluate(X, y, batch_size=max(self.batch_size, 256))
        key = self.metric or "loss"
        return -logs[key] if key in _ERRORS else logs[key]
