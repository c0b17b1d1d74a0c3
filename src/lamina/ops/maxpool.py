"""Max pooling: the gradient goes to the first argmax of each window, as in PyTorch.

``MaxPool`` and ``MaxScatter`` are adjoint (``MaxGather`` closes the set, so gradients of
gradients work). Every window is copied into a row of a matrix and its argmax k (the offset
i*kw + j inside the window) is kept; the fast paths for tiling windows and channels-first
inputs are the NumPy kernel (``lamina.kernels.numpy.maxpool``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lamina.autodiff.function import Function
from lamina.autodiff.tensor import Tensor, TensorLike, as_tensor
from lamina.ops._pooling import as_4d, from_4d, pool_geometry
from lamina.ops._windows import Geometry, padded, windows

__all__ = ["max_pool1d", "max_pool2d"]


def _window_matrix(x: np.ndarray, geom: Geometry, fill: float) -> np.ndarray:
    """Every window of x padded with ``fill`` as a row: (N, C, Ho, Wo, kh*kw)."""
    v = windows(padded(x, geom, fill), geom, "pool")
    return v.reshape(*v.shape[:4], -1)  # a copy: the windows overlap in memory


class MaxPool(Function):
    """y[n, c, p, q] = max over window (p, q) of x_pad (padding is -inf).

    dx = g at the first argmax of each window (MaxScatter); MaxScatter's backward gathers.
    A window holding NaN has NaN for its max, and its last NaN takes the gradient, as in
    PyTorch.
    """

    def forward(ctx, x, geom):
        win = _window_matrix(x, geom, -np.inf)
        k = win.argmax(axis=-1)
        nan = np.isnan(win)
        if nan.any():
            last = win.shape[-1] - 1 - nan[..., ::-1].argmax(axis=-1)
            k = np.where(nan.any(axis=-1), last, k)
        ctx.geom, ctx.k = geom, k
        return np.take_along_axis(win, k[..., None], -1)[..., 0]

    def backward(ctx, g):
        return MaxScatter.apply(g, k=ctx.k, geom=ctx.geom)


class MaxScatter(Function):
    """dx = g added at the argmax of each window (one vectorized add per kernel offset).

    Its adjoint, MaxGather, reads h at the same places.
    """

    def forward(ctx, g, k, geom):
        ctx.k, ctx.geom = k, geom
        buf = np.zeros((*g.shape[:2], *geom.padded_hw), g.dtype)
        kw = geom.kernel[1]
        for o in range(geom.kernel[0] * kw):
            rows, cols = geom.slices(o // kw, o % kw)
            buf[:, :, rows, cols] += g * (k == o)
        (pt, _), (pl, _) = geom.pads
        h, w = geom.in_hw
        return buf[:, :, pt : pt + h, pl : pl + w]

    def backward(ctx, h):
        return MaxGather.apply(h, k=ctx.k, geom=ctx.geom)


class MaxGather(Function):
    """y = h at the argmax of each window of x.  dh = MaxScatter(g)."""

    def forward(ctx, h, k, geom):
        ctx.k, ctx.geom = k, geom
        return np.take_along_axis(_window_matrix(h, geom, 0.0), k[..., None], -1)[..., 0]

    def backward(ctx, g):
        return MaxScatter.apply(g, k=ctx.k, geom=ctx.geom)


def _torch_indices(k: np.ndarray, geom: Geometry) -> np.ndarray:
    """PyTorch's return_indices: each maximum's flat position in its unpadded (H, W) plane."""
    kw = geom.kernel[1]
    (sh, sw), (dh, dw), (ho, wo) = geom.stride, geom.dilation, geom.out_hw
    (pt, _), (pl, _) = geom.pads
    rows = np.arange(ho)[:, None] * sh + (k // kw) * dh - pt
    cols = np.arange(wo)[None, :] * sw + (k % kw) * dw - pl
    return (rows * geom.in_hw[1] + cols).astype(np.int64)


def _max_pool(owner, x, kernel_size, stride, padding, dilation, ceil_mode, dims, indices):
    x = as_tensor(x)
    x4 = as_4d(owner, x, dims)
    geom = pool_geometry(owner, x4.shape, kernel_size, stride, padding, dilation, ceil_mode, dims)
    y = from_4d(MaxPool.apply(x4, geom=geom), x, dims)
    if not indices:
        return y
    probe = MaxPool()  # run again on the raw arrays: y may carry no graph node to ask
    probe.forward(x4.data, geom)
    flat = _torch_indices(probe.k, geom)
    return y, Tensor._wrap(flat.reshape(y.shape))


def max_pool2d(
    input: TensorLike,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> Any:
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
    return _max_pool(
        "max_pool2d", input, kernel_size, stride, padding, dilation, ceil_mode, 2, return_indices
    )


def max_pool1d(
    input: TensorLike,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> Any:
    """y[n, c, p] = max_i x_pad[n, c, p*s + i*d] over (N, C, L) or (C, L)."""
    return _max_pool(
        "max_pool1d", input, kernel_size, stride, padding, dilation, ceil_mode, 1, return_indices
    )
