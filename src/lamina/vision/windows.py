"""Sliding windows and anchor boxes: the candidate boxes of classic and modern detectors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from lamina.errors import ShapeError, check_positive_int

__all__ = ["anchor_boxes", "sliding_windows"]


def _pair(owner: str, name: str, v: Any) -> tuple[int, int]:
    t = (v, v) if isinstance(v, (int, np.integer)) else tuple(v)
    if len(t) != 2:
        raise ValueError(f"{owner}: {name} must be an int or (int, int), got {v!r}")
    check_positive_int(owner, **{name: t[0]})
    check_positive_int(owner, **{name: t[1]})
    return int(t[0]), int(t[1])


def sliding_windows(image: np.ndarray, size: Any, stride: Any = 1) -> tuple[np.ndarray, np.ndarray]:
    """Every window of ``size`` = (h, w) taken every ``stride`` pixels, and its ``xyxy`` box.

    Window (r, c) covers rows r*s_h .. r*s_h + h - 1 and columns c*s_w .. c*s_w + w - 1;
    there are floor((H - h) / s_h) + 1 rows and floor((W - w) / s_w) + 1 columns of them
    (row-major order), as a convolution with kernel ``size`` and ``stride`` would see them.

    Parameters
    ----------
    image : array (H, W) or (C, H, W)
    size, stride : int or (int, int)

    Returns
    -------
    windows : ndarray (K, h, w) or (K, C, h, w), copies
    boxes : ndarray (K, 4) float32, (x1, y1, x2, y2) = (c*s_w, r*s_h, c*s_w + w, r*s_h + h)
    """
    x = np.asarray(image)
    if x.ndim not in (2, 3):
        raise ShapeError(f"sliding_windows: expected an image (H, W) or (C, H, W), got {x.shape}")
    (h, w), (sh, sw) = (
        _pair("sliding_windows", "size", size),
        _pair("sliding_windows", "stride", stride),
    )
    H, W = x.shape[-2:]
    if h > H or w > W:
        raise ShapeError(f"sliding_windows: window {(h, w)} is larger than the image {(H, W)}")
    view = np.lib.stride_tricks.sliding_window_view(x, (h, w), axis=(-2, -1))
    view = view[..., ::sh, ::sw, :, :]  # (..., rows, cols, h, w)
    rows, cols = view.shape[-4], view.shape[-3]
    windows = np.moveaxis(view.reshape(*x.shape[:-2], rows * cols, h, w), -3, 0).copy()
    r, c = np.meshgrid(np.arange(rows) * sh, np.arange(cols) * sw, indexing="ij")
    boxes = np.stack([c, r, c + w, r + h], -1).reshape(-1, 4).astype(np.float32)
    return windows, boxes


def anchor_boxes(
    feature_size: Any,
    stride: float,
    scales: Sequence[float] = (32.0,),
    aspect_ratios: Sequence[float] = (0.5, 1.0, 2.0),
) -> np.ndarray:
    """Anchors centred on every cell of a feature map: scales x aspect ratios per cell.

    Cell (i, j) has centre ((j + 0.5) * stride, (i + 0.5) * stride); an anchor of scale s and
    ratio r = h / w has w = s / sqrt(r), h = s * sqrt(r) (area s**2), as Faster R-CNN.

    Parameters
    ----------
    feature_size : int or (int, int)
        (rows, cols) of the feature map.
    stride : float
        Pixels per feature cell.
    scales, aspect_ratios : sequence of float

    Returns
    -------
    ndarray (rows * cols * len(scales) * len(aspect_ratios), 4) float32, ``xyxy``; the
    anchors of one cell are consecutive (scales outer, ratios inner), cells row-major.
    """
    rows, cols = _pair("anchor_boxes", "feature_size", feature_size)
    s = np.asarray(scales, np.float64).reshape(-1)
    r = np.asarray(aspect_ratios, np.float64).reshape(-1)
    if not (stride > 0 and s.size and r.size and (s > 0).all() and (r > 0).all()):
        raise ValueError(
            f"anchor_boxes: stride, scales and aspect_ratios must be > 0, got "
            f"{stride!r}, {list(s)}, {list(r)}"
        )
    w = (s[:, None] / np.sqrt(r)[None, :]).reshape(-1)
    h = (s[:, None] * np.sqrt(r)[None, :]).reshape(-1)
    cy, cx = np.meshgrid(
        (np.arange(rows) + 0.5) * stride, (np.arange(cols) + 0.5) * stride, indexing="ij"
    )
    cx, cy = cx.reshape(-1, 1), cy.reshape(-1, 1)
    out = np.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], -1)
    return out.reshape(-1, 4).astype(np.float32)
