"""VGG (Simonyan and Zisserman, 2014): configurations A, B, D, E, with or without batch norm."""

from __future__ import annotations

import numpy as np

from lamina.autodiff.tensor import Tensor
from lamina.nn import init
from lamina.nn.activation import ReLU
from lamina.nn.container import Sequential
from lamina.nn.conv import Conv2d
from lamina.nn.dropout import Dropout
from lamina.nn.linear import Flatten, Linear
from lamina.nn.module import Module
from lamina.nn.norm import BatchNorm2d
from lamina.nn.pool import AdaptiveAvgPool2d, MaxPool2d

__all__ = [
    "VGG",
    "vgg11",
    "vgg11_bn",
    "vgg13",
    "vgg13_bn",
    "vgg16",
    "vgg16_bn",
    "vgg19",
    "vgg19_bn",
]

M = "M"  # a 2x2 max pool, stride 2
CONFIGS: dict[str, list] = {
    "A": [64, M, 128, M, 256, 256, M, 512, 512, M, 512, 512, M],  # VGG-11
    "B": [64, 64, M, 128, 128, M, 256, 256, M, 512, 512, M, 512, 512, M],  # VGG-13
    "D": [64, 64, M, 128, 128, M, 256, 256, 256, M, 512, 512, 512, M, 512, 512, 512, M],
    "E": [
        64,
        64,
        M,
        128,
        128,
        M,
        256,
        256,
        256,
        256,
        M,
        512,
        512,
        512,
        512,
        M,
        512,
        512,
        512,
        512,
        M,
    ],  # VGG-19
}


def make_features(
    config: list, in_channels: int, batch_norm: bool, rng: np.random.Generator | None
) -> Sequential:
    """3x3 convolutions (padding 1, then BatchNorm2d if asked, then ReLU) and 2x2 max pools."""
    layers: list[Module] = []
    c = in_channels
    for v in config:
        if v == M:
            layers.append(MaxPool2d(2, 2))
            continue
        layers.append(Conv2d(c, v, 3, padding=1, rng=rng))
        layers += [BatchNorm2d(v), ReLU(inplace=True)] if batch_norm else [ReLU(inplace=True)]
        c = v
    return Sequential(*layers)


class VGG(Module):
    """Stacks of 3x3 convolutions between max pools, then three dense layers.

    What it introduced: depth from small filters alone. Two stacked 3x3 convolutions see a
    5x5 field and three see 7x7, with fewer parameters (3 * 9 C^2 against 49 C^2) and more
    non-linearities than one large filter. Same ``state_dict`` keys as torchvision's ``VGG``
    (``features.<i>``, ``classifier.{0,3,6}``); an adaptive average pool to 7x7 lets any input
    of at least 32x32 through. Initialized as torchvision: kaiming_normal_(fan_out, relu) on
    convolutions, N(0, 0.01) on dense weights, zero biases, batch-norm weights 1.

    Parameters at 1,000 classes, 3 input channels: vgg11 132,863,336; vgg13 133,047,848;
    vgg16 138,357,544; vgg19 143,667,240; with batch norm (2 more per convolution channel)
    vgg11_bn 132,868,840; vgg13_bn 133,053,736; vgg16_bn 138,365,992; vgg19_bn 143,678,248.
    """

    def __init__(
        self,
        features: Sequential,
        num_classes: int = 1000,
        dropout: float = 0.5,
        *,
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__()
        self.features = features
        self.avgpool = AdaptiveAvgPool2d((7, 7))
        self.classifier = Sequential(
            Linear(512 * 7 * 7, 4096, rng=rng),
            ReLU(inplace=True),
            Dropout(dropout, rng=rng),
            Linear(4096, 4096, rng=rng),
            ReLU(inplace=True),
            Dropout(dropout, rng=rng),
            Linear(4096, num_classes, rng=rng),
        )
        self.flatten = Flatten()
        for m in self.modules():
            if isinstance(m, Conv2d):
                init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu", rng=rng)
                if m.bias is not None:
                    init.zeros_(m.bias)
            elif isinstance(m, Linear):
                init.normal_(m.weight, 0.0, 0.01, rng)
                if m.bias is not None:
                    init.zeros_(m.bias)

    def forward(self, x: Tensor) -> Tensor:
        return self.classifier(self.flatten(self.avgpool(self.features(x))))


def _vgg(config: str, batch_norm: bool, num_classes: int, in_channels: int, rng) -> VGG:
    return VGG(make_features(CONFIGS[config], in_channels, batch_norm, rng), num_classes, rng=rng)


def vgg11(num_classes: int = 1000, in_channels: int = 3, *, rng=None) -> VGG:
    """VGG-11 (configuration A): 8 convolutions, 3 dense; 132,863,336 parameters."""
    return _vgg("A", False, num_classes, in_channels, rng)


def vgg11_bn(num_classes: int = 1000, in_channels: int = 3, *, rng=None) -> VGG:
    """VGG-11 with batch norm after every convolution; 132,868,840 parameters."""
    return _vgg("A", True, num_classes, in_channels, rng)


def vgg13(num_classes: int = 1000, in_channels: int = 3, *, rng=None) -> VGG:
    """VGG-13 (configuration B): 10 convolutions, 3 dense; 133,047,848 parameters."""
    return _vgg("B", False, num_classes, in_channels, rng)


def vgg13_bn(num_classes: int = 1000, in_channels: int = 3, *, rng=None) -> VGG:
    """VGG-13 with batch norm after every convolution; 133,053,736 parameters."""
    return _vgg("B", True, num_classes, in_channels, rng)


def vgg16(num_classes: int = 1000, in_channels: int = 3, *, rng=None) -> VGG:
    """VGG-16 (configuration D): 13 convolutions, 3 dense; 138,357,544 parameters."""
    return _vgg("D", False, num_classes, in_channels, rng)


def vgg16_bn(num_classes: int = 1000, in_channels: int = 3, *, rng=None) -> VGG:
    """VGG-16 with batch norm after every convolution; 138,365,992 parameters."""
    return _vgg("D", True, num_classes, in_channels, rng)


def vgg19(num_classes: int = 1000, in_channels: int = 3, *, rng=None) -> VGG:
    """VGG-19 (configuration E): 16 convolutions, 3 dense; 143,667,240 parameters."""
    return _vgg("E", False, num_classes, in_channels, rng)


def vgg19_bn(num_classes: int = 1000, in_channels: int = 3, *, rng=None) -> VGG:
    """VGG-19 with batch norm after every convolution; 143,678,248 parameters."""
    return _vgg("E", True, num_classes, in_channels, rng)
