"""Convolution by hand: one output pixel, output sizes and parameter counts from the formulas.

A convolution layer (deep-learning libraries compute a cross-correlation) slides a
k x k x c_in filter over the padded input; each output pixel is

    z[o, i, j] = b[o] + sum_{c, u, v} w[o, c, u, v] * x[c, i*s + u*d - p, j*s + v*d - p]

its output side is  floor((n + 2p - d(k - 1) - 1) / s) + 1,  and a layer of c_out filters has
(k*k*c_in + 1) * c_out parameters (one bias per filter). A depthwise-separable layer (a k x k
filter per channel, then a 1 x 1 convolution) costs k*k*c_in + c_in*c_out weights instead of
k*k*c_in*c_out: a fraction 1/c_out + 1/k^2 of the work. Sharing one filter across all
positions keeps the weights few (sparse connectivity) and makes the layer shift with its
input (translation equivariance).

Run: python examples/cnn/conv_by_hand.py
"""

from __future__ import annotations

import numpy as np

import lamina as L
import lamina.nn.functional as F
from lamina import nn


def one_pixel() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(1, 3, 6, 6))  # one RGB-like image, 6 x 6
    w = rng.normal(size=(4, 3, 3, 3))  # 4 filters of 3 x 3 x 3
    b = rng.normal(size=4)
    stride, pad, dil = 2, 1, 1
    z = F.conv2d(L.tensor(x), L.tensor(w), L.tensor(b), stride=stride, padding=pad).numpy()
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))  # zero padding
    o, i, j = 2, 1, 2  # filter 2, output row 1, column 2
    rows = i * stride + dil * np.arange(3)
    cols = j * stride + dil * np.arange(3)
    patch = xp[0][:, rows][:, :, cols]  # the 3 x 3 x 3 receptive field of that pixel
    by_hand = b[o] + np.sum(w[o] * patch)
    print(f"pixel (filter {o}, row {i}, col {j}): formula {by_hand:.6f} conv2d {z[0, o, i, j]:.6f}")


def output_sizes() -> None:
    print("output side = floor((n + 2p - d(k-1) - 1) / s) + 1")
    #          n    k  p  s  d
    settings = [
        (32, 3, 0, 1, 1),  # "valid": shrinks by k - 1
        (32, 3, 1, 1, 1),  # "same": p = (k - 1) / 2 keeps the size
        (32, 5, 2, 2, 1),  # stride 2 halves it
        (32, 3, 2, 1, 2),  # dilation 2: a 3 x 3 filter sees 5 x 5
        (28, 5, 0, 1, 1),  # LeNet's first layer: 28 -> 24
        (227, 11, 0, 4, 1),  # AlexNet's first layer: 227 -> 55
        (7, 3, 0, 2, 3),  # dilation 3: the filter spans 7, one position
    ]
    for n, k, p, s, d in settings:
        formula = (n + 2 * p - d * (k - 1) - 1) // s + 1
        layer = nn.Conv2d(1, 1, k, stride=s, padding=p, dilation=d)
        shape = layer(L.zeros((1, 1, n, n))).shape
        print(f"size n={n} k={k} p={p} s={s} d={d}: formula {formula} layer {shape[-1]}")


def parameter_counts() -> None:
    k, c_in, c_out = 3, 32, 64
    cases = {
        # name: (layer, count from the course's formula)
        "conv 3x3x3 -> 10 filters": (nn.Conv2d(3, 10, 3), (3 * 3 * 3 + 1) * 10),
        "conv 3x3, 32 -> 64": (nn.Conv2d(c_in, c_out, k), (k * k * c_in + 1) * c_out),
        "grouped conv, 4 groups": (
            nn.Conv2d(c_in, c_out, k, groups=4),
            k * k * (c_in // 4) * c_out + c_out,  # each filter sees c_in / groups channels
        ),
        "depthwise-separable": (
            nn.DepthwiseSeparableConv2d(c_in, c_out, k),
            (k * k + 1) * c_in + (c_in + 1) * c_out,  # depthwise k x k, then pointwise 1 x 1
        ),
    }
    for name, (layer, formula) in cases.items():
        counted = nn.summary(layer, (layer_in(layer), 8, 8)).total_params
        print(f"params {name}: formula {formula} summary {counted}")
    standard = k * k * c_in * c_out  # multiplications per output position
    separable = k * k * c_in + c_in * c_out
    print(
        f"separable/standard multiplications: {separable / standard:.4f} "
        f"= 1/c_out + 1/k^2 = {1 / c_out + 1 / k**2:.4f}"
    )


def weight_sharing() -> None:
    # One 5x5x3 filter bank slides over the whole image: its 456 weights serve every output
    # position. A dense layer with the same input and output sizes needs a weight per pair.
    conv = nn.Conv2d(3, 6, 5)
    dense = (32 * 32 * 3 + 1) * (28 * 28 * 6)
    shared = sum(p.numel() for p in conv.parameters())
    print(f"sparse connectivity: conv {shared} weights, dense {dense:,}")
    # Shared weights make the layer translation-equivariant: shift the input, the maps shift.
    x = np.zeros((1, 3, 32, 32), dtype=np.float32)
    x[0, :, 10:14, 8:12] = 1.0
    y = conv(L.tensor(x)).numpy()
    y_shifted = conv(L.tensor(np.roll(x, 2, axis=3))).numpy()
    same = np.allclose(np.roll(y, 2, axis=3)[..., 2:], y_shifted[..., 2:], atol=1e-5)
    print(f"input shifted 2 pixels right, feature maps shifted 2 right: {bool(same)}")


def layer_in(layer: nn.Module) -> int:
    conv = layer if isinstance(layer, nn.Conv2d) else layer.depthwise
    return conv.in_channels


if __name__ == "__main__":
    one_pixel()
    output_sizes()
    parameter_counts()
    weight_sharing()
