"""Siamese training: one embedding network, trained by online triplet mining, and pairs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from lamina import nn
from lamina.autodiff.grad_mode import no_grad
from lamina.autodiff.tensor import Tensor
from lamina.errors import check_positive_int
from lamina.nn.module import Module
from lamina.optim import Adam
from lamina.optim.lr_scheduler import CosineAnnealingLR
from lamina.vision.mining import triplet_mining_loss

__all__ = ["EmbeddingNet", "embed", "fit_embedding", "make_pairs", "pk_batches"]


class EmbeddingNet(Module):
    """Conv(3x3, same)-ReLU-MaxPool(2) per entry of ``channels``, then Linear-ReLU-Linear.

    e = W2 relu(W1 flatten(features(x)) + b1) + b2, an embedding of ``embedding_dim`` numbers
    for images (N, in_channels, image_size, image_size); one network for both (or all three)
    inputs of a pair (triplet): the siamese weights are shared by construction.
    """

    def __init__(
        self,
        in_channels: int = 1,
        image_size: int = 28,
        channels: Sequence[int] = (16, 32),
        hidden: int = 128,
        embedding_dim: int = 32,
    ) -> None:
        super().__init__()
        check_positive_int(
            "EmbeddingNet",
            in_channels=in_channels,
            image_size=image_size,
            hidden=hidden,
            embedding_dim=embedding_dim,
        )
        layers: list[Module] = []
        c, side = in_channels, image_size
        for out in channels:
            layers += [nn.Conv2d(c, out, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)]
            c, side = out, side // 2
        if side < 1:
            raise ValueError(
                f"EmbeddingNet: {len(channels)} poolings leave nothing of a "
                f"{image_size}-pixel image"
            )
        self.features = nn.Sequential(*layers, nn.Flatten())
        self.head = nn.Sequential(
            nn.Linear(c * side * side, hidden), nn.ReLU(), nn.Linear(hidden, embedding_dim)
        )

    def forward(self, x: Tensor) -> Tensor:
        return self.head(self.features(x))


def pk_batches(labels: Any, P: int, K: int, rng: np.random.Generator) -> list[np.ndarray]:
    """One epoch of P classes x K samples batches (Hermans et al.): every batch has positives.

    Each class's samples are shuffled and cut into groups of K (a short last group is
    topped up by sampling again); groups of P different classes form a batch.
    """
    y = np.asarray(labels)
    groups: list[tuple[int, np.ndarray]] = []
    for c in np.unique(y):
        idx = rng.permutation(np.flatnonzero(y == c))
        for s in range(0, len(idx), K):
            g = idx[s : s + K]
            if len(g) < K:
                g = np.r_[g, rng.choice(idx, K - len(g))]
            groups.append((int(c), g))
    order = rng.permutation(len(groups))
    batches, current, classes = [], [], set()
    for k in order:
        c, g = groups[k]
        if c in classes:
            continue  # this group waits for a later batch: each batch holds P distinct classes
        current.append(g)
        classes.add(c)
        if len(current) == P:
            batches.append(np.concatenate(current))
            current, classes = [], set()
    return batches


def fit_embedding(
    model: Module,
    x: np.ndarray,
    y: np.ndarray,
    mining: str = "batch_hard",
    margin: float = 0.5,
    epochs: int = 30,
    P: int = 7,
    K: int = 8,
    lr: float = 1e-3,
    seed: int = 0,
    on_epoch: Callable[[int, float, float], Any] | None = None,
) -> list[float]:
    """Train ``model`` (inputs -> embeddings) with ``triplet_mining_loss`` on P x K batches.

    Adam with a cosine-annealed ``lr``. Returns each epoch's mean loss (``on_epoch(epoch,
    loss, active_fraction)`` is called after each).
    """
    check_positive_int("fit_embedding", epochs=epochs, P=P, K=K)
    optimizer = Adam(model.parameters(), lr=lr)
    schedule = CosineAnnealingLR(optimizer, T_max=epochs)
    rng = np.random.default_rng(seed)
    history = []
    model.train()
    for epoch in range(epochs):
        losses, active = [], []
        for idx in pk_batches(y, P, K, rng):
            optimizer.zero_grad()
            loss, fraction = triplet_mining_loss(model(x[idx]), y[idx], margin, mining)
            loss.backward()
            optimizer.step()
            losses.append(float(loss.item()))
            active.append(fraction)
        schedule.step()
        history.append(float(np.mean(losses)))
        if on_epoch is not None:
            on_epoch(epoch, history[-1], float(np.mean(active)))
    return history


def embed(model: Module, x: np.ndarray, batch_size: int = 512) -> np.ndarray:
    """The model's embeddings of ``x`` in eval mode, without a graph: (N, E) array."""
    model.eval()
    with no_grad():
        return np.concatenate(
            [model(x[s : s + batch_size]).data for s in range(0, len(x), batch_size)]
        )


def make_pairs(labels: Any, n_pairs: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``n_pairs`` index pairs (n_pairs, 2), half same class, half different, and ``same``.

    Same pairs: a random class, then two distinct samples of it; different pairs: two random
    samples of different classes. Pairs are drawn with replacement, seeded.
    """
    check_positive_int("make_pairs", n_pairs=n_pairs)
    y = np.asarray(labels)
    rng = np.random.default_rng(seed)
    by_class = {c: np.flatnonzero(y == c) for c in np.unique(y) if (y == c).sum() >= 2}
    if len(np.unique(y)) < 2 or not by_class:
        raise ValueError("make_pairs: needs two classes and a class with two samples")
    names = list(by_class)
    pairs, same = [], []
    for k in range(n_pairs):
        if k % 2 == 0:
            idx = by_class[names[rng.integers(len(names))]]
            pairs.append(rng.choice(idx, 2, replace=False))
        else:
            while True:
                i, j = rng.integers(len(y), size=2)
                if y[i] != y[j]:
                    break
            pairs.append(np.array([i, j]))
        same.append(k % 2 == 0)
    return np.asarray(pairs, np.int64), np.asarray(same)
