"""The affine map of a dense layer: ``linear(x, W, b) = x @ W^T + b``."""

from __future__ import annotations

from typing import Any

from lamina.autodiff.function import Function
from lamina.autodiff.tensor import Tensor, TensorLike, as_tensor
from lamina.errors import ShapeError, owner_name
from lamina.ops.linalg import matmul
from lamina.ops.reduce import sum
from lamina.ops.shape import reshape

__all__ = ["linear"]


class Linear(Function):
    """y = x @ W^T + b for 2-D x.  dx = g @ W,  dW = g^T @ x,  db = sum_n g.

    One node rather than matmul, transpose and add, and dW comes out in W's own (out, in)
    layout, so the optimizer's in-place update walks memory in order.
    """

    def forward(ctx, x, w, b=None):
        y = x @ w.T
        if b is not None:
            y += b
        return y

    def backward(ctx, g):
        x, w = ctx.inputs[:2]
        need = ctx.needs_input_grad
        gx = matmul(g, w) if need[0] else None
        gw = matmul(g.transpose(0, 1), x) if need[1] else None
        gb = sum(g, 0) if len(need) > 2 and need[2] else None
        return gx, gw, gb


def linear(x: TensorLike, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """y = x @ weight.T + bias, with weight of shape (out_features, in_features)."""
    return _linear("linear", x, weight, bias)


def _linear(owner: Any, x: TensorLike, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """``linear`` with errors naming ``owner`` (a function name or the calling layer)."""
    x, name = as_tensor(x), owner_name(owner)
    if x.ndim == 0 or weight.ndim != 2 or x.shape[-1] != weight.shape[-1]:
        n_in = weight.shape[-1]
        raise ShapeError(f"{name}: expected input of shape (..., {n_in}), got {x.shape}")
    if x.dtype != weight.dtype:
        dtypes = f"{x.dtype} and {weight.dtype}"
        raise TypeError(f"{name}: input and weight must share a dtype, got {dtypes}")
    args = (weight,) if bias is None else (weight, bias)
    if x.ndim == 2:
        return Linear.apply(x, *args)
    if x.ndim == 1:
        return reshape(Linear.apply(reshape(x, (1, -1)), *args), (weight.shape[0],))
    lead = x.shape[:-1]  # one 2-D product for any number of leading dims
    y = Linear.apply(reshape(x, (-1, x.shape[-1])), *args)
    return reshape(y, (*lead, weight.shape[0]))
