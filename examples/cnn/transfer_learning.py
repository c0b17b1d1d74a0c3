"""Transfer learning: reuse a network trained on one task as a frozen feature extractor.

A small CNN learns which digit an 8 x 8 image shows (1,000 images). The new task, odd or
even, has only ten labelled images per class: the learnt convolutions are frozen
(requires_grad False) and only a new dense head (258 weights) is trained. The same head on
frozen random convolutions (the same architecture, never trained) does worse on the unseen
images: the transferred features already separate the digits.

Run: python examples/cnn/transfer_learning.py
"""

from __future__ import annotations

import numpy as np

import lamina as L
import lamina.nn.functional as F
from lamina import datasets, nn, optim

SHOTS = 10  # labelled images per class of the new task


def features(rng: np.random.Generator) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1, rng=rng),
        nn.ReLU(),
        nn.MaxPool2d(2),  # 8 -> 4
        nn.Conv2d(16, 32, 3, padding=1, rng=rng),
        nn.ReLU(),
        nn.MaxPool2d(2),  # 4 -> 2
        nn.Flatten(),  # 32 * 2 * 2 = 128 features
    )


def train(model: nn.Module, x: np.ndarray, y: np.ndarray, epochs: int, seed: int) -> None:
    params = [p for p in model.parameters() if p.requires_grad]
    opt = optim.Adam(params, lr=0.01)
    rng = np.random.default_rng(seed)
    for _ in range(epochs):
        order = rng.permutation(len(x))
        for batch in np.array_split(order, max(1, len(x) // 64)):
            loss = F.cross_entropy(model(L.tensor(x[batch])), L.tensor(y[batch]))
            opt.zero_grad()
            loss.backward()
            opt.step()


def accuracy(model: nn.Module, x: np.ndarray, y: np.ndarray) -> float:
    with L.no_grad():
        return float((model(L.tensor(x)).numpy().argmax(1) == y).mean())


def main() -> None:
    images, labels = datasets.load_digits(images=True)
    x = (images / 16.0).astype(np.float32).reshape(-1, 1, 8, 8)  # values in [0, 1]
    source, target = np.arange(1000), np.arange(1000, len(x))  # disjoint images
    rng = np.random.default_rng(0)

    # 1. The source task: which digit (10 classes), 1,000 labelled images.
    base = nn.Sequential(features(rng), nn.Linear(128, 10, rng=rng))
    train(base, x[source], labels[source], epochs=4, seed=0)
    print(f"source task (digit) accuracy: {accuracy(base, x[source], labels[source]):.3f}")

    # 2. The target task: odd or even, from SHOTS labelled images of each; the rest is the test.
    parity = labels % 2
    few = np.concatenate([target[parity[target] == c][:SHOTS] for c in (0, 1)])
    test = np.setdiff1d(target, few)

    frozen = base[0]
    for p in frozen.parameters():
        p.requires_grad = False  # freeze the learnt convolutions
    transfer = nn.Sequential(frozen, nn.Linear(128, 2, rng=np.random.default_rng(1)))
    random = features(np.random.default_rng(2))
    for p in random.parameters():
        p.requires_grad = False  # the same architecture, never trained
    scratch = nn.Sequential(random, nn.Linear(128, 2, rng=np.random.default_rng(1)))
    before = frozen[0].weight.numpy().copy()
    train(transfer, x[few], parity[few], epochs=60, seed=1)
    train(scratch, x[few], parity[few], epochs=60, seed=1)
    trainable = sum(p.numel() for p in transfer.parameters() if p.requires_grad)
    print(f"trainable parameters with frozen features: {trainable} (the head: 128*2 + 2)")
    print(f"frozen weights unchanged: {bool(np.array_equal(before, frozen[0].weight.numpy()))}")
    print(
        f"target task (parity) accuracy, transfer: {accuracy(transfer, x[test], parity[test]):.3f}"
    )
    print(
        f"target task (parity) accuracy, random features: "
        f"{accuracy(scratch, x[test], parity[test]):.3f}"
    )


if __name__ == "__main__":
    main()
