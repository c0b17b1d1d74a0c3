"""Benchmark: one epoch of an MLP 784-256-128-10 in lamina and in PyTorch (CPU, 2 threads).

ReLU, cross-entropy, SGD with momentum 0.9, batch 128, 10,000 random samples, float32.
Prints seconds per epoch (median of 3 after a warm-up, the frameworks interleaved) and the
ratio lamina / PyTorch.  Run: python benchmarks/mlp.py
"""

from __future__ import annotations

import itertools

import numpy as np
import torch
from _timing import classifier_epochs, compare, setup_torch

import lamina.nn as nn
from lamina import optim

N, BATCH, SIZES = 10_000, 128, (784, 256, 128, 10)


def build() -> tuple[nn.Module, torch.nn.Module]:
    layers, tlayers = [], []
    for a, b in itertools.pairwise(SIZES):
        layers += [nn.Linear(a, b), nn.ReLU()]
        tlayers += [torch.nn.Linear(a, b), torch.nn.ReLU()]
    model, tmodel = nn.Sequential(*layers[:-1]), torch.nn.Sequential(*tlayers[:-1])
    model.load_state_dict({k: v.numpy() for k, v in tmodel.state_dict().items()})
    return model, tmodel


def main() -> dict[str, float]:
    setup_torch()
    rng = np.random.default_rng(0)
    x = rng.standard_normal((N, SIZES[0])).astype(np.float32)
    y = rng.integers(0, SIZES[-1], N)
    model, tmodel = build()
    opt = optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    topt = torch.optim.SGD(tmodel.parameters(), lr=0.01, momentum=0.9)

    lamina_epoch, torch_epoch = classifier_epochs(model, tmodel, opt, topt, x, y, BATCH)
    return compare("mlp", lamina_epoch, torch_epoch, repeats=5)


if __name__ == "__main__":
    main()
