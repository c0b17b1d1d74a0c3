"""Normalization layers (PyTorch's names): batch, layer, instance and group normalization."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from lamina.autodiff.dtypes import factory_dtype
from lamina.autodiff.tensor import Tensor
from lamina.errors import check_nonnegative, check_positive_int
from lamina.nn import init
from lamina.nn.module import Module
from lamina.nn.parameter import Parameter
from lamina.ops.normalization import (
    ANY_CHANNELS,
    Layouts,
    _batch_norm,
    _group_norm,
    _instance_norm,
    _layer_norm,
)

__all__ = ["BatchNorm1d", "BatchNorm2d", "GroupNorm", "InstanceNorm2d", "LayerNorm"]


def _reset_affine(norm: Module) -> None:
    """A normalization's affine parameters to the identity: weight ones, bias zeros."""
    if norm.weight is not None:
        init.ones_(norm.weight)
    if norm.bias is not None:
        init.zeros_(norm.bias)


class _BatchNorm(Module):
    """Batch normalization over channel dim 1 (Ioffe & Szegedy, 2015).

    y = (x - mean) / sqrt(var + eps) * weight + bias, per channel.

    Training mode uses the batch's mean and (biased) variance and moves the running
    statistics: running = (1 - momentum) * running + momentum * batch, with the unbiased
    batch variance (PyTorch's convention, the opposite of Keras's). With momentum=None the
    running statistics are the cumulative average of all batches seen: momentum = 1 / t at
    batch t, counted by the ``num_batches_tracked`` buffer. Evaluation mode uses the running
    statistics, unless ``track_running_stats=False``, which always uses the batch's.

    Parameters
    ----------
    num_features : int
        C, the number of channels.
    eps : float, default=1e-5
    momentum : float or None, default=0.1
    affine : bool, default=True
        Learn weight (ones) and bias (zeros) of shape (C,).
    track_running_stats : bool, default=True
        Keep running_mean (zeros), running_var (ones) and num_batches_tracked buffers.
    device : "cpu", optional
    dtype : float32 or float64, optional
        The default dtype unless given.
    bias : bool, default=True
        With ``affine``, whether to learn the bias (weight only when False).
    """

    _layouts: Layouts = ANY_CHANNELS  # the input shapes the layer takes (see check_layout)

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        device: Any = None,
        dtype: Any = None,
        *,
        bias: bool = True,
    ) -> None:
        super().__init__()
        name = type(self).__name__
        dt = factory_dtype(name, device, dtype)
        check_positive_int(name, num_features=num_features)
        check_nonnegative(name, eps=eps)
        if momentum is not None:
            check_nonnegative(name, momentum=momentum)
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats = bool(affine), bool(track_running_stats)
        self.weight = Parameter(np.ones(num_features, dt)) if affine else None
        self.bias = Parameter(np.zeros(num_features, dt)) if affine and bias else None
        if track_running_stats:
            self.register_buffer("running_mean", Tensor(np.zeros(num_features, dt)))
            self.register_buffer("running_var", Tensor(np.ones(num_features, dt)))
            self.register_buffer("num_batches_tracked", Tensor(np.array(0, np.int64)))
        else:
            for buffer in ("running_mean", "running_var", "num_batches_tracked"):
                self.register_buffer(buffer, None)

    def reset_running_stats(self) -> None:
        """Running mean 0, running variance 1, no batches seen."""
        if self.track_running_stats:
            self.running_mean.data[...] = 0
            self.running_var.data[...] = 1
            self.num_batches_tracked.data[...] = 0

    def reset_parameters(self) -> None:
        """Reset the running statistics, weight to ones and bias to zeros."""
        self.reset_running_stats()
        _reset_affine(self)

    def forward(self, x: Tensor) -> Tensor:
        momentum = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats:
            self.num_batches_tracked.data += 1
            if self.momentum is None:  # cumulative moving average
                momentum = 1.0 / float(self.num_batches_tracked.data)
        use_batch = self.training or not self.track_running_stats
        keep = not self.training or self.track_running_stats
        return _batch_norm(
            self,
            x,
            self.running_mean if keep else None,
            self.running_var if keep else None,
            self.weight,
            self.bias,
            use_batch,
            momentum,
            self.eps,
            self.num_features,
            self._layouts,
        )

    def extra_repr(self) -> str:
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
            f"affine={self.affine}, track_running_stats={self.track_running_stats}"
        )


class BatchNorm2d(_BatchNorm):
    __doc__ = (_BatchNorm.__doc__ or "") + "\n    Input (N, C, H, W); statistics over N, H, W.\n"

    _layouts = (("N", "C", "H", "W"),)


class BatchNorm1d(_BatchNorm):
    __doc__ = (
        _BatchNorm.__doc__ or ""
    ) + "\n    Input (N, C) or (N, C, L); statistics over N (and L).\n"

    _layouts = (("N", "C"), ("N", "C", "L"))


class LayerNorm(Module):
    """Layer normalization (Ba et al., 2016) over the last dims of each sample.

    y = (x - mean) / sqrt(var + eps) * weight + bias, with mean and the biased var over the
    trailing ``normalized_shape`` dims; the same in training and evaluation.

    Parameters
    ----------
    normalized_shape : int or sequence of int
    eps : float, default=1e-5
    elementwise_affine : bool, default=True
        Learn weight (ones) and bias (zeros) of shape ``normalized_shape``.
    bias : bool, default=True
        With ``elementwise_affine``, whether to learn the bias.
    device : "cpu", optional
    dtype : float32 or float64, optional
        The default dtype unless given.
    """

    def __init__(
        self,
        normalized_shape: int | Sequence[int],
        eps: float = 1e-5,
        elementwise_affine: bool = True,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        dt = factory_dtype("LayerNorm", device, dtype)
        shape = (
            (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
        )
        check_positive_int(
            "LayerNorm", **{f"normalized_shape[{i}]": n for i, n in enumerate(shape)}
        )
        if not shape:
            raise ValueError("LayerNorm: normalized_shape must name at least one dim")
        check_nonnegative("LayerNorm", eps=eps)
        self.normalized_shape, self.eps = shape, eps
        self.elementwise_affine = bool(elementwise_affine)
        self.weight = Parameter(np.ones(shape, dt)) if elementwise_affine else None
        self.bias = Parameter(np.zeros(shape, dt)) if elementwise_affine and bias else None

    def reset_parameters(self) -> None:
        """Weight to ones, bias to zeros."""
        _reset_affine(self)

    def forward(self, x: Tensor) -> Tensor:
        return _layer_norm(self, x, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (
            f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}"
        )


class InstanceNorm2d(_BatchNorm):
    """Instance normalization (Ulyanov et al., 2016): each channel of each sample on its own.

    y = (x - mean_nc) / sqrt(var_nc + eps) * weight + bias, with mean_nc and the biased var_nc
    over H and W. With ``track_running_stats`` training moves running_mean and running_var
    (the batch average of the instances' statistics, unbiased var) by ``momentum``, and
    evaluation normalizes with them; by default every mode uses the instance's statistics.
    The parameters and buffers are batch norm's (so is their reset); only the statistics differ.

    Parameters
    ----------
    num_features : int
        C, the number of channels.
    eps : float, default=1e-5
    momentum : float or None, default=0.1
    affine : bool, default=False
        Learn weight (ones) and bias (zeros) of shape (C,).
    track_running_stats : bool, default=False
    device : "cpu", optional
    dtype : float32 or float64, optional
        The default dtype unless given.
    bias : bool, default=True
        With ``affine``, whether to learn the bias.
    """

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = False,
        track_running_stats: bool = False,
        device: Any = None,
        dtype: Any = None,
        *,
        bias: bool = True,
    ) -> None:
        super().__init__(
            num_features, eps, momentum, affine, track_running_stats, device, dtype, bias=bias
        )

    _layouts = (("N", "C", "H", "W"), ("C", "H", "W"))

    def forward(self, x: Tensor) -> Tensor:
        # PyTorch only warns about a channel mismatch when there is no per-channel state
        state = self.affine or self.track_running_stats
        return _instance_norm(
            self,
            x,
            self.running_mean,
            self.running_var,
            self.weight,
            self.bias,
            self.training or not self.track_running_stats,
            0.0 if self.momentum is None else self.momentum,  # PyTorch's reading of None
            self.eps,
            self.num_features if state else None,
            self._layouts,
        )


class GroupNorm(Module):
    """Group normalization (Wu & He, 2018): channels in groups, each sample on its own.

    y = (x - mean_g) / sqrt(var_g + eps) * weight + bias, with mean_g and the biased var_g
    over each group of C / G channels and all positions; the same in training and evaluation
    (no running statistics), so it works with any batch size.

    Parameters
    ----------
    num_groups : int
        G; must divide num_channels.
    num_channels : int
        C.
    eps : float, default=1e-5
    affine : bool, default=True
        Learn weight (ones) and bias (zeros) of shape (C,).
    device : "cpu", optional
    dtype : float32 or float64, optional
        The default dtype unless given.
    bias : bool, default=True
        With ``affine``, whether to learn the bias.
    """

    def __init__(
        self,
        num_groups: int,
        num_channels: int,
        eps: float = 1e-5,
        affine: bool = True,
        device: Any = None,
        dtype: Any = None,
        *,
        bias: bool = True,
    ) -> None:
        super().__init__()
        dt = factory_dtype("GroupNorm", device, dtype)
        check_positive_int("GroupNorm", num_groups=num_groups, num_channels=num_channels)
        if num_channels % num_groups:
            raise ValueError(
                f"GroupNorm: num_channels must be divisible by num_groups, got {num_channels} "
                f"channels and {num_groups} groups"
            )
        check_nonnegative("GroupNorm", eps=eps)
        self.num_groups, self.num_channels, self.eps = num_groups, num_channels, eps
        self.affine = bool(affine)
        self.weight = Parameter(np.ones(num_channels, dt)) if affine else None
        self.bias = Parameter(np.zeros(num_channels, dt)) if affine and bias else None

    def reset_parameters(self) -> None:
        """Weight to ones, bias to zeros."""
        _reset_affine(self)

    def forward(self, x: Tensor) -> Tensor:
        return _group_norm(
            self, x, self.num_groups, self.weight, self.bias, self.eps, self.num_channels
        )

    def extra_repr(self) -> str:
        return f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}"
