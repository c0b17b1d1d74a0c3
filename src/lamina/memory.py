"""Keep freed memory in the process for reuse: the malloc setting that training needs on Linux.

A training step allocates the same large arrays (activations, gradients, masks) step after
step. glibc's malloc gives every block above its mmap threshold back to the kernel when it is
freed, and trims the top of the heap once the free space there passes the trim threshold, so
each step faults its memory in again, page by page, zero-filled. On the resblock benchmark
that was a third of the step (500 ms -> 333 ms without it). :func:`keep_freed_memory` raises
both thresholds: blocks up to 32 MB come from the heap and freed space stays there to be
reused. The price is that the process keeps the heap it reached at its peak, as PyTorch's
caching allocators do.

A library must not change its host process, so ``import lamina`` leaves malloc alone. The
entry points that own their process apply the setting: the ``lamina`` command line and the
benchmarks (through :func:`apply_default`, which ``LAMINA_KEEP_FREED_MEMORY=0`` turns off).
A program of your own can call :func:`keep_freed_memory` once at its start, or set glibc's
own environment variables before Python starts: ``MALLOC_MMAP_THRESHOLD_=33554432`` and
``MALLOC_TRIM_THRESHOLD_=2147483647``. Other C libraries (musl, macOS, Windows) are left alone.
"""

from __future__ import annotations

import ctypes
import os
import sys

__all__ = ["apply_default", "keep_freed_memory"]

_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # mallopt parameter numbers in <malloc.h>
_MMAP_THRESHOLD = 32 << 20  # glibc's largest allowed value (HEAP_MAX_SIZE / 2 on 64-bit)
_TRIM_THRESHOLD = 2**31 - 1  # mallopt takes a C int


def _is_glibc() -> bool:
    try:
        libc = os.confstr("CS_GNU_LIBC_VERSION") if sys.platform == "linux" else None
    except (ValueError, OSError, AttributeError):
        return False
    return libc is not None and libc.startswith("glibc")


def keep_freed_memory() -> bool:
    """Make glibc's malloc keep freed blocks instead of returning them to the kernel.

    Returns True when the setting took effect, False where the C library is not glibc.
    """
    if not _is_glibc():
        return False
    mallopt = ctypes.CDLL(None).mallopt
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    return bool(
        mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD) and mallopt(_M_TRIM_THRESHOLD, _TRIM_THRESHOLD)
    )


def apply_default() -> bool:
    """Keep freed memory unless ``LAMINA_KEEP_FREED_MEMORY=0``: for entry points that own the
    process (the command line, the benchmarks). Returns whether the setting took effect."""
    if os.environ.get("LAMINA_KEEP_FREED_MEMORY", "1") == "0":
        return False
    return keep_freed_memory()
