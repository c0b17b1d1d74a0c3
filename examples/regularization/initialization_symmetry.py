"""The symmetry pitfall: constant initial weights make every hidden unit the same forever.

If all weights of a layer start equal, every hidden unit computes the same output, receives
the same gradient and takes the same step, so after any number of updates the units are still
copies of one another: the layer behaves as a single unit. With all-zero weights the hidden
layer even gets no gradient at all (the output weights that would carry it are zero). Random
initial weights break the symmetry. The task is XOR-like (the sign of x1 * x2), which one
hidden unit cannot solve.

Run: python examples/regularization/initialization_symmetry.py
"""

from __future__ import annotations

import numpy as np

import lamina as L
import lamina.nn as nn
import lamina.nn.functional as F
import lamina.optim as optim


def train(init: str, x: L.Tensor, y: L.Tensor, steps: int = 300) -> tuple[nn.Sequential, float]:
    """A 2-8-1 tanh network trained by full-batch SGD from the named initialization."""
    net = nn.Sequential(nn.Linear(2, 8, rng=np.random.default_rng(0)), nn.Tanh(), nn.Linear(8, 1))
    if init != "random":
        value = 0.5 if init == "constant" else 0.0
        for p in net.parameters():
            nn.init.constant_(p, value)
    opt = optim.SGD(net.parameters(), lr=0.5, momentum=0.9)
    for _ in range(steps):
        opt.zero_grad()
        loss = F.binary_cross_entropy_with_logits(net(x), y)
        loss.backward()
        opt.step()
    return net, float(loss.item())


def main() -> None:
    rng = np.random.default_rng(0)
    xs = rng.uniform(-1, 1, (256, 2)).astype(np.float32)
    x = L.tensor(xs)
    y = L.tensor((xs[:, :1] * xs[:, 1:] > 0).astype(np.float32))
    for init in ("constant", "zeros", "random"):
        net, loss = train(init, x, y)
        w = net[0].weight.numpy()  # (8 hidden units, 2 inputs): one row per unit
        spread = float(np.abs(w - w[0]).max())  # 0 when every unit equals the first
        accuracy = float(((net(x).numpy() > 0) == (y.numpy() > 0.5)).mean())
        print(f"{init}: max difference between hidden units = {spread:.3e}")
        print(f"{init}: final loss = {loss:.4f}")
        print(f"{init}: accuracy = {accuracy:.3f}")


if __name__ == "__main__":
    main()
