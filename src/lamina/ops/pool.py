"""Pooling: max, average, Lp (PyTorch's and the course's L2), adaptive and global average.

Windows are strided views of the padded input (see ``ops._im2col.windows``); 1-d pooling is
2-d pooling on a height of one. Two pairs of mutually adjoint Functions do all the work:
``WindowSum``/``WindowScatter`` (average and Lp pooling) and ``MaxPool``/``MaxScatter``
(the gradient goes to the argmax of each window, the first one on ties, as in PyTorch).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lamina.autodiff.function import Function
from lamina.autodiff.tensor import Tensor, TensorLike, as_tensor
from lamina.errors import ShapeError
from lamina.ops._im2col import Geometry, col2im, padded, windows
from lamina.ops._shapes import ntuple, pool_output_size
from lamina.ops.elementwise import abs, relu, sign, sqrt
from lamina.ops.linalg import matmul
from lamina.ops.reduce import mean
from lamina.ops.shape import reshape, unsqueeze

__all__ = [
    "adaptive_avg_pool1d", "adaptive_avg_pool2d", "avg_pool1d", "avg_pool2d",
    "global_avg_pool2d", "l2_pool1d", "l2_pool2d", "lp_pool1d", "lp_pool2d", "max_pool1d",
    "max_pool2d",
]  # fmt: skip


class WindowSum(Function):
    """y[n, c, p, q] = sum_i,j x_pad[n, c, p*s + i*d, q*s + j*d].  dx = WindowScatter(g)."""

    def forward(ctx, x, geom):
        ctx.geom = geom
        xp = padded(x, geom, channels_first=False)
        y = None
        for i in range(geom.kernel[0]):
            for j in range(geom.kernel[1]):
                part = xp[(slice(None), slice(None), *geom.slices(i, j))]
                y = part.copy() if y is None else y.__iadd__(part)
        return y

    def backward(ctx, g):
        return WindowScatter.apply(g, geom=ctx.geom)


class WindowScatter(Function):
    """dx = every g[n, c, p, q] added onto each element of window (p, q).  dg = WindowSum(h)."""

    def forward(ctx, g, geom):
        ctx.geom = geom
        kh, kw = geom.kernel
        cols = np.broadcast_to(g.transpose(1, 0, 2, 3)[:, None, None], (g.shape[1], kh, kw, *(
            g.shape[0], *g.shape[2:])))  # fmt: skip
        return col2im(cols, geom, g.shape[0])

    def backward(ctx, h):
        return WindowSum.apply(h, geom=ctx.geom)


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


# ---------------------------------------------------------------- geometry and dispatch


def pool_geometry(
    owner: str, shape: tuple[int, ...], kernel_size: Any, stride: Any, padding: Any,
    dilation: Any, ceil_mode: bool, dims: int,
) -> Geometry:  # fmt: skip
    """The windows of a pooling over the last ``dims`` (1 or 2) dims of ``shape``."""
    k = ntuple(owner, "kernel_size", kernel_size, dims)
    s = k if stride is None or stride == () else ntuple(owner, "stride", stride, dims)
    p = ntuple(owner, "padding", padding, dims, minimum=0)
    d = ntuple(owner, "dilation", dilation, dims)
    sizes = shape[-dims:]
    outs, extras = zip(*(
        pool_output_size(owner, sizes[a], k[a], s[a], p[a], d[a], ceil_mode, "HW"[a] if dims
                         == 2 else "L")
        for a in range(dims)
    ))  # fmt: skip
    if dims == 1:
        k, s, p, d, sizes, outs, extras = ((1, v[0]) for v in (k, s, p, d, sizes, outs, extras))
        p, extras = (0, p[1]), (0, extras[1])
    pads = tuple((p[a], p[a] + extras[a]) for a in range(2))
    return Geometry(tuple(sizes), tuple(outs), k, s, d, pads)  # type: ignore[arg-type]


def _as_4d(owner: str, x: Tensor, dims: int) -> Tensor:
    """(N, C, H, W) for 2-d, (N, C, 1, L) for 1-d pooling; unbatched inputs get N = 1."""
    if x.ndim not in (dims + 1, dims + 2):
        want = "(N, C, H, W) or (C, H, W)" if dims == 2 else "(N, C, L) or (C, L)"
        raise ShapeError(f"{owner}: expected input {want}, got {x.shape}")
    if x.ndim == dims + 1:
        x = unsqueeze(x, 0)
    return unsqueeze(x, 2) if dims == 1 else x


def _back(y: Tensor, x: Tensor, dims: int) -> Tensor:
    """Undo ``_as_4d``: drop the added height and batch dims."""
    shape = (*x.shape[:-dims], *y.shape[4 - dims :])
    return reshape(y, shape)


def _max_pool(owner, x, kernel_size, stride, padding, dilation, ceil_mode, dims, indices):  # type: ignore[no-untyped-def]
    x = as_tensor(x)
    x4 = _as_4d(owner, x, dims)
    geom = pool_geometry(owner, x4.shape, kernel_size, stride, padding, dilation, ceil_mode, dims)
    y = _back(MaxPool.apply(x4, geom=geom), x, dims)
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


def _divisor(geom: Geometry, count_include_pad: bool, dtype: np.dtype) -> np.ndarray | float:
    """How many elements each window averages: PyTorch's rule, padding counted or not.

    Windows that ceil_mode lets run past the padded input count only up to its end.
    """
    (pt, pb), (pl, pr) = geom.pads
    if not (pt or pb or pl or pr):
        return float(geom.kernel[0] * geom.kernel[1])
    ones = np.zeros((1, 1, *geom.padded_hw), dtype)
    h, w = geom.in_hw
    if count_include_pad:  # the symmetric padding counts, the ceil-mode overhang does not
        ones[..., : h + 2 * pt, : w + 2 * pl] = 1
    else:
        ones[..., pt : pt + h, pl : pl + w] = 1
    flat = Geometry(geom.padded_hw, geom.out_hw, geom.kernel, geom.stride, geom.dilation,
                    ((0, 0), (0, 0)))  # fmt: skip
    return WindowSum().forward(ones, flat)


def _avg_pool(owner, x, kernel_size, stride, padding, ceil_mode, count_include_pad,
              divisor_override, dims) -> Tensor:  # type: ignore[no-untyped-def]  # fmt: skip
    x = as_tensor(x)
    x4 = _as_4d(owner, x, dims)
    geom = pool_geometry(owner, x4.shape, kernel_size, stride, padding, 1, ceil_mode, dims)
    total = WindowSum.apply(x4, geom=geom)
    if divisor_override is not None:
        div: Any = float(divisor_override)
    else:
        div = _divisor(geom, count_include_pad, x.dtype)
    y = total / div if isinstance(div, float) else total * Tensor._wrap((1 / div).astype(x.dtype))
    return _back(y, x, dims)


def avg_pool2d(
    input: TensorLike, kernel_size: Any, stride: Any = None, padding: Any = 0,
    ceil_mode: bool = False, count_include_pad: bool = True, divisor_override: int | None = None,
) -> Tensor:  # fmt: skip
    """y[n, c, p, q] = sum of window (p, q) of x_pad / its size.

    The size counts the zero padding when ``count_include_pad`` (PyTorch's default) and only
    real elements otherwise; ``divisor_override`` replaces it.
    """
    return _avg_pool("avg_pool2d", input, kernel_size, stride, padding, ceil_mode,
                     count_include_pad, divisor_override, 2)  # fmt: skip


def avg_pool1d(
    input: TensorLike, kernel_size: Any, stride: Any = None, padding: Any = 0,
    ceil_mode: bool = False, count_include_pad: bool = True,
) -> Tensor:  # fmt: skip
    """y[n, c, p] = mean of x_pad[n, c, p*s : p*s + k] over (N, C, L) or (C, L)."""
    return _avg_pool("avg_pool1d", input, kernel_size, stride, padding, ceil_mode,
                     count_include_pad, None, 1)  # fmt: skip


def _lp_pool(owner, x, norm_type, kernel_size, stride, ceil_mode, dims) -> Tensor:  # type: ignore[no-untyped-def]
    x = as_tensor(x)
    if not isinstance(norm_type, (int, float)) or norm_type <= 0:
        raise ValueError(f"{owner}: norm_type must be a positive number, got {norm_type!r}")
    k = ntuple(owner, "kernel_size", kernel_size, dims)
    # PyTorch's formula, kept exactly (it matters in ceil mode): the average of x**p over the
    # clipped window, times the full window size, to the power 1/p
    avg = _avg_pool(owner, x**norm_type, k, stride, 0, ceil_mode, True, None, dims)
    return ((sign(avg) * relu(abs(avg))) * float(np.prod(k))) ** (1.0 / norm_type)


def lp_pool2d(
    input: TensorLike, norm_type: float, kernel_size: Any, stride: Any = None,
    ceil_mode: bool = False,
) -> Tensor:  # fmt: skip
    """Power-average pooling, y = (sum over the window of x**p) ** (1/p), as PyTorch.

    p = 1 is sum pooling, p -> inf tends to max pooling.
    """
    return _lp_pool("lp_pool2d", input, norm_type, kernel_size, stride, ceil_mode, 2)


def lp_pool1d(
    input: TensorLike, norm_type: float, kernel_size: Any, stride: Any = None,
    ceil_mode: bool = False,
) -> Tensor:  # fmt: skip
    """1-d power-average pooling, y = (sum_i x_i**p) ** (1/p) over each window."""
    return _lp_pool("lp_pool1d", input, norm_type, kernel_size, stride, ceil_mode, 1)


def _l2_pool(owner, x, kernel_size, stride, padding, ceil_mode, dims) -> Tensor:  # type: ignore[no-untyped-def]
    x = as_tensor(x)
    x4 = _as_4d(owner, x, dims)
    geom = pool_geometry(owner, x4.shape, kernel_size, stride, padding, 1, ceil_mode, dims)
    k = geom.kernel[0] * geom.kernel[1]
    return _back(sqrt(WindowSum.apply(x4 * x4, geom=geom)) / float(k), x, dims)


def l2_pool2d(
    input: TensorLike, kernel_size: Any, stride: Any = None, padding: Any = 0,
    ceil_mode: bool = False,
) -> Tensor:  # fmt: skip
    """The course's L2 pooling: y = (1/k) * sqrt(sum_j a_j**2) over each window of k elements.

    Differs from ``lp_pool2d(x, 2, ...)`` (which is sqrt(sum_j a_j**2)) by the factor 1/k.
    """
    return _l2_pool("l2_pool2d", input, kernel_size, stride, padding, ceil_mode, 2)


def l2_pool1d(
    input: TensorLike, kernel_size: Any, stride: Any = None, padding: Any = 0,
    ceil_mode: bool = False,
) -> Tensor:  # fmt: skip
    """The course's 1-d L2 pooling: y = (1/k) * sqrt(sum_j a_j**2) over windows of k."""
    return _l2_pool("l2_pool1d", input, kernel_size, stride, padding, ceil_mode, 1)


def _adaptive_matrix(n_in: int, n_out: int, dtype: np.dtype) -> np.ndarray:
    """A (n_out, n_in) averaging matrix over PyTorch's bins [floor(i*n/m), ceil((i+1)*n/m))."""
    a = np.zeros((n_out, n_in), dtype)
    for i in range(n_out):
        start, stop = (i * n_in) // n_out, -(-(i + 1) * n_in // n_out)
        a[i, start:stop] = 1.0 / (stop - start)
    return a


def adaptive_avg_pool2d(input: TensorLike, output_size: Any) -> Tensor:
    """Average over PyTorch's adaptive bins so the output is ``output_size`` (None keeps a dim).

    y = A_h @ x @ A_w^T with fixed averaging matrices A, so the gradient is exact and free.
    """
    x = as_tensor(input)
    x4 = _as_4d("adaptive_avg_pool2d", x, 2)
    sizes = (
        (output_size, output_size) if not isinstance(output_size, (tuple, list)) else output_size
    )
    if len(sizes) != 2:
        raise ValueError(f"adaptive_avg_pool2d: output_size must be 1 or 2 ints, got {output_size}")
    oh, ow = (x4.shape[2 + a] if sizes[a] is None else sizes[a] for a in range(2))
    ntuple("adaptive_avg_pool2d", "output_size", (oh, ow), 2)
    if (oh, ow) == (1, 1):
        y = mean(x4, (2, 3), keepdim=True)
    else:
        ah = Tensor._wrap(_adaptive_matrix(x4.shape[2], oh, x.dtype))
        awt = Tensor._wrap(_adaptive_matrix(x4.shape[3], ow, x.dtype).T.copy())
        y = matmul(matmul(ah, x4), awt)
    return y if x.ndim == 4 else y[0]


def adaptive_avg_pool1d(input: TensorLike, output_size: int) -> Tensor:
    """Average over PyTorch's adaptive bins of the last dim of (N, C, L) or (C, L)."""
    x = as_tensor(input)
    x4 = _as_4d("adaptive_avg_pool1d", x, 1)
    (m,) = ntuple("adaptive_avg_pool1d", "output_size", output_size, 1)
    awt = Tensor._wrap(_adaptive_matrix(x4.shape[3], m, x.dtype).T.copy())
    return _back(matmul(x4, awt), x, 1)


def global_avg_pool2d(input: TensorLike, keepdim: bool = False) -> Tensor:
    """y[n, c] = mean over H and W of x[n, c]; (N, C) unless ``keepdim`` (N, C, 1, 1)."""
    x = as_tensor(input)
    if x.ndim != 4:
        raise ShapeError(f"global_avg_pool2d: expected input (N, C, H, W), got {x.shape}")
    return mean(x, (2, 3), keepdim=keepdim)
