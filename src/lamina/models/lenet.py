"""LeNet-5 (LeCun et al., 1998), in the form most courses teach today."""

from __future__ import annotations

import numpy as np

from lamina.autodiff.tensor import Tensor
from lamina.nn.activation import ReLU, Tanh
from lamina.nn.container import Sequential
from lamina.nn.conv import Conv2d
from lamina.nn.linear import Flatten, Linear
from lamina.nn.module import Module
from lamina.nn.pool import AvgPool2d, MaxPool2d

__all__ = ["LeNet5"]


class LeNet5(Module):
    """conv 6@5x5 (pad 2) -> pool 2 -> conv 16@5x5 -> pool 2 -> fc 400-120-84-classes.

    On 1x28x28 inputs (MNIST) the first convolution pads by 2, as if the image were the
    original paper's 32x32. ``classic=True`` uses tanh and average pooling like the paper;
    the default uses ReLU and max pooling. 61,706 parameters for 10 classes:
    (6*1*25 + 6) + (16*6*25 + 16) + (400*120 + 120) + (120*84 + 84) + (84*10 + 10).
    """

    def __init__(
        self,
        num_classes: int = 10,
        in_channels: int = 1,
        classic: bool = False,
        *,
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__()
        act, pool = (Tanh, AvgPool2d) if classic else (ReLU, MaxPool2d)
        self.features = Sequential(
            Conv2d(in_channels, 6, 5, padding=2, rng=rng),
            act(),
            pool(2),
            Conv2d(6, 16, 5, rng=rng),
            act(),
            pool(2),
        )
        self.classifier = Sequential(
            Flatten(),
            Linear(400, 120, rng=rng),
            act(),
            Linear(120, 84, rng=rng),
            act(),
            Linear(84, num_classes, rng=rng),
        )

    def forward(self, x: Tensor) -> Tensor:
        return self.classifier(self.features(x))
