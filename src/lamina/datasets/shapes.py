"""Generated detection data: squares, discs and triangles on noisy backgrounds."""

from __future__ import annotations

import numpy as np

from lamina.errors import check_positive_int

__all__ = ["SHAPE_CLASSES", "make_shapes"]

SHAPE_CLASSES = ("square", "disc", "triangle")


def _mask(kind: int, size: int) -> np.ndarray:
    """A (size, size) boolean mask of shape ``kind`` filling its box."""
    r, c = np.mgrid[0:size, 0:size] + 0.5
    if kind == 0:
        return np.ones((size, size), bool)
    if kind == 1:
        return (r - size / 2) ** 2 + (c - size / 2) ** 2 <= (size / 2) ** 2
    return np.abs(c - size / 2) <= r / 2  # apex at the top, base along the bottom row


def make_shapes(
    n_images: int = 1000,
    image_size: int = 48,
    size_range: tuple[int, int] = (8, 18),
    max_shapes: int = 4,
    noise: float = 0.1,
    seed: int = 0,
) -> tuple[np.ndarray, list[np.ndarray], list[np.ndarray]]:
    """Grey images each holding 1..max_shapes non-overlapping shapes of 3 kinds, with boxes.

    Each image: background level b ~ U(0, 0.4) plus Gaussian noise (std ``noise``); each shape
    (square, disc or triangle, side s ~ U{size_range}) is painted with intensity
    b + U(0.4, 0.6) at a random position, its box at least 1 pixel from every other box.

    Parameters
    ----------
    n_images, image_size : int
    size_range : (int, int)
        Smallest and largest side in pixels (inclusive).
    max_shapes : int
        Each image holds 1..max_shapes shapes (uniform).
    noise : float
        Standard deviation of the pixel noise.
    seed : int

    Returns
    -------
    images : ndarray (n_images, 1, image_size, image_size) float32
    boxes : list of ndarray (k, 4) float32, ``xyxy`` pixel coordinates per image
    labels : list of ndarray (k,) int64, indices into ``SHAPE_CLASSES``
    """
    check_positive_int(
        "make_shapes", n_images=n_images, image_size=image_size, max_shapes=max_shapes
    )
    lo, hi = size_range
    if not 1 <= lo <= hi <= image_size:
        raise ValueError(f"make_shapes: expected 1 <= size_range <= image_size, got {size_range}")
    rng = np.random.default_rng(seed)
    images = np.empty((n_images, 1, image_size, image_size), np.float32)
    all_boxes, all_labels = [], []
    for n in range(n_images):
        base = rng.uniform(0, 0.4)
        img = base + noise * rng.standard_normal((image_size, image_size))
        boxes: list[list[int]] = []
        labels: list[int] = []
        for _ in range(rng.integers(1, max_shapes + 1)):
            for _try in range(50):  # rejection sampling: boxes keep a 1-pixel gap
                s = int(rng.integers(lo, hi + 1))
                x, y = (int(v) for v in rng.integers(0, image_size - s + 1, 2))
                if all(
                    x >= bx2 + 1 or x + s + 1 <= bx1 or y >= by2 + 1 or y + s + 1 <= by1
                    for bx1, by1, bx2, by2 in boxes
                ):
                    kind = int(rng.integers(0, len(SHAPE_CLASSES)))
                    img[y : y + s, x : x + s][_mask(kind, s)] += rng.uniform(0.4, 0.6)
                    boxes.append([x, y, x + s, y + s])
                    labels.append(kind)
                    break
        images[n, 0] = img
        all_boxes.append(np.asarray(boxes, np.float32).reshape(-1, 4))
        all_labels.append(np.asarray(labels, np.int64))
    return images, all_boxes, all_labels
