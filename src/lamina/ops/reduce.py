"""Reductions over dimensions: sum, mean, max, min, var, std, logsumexp, argmax, argmin.

Each takes PyTorch's ``dim``/``keepdim`` (NumPy's ``axis``/``keepdims`` are accepted too).
Only ``sum`` and ``max`` are primitives; the rest are composed from them.
"""

from __future__ import annotations

import builtins
from typing import Any, NamedTuple

import numpy as np

from lamina.autodiff.broadcast import broadcast_to
from lamina.autodiff.function import Function
from lamina.autodiff.tensor import Tensor, TensorLike, as_tensor
from lamina.ops._shapes import kept_shape, normalize_dim, reduce_args
from lamina.ops.elementwise import log, sqrt
from lamina.ops.shape import reshape

__all__ = [
    "MinMax",
    "argmax",
    "argmin",
    "cumsum",
    "logsumexp",
    "max",
    "mean",
    "min",
    "std",
    "sum",
    "var",
]


class MinMax(NamedTuple):
    """What ``max(x, dim)`` and ``min(x, dim)`` return: the values and where they are."""

    values: Tensor
    indices: Tensor


class Sum(Function):
    """y = sum of x over dims.  dx = g broadcast back over the summed dims."""

    def forward(ctx, x, dims, keepdim):
        ctx.kept = kept_shape(x.shape, dims)
        return x.sum(axis=dims, keepdims=keepdim)

    def backward(ctx, g):
        return broadcast_to(reshape(g, ctx.kept), ctx.input_shapes[0])


class Max(Function):
    """y = max of x over dims.  dx = g at the maximum, shared evenly among ties (as ``amax``)."""

    def forward(ctx, x, dims, keepdim):
        y = x.max(axis=dims, keepdims=True)
        weight = (x == y).astype(x.dtype)
        weight /= weight.sum(axis=dims, keepdims=True)
        ctx.weight, ctx.kept = weight, y.shape
        return y if keepdim else y.reshape(_reduced_shape(x.shape, dims))

    def backward(ctx, g):
        return reshape(g, ctx.kept) * Tensor._wrap(ctx.weight)


class MaxDim(Function):
    """(values, indices) of the maximum along one dim, from one node, as ``torch.max(x, dim)``.

    dvalues: the whole gradient goes to the index ``argmax`` reports (the first maximum);
    the indices are integers and take no gradient.
    """

    def forward(ctx, x, dim, keepdim):
        idx = np.expand_dims(x.argmax(axis=dim), dim)
        y = np.take_along_axis(x, idx, dim)
        ctx.weight = np.zeros(x.shape, x.dtype)
        np.put_along_axis(ctx.weight, idx, 1, dim)
        ctx.kept = y.shape
        return (y, idx) if keepdim else (y.squeeze(dim), idx.squeeze(dim))

    # one gradient per output (the indices' is None), where Function declares one output
    def backward(ctx, g, _):  # type: ignore[override]
        return reshape(g, ctx.kept) * Tensor._wrap(ctx.weight)


def sum(x: TensorLike, dim: Any = None, keepdim: bool = False, **numpy_names: Any) -> Tensor:
    """Sum over ``dim`` (all dims when None)."""
    x = as_tensor(x)
    dims, keepdim = reduce_args("sum", x.ndim, dim, keepdim, numpy_names)
    return Sum.apply(x, dims=dims, keepdim=keepdim)


def mean(x: TensorLike, dim: Any = None, keepdim: bool = False, **numpy_names: Any) -> Tensor:
    """Arithmetic mean over ``dim``: sum(x) / n."""
    x = as_tensor(x)
    dims, keepdim = reduce_args("mean", x.ndim, dim, keepdim, numpy_names)
    if x.dtype.kind != "f":
        raise TypeError(f"mean: expected a float tensor, got {x.dtype}")
    n = x.data.size if dims is None else int(np.prod([x.shape[d] for d in dims]))
    return Sum.apply(x, dims=dims, keepdim=keepdim) / n


def _extreme(owner: str, x: Tensor, dim: Any, keepdim: bool, numpy_names: dict) -> Any:
    dims, keepdim = reduce_args(owner, x.ndim, dim, keepdim, numpy_names)
    if x.data.size == 0:
        raise ValueError(f"{owner}: cannot reduce an empty tensor of shape {x.shape}")
    if isinstance(dim, (int, np.integer)) and not isinstance(dim, bool):
        assert dims is not None  # an int dim gives a one-dim tuple
        return MaxDim.apply(x, dim=dims[0], keepdim=keepdim)
    return Max.apply(x, dims=dims, keepdim=keepdim)


def max(x: TensorLike, dim: Any = None, keepdim: bool = False, **numpy_names: Any) -> Any:
    """Maximum over all elements, or ``(values, indices)`` over one integer ``dim``."""
    out = _extreme("max", as_tensor(x), dim, keepdim, numpy_names)
    return MinMax(*out) if isinstance(out, tuple) else out


def min(x: TensorLike, dim: Any = None, keepdim: bool = False, **numpy_names: Any) -> Any:
    """Minimum over all elements, or ``(values, indices)`` over one integer ``dim``: -max(-x)."""
    out = _extreme("min", -as_tensor(x), dim, keepdim, numpy_names)
    return MinMax(-out[0], out[1]) if isinstance(out, tuple) else -out


def var(
    x: TensorLike, dim: Any = None, *, correction: int = 1, keepdim: bool = False, **kw: Any
) -> Tensor:
    """Variance: sum((x - mean)**2) / (n - correction); correction=1 is the unbiased estimate."""
    x = as_tensor(x)
    dims, keepdim = reduce_args("var", x.ndim, dim, keepdim, kw)
    n = x.data.size if dims is None else int(np.prod([x.shape[d] for d in dims]))
    d = x - mean(x, dims, keepdim=True)
    return sum(d * d, dims, keepdim=keepdim) / builtins.max(n - correction, 0)


def std(
    x: TensorLike, dim: Any = None, *, correction: int = 1, keepdim: bool = False, **kw: Any
) -> Tensor:
    """Standard deviation: sqrt(var(x))."""
    return sqrt(var(x, dim, correction=correction, keepdim=keepdim, **kw))


def logsumexp(x: TensorLike, dim: Any = None, keepdim: bool = False, **numpy_names: Any) -> Tensor:
    """log(sum(exp(x))) over ``dim``, computed as m + log(sum(exp(x - m))) with m = max(x)."""
    x = as_tensor(x)
    dims, keepdim = reduce_args("logsumexp", x.ndim, dim, keepdim, numpy_names)
    m = x.data.max(axis=dims, keepdims=True)
    m = np.where(np.isfinite(m), m, 0).astype(x.dtype)  # an all -inf row stays -inf, not NaN
    shift = Tensor._wrap(m)
    out = log(sum((x - shift).exp(), dims, keepdim=True)) + shift
    return out if keepdim else reshape(out, _reduced_shape(x.shape, dims))


def _reduced_shape(shape: tuple[int, ...], dims: tuple[int, ...] | None) -> tuple[int, ...]:
    return () if dims is None else tuple(n for i, n in enumerate(shape) if i not in dims)


def argmax(x: TensorLike, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """Index of the maximum (of the flattened tensor when ``dim`` is None); no gradient."""
    x = as_tensor(x)
    if dim is None:
        return Tensor._wrap(np.asarray(x.data.argmax(), np.int64))
    d = normalize_dim("argmax", dim, x.ndim)
    return Tensor._wrap(np.asarray(x.data.argmax(axis=d, keepdims=keepdim), np.int64))


def argmin(x: TensorLike, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """Index of the minimum (of the flattened tensor when ``dim`` is None); no gradient."""
    x = as_tensor(x)
    if dim is None:
        return Tensor._wrap(np.asarray(x.data.argmin(), np.int64))
    d = normalize_dim("argmin", dim, x.ndim)
    return Tensor._wrap(np.asarray(x.data.argmin(axis=d, keepdims=keepdim), np.int64))


class CumSum(Function):
    """y_i = sum_{j <= i} x_j along ``dim``.  dx_j = sum_{i >= j} g_i: the reversed cumsum of g."""

    def forward(ctx, x, dim):
        ctx.dim = dim
        return np.cumsum(x, axis=dim, dtype=x.dtype)

    def backward(ctx, g):
        flip = (slice(None),) * ctx.dim + (slice(None, None, -1),)
        return CumSum.apply(g[flip], dim=ctx.dim)[flip]


def cumsum(x: TensorLike, dim: int, *, dtype: Any = None) -> Tensor:
    """Cumulative sum along ``dim``; integer and bool input give int64, like PyTorch."""
    x = as_tensor(x)
    d = normalize_dim("cumsum", dim, builtins.max(x.ndim, 1))
    if dtype is not None:
        x = x.to(dtype)
    elif x.dtype.kind in "biu":
        x = Tensor._wrap(x.data.astype(np.int64))
    return CumSum.apply(x, dim=d) if x.ndim else x * 1
