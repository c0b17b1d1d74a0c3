"""The CIFAR-10 ResNets of He et al. 2016 (section 4.2): depth 6n + 2, identity shortcuts."""

from __future__ import annotations

import numpy as np

from lamina.autodiff.tensor import Tensor
from lamina.errors import check_positive_int
from lamina.nn import init
from lamina.nn.activation import ReLU
from lamina.nn.container import Sequential
from lamina.nn.conv import Conv2d
from lamina.nn.linear import Flatten, Linear
from lamina.nn.module import Module
from lamina.nn.norm import BatchNorm2d
from lamina.nn.pool import AdaptiveAvgPool2d
from lamina.ops.shape import pad

__all__ = ["CifarBlock", "CifarResNet", "resnet_cifar"]


class CifarBlock(Module):
    """y = relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)), two 3x3 convolutions.

    Option A shortcut, which adds no parameters: where the block halves the map and doubles
    the channels, shortcut(x) takes every second pixel, x[:, :, ::2, ::2], and pads the new
    channels with zeros (half before, half after); elsewhere shortcut(x) = x.
    """

    def __init__(self, c_in: int, planes: int, stride: int = 1, rng=None) -> None:
        super().__init__()
        self.conv1 = Conv2d(c_in, planes, 3, stride=stride, padding=1, bias=False, rng=rng)
        self.bn1 = BatchNorm2d(planes)
        self.conv2 = Conv2d(planes, planes, 3, padding=1, bias=False, rng=rng)
        self.bn2 = BatchNorm2d(planes)
        self.relu = ReLU(inplace=True)
        self.stride, self.extra = stride, planes - c_in

    def shortcut(self, x: Tensor) -> Tensor:
        if self.stride == 1 and self.extra == 0:
            return x
        x = x[:, :, :: self.stride, :: self.stride]
        half = self.extra // 2
        return pad(x, (0, 0, 0, 0, half, self.extra - half))

    def forward(self, x: Tensor) -> Tensor:
        out = self.relu(self.bn1(self.conv1(x)))
        return self.relu(self.bn2(self.conv2(out)) + self.shortcut(x))


class CifarResNet(Module):
    """3x3 convolution to 16 channels, three stages of n blocks (16, 32, 64 channels; the last
    two start with stride 2), global average pool, one dense layer: 6n + 2 weighted layers.

    What it introduced: residual learning shown on small images, He et al. (2016), section
    4.2: with shortcuts, 20 to 110 plain 3x3 layers train and deeper is better, where the same
    stacks without shortcuts get worse with depth; the option A shortcuts add no parameters.

    Parameters at 10 classes, 3 input channels:
    resnet20 269,722; resnet32 464,154; resnet44 658,586; resnet56 853,018 (the weights;
    batch-norm running statistics not counted).
    """

    def __init__(
        self,
        depth: int = 20,
        num_classes: int = 10,
        in_channels: int = 3,
        *,
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__()
        check_positive_int("resnet_cifar", depth=depth, num_classes=num_classes)
        if (depth - 2) % 6 or depth < 8:
            raise ValueError(f"resnet_cifar: depth must be 6n + 2 (20, 32, 44, 56), got {depth}")
        n = (depth - 2) // 6
        self.conv1 = Conv2d(in_channels, 16, 3, padding=1, bias=False, rng=rng)
        self.bn1 = BatchNorm2d(16)
        self.relu = ReLU(inplace=True)
        c = 16
        stages = []
        for planes, stride in ((16, 1), (32, 2), (64, 2)):
            blocks = [CifarBlock(c, planes, stride, rng)]
            blocks += [CifarBlock(planes, planes, rng=rng) for _ in range(n - 1)]
            stages.append(Sequential(*blocks))
            c = planes
        self.layer1, self.layer2, self.layer3 = stages
        self.avgpool = AdaptiveAvgPool2d((1, 1))
        self.flatten = Flatten()
        self.fc = Linear(64, num_classes, rng=rng)
        for m in self.modules():
            if isinstance(m, Conv2d):
                init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu", rng=rng)

    def forward(self, x: Tensor) -> Tensor:
        x = self.relu(self.bn1(self.conv1(x)))
        x = self.layer3(self.layer2(self.layer1(x)))
        return self.fc(self.flatten(self.avgpool(x)))


def resnet_cifar(
    depth: int = 20, num_classes: int = 10, in_channels: int = 3, *, rng=None
) -> CifarResNet:
    """The CIFAR ResNet of depth 6n + 2 (20, 32, 44, 56, ...); resnet20 has 269,722
    parameters at 10 classes."""
    return CifarResNet(depth, num_classes, in_channels, rng=rng)
