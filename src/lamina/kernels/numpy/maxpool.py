"""Max pooling on arrays: tournaments over strided views for tiling windows, and the
channels-first layout convolutions leave behind, kept rather than copied.

The reference (``lamina.ops.maxpool``) copies every window into a row and takes its argmax.
Here windows that tile the input (stride == kernel, the common 2 x 2) take kh*kw strided
views of x and compare them element by element: no window copy and no argmax over a tiny
last axis (3-5x faster for 2 x 2). The argmax k of each window is its offset i*kw + j.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lamina.kernels import register
from lamina.kernels.numpy.im2col import padded, windows

__all__: list[str] = []


def _channels_first(x: np.ndarray) -> bool:
    """Whether x (N, C, H, W) lies in memory as (C, N, H, W), as convolution outputs do."""
    return x.shape[0] > 1 and x.shape[1] > 1 and x.strides[1] > x.strides[0]


def _window_matrix(x: np.ndarray, geom: Any, fill: float, cf: bool) -> np.ndarray:
    """Every window of the padded x as a row: (A, B, Ho, Wo, kh*kw), (A, B) = (C, N) if cf."""
    v = windows(padded(x, geom, fill, channels_first=cf), geom, "pool")
    v = v.transpose(1, 0, 2, 3, 4, 5) if cf else v
    return np.ascontiguousarray(v).reshape(*v.shape[:4], -1)


def _tiles(geom: Any) -> bool:
    """Whether the windows tile the input: stride == kernel, no padding, no dilation."""
    (pt, pb), (pl, pr) = geom.pads
    return (
        geom.stride == geom.kernel
        and geom.dilation == (1, 1)
        and not (pt or pb or pl or pr)
        and geom.kernel[0] * geom.kernel[1] < 256
    )


def _tile_parts(x: np.ndarray, geom: Any) -> list[np.ndarray]:
    """For tiling windows, x[..., i::kh, j::kw] cropped to the output size, offset by offset."""
    (kh, kw), (ho, wo) = geom.kernel, geom.out_hw
    return [x[:, :, i : ho * kh : kh, j : wo * kw : kw] for i in range(kh) for j in range(kw)]


def _tile_max(x: np.ndarray, geom: Any) -> tuple[np.ndarray, np.ndarray]:
    """The max of tiling windows and its first offset, from kh*kw strided views of x.

    The max propagates NaN as ``argmax`` does; a NaN window's offset is 0 here.
    """
    parts = _tile_parts(x, geom)
    if len(parts) == 4:  # 2 x 2: a pairwise tournament, ties to the earlier offset
        a, b, c, d = parts
        top, bottom = np.maximum(a, b), np.maximum(c, d)
        right = np.greater(b, a).view(np.uint8)
        lower = np.greater(d, c).view(np.uint8)
        lower += 2
        k = np.where(np.greater(bottom, top), lower, right)
        return k, np.maximum(top, bottom, out=top)
    y = parts[0].copy()
    for part in parts[1:]:
        np.maximum(y, part, out=y)
    k = np.zeros(y.shape, np.uint8)
    for o in range(len(parts) - 1, -1, -1):  # last to first, so the first equal offset wins
        np.copyto(k, o, where=parts[o] == y)
    return k, y


def _scatter(g: np.ndarray, k: np.ndarray, cf: bool, geom: Any) -> np.ndarray:
    """dx = g added at the argmax of each window (one vectorized pass per kernel offset)."""
    g = g.transpose(1, 0, 2, 3) if cf else g
    if _tiles(geom):  # disjoint windows: each offset's elements are written, not added
        dx = np.empty((*g.shape[:2], *geom.in_hw), g.dtype)
        ho, wo = geom.out_hw
        if dx.shape[2:] != (ho * geom.kernel[0], wo * geom.kernel[1]):
            dx.fill(0)  # rows or columns no window covers
        for o, part in enumerate(_tile_parts(dx, geom)):
            np.multiply(g, k == o, out=part)  # 5x faster than copyto(where=) here
        return dx.transpose(1, 0, 2, 3) if cf else dx
    buf = np.zeros((*g.shape[:2], *geom.padded_hw), g.dtype)
    kw = geom.kernel[1]
    for o in range(geom.kernel[0] * kw):
        rows, cols = geom.slices(o // kw, o % kw)
        buf[:, :, rows, cols] += g * (k == o)
    (pt, _), (pl, _) = geom.pads
    h, w = geom.in_hw
    dx = buf[:, :, pt : pt + h, pl : pl + w]
    return dx.transpose(1, 0, 2, 3) if cf else dx


@register("lamina.ops.maxpool.MaxPool", "numpy")
class MaxPool:
    """y = max over each window, in x's own layout; dx = g at the first argmax."""

    def forward(ctx, x, geom):
        ctx.geom, ctx.cf = geom, _channels_first(x)
        if _tiles(geom):
            ctx.k, y = _tile_max(x.transpose(1, 0, 2, 3) if ctx.cf else x, geom)
            return y.transpose(1, 0, 2, 3) if ctx.cf else y
        win = _window_matrix(x, geom, -np.inf, ctx.cf)
        ctx.k = k = win.argmax(axis=-1)
        y = np.take_along_axis(win, k[..., None], -1)[..., 0]
        return y.transpose(1, 0, 2, 3) if ctx.cf else y

    def backward(ctx, g):
        return _scatter(g, ctx.k, ctx.cf, ctx.geom)


@register("lamina.ops.maxpool.MaxScatter", "numpy")
class MaxScatter:
    """The reference's scatter (k in (N, C, Ho, Wo)), with the tiling fast path."""

    def forward(ctx, g, k, geom):
        ctx.k, ctx.geom = k, geom
        return _scatter(g, k, False, geom)
