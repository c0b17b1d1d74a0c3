"""A two-layer network fitted by lamina's own autodiff on generated data (no optimizer class).

Run: python examples/foundations/autodiff_two_layer.py
"""

from __future__ import annotations

import numpy as np

import lamina as L
import lamina.nn.functional as F


def main(steps: int = 400, seed: int = 0) -> list[float]:
    rng = np.random.default_rng(seed)
    x = L.tensor(rng.uniform(-3, 3, (256, 1)))  # y = sin(x) with a little noise
    y = L.tensor(np.sin(x.numpy()) + 0.05 * rng.standard_normal((256, 1)))
    w1 = L.tensor(rng.standard_normal((32, 1)) * 0.5, requires_grad=True)
    b1 = L.zeros(32, requires_grad=True)
    w2 = L.tensor(rng.standard_normal((1, 32)) * 0.2, requires_grad=True)
    b2 = L.zeros(1, requires_grad=True)
    losses = []
    for step in range(steps):
        pred = F.linear(F.tanh(F.linear(x, w1, b1)), w2, b2)
        loss = F.mse_loss(pred, y)
        loss.backward()
        with L.no_grad():
            for p in (w1, b1, w2, b2):
                p.data -= 0.05 * p.grad.data
                p.grad = None
        losses.append(loss.item())
        if step % 50 == 0 or step == steps - 1:
            print(f"step {step:4d}  mse {loss.item():.4f}")
    return losses


if __name__ == "__main__":
    main()
