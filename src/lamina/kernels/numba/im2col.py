"""im2col and col2im compiled: the windows of a 2-d convolution gathered in one parallel pass.

``im2col`` reads x (N, C, H, W) in any memory layout, treats the padding as zeros without
building a padded copy, and writes the (C*kh*kw, N*Ho*Wo) matrix a convolution multiplies by:
row r = (c, i, j), column (n, p, q) holds x[n, c, p*sh + i*dh - pt, q*sw + j*dw - pl].
``col2im`` is its adjoint: each column added back onto the window it came from, one (c, n)
plane per parallel task so no two tasks write the same element.
"""

from __future__ import annotations

from typing import Any

import numba
import numpy as np

from lamina.kernels.numpy import buffers

__all__ = ["col2im", "im2col"]


@numba.njit(cache=True, parallel=True)
def _im2col(x, out, kh, kw, sh, sw, dh, dw, pt, pl, ho, wo):  # pragma: no cover - compiled
    n, c, h, w = x.shape
    for r in numba.prange(c * kh * kw):
        ci, i, j = r // (kh * kw), (r // kw) % kh, r % kw
        for b in range(n):
            for p in range(ho):
                row = p * sh + i * dh - pt
                base = (b * ho + p) * wo
                if row < 0 or row >= h:
                    for q in range(wo):
                        out[r, base + q] = 0
                    continue
                for q in range(wo):
                    col = q * sw + j * dw - pl
                    out[r, base + q] = x[b, ci, row, col] if 0 <= col < w else 0


@numba.njit(cache=True, parallel=True)
def _col2im(cols, out, kh, kw, sh, sw, dh, dw, pt, pl, ho, wo):  # pragma: no cover - compiled
    c, n, h, w = out.shape
    for task in numba.prange(c * n):
        ci, b = task // n, task % n
        plane = out[ci, b]
        plane[:] = 0
        for i in range(kh):
            for j in range(kw):
                r = (ci * kh + i) * kw + j
                for p in range(ho):
                    row = p * sh + i * dh - pt
                    if row < 0 or row >= h:
                        continue
                    base = (b * ho + p) * wo
                    for q in range(wo):
                        col = q * sw + j * dw - pl
                        if 0 <= col < w:
                            plane[row, col] += cols[r, base + q]


def _params(geom: Any) -> tuple[int, ...]:
    (kh, kw), (sh, sw), (dh, dw) = geom.kernel, geom.stride, geom.dilation
    (pt, _), (pl, _) = geom.pads
    ho, wo = geom.out_hw
    return kh, kw, sh, sw, dh, dw, pt, pl, ho, wo


def im2col(x: np.ndarray, geom: Any, scratch: bool = False) -> np.ndarray:
    """The (C*kh*kw, N*Ho*Wo) matrix whose columns are the flattened windows of x (N, C, H, W).

    ``geom`` is the op's window geometry (kernel, stride, dilation, pads, out_hw). The matrix
    is a ``buffers.scratch`` buffer with ``scratch`` (valid until the next such call), else a
    ``buffers.take`` one (the caller may give it back), as the NumPy kernel's.
    """
    n, c = x.shape[:2]
    (kh, kw), (ho, wo) = geom.kernel, geom.out_hw
    shape = (c * kh * kw, n * ho * wo)
    out = buffers.scratch(shape, x.dtype) if scratch else buffers.take(shape, x.dtype)
    _im2col(x, out, *_params(geom))
    return out


def col2im(cols: np.ndarray, geom: Any, n: int) -> np.ndarray:
    """The adjoint of im2col: (C*kh*kw, N*Ho*Wo) -> (N, C, H, W), a view of a (C, N, H, W)
    buffer (channels first, the layout the convolution's matrix products use)."""
    (kh, kw), (ho, wo), (h, w) = geom.kernel, geom.out_hw, geom.in_hw
    c = cols.size // (kh * kw * n * ho * wo)
    out = np.empty((c, n, h, w), cols.dtype)
    _col2im(cols.reshape(c * kh * kw, n * ho * wo), out, *_params(geom))
    return out.transpose(1, 0, 2, 3)
