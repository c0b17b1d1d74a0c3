"""Batch normalization: the same deep network trained with and without it.

BatchNorm1d normalizes each feature over the mini-batch, x_hat = (x - mean_B) / sqrt(var_B +
eps), then rescales it, y = gamma * x_hat + beta, with gamma and beta learned. Placed before
each sigmoid it keeps the pre-activations near zero, where sigmoid' is largest, whatever the
layers below do; the deep sigmoid stack then trains at a learning rate where the plain one
barely moves. Both nets start from the same seed and see the same mini-batches (3-class
spirals, 6 hidden layers of 64 units, SGD with lr 0.1 and momentum 0.9, 30 epochs).

Run: python examples/regularization/batchnorm_training.py [--out DIR]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np

import lamina as L
import lamina.nn as nn
import lamina.nn.functional as F
import lamina.optim as optim
from lamina.datasets import make_spirals

HIDDEN, WIDTH, EPOCHS, BATCH = 6, 64, 30, 32


def deep_net(batch_norm: bool, seed: int = 0) -> nn.Sequential:
    rng = np.random.default_rng(seed)
    layers: list[nn.Module] = []
    for i in range(HIDDEN):
        layers.append(nn.Linear(2 if i == 0 else WIDTH, WIDTH, rng=rng))
        if batch_norm:
            layers.append(nn.BatchNorm1d(WIDTH))
        layers.append(nn.Sigmoid())
    layers.append(nn.Linear(WIDTH, 3, rng=rng))
    return nn.Sequential(*layers)


def train(net: nn.Sequential, x: np.ndarray, y: np.ndarray) -> list[float]:
    """Mini-batch SGD with momentum; returns the mean mini-batch loss of every epoch."""
    opt = optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
    order_rng = np.random.default_rng(0)  # the same batches for both nets
    losses = []
    for _ in range(EPOCHS):
        order, total = order_rng.permutation(len(x)), 0.0
        for start in range(0, len(x), BATCH):
            idx = order[start : start + BATCH]
            opt.zero_grad()
            loss = F.cross_entropy(net(L.tensor(x[idx])), L.tensor(y[idx]))
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        losses.append(total / len(x))
    return losses


def check_formula() -> None:
    """BatchNorm1d in training mode against x_hat = (x - mean_B) / sqrt(var_B + eps)."""
    rng = np.random.default_rng(0)
    x = rng.normal(3.0, 2.0, (32, 4))
    bn = nn.BatchNorm1d(4, dtype=L.float64)
    bn.weight.data[:] = [1.0, 2.0, 0.5, -1.0]  # gamma
    bn.bias.data[:] = [0.0, 1.0, -1.0, 0.5]  # beta
    out = bn(L.tensor(x)).detach().numpy()
    x_hat = (x - x.mean(0)) / np.sqrt(x.var(0) + bn.eps)  # the batch's biased variance
    by_hand = bn.weight.numpy() * x_hat + bn.bias.numpy()
    print(f"batch norm vs gamma * x_hat + beta = {np.abs(out - by_hand).max():.2e}")
    print(f"normalized batch mean = {np.abs(x_hat.mean(0)).max():.2e}")


def main() -> None:
    check_formula()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="folder for the PNG (default: a temp folder)")
    out = parser.parse_args().out or Path(tempfile.mkdtemp(prefix="lamina-"))
    out.mkdir(parents=True, exist_ok=True)

    x, y = make_spirals(300, n_classes=3, noise=0.1, seed=0)
    x = x.astype(np.float32)
    curves = {name: train(deep_net(bn), x, y) for name, bn in (("plain", False), ("bn", True))}
    print("epoch " + " ".join(f"{e:>6}" for e in (1, 5, 10, 20, 30)))
    for name, losses in curves.items():
        print(f"{name:<5} " + " ".join(f"{losses[e - 1]:6.3f}" for e in (1, 5, 10, 20, 30)))
    for name, losses in curves.items():
        print(f"{name} final loss = {losses[-1]:.4f}")

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    for name, losses in curves.items():
        ax.plot(range(1, EPOCHS + 1), losses, marker=".", label=name)
    ax.set(xlabel="epoch", ylabel="training cross-entropy", title="with and without BatchNorm1d")
    ax.legend()
    fig.tight_layout()
    fig.savefig(out / "batchnorm_training.png")
    print(f"saved {out / 'batchnorm_training.png'}")


if __name__ == "__main__":
    main()
