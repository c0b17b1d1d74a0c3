"""Activation functions and their derivatives, from autograd and from the closed forms.

    sigmoid(z) = 1 / (1 + exp(-z))        sigmoid'(z) = s (1 - s),  at most 0.25 (z = 0)
    tanh(z) = 2 sigmoid(2z) - 1           tanh'(z) = 1 - tanh(z)**2, at most 1
    relu(z) = max(0, z)                   relu'(z) = 1 if z > 0 else 0 (no saturation for z > 0)
    leaky_relu(z) = max(0.01 z, z)        leaky'(z) = 1 or 0.01 (never zero: no dead unit)
    elu(z) = z if z > 0 else exp(z) - 1   elu'(z) = 1 or exp(z)
    softmax(z)_k = exp(z_k) / sum_j exp(z_j): positive, sums to 1 (the output layer of a
    multi-class classifier)

Each derivative is taken by lamina's autograd (the gradient of sum(f(z)) is f'(z) elementwise)
and compared with its closed form on a grid; the figure draws every function and derivative.

Run: python examples/foundations/activations.py [--out DIR]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np

import lamina as L
import lamina.nn.functional as F


def closed_forms(z: np.ndarray) -> dict[str, tuple]:
    """name -> (lamina function, closed-form derivative on z)."""
    s = 1 / (1 + np.exp(-z))
    return {
        "sigmoid": (F.sigmoid, s * (1 - s)),
        "tanh": (F.tanh, 1 - np.tanh(z) ** 2),
        "relu": (F.relu, (z > 0).astype(float)),
        "leaky_relu": (lambda t: F.leaky_relu(t, 0.01), np.where(z > 0, 1.0, 0.01)),
        "elu": (F.elu, np.where(z > 0, 1.0, np.exp(z))),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="folder for the PNG (default: a temp folder)")
    out = parser.parse_args().out or Path(tempfile.mkdtemp(prefix="lamina-"))
    out.mkdir(parents=True, exist_ok=True)

    z_np = np.linspace(-5, 5, 1000) + 1e-3  # off the kink at 0
    curves = {}
    for name, (fn, derivative) in closed_forms(z_np).items():
        z = L.tensor(z_np, requires_grad=True)  # float64
        y = fn(z)
        y.sum().backward()
        curves[name] = (y.numpy(), z.grad.numpy())
        error = np.abs(z.grad.numpy() - derivative).max()
        print(f"{name}: max |autograd - closed form| = {error:.1e}")
        print(f"{name}: max derivative = {z.grad.numpy().max():.4f}")
        print(f"{name}: derivative at z=-5 = {z.grad.numpy()[0]:.4f}")
    tanh_via_sigmoid = 2 * F.sigmoid(L.tensor(2 * z_np)).numpy() - 1
    error = np.abs(curves["tanh"][0] - tanh_via_sigmoid).max()
    print(f"max |tanh(z) - (2 sigmoid(2z) - 1)| = {error:.1e}")
    p = F.softmax(L.tensor(np.array([[2.0, 1.0, 0.1]])), dim=1).numpy()
    print(f"softmax([2, 1, 0.1]) = {np.array2string(p.ravel(), precision=3)}")
    print(f"softmax sum = {p.sum():.6f}")

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (top, bottom) = plt.subplots(2, 1, figsize=(6, 6), sharex=True)
    for name, (value, grad) in curves.items():
        top.plot(z_np, value, label=name)
        bottom.plot(z_np, grad, label=name)
    top.set(ylabel="f(z)", ylim=(-1.5, 5))
    bottom.set(xlabel="z", ylabel="f'(z)")
    top.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "activations.png")
    print(f"saved {out / 'activations.png'}")


if __name__ == "__main__":
    main()
