"""Broadcasting and its adjoint, the two ops the engine itself needs."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from lamina.autodiff.function import Function

if TYPE_CHECKING:
    from lamina.autodiff.tensor import Tensor

__all__ = ["broadcast_to", "is_broadcast_of", "sum_to"]


def is_broadcast_of(big: tuple[int, ...], small: tuple[int, ...]) -> bool:
    """True when broadcasting an array of shape ``small`` can give shape ``big``."""
    if len(small) > len(big):
        return False
    return all(s in (1, b) for s, b in zip(small[::-1], big[::-1]))


def _sum_axes(big: tuple[int, ...], small: tuple[int, ...]) -> tuple[tuple[int, ...], int]:
    lead = len(big) - len(small)
    kept = tuple(lead + i for i, s in enumerate(small) if s == 1 and big[lead + i] != 1)
    return tuple(range(lead)) + kept, lead


class SumTo(Function):
    """Sum a broadcast array back to ``shape``: the adjoint of ``broadcast_to``."""

    def forward(ctx, x: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
        axes, lead = _sum_axes(x.shape, shape)
        y = x.sum(axis=axes, keepdims=True) if axes else x
        return y.reshape(shape) if lead else y

    def backward(ctx, g: Tensor) -> Tensor:
        return broadcast_to(g, ctx.input_shapes[0])


class BroadcastTo(Function):
    """Repeat an array along broadcast dimensions. Backward: ``sum_to`` (done by the engine)."""

    def forward(ctx, x: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
        return np.broadcast_to(x, shape)

    def backward(ctx, g: Tensor) -> Tensor:
        return g  # the engine reduces a broadcast gradient to the input's shape


def sum_to(x: Tensor, shape: tuple[int, ...]) -> Tensor:
    """Sum ``x`` over its broadcast dimensions so that it has ``shape``."""
    if x.shape == tuple(shape):
        return x
    return SumTo.apply(x, shape=tuple(shape))


def broadcast_to(x: Tensor, shape: tuple[int, ...]) -> Tensor:
    """Broadcast ``x`` to ``shape`` without copying (a read-only view)."""
    if x.shape == tuple(shape):
        return x
    return BroadcastTo.apply(x, shape=tuple(shape))
