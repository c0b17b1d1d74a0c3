"""Online triplet mining (batch-all, batch-hard, semi-hard) against brute-force enumeration."""

from __future__ import annotations

from itertools import product

import numpy as np
import pytest

import lamina
from lamina.autodiff.gradcheck import gradcheck
from lamina.vision import distance_matrix, pk_batches, triplet_mining_loss

MARGIN = 0.8


def brute(e: np.ndarray, y: np.ndarray, mining: str) -> tuple[float, float]:
    n = len(y)
    d = np.array([[np.linalg.norm(e[i] - e[j] + 1e-6) for j in range(n)] for i in range(n)])
    if mining == "batch_all":
        losses = [
            max(d[a, p] - d[a, q] + MARGIN, 0)
            for a, p, q in product(range(n), repeat=3)
            if a != p and y[a] == y[p] and y[q] != y[a]
        ]
        active = sum(v > 0 for v in losses)
        return sum(losses) / max(active, 1), active / len(losses)
    if mining == "batch_hard":
        losses = []
        for a in range(n):
            pos = [d[a, p] for p in range(n) if p != a and y[p] == y[a]]
            neg = [d[a, q] for q in range(n) if y[q] != y[a]]
            if pos and neg:
                losses.append(max(max(pos) - min(neg) + MARGIN, 0))
        return float(np.mean(losses)), float(np.mean([v > 0 for v in losses]))
    losses = []
    for a, p in product(range(n), repeat=2):
        if a == p or y[a] != y[p]:
            continue
        neg = [d[a, q] for q in range(n) if y[q] != y[a]]
        farther = [v for v in neg if v > d[a, p]]
        dn = min(farther) if farther else max(neg)  # FaceNet's semi-hard, else the easiest
        losses.append(max(d[a, p] - dn + MARGIN, 0))
    return float(np.mean(losses)), float(np.mean([v > 0 for v in losses]))


@pytest.mark.parametrize("mining", ["batch_all", "batch_hard", "semi_hard"])
@pytest.mark.parametrize("seed", range(4))
def test_triplet_mining_loss_equals_brute_force_enumeration(mining: str, seed: int) -> None:
    rng = np.random.default_rng(seed)
    e, y = rng.standard_normal((10, 3)), rng.integers(0, 3, 10)
    loss, fraction = triplet_mining_loss(e, y, MARGIN, mining)
    want_loss, want_fraction = brute(e, y, mining)
    assert loss.item() == pytest.approx(want_loss, rel=1e-12)
    assert fraction == pytest.approx(want_fraction)
    t = lamina.tensor(e, requires_grad=True)
    assert gradcheck(lambda x: triplet_mining_loss(x, y, MARGIN, mining)[0], [t])


def test_triplet_mining_loss_is_zero_when_classes_are_far_apart() -> None:
    e = np.array([[0, 0], [0, 0.1], [10, 10], [10, 10.1]], np.float32)
    loss, fraction = triplet_mining_loss(e, [0, 0, 1, 1], 1.0, "batch_all")
    assert loss.item() == 0 and fraction == 0 and loss.dtype == np.float32
    assert distance_matrix(e).shape == (4, 4)


def test_pk_batches_hold_p_classes_of_k_samples() -> None:
    y = np.repeat(np.arange(5), 9)
    for batch in pk_batches(y, 3, 4, np.random.default_rng(0)):
        counts = np.unique(y[batch], return_counts=True)[1]
        assert len(counts) == 3 and (counts == 4).all()


def test_triplet_mining_loss_rejects_unknown_mining() -> None:
    with pytest.raises(ValueError, match="triplet_mining_loss: mining"):
        triplet_mining_loss(np.zeros((2, 2)), [0, 1], 1.0, "hardest")
