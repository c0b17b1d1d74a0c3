"""Indexing: ``x[index]`` (slices, integers, integer arrays, boolean masks) and ``gather``."""

from __future__ import annotations

from typing import Any

import numpy as np

from lamina.autodiff.function import Function
from lamina.autodiff.tensor import Tensor, TensorLike, as_tensor
from lamina.errors import ShapeError
from lamina.ops._shapes import normalize_dim

__all__ = ["gather", "getitem", "index_add"]


class GetItem(Function):
    """y = x[index].  dx = zeros with g added at ``index`` (repeated indices add up)."""

    def forward(ctx, x, index):
        ctx.index = index
        return x[index]

    def backward(ctx, g):
        return index_add(g, ctx.index, ctx.input_shapes[0])


class IndexAdd(Function):
    """y = zeros(shape) with g added at ``index``: the adjoint of ``x[index]``."""

    def forward(ctx, g, index, shape):
        ctx.index = index
        out = np.zeros(shape, g.dtype)
        if _has_repeats(index):
            np.add.at(out, index, g)
        else:
            out[index] = g
        return out

    def backward(ctx, g):
        return getitem(g, ctx.index)


def _has_repeats(index: Any) -> bool:
    """Whether an index can name one element twice (integer arrays can; slices cannot)."""
    parts = index if isinstance(index, tuple) else (index,)
    return any(isinstance(p, np.ndarray) and p.dtype.kind in "iu" for p in parts)


def _normalize_index(index: Any) -> Any:
    """Tensors and lists inside an index become arrays, as NumPy expects."""
    if isinstance(index, tuple):
        return tuple(_normalize_index(i) for i in index)
    if isinstance(index, Tensor):
        return index.data
    if isinstance(index, list):
        return np.asarray(index)
    return index


def getitem(x: TensorLike, index: Any) -> Tensor:
    """``x[index]`` with NumPy's rules; the gradient scatters back (repeats accumulate)."""
    x = as_tensor(x)
    index = _normalize_index(index)
    try:
        return GetItem.apply(x, index=index)
    except IndexError as e:
        raise IndexError(f"getitem: {e} (tensor of shape {x.shape})") from None


def index_add(g: TensorLike, index: Any, shape: tuple[int, ...]) -> Tensor:
    """A zero tensor of ``shape`` with ``g`` added at ``index`` (differentiable in ``g``)."""
    return IndexAdd.apply(g, index=_normalize_index(index), shape=tuple(shape))


def _gather_index(owner: str, x: Tensor, dim: int, index: np.ndarray) -> tuple[np.ndarray, ...]:
    """The full NumPy index that picks ``x[..., index[...], ...]`` along ``dim``."""
    if index.dtype.kind not in "iu":
        raise TypeError(f"{owner}: index must hold integers, got {index.dtype}")
    if index.ndim != x.ndim:
        raise ShapeError(
            f"{owner}: index must have {x.ndim} dims like the input, got {index.shape}"
        )
    for d, (n, m) in enumerate(zip(index.shape, x.shape)):
        if d != dim and n > m:
            raise ShapeError(
                f"{owner}: index {index.shape} is larger than input {x.shape} in dim {d}"
            )
    if index.size and (index.min() < -x.shape[dim] or index.max() >= x.shape[dim]):
        raise IndexError(f"{owner}: index out of range [0, {x.shape[dim]}) in dim {dim}")
    full: list[np.ndarray] = list(np.indices(index.shape, sparse=True))
    full[dim] = index
    return tuple(full)


def gather(x: TensorLike, dim: int, index: TensorLike) -> Tensor:
    """out[i][j][k] = x[index[i][j][k]][j][k] for dim=0 (and so on), like ``torch.gather``."""
    x = as_tensor(x)
    d = normalize_dim("gather", dim, x.ndim)
    idx = np.asarray(index.data if isinstance(index, Tensor) else index)
    return GetItem.apply(x, index=_gather_index("gather", x, d, idx))
