"""Benchmark: LeNet-5 on 1x28x28 inputs in lamina and in PyTorch (CPU, 2 threads).

conv 6@5x5 pad 2, ReLU, maxpool 2, conv 16@5x5, ReLU, maxpool 2, fc 400-120-84-10 (ReLU),
cross-entropy, Adam, batch 64, 5,000 random samples per epoch, float32.
Prints seconds per epoch (median of 3 after a warm-up, the frameworks interleaved) and the
ratio lamina / PyTorch.  Run: python benchmarks/lenet.py
"""

from __future__ import annotations

import numpy as np
import torch
from _timing import classifier_epochs, compare, setup_torch

from lamina import optim
from lamina.nn.activation import ReLU
from lamina.nn.container import Sequential
from lamina.nn.conv import Conv2d
from lamina.nn.linear import Flatten, Linear
from lamina.nn.pool import MaxPool2d

N, BATCH = 5_000, 64


def build() -> tuple[Sequential, torch.nn.Module]:
    model = Sequential(
        Conv2d(1, 6, 5, padding=2),
        ReLU(),
        MaxPool2d(2),
        Conv2d(6, 16, 5),
        ReLU(),
        MaxPool2d(2),
        Flatten(),
        Linear(400, 120),
        ReLU(),
        Linear(120, 84),
        ReLU(),
        Linear(84, 10),
    )
    t = torch.nn
    tmodel = t.Sequential(
        t.Conv2d(1, 6, 5, padding=2),
        t.ReLU(),
        t.MaxPool2d(2),
        t.Conv2d(6, 16, 5),
        t.ReLU(),
        t.MaxPool2d(2),
        t.Flatten(),
        t.Linear(400, 120),
        t.ReLU(),
        t.Linear(120, 84),
        t.ReLU(),
        t.Linear(84, 10),
    )
    model.load_state_dict({k: v.numpy() for k, v in tmodel.state_dict().items()})
    return model, tmodel


def main() -> dict[str, float]:
    setup_torch()
    rng = np.random.default_rng(0)
    x = rng.standard_normal((N, 1, 28, 28)).astype(np.float32)
    y = rng.integers(0, 10, N)
    model, tmodel = build()
    opt = optim.Adam(model.parameters(), lr=1e-3)
    topt = torch.optim.Adam(tmodel.parameters(), lr=1e-3)

    lamina_epoch, torch_epoch = classifier_epochs(model, tmodel, opt, topt, x, y, BATCH)
    return compare("lenet", lamina_epoch, torch_epoch, repeats=3)


if __name__ == "__main__":
    main()
