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
from lamina.kernels.numpy.im2col import padded

__all__: list[str] = []


def _channels_first(x: np.ndarray) -> bool:
    """Whether x (N, C, H, W) lies in memory as (C, N, H, W), as convolution outputs do."""
    return x.shape[0] > 1 and x.shape[1] > 1 and x.strides[1] > x.strides[0]


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


def _offset_parts(xp: np.ndarray, geom: Any) -> list[np.ndarray]:
    """For any windows, the strided view of the padded xp that kernel offset (i, j) touches,
    offset by offset: window (p, q)'s element at offset o is part o at (p, q)."""
    (kh, kw) = geom.kernel
    return [xp[:, :, r, c] for r, c in (geom.slices(i, j) for i in range(kh) for j in range(kw))]


def _window_max(parts: list[np.ndarray], offsets: bool) -> tuple[np.ndarray | None, np.ndarray]:
    """The max over windows given offset by offset, and (with ``offsets``) the first offset
    that holds it: NaN propagates, and a NaN window points at its last NaN, as PyTorch's
    kernels do. One pass per offset over the output, no copy of the windows."""
    if len(parts) == 4 and offsets:  # 2 x 2: a pairwise tournament, ties to the earlier offset
        a, b, c, d = parts
        top, bottom = np.maximum(a, b), np.maximum(c, d)
        right = np.greater(b, a).view(np.uint8)
        lower = np.greater(d, c).view(np.uint8)
        lower += 2
        k = np.where(np.greater(bottom, top), lower, right)
        y = np.maximum(top, bottom, out=top)
    else:
        y = parts[0].copy()
        for part in parts[1:]:
            np.maximum(y, part, out=y)
        if not offsets:
            return None, y
        k = np.zeros(y.shape, np.uint8)
        for o in range(len(parts) - 1, -1, -1):  # last to first: the first equal offset wins
            np.copyto(k, o, where=parts[o] == y)
    if np.isnan(y).any():  # NaN equals nothing: point NaN windows at their last NaN
        for o, part in enumerate(parts):
            np.copyto(k, o, where=np.isnan(part))
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

    def forward(ctx: Any, x, geom):
        ctx.geom, cf = geom, _channels_first(x)
        ctx.cf = cf
        if _tiles(geom):
            parts = _tile_parts(x.transpose(1, 0, 2, 3) if cf else x, geom)
        else:
            xp = padded(x, geom, -np.inf, channels_first=cf)
            parts = _offset_parts(xp.transpose(1, 0, 2, 3) if cf else xp, geom)
        ctx.k, y = _window_max(parts, offsets=ctx.grad_enabled)
        return y.transpose(1, 0, 2, 3) if cf else y

    def backward(ctx: Any, g):
        return _scatter(g, ctx.k, ctx.cf, ctx.geom)


@register("lamina.ops.maxpool.MaxScatter", "numpy")
class MaxScatter:
    """The reference's scatter (k in (N, C, Ho, Wo)), with the tiling fast path."""

    def forward(ctx, g, k, geom):
        ctx.k, ctx.geom = k, geom
        return _scatter(g, k, False, geom)
