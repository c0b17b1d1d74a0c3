"""The universal approximation theorem, seen: one hidden layer, more units, smaller error.

A network with a single hidden layer of N sigmoid-like units, f(x) = sum_j v_j tanh(w_j x + b_j)
+ c, can approximate any continuous function on a closed interval as closely as wanted, given
enough units (Cybenko 1989, Hornik 1991). The theorem says nothing about how many units or how
to find the weights; here L-BFGS fits g(x) = x sin(2 pi x) on [-1, 1] (no noise) with
N = 1, 2, 4, 8, 16 units: a few units miss the target's wiggles (the largest error over the
interval is above 0.5), 8 or more follow it to within 0.01. (Each fit is a local minimum, so
the error need not fall at every step of N.)

Run: python examples/foundations/universal_approximation.py [--out DIR]
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

WIDTHS = (1, 2, 4, 8, 16)


def fit(width: int, x: L.Tensor, y: L.Tensor) -> nn.Sequential:
    rng = np.random.default_rng(width)
    net = nn.Sequential(
        nn.Linear(1, width, dtype=L.float64, rng=rng),
        nn.Tanh(),
        nn.Linear(width, 1, dtype=L.float64, rng=rng),
    )
    nn.init.normal_(net[0].weight, 0.0, 4.0, rng=rng)  # steep units: the target has detail
    nn.init.uniform_(net[0].bias, -4.0, 4.0, rng=rng)
    opt = optim.LBFGS(net.parameters(), max_iter=2000, line_search_fn="strong_wolfe")

    def closure() -> L.Tensor:
        opt.zero_grad()
        loss = F.mse_loss(net(x), y)
        loss.backward()
        return loss

    opt.step(closure)
    return net


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="folder for the PNG (default: a temp folder)")
    out = parser.parse_args().out or Path(tempfile.mkdtemp(prefix="lamina-"))
    out.mkdir(parents=True, exist_ok=True)

    grid = np.linspace(-1, 1, 201)[:, None]
    target = grid * np.sin(2 * np.pi * grid)
    x, y = L.tensor(grid), L.tensor(target)
    fits = {}
    for width in WIDTHS:
        with L.no_grad():
            fits[width] = fit(width, x, y)(x).numpy()
        print(f"width {width}: max error = {np.abs(fits[width] - target).max():.4f}")

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(grid, target, "k", linewidth=3, alpha=0.3, label="x sin(2 pi x)")
    for width, pred in fits.items():
        ax.plot(grid, pred, label=f"{width} hidden units")
    ax.set(xlabel="x", title="one hidden layer, more units")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "universal_approximation.png")
    print(f"saved {out / 'universal_approximation.png'}")


if __name__ == "__main__":
    main()
