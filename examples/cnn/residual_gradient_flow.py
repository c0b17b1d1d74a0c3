"""Residual connections: why a ResNet of 40 layers still trains and a plain net does not.

A plain deep net multiplies one Jacobian per layer into the gradient, so the gradient of the
first layers shrinks geometrically (vanishing gradients). A residual block computes
y = x + F(x): its Jacobian is I + dF/dx, so the identity path carries the gradient to the
first layer whatever F does. Both nets here have the same 40 tanh layers and the same weights.

Run: python examples/cnn/residual_gradient_flow.py [--out DIR]   -> DIR/residual_gradients.png
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

import lamina as L
from lamina import nn

DEPTH, WIDTH = 40, 32


class Net(nn.Module):
    def __init__(self, residual: bool, rng: np.random.Generator) -> None:
        super().__init__()
        self.residual = residual
        self.layers = nn.ModuleList(
            [nn.Linear(WIDTH, WIDTH, rng=np.random.default_rng(k)) for k in range(DEPTH)]
        )
        self.head = nn.Linear(WIDTH, 1, rng=rng)

    def forward(self, x: L.Tensor) -> L.Tensor:
        for layer in self.layers:
            fx = layer(x).tanh()
            x = x + fx if self.residual else fx  # the skip connection is the only difference
        return self.head(x)


def gradient_norms(residual: bool) -> list[float]:
    rng = np.random.default_rng(0)
    net = Net(residual, rng)
    x = L.tensor(rng.normal(size=(64, WIDTH)).astype(np.float32))
    y = L.tensor(rng.normal(size=(64, 1)).astype(np.float32))
    ((net(x) - y) ** 2).mean().backward()
    return [float(np.linalg.norm(layer.weight.grad.numpy())) for layer in net.layers]


def main(out: Path) -> None:
    plain, residual = gradient_norms(False), gradient_norms(True)
    for name, norms in (("plain", plain), ("residual", residual)):
        print(f"{name}: first layer grad {norms[0]:.3e} last layer grad {norms[-1]:.3e}")
    out.mkdir(parents=True, exist_ok=True)
    fig = Figure(figsize=(6, 4))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    for name, norms in (("plain", plain), ("residual", residual)):
        ax.semilogy(range(1, DEPTH + 1), norms, marker=".", label=name)
    ax.set(xlabel="layer (1 = nearest the input)", ylabel="weight gradient norm")
    ax.legend()
    path = out / "residual_gradients.png"
    fig.savefig(path)
    print(f"wrote {path}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Gradient flow with and without skips.")
    parser.add_argument("--out", type=Path, help="folder for the PNG (default: a temporary one)")
    main(parser.parse_args().out or Path(tempfile.mkdtemp(prefix="lamina-resnet-")))
