"""Face verification, siamese networks, triplet loss and one-shot learning (digits as faces).

A siamese network maps every image through the same weights to an embedding f(x); two images
are "the same person" when d = ||f(x1) - f(x2)||_2 is below a threshold. It is trained with
the triplet loss on (anchor, positive of the same identity, negative of another):

    L = max(d(a, p) - d(a, n) + margin, 0)

(FaceNet squares the distances; PyTorch's TripletMarginLoss, matched here, does not). After
training, one-shot recognition needs one stored image per identity: a new image takes the
identity of its nearest stored embedding. The ten digit classes stand in for ten people; the
test images were never seen in training.

Run: python examples/vision/face_verification.py
"""

from __future__ import annotations

import numpy as np

import lamina as L
from lamina import datasets, nn
from lamina.vision import EmbeddingNet, best_threshold, embed, fit_embedding, make_pairs


def triplet_by_hand() -> None:
    rng = np.random.default_rng(0)
    a, p, n = (rng.normal(size=(4, 8)).astype(np.float32) for _ in range(3))
    d_ap, d_an = np.linalg.norm(a - p, axis=1), np.linalg.norm(a - n, axis=1)
    by_hand = np.maximum(d_ap - d_an + 1.0, 0).mean()
    lib = nn.TripletMarginLoss(margin=1.0)(L.tensor(a), L.tensor(p), L.tensor(n)).item()
    print(f"triplet loss: by hand {by_hand:.5f} TripletMarginLoss {lib:.5f}")


def verification_accuracy(model: nn.Module, x: np.ndarray, y: np.ndarray) -> float:
    pairs, same = make_pairs(y, 600, seed=1)  # half same identity, half different
    e = embed(model, x)
    d = np.linalg.norm(e[pairs[:, 0]] - e[pairs[:, 1]], axis=1)
    return best_threshold(d, same)[1]


def main() -> None:
    triplet_by_hand()
    images, labels = datasets.load_digits(images=True)
    x = (images / 16.0).astype(np.float32).reshape(-1, 1, 8, 8)
    train, test = np.arange(1200), np.arange(1200, len(x))
    L.manual_seed(0)
    model = EmbeddingNet(image_size=8, channels=(16,), hidden=64, embedding_dim=16)
    before = verification_accuracy(model, x[test], labels[test])
    losses = fit_embedding(model, x[train], labels[train], epochs=8, lr=0.003, seed=0)
    after = verification_accuracy(model, x[test], labels[test])
    print(f"triplet loss first epoch {losses[0]:.4f} last epoch {losses[-1]:.4f}")
    print(f"verification accuracy, untrained {before:.3f} trained {after:.3f}")

    # One-shot: one stored image per identity, every other test image matched to the nearest.
    stored = np.array([test[labels[test] == c][0] for c in range(10)])
    queries = np.setdiff1d(test, stored)
    e_db, e_q = embed(model, x[stored]), embed(model, x[queries])
    nearest = np.linalg.norm(e_q[:, None] - e_db[None], axis=2).argmin(axis=1)
    accuracy = np.mean(nearest == labels[queries])
    print(f"one-shot accuracy with one image per identity: {accuracy:.3f} (chance 0.100)")


if __name__ == "__main__":
    main()
