"""Vanishing and exploding gradients in a deep stack, and gradient clipping.

A 10-layer sigmoid network passes back at most 0.25 of the gradient per layer (the largest
value of sigmoid'(z)), so its first layer learns orders of magnitude slower than its last;
the same net with ReLU and He initialization keeps every layer's gradient within a small
factor. Weights twice too large make the ReLU net's gradient grow layer after layer instead
(exploding), and ``clip_grad_norm_`` rescales such a gradient to a chosen norm.

Run: python examples/regularization/vanishing_exploding_gradients.py [--out DIR]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np

import lamina as L
import lamina.nn as nn
import lamina.nn.functional as F
from lamina.nn.utils import clip_grad_norm_

DEPTH, WIDTH = 10, 64


def deep_net(activation: type[nn.Module], weight_scale: float, seed: int) -> nn.Sequential:
    """DEPTH linear layers; He-normal weights (std = sqrt(2 / fan_in)) times weight_scale."""
    rng = np.random.default_rng(seed)
    layers: list[nn.Module] = []
    for i in range(DEPTH):
        linear = nn.Linear(WIDTH if i else 16, WIDTH if i < DEPTH - 1 else 1, rng=rng)
        nn.init.kaiming_normal_(linear.weight, nonlinearity="relu", rng=rng)
        linear.weight.data *= weight_scale
        layers += [linear, activation()] if i < DEPTH - 1 else [linear]
    return nn.Sequential(*layers)


def layer_grad_norms(net: nn.Sequential, x: L.Tensor, y: L.Tensor) -> list[float]:
    """||dLoss/dW_l|| of each linear layer, first to last, for one batch."""
    net.zero_grad()
    F.mse_loss(net(x), y).backward()
    return [float(np.linalg.norm(m.weight.grad.numpy())) for m in net if isinstance(m, nn.Linear)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="folder for the PNG (default: a temp folder)")
    out = parser.parse_args().out or Path(tempfile.mkdtemp(prefix="lamina-"))
    out.mkdir(parents=True, exist_ok=True)

    rng = np.random.default_rng(0)
    x = L.tensor(rng.standard_normal((128, 16)).astype(np.float32))
    y = L.tensor(rng.standard_normal((128, 1)).astype(np.float32))
    runs = {
        "sigmoid": deep_net(nn.Sigmoid, 1.0, seed=1),
        "relu": deep_net(nn.ReLU, 1.0, seed=1),
        "relu, weights x2": deep_net(nn.ReLU, 2.0, seed=1),
    }
    norms = {name: layer_grad_norms(net, x, y) for name, net in runs.items()}
    print("gradient norm of each layer's weight, layer 1 (input) to 10 (output):")
    for name, values in norms.items():
        print(f"  {name:<17}" + " ".join(f"{v:8.1e}" for v in values))
    for name, values in norms.items():
        key = name.replace(", weights x2", "_x2")
        print(f"{key} first/last ratio = {values[0] / values[-1]:.3e}")
        print(f"{key} total norm = {np.sqrt(np.sum(np.square(values))):.3e}")

    # Clipping: rescale the exploding gradient so that its global L2 norm is at most 1.
    net = runs["relu, weights x2"]
    layer_grad_norms(net, x, y)
    before = float(clip_grad_norm_(net.parameters(), max_norm=1.0).item())
    after = float(np.sqrt(sum((p.grad.numpy() ** 2).sum() for p in net.parameters())))
    print(f"clip_grad_norm_: total norm before = {before:.3e}, after = {after:.4f}")

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    for name, values in norms.items():
        ax.semilogy(range(1, DEPTH + 1), values, marker="o", label=name)
    ax.set(xlabel="layer (1 = input side)", ylabel="||dL/dW||", title="gradient norm per layer")
    ax.legend()
    fig.tight_layout()
    fig.savefig(out / "vanishing_exploding_gradients.png")
    print(f"saved {out / 'vanishing_exploding_gradients.png'}")


if __name__ == "__main__":
    main()
