"""Names for the Keras-style API: ``compile(optimizer="adam", loss="cross_entropy")``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lamina import metrics as M
from lamina import optim
from lamina.ops import loss as losses

__all__ = ["LOSSES", "METRICS", "OPTIMIZERS", "resolve"]

OPTIMIZERS: dict[str, Callable[..., Any]] = {
    "sgd": optim.SGD,
    "adam": optim.Adam,
    "adamw": optim.AdamW,
    "adamax": optim.Adamax,
    "adagrad": optim.Adagrad,
    "adadelta": optim.Adadelta,
    "rmsprop": optim.RMSprop,
}

LOSSES: dict[str, Callable[..., Any]] = {
    "cross_entropy": losses.cross_entropy,
    "nll": losses.nll_loss,
    "mse": losses.mse_loss,
    "mae": losses.l1_loss,
    "l1": losses.l1_loss,
    "binary_cross_entropy": losses.binary_cross_entropy,
    "bce_with_logits": losses.binary_cross_entropy_with_logits,
}

METRICS: dict[str, Callable[..., float]] = {
    "accuracy": M.accuracy,
    "top5_accuracy": lambda y, s: M.top_k_accuracy(y, s, k=5),
    "f1": lambda y, s: M.f1_score(y, s, average="macro"),
    "precision": lambda y, s: M.precision(y, s, average="macro"),
    "recall": lambda y, s: M.recall(y, s, average="macro"),
    "mse": M.mse,
    "rmse": M.rmse,
    "mae": M.mae,
}


def resolve(kind: str, name: Any, table: dict[str, Any]) -> Any:
    """``table[name]`` for a string, ``name`` itself otherwise; a wrong name lists valid ones."""
    if not isinstance(name, str):
        return name
    key = name.lower()
    if key not in table:
        raise ValueError(
            f"compile: unknown {kind} {name!r}; choose one of {', '.join(sorted(table))}"
        )
    return table[key]
