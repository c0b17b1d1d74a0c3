"""L1 against L2 regularization on a network's weights: sparsity against shrinkage.

A linear layer with 20 inputs, of which only 3 drive the target, is trained by (sub)gradient
descent on J = MSE + lam * R(w):

    L2 (ridge, weight decay): R(w) = ||w||_2**2; its gradient 2 lam w shrinks every weight in
        proportion to its size, so none reaches exactly zero;
    L1 (lasso):               R(w) = ||w||_1; its (sub)gradient lam * sign(w) pulls every
        weight towards zero by the same amount, so useless weights end at (almost) zero.

Both penalties come from lamina.nn.utils (l1_penalty, l2_penalty) and are differentiated by
autograd; a weight counts as zero below 1e-2 in absolute value.

Run: python examples/regularization/l1_vs_l2.py
"""

from __future__ import annotations

import numpy as np

import lamina as L
import lamina.nn as nn
import lamina.nn.functional as F
import lamina.optim as optim
from lamina.nn.utils import l1_penalty, l2_penalty

FEATURES, USEFUL = 20, 3


def train(x: L.Tensor, y: L.Tensor, penalty, lam: float, steps: int = 1500) -> np.ndarray:
    model = nn.Linear(FEATURES, 1, rng=np.random.default_rng(0))
    opt = optim.SGD(model.parameters(), lr=0.01)
    for _ in range(steps):
        opt.zero_grad()
        loss = F.mse_loss(model(x), y)
        if penalty is not None:
            loss = loss + lam * penalty(model.weight)
        loss.backward()
        opt.step()
    return model.weight.numpy().ravel()


def main() -> None:
    rng = np.random.default_rng(0)
    xs = rng.standard_normal((200, FEATURES)).astype(np.float32)
    true_w = np.zeros(FEATURES, dtype=np.float32)
    true_w[:USEFUL] = [3.0, -2.0, 1.5]
    x = L.tensor(xs)
    y = L.tensor((xs @ true_w + 0.5 * rng.standard_normal(200)).astype(np.float32)[:, None])
    runs = (("none", None, 0.0), ("l2", l2_penalty, 0.1), ("l1", l1_penalty, 0.1))
    for name, penalty, lam in runs:
        w = train(x, y, penalty, lam)
        useless = np.abs(w[USEFUL:])
        print(f"{name}: useful weights = {np.array2string(w[:USEFUL], precision=2)}")
        print(f"{name}: zero weights (|w| < 1e-2) = {int((np.abs(w) < 1e-2).sum())}")
        print(f"{name}: mean |useless weight| = {useless.mean():.4f}")
        print(f"{name}: norm of useful weights = {np.linalg.norm(w[:USEFUL]):.4f}")


if __name__ == "__main__":
    main()
