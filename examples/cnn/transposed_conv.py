"""Transposed convolution ("deconvolution"): the layer that grows a feature map.

Each input pixel stamps a scaled copy of the k x k kernel onto the output, copies s pixels
apart, so the output side is

    n_out = (n - 1) * s - 2p + d(k - 1) + output_padding + 1

With k = s = 2 the stamps tile the output without overlap: a 2 x 2 map becomes 4 x 4. It is
the gradient of a convolution with respect to its input (the same shapes, run backwards).

Run: python examples/cnn/transposed_conv.py
"""

from __future__ import annotations

import numpy as np

import lamina as L
import lamina.nn.functional as F
from lamina import nn


def main() -> None:
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    kernel = np.array([[1.0, 0.5], [0.25, 0.0]])
    y = F.conv_transpose2d(L.tensor(x[None, None]), L.tensor(kernel[None, None]), stride=2)
    stamped = np.kron(x, kernel)  # each pixel times the kernel, placed 2 apart
    print(f"2x2 -> {tuple(y.shape[-2:])} by conv_transpose2d: {y.numpy()[0, 0].tolist()}")
    print(f"stamps placed by hand equal: {bool(np.allclose(y.numpy()[0, 0], stamped))}")

    for n, k, p, s, op in [(2, 2, 0, 2, 0), (7, 3, 1, 2, 1), (16, 4, 1, 2, 0), (5, 3, 0, 1, 0)]:
        formula = (n - 1) * s - 2 * p + (k - 1) + op + 1
        layer = nn.ConvTranspose2d(1, 1, k, stride=s, padding=p, output_padding=op)
        got = layer(L.zeros((1, 1, n, n))).shape[-1]
        print(f"size n={n} k={k} p={p} s={s} output_padding={op}: formula {formula} layer {got}")

    # Transposed convolution is the input-gradient of a convolution with the same kernel.
    rng = np.random.default_rng(0)
    w = rng.normal(size=(1, 1, 3, 3))
    g = rng.normal(size=(1, 1, 3, 3))  # a gradient arriving at a 3x3 conv output
    inp = L.tensor(np.zeros((1, 1, 7, 7)), requires_grad=True)
    F.conv2d(inp, L.tensor(w), stride=2).backward(L.tensor(g))
    up = F.conv_transpose2d(L.tensor(g), L.tensor(w), stride=2).numpy()
    print(
        f"conv2d input-gradient equals conv_transpose2d: {bool(np.allclose(inp.grad.numpy(), up))}"
    )


if __name__ == "__main__":
    main()
