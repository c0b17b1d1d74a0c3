"""The two pieces of global state lamina has: whether graphs are recorded, and the default dtype."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import numpy as np
from numpy.typing import DTypeLike

__all__ = [
    "default_dtype",
    "enable_grad",
    "get_default_dtype",
    "inference_mode",
    "is_grad_enabled",
    "no_grad",
    "set_default_dtype",
    "set_grad_enabled",
]

_grad_enabled = True
_default_dtype: np.dtype = np.dtype(np.float32)


def is_grad_enabled() -> bool:
    """Return True when operations record a graph for backward."""
    return _grad_enabled


@contextlib.contextmanager
def set_grad_enabled(mode: bool) -> Iterator[None]:
    """Record graphs inside the block when ``mode`` is True, not when False."""
    global _grad_enabled
    previous, _grad_enabled = _grad_enabled, bool(mode)
    try:
        yield
    finally:
        _grad_enabled = previous


def no_grad() -> contextlib.AbstractContextManager[None]:
    """Context manager under which no graph is recorded (evaluation, parameter updates)."""
    return set_grad_enabled(False)


@contextlib.contextmanager
def _inference(mode: bool) -> Iterator[None]:
    if not mode:
        yield
        return
    with set_grad_enabled(False):
        yield


def inference_mode(mode: Any = True) -> Any:
    """Like ``no_grad``, for evaluation: a context manager or a decorator (with or without ()).

    ``inference_mode(False)`` changes nothing. lamina has no separate inference tensors, so
    this is ``no_grad`` under PyTorch's name.
    """
    if callable(mode):  # used as a bare decorator: @inference_mode
        return _inference(True)(mode)
    return _inference(bool(mode))


def enable_grad() -> contextlib.AbstractContextManager[None]:
    """Context manager that records graphs again inside a ``no_grad`` block."""
    return set_grad_enabled(True)


def get_default_dtype() -> np.dtype:
    """Return the dtype given to float data that comes without one (float32 unless changed)."""
    return _default_dtype


def set_default_dtype(dtype: DTypeLike) -> None:
    """Set the default float dtype (``lamina.float32`` or ``lamina.float64``)."""
    global _default_dtype
    dt = np.dtype(dtype)
    if dt.kind != "f":
        raise TypeError(f"set_default_dtype: expected a float dtype, got {dt}")
    _default_dtype = dt


@contextlib.contextmanager
def default_dtype(dtype: DTypeLike) -> Iterator[None]:
    """Use ``dtype`` as the default float dtype inside the block."""
    previous = _default_dtype
    set_default_dtype(dtype)
    try:
        yield
    finally:
        set_default_dtype(previous)
