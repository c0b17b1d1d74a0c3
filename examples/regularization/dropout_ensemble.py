"""Dropout as an ensemble: many thinned networks in training, their average in evaluation.

In training mode each pass drops every hidden unit with probability p and scales the kept
ones by 1 / (1 - p) ("inverted dropout"), so each pass is a different random sub-network and
the expected activation equals the undropped one. In evaluation mode dropout is the identity:
the network then outputs (exactly, here, since dropout sits right before the last linear
layer) the average of all those sub-networks. Monte-Carlo dropout makes this visible: the
mean of K training-mode passes approaches the evaluation output as K grows, and the spread
across passes says how much the sub-networks disagree.

Run: python examples/regularization/dropout_ensemble.py
"""

from __future__ import annotations

import numpy as np

import lamina as L
import lamina.nn as nn
import lamina.nn.functional as F
import lamina.optim as optim

P = 0.5


def main() -> None:
    L.manual_seed(0)  # F.dropout below draws its mask from lamina's default generator
    rng = np.random.default_rng(0)
    x = L.tensor(rng.uniform(-3, 3, (128, 1)).astype(np.float32))
    y = L.tensor(np.sin(x.numpy()) + 0.1 * rng.standard_normal((128, 1)).astype(np.float32))
    net = nn.Sequential(
        nn.Linear(1, 128, rng=rng),
        nn.ReLU(),
        nn.Dropout(P, rng=np.random.default_rng(1)),
        nn.Linear(128, 1, rng=rng),
    )
    opt = optim.Adam(net.parameters(), lr=0.01)
    for _ in range(300):  # train mode: a new random mask at every step
        opt.zero_grad()
        F.mse_loss(net(x), y).backward()
        opt.step()

    # Inverted dropout keeps the mean: E[dropout(h)] = h.
    ones = L.ones(100_000)
    kept = F.dropout(ones, P, training=True).numpy()
    print(f"dropout share of zeros = {(kept == 0).mean():.4f}")
    print(f"dropout mean of kept-and-scaled ones = {kept.mean():.4f}")
    # Backward: the gradient flows only through the kept units, scaled the same way.
    h = L.ones(1000, requires_grad=True)
    dropped = F.dropout(h, P, training=True)
    dropped.sum().backward()
    mask_over_keep = (dropped.detach().numpy() != 0) / (1 - P)
    print(
        f"dropout backward vs mask / (1 - p) = {np.abs(h.grad.numpy() - mask_over_keep).max():.1e}"
    )

    x_test = L.tensor(np.linspace(-3, 3, 50, dtype=np.float32).reshape(-1, 1))
    net.eval()
    with L.no_grad():
        eval_out = net(x_test).numpy()
        eval_again = net(x_test).numpy()
    print(f"eval passes differ by = {np.abs(eval_out - eval_again).max():.3e}")
    net.train()
    with L.no_grad():
        passes = np.stack([net(x_test).numpy() for _ in range(1000)])  # (K, 50, 1)
    print(f"std across train-mode passes = {passes.std(axis=0).mean():.4f}")
    for k in (1, 10, 100, 1000):
        gap = np.abs(passes[:k].mean(axis=0) - eval_out).mean()
        print(f"MC mean of {k} passes vs eval, mean abs gap = {gap:.4f}")


if __name__ == "__main__":
    main()
