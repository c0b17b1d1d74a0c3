"""Clipped activations: hardtanh and ReLU6, the identity inside an interval, flat outside."""

from __future__ import annotations

import numpy as np

from lamina.autodiff.function import Function
from lamina.autodiff.tensor import Tensor, TensorLike, as_tensor
from lamina.errors import owner_name
from lamina.ops.inplace import update_

__all__ = ["hardtanh", "relu6"]


def check_hardtanh_bounds(owner: object, min_val: float, max_val: float) -> None:
    """Refuse an empty interval: max_val must be greater than min_val (PyTorch's rule)."""
    if not max_val > min_val:
        raise ValueError(
            f"{owner_name(owner)}: max_val must be greater than min_val, "
            f"got min_val={min_val}, max_val={max_val}"
        )


class Hardtanh(Function):
    """y = min(max(x, lo), hi).  dx = g strictly inside (lo, hi), else 0.

    Its own rule (not ``clip``) because PyTorch's hardtanh passes no gradient at the bounds
    themselves, where clamp passes it; the ONNX exporter maps it to ``Clip``.
    """

    def forward(ctx, x, lo, hi):
        ctx.inside = (x > lo) & (x < hi)
        return np.clip(x, lo, hi).astype(x.dtype, copy=False)

    def backward(ctx, g):
        return g * Tensor._wrap(ctx.inside.astype(g.dtype))


def _hardtanh(
    owner: object, x: TensorLike, min_val: float, max_val: float, inplace: bool
) -> Tensor:
    check_hardtanh_bounds(owner, min_val, max_val)
    x = as_tensor(x)
    if inplace:
        return update_(owner_name(owner), x, lambda t: _hardtanh(owner, t, min_val, max_val, False))
    return Hardtanh.apply(x, lo=min_val, hi=max_val)


def hardtanh(
    x: TensorLike, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False
) -> Tensor:
    """y = min_val if x <= min_val, max_val if x >= max_val, else x.

    dy/dx = 1 strictly inside (min_val, max_val), 0 elsewhere. ``inplace=True`` writes y
    into x, with PyTorch's in-place rules.
    """
    return _hardtanh("hardtanh", x, min_val, max_val, inplace)


def relu6(x: TensorLike, inplace: bool = False) -> Tensor:
    """y = min(max(x, 0), 6) = hardtanh(x, 0, 6): ReLU capped at 6 (MobileNet's activation,
    robust in low-precision arithmetic). dy/dx = 1 for 0 < x < 6, else 0."""
    return _hardtanh("relu6", x, 0.0, 6.0, inplace)
