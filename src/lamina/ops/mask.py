"""Keep or replace elements by a mask: tril, triu, masked_fill."""

from __future__ import annotations

from typing import Any

import numpy as np

from lamina.autodiff.tensor import Tensor, TensorLike, as_tensor
from lamina.errors import ShapeError
from lamina.ops._shapes import broadcast_shape
from lamina.ops.elementwise import where

__all__ = ["masked_fill", "tril", "triu"]


def _triangle(owner: str, x: TensorLike, keep: np.ndarray) -> Tensor:
    x = as_tensor(x)
    if x.ndim < 2:
        raise ShapeError(f"{owner}: expected a tensor with at least 2 dims, got shape {x.shape}")
    return where(Tensor._wrap(keep), x, 0)


def tril(x: TensorLike, diagonal: int = 0) -> Tensor:
    """The lower triangle: y[..., i, j] = x[..., i, j] if j - i <= diagonal else 0."""
    n, m = as_tensor(x).shape[-2:] if as_tensor(x).ndim >= 2 else (0, 0)
    return _triangle("tril", x, np.tri(n, m, diagonal, dtype=bool))


def triu(x: TensorLike, diagonal: int = 0) -> Tensor:
    """The upper triangle: y[..., i, j] = x[..., i, j] if j - i >= diagonal else 0."""
    n, m = as_tensor(x).shape[-2:] if as_tensor(x).ndim >= 2 else (0, 0)
    return _triangle("triu", x, ~np.tri(n, m, diagonal - 1, dtype=bool))


def masked_fill(x: TensorLike, mask: TensorLike, value: Any) -> Tensor:
    """y = value where mask else x; ``mask`` (bool) broadcasts to the shape of ``x``.

    The gradient flows to x where the mask is False (and to ``value`` when it is a tensor).
    """
    x = as_tensor(x)
    m = np.asarray(mask.data if isinstance(mask, Tensor) else mask)
    if m.dtype != np.bool_:
        raise TypeError(f"masked_fill: mask must be a bool tensor, got {m.dtype}")
    if broadcast_shape("masked_fill", x.shape, m.shape) != x.shape:
        raise ShapeError(f"masked_fill: mask of shape {m.shape} does not broadcast to {x.shape}")
    if isinstance(value, Tensor) and value.ndim != 0:
        raise ShapeError(f"masked_fill: value must be a 0-dim tensor, got shape {value.shape}")
    if isinstance(value, Tensor) and value.dtype != x.dtype:
        value = value.to(x.dtype)  # PyTorch fills in the dtype of x
    return where(Tensor._wrap(m), value, x)
