"""Data types: PyTorch's names for them, and PyTorch's rule for the type of a mixed result.

lamina's dtypes are NumPy's (``lamina.float32 is numpy.dtype("float32")``). Tensors compute in
float32 (the default), float64, int64 and bool; other integer types are kept when asked for.
float16 is refused: NumPy computes it slowly and imprecisely, and nothing in lamina needs it.

The promotion rule decides the dtype of ``a + b`` (and every elementwise op of two operands)
the way PyTorch does, which differs from NumPy's:

1. Operands rank by kind: a tensor with dimensions, then a tensor with none (0-d), then a
   Python number. Within a rank, dtypes combine as usual (float32 with float64 is float64).
2. A lower rank changes the result only if it is of a higher category (bool < integer <
   float): ``float32 tensor + float64 0-d tensor`` stays float32, ``int64 tensor + 2.5``
   becomes float32 (the default float dtype), ``int64 tensor + float64 0-d tensor`` float64.
3. Across categories the float wins whole: ``float32 + int64`` is float32 (NumPy says float64).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lamina.autodiff import grad_mode
from lamina.autodiff.device import check_device
from lamina.errors import owner_name

__all__ = ["SUPPORTED", "check_dtype", "factory_dtype", "promote_types", "result_type"]

float16 = np.dtype(np.float16)
SUPPORTED = frozenset(
    np.dtype(t)
    for t in (
        np.float32,
        np.float64,
        np.int64,
        np.int32,
        np.int16,
        np.int8,
        np.uint8,
        np.bool_,
    )
)


def check_dtype(owner: str, dtype: Any) -> np.dtype:
    """``dtype`` as a NumPy dtype lamina computes in, or a clear error naming ``owner``."""
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"{owner}: {dtype!r} is not a dtype") from None
    if dt == float16:
        raise TypeError(
            f"{owner}: float16 (half) is not supported; lamina computes in float32 or float64"
        )
    if dt not in SUPPORTED:
        raise TypeError(f"{owner}: dtype {dt} is not supported")
    return dt


def factory_dtype(owner: Any, device: Any = None, dtype: Any = None) -> np.dtype:
    """The dtype of a layer's parameters, from PyTorch's factory arguments ``device``, ``dtype``.

    ``device`` must name the CPU (``None``, ``"cpu"``, ``lamina.device("cpu")``): another
    device is a RuntimeError naming ``owner``. ``dtype`` None is the default dtype
    (``get_default_dtype()``, float32 unless changed); otherwise it must be float32 or
    float64, and anything else (an integer type, float16, no dtype at all) is a TypeError
    naming ``owner``.

    Examples
    --------
    >>> factory_dtype("Linear", "cpu", "float64")
    dtype('float64')
    """
    name = owner_name(owner)
    check_device(name, device)
    if dtype is None:
        return grad_mode.get_default_dtype()
    dt = check_dtype(name, dtype)
    if dt.kind != "f":
        raise TypeError(f"{name}: dtype must be a float type (float32 or float64), got {dt}")
    return dt


def _category(dt: np.dtype) -> int:
    return 0 if dt.kind == "b" else 2 if dt.kind == "f" else 1


def promote_types(a: np.dtype, b: np.dtype) -> np.dtype:
    """The dtype of two tensors combined: the higher category wins, else NumPy's rule."""
    ca, cb = _category(a), _category(b)
    if ca != cb:
        return a if ca > cb else b
    return np.promote_types(a, b)


def _rank(x: Any) -> int:
    """2 for an array with dimensions, 1 for a 0-d one, 0 for a Python or NumPy number."""
    if isinstance(x, np.generic) or not hasattr(x, "dtype"):
        return 0
    return 2 if x.ndim else 1


def _scalar_dtype(x: Any) -> np.dtype:
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, bool):
        return np.dtype(np.bool_)
    if isinstance(x, int):
        return np.dtype(np.int64)
    if isinstance(x, float):
        return grad_mode._default_dtype
    return np.asarray(x).dtype  # a list or other array-like: as a tensor would hold it


def result_type(*operands: Any) -> np.dtype:
    """The dtype PyTorch gives an elementwise op of ``operands`` (Tensors, arrays, numbers)."""
    best: list[np.dtype | None] = [None, None, None]  # by rank: numbers, 0-d, with dims
    for x in operands:
        r = _rank(x)
        dt = np.dtype(x.dtype) if r else _scalar_dtype(x)
        if r == 0 and hasattr(x, "__len__"):  # a list: treated like a tensor with dims
            r = 2
        prev = best[r]
        best[r] = dt if prev is None else promote_types(prev, dt)
    return _combine(best[2], _combine(best[1], best[0]))


def _combine(higher: np.dtype | None, lower: np.dtype | None) -> Any:
    """PyTorch's combine_categories: a lower-ranked dtype counts only from a higher category."""
    if higher is None:
        return lower
    if lower is None or _category(higher) == 2:
        return higher
    if _category(higher) == 0 or _category(lower) == 2:
        return promote_types(higher, lower)
    return higher
