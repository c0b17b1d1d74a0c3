"""Matrix products and norms."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from lamina.autodiff.function import Function
from lamina.autodiff.tensor import Tensor, TensorLike, as_tensor
from lamina.errors import ShapeError
from lamina.ops._shapes import broadcast_shape, kept_shape, reduce_args
from lamina.ops.elementwise import where
from lamina.ops.shape import reshape, squeeze, unsqueeze

__all__ = ["bmm", "matmul", "mm", "norm"]


class MatMul(Function):
    """y = a @ b over the last two dims, batch dims broadcast.

    da = g @ b^T,  db = a^T @ g  (^T swaps the last two dims; the engine sums broadcast
    batch dims back).
    """

    def forward(ctx, a, b):
        return a @ b

    def backward(ctx, g):
        a, b = ctx.inputs
        da, db = ctx.needs_input_grad
        return (
            matmul(g, b.transpose(-1, -2)) if da else None,
            matmul(a.transpose(-1, -2), g) if db else None,
        )


def matmul(a: TensorLike, b: TensorLike) -> Tensor:
    """Matrix product with NumPy/PyTorch rules: 1-D operands are promoted then squeezed."""
    a, b = as_tensor(a), as_tensor(b)
    if a.ndim == 0 or b.ndim == 0:
        raise ShapeError(f"matmul: both operands need at least 1 dim, got {a.shape} @ {b.shape}")
    if a.shape[-1] != b.shape[-2 if b.ndim > 1 else 0]:
        raise ShapeError(f"matmul: inner dimensions differ: {a.shape} @ {b.shape}")
    if a.dtype != b.dtype:
        raise TypeError(f"matmul: operands must share a dtype, got {a.dtype} and {b.dtype}")
    if a.ndim == 1 or b.ndim == 1:  # promote to matrices, then drop the added dims
        out = matmul(unsqueeze(a, 0) if a.ndim == 1 else a, unsqueeze(b, 1) if b.ndim == 1 else b)
        out = squeeze(out, -1) if b.ndim == 1 else out
        return squeeze(out, -1 if b.ndim == 1 else -2) if a.ndim == 1 else out
    if a.ndim > 2 and b.ndim > 2:
        broadcast_shape("matmul", a.shape[:-2], b.shape[:-2])
    return MatMul.apply(a, b)


def mm(a: TensorLike, b: TensorLike) -> Tensor:
    """Matrix product of two 2-D tensors, (n, m) @ (m, p) -> (n, p); no broadcasting."""
    a, b = as_tensor(a), as_tensor(b)
    if a.ndim != 2 or b.ndim != 2:
        raise ShapeError(f"mm: expected two 2-D tensors, got {a.shape} and {b.shape}")
    return matmul(a, b)


def bmm(a: TensorLike, b: TensorLike) -> Tensor:
    """Batched matrix product, (B, n, m) @ (B, m, p) -> (B, n, p); no broadcasting."""
    a, b = as_tensor(a), as_tensor(b)
    if a.ndim != 3 or b.ndim != 3:
        raise ShapeError(f"bmm: expected two 3-D tensors, got {a.shape} and {b.shape}")
    if a.shape[0] != b.shape[0]:
        raise ShapeError(f"bmm: batch sizes differ: {a.shape} @ {b.shape}")
    return matmul(a, b)


class Norm2(Function):
    """y = sqrt(sum x**2) over dims.  dx = g * x / y, and 0 where y = 0 (as in PyTorch).

    A rule of its own for the gradient at 0: composed as sqrt(sum(x*x)) it would be
    0 * inf = NaN there, where PyTorch gives the subgradient 0.
    """

    def forward(ctx, x, dims, keepdim):
        ctx.kept = kept_shape(x.shape, dims)
        return np.sqrt((x * x).sum(axis=dims, keepdims=keepdim))

    def backward(ctx, g):
        x = ctx.inputs[0]
        out = ctx.output()
        assert out is not None  # alive: a consumer (or the caller of backward) holds it
        y = reshape(out, ctx.kept)
        zero = Tensor._wrap(y.data == 0)
        return x * where(zero, 0.0, reshape(g, ctx.kept) / where(zero, 1.0, y))


def _norm_inf(x: Tensor, dims: tuple[int, ...] | None, keepdim: bool, largest: bool) -> Tensor:
    """max |x| (min |x| for -inf), its gradient sign(x) * g shared evenly among ties.

    Written m + sum((|x| - m) * w) with m the extreme value and w the tie weights (constants):
    the value is m exactly and the gradient is PyTorch's even split.
    """
    a = x.abs()
    m = a.data.max(axis=dims, keepdims=True) if largest else a.data.min(axis=dims, keepdims=True)
    tie = (a.data == m).astype(x.dtype)
    w, m = Tensor._wrap(tie / tie.sum(axis=dims, keepdims=True)), Tensor._wrap(m)
    out = m + ((a - m) * w).sum(dims, keepdim=True)
    if keepdim:
        return out
    kept = () if dims is None else tuple(n for i, n in enumerate(x.shape) if i not in dims)
    return reshape(out, kept)


def norm(x: TensorLike, p: Any = "fro", dim: Any = None, keepdim: bool = False) -> Tensor:
    """The vector p-norm of ``x`` over ``dim`` (all elements when None), like ``torch.norm``.

    p = 2 or 'fro': sqrt(sum x**2);  p = 1: sum |x|;  p = inf: max |x|;  p = -inf: min |x|.
    At x = 0 the gradient is 0, as in PyTorch.

    Examples
    --------
    >>> import lamina
    >>> norm(lamina.tensor([[3.0, -4.0], [0.0, 1.0]]), dim=1)
    tensor([5., 1.])
    >>> norm(lamina.tensor([3.0, -4.0]), p=1)
    tensor(7.)
    """
    x = as_tensor(x)
    if x.dtype.kind != "f":
        raise TypeError(f"norm: expected a float tensor, got {x.dtype}")
    dims, keepdim = reduce_args("norm", x.ndim, dim, keepdim, {})
    if p == "fro" or (not isinstance(p, str) and p == 2):
        return Norm2.apply(x, dims=dims, keepdim=keepdim)
    if isinstance(p, str):
        raise ValueError(f"norm: p must be one of 1, 2, inf, -inf or 'fro', got {p!r}")
    if p == 1:
        return x.abs().sum(dims, keepdim=keepdim)
    if math.isinf(p):
        return _norm_inf(x, dims, keepdim, largest=p > 0)
    raise ValueError(f"norm: p must be one of 1, 2, inf, -inf or 'fro', got {p!r}")
