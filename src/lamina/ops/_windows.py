"""Where the windows of a convolution or pooling lie: ``Geometry`` describes them,
``padded`` and ``windows`` give a strided view of all of them with no copy, and ``col2im``
adds values laid out window by window back onto the input (the adjoint of gathering them).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import as_strided

__all__ = ["Geometry", "Pads", "col2im", "padded", "windows"]

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


def padded(x: np.ndarray, geom: Geometry, value: float = 0.0) -> np.ndarray:
    """x (N, C, H, W) surrounded by ``value``; x itself when there is no padding."""
    (pt, pb), (pl, pr) = geom.pads
    if not (pt or pb or pl or pr):
        return x
    return np.pad(x, ((0, 0), (0, 0), (pt, pb), (pl, pr)), constant_values=value)


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


def col2im(cols: np.ndarray, geom: Geometry, n: int) -> np.ndarray:
    """The adjoint of im2col: each column added back onto the window it came from.

    ``cols`` is anything that reshapes to (C, kh, kw, N, Ho, Wo); the result is (N, C, H, W).
    One vectorized add per kernel offset.
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
