"""The argument checks every loss shares: reductions, input/target pairs, weights, margins.

Each refuses what PyTorch refuses, with a message naming the loss, what was expected and
what came.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lamina.autodiff.tensor import Tensor, TensorLike, as_tensor
from lamina.errors import ShapeError, check_finite, check_in
from lamina.ops._shapes import check_same_shape
from lamina.ops.reduce import mean, sum

REDUCTIONS = ("mean", "sum", "none")


def reduce_loss(loss: Tensor, reduction: str) -> Tensor:
    """mean or sum over every element, or the loss as it is ("none")."""
    if reduction == "mean":
        return mean(loss)
    if reduction == "sum":
        return sum(loss)
    return loss


def loss_inputs(
    owner: str, x: TensorLike, target: TensorLike, reduction: str, allowed: tuple = REDUCTIONS
) -> tuple[Tensor, Tensor]:
    """Check a loss's input and target: a known reduction, same shape, finite input.

    The target is cast to the input's dtype (float32 in, float32 out).
    """
    check_in(owner, "reduction", reduction, allowed)
    x, t = as_tensor(x), as_tensor(target)
    check_same_shape(owner, x.shape, t.shape, "input and target")
    check_finite(owner, x.data)
    return x, t.to(x.dtype) if t.dtype != x.dtype else t


def class_weight(owner: str, weight: TensorLike | None, n_classes: int, dtype: Any) -> Any:
    """A per-class weight as an array of shape (C,), or None; PyTorch refuses other shapes."""
    if weight is None:
        return None
    w = as_tensor(weight).data
    if w.shape != (n_classes,):
        raise ShapeError(
            f"{owner}: weight must hold one value per class, shape ({n_classes},), "
            f"got shape {w.shape}"
        )
    return w.astype(dtype, copy=False)


def broadcast_weight(owner: str, name: str, weight: TensorLike | None, x: Tensor) -> Tensor | None:
    """An elementwise weight that must broadcast to the input's shape (not grow it)."""
    if weight is None:
        return None
    w = as_tensor(weight, x.dtype)
    try:
        fits = np.broadcast_shapes(w.shape, x.shape) == x.shape
    except ValueError:
        fits = False
    if not fits:
        raise ShapeError(f"{owner}: {name} of shape {w.shape} must broadcast to input {x.shape}")
    return w.to(x.dtype) if w.dtype != x.dtype else w


def check_in_unit_interval(owner: str, name: str, a: np.ndarray) -> None:
    """PyTorch's binary_cross_entropy refuses probabilities or targets outside [0, 1]."""
    if a.size and (a.min() < 0 or a.max() > 1):
        raise ValueError(
            f"{owner}: {name} must hold values in [0, 1], got values in [{a.min()}, {a.max()}]"
        )


def check_positive(owner: str, **values: float) -> None:
    """Raise ``ValueError`` unless each value is > 0 (PyTorch: "must be greater than 0")."""
    for name, value in values.items():
        if not value > 0:
            raise ValueError(f"{owner}: {name} must be greater than 0, got {value}")
