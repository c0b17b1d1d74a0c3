"""GoogLeNet / Inception v1 (Szegedy et al., 2014), with batch norm as torchvision builds it."""

from __future__ import annotations

import numpy as np

from lamina.autodiff.tensor import Tensor
from lamina.nn import init
from lamina.nn.container import Sequential
from lamina.nn.conv import Conv2d
from lamina.nn.dropout import Dropout
from lamina.nn.linear import Flatten, Linear
from lamina.nn.module import Module
from lamina.nn.norm import BatchNorm2d
from lamina.nn.pool import AdaptiveAvgPool2d, MaxPool2d
from lamina.ops.activation import relu
from lamina.ops.shape import cat

__all__ = ["BasicConv2d", "GoogLeNet", "Inception", "InceptionAux", "googlenet"]


class BasicConv2d(Module):
    """y = relu(bn(conv(x))): a convolution without bias, batch norm (eps 0.001), ReLU."""

    def __init__(self, c_in: int, c_out: int, kernel_size: int, rng=None, **kwargs) -> None:
        super().__init__()
        self.conv = Conv2d(c_in, c_out, kernel_size, bias=False, rng=rng, **kwargs)
        self.bn = BatchNorm2d(c_out, eps=0.001)

    def forward(self, x: Tensor) -> Tensor:
        return relu(self.bn(self.conv(x)))


class Inception(Module):
    """Four parallel branches concatenated along the channels:
    1x1 | 1x1 -> 3x3 | 1x1 -> 3x3 | 3x3 max pool -> 1x1.

    The 1x1 convolutions reduce the channels before the costly 3x3 ones (the paper's third
    branch is 5x5; torchvision, and so lamina, uses 3x3 there). Output channels
    ch1x1 + ch3x3 + ch5x5 + pool_proj.
    """

    def __init__(
        self,
        c_in: int,
        ch1x1: int,
        ch3x3red: int,
        ch3x3: int,
        ch5x5red: int,
        ch5x5: int,
        pool_proj: int,
        rng=None,
    ) -> None:
        super().__init__()
        self.branch1 = BasicConv2d(c_in, ch1x1, 1, rng)
        self.branch2 = Sequential(
            BasicConv2d(c_in, ch3x3red, 1, rng), BasicConv2d(ch3x3red, ch3x3, 3, rng, padding=1)
        )
        self.branch3 = Sequential(
            BasicConv2d(c_in, ch5x5red, 1, rng), BasicConv2d(ch5x5red, ch5x5, 3, rng, padding=1)
        )
        self.branch4 = Sequential(
            MaxPool2d(3, stride=1, padding=1, ceil_mode=True), BasicConv2d(c_in, pool_proj, 1, rng)
        )

    def forward(self, x: Tensor) -> Tensor:
        branches = (self.branch1, self.branch2, self.branch3, self.branch4)
        return cat([b(x) for b in branches], 1)


class InceptionAux(Module):
    """The auxiliary classifier: 4x4 average pool, 1x1 conv to 128, dense 2048-1024-classes."""

    def __init__(self, c_in: int, num_classes: int, dropout: float = 0.7, rng=None) -> None:
        super().__init__()
        self.conv = BasicConv2d(c_in, 128, 1, rng)
        self.fc1 = Linear(2048, 1024, rng=rng)
        self.fc2 = Linear(1024, num_classes, rng=rng)
        self.dropout = Dropout(dropout, rng=rng)
        self.pool, self.flatten = AdaptiveAvgPool2d((4, 4)), Flatten()

    def forward(self, x: Tensor) -> Tensor:
        x = self.flatten(self.conv(self.pool(x)))
        return self.fc2(self.dropout(relu(self.fc1(x))))


_BLOCKS = {  # name: (ch1x1, ch3x3red, ch3x3, ch5x5red, ch5x5, pool_proj)
    "inception3a": (64, 96, 128, 16, 32, 32),
    "inception3b": (128, 128, 192, 32, 96, 64),
    "inception4a": (192, 96, 208, 16, 48, 64),
    "inception4b": (160, 112, 224, 24, 64, 64),
    "inception4c": (128, 128, 256, 24, 64, 64),
    "inception4d": (112, 144, 288, 32, 64, 64),
    "inception4e": (256, 160, 320, 32, 128, 128),
    "inception5a": (256, 160, 320, 32, 128, 128),
    "inception5b": (384, 192, 384, 48, 128, 128),
}


class GoogLeNet(Module):
    """Stem (7x7/2 conv, pool, 1x1 and 3x3 convs, pool), nine Inception blocks with max pools
    after 3b and 4e, global average pool, dropout 0.2, one dense layer.

    What it introduced: width instead of depth alone. Each Inception block runs 1x1, 3x3 and
    "5x5" convolutions and a pool side by side, with 1x1 reductions in front of the large
    filters keeping the cost down; no big dense layers at the end. Same ``state_dict`` keys as
    torchvision's ``GoogLeNet`` (``conv1.conv``, ``conv1.bn``, ``inception3a.branch2.1.conv``,
    ..., ``fc``; ``aux1``/``aux2`` only with ``aux_logits=True``). With ``aux_logits`` a
    training-mode call returns (logits, aux2, aux1) as torchvision's GoogLeNetOutputs; in
    evaluation mode the logits alone. Max pools round up (``ceil_mode``), so inputs from 32x32
    pass. Initialized as torchvision: N(0, 0.01) truncated at +-2 on convolution and dense
    weights (the truncation never bites at that scale), batch norm 1 and 0.

    Parameters at 1,000 classes, 3 input channels: 6,624,904 (13,004,888 with aux_logits).
    """

    def __init__(
        self,
        num_classes: int = 1000,
        in_channels: int = 3,
        aux_logits: bool = False,
        dropout: float = 0.2,
        dropout_aux: float = 0.7,
        *,
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__()
        self.aux_logits = bool(aux_logits)
        self.conv1 = BasicConv2d(in_channels, 64, 7, rng, stride=2, padding=3)
        self.maxpool1 = MaxPool2d(3, stride=2, ceil_mode=True)
        self.conv2 = BasicConv2d(64, 64, 1, rng)
        self.conv3 = BasicConv2d(64, 192, 3, rng, padding=1)
        self.maxpool2 = MaxPool2d(3, stride=2, ceil_mode=True)
        c = 192
        for name, sizes in _BLOCKS.items():
            setattr(self, name, Inception(c, *sizes, rng=rng))
            c = sizes[0] + sizes[2] + sizes[4] + sizes[5]
            if name == "inception3b":
                self.maxpool3 = MaxPool2d(3, stride=2, ceil_mode=True)
            elif name == "inception4e":
                self.maxpool4 = MaxPool2d(2, stride=2, ceil_mode=True)
        self.aux1 = InceptionAux(512, num_classes, dropout_aux, rng) if aux_logits else None
        self.aux2 = InceptionAux(528, num_classes, dropout_aux, rng) if aux_logits else None
        self.avgpool = AdaptiveAvgPool2d((1, 1))
        self.dropout = Dropout(dropout, rng=rng)
        self.fc = Linear(1024, num_classes, rng=rng)
        self.flatten = Flatten()
        for m in self.modules():
            if isinstance(m, (Conv2d, Linear)):
                init.normal_(m.weight, 0.0, 0.01, rng)
                m.weight.data[...] = np.clip(m.weight.data, -2.0, 2.0)
                if m.bias is not None:
                    init.zeros_(m.bias)

    def forward(self, x: Tensor) -> Tensor | tuple[Tensor, Tensor, Tensor]:
        x = self.maxpool2(self.conv3(self.conv2(self.maxpool1(self.conv1(x)))))
        x = self.maxpool3(self.inception3b(self.inception3a(x)))
        x = self.inception4a(x)
        aux1 = self.aux1(x) if self.aux1 is not None and self.training else None
        x = self.inception4d(self.inception4c(self.inception4b(x)))
        aux2 = self.aux2(x) if self.aux2 is not None and self.training else None
        x = self.maxpool4(self.inception4e(x))
        x = self.inception5b(self.inception5a(x))
        x = self.fc(self.dropout(self.flatten(self.avgpool(x))))
        return (x, aux2, aux1) if aux1 is not None and aux2 is not None else x


def googlenet(
    num_classes: int = 1000, in_channels: int = 3, aux_logits: bool = False, *, rng=None
) -> GoogLeNet:
    """GoogLeNet as torchvision's ``googlenet(aux_logits=False, init_weights=True)``:
    6,624,904 parameters at 1,000 classes."""
    return GoogLeNet(num_classes, in_channels, aux_logits, rng=rng)
