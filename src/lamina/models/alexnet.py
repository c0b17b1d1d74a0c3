"""AlexNet (Krizhevsky, Sutskever and Hinton, 2012), layer for layer as torchvision builds it."""

from __future__ import annotations

import numpy as np

from lamina.autodiff.tensor import Tensor
from lamina.nn.activation import ReLU
from lamina.nn.container import Sequential
from lamina.nn.conv import Conv2d
from lamina.nn.dropout import Dropout
from lamina.nn.linear import Flatten, Linear
from lamina.nn.module import Module
from lamina.nn.pool import AdaptiveAvgPool2d, MaxPool2d

__all__ = ["AlexNet", "alexnet"]


class AlexNet(Module):
    """Five convolutions (11x11 stride 4, 5x5, three 3x3) with max pooling, then three dense layers.

    What it introduced: ReLU instead of saturating units, and dropout in the big dense layers,
    at ImageNet scale (trained on two GPUs). This is torchvision's single-tower variant
    (64-192-384-256-256 channels, no local response normalization), with the same
    ``state_dict`` keys: ``features.{0,3,6,8,10}``, ``classifier.{1,4,6}``. An adaptive
    average pool to 6x6 before the classifier lets any input of at least 63x63 through.

    Parameters: 61,100,840 for 1,000 classes and 3 input channels:
    conv 23,296 + 307,392 + 663,936 + 884,992 + 590,080; dense 256*6*6*4096 + 4096,
    4096*4096 + 4096, 4096*classes + classes.
    """

    def __init__(
        self,
        num_classes: int = 1000,
        in_channels: int = 3,
        dropout: float = 0.5,
        *,
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__()
        self.features = Sequential(
            Conv2d(in_channels, 64, 11, stride=4, padding=2, rng=rng),
            ReLU(inplace=True),
            MaxPool2d(3, 2),
            Conv2d(64, 192, 5, padding=2, rng=rng),
            ReLU(inplace=True),
            MaxPool2d(3, 2),
            Conv2d(192, 384, 3, padding=1, rng=rng),
            ReLU(inplace=True),
            Conv2d(384, 256, 3, padding=1, rng=rng),
            ReLU(inplace=True),
            Conv2d(256, 256, 3, padding=1, rng=rng),
            ReLU(inplace=True),
            MaxPool2d(3, 2),
        )
        self.avgpool = AdaptiveAvgPool2d((6, 6))
        self.classifier = Sequential(
            Dropout(dropout, rng=rng),
            Linear(256 * 6 * 6, 4096, rng=rng),
            ReLU(inplace=True),
            Dropout(dropout, rng=rng),
            Linear(4096, 4096, rng=rng),
            ReLU(inplace=True),
            Linear(4096, num_classes, rng=rng),
        )
        self.flatten = Flatten()

    def forward(self, x: Tensor) -> Tensor:
        return self.classifier(self.flatten(self.avgpool(self.features(x))))


def alexnet(
    num_classes: int = 1000, in_channels: int = 3, *, rng: np.random.Generator | None = None
) -> AlexNet:
    """AlexNet as torchvision's ``alexnet()``: 61,100,840 parameters at 1,000 classes."""
    return AlexNet(num_classes, in_channels, rng=rng)
