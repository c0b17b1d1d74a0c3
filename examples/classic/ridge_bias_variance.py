"""Ridge: the bias/variance trade-off as the penalty alpha grows.

A degree-12 polynomial fitted to 20 noisy samples of sin(3x). Small alpha: training error
low, validation error high (high variance, overfitting). Large alpha: both high (high bias,
underfitting). The validation error is lowest in between.

Run: python examples/classic/ridge_bias_variance.py [--out DIR]   -> DIR/ridge_bias_variance.png
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np

from lamina.classic import StandardScaler, ridge_bias_variance


def polynomial_features(x: np.ndarray, degree: int) -> np.ndarray:
    """Columns x, x**2, ..., x**degree."""
    return np.vander(x, degree + 1, increasing=True)[:, 1:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="folder for the PNG (default: a temporary one)")
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, size=200)
    y = np.sin(3 * x) + 0.3 * rng.normal(size=200)
    n_train = 20
    scaler = StandardScaler().fit(polynomial_features(x[:n_train], 12))
    X_train = scaler.transform(polynomial_features(x[:n_train], 12))
    X_val = scaler.transform(polynomial_features(x[n_train:], 12))

    alphas = np.logspace(-6, 3, 10)
    curve = ridge_bias_variance(X_train, y[:n_train], X_val, y[n_train:], alphas)
    print(f"{'alpha':>8}  {'train MSE':>9}  {'val MSE':>8}")
    for alpha, train, val in zip(curve.alphas, curve.train_error, curve.val_error):
        print(f"{alpha:>8.0e}  {train:>9.4f}  {val:>8.4f}")
    print(f"best alpha = {curve.best_alpha:.0e}")
    import matplotlib

    matplotlib.use("Agg")
    from lamina.classic.plot import plot_bias_variance

    out = args.out or Path(tempfile.mkdtemp(prefix="lamina-ridge-"))
    out.mkdir(parents=True, exist_ok=True)
    path = out / "ridge_bias_variance.png"
    plot_bias_variance(curve).figure.savefig(path)
    print(f"saved {path}")


if __name__ == "__main__":
    main()
