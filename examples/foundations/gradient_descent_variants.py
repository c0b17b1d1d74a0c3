"""Batch, mini-batch and stochastic gradient descent on the same regression, 10 epochs each.

The three differ only in how many samples estimate the gradient of
J = (1/m) sum_i (w x_i + b - y_i)**2 before each update: all 256 (batch: 1 update per epoch,
exact gradient), 32 (mini-batch: 8 updates per epoch) or 1 (stochastic: 256 updates per
epoch, each a noisy estimate). With the same number of epochs (passes over the data), the
smaller the batch the more updates and the closer to y = 4 + 3x it gets, but the noisier each
step: the stochastic loss jumps around from update to update. Vocabulary: an epoch is one
pass over the training set, an iteration is one update, iterations per epoch = ceil(m / B).

Run: python examples/foundations/gradient_descent_variants.py
"""

from __future__ import annotations

import numpy as np

import lamina as L
import lamina.nn as nn
import lamina.nn.functional as F
import lamina.optim as optim
from lamina.data import DataLoader, TensorDataset

EPOCHS, LR = 10, 0.05


def run(x: np.ndarray, y: np.ndarray, batch_size: int) -> tuple[nn.Linear, list[float]]:
    model = nn.Linear(1, 1, rng=np.random.default_rng(0))
    opt = optim.SGD(model.parameters(), lr=LR)
    loader = DataLoader(TensorDataset(x, y), batch_size=batch_size, shuffle=True, seed=0)
    losses = []  # the mini-batch loss at every update
    for _ in range(EPOCHS):
        for xb, yb in loader:
            opt.zero_grad()
            loss = F.mse_loss(model(xb), yb)
            loss.backward()
            opt.step()
            losses.append(float(loss.item()))
    return model, losses


def main() -> None:
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 2, (256, 1)).astype(np.float32)
    y = (4 + 3 * x + 0.5 * rng.standard_normal((256, 1))).astype(np.float32)
    for name, batch_size in (("batch", 256), ("mini-batch", 32), ("stochastic", 1)):
        model, losses = run(x, y, batch_size)
        w, b = float(model.weight.numpy()[0, 0]), float(model.bias.numpy()[0])
        with L.no_grad():
            full = float(F.mse_loss(model(L.tensor(x)), L.tensor(y)).item())
        last_epoch = np.array(losses[-len(losses) // EPOCHS :])
        print(f"{name} (B={batch_size}): w = {w:.3f}, b = {b:.3f}")
        print(f"{name} updates = {len(losses)}")
        print(f"{name} final training MSE = {full:.4f}")
        print(f"{name} loss std over the last epoch = {last_epoch.std():.4f}")


if __name__ == "__main__":
    main()
