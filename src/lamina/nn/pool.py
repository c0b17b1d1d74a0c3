"""Pooling layers with PyTorch's signatures, plus the course's L2 pooling and a global average.

The maths lives in ``lamina.ops.pool``; a layer validates its arguments at construction, and
the op it calls validates its input with the layer as the owner its errors name.
"""

from __future__ import annotations

from typing import Any

from lamina.autodiff.tensor import Tensor
from lamina.nn.module import Module
from lamina.ops._shapes import check_pool_padding, ntuple
from lamina.ops.maxpool import _max_pool
from lamina.ops.pool import (
    _adaptive_avg_pool1d,
    _adaptive_avg_pool2d,
    _avg_pool,
    _global_avg_pool2d,
    _l2_pool,
    _lp_pool,
    check_divisor,
    check_norm_type,
)

__all__ = [
    "AdaptiveAvgPool1d",
    "AdaptiveAvgPool2d",
    "AvgPool1d",
    "AvgPool2d",
    "GlobalAvgPool2d",
    "L2Pool1d",
    "L2Pool2d",
    "LPPool1d",
    "LPPool2d",
    "MaxPool1d",
    "MaxPool2d",
]


class _Pool(Module):
    """Arguments, checks and repr shared by the windowed pools of ``_dims`` spatial dims."""

    _dims = 2

    def __init__(
        self,
        kernel_size: Any,
        stride: Any = None,
        padding: Any = 0,
        dilation: Any = 1,
        ceil_mode: bool = False,
    ) -> None:
        super().__init__()
        name, n = type(self).__name__, self._dims
        k = ntuple(name, "kernel_size", kernel_size, n)
        if stride is not None:
            ntuple(name, "stride", stride, n)
        p = ntuple(name, "padding", padding, n, minimum=0)
        d = ntuple(name, "dilation", dilation, n)
        for a in range(n):
            check_pool_padding(name, k[a], p[a], d[a])
        # stored as given, like PyTorch (its repr shows ints as ints)
        self.kernel_size, self.padding, self.dilation = kernel_size, padding, dilation
        self.stride = kernel_size if stride is None else stride
        self.ceil_mode = bool(ceil_mode)

    def extra_repr(self) -> str:
        return (
            f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
            f"dilation={self.dilation}, ceil_mode={self.ceil_mode}"
        )


class MaxPool2d(_Pool):
    """y[n, c, p, q] = max over the window (p, q) of x padded with -inf.

    Parameters
    ----------
    kernel_size : int or (int, int)
    stride : int or (int, int), optional
        kernel_size by default.
    padding : int or (int, int), default=0
        At most half the kernel.
    dilation : int or (int, int), default=1
    return_indices : bool, default=False
        Also return the flat positions of the maxima in each (H, W) plane.
    ceil_mode : bool, default=False
        Round the output size up, keeping a last partial window.

    Notes
    -----
    The gradient flows to the first maximum of each window only, as in PyTorch.
    """

    def __init__(
        self,
        kernel_size: Any,
        stride: Any = None,
        padding: Any = 0,
        dilation: Any = 1,
        return_indices: bool = False,
        ceil_mode: bool = False,
    ) -> None:
        super().__init__(kernel_size, stride, padding, dilation, ceil_mode)
        self.return_indices = bool(return_indices)

    def forward(self, x: Tensor) -> Any:
        return _max_pool(
            self,
            x,
            self.kernel_size,
            self.stride,
            self.padding,
            self.dilation,
            self.ceil_mode,
            self._dims,
            self.return_indices,
        )


class MaxPool1d(MaxPool2d):
    """y[n, c, p] = max over the window p of (N, C, L) padded with -inf; see ``MaxPool2d``."""

    _dims = 1


class AvgPool2d(_Pool):
    """y[n, c, p, q] = sum over the window (p, q) of x padded with zeros / the window's count.

    Parameters
    ----------
    kernel_size, stride, padding, ceil_mode : as ``MaxPool2d``
    count_include_pad : bool, default=True
        Count the zero padding in the divisor (PyTorch's default) or only real elements.
    divisor_override : int, optional
        Divide by this instead.
    """

    def __init__(
        self,
        kernel_size: Any,
        stride: Any = None,
        padding: Any = 0,
        ceil_mode: bool = False,
        count_include_pad: bool = True,
        divisor_override: int | None = None,
    ) -> None:
        super().__init__(kernel_size, stride, padding, 1, ceil_mode)
        self.count_include_pad = bool(count_include_pad)
        check_divisor(type(self).__name__, divisor_override)
        self.divisor_override = divisor_override

    def forward(self, x: Tensor) -> Tensor:
        return _avg_pool(
            self,
            x,
            self.kernel_size,
            self.stride,
            self.padding,
            self.ceil_mode,
            self.count_include_pad,
            self.divisor_override,
            2,
        )

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AvgPool1d(_Pool):
    """y[n, c, p] = mean over the window p of (N, C, L); see ``AvgPool2d``."""

    _dims = 1

    def __init__(
        self,
        kernel_size: Any,
        stride: Any = None,
        padding: Any = 0,
        ceil_mode: bool = False,
        count_include_pad: bool = True,
    ) -> None:
        super().__init__(kernel_size, stride, padding, 1, ceil_mode)
        self.count_include_pad = bool(count_include_pad)

    def forward(self, x: Tensor) -> Tensor:
        return _avg_pool(
            self,
            x,
            self.kernel_size,
            self.stride,
            self.padding,
            self.ceil_mode,
            self.count_include_pad,
            None,
            1,
        )

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class LPPool2d(_Pool):
    """Power-average pooling, y = (sum over the window of x**p) ** (1/p), as PyTorch.

    Parameters
    ----------
    norm_type : float
        p > 0: p = 1 is sum pooling, large p approaches max pooling.
    kernel_size, stride, ceil_mode : as ``MaxPool2d`` (no padding)
    """

    def __init__(
        self, norm_type: float, kernel_size: Any, stride: Any = None, ceil_mode: bool = False
    ) -> None:
        check_norm_type(type(self).__name__, norm_type)
        super().__init__(kernel_size, stride, 0, 1, ceil_mode)
        self.norm_type = norm_type

    def forward(self, x: Tensor) -> Tensor:
        return _lp_pool(
            self, x, self.norm_type, self.kernel_size, self.stride, self.ceil_mode, self._dims
        )

    def extra_repr(self) -> str:
        return (
            f"norm_type={self.norm_type}, kernel_size={self.kernel_size}, "
            f"stride={self.stride}, ceil_mode={self.ceil_mode}"
        )


class LPPool1d(LPPool2d):
    """1-d power-average pooling over (N, C, L); see ``LPPool2d``."""

    _dims = 1


class L2Pool2d(_Pool):
    """The course's L2 pooling: y = (1/k) * sqrt(sum_j a_j**2) over each window of k elements.

    Unlike ``LPPool2d(2, ...)``, which is sqrt(sum_j a_j**2), it divides by the window size k,
    so a window of equal values a gives |a| / sqrt(k). Arguments as ``AvgPool2d``.
    """

    def __init__(
        self, kernel_size: Any, stride: Any = None, padding: Any = 0, ceil_mode: bool = False
    ) -> None:
        super().__init__(kernel_size, stride, padding, 1, ceil_mode)

    def forward(self, x: Tensor) -> Tensor:
        return _l2_pool(
            self, x, self.kernel_size, self.stride, self.padding, self.ceil_mode, self._dims
        )


class L2Pool1d(L2Pool2d):
    """The course's L2 pooling over (N, C, L); see ``L2Pool2d``."""

    _dims = 1


class AdaptiveAvgPool2d(Module):
    """Average pooling to a fixed output size, over PyTorch's bins.

    Output cell i of n_out averages input rows floor(i*n_in/n_out) to ceil((i+1)*n_in/n_out)-1.

    Parameters
    ----------
    output_size : int or (int or None, int or None)
        None keeps that input dim.
    """

    def __init__(self, output_size: Any) -> None:
        super().__init__()
        sizes = output_size if isinstance(output_size, (tuple, list)) else (output_size,) * 2
        ntuple("AdaptiveAvgPool2d", "output_size", tuple(1 if s is None else s for s in sizes), 2)
        self.output_size = output_size

    def forward(self, x: Tensor) -> Tensor:
        return _adaptive_avg_pool2d(self, x, self.output_size)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveAvgPool1d(Module):
    """Average pooling of (N, C, L) to ``output_size`` positions over PyTorch's bins."""

    def __init__(self, output_size: int) -> None:
        super().__init__()
        ntuple("AdaptiveAvgPool1d", "output_size", output_size, 1)
        self.output_size = output_size

    def forward(self, x: Tensor) -> Tensor:
        return _adaptive_avg_pool1d(self, x, self.output_size)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class GlobalAvgPool2d(Module):
    """y[n, c] = mean over H and W of x[n, c]: (N, C, H, W) -> (N, C), or (N, C, 1, 1).

    The same as ``AdaptiveAvgPool2d(1)`` followed by ``Flatten()`` (Keras's
    GlobalAveragePooling2D); ``keepdim=True`` keeps the two unit dims.
    """

    def __init__(self, keepdim: bool = False) -> None:
        super().__init__()
        self.keepdim = bool(keepdim)

    def forward(self, x: Tensor) -> Tensor:
        return _global_avg_pool2d(self, x, self.keepdim)

    def extra_repr(self) -> str:
        return f"keepdim={self.keepdim}"
