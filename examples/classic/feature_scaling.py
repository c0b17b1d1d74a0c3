"""Feature scaling: why gradient descent wants features on the same scale.

House size in square feet (hundreds to thousands) next to the number of rooms (1 to 5): the
cost J(w) = (1/m) ||X w - y||^2 is a long narrow valley. Gradient descent's step must stay
below 2 / (largest curvature) to be stable, and then crawls along the flattest direction; the
number of steps grows with the condition number of X^T X. Standardizing each feature,
x' = (x - mean) / std, rounds the valley. The test data must be scaled with the training
set's mean and std (a model never sees the test statistics).

Run: python examples/classic/feature_scaling.py
"""

from __future__ import annotations

import numpy as np

from lamina.classic import StandardScaler


def descend(x: np.ndarray, y: np.ndarray, tol: float = 1e-6, max_steps: int = 20_000) -> int:
    """Steps of gradient descent (largest stable rate) until the gradient norm < tol."""
    xb = np.c_[np.ones(len(x)), x]
    hessian = 2 * xb.T @ xb / len(x)
    lr = 1.0 / np.linalg.eigvalsh(hessian).max()
    w = np.zeros(xb.shape[1])
    for step in range(max_steps):
        grad = 2 * xb.T @ (xb @ w - y) / len(x)
        if np.linalg.norm(grad) < tol:
            return step
        w -= lr * grad
    return max_steps


def condition(x: np.ndarray) -> float:
    xb = np.c_[np.ones(len(x)), x]
    return float(np.linalg.cond(xb.T @ xb))


def main() -> None:
    rng = np.random.default_rng(0)
    size = rng.uniform(500, 3500, 200)  # square feet
    rooms = rng.integers(1, 6, 200).astype(float)
    x = np.c_[size, rooms]
    y = 50 + 0.1 * size + 20 * rooms + rng.normal(0, 10, 200)
    train, test = np.arange(150), np.arange(150, 200)
    scaler = StandardScaler().fit(x[train])
    scaled = scaler.transform(x[train])
    print(f"condition number raw {condition(x[train]):.3g} scaled {condition(scaled):.3g}")
    raw_steps, scaled_steps = descend(x[train], y[train]), descend(scaled, y[train])
    print(f"gradient descent steps raw {raw_steps} (the cap: not converged) scaled {scaled_steps}")
    means = scaler.transform(x[test]).mean(axis=0)
    shown = np.round(means, 3).tolist()
    print(f"test features scaled with training statistics: means {shown} (near, not exactly, 0)")


if __name__ == "__main__":
    main()
