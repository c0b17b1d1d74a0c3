"""Pooling: max, average, Lp (PyTorch's and the course's L2), adaptive and global average.

Windows are strided views of the padded input (see ``ops._windows.windows``); 1-d pooling is
2-d pooling on a height of one (``ops._pooling``). ``WindowSum`` and ``WindowScatter``, a
mutually adjoint pair, do the work of average and Lp pooling; max pooling, whose gradient
goes to the argmax of each window, is in ``ops.maxpool`` and exported from here too.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lamina.autodiff.function import Function
from lamina.autodiff.tensor import Tensor, TensorLike, as_tensor
from lamina.errors import check_positive_int, owner_name
from lamina.ops._pooling import as_4d, from_4d, pool_geometry
from lamina.ops._shapes import check_layout, ntuple
from lamina.ops._windows import Geometry, col2im, padded
from lamina.ops.elementwise import abs, relu, sign, sqrt
from lamina.ops.linalg import matmul
from lamina.ops.maxpool import max_pool1d, max_pool2d
from lamina.ops.reduce import mean

__all__ = [
    "adaptive_avg_pool1d",
    "adaptive_avg_pool2d",
    "avg_pool1d",
    "avg_pool2d",
    "global_avg_pool2d",
    "l2_pool1d",
    "l2_pool2d",
    "lp_pool1d",
    "lp_pool2d",
    "max_pool1d",
    "max_pool2d",
]


class WindowSum(Function):
    """y[n, c, p, q] = sum_i,j x_pad[n, c, p*s + i*d, q*s + j*d].  dx = WindowScatter(g)."""

    def forward(ctx, x, geom):
        ctx.geom = geom
        xp = padded(x, geom)
        y = None
        for i in range(geom.kernel[0]):
            for j in range(geom.kernel[1]):
                index = (slice(None), slice(None), *geom.slices(i, j))
                part = xp[index]
                y = part.copy() if y is None else y.__iadd__(part)
        return y

    def backward(ctx, g):
        return WindowScatter.apply(g, geom=ctx.geom)


class WindowScatter(Function):
    """dx = every g[n, c, p, q] added onto each element of window (p, q).  dg = WindowSum(h)."""

    def forward(ctx, g, geom):
        ctx.geom = geom
        kh, kw = geom.kernel
        cols = np.broadcast_to(
            g.transpose(1, 0, 2, 3)[:, None, None],
            (g.shape[1], kh, kw, *(g.shape[0], *g.shape[2:])),
        )
        return col2im(cols, geom, g.shape[0])

    def backward(ctx, h):
        return WindowSum.apply(h, geom=ctx.geom)


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
    flat = Geometry(
        geom.padded_hw, geom.out_hw, geom.kernel, geom.stride, geom.dilation, ((0, 0), (0, 0))
    )
    return WindowSum().forward(ones, flat)


def check_divisor(owner: Any, divisor_override: Any) -> None:
    """Raise ValueError unless ``divisor_override`` is None or a positive integer."""
    if divisor_override is not None:
        check_positive_int(owner, divisor_override=divisor_override)


def check_norm_type(owner: Any, norm_type: Any) -> None:
    """Raise ValueError unless the Lp pooling power ``norm_type`` is a number > 0."""
    if isinstance(norm_type, bool) or not isinstance(norm_type, (int, float)) or norm_type <= 0:
        raise ValueError(f"{owner_name(owner)}: norm_type must be a number > 0, got {norm_type!r}")


def _avg_pool(
    owner, x, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override, dims
) -> Tensor:
    """Average pooling over ``dims`` (1 or 2) spatial dims, errors naming ``owner``."""
    x = as_tensor(x)
    check_divisor(owner, divisor_override)
    x4 = as_4d(owner, x, dims)
    geom = pool_geometry(owner, x4.shape, kernel_size, stride, padding, 1, ceil_mode, dims)
    total = WindowSum.apply(x4, geom=geom)
    if divisor_override is not None:
        div: Any = float(divisor_override)
    else:
        div = _divisor(geom, count_include_pad, x.dtype)
    y = total / div if isinstance(div, float) else total * Tensor._wrap((1 / div).astype(x.dtype))
    return from_4d(y, x, dims)


def avg_pool2d(
    input: TensorLike,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: int | None = None,
) -> Tensor:
    """y[n, c, p, q] = sum of window (p, q) of x_pad / its size.

    The size counts the zero padding when ``count_include_pad`` (PyTorch's default) and only
    real elements otherwise; ``divisor_override`` replaces it.
    """
    return _avg_pool(
        "avg_pool2d",
        input,
        kernel_size,
        stride,
        padding,
        ceil_mode,
        count_include_pad,
        divisor_override,
        2,
    )


def avg_pool1d(
    input: TensorLike,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
) -> Tensor:
    """y[n, c, p] = mean of x_pad[n, c, p*s : p*s + k] over (N, C, L) or (C, L)."""
    return _avg_pool(
        "avg_pool1d", input, kernel_size, stride, padding, ceil_mode, count_include_pad, None, 1
    )


def _lp_pool(owner, x, norm_type, kernel_size, stride, ceil_mode, dims) -> Tensor:
    """Power-average pooling over ``dims`` spatial dims, errors naming ``owner``."""
    x = as_tensor(x)
    check_norm_type(owner, norm_type)
    k = ntuple(owner, "kernel_size", kernel_size, dims)
    # PyTorch's formula, kept exactly (it matters in ceil mode): the average of x**p over the
    # clipped window, times the full window size, to the power 1/p
    avg = _avg_pool(owner, x**norm_type, k, stride, 0, ceil_mode, True, None, dims)
    return ((sign(avg) * relu(abs(avg))) * float(np.prod(k))) ** (1.0 / norm_type)


def lp_pool2d(
    input: TensorLike,
    norm_type: float,
    kernel_size: Any,
    stride: Any = None,
    ceil_mode: bool = False,
) -> Tensor:
    """Power-average pooling, y = (sum over the window of x**p) ** (1/p), as PyTorch.

    p = 1 is sum pooling, p -> inf tends to max pooling.
    """
    return _lp_pool("lp_pool2d", input, norm_type, kernel_size, stride, ceil_mode, 2)


def lp_pool1d(
    input: TensorLike,
    norm_type: float,
    kernel_size: Any,
    stride: Any = None,
    ceil_mode: bool = False,
) -> Tensor:
    """1-d power-average pooling, y = (sum_i x_i**p) ** (1/p) over each window."""
    return _lp_pool("lp_pool1d", input, norm_type, kernel_size, stride, ceil_mode, 1)


def _l2_pool(owner, x, kernel_size, stride, padding, ceil_mode, dims) -> Tensor:
    """The course's L2 pooling over ``dims`` spatial dims, errors naming ``owner``."""
    x = as_tensor(x)
    x4 = as_4d(owner, x, dims)
    geom = pool_geometry(owner, x4.shape, kernel_size, stride, padding, 1, ceil_mode, dims)
    k = geom.kernel[0] * geom.kernel[1]
    return from_4d(sqrt(WindowSum.apply(x4 * x4, geom=geom)) / float(k), x, dims)


def l2_pool2d(
    input: TensorLike,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    ceil_mode: bool = False,
) -> Tensor:
    """The course's L2 pooling: y = (1/k) * sqrt(sum_j a_j**2) over each window of k elements.

    Differs from ``lp_pool2d(x, 2, ...)`` (which is sqrt(sum_j a_j**2)) by the factor 1/k.
    """
    return _l2_pool("l2_pool2d", input, kernel_size, stride, padding, ceil_mode, 2)


def l2_pool1d(
    input: TensorLike,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    ceil_mode: bool = False,
) -> Tensor:
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
    return _adaptive_avg_pool2d("adaptive_avg_pool2d", input, output_size)


def _adaptive_avg_pool2d(owner: Any, input: TensorLike, output_size: Any) -> Tensor:
    """``adaptive_avg_pool2d`` with errors naming ``owner``."""
    x = as_tensor(input)
    x4 = as_4d(owner, x, 2)
    sizes = (
        (output_size, output_size) if not isinstance(output_size, (tuple, list)) else output_size
    )
    if len(sizes) != 2:
        raise ValueError(
            f"{owner_name(owner)}: output_size must be 1 or 2 ints, got {output_size!r}"
        )
    oh, ow = (x4.shape[2 + a] if sizes[a] is None else sizes[a] for a in range(2))
    ntuple(owner, "output_size", (oh, ow), 2)
    if (oh, ow) == (1, 1):
        y = mean(x4, (2, 3), keepdim=True)
    else:
        ah = Tensor._wrap(_adaptive_matrix(x4.shape[2], oh, x.dtype))
        awt = Tensor._wrap(_adaptive_matrix(x4.shape[3], ow, x.dtype).T.copy())
        y = matmul(matmul(ah, x4), awt)
    return y if x.ndim == 4 else y[0]


def adaptive_avg_pool1d(input: TensorLike, output_size: int) -> Tensor:
    """Average over PyTorch's adaptive bins of the last dim of (N, C, L) or (C, L)."""
    return _adaptive_avg_pool1d("adaptive_avg_pool1d", input, output_size)


def _adaptive_avg_pool1d(owner: Any, input: TensorLike, output_size: int) -> Tensor:
    """``adaptive_avg_pool1d`` with errors naming ``owner``."""
    x = as_tensor(input)
    x4 = as_4d(owner, x, 1)
    (m,) = ntuple(owner, "output_size", output_size, 1)
    awt = Tensor._wrap(_adaptive_matrix(x4.shape[3], m, x.dtype).T.copy())
    return from_4d(matmul(x4, awt), x, 1)


def global_avg_pool2d(input: TensorLike, keepdim: bool = False) -> Tensor:
    """y[n, c] = mean over H and W of x[n, c]; (N, C) unless ``keepdim`` (N, C, 1, 1)."""
    return _global_avg_pool2d("global_avg_pool2d", input, keepdim)


def _global_avg_pool2d(owner: Any, input: TensorLike, keepdim: bool = False) -> Tensor:
    """``global_avg_pool2d`` with errors naming ``owner``."""
    x = as_tensor(input)
    check_layout(owner, x.shape, (("N", "C", "H", "W"),))
    return mean(x, (2, 3), keepdim=keepdim)
