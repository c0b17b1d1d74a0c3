"""Ordering along a dimension: sort, argsort and topk (values differentiable, indices not)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from lamina.autodiff.tensor import Tensor, TensorLike, as_tensor
from lamina.errors import ShapeError
from lamina.ops._shapes import normalize_dim
from lamina.ops.index import gather

__all__ = ["SortResult", "TopK", "argsort", "sort", "topk"]


class SortResult(NamedTuple):
    """What ``sort`` returns, like ``torch.return_types.sort``."""

    values: Tensor
    indices: Tensor


class TopK(NamedTuple):
    """What ``topk`` returns, like ``torch.return_types.topk``."""

    values: Tensor
    indices: Tensor


def _order(x: np.ndarray, dim: int, descending: bool) -> np.ndarray:
    """Stable sort order along ``dim``; NaN counts as the largest value, as in PyTorch.

    Descending order sorts the key -x stably, so equal elements keep their input order in
    both directions; NaN goes first there (a separate key), last when ascending.
    """
    if not descending:
        return np.argsort(x, axis=dim, kind="stable")
    key = -x.astype(np.int64) if x.dtype.kind in "bu" else -x
    if x.dtype.kind == "f":
        return np.lexsort((key, ~np.isnan(x)), axis=dim)
    return np.argsort(key, axis=dim, kind="stable")


def _gathered(x: Tensor, dim: int, order: np.ndarray) -> Tensor:
    if x.ndim == 0:
        return x * 1 if x.dtype.kind == "f" else x
    return gather(x, dim, order)


def sort(
    x: TensorLike, dim: int = -1, descending: bool = False, *, stable: bool = False
) -> SortResult:
    """Sorted values along ``dim`` and their indices: values[..., i] = x[..., indices[..., i]].

    The sort is always stable (equal elements keep their order), which ``stable=False``
    also allows. The gradient of the values goes back to the positions they came from.
    """
    x = as_tensor(x)
    d = normalize_dim("sort", dim, max(x.ndim, 1))
    order = _order(x.data, d, descending) if x.ndim else np.zeros((), np.int64)
    return SortResult(_gathered(x, d, order), Tensor._wrap(order.astype(np.int64)))


def argsort(
    x: TensorLike, dim: int = -1, descending: bool = False, *, stable: bool = False
) -> Tensor:
    """The indices that sort ``x`` along ``dim`` (no gradient)."""
    return sort(x, dim, descending, stable=stable).indices


def topk(x: TensorLike, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> TopK:
    """The ``k`` largest (or smallest) elements along ``dim`` and their indices.

    values[..., i] = x[..., indices[..., i]]; the values come sorted, largest first (smallest
    first when ``largest=False``), whatever ``sorted`` says. Gradients reach only the picked
    positions.

    Examples
    --------
    >>> import lamina
    >>> values, indices = topk(lamina.tensor([1.0, 3.0, 2.0]), 2)
    >>> values, indices
    (tensor([3., 2.]), tensor([1, 2]))
    """
    x = as_tensor(x)
    d = normalize_dim("topk", dim, max(x.ndim, 1))
    n = x.shape[d] if x.ndim else 1
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 0 <= k <= n:
        raise ShapeError(f"topk: k must be an int in [0, {n}] for dim {dim} of size {n}, got {k!r}")
    if x.ndim == 0:
        return TopK(_gathered(x, d, np.zeros((), np.int64)), Tensor._wrap(np.zeros((), np.int64)))
    order = np.take(_order(x.data, d, largest), np.arange(k), axis=d)
    return TopK(gather(x, d, order), Tensor._wrap(order.astype(np.int64)))
