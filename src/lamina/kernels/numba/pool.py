"""Max pooling compiled: forward with the argmax of each window, backward scattering to it.

y[n, c, p, q] = max_{i,j} x_pad[n, c, p*sh + i*dh, q*sw + j*dw] (padding is -inf), and the
first (row-major) offset i*kw + j where it is reached, as PyTorch picks it; a NaN wins its
window. dx gets g at that offset, summed where windows overlap. One (n, c) plane per parallel
task: no two tasks write the same element.
"""

from __future__ import annotations

from typing import Any

import numba
import numpy as np

from lamina.kernels import register

__all__ = ["max_pool2d_backward", "max_pool2d_forward"]


@numba.njit(cache=True, parallel=True)
def _forward(x, y, k, kh, kw, sh, sw, dh, dw, pt, pl):  # pragma: no cover - compiled
    n, c, h, w = x.shape
    ho, wo = y.shape[2], y.shape[3]
    for task in numba.prange(n * c):
        b, ci = task // c, task % c
        for p in range(ho):
            for q in range(wo):
                best = -np.inf
                arg = 0
                found = False
                for i in range(kh):
                    row = p * sh + i * dh - pt
                    if row < 0 or row >= h:
                        continue
                    for j in range(kw):
                        col = q * sw + j * dw - pl
                        if col < 0 or col >= w:
                            continue
                        v = x[b, ci, row, col]
                        if not found or v > best or (v != v and best == best):
                            best, arg, found = v, i * kw + j, True
                y[b, ci, p, q] = best
                k[b, ci, p, q] = arg


@numba.njit(cache=True, parallel=True)
def _backward(g, k, dx, kw, sh, sw, dh, dw, pt, pl):  # pragma: no cover - compiled
    n, c = dx.shape[:2]
    ho, wo = g.shape[2], g.shape[3]
    for task in numba.prange(n * c):
        b, ci = task // c, task % c
        plane = dx[b, ci]
        plane[:] = 0
        for p in range(ho):
            for q in range(wo):
                o = k[b, ci, p, q]
                row = p * sh + (o // kw) * dh - pt
                col = q * sw + (o % kw) * dw - pl
                plane[row, col] += g[b, ci, p, q]


def _like(x: np.ndarray, shape: tuple[int, ...], dtype: Any) -> np.ndarray:
    """An empty (N, C, ...) array laid out as x is: channels first in memory when x is."""
    n, c = shape[:2]
    if n > 1 and c > 1 and x.strides[1] > x.strides[0]:
        return np.empty((c, n, *shape[2:]), dtype).transpose(1, 0, 2, 3)
    return np.empty(shape, dtype)


def _params(geom: Any) -> tuple[int, ...]:
    (sh, sw), (dh, dw) = geom.stride, geom.dilation
    (pt, _), (pl, _) = geom.pads
    return sh, sw, dh, dw, pt, pl


def max_pool2d_forward(x: np.ndarray, geom: Any) -> tuple[np.ndarray, np.ndarray]:
    """(y, k): the window maxima of x (N, C, H, W) and each one's offset i*kw + j (int32),
    both in the memory layout of x."""
    shape = (*x.shape[:2], *geom.out_hw)
    y, k = _like(x, shape, x.dtype), _like(x, shape, np.int32)
    _forward(x, y, k, *geom.kernel, *_params(geom))
    return y, k


def max_pool2d_backward(g: np.ndarray, k: np.ndarray, geom: Any) -> np.ndarray:
    """dx (N, C, H, W): g added at the offset k of each window, in the layout of k."""
    dx = _like(k, (*g.shape[:2], *geom.in_hw), g.dtype)
    _backward(g, k, dx, geom.kernel[1], *_params(geom))
    return dx


@register("lamina.ops.maxpool.MaxPool", "numba")
class MaxPool:
    """y = max over each window and its first argmax, one compiled pass in x's layout;
    dx = g at the argmax, one compiled pass."""

    def forward(ctx, x, geom):
        ctx.geom = geom
        y, ctx.k = max_pool2d_forward(x, geom)
        return y

    def backward(ctx, g):
        return max_pool2d_backward(g, ctx.k, ctx.geom)


@register("lamina.ops.maxpool.MaxScatter", "numba")
class MaxScatter:
    """dx = g added at the argmax offsets k (N, C, Ho, Wo) of the reference's forward."""

    def forward(ctx, g, k, geom):
        ctx.k, ctx.geom = k, geom
        return max_pool2d_backward(g, k, geom)
