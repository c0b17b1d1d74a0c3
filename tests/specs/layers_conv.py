"""Layer records: the conv family (convolutions, pooling, normalization)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch

from lamina.nn.conv import (
    Conv1d,
    Conv2d,
    ConvTranspose2d,
    DepthwiseSeparableConv2d,
    SpatiallySeparableConv2d,
)
from lamina.nn.norm import BatchNorm1d, BatchNorm2d, LayerNorm
from lamina.nn.pool import (
    AdaptiveAvgPool1d,
    AdaptiveAvgPool2d,
    AvgPool1d,
    AvgPool2d,
    GlobalAvgPool2d,
    L2Pool1d,
    L2Pool2d,
    LPPool1d,
    LPPool2d,
    MaxPool1d,
    MaxPool2d,
)
from specs.layers import Arrays, LayerSpec, randn

tnn = torch.nn


def positive(*shape: int) -> Callable[[np.random.Generator], Arrays]:
    """Inputs away from 0, where x**(1/p) has an infinite slope."""
    return lambda rng: (np.abs(rng.standard_normal(shape)) + 0.2,)


class TorchDepthwiseSeparable(tnn.Module):
    """PyTorch twin of DepthwiseSeparableConv2d: same submodule names and shapes."""

    def __init__(self, cin: int, cout: int, k: int, padding: int, multiplier: int) -> None:
        super().__init__()
        mid = cin * multiplier
        self.depthwise = tnn.Conv2d(cin, mid, k, padding=padding, groups=cin)
        self.pointwise = tnn.Conv2d(mid, cout, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.pointwise(self.depthwise(x))


class TorchSpatiallySeparable(tnn.Module):
    """PyTorch twin of SpatiallySeparableConv2d: k x 1 then 1 x k."""

    def __init__(self, cin: int, cout: int, k: int, stride: int, padding: int) -> None:
        super().__init__()
        self.vertical = tnn.Conv2d(cin, cout, (k, 1), (stride, 1), (padding, 0))
        self.horizontal = tnn.Conv2d(cout, cout, (1, k), (1, stride), (0, padding))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.horizontal(self.vertical(x))


class TorchL2Pool(tnn.Module):
    """The course's L2 pooling in PyTorch: LPPool with p = 2, divided by the window size."""

    def __init__(self, kernel_size: int, stride: int, dims: int) -> None:
        super().__init__()
        pool = tnn.LPPool2d if dims == 2 else tnn.LPPool1d
        self.pool, self.size = pool(2, kernel_size, stride), kernel_size**dims

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.pool(x) / self.size


def same(name: str, lamina: Callable, torch_: Callable, inputs, bad=None, **kw) -> LayerSpec:  # type: ignore[no-untyped-def]
    return LayerSpec(name, lamina, torch_, inputs, bad, **kw)


CONV = [
    same(
        "Conv2d",
        lambda: Conv2d(3, 4, 3),
        lambda: tnn.Conv2d(3, 4, 3),
        randn(2, 3, 6, 6),
        randn(8, 1, 6, 6),
    ),
    same(
        "Conv2d_strided_dilated_grouped",
        lambda: Conv2d(4, 6, (3, 2), stride=(2, 1), padding=(1, 2), dilation=(1, 2), groups=2),
        lambda: tnn.Conv2d(4, 6, (3, 2), stride=(2, 1), padding=(1, 2), dilation=(1, 2), groups=2),
        randn(2, 4, 7, 6),
        randn(2, 6, 7, 6),
    ),
    same(
        "Conv2d_same_even_kernel_nobias",
        lambda: Conv2d(3, 4, 4, padding="same", bias=False),
        lambda: tnn.Conv2d(3, 4, 4, padding="same", bias=False),
        randn(2, 3, 5, 6),
        randn(2, 3, 5),
    ),
    same(
        "Conv2d_valid_unbatched",
        lambda: Conv2d(2, 3, 2, padding="valid"),
        lambda: tnn.Conv2d(2, 3, 2, padding="valid"),
        randn(2, 4, 5),
    ),
    same(
        "Conv2d_depthwise",
        lambda: Conv2d(4, 8, 3, padding=1, groups=4),
        lambda: tnn.Conv2d(4, 8, 3, padding=1, groups=4),
        randn(2, 4, 5, 5),
        randn(2, 8, 5, 5),
    ),
    same(
        "Conv1d",
        lambda: Conv1d(3, 5, 3, stride=2, padding=1),
        lambda: tnn.Conv1d(3, 5, 3, stride=2, padding=1),
        randn(2, 3, 9),
        randn(2, 3, 4, 4),
    ),
    same(
        "Conv1d_same_dilated_grouped",
        lambda: Conv1d(4, 4, 4, padding="same", dilation=2, groups=2),
        lambda: tnn.Conv1d(4, 4, 4, padding="same", dilation=2, groups=2),
        randn(2, 4, 9),
    ),
    same(
        "ConvTranspose2d",
        lambda: ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1, groups=2),
        lambda: tnn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1, groups=2),
        randn(2, 4, 4, 5),
        randn(2, 6, 4, 5),
    ),
    same(
        "ConvTranspose2d_dilated_nobias",
        lambda: ConvTranspose2d(
            3, 2, (2, 3), stride=(1, 2), dilation=2, output_padding=(1, 0), bias=False
        ),
        lambda: tnn.ConvTranspose2d(
            3, 2, (2, 3), stride=(1, 2), dilation=2, output_padding=(1, 0), bias=False
        ),
        randn(2, 3, 4, 3),
    ),
    same(
        "DepthwiseSeparableConv2d",
        lambda: DepthwiseSeparableConv2d(3, 5, 3, padding=1, depth_multiplier=2),
        lambda: TorchDepthwiseSeparable(3, 5, 3, 1, 2),
        randn(2, 3, 6, 6),
        randn(2, 4, 6, 6),
    ),
    same(
        "SpatiallySeparableConv2d",
        lambda: SpatiallySeparableConv2d(3, 5, 3, stride=2, padding=1),
        lambda: TorchSpatiallySeparable(3, 5, 3, 2, 1),
        randn(2, 3, 7, 6),
        randn(2, 2, 7, 6),
    ),
]

POOL = [
    same(
        "MaxPool2d",
        lambda: MaxPool2d(2),
        lambda: tnn.MaxPool2d(2),
        randn(2, 3, 6, 7),
        randn(2, 3, 1, 5),
    ),
    same(
        "MaxPool2d_padded_ceil_dilated",
        lambda: MaxPool2d(3, 2, 1, dilation=(1, 2), ceil_mode=True),
        lambda: tnn.MaxPool2d(3, 2, 1, dilation=(1, 2), ceil_mode=True),
        randn(2, 3, 8, 9),
    ),
    same(
        "MaxPool2d_indices",
        lambda: MaxPool2d(3, 2, 1, return_indices=True),
        lambda: tnn.MaxPool2d(3, 2, 1, return_indices=True),
        randn(2, 2, 7, 7),
    ),
    same(
        "MaxPool1d",
        lambda: MaxPool1d(3, 2, 1, ceil_mode=True),
        lambda: tnn.MaxPool1d(3, 2, 1, ceil_mode=True),
        randn(2, 3, 10),
        randn(
            3,
        ),
    ),
    same(
        "AvgPool2d",
        lambda: AvgPool2d(2),
        lambda: tnn.AvgPool2d(2),
        randn(2, 3, 6, 7),
        randn(2, 3, 1, 1),
    ),
    same(
        "AvgPool2d_padded_ceil_exclude_pad",
        lambda: AvgPool2d(3, 2, 1, ceil_mode=True, count_include_pad=False),
        lambda: tnn.AvgPool2d(3, 2, 1, ceil_mode=True, count_include_pad=False),
        randn(2, 3, 8, 9),
    ),
    same(
        "AvgPool2d_padded_ceil_divisor",
        lambda: AvgPool2d((3, 2), (2, 3), (1, 1), ceil_mode=True, divisor_override=4),
        lambda: tnn.AvgPool2d((3, 2), (2, 3), (1, 1), ceil_mode=True, divisor_override=4),
        randn(2, 3, 8, 9),
    ),
    same(
        "AvgPool1d",
        lambda: AvgPool1d(3, 2, 1),
        lambda: tnn.AvgPool1d(3, 2, 1),
        randn(2, 3, 9),
        randn(2, 3, 1, 1, 1),
    ),
    same(
        "LPPool2d",
        lambda: LPPool2d(2, 3, 2, ceil_mode=True),
        lambda: tnn.LPPool2d(2, 3, 2, ceil_mode=True),
        positive(2, 3, 8, 7),
        randn(3, 8),
    ),
    same("LPPool1d", lambda: LPPool1d(3, 2), lambda: tnn.LPPool1d(3, 2), positive(2, 3, 8)),
    same(
        "L2Pool2d_course",
        lambda: L2Pool2d(2),
        lambda: TorchL2Pool(2, 2, 2),
        positive(2, 3, 6, 6),
        randn(6, 6),
    ),
    same(
        "L2Pool1d_course", lambda: L2Pool1d(3, 2), lambda: TorchL2Pool(3, 2, 1), positive(2, 3, 9)
    ),
    same(
        "AdaptiveAvgPool2d",
        lambda: AdaptiveAvgPool2d((3, 5)),
        lambda: tnn.AdaptiveAvgPool2d((3, 5)),
        randn(2, 3, 7, 8),
        randn(3, 7),
    ),
    same(
        "AdaptiveAvgPool2d_global_keep_width",
        lambda: AdaptiveAvgPool2d((1, None)),
        lambda: tnn.AdaptiveAvgPool2d((1, None)),
        randn(2, 3, 5, 4),
    ),
    same(
        "AdaptiveAvgPool1d",
        lambda: AdaptiveAvgPool1d(4),
        lambda: tnn.AdaptiveAvgPool1d(4),
        randn(2, 3, 10),
    ),
    same(
        "GlobalAvgPool2d",
        GlobalAvgPool2d,
        lambda: tnn.Sequential(tnn.AdaptiveAvgPool2d(1), tnn.Flatten()),
        randn(2, 3, 5, 4),
        randn(2, 3, 5),
    ),
]

NORM = [
    same(
        "BatchNorm2d",
        lambda: BatchNorm2d(3),
        lambda: tnn.BatchNorm2d(3),
        randn(4, 3, 5, 5),
        randn(4, 2, 5, 5),
    ),
    same(
        "BatchNorm2d_cumulative_momentum",
        lambda: BatchNorm2d(3, momentum=None),
        lambda: tnn.BatchNorm2d(3, momentum=None),
        randn(4, 3, 2, 3),
    ),
    same(
        "BatchNorm2d_no_affine",
        lambda: BatchNorm2d(3, affine=False, eps=1e-3),
        lambda: tnn.BatchNorm2d(3, affine=False, eps=1e-3),
        randn(4, 3, 2, 3),
    ),
    same(
        "BatchNorm2d_batch_stats_only",
        lambda: BatchNorm2d(3, track_running_stats=False),
        lambda: tnn.BatchNorm2d(3, track_running_stats=False),
        randn(4, 3, 2, 3),
    ),
    same(
        "BatchNorm1d",
        lambda: BatchNorm1d(4, momentum=0.3),
        lambda: tnn.BatchNorm1d(4, momentum=0.3),
        randn(6, 4),
        randn(6, 5),
    ),
    same(
        "BatchNorm1d_sequence",
        lambda: BatchNorm1d(3),
        lambda: tnn.BatchNorm1d(3),
        randn(4, 3, 6),
        randn(4, 3, 6, 2),
    ),
    same("LayerNorm", lambda: LayerNorm(6), lambda: tnn.LayerNorm(6), randn(3, 4, 6), randn(3, 5)),
    same(
        "LayerNorm_2d_no_affine",
        lambda: LayerNorm((3, 4), elementwise_affine=False),
        lambda: tnn.LayerNorm((3, 4), elementwise_affine=False),
        randn(2, 3, 4),
    ),
    same(
        "LayerNorm_no_bias",
        lambda: LayerNorm(5, eps=1e-3, bias=False),
        lambda: tnn.LayerNorm(5, eps=1e-3, bias=False),
        randn(4, 5),
    ),
]

LAYERS: list[LayerSpec] = CONV + POOL + NORM
