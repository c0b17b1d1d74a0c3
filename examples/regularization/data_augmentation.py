"""Data augmentation: random shifts of the training images make a classifier robust to them.

A small network sees only 300 handwritten digits (8x8 pixels). Without augmentation it learns
where the strokes of each digit usually lie; shift a test digit by one pixel and its accuracy
drops. With augmentation every mini-batch is passed through RandomTranslation (up to one
pixel each way) and RandomRotation (up to 10 degrees) first, so each epoch sees new
plausible variants of the same digits: a larger effective training set for free, and a
network that keeps most of its accuracy on the shifted test digits (in this short run, at
a small cost on the unshifted ones). Labels are unchanged by these
transforms (a flip would not be: it turns a 2 into something else, so none is used here).

Run: python examples/regularization/data_augmentation.py
"""

from __future__ import annotations

import numpy as np

import lamina as L
import lamina.nn as nn
import lamina.nn.functional as F
import lamina.optim as optim
from lamina.data import Compose, DataLoader, RandomRotation, RandomTranslation, TensorDataset
from lamina.datasets import load_digits

EPOCHS, N_TRAIN = 60, 300


def shift_one_pixel(images: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Move each (1, 8, 8) image by one pixel up, down, left or right, filling with zeros."""
    out = np.zeros_like(images)
    for i, image in enumerate(images):
        dy, dx = [(1, 0), (-1, 0), (0, 1), (0, -1)][rng.integers(4)]
        moved = np.roll(image, (dy, dx), axis=(1, 2))
        if dy:
            moved[:, 0 if dy > 0 else -1, :] = 0
        if dx:
            moved[:, :, 0 if dx > 0 else -1] = 0
        out[i] = moved
    return out


def train(x: np.ndarray, y: np.ndarray, augment: bool) -> nn.Module:
    rng = np.random.default_rng(0)
    net = nn.Sequential(
        nn.Flatten(), nn.Linear(64, 128, rng=rng), nn.ReLU(), nn.Linear(128, 10, rng=rng)
    )
    transform = None
    if augment:
        transform = Compose(
            [RandomTranslation((0.125, 0.125), seed=1), RandomRotation(10.0, seed=2)]
        )
    data = TensorDataset(x, y)
    loader = DataLoader(data, batch_size=32, shuffle=True, seed=0, transform=transform)
    opt = optim.Adam(net.parameters(), lr=3e-3)
    for _ in range(EPOCHS):
        for xb, yb in loader:
            opt.zero_grad()
            F.cross_entropy(net(xb), yb).backward()
            opt.step()
    return net


def accuracy(net: nn.Module, x: np.ndarray, y: np.ndarray) -> float:
    with L.no_grad():
        return float((net(L.tensor(x)).numpy().argmax(1) == y).mean())


def main() -> None:
    images, labels = load_digits(images=True)
    images = images / 16.0  # pixel values 0..16 -> 0..1
    order = np.random.default_rng(0).permutation(len(images))
    train_idx, test_idx = order[:N_TRAIN], order[N_TRAIN:]
    x_test, y_test = images[test_idx], labels[test_idx]
    x_shifted = shift_one_pixel(x_test, np.random.default_rng(1))
    for name, augment in (("plain", False), ("augmented", True)):
        net = train(images[train_idx], labels[train_idx], augment)
        print(f"{name}: test accuracy = {accuracy(net, x_test, y_test):.4f}")
        print(f"{name}: shifted test accuracy = {accuracy(net, x_shifted, y_test):.4f}")


if __name__ == "__main__":
    main()
