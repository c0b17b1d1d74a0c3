"""Backpropagation by hand (the delta rule) against lamina's autograd, with an L2 regularizer.

A two-layer network a1 = sigmoid(W1 x + b1), yhat = W2 a1 + b2, cost
C = (1/m) sum_i ||yhat_i - y_i||**2 + lam * (||W1||**2 + ||W2||**2). Backward pass:

    delta2 = (2/m) (yhat - y)                     error signal at the output
    dC/dW2 = delta2^T a1 + 2 lam W2,  dC/db2 = sum_i delta2
    delta1 = (delta2 W2) * a1 * (1 - a1)          through W2, times sigmoid'(z1)
    dC/dW1 = delta1^T x + 2 lam W1,   dC/db1 = sum_i delta1

The same gradients come from autograd (float64): they agree to rounding error.

Run: python examples/foundations/backprop_by_hand.py
"""

from __future__ import annotations

import numpy as np

import lamina as L
import lamina.nn.functional as F

LAM = 0.01


def by_hand(x, y, w1, b1, w2, b2):
    """Forward pass, then the delta-rule backward pass, in plain NumPy."""
    m = len(x)
    a1 = 1 / (1 + np.exp(-(x @ w1.T + b1)))
    yhat = a1 @ w2.T + b2
    delta2 = 2 / m * (yhat - y)
    delta1 = (delta2 @ w2) * a1 * (1 - a1)
    return {
        "W1": delta1.T @ x + 2 * LAM * w1,
        "b1": delta1.sum(0),
        "W2": delta2.T @ a1 + 2 * LAM * w2,
        "b2": delta2.sum(0),
    }


def main() -> None:
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((32, 3)), rng.standard_normal((32, 2))
    arrays = {"W1": rng.standard_normal((5, 3)), "b1": rng.standard_normal(5)}
    arrays |= {"W2": rng.standard_normal((2, 5)), "b2": rng.standard_normal(2)}
    hand = by_hand(x, y, *arrays.values())

    p = {name: L.tensor(value, requires_grad=True) for name, value in arrays.items()}
    yhat = F.linear(F.sigmoid(F.linear(L.tensor(x), p["W1"], p["b1"])), p["W2"], p["b2"])
    cost = F.mse_loss(yhat, L.tensor(y), reduction="sum") / len(x)
    cost = cost + LAM * ((p["W1"] ** 2).sum() + (p["W2"] ** 2).sum())
    cost.backward()
    for name, tensor in p.items():
        error = np.abs(tensor.grad.numpy() - hand[name]).max()
        print(f"dC/d{name}: max |autograd - by hand| = {error:.2e}")


if __name__ == "__main__":
    main()
