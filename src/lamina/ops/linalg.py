"""Matrix products."""

from __future__ import annotations

from lamina.autodiff.function import Function
from lamina.autodiff.tensor import Tensor, TensorLike, as_tensor
from lamina.errors import ShapeError
from lamina.ops._shapes import broadcast_shape
from lamina.ops.shape import squeeze, unsqueeze

__all__ = ["matmul"]


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
