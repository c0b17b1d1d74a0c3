"""Bias and variance: training and validation error against capacity and against L2 strength.

Twenty noisy samples of sin(3x) are fitted by a polynomial model: one nn.Linear on the
features P_1(x), ..., P_d(x) (Legendre polynomials, spanning x, ..., x**d), trained by
L-BFGS with lamina's autograd on J = MSE + lam * ||w||**2 (nn.utils.l2_penalty).
Raising the degree d (capacity) drives the training error down steadily, while the
validation error first falls (less bias) and then rises (more variance: the curve chases
the noise). At degree 12, raising lam does the reverse: small lam overfits, large lam
underfits (every weight shrunk towards 0), and the best validation error lies in between.

Run: python examples/regularization/bias_variance.py [--out DIR]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np

import lamina as L
import lamina.nn as nn
import lamina.nn.functional as F
import lamina.optim as optim
from lamina.nn.utils import l2_penalty

DEGREES = (1, 2, 3, 5, 7, 9, 12)
LAMBDAS = (1e-8, 1e-6, 1e-4, 1e-3, 1e-2, 1e-1, 1.0)


def features(x: np.ndarray, degree: int) -> L.Tensor:
    """Legendre polynomials P_1(x) .. P_d(x): the same span as x .. x**d, far better conditioned."""
    return L.tensor(np.polynomial.legendre.legvander(x, degree)[:, 1:])  # float64


def fit(x: np.ndarray, y: np.ndarray, degree: int, lam: float) -> nn.Linear:
    """Minimize mean((X w + b - y)**2) + lam * ||w||**2 with L-BFGS (the bias is not penalized)."""
    model = nn.Linear(degree, 1, dtype=L.float64, rng=np.random.default_rng(0))
    X, target = features(x, degree), L.tensor(y.reshape(-1, 1))
    opt = optim.LBFGS(model.parameters(), lr=1.0, max_iter=500, line_search_fn="strong_wolfe")

    def closure() -> L.Tensor:
        opt.zero_grad()
        loss = F.mse_loss(model(X), target) + lam * l2_penalty(model.weight)
        loss.backward()
        return loss

    opt.step(closure)
    return model


def mse(model: nn.Linear, x: np.ndarray, y: np.ndarray, degree: int) -> float:
    with L.no_grad():
        return float(((model(features(x, degree)).numpy().ravel() - y) ** 2).mean())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="folder for the PNG (default: a temp folder)")
    out = parser.parse_args().out or Path(tempfile.mkdtemp(prefix="lamina-"))
    out.mkdir(parents=True, exist_ok=True)

    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, 220)
    y = np.sin(3 * x) + 0.3 * rng.standard_normal(220)
    (x_tr, y_tr), (x_va, y_va) = (x[:20], y[:20]), (x[20:], y[20:])

    by_degree = []
    for d in DEGREES:
        model = fit(x_tr, y_tr, d, lam=0.0)
        by_degree.append((mse(model, x_tr, y_tr, d), mse(model, x_va, y_va, d)))
        print(f"degree {d}: train MSE = {by_degree[-1][0]:.4f}")
        print(f"degree {d}: val MSE = {by_degree[-1][1]:.4f}")
    by_lambda = []
    for lam in LAMBDAS:
        model = fit(x_tr, y_tr, 12, lam)
        by_lambda.append((mse(model, x_tr, y_tr, 12), mse(model, x_va, y_va, 12)))
        print(f"lambda {lam:g}: train MSE = {by_lambda[-1][0]:.4f}")
        print(f"lambda {lam:g}: val MSE = {by_lambda[-1][1]:.4f}")
    print(f"best degree = {DEGREES[int(np.argmin([v for _, v in by_degree]))]}")
    print(f"best lambda = {LAMBDAS[int(np.argmin([v for _, v in by_lambda]))]:g}")

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.5))
    left.plot(DEGREES, [t for t, _ in by_degree], marker="o", label="train")
    left.plot(DEGREES, [v for _, v in by_degree], marker="o", label="validation")
    left.set(xlabel="polynomial degree (capacity)", ylabel="MSE", yscale="log")
    right.plot(LAMBDAS, [t for t, _ in by_lambda], marker="o", label="train")
    right.plot(LAMBDAS, [v for _, v in by_lambda], marker="o", label="validation")
    right.set(xlabel="L2 strength lambda (degree 12)", xscale="log", yscale="log")
    left.legend()
    fig.tight_layout()
    fig.savefig(out / "bias_variance.png")
    print(f"saved {out / 'bias_variance.png'}")


if __name__ == "__main__":
    main()
