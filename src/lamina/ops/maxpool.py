"""Max pooling: the gradient goes to the first argmax of each window, as in PyTorch.

``MaxPool`` and ``MaxScatter`` are adjoint (``MaxGather`` closes the set, so gradients of
gradients work). Windows that tile the input (stride == kernel, the common 2 x 2) take a
faster path over strided views; others go through a matrix of windows.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lamina.autodiff.function import Function
from lamina.autodiff.tensor import Tensor, TensorLike, as_tensor
from lamina.ops._im2col import Geometry, padded, windows
from lamina.ops._pooling import as_4d, from_4d, pool_geometry

__all__ = ["max_pool1d", "max_pool2d"]


def _channels_first(x: np.ndarray) -> bool:
    """Whether x (N, C, H, W) lies in memory as (C, N, H, W), as convolution outputs do."""
    return x.shape[0] > 1 and x.shape[1] > 1 and x.strides[1] > x.strides[0]


def _window_matrix(x: np.ndarray, geom: Geometry, fill: float, cf: bool) -> np.ndarray:
    """Every window of the padded x as a row: (A, B, Ho, Wo, kh*kw), (A, B) = (C, N) if cf."""
    v = windows(padded(x, geom, fill, channels_first=cf), geom, "pool")
    v = v.transpose(1, 0, 2, 3, 4, 5) if cf else v
    return np.ascontiguousarray(v).reshape(*v.shape[:4], -1)


def _tiles(geom: Geometry) -> bool:
    """Whether the windows tile the input: stride == kernel, no padding, no dilation (the
    common 2 x 2 / stride 2 pooling). Then each kernel offset is one strided view of x."""
    (pt, pb), (pl, pr) = geom.pads
    return (
        geom.stride == geom.kernel
        and geom.dilation == (1, 1)
        and not (pt or pb or pl or pr)
        and geom.kernel[0] * geom.kernel[1] < 256
    )


def _tile_parts(x: np.ndarray, geom: Geometry) -> list[np.ndarray]:
    """For tiling windows, x[..., i::kh, j::kw] cropped to the output size, offset by offset."""
    (kh, kw), (ho, wo) = geom.kernel, geom.out_hw
    return [x[:, :, i : ho * kh : kh, j : wo * kw : kw] for i in range(kh) for j in range(kw)]


def _tile_max(x: np.ndarray, geom: Geometry) -> tuple[np.ndarray, np.ndarray]:
    """The max of tiling windows and its first offset, from kh*kw strided views of x.

    Why: no window copy and no argmax over a tiny last axis (3-5x faster for 2 x 2). The max
    propagates NaN as ``argmax`` did; a NaN window's offset is 0 here (its gradient goes there).
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


class MaxPool(Function):
    """y[n, c, p, q] = max over window (p, q) of x_pad (padding is -inf).

    dx = g at the first argmax of each window (MaxScatter); MaxScatter's backward gathers.
    The argmax k of each window is kept as its offset i*kw + j inside the window.
    """

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
        return MaxScatter.apply(g, k=ctx.k, cf=ctx.cf, geom=ctx.geom)


class MaxScatter(Function):
    """dx = g added at the argmax of each window (one vectorized add per kernel offset).

    Its adjoint, MaxGather, reads h at the same places.
    """

    def forward(ctx, g, k, cf, geom):
        ctx.k, ctx.cf, ctx.geom = k, cf, geom
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

    def backward(ctx, h):
        return MaxGather.apply(h, k=ctx.k, cf=ctx.cf, geom=ctx.geom)


class MaxGather(Function):
    """y = h at the argmax of each window of x.  dh = MaxScatter(g)."""

    def forward(ctx, h, k, cf, geom):
        ctx.k, ctx.cf, ctx.geom = k, cf, geom
        win = _window_matrix(h, geom, 0.0, cf)
        y = np.take_along_axis(win, k[..., None], -1)[..., 0]
        return y.transpose(1, 0, 2, 3) if cf else y

    def backward(ctx, g):
        return MaxScatter.apply(g, k=ctx.k, cf=ctx.cf, geom=ctx.geom)


def _torch_indices(k: np.ndarray, geom: Geometry, cf: bool) -> np.ndarray:
    """PyTorch's return_indices: each maximum's flat position in its unpadded (H, W) plane."""
    kw = geom.kernel[1]
    (sh, sw), (dh, dw), (ho, wo) = geom.stride, geom.dilation, geom.out_hw
    (pt, _), (pl, _) = geom.pads
    rows = np.arange(ho)[:, None] * sh + (k // kw) * dh - pt
    cols = np.arange(wo)[None, :] * sw + (k % kw) * dw - pl
    flat = (rows * geom.in_hw[1] + cols).astype(np.int64)
    return flat.transpose(1, 0, 2, 3) if cf else flat


def _max_pool(owner, x, kernel_size, stride, padding, dilation, ceil_mode, dims, indices):  # type: ignore[no-untyped-def]
    x = as_tensor(x)
    x4 = as_4d(owner, x, dims)
    geom = pool_geometry(owner, x4.shape, kernel_size, stride, padding, dilation, ceil_mode, dims)
    y = from_4d(MaxPool.apply(x4, geom=geom), x, dims)
    if not indices:
        return y
    probe = MaxPool()  # run again on the raw arrays: y may carry no graph node to ask
    probe.forward(x4.data, geom)
    flat = _torch_indices(probe.k, geom, probe.cf)
    return y, Tensor._wrap(flat.reshape(y.shape))


def max_pool2d(
    input: TensorLike, kernel_size: Any, stride: Any = None, padding: Any = 0,
    dilation: Any = 1, ceil_mode: bool = False, return_indices: bool = False,
) -> Any:  # fmt: skip
    """y[n, c, p, q] = max_{i,j} x_pad[n, c, p*s + i*d, q*s + j*d], padding with -inf.

    Parameters
    ----------
    input : Tensor (N, C, H, W) or (C, H, W)
    kernel_size, stride, padding, dilation : int or (int, int)
        stride defaults to kernel_size; padding is at most half the kernel.
    ceil_mode : bool
        Round the output size up (a last, partial window), as PyTorch does.
    return_indices : bool
        Also return where each maximum is, as flat indices into each (H, W) plane.
    """
    return _max_pool("max_pool2d", input, kernel_size, stride, padding, dilation, ceil_mode, 2,
                     return_indices)  # fmt: skip


def max_pool1d(
    input: TensorLike, kernel_size: Any, stride: Any = None, padding: Any = 0,
    dilation: Any = 1, ceil_mode: bool = False, return_indices: bool = False,
) -> Any:  # fmt: skip
    """y[n, c, p] = max_i x_pad[n, c, p*s + i*d] over (N, C, L) or (C, L)."""
    return _max_pool("max_pool1d", input, kernel_size, stride, padding, dilation, ceil_mode, 1,
                     return_indices)  # fmt: skip
