"""Benchmark: a small residual network on 3x32x32 inputs in lamina and in PyTorch (CPU, 2 threads).

conv 32@3x3 + BatchNorm + ReLU, two residual blocks (conv-BN-ReLU-conv-BN, add the input,
ReLU), global average pool, fc 32-10; cross-entropy, SGD with momentum 0.9, batch 64,
2,000 random samples per epoch, float32. Prints seconds per epoch (median of 3 after a
warm-up, the frameworks interleaved) and the ratio lamina / PyTorch.
Run: python benchmarks/resblock.py
"""

from __future__ import annotations

import numpy as np
import torch
from _timing import classifier_epochs, compare, setup_torch

import lamina as L
import lamina.nn.functional as F
from lamina import optim
from lamina.nn.conv import Conv2d
from lamina.nn.linear import Linear
from lamina.nn.module import Module
from lamina.nn.norm import BatchNorm2d
from lamina.nn.pool import GlobalAvgPool2d

N, BATCH, WIDTH = 2_000, 64, 32


class Block(Module):
    """y = relu(x + bn2(conv2(relu(bn1(conv1(x))))))."""

    def __init__(self, c: int) -> None:
        super().__init__()
        self.conv1, self.bn1 = Conv2d(c, c, 3, padding=1, bias=False), BatchNorm2d(c)
        self.conv2, self.bn2 = Conv2d(c, c, 3, padding=1, bias=False), BatchNorm2d(c)

    def forward(self, x: L.Tensor) -> L.Tensor:
        h = F.relu(self.bn1(self.conv1(x)))
        return F.relu(x + self.bn2(self.conv2(h)))


class ResNet(Module):
    def __init__(self) -> None:
        super().__init__()
        self.stem, self.bn = Conv2d(3, WIDTH, 3, padding=1, bias=False), BatchNorm2d(WIDTH)
        self.block1, self.block2 = Block(WIDTH), Block(WIDTH)
        self.pool, self.fc = GlobalAvgPool2d(), Linear(WIDTH, 10)

    def forward(self, x: L.Tensor) -> L.Tensor:
        h = F.relu(self.bn(self.stem(x)))
        return self.fc(self.pool(self.block2(self.block1(h))))


class TorchBlock(torch.nn.Module):
    def __init__(self, c: int) -> None:
        super().__init__()
        t = torch.nn
        self.conv1, self.bn1 = t.Conv2d(c, c, 3, padding=1, bias=False), t.BatchNorm2d(c)
        self.conv2, self.bn2 = t.Conv2d(c, c, 3, padding=1, bias=False), t.BatchNorm2d(c)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = torch.relu(self.bn1(self.conv1(x)))
        return torch.relu(x + self.bn2(self.conv2(h)))


class TorchResNet(torch.nn.Module):
    def __init__(self) -> None:
        super().__init__()
        t = torch.nn
        self.stem, self.bn = t.Conv2d(3, WIDTH, 3, padding=1, bias=False), t.BatchNorm2d(WIDTH)
        self.block1, self.block2 = TorchBlock(WIDTH), TorchBlock(WIDTH)
        self.pool = t.Sequential(t.AdaptiveAvgPool2d(1), t.Flatten())
        self.fc = t.Linear(WIDTH, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = torch.relu(self.bn(self.stem(x)))
        return self.fc(self.pool(self.block2(self.block1(h))))


def build() -> tuple[ResNet, TorchResNet]:
    model, tmodel = ResNet(), TorchResNet()
    model.load_state_dict({k: v.numpy() for k, v in tmodel.state_dict().items()})
    return model, tmodel


def main() -> dict[str, float]:
    setup_torch()
    rng = np.random.default_rng(0)
    x = rng.standard_normal((N, 3, 32, 32)).astype(np.float32)
    y = rng.integers(0, 10, N)
    model, tmodel = build()
    opt = optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    topt = torch.optim.SGD(tmodel.parameters(), lr=0.01, momentum=0.9)

    lamina_epoch, torch_epoch = classifier_epochs(model, tmodel, opt, topt, x, y, BATCH)
    return compare("resblock", lamina_epoch, torch_epoch, repeats=3)


if __name__ == "__main__":
    main()
