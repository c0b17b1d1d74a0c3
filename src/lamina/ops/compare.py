"""Comparisons: elementwise boolean results, with no gradient."""

from __future__ import annotations

import numpy as np

from lamina.autodiff.tensor import Tensor, TensorLike, as_tensor

__all__ = ["eq", "ge", "gt", "le", "lt", "ne"]


def _compare(ufunc: np.ufunc, a: object, b: object) -> Tensor:
    ta = as_tensor(a, getattr(b, "dtype", None))
    tb = as_tensor(b, ta.dtype)
    return Tensor._wrap(ufunc(ta.data, tb.data))


def lt(a: TensorLike, b: TensorLike) -> Tensor:
    """a < b elementwise, as a boolean tensor (no gradient)."""
    return _compare(np.less, a, b)


def le(a: TensorLike, b: TensorLike) -> Tensor:
    """a <= b elementwise, as a boolean tensor (no gradient)."""
    return _compare(np.less_equal, a, b)


def gt(a: TensorLike, b: TensorLike) -> Tensor:
    """a > b elementwise, as a boolean tensor (no gradient)."""
    return _compare(np.greater, a, b)


def ge(a: TensorLike, b: TensorLike) -> Tensor:
    """a >= b elementwise, as a boolean tensor (no gradient)."""
    return _compare(np.greater_equal, a, b)


def eq(a: object, b: object) -> Tensor:
    """a == b elementwise, as a boolean tensor (no gradient)."""
    return _compare(np.equal, a, b)


def ne(a: object, b: object) -> Tensor:
    """a != b elementwise, as a boolean tensor (no gradient)."""
    return _compare(np.not_equal, a, b)
