"""Linear regression: the normal equation against batch, stochastic and mini-batch descent.

The course's first result: on y = 4 + 3*x + noise, every solver of the cost
J = (1/m) * sum_i (yhat_i - y_i)**2 lands on the same line; the normal equation gets there in
one solve, gradient descent in many small steps (and needs scaled features).

Run: python examples/classic/normal_equation_vs_gd.py
"""

from __future__ import annotations

import numpy as np

from lamina.classic import LinearRegression, StandardScaler


def main() -> None:
    rng = np.random.default_rng(42)
    x = 2 * rng.random((100, 1))
    y = 4 + 3 * x[:, 0] + rng.normal(size=100)

    scaler = StandardScaler().fit(x)
    xs = scaler.transform(x)
    solvers = {
        "normal": LinearRegression(solver="normal"),
        "gd": LinearRegression(solver="gd", lr=0.1, epochs=500),
        "sgd": LinearRegression(solver="sgd", lr=0.01, epochs=50, seed=0),
        "minibatch": LinearRegression(solver="minibatch", lr=0.01, epochs=200, seed=0),
    }
    print(f"{'solver':<10} {'intercept':>10} {'slope':>8} {'cost J':>8} {'epochs':>7}")
    for name, model in solvers.items():
        model.fit(xs, y)
        # Undo the scaling so every row reports y = b + w * x on the original x.
        slope = model.coef_[0] / scaler.scale_[0]
        intercept = model.intercept_ - slope * scaler.mean_[0]
        cost = np.mean((model.predict(xs) - y) ** 2)
        print(f"{name:<10} {intercept:>10.4f} {slope:>8.4f} {cost:>8.4f} {model.n_iter_:>7}")
    gd = solvers["gd"]
    costs = [round(gd.loss_history_[i], 4) for i in (0, 9, 99, 499)]
    print(f"cost J of gd after epochs 1, 10, 100, 500: {costs}")
    gap = np.max(np.abs(gd.coef_ - solvers["normal"].coef_))
    print(f"max |w_gd - w_normal| = {gap:.2e}")


if __name__ == "__main__":
    main()
