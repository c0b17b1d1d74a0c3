"""ResNet (He, Zhang, Ren and Sun, 2015): the ImageNet networks as torchvision builds them."""

from __future__ import annotations

import numpy as np

from lamina.autodiff.tensor import Tensor
from lamina.nn import init
from lamina.nn.activation import ReLU
from lamina.nn.container import Sequential
from lamina.nn.conv import Conv2d
from lamina.nn.linear import Flatten, Linear
from lamina.nn.module import Module
from lamina.nn.norm import BatchNorm2d
from lamina.nn.pool import AdaptiveAvgPool2d, MaxPool2d

__all__ = ["BasicBlock", "Bottleneck", "ResNet", "resnet18", "resnet34", "resnet50"]


def conv3x3(c_in: int, c_out: int, stride: int = 1, rng=None) -> Conv2d:
    """3x3 convolution, padding 1, no bias (a batch norm follows)."""
    return Conv2d(c_in, c_out, 3, stride=stride, padding=1, bias=False, rng=rng)


def conv1x1(c_in: int, c_out: int, stride: int = 1, rng=None) -> Conv2d:
    """1x1 convolution, no bias: a projection of the channels."""
    return Conv2d(c_in, c_out, 1, stride=stride, bias=False, rng=rng)


class BasicBlock(Module):
    """y = relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)), two 3x3 convolutions.

    ``downsample`` (a 1x1 convolution and batch norm, the projection shortcut) maps x to the
    block's shape when the stride or the channel count changes; otherwise shortcut(x) = x.
    """

    expansion = 1

    def __init__(
        self, c_in: int, planes: int, stride: int = 1, downsample: Module | None = None, rng=None
    ) -> None:
        super().__init__()
        self.conv1 = conv3x3(c_in, planes, stride, rng)
        self.bn1 = BatchNorm2d(planes)
        self.relu = ReLU(inplace=True)
        self.conv2 = conv3x3(planes, planes, rng=rng)
        self.bn2 = BatchNorm2d(planes)
        self.downsample = downsample

    def forward(self, x: Tensor) -> Tensor:
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        shortcut = x if self.downsample is None else self.downsample(x)
        return self.relu(out + shortcut)


class Bottleneck(Module):
    """y = relu(bn3(conv3(relu(bn2(conv2(relu(bn1(conv1(x))))))) + shortcut(x)).

    1x1 reduction to ``planes`` channels, 3x3 convolution (carrying the stride, as torchvision
    "ResNet v1.5" does), 1x1 expansion to 4 * planes channels.
    """

    expansion = 4

    def __init__(
        self, c_in: int, planes: int, stride: int = 1, downsample: Module | None = None, rng=None
    ) -> None:
        super().__init__()
        self.conv1 = conv1x1(c_in, planes, rng=rng)
        self.bn1 = BatchNorm2d(planes)
        self.conv2 = conv3x3(planes, planes, stride, rng)
        self.bn2 = BatchNorm2d(planes)
        self.conv3 = conv1x1(planes, planes * 4, rng=rng)
        self.bn3 = BatchNorm2d(planes * 4)
        self.relu = ReLU(inplace=True)
        self.downsample = downsample

    def forward(self, x: Tensor) -> Tensor:
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        shortcut = x if self.downsample is None else self.downsample(x)
        return self.relu(out + shortcut)


class ResNet(Module):
    """7x7 stem, max pool, four stages of residual blocks (64, 128, 256, 512 planes), global
    average pool, one dense layer.

    What it introduced: residual learning. Each block learns F(x) and outputs relu(F(x) + x),
    so a deeper network can always fall back to the identity and gradients reach early layers
    through the shortcuts; projection shortcuts (1x1 convolution, stride 2) where the shape
    changes. Same ``state_dict`` keys as torchvision (``conv1``, ``bn1``, ``layer1.0.conv1``,
    ..., ``layerK.0.downsample.{0,1}``, ``fc``), same initialization (kaiming_normal_ with
    fan_out on convolutions, batch norm 1 and 0). Any input of at least 32x32 passes.

    Parameters at 1,000 classes, 3 input channels: resnet18 11,689,512; resnet34 21,797,672;
    resnet50 25,557,032.
    """

    def __init__(
        self,
        block: type[BasicBlock] | type[Bottleneck],
        layers: list[int],
        num_classes: int = 1000,
        in_channels: int = 3,
        *,
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__()
        self.inplanes = 64
        self.conv1 = Conv2d(in_channels, 64, 7, stride=2, padding=3, bias=False, rng=rng)
        self.bn1 = BatchNorm2d(64)
        self.relu = ReLU(inplace=True)
        self.maxpool = MaxPool2d(3, stride=2, padding=1)
        self.layer1 = self._stage(block, 64, layers[0], 1, rng)
        self.layer2 = self._stage(block, 128, layers[1], 2, rng)
        self.layer3 = self._stage(block, 256, layers[2], 2, rng)
        self.layer4 = self._stage(block, 512, layers[3], 2, rng)
        self.avgpool = AdaptiveAvgPool2d((1, 1))
        self.flatten = Flatten()
        self.fc = Linear(512 * block.expansion, num_classes, rng=rng)
        for m in self.modules():
            if isinstance(m, Conv2d):
                init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu", rng=rng)

    def _stage(self, block, planes: int, blocks: int, stride: int, rng) -> Sequential:
        downsample = None
        if stride != 1 or self.inplanes != planes * block.expansion:
            downsample = Sequential(
                conv1x1(self.inplanes, planes * block.expansion, stride, rng),
                BatchNorm2d(planes * block.expansion),
            )
        layers = [block(self.inplanes, planes, stride, downsample, rng)]
        self.inplanes = planes * block.expansion
        layers += [block(self.inplanes, planes, rng=rng) for _ in range(1, blocks)]
        return Sequential(*layers)

    def forward(self, x: Tensor) -> Tensor:
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(self.flatten(self.avgpool(x)))


def resnet18(num_classes: int = 1000, in_channels: int = 3, *, rng=None) -> ResNet:
    """ResNet-18: basic blocks [2, 2, 2, 2]; 11,689,512 parameters at 1,000 classes."""
    return ResNet(BasicBlock, [2, 2, 2, 2], num_classes, in_channels, rng=rng)


def resnet34(num_classes: int = 1000, in_channels: int = 3, *, rng=None) -> ResNet:
    """ResNet-34: basic blocks [3, 4, 6, 3]; 21,797,672 parameters at 1,000 classes."""
    return ResNet(BasicBlock, [3, 4, 6, 3], num_classes, in_channels, rng=rng)


def resnet50(num_classes: int = 1000, in_channels: int = 3, *, rng=None) -> ResNet:
    """ResNet-50: bottleneck blocks [3, 4, 6, 3]; 25,557,032 parameters at 1,000 classes."""
    return ResNet(Bottleneck, [3, 4, 6, 3], num_classes, in_channels, rng=rng)
