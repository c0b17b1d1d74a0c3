"""Siamese training: one shared embedding network on pairs (contrastive) and triplets."""

from __future__ import annotations

import numpy as np
import pytest

import lamina
from lamina import nn
from lamina.datasets import load_digits
from lamina.optim import Adam
from lamina.vision import ContrastiveLoss, auc, embed, make_pairs, roc_curve


def digits_pairs() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x, y = load_digits()
    x = (x / 16).astype(np.float32)[:600]
    pairs, same = make_pairs(y[:600], 400, seed=0)
    return x, pairs, same


def pair_auc(model: nn.Module, x: np.ndarray, pairs: np.ndarray, same: np.ndarray) -> float:
    e = embed(model, x)
    d = np.linalg.norm(e[pairs[:, 0]] - e[pairs[:, 1]], axis=1)
    return auc(*roc_curve(d, same)[:2])


@pytest.mark.slow  # ~2 s of CPU, over 5 s on a busy machine
def test_one_network_on_pairs_with_the_contrastive_loss_separates_same_from_different() -> None:
    lamina.manual_seed(0)
    x, pairs, same = digits_pairs()
    model = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 16))
    before = pair_auc(model, x, pairs, same)
    loss_fn, opt = ContrastiveLoss(margin=2.0), Adam(model.parameters(), lr=3e-3)
    model.train()
    for _ in range(40):
        opt.zero_grad()
        loss = loss_fn(model(x[pairs[:, 0]]), model(x[pairs[:, 1]]), same.astype(np.int64))
        loss.backward()  # both branches are the same weights: their gradients add up
        opt.step()
    assert pair_auc(model, x, pairs, same) > max(before + 0.1, 0.9)


@pytest.mark.slow  # ~1.5 s of CPU, over 5 s on a busy machine
def test_one_network_on_triplets_with_triplet_margin_loss_learns() -> None:
    lamina.manual_seed(1)
    x, y = load_digits()
    x = (x / 16).astype(np.float32)
    rng = np.random.default_rng(0)
    anchors = rng.integers(0, len(y), 200)
    positives = np.array([rng.choice(np.flatnonzero(y == y[a])) for a in anchors])
    negatives = np.array([rng.choice(np.flatnonzero(y != y[a])) for a in anchors])
    model = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 16))
    loss_fn, opt = nn.TripletMarginLoss(margin=1.0), Adam(model.parameters(), lr=3e-3)
    losses = []
    for _ in range(25):
        opt.zero_grad()
        loss = loss_fn(model(x[anchors]), model(x[positives]), model(x[negatives]))
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < losses[0] / 4
