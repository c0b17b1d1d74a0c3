"""Pooling: max, average and L2 pooling of the course's 4 x 4 example, and how each passes
the gradient back.

A 2 x 2 pool with stride 2 summarizes each window by one number; it has no parameters.
Max pooling sends the whole gradient to the window's largest input (a mask), average pooling
spreads it evenly (1/4 each), and the course's L2 pooling is (1/k) * sqrt(sum of squares).

Run: python examples/cnn/pooling.py
"""

from __future__ import annotations

import numpy as np

import lamina as L
from lamina import nn

X = np.array(
    [
        [2.0, 3.0, 1.0, 9.0],
        [4.0, 7.0, 3.0, 5.0],
        [8.0, 2.0, 2.0, 2.0],
        [1.0, 3.0, 4.0, 5.0],
    ]
)


def show(name: str, a: np.ndarray) -> None:
    print(f"{name}: {np.round(a, 4).tolist()}")


def main() -> None:
    pools = {"max": nn.MaxPool2d(2, 2), "average": nn.AvgPool2d(2, 2), "L2": nn.L2Pool2d(2, 2)}
    for name, pool in pools.items():
        x = L.tensor(X[None, None], requires_grad=True)  # (batch 1, channel 1, 4, 4)
        y = pool(x)
        y.sum().backward()  # d(sum)/dy = 1 for every pooled output
        show(f"{name} pool", y.numpy()[0, 0])
        show(f"{name} grad", x.grad.numpy()[0, 0])
        print(f"{name} parameters: {sum(p.numel() for p in pool.parameters())}")
    # The course's L2 pooling by hand on the first window: (1/4) * sqrt(2^2 + 3^2 + 4^2 + 7^2)
    print(f"L2 first window by hand: {np.sqrt(4 + 9 + 16 + 49) / 4:.4f}")


if __name__ == "__main__":
    main()
