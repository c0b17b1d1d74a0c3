"""Convolution layers: ``Conv1d``, ``Conv2d``, ``ConvTranspose2d`` and two factorized blocks.

Parameter names, shapes, defaults and initialization are PyTorch's, so a converted PyTorch
``state_dict`` loads as is. The maths lives in ``lamina.ops.conv``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from lamina.autodiff.dtypes import factory_dtype
from lamina.autodiff.tensor import Tensor
from lamina.errors import check_in, check_positive_int
from lamina.nn import init
from lamina.nn.module import Module
from lamina.nn.parameter import Parameter
from lamina.ops._shapes import check_layout, ntuple
from lamina.ops.conv import _conv1d, _conv2d, _conv_transpose2d, check_output_padding, conv_padding

__all__ = [
    "Conv1d",
    "Conv2d",
    "ConvTranspose2d",
    "DepthwiseSeparableConv2d",
    "SpatiallySeparableConv2d",
]

# a block's own input check, naming the block (its first convolution would name itself)
_IMAGES = (("N", "C", "H", "W"), ("C", "H", "W"))


class _ConvNd(Module):
    """What every convolution layer shares: arguments, checks, parameters, init, repr."""

    _dims = 2
    _transposed = False

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: Any,
        stride: Any,
        padding: Any,
        dilation: Any,
        groups: int,
        bias: bool,
        padding_mode: str,
        output_padding: Any = 0,
        device: Any = None,
        dtype: Any = None,
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__()
        name, n = type(self).__name__, self._dims
        dt = factory_dtype(name, device, dtype)
        check_positive_int(name, in_channels=in_channels, out_channels=out_channels, groups=groups)
        for what, channels in (("in_channels", in_channels), ("out_channels", out_channels)):
            if channels % groups:
                raise ValueError(f"{name}: {what} {channels} must be divisible by groups {groups}")
        check_in(name, "padding_mode", padding_mode, ("zeros",))
        self.in_channels, self.out_channels, self.groups = in_channels, out_channels, groups
        self.kernel_size = ntuple(name, "kernel_size", kernel_size, n)
        self.stride = ntuple(name, "stride", stride, n)
        self.dilation = ntuple(name, "dilation", dilation, n)
        if isinstance(padding, str) and not self._transposed:
            conv_padding(name, padding, self.kernel_size, self.dilation, self.stride)
            self.padding: Any = padding
        else:
            self.padding = ntuple(name, "padding", padding, n, minimum=0)
        self.output_padding = ntuple(name, "output_padding", output_padding, n, minimum=0)
        self.padding_mode = padding_mode
        shape = (
            (in_channels, out_channels // groups)
            if self._transposed
            else (out_channels, in_channels // groups)
        )
        self.weight = Parameter(np.empty((*shape, *self.kernel_size), dt))
        self.bias = Parameter(np.empty(out_channels, dt)) if bias else None
        self.reset_parameters(rng)

    def reset_parameters(self, rng: np.random.Generator | None = None) -> None:
        """PyTorch's default: kaiming_uniform_(a=sqrt(5)) on weight, U(+-1/sqrt(fan_in)) bias.

        fan_in = weight.shape[1] * prod(kernel_size), which for a grouped convolution is
        in_channels / groups * prod(kernel_size).
        """
        init.kaiming_uniform_(self.weight, a=math.sqrt(5), rng=rng)
        if self.bias is not None:
            fan_in = self.weight.shape[1] * int(np.prod(self.kernel_size))
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0.0
            init.uniform_(self.bias, -bound, bound, rng)

    def extra_repr(self) -> str:
        """PyTorch's repr, except that a stride of 1 is left out like the other defaults."""
        s = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}"
        n = self._dims
        if self.stride != (1,) * n:
            s += f", stride={self.stride}"
        if self.padding != (0,) * n:
            s += f", padding={self.padding!r}"
        if self.dilation != (1,) * n:
            s += f", dilation={self.dilation}"
        if self.output_padding != (0,) * n:
            s += f", output_padding={self.output_padding}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        return s


class Conv2d(_ConvNd):
    """2-d convolution (cross-correlation) over (N, C_in, H, W).

    y[n, o, p, q] = bias[o] + sum_{c, i, j} weight[o, c, i, j] * x_pad[n, c, p*s + i*d, q*s + j*d]
    H_out = floor((H + 2*padding - dilation*(k - 1) - 1) / stride) + 1 (W alike).

    Parameters
    ----------
    in_channels, out_channels : int
    kernel_size : int or (int, int)
    stride, dilation : int or (int, int), default=1
    padding : int, (int, int), "valid" or "same", default=0
        "same" keeps H and W (stride 1 only); an odd total puts the extra zero at the end.
    groups : int, default=1
        Split channels into independent groups; groups == in_channels is depthwise.
    bias : bool, default=True
    padding_mode : "zeros"
    device : "cpu", optional
    dtype : float32 or float64, optional
        The default dtype unless given.
    rng : numpy.random.Generator, optional

    Notes
    -----
    weight (out_channels, in_channels / groups, k_h, k_w), bias (out_channels,). Parameter
    count: out * (in / groups) * k_h * k_w + out.
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: Any,
        stride: Any = 1,
        padding: Any = 0,
        dilation: Any = 1,
        groups: int = 1,
        bias: bool = True,
        padding_mode: str = "zeros",
        device: Any = None,
        dtype: Any = None,
        *,
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__(
            in_channels,
            out_channels,
            kernel_size,
            stride,
            padding,
            dilation,
            groups,
            bias,
            padding_mode,
            device=device,
            dtype=dtype,
            rng=rng,
        )

    def forward(self, x: Tensor) -> Tensor:
        return _conv2d(
            self, x, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups
        )


class Conv1d(_ConvNd):
    """1-d convolution over (N, C_in, L).

    y[n, o, p] = bias[o] + sum_{c, i} weight[o, c, i] * x_pad[n, c, p*s + i*d]

    Arguments as ``Conv2d`` with single ints; weight (out_channels, in_channels / groups, k).
    """

    _dims = 1

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: Any,
        stride: Any = 1,
        padding: Any = 0,
        dilation: Any = 1,
        groups: int = 1,
        bias: bool = True,
        padding_mode: str = "zeros",
        device: Any = None,
        dtype: Any = None,
        *,
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__(
            in_channels,
            out_channels,
            kernel_size,
            stride,
            padding,
            dilation,
            groups,
            bias,
            padding_mode,
            device=device,
            dtype=dtype,
            rng=rng,
        )

    def forward(self, x: Tensor) -> Tensor:
        pad = self.padding if isinstance(self.padding, str) else self.padding[0]
        return _conv1d(
            self, x, self.weight, self.bias, self.stride[0], pad, self.dilation[0], self.groups
        )


class ConvTranspose2d(_ConvNd):
    """2-d transposed convolution, the adjoint of ``Conv2d`` (upsampling by ``stride``).

    Each input pixel x[n, c, p, q] adds x * weight[c, o, i, j] at output position
    (p*s + i*d - padding, q*s + j*d - padding);
    H_out = (H - 1)*stride - 2*padding + dilation*(k - 1) + output_padding + 1.

    Parameters
    ----------
    in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias
        As ``Conv2d`` (padding is an int or a pair here).
    output_padding : int or (int, int), default=0
        Extra size at the end of each output dim; smaller than the stride or the dilation.

    Notes
    -----
    weight (in_channels, out_channels / groups, k_h, k_w), bias (out_channels,).
    """

    _transposed = True

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: Any,
        stride: Any = 1,
        padding: Any = 0,
        output_padding: Any = 0,
        groups: int = 1,
        bias: bool = True,
        dilation: Any = 1,
        padding_mode: str = "zeros",
        device: Any = None,
        dtype: Any = None,
        *,
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__(
            in_channels,
            out_channels,
            kernel_size,
            stride,
            padding,
            dilation,
            groups,
            bias,
            padding_mode,
            output_padding,
            device,
            dtype,
            rng,
        )
        check_output_padding(type(self).__name__, self.output_padding, self.stride, self.dilation)

    def forward(self, x: Tensor, output_size: Any = None) -> Tensor:
        """The transposed convolution; ``output_size`` (N, C, H, W) or (H, W) picks among the
        sizes a stride allows, as PyTorch's."""
        return _conv_transpose2d(
            self,
            x,
            self.weight,
            self.bias,
            self.stride,
            self.padding,
            self.output_padding,
            self.groups,
            self.dilation,
            output_size,
        )


class DepthwiseSeparableConv2d(Module):
    """A depthwise convolution (one k x k filter per input channel) then a 1 x 1 convolution.

    y = pointwise(depthwise(x)); parameters in*m*k*k (+ in*m) + in*m*out (+ out) against
    in*out*k*k (+ out) for a full convolution, m being the depth multiplier (MobileNet).

    Parameters
    ----------
    in_channels, out_channels : int
    kernel_size, stride, padding, dilation : as ``Conv2d`` (they apply to the depthwise part)
    bias : bool, default=True
        For both convolutions.
    depth_multiplier : int, default=1
        Filters per input channel in the depthwise step.
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: Any,
        stride: Any = 1,
        padding: Any = 0,
        dilation: Any = 1,
        bias: bool = True,
        depth_multiplier: int = 1,
        *,
        device: Any = None,
        dtype: Any = None,
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__()
        dtype = factory_dtype("DepthwiseSeparableConv2d", device, dtype)
        check_positive_int("DepthwiseSeparableConv2d", depth_multiplier=depth_multiplier)
        mid = in_channels * depth_multiplier
        self.depthwise = Conv2d(
            in_channels,
            mid,
            kernel_size,
            stride,
            padding,
            dilation,
            groups=in_channels,
            bias=bias,
            device=device,
            dtype=dtype,
            rng=rng,
        )
        self.pointwise = Conv2d(
            mid, out_channels, 1, bias=bias, device=device, dtype=dtype, rng=rng
        )

    def forward(self, x: Tensor) -> Tensor:
        owner = (
            f"{type(self).__name__}({self.depthwise.in_channels}, {self.pointwise.out_channels})"
        )
        check_layout(owner, x.shape, _IMAGES, self.depthwise.in_channels)
        return self.pointwise(self.depthwise(x))


class SpatiallySeparableConv2d(Module):
    """A k x 1 convolution then a 1 x k one: a k x k receptive field for 2k weights per pair.

    y = horizontal(vertical(x)); vertical has kernel (k, 1), stride (s, 1), padding (p, 0);
    horizontal has kernel (1, k), stride (1, s), padding (0, p) (Inception-v3's factorization).

    Parameters
    ----------
    in_channels, out_channels : int
    kernel_size, stride, padding : int (padding may also be "same" or "valid")
    bias : bool, default=True
    mid_channels : int, optional
        Channels between the two steps; out_channels by default.
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int,
        stride: int = 1,
        padding: Any = 0,
        bias: bool = True,
        mid_channels: int | None = None,
        *,
        device: Any = None,
        dtype: Any = None,
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__()
        owner = "SpatiallySeparableConv2d"
        dtype = factory_dtype(owner, device, dtype)
        check_positive_int(owner, kernel_size=kernel_size, stride=stride)
        mid = out_channels if mid_channels is None else mid_channels
        pv, ph = (padding, padding) if isinstance(padding, str) else ((padding, 0), (0, padding))
        self.vertical = Conv2d(
            in_channels,
            mid,
            (kernel_size, 1),
            (stride, 1),
            pv,
            bias=bias,
            device=device,
            dtype=dtype,
            rng=rng,
        )
        self.horizontal = Conv2d(
            mid,
            out_channels,
            (1, kernel_size),
            (1, stride),
            ph,
            bias=bias,
            device=device,
            dtype=dtype,
            rng=rng,
        )

    def forward(self, x: Tensor) -> Tensor:
        owner = (
            f"{type(self).__name__}({self.vertical.in_channels}, {self.horizontal.out_channels})"
        )
        check_layout(owner, x.shape, _IMAGES, self.vertical.in_channels)
        return self.horizontal(self.vertical(x))
