"""Max-norm constraints, gradient clipping by value, and the elastic-net penalty.

- Max-norm: after every update, each unit's incoming weight vector w_j is rescaled to
  ||w_j|| <= c if it grew larger (nn.utils.max_norm_); often paired with dropout, it bounds
  the weights however large the learning rate.
- Clipping by value: every element of the gradient is clipped into [-N, N] before the update
  (nn.utils.clip_grad_value_), a guard against exploding gradients that, unlike clipping by
  norm, can change the gradient's direction.
- Elastic net: R(w) = l1_ratio * ||w||_1 + (1 - l1_ratio) / 2 * ||w||_2**2, a mix of the L1 and
  L2 penalties (nn.utils.elastic_net_penalty).

Run: python examples/regularization/weight_constraints.py
"""

from __future__ import annotations

import numpy as np

import lamina as L
import lamina.nn as nn
import lamina.nn.functional as F
import lamina.optim as optim
from lamina.nn.utils import clip_grad_value_, elastic_net_penalty, max_norm_

MAX_NORM = 1.0


def train(x: L.Tensor, y: L.Tensor, constrain: bool) -> nn.Sequential:
    rng = np.random.default_rng(0)
    net = nn.Sequential(nn.Linear(10, 32, rng=rng), nn.ReLU(), nn.Linear(32, 1, rng=rng))
    opt = optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
    for _ in range(300):
        opt.zero_grad()
        F.mse_loss(net(x), y).backward()
        opt.step()
        if constrain:
            max_norm_(net[0].weight, MAX_NORM)
    return net


def main() -> None:
    rng = np.random.default_rng(0)
    xs = rng.standard_normal((128, 10)).astype(np.float32)
    x = L.tensor(xs)
    y = L.tensor((5 * np.tanh(xs[:, :1] * 3) + xs[:, 1:2] ** 2).astype(np.float32))
    for name, constrain in (("free", False), ("max-norm", True)):
        rows = np.linalg.norm(train(x, y, constrain)[0].weight.numpy(), axis=1)
        print(f"{name}: largest row norm of the first layer = {rows.max():.4f}")

    w = L.tensor(np.array([[3.0, -0.5], [0.2, -4.0]]), requires_grad=True)
    (w * L.tensor(np.array([[10.0, 1.0], [-0.1, 20.0]]))).sum().backward()
    clip_grad_value_([w], clip_value=2.0)
    print(f"clipped gradient = {np.array2string(w.grad.numpy().ravel(), precision=2)}")
    print(f"largest |clipped gradient| = {np.abs(w.grad.numpy()).max():.4f}")

    w0 = np.array([3.0, -0.5, 0.2, -4.0])
    net_value = elastic_net_penalty(L.tensor(w0), l1_ratio=0.3).item()
    by_hand = 0.3 * np.abs(w0).sum() + 0.7 / 2 * (w0**2).sum()
    print(f"elastic net penalty = {net_value:.6f}")
    print(f"l1_ratio * L1 + (1 - l1_ratio)/2 * L2 = {by_hand:.6f}")


if __name__ == "__main__":
    main()
