"""Eight optimizers on the same ill-conditioned loss surface, drawn in one picture.

f(x, y) = 0.5 * (x**2 + 50 * y**2) has a Hessian diag(1, 50): condition number 50. Plain
gradient descent must keep lr < 2 / 50 (2 / the largest curvature) to stay stable, so it crawls
along the flat x direction. Momentum and Nesterov build up speed along x; AdaGrad, RMSprop,
AdaDelta, Adam and AdaMax divide each coordinate's step by a running size of its gradients,
so both directions move at similar speed. Every optimizer is lamina.optim's, stepping a
2-element Parameter for 100 steps from (-4, 1).

Run: python examples/foundations/optimizers_loss_surface.py [--out DIR]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np

import lamina as L
import lamina.nn as nn
import lamina.optim as optim

CURVATURE = np.array([1.0, 50.0])  # the Hessian's eigenvalues
START, STEPS = (-4.0, 1.0), 100

OPTIMIZERS = {
    "SGD": lambda p: optim.SGD(p, lr=0.038),
    "momentum": lambda p: optim.SGD(p, lr=0.02, momentum=0.9),
    "Nesterov": lambda p: optim.SGD(p, lr=0.02, momentum=0.9, nesterov=True),
    "AdaGrad": lambda p: optim.Adagrad(p, lr=1.0),
    "RMSprop": lambda p: optim.RMSprop(p, lr=0.1, alpha=0.9),
    "AdaDelta": lambda p: optim.Adadelta(p, lr=20.0, rho=0.9),
    "Adam": lambda p: optim.Adam(p, lr=0.3),
    "AdaMax": lambda p: optim.Adamax(p, lr=0.5),
}


def loss_fn(w: L.Tensor) -> L.Tensor:
    """f(w) = 0.5 * sum_i c_i * w_i**2."""
    return 0.5 * (L.tensor(CURVATURE) * w * w).sum()


def trajectory(make_optimizer, lr_scale: float = 1.0) -> np.ndarray:
    """The (STEPS + 1, 2) path of the parameter."""
    w = nn.Parameter(L.tensor(np.array(START)))
    opt = make_optimizer([w])
    for group in opt.param_groups:
        group["lr"] *= lr_scale
    path = [w.numpy().copy()]
    for _ in range(STEPS):
        opt.zero_grad()
        loss_fn(w).backward()
        opt.step()
        path.append(w.numpy().copy())
    return np.array(path)


def final_loss(path: np.ndarray) -> float:
    return float(0.5 * (CURVATURE * path[-1] ** 2).sum())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="folder for the PNG (default: a temp folder)")
    out = parser.parse_args().out or Path(tempfile.mkdtemp(prefix="lamina-"))
    out.mkdir(parents=True, exist_ok=True)

    print(f"start loss = {final_loss(np.array([START])):.4f}")
    print(f"condition number = {CURVATURE.max() / CURVATURE.min():.1f}")
    paths = {name: trajectory(make) for name, make in OPTIMIZERS.items()}
    for name, path in paths.items():
        print(f"{name} final loss = {final_loss(path):.3e}")
    # The stability limit of plain gradient descent: lr < 2 / largest curvature = 0.04.
    for lr in (0.039, 0.041):
        path = trajectory(lambda p, lr=lr: optim.SGD(p, lr=lr))
        print(f"SGD lr={lr} final loss = {final_loss(path):.3e}")

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    gx, gy = np.meshgrid(np.linspace(-4.5, 4.5, 200), np.linspace(-1.5, 1.5, 200))
    fig, ax = plt.subplots(figsize=(8, 4))
    ax.contour(gx, gy, 0.5 * (gx**2 + 50 * gy**2), levels=np.logspace(-2, 2, 12), cmap="Greys")
    for name, path in paths.items():
        ax.plot(path[:, 0], path[:, 1], marker=".", markersize=2, linewidth=1, label=name)
    ax.plot(0, 0, "k*", markersize=10)
    ax.set(xlabel="x", ylabel="y", title="f = 0.5 (x^2 + 50 y^2), 100 steps from (-4, 1)")
    ax.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    fig.savefig(out / "optimizers_loss_surface.png")
    print(f"saved {out / 'optimizers_loss_surface.png'}")


if __name__ == "__main__":
    main()
