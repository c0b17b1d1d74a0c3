"""Where the windows of a convolution or pooling lie, and the im2col matrix that gathers them.

``Geometry`` describes the windows; ``padded`` and ``windows`` give a strided view of all of
them with no copy; ``im2col`` copies that view into the (C*kh*kw, N*Ho*Wo) matrix a
convolution multiplies by, and ``col2im`` is its adjoint. ``scratch_buffer`` and
``cached_buffer`` hand out reused buffers for the large matrices.
"""

from __future__ import annotations

import builtins
import sys
import threading
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import as_strided

__all__ = [
    "Geometry",
    "Pads",
    "cached_buffer",
    "col2im",
    "im2col",
    "padded",
    "scratch_buffer",
    "windows",
]

Pads = tuple[tuple[int, int], tuple[int, int]]


@dataclass(frozen=True)
class Geometry:
    """Where the windows of a 2-d convolution or pooling lie.

    ``in_hw`` is the unpadded input size, ``pads`` the zeros (before, after) along H and W,
    ``out_hw`` the number of windows; window (p, q) covers rows p*stride + i*dilation.
    """

    in_hw: tuple[int, int]
    out_hw: tuple[int, int]
    kernel: tuple[int, int]
    stride: tuple[int, int]
    dilation: tuple[int, int]
    pads: Pads
    groups: int = 1

    @property
    def padded_hw(self) -> tuple[int, int]:
        (pt, pb), (pl, pr) = self.pads
        return self.in_hw[0] + pt + pb, self.in_hw[1] + pl + pr

    def slices(self, i: int, j: int) -> tuple[slice, slice]:
        """The rows and columns of the padded input that kernel offset (i, j) touches."""
        (sh, sw), (dh, dw), (ho, wo) = self.stride, self.dilation, self.out_hw
        return (
            slice(i * dh, i * dh + sh * (ho - 1) + 1, sh),
            slice(j * dw, j * dw + sw * (wo - 1) + 1, sw),
        )


def padded(x: np.ndarray, geom: Geometry, value: float = 0.0, channels_first: bool = True):
    """x (N, C, H, W) surrounded by ``value``; a view of x itself when there is no padding.

    With ``channels_first`` the new buffer is laid out (C, N, H, W) in memory, the layout
    the im2col copy reads fastest.
    """
    (pt, pb), (pl, pr) = geom.pads
    if not (pt or pb or pl or pr):
        return x
    n, c, h, w = x.shape
    hp, wp = geom.padded_hw
    if channels_first:
        buf = np.full((c, n, hp, wp), value, x.dtype)
        buf[:, :, pt : pt + h, pl : pl + w] = x.transpose(1, 0, 2, 3)
        return buf.transpose(1, 0, 2, 3)
    buf = np.full((n, c, hp, wp), value, x.dtype)
    buf[:, :, pt : pt + h, pl : pl + w] = x
    return buf


def windows(xp: np.ndarray, geom: Geometry, order: str) -> np.ndarray:
    """A read-only strided view of every window of the padded ``xp`` (N, C, Hp, Wp).

    ``order`` "cols" gives (C, kh, kw, N, Ho, Wo), the im2col order; "pool" gives
    (N, C, Ho, Wo, kh, kw).
    """
    sn, sc, sh, sw = xp.strides
    (kh, kw), (ho, wo) = geom.kernel, geom.out_hw
    (th, tw), (dh, dw) = geom.stride, geom.dilation
    n, c = xp.shape[:2]
    if order == "cols":
        shape, strides = (c, kh, kw, n, ho, wo), (sc, sh * dh, sw * dw, sn, sh * th, sw * tw)
    else:
        shape, strides = (n, c, ho, wo, kh, kw), (sn, sc, sh * th, sw * tw, sh * dh, sw * dw)
    return as_strided(xp, shape, strides, writeable=False)


def im2col(x: np.ndarray, geom: Geometry, scratch: bool = False) -> np.ndarray:
    """The (C*kh*kw, N*Ho*Wo) matrix whose columns are the flattened windows of x.

    With ``scratch`` the matrix is written into a buffer reused from call to call, for a
    result that dies before the next call.
    """
    n, c = x.shape[:2]
    (kh, kw), (ho, wo) = geom.kernel, geom.out_hw
    view = windows(padded(x, geom), geom, "cols")
    cols = scratch_buffer(view.shape, x.dtype) if scratch else cached_buffer(view.shape, x.dtype)
    np.copyto(cols, view)
    return cols.reshape(c * kh * kw, n * ho * wo)


_workspace = threading.local()


def scratch_buffer(shape: tuple[int, ...], dtype: np.dtype, slot: str = "a") -> np.ndarray:
    """A reused buffer of ``shape``. Why: an im2col matrix is often larger than glibc's mmap
    threshold (32 MB), so a fresh one is a fresh mapping whose page faults cost about as much
    as filling it. One buffer per thread and ``slot``, grown when needed: a caller that needs
    two at once names two slots, and no result that outlives the call may use one."""
    nbytes = int(np.prod(shape)) * np.dtype(dtype).itemsize
    buffers = _workspace.__dict__.setdefault("scratch", {})
    buf = buffers.get(slot)
    if buf is None or buf.size < nbytes:
        buf = buffers[slot] = np.empty(nbytes, np.uint8)
    return buf[:nbytes].view(dtype).reshape(shape)


_CACHE_MIN, _CACHE_MAX = 32 << 20, 1 << 30  # bytes: glibc mmaps from 32 MB; at most 1 GB kept


def cached_buffer(shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    """A fresh-to-the-caller array of ``shape``, from a per-thread cache of large buffers.

    Why: im2col matrices saved for the weight gradient are tens of MB, above glibc's mmap
    threshold, so each new one page-faults in (a 75 MB matrix: 19 ms to fill fresh, 12 ms
    reused). A cached buffer is free again once no array refers to it: every view of it keeps
    it referenced (``base``), so a reference count of 3 (cache list, loop name, getrefcount's
    argument) means no live result uses it. Small arrays come from the ordinary allocator.
    """
    nbytes = int(np.prod(shape)) * np.dtype(dtype).itemsize
    if nbytes < _CACHE_MIN:
        return np.empty(shape, dtype)
    cache = getattr(_workspace, "cache", None)
    if cache is None:
        cache = _workspace.cache = []
    for buf in cache:
        if buf.size == nbytes and sys.getrefcount(buf) <= 3:
            return buf.view(dtype).reshape(shape)
    buf = np.empty(nbytes, np.uint8)
    if builtins.sum(b.size for b in cache) + nbytes <= _CACHE_MAX:
        cache.append(buf)
    return buf.view(dtype).reshape(shape)


def col2im(cols: np.ndarray, geom: Geometry, n: int) -> np.ndarray:
    """The adjoint of im2col: each column added back onto the window it came from.

    ``cols`` is anything that reshapes to (C, kh, kw, N, Ho, Wo); the result is (N, C, H, W),
    a view of a channels-first buffer. One vectorized add per kernel offset.
    """
    (kh, kw), (ho, wo), (hp, wp) = geom.kernel, geom.out_hw, geom.padded_hw
    c = cols.size // (kh * kw * n * ho * wo)
    six = cols.reshape(c, kh, kw, n, ho, wo)
    buf = np.zeros((c, n, hp, wp), cols.dtype)
    for i in range(kh):
        for j in range(kw):
            rows, columns = geom.slices(i, j)
            buf[:, :, rows, columns] += six[:, i, j]
    (pt, _), (pl, _) = geom.pads
    h, w = geom.in_hw
    return buf[:, :, pt : pt + h, pl : pl + w].transpose(1, 0, 2, 3)
