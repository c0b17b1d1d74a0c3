"""The perceptron learning rule, its limit (XOR), and the hidden layer that removes it.

Rosenblatt's rule: for each misclassified sample (y in {-1, +1}), w <- w + lr * y * x and
b <- b + lr * y. On linearly separable data it stops making mistakes after finitely many
updates (the perceptron convergence theorem). XOR is not linearly separable: no line puts
(0,0), (1,1) on one side and (0,1), (1,0) on the other, so the rule keeps cycling and never
gets all four points right. A network with one hidden layer (2-4-1, tanh) trained by
backpropagation separates XOR exactly.

Run: python examples/foundations/perceptron_xor.py
"""

from __future__ import annotations

import numpy as np

import lamina as L
import lamina.nn as nn
import lamina.nn.functional as F
import lamina.optim as optim


def perceptron(x: np.ndarray, y: np.ndarray, epochs: int = 100) -> tuple[int, float]:
    """Run the rule; returns (epochs until an error-free pass or `epochs`, final accuracy)."""
    w, b = np.zeros(x.shape[1]), 0.0
    for epoch in range(1, epochs + 1):
        errors = 0
        for xi, yi in zip(x, y):
            if yi * (xi @ w + b) <= 0:  # misclassified (or on the boundary)
                w, b, errors = w + yi * xi, b + yi, errors + 1
        if errors == 0:
            return epoch, 1.0
    return epochs, float((np.sign(x @ w + b) == y).mean())


def main() -> None:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((200, 2))
    y = np.where(x @ np.array([2.0, -1.0]) + 0.5 > 0, 1.0, -1.0)  # a separable problem
    epochs, accuracy = perceptron(x, y)
    print(f"separable: epochs to converge = {epochs}")
    print(f"separable: perceptron accuracy = {accuracy:.3f}")

    x_xor = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y_xor = np.array([-1.0, 1.0, 1.0, -1.0])
    _, accuracy = perceptron(x_xor, y_xor)
    print(f"xor: perceptron accuracy = {accuracy:.3f}")

    net = nn.Sequential(nn.Linear(2, 4, rng=rng), nn.Tanh(), nn.Linear(4, 1, rng=rng))
    opt = optim.Adam(net.parameters(), lr=0.05)
    inputs, targets = L.tensor(x_xor.astype(np.float32)), L.tensor((y_xor > 0).astype(np.float32))
    for _ in range(500):
        opt.zero_grad()
        F.binary_cross_entropy_with_logits(net(inputs).reshape(-1), targets).backward()
        opt.step()
    predicted = (net(inputs).numpy().ravel() > 0).astype(float) * 2 - 1
    print(f"xor: hidden-layer network accuracy = {(predicted == y_xor).mean():.3f}")


if __name__ == "__main__":
    main()
