"""Reused large arrays: a scratch buffer per slot, and a pool of buffers taken and given back.

Why: an im2col matrix is often larger than glibc's mmap threshold (32 MB), so a fresh one is
a fresh mapping whose page faults cost about as much as filling it (a 75 MB matrix: 19 ms to
fill fresh, 12 ms reused). Both kinds are per thread. The rules are explicit:

- ``scratch(shape, dtype, slot)`` is valid until the next ``scratch`` call for the same slot:
  only for a result that dies within the call (a caller that needs two at once names two
  slots).
- ``take(shape, dtype)`` hands out a buffer that belongs to the caller until it calls
  ``give_back`` with it (a kernel saves one for its backward and gives it back in its
  ``release``). A buffer never given back is simply garbage collected.
- ``release()`` frees every buffer kept (``lamina.kernels.release_buffers``).
"""

from __future__ import annotations

import threading

import numpy as np

__all__ = ["give_back", "kept_bytes", "pooled_bytes", "release", "scratch", "take"]

POOL_MIN, POOL_MAX = 32 << 20, 1 << 30  # bytes: glibc mmaps from 32 MB; at most 1 GB kept

_local = threading.local()


def _state() -> tuple[dict[str, np.ndarray], list[np.ndarray]]:
    if not hasattr(_local, "scratch"):
        _local.scratch, _local.free = {}, []
    return _local.scratch, _local.free


def _nbytes(shape: tuple[int, ...], dtype: np.dtype) -> int:
    return int(np.prod(shape)) * np.dtype(dtype).itemsize


def scratch(shape: tuple[int, ...], dtype: np.dtype, slot: str = "a") -> np.ndarray:
    """This thread's buffer for ``slot`` as an array of ``shape`` (grown when needed)."""
    buffers, _ = _state()
    nbytes = _nbytes(shape, dtype)
    buf = buffers.get(slot)
    if buf is None or buf.size < nbytes:
        buf = buffers[slot] = np.empty(nbytes, np.uint8)
    return buf[:nbytes].view(dtype).reshape(shape)


def take(shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    """An array of ``shape`` the caller owns until ``give_back``: a pooled buffer of exactly
    that size if one is free, else a new one (arrays under 32 MB are never pooled)."""
    nbytes = _nbytes(shape, dtype)
    if nbytes >= POOL_MIN:
        _, free = _state()
        for k, buf in enumerate(free):
            if buf.size == nbytes:
                return free.pop(k).view(dtype).reshape(shape)
    return np.empty(nbytes, np.uint8).view(dtype).reshape(shape)


def give_back(array: np.ndarray) -> None:
    """Return an array from ``take`` to the pool; the caller must not use it any more."""
    base = array
    while base.base is not None:
        base = base.base
    if not isinstance(base, np.ndarray) or base.dtype != np.uint8 or base.ndim != 1:
        return  # not one of ours
    if base.size < POOL_MIN:
        return
    _, free = _state()
    if any(b is base for b in free):
        return
    if kept_bytes() + base.size <= POOL_MAX:
        free.append(base)


def kept_bytes() -> int:
    """The bytes this thread's scratch and pool hold now."""
    buffers, free = _state()
    return sum(b.size for b in buffers.values()) + sum(b.size for b in free)


def pooled_bytes() -> int:
    """The bytes of this thread's pool: buffers given back and not yet taken again."""
    return sum(b.size for b in _state()[1])


def release() -> int:
    """Drop this thread's scratch and pooled buffers; return the bytes released."""
    buffers, free = _state()
    freed = kept_bytes()
    buffers.clear()
    free.clear()
    return freed
