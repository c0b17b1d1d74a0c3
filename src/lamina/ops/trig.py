"""Trigonometric functions, elementwise: sin and cos (each the other's derivative)."""

from __future__ import annotations

import numpy as np

from lamina.autodiff.function import Function
from lamina.autodiff.tensor import Tensor, TensorLike

__all__ = ["cos", "sin"]


class Sin(Function):
    """y = sin(x).  dx = g * cos(x)."""

    def forward(ctx, x):
        return np.sin(x)

    def backward(ctx, g):
        return g * cos(ctx.inputs[0])


class Cos(Function):
    """y = cos(x).  dx = -g * sin(x)."""

    def forward(ctx, x):
        return np.cos(x)

    def backward(ctx, g):
        return -g * sin(ctx.inputs[0])


def sin(x: TensorLike) -> Tensor:
    """Elementwise sine (radians)."""
    return Sin.apply(x)


def cos(x: TensorLike) -> Tensor:
    """Elementwise cosine (radians)."""
    return Cos.apply(x)
