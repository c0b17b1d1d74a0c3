"""1 x 1 convolutions and the Inception module.

A 1 x 1 convolution is a dense layer applied at every pixel across the channels: it changes
the number of channels (here 192 -> 16) and leaves height and width alone. Inception uses it
as a bottleneck before costly filters: a 5 x 5 convolution from 28 x 28 x 192 to 32 channels
costs 28*28*32 * 5*5*192 = 120.4 M multiplications; squeezing to 16 channels first costs
28*28*16*192 + 28*28*32 * 5*5*16 = 12.4 M. An Inception module runs 1x1, 3x3, 5x5 (3x3 in
torchvision's variant) and pooling branches side by side and concatenates their channels.

Run: python examples/cnn/one_by_one_conv.py
"""

from __future__ import annotations

import numpy as np

import lamina as L
from lamina import models, nn


def main() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(1, 192, 28, 28)).astype(np.float32)
    squeeze = nn.Conv2d(192, 16, 1)
    y = squeeze(L.tensor(x)).numpy()
    print(f"1x1 conv: {x.shape[1:]} -> {y.shape[1:]}")
    # The same numbers as one matrix product per pixel: W (16 x 192) times the channel vector.
    w = squeeze.weight.numpy()[:, :, 0, 0]
    b = squeeze.bias.numpy()
    per_pixel = np.einsum("oc,chw->ohw", w, x[0]) + b[:, None, None]
    print(
        f"1x1 conv equals a dense layer per pixel: {bool(np.allclose(y[0], per_pixel, atol=1e-4))}"
    )

    direct = 28 * 28 * 32 * 5 * 5 * 192
    bottleneck = 28 * 28 * 16 * 192 + 28 * 28 * 32 * 5 * 5 * 16
    print(f"multiplications 5x5 direct {direct:,} with 1x1 bottleneck {bottleneck:,}")
    params_direct = sum(p.numel() for p in nn.Conv2d(192, 32, 5).parameters())
    params_bottle = sum(
        p.numel() for p in nn.Sequential(nn.Conv2d(192, 16, 1), nn.Conv2d(16, 32, 5)).parameters()
    )
    print(f"parameters 5x5 direct {params_direct:,} with 1x1 bottleneck {params_bottle:,}")

    # GoogLeNet's module 3a: 64 + 128 + 32 + 32 = 256 output channels, same height and width.
    block = models.Inception(192, 64, 96, 128, 16, 32, 32)
    out = block(L.tensor(x[:, :, :14, :14]))
    print(f"Inception 3a: (192, 14, 14) -> {tuple(out.shape[1:])}")


if __name__ == "__main__":
    main()
