"""Factories for new tensors, named and shaped like PyTorch's.

Every factory takes PyTorch's ``dtype=``, ``device=`` (the CPU only; see
``lamina.autodiff.device``) and, where PyTorch has it, ``requires_grad=``. Sizes are checked
once, in ``shape_arg``: ``zeros(-1)`` or ``zeros(2.5)`` raise an error naming the factory.
"""

from __future__ import annotations

import operator
from typing import Any

import numpy as np

from lamina.autodiff import grad_mode
from lamina.autodiff.device import check_device
from lamina.autodiff.random import default_generator
from lamina.autodiff.tensor import Tensor, tensor
from lamina.ops._shapes import shape_arg

__all__ = [
    "arange",
    "as_tensor",
    "empty",
    "eye",
    "from_numpy",
    "full",
    "linspace",
    "logspace",
    "new_empty",
    "new_full",
    "new_ones",
    "new_tensor",
    "new_zeros",
    "ones",
    "ones_like",
    "rand",
    "randn",
    "zeros",
    "zeros_like",
]


def _make(data: np.ndarray, requires_grad: bool) -> Tensor:
    return Tensor._wrap(data).requires_grad_(requires_grad) if requires_grad else Tensor._wrap(data)


def _float(dtype: Any) -> np.dtype:
    return np.dtype(dtype) if dtype is not None else grad_mode.get_default_dtype()


def _filled(
    owner: str, shape: Any, value: Any, dtype: Any, device: Any, requires_grad: bool
) -> Tensor:
    """The one body of every filled factory: check the device and sizes, then fill."""
    check_device(owner, device)
    return _make(np.full(shape_arg(shape, owner), value, dtype), requires_grad)


def zeros(
    *shape: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """A tensor of zeros."""
    return _filled("zeros", shape, 0, _float(dtype), device, requires_grad)


def ones(*shape: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of ones."""
    return _filled("ones", shape, 1, _float(dtype), device, requires_grad)


def empty(
    *shape: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """A tensor whose values are not set (they are zero here, for reproducibility)."""
    return _filled("empty", shape, 0, _float(dtype), device, requires_grad)


def full(
    shape: Any,
    fill_value: float,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """A tensor filled with ``fill_value``."""
    return _filled("full", (shape,), fill_value, _float(dtype), device, requires_grad)


def eye(
    n: int,
    m: int | None = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """The identity matrix (n x m)."""
    check_device("eye", device)
    n, m = shape_arg((n, n if m is None else m), "eye")
    return _make(np.eye(n, m, dtype=_float(dtype)), requires_grad)


def arange(
    start: float,
    end: float | None = None,
    step: float = 1,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Evenly spaced values in [start, end); integers give int64, floats the default dtype."""
    check_device("arange", device)
    if end is None:
        start, end = 0, start
    if step == 0:
        raise ValueError("arange: step must be nonzero, got 0")
    data = np.arange(start, end, step)
    if dtype is not None:
        data = data.astype(dtype)
    elif data.dtype.kind == "f":
        data = data.astype(grad_mode.get_default_dtype())
    else:
        data = data.astype(np.int64)
    return _make(data, requires_grad)


def rand(
    *shape: Any,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    rng: np.random.Generator | None = None,
) -> Tensor:
    """Uniform samples in [0, 1), from ``rng`` or the default generator (``manual_seed``)."""
    check_device("rand", device)
    gen = rng if rng is not None else default_generator()
    return _make(gen.random(shape_arg(shape, "rand")).astype(_float(dtype)), requires_grad)


def randn(
    *shape: Any,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    rng: np.random.Generator | None = None,
) -> Tensor:
    """Standard normal samples, from ``rng`` or the default generator (``manual_seed``)."""
    check_device("randn", device)
    gen = rng if rng is not None else default_generator()
    data = gen.standard_normal(shape_arg(shape, "randn"))
    return _make(data.astype(_float(dtype)), requires_grad)


def zeros_like(
    x: Tensor, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """Zeros with the shape (and dtype, unless given) of ``x``."""
    check_device("zeros_like", device)
    return _make(np.zeros(x.shape, dtype or x.dtype), requires_grad)


def ones_like(
    x: Tensor, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """Ones with the shape (and dtype, unless given) of ``x``."""
    check_device("ones_like", device)
    return _make(np.ones(x.shape, dtype or x.dtype), requires_grad)


# ------------------------------------------------------------------ ranges
def _steps(owner: str, steps: Any) -> int:
    try:
        n = operator.index(steps)
    except TypeError:
        raise TypeError(f"{owner}: steps must be an int, got {steps!r}") from None
    if n < 0:
        raise ValueError(f"{owner}: steps must be non-negative, got {n}")
    return n


def linspace(
    start: float,
    end: float,
    steps: int,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end``, both included.

    x_i = start + i * (end - start) / (steps - 1),  i = 0 .. steps - 1
    """
    check_device("linspace", device)
    data = np.linspace(float(start), float(end), _steps("linspace", steps))
    return _make(data.astype(_float(dtype)), requires_grad)


def logspace(
    start: float,
    end: float,
    steps: int,
    base: float = 10.0,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """``steps`` values spaced evenly on a log scale: x_i = base ** linspace(start, end)_i."""
    check_device("logspace", device)
    exponents = np.linspace(float(start), float(end), _steps("logspace", steps))
    return _make((float(base) ** exponents).astype(_float(dtype)), requires_grad)


# ------------------------------------------------------------------ from existing data
def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor sharing memory with ``array`` (writes to one show in the other), dtype kept."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"from_numpy: expected np.ndarray, got {type(array).__name__}")
    if array.dtype.kind not in "fiub":
        raise TypeError(
            f"from_numpy: can't convert an array of dtype {array.dtype}; the supported kinds "
            "are float, int, uint and bool"
        )
    return Tensor._wrap(array)


def as_tensor(data: Any, dtype: Any = None, device: Any = None) -> Tensor:
    """``data`` as a tensor, sharing memory when no conversion is needed (like PyTorch).

    A tensor of the asked dtype comes back as is; a NumPy array of the asked dtype (or any
    dtype, when none is asked) shares memory, as with ``from_numpy``; anything else is copied.
    """
    check_device("as_tensor", device)
    want = None if dtype is None else np.dtype(dtype)
    if isinstance(data, Tensor):
        return data if want is None or data.dtype == want else data.to(want)
    if isinstance(data, np.ndarray) and (want is None or data.dtype == want):
        return from_numpy(data)
    return Tensor(data, dtype=want)


# ------------------------------------------------------------------ new tensors like another
def new_tensor(
    x: Tensor, data: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """A copy of ``data`` as a leaf tensor with the dtype of ``x`` unless ``dtype`` is given."""
    check_device("new_tensor", device)
    return tensor(data, dtype=x.dtype if dtype is None else dtype, requires_grad=requires_grad)


def new_full(
    x: Tensor,
    size: Any,
    fill_value: float,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """A tensor of ``size`` filled with ``fill_value``, with the dtype of ``x`` by default."""
    dt = x.dtype if dtype is None else dtype
    return _filled("new_full", (size,), fill_value, dt, device, requires_grad)


def new_zeros(
    x: Tensor, *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """Zeros of ``size`` with the dtype of ``x`` (unless ``dtype`` is given)."""
    dt = x.dtype if dtype is None else dtype
    return _filled("new_zeros", size, 0, dt, device, requires_grad)


def new_ones(
    x: Tensor, *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """Ones of ``size`` with the dtype of ``x`` (unless ``dtype`` is given)."""
    dt = x.dtype if dtype is None else dtype
    return _filled("new_ones", size, 1, dt, device, requires_grad)


def new_empty(
    x: Tensor, *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """A tensor of ``size`` with the dtype of ``x``, values not set (zero here)."""
    dt = x.dtype if dtype is None else dtype
    return _filled("new_empty", size, 0, dt, device, requires_grad)
