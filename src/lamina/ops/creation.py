"""Factories for new tensors, named and shaped like PyTorch's."""

from __future__ import annotations

from typing import Any

import numpy as np

from lamina.autodiff import grad_mode
from lamina.autodiff.random import default_generator
from lamina.autodiff.tensor import Tensor
from lamina.ops._shapes import shape_arg

__all__ = [
    "arange", "empty", "eye", "full", "ones", "ones_like", "rand", "randn", "zeros", "zeros_like",
]  # fmt: skip


def _make(data: np.ndarray, requires_grad: bool) -> Tensor:
    return Tensor._wrap(data).requires_grad_(requires_grad) if requires_grad else Tensor._wrap(data)


def _float(dtype: Any) -> np.dtype:
    return np.dtype(dtype) if dtype is not None else grad_mode.get_default_dtype()


def zeros(*shape: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of zeros."""
    return _make(np.zeros(shape_arg(shape), _float(dtype)), requires_grad)


def ones(*shape: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of ones."""
    return _make(np.ones(shape_arg(shape), _float(dtype)), requires_grad)


def empty(*shape: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor whose values are not set (they are zero here, for reproducibility)."""
    return zeros(*shape, dtype=dtype, requires_grad=requires_grad)


def full(shape: Any, fill_value: float, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor filled with ``fill_value``."""
    return _make(np.full(shape_arg((shape,)), fill_value, _float(dtype)), requires_grad)


def eye(n: int, m: int | None = None, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """The identity matrix (n x m)."""
    return _make(np.eye(n, m, dtype=_float(dtype)), requires_grad)


def arange(start: float, end: float | None = None, step: float = 1, dtype: Any = None) -> Tensor:
    """Evenly spaced values in [start, end); integers give int64, floats the default dtype."""
    if end is None:
        start, end = 0, start
    data = np.arange(start, end, step)
    if dtype is not None:
        data = data.astype(dtype)
    elif data.dtype.kind == "f":
        data = data.astype(grad_mode.get_default_dtype())
    else:
        data = data.astype(np.int64)
    return Tensor._wrap(data)


def rand(
    *shape: Any,
    dtype: Any = None,
    requires_grad: bool = False,
    rng: np.random.Generator | None = None,
) -> Tensor:
    """Uniform samples in [0, 1), from ``rng`` or the default generator (``manual_seed``)."""
    gen = rng if rng is not None else default_generator()
    return _make(gen.random(shape_arg(shape)).astype(_float(dtype)), requires_grad)


def randn(
    *shape: Any,
    dtype: Any = None,
    requires_grad: bool = False,
    rng: np.random.Generator | None = None,
) -> Tensor:
    """Standard normal samples, from ``rng`` or the default generator (``manual_seed``)."""
    gen = rng if rng is not None else default_generator()
    return _make(gen.standard_normal(shape_arg(shape)).astype(_float(dtype)), requires_grad)


def zeros_like(x: Tensor, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Zeros with the shape (and dtype, unless given) of ``x``."""
    return _make(np.zeros(x.shape, dtype or x.dtype), requires_grad)


def ones_like(x: Tensor, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Ones with the shape (and dtype, unless given) of ``x``."""
    return _make(np.ones(x.shape, dtype or x.dtype), requires_grad)
