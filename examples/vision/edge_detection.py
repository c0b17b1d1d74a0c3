"""Edge detection by convolution, on the course's 6 x 6 examples.

A vertical-edge kernel [[1, 0, -1]] * 3 rows answers "bright on the left, dark on the right":
on an image whose left half is 10 and right half 0, the 4 x 4 output is 0 away from the edge
and 30 along it (a 6 x 6 image and a 3 x 3 kernel give (6 - 3 + 1) = 4). Flip the image and
the sign flips (-30: dark to bright). Its transpose finds horizontal edges. Edge kernels sum to
0 (a solid fill gives 0); a sharpening kernel sums to 1 (a solid fill is unchanged); a blur
averages. Deep-learning "convolution" is cross-correlation: the kernel is not flipped.

Run: python examples/vision/edge_detection.py
"""

from __future__ import annotations

import numpy as np

import lamina as L
import lamina.nn.functional as F
from lamina.vision import box_blur, convolve2d, correlate2d, sharpen, sobel_x

VERTICAL = np.array([[1.0, 0.0, -1.0]] * 3)


def main() -> None:
    image = np.array([[10.0] * 3 + [0.0] * 3] * 6)  # bright left half, dark right half
    edges = correlate2d(image, VERTICAL, mode="valid")
    print(f"vertical edges: {edges.astype(int).tolist()}")
    by_conv2d = F.conv2d(L.tensor(image[None, None]), L.tensor(VERTICAL[None, None])).numpy()
    print(f"conv2d equals cross-correlation: {bool(np.array_equal(by_conv2d[0, 0], edges))}")
    flipped = correlate2d(image[:, ::-1], VERTICAL, mode="valid")
    print(f"dark to bright: {flipped[0].astype(int).tolist()}")
    true_conv = convolve2d(image, VERTICAL, mode="valid")  # the kernel flipped first
    print(f"true convolution flips the sign here: {bool(np.array_equal(true_conv, -edges))}")

    horizontal = np.array([[10.0] * 6] * 3 + [[0.0] * 6] * 3)  # bright top, dark bottom
    rows = correlate2d(horizontal, VERTICAL.T, mode="valid")[:, 0]
    print(f"horizontal edges: {rows.astype(int).tolist()}")

    solid = np.full((5, 5), 7.0)
    for name, kernel in (
        ("vertical", VERTICAL),
        ("Sobel x", sobel_x()),
        ("sharpen", sharpen()),
        ("blur", box_blur(3)),
    ):
        centre = correlate2d(solid, kernel, mode="valid")[1, 1]
        print(f"{name:<8} kernel sum {kernel.sum():.0f}, on a solid fill of 7: {centre:.2f}")


if __name__ == "__main__":
    main()
