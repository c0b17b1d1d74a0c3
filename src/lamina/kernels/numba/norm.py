"""Batch normalization compiled: per-channel statistics, the affine map and the backward.

Arrays are viewed as (N, C, M), M the elements of one sample's channel (1 for (N, C)
inputs), in any memory layout; one channel per parallel task. Sums accumulate in float64.
With xhat = (x - mean) * inv, inv = 1 / sqrt(var + eps), s = inv * w and K = N * M::

    y  = xhat * w + b
    dx = s * (g - sum(g) / K - xhat * sum(g * xhat) / K)
    dw = sum(g * xhat),  db = sum(g)
"""

from __future__ import annotations

from typing import Any

import numba
import numpy as np

from lamina.kernels import register

__all__ = ["batch_norm_backward", "batch_norm_forward", "channel_stats"]


@numba.njit(cache=True, parallel=True)
def _stats(x, mean, var):  # pragma: no cover - compiled
    n, c, m = x.shape
    count = n * m
    for ci in numba.prange(c):
        s = 0.0
        for b in range(n):
            for e in range(m):
                s += x[b, ci, e]
        mu = s / count
        sq = 0.0
        for b in range(n):
            for e in range(m):
                d = x[b, ci, e] - mu
                sq += d * d
        mean[ci], var[ci] = mu, sq / count


@numba.njit(cache=True, parallel=True)
def _affine(x, mean, scale, shift, y):  # pragma: no cover - compiled
    n, c, m = x.shape
    for ci in numba.prange(c):
        mu, a, b0 = mean[ci], scale[ci], shift[ci]
        for b in range(n):
            for e in range(m):
                y[b, ci, e] = (x[b, ci, e] - mu) * a + b0


@numba.njit(cache=True, parallel=True)
def _backward(g, x, mean, inv, w, dx, dw, db):  # pragma: no cover - compiled
    n, c, m = x.shape
    count = n * m
    for ci in numba.prange(c):
        mu, iv = mean[ci], inv[ci]
        gs = 0.0
        gx = 0.0
        for b in range(n):
            for e in range(m):
                gv = g[b, ci, e]
                gs += gv
                gx += gv * (x[b, ci, e] - mu)
        gx *= iv  # sum(g * xhat)
        db[ci], dw[ci] = gs, gx
        s = iv * w[ci]
        a, k = gs / count, gx / count
        for b in range(n):
            for e in range(m):
                dx[b, ci, e] = s * (g[b, ci, e] - a - (x[b, ci, e] - mu) * iv * k)


def _as3(a: np.ndarray) -> np.ndarray:
    return a.reshape(a.shape[0], a.shape[1], -1)


def _like3(x: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """An empty (N, C, M) array, channels first in memory when x is (as after a convolution),
    so that later ops walk it and x in step; it reshapes to x.shape without a copy."""
    n, c = x.shape[:2]
    m = x.size // max(n * c, 1)
    if x.ndim > 2 and n > 1 and c > 1 and x.strides[1] > x.strides[0]:
        return np.empty((c, n, m), dtype).transpose(1, 0, 2)
    return np.empty((n, c, m), dtype)


def channel_stats(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-channel mean and biased variance of x (N, C, *), float64, two passes."""
    c = x.shape[1]
    mean, var = np.empty(c), np.empty(c)
    _stats(_as3(x), mean, var)
    return mean, var


def batch_norm_forward(
    x: np.ndarray, mean: np.ndarray, inv: np.ndarray, w: np.ndarray, b: np.ndarray
) -> np.ndarray:
    """y = (x - mean) * inv * w + b per channel, in the dtype and memory layout of x."""
    y = _like3(x, x.dtype)
    _affine(_as3(x), mean.astype(np.float64), (inv * w).astype(np.float64), b.astype(np.float64), y)
    return y.reshape(x.shape)


def batch_norm_backward(
    g: np.ndarray, x: np.ndarray, mean: np.ndarray, inv: np.ndarray, w: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(dx, dw, db) of y = (x - mean) * inv * w + b with batch statistics (see the module)."""
    c = x.shape[1]
    dx = _like3(x, g.dtype)
    dw, db = np.empty(c), np.empty(c)
    _backward(
        _as3(g),
        _as3(x),
        mean.astype(np.float64),
        inv.astype(np.float64),
        w.astype(np.float64),
        dx,
        dw,
        db,
    )
    return dx.reshape(x.shape), dw.astype(g.dtype), db.astype(g.dtype)


@register("lamina.ops.normalization.BatchNormTrain", "numba")
class BatchNormTrain:
    """The reference's batch norm on the statistics ``_batch_norm`` computed (centered =
    x - mean, inv = 1 / sqrt(var + eps)): y and (dx, dw, db) each in one compiled pass per
    channel, in the layout of x."""

    def forward(ctx: Any, x, *affine, centered, inv, axes, eps):
        ctx.axes, ctx.eps, ctx.centered, ctx.inv = axes, eps, centered, inv
        c = x.shape[1]
        w, b = affine if affine else (np.ones(c, x.dtype), np.zeros(c, x.dtype))
        return batch_norm_forward(centered, np.zeros(c), inv.reshape(c), w, b)

    def backward(ctx: Any, g):
        needs, xc = ctx.needs_input_grad, ctx.centered
        c = xc.shape[1]
        w = ctx.arrays[1] if len(needs) > 1 else np.ones(c, xc.dtype)
        dx, dw, db = batch_norm_backward(g, xc, np.zeros(c), ctx.inv.reshape(c), w)
        if len(needs) == 1:
            return dx
        return dx if needs[0] else None, dw if needs[1] else None, db if needs[2] else None
