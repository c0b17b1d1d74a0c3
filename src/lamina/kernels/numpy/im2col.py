"""The im2col matrix that gathers the windows of a convolution, and col2im, its adjoint.

``geom`` is the op's ``Geometry`` (``lamina.ops._windows``: in_hw, out_hw, kernel, stride,
dilation, pads, groups, padded_hw and slices); kernels read it, never import it. Padded
copies are laid out channels first, (C, N, H, W) in memory, the layout the im2col copy reads
fastest; the large matrices come from ``buffers``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.lib.stride_tricks import as_strided

from lamina.kernels.numpy import buffers

__all__ = ["col2im", "im2col", "padded", "windows"]


def padded(x: np.ndarray, geom: Any, value: float = 0.0, channels_first: bool = True):
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


def windows(xp: np.ndarray, geom: Any, order: str) -> np.ndarray:
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


def im2col(x: np.ndarray, geom: Any, scratch: bool = False) -> np.ndarray:
    """The (C*kh*kw, N*Ho*Wo) matrix whose columns are the flattened windows of x.

    With ``scratch`` the matrix is written into a buffer reused from call to call, for a
    result that dies before the next call; else it comes from ``buffers.take`` (the caller
    gives it back when done).
    """
    n, c = x.shape[:2]
    (kh, kw), (ho, wo) = geom.kernel, geom.out_hw
    view = windows(padded(x, geom), geom, "cols")
    cols = buffers.scratch(view.shape, x.dtype) if scratch else buffers.take(view.shape, x.dtype)
    np.copyto(cols, view)
    return cols.reshape(c * kh * kw, n * ho * wo)


def col2im(cols: np.ndarray, geom: Any, n: int) -> np.ndarray:
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
