"""Copies and rearrangements of whole tensors: clone, contiguous, roll, repeat, narrow, t."""

from __future__ import annotations

from typing import Any

import numpy as np

from lamina.autodiff.broadcast import broadcast_to
from lamina.autodiff.function import Function
from lamina.autodiff.tensor import Tensor, TensorLike, as_tensor
from lamina.errors import ShapeError
from lamina.ops._shapes import normalize_dim, shape_arg
from lamina.ops.shape import reshape, transpose

__all__ = ["clone", "contiguous", "narrow", "repeat", "roll", "t"]


class Copy(Function):
    """y = a copy of x (in the memory ``order`` asked for).  dx = g."""

    def forward(ctx, x, order):
        return x.copy(order=order)

    def backward(ctx, g):
        return g


class Roll(Function):
    """y = x shifted cyclically by ``shifts`` along ``dims``.  dx = g shifted back."""

    def forward(ctx, x, shifts, dims):
        ctx.shifts, ctx.dims = shifts, dims
        return np.roll(x, shifts, axis=dims)

    def backward(ctx, g):
        back = tuple(-s for s in ctx.shifts) if ctx.dims is not None else -ctx.shifts
        return Roll.apply(g, shifts=back, dims=ctx.dims)


def clone(x: TensorLike) -> Tensor:
    """A copy of ``x`` that gradients flow through (dx = g), like ``torch.clone``."""
    return Copy.apply(as_tensor(x), order="K")


def contiguous(x: TensorLike) -> Tensor:
    """``x`` itself when its memory is C-contiguous, else a contiguous copy (dx = g)."""
    x = as_tensor(x)
    return x if x.data.flags.c_contiguous else Copy.apply(x, order="C")


def roll(x: TensorLike, shifts: Any, dims: Any = None) -> Tensor:
    """Shift elements cyclically: y[(i + s) mod n] = x[i] along each dim, like ``torch.roll``.

    With ``dims=None`` the tensor is flattened, rolled, and given its shape back.
    """
    x = as_tensor(x)
    if dims is None:
        if not isinstance(shifts, (int, np.integer)):
            if len(tuple(shifts)) != 1:
                raise ValueError(f"roll: without dims, shifts must be one int, got {shifts!r}")
            shifts = next(iter(shifts))
        return Roll.apply(x, shifts=int(shifts), dims=None)
    shifts_t = (shifts,) if isinstance(shifts, (int, np.integer)) else tuple(shifts)
    dims_t = (dims,) if isinstance(dims, (int, np.integer)) else tuple(dims)
    if len(shifts_t) != len(dims_t):
        raise ValueError(
            f"roll: shifts and dims must have the same length, got {len(shifts_t)} and "
            f"{len(dims_t)}"
        )
    axes = tuple(normalize_dim("roll", d, x.ndim) for d in dims_t)
    return Roll.apply(x, shifts=tuple(int(s) for s in shifts_t), dims=axes)


def repeat(x: TensorLike, *sizes: Any) -> Tensor:
    """Tile ``x`` ``sizes[i]`` times along dim i, like ``Tensor.repeat`` (NumPy's ``tile``).

    ``sizes`` may be longer than ``x.ndim``: x is first viewed with leading dims of size 1.
    Each dim (n) becomes (r, n) by broadcasting and then r*n by a reshape, so the gradient
    sums the r copies.
    """
    x = as_tensor(x)
    reps = shape_arg(sizes, "repeat")
    if len(reps) < x.ndim:
        raise ShapeError(
            f"repeat: expected at least {x.ndim} repeat sizes for a tensor of shape {x.shape}, "
            f"got {reps}"
        )
    shape = (1,) * (len(reps) - x.ndim) + x.shape
    spread = reshape(x, tuple(v for n in shape for v in (1, n)))
    tiled = broadcast_to(spread, tuple(v for r, n in zip(reps, shape) for v in (r, n)))
    return reshape(tiled, tuple(r * n for r, n in zip(reps, shape)))


def narrow(x: TensorLike, dim: int, start: int, length: int) -> Tensor:
    """The slice ``start : start + length`` of ``x`` along ``dim`` (start may be negative)."""
    x = as_tensor(x)
    d = normalize_dim("narrow", dim, x.ndim)
    n = x.shape[d]
    if not -n <= start <= n:
        raise IndexError(f"narrow: start {start} is out of range for dim {dim} of size {n}")
    start = start % n if start < 0 else start
    if length < 0 or start + length > n:
        raise ShapeError(
            f"narrow: start ({start}) + length ({length}) exceeds dim {dim} of size {n}"
        )
    return x[(slice(None),) * d + (slice(start, start + length),)]


def t(x: TensorLike) -> Tensor:
    """The transpose of a matrix; 0-D and 1-D tensors come back as they are."""
    x = as_tensor(x)
    if x.ndim > 2:
        raise ShapeError(f"t: expected a tensor with at most 2 dims, got shape {x.shape}")
    return transpose(x, 0, 1) if x.ndim == 2 else x
