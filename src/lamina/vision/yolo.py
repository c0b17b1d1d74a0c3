"""YOLO (v1) grid targets: boxes to an S x S x (5B + C) tensor and back.

Redmon et al., "You Only Look Once" (2016): the image is cut into S x S cells; the cell
holding a box's centre predicts it. Each cell holds B boxes (x, y, w, h, confidence) and C
class probabilities: x, y are the centre's offset inside the cell in [0, 1), w, h the box's
size as a fraction of the image.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lamina.errors import ShapeError, check_positive_int
from lamina.vision.boxes import as_boxes
from lamina.vision.suppression import batched_nms

__all__ = ["yolo_decode", "yolo_encode"]


def yolo_encode(
    boxes: Any, labels: Any, S: int = 7, B: int = 2, C: int = 20, image_size: float = 1.0
) -> np.ndarray:
    """The YOLO v1 target of one image: an (S, S, 5B + C) float32 array.

    For a box (x1, y1, x2, y2) with centre (cx, cy) = ((x1 + x2)/2, (y1 + y2)/2) / image_size:
    cell (i, j) = (floor(cy * S), floor(cx * S)); its B slots each hold
    (cx * S - j, cy * S - i, (x2 - x1) / image_size, (y2 - y1) / image_size, 1) and its class
    part the one-hot label. Other cells are zero.

    Parameters
    ----------
    boxes : array (K, 4), ``xyxy``, the image spanning [0, image_size] on both axes
    labels : array (K,) of int in [0, C)
    S, B, C : int
        Grid size, boxes per cell, classes.
    image_size : float
        The image's side in the units of ``boxes`` (1.0: normalized coordinates).

    Returns
    -------
    ndarray (S, S, 5 * B + C) float32

    Notes
    -----
    One object per cell, as in YOLO v1: a box whose centre falls in a cell already taken by an
    earlier box is left out.
    """
    check_positive_int("yolo_encode", S=S, B=B, C=C)
    b = as_boxes("yolo_encode", boxes, "boxes").astype(np.float64).reshape(-1, 4) / image_size
    lab = np.asarray(labels, dtype=np.int64).reshape(-1)
    if len(lab) != len(b):
        raise ShapeError(f"yolo_encode: expected one label per box ({len(b)}), got {len(lab)}")
    if len(lab) and (lab.min() < 0 or lab.max() >= C):
        raise ValueError(f"yolo_encode: labels must be in [0, {C}), got {lab.min()}..{lab.max()}")
    target = np.zeros((S, S, 5 * B + C), np.float32)
    for (x1, y1, x2, y2), k in zip(b, lab, strict=True):
        cx, cy = (x1 + x2) / 2 * S, (y1 + y2) / 2 * S
        i, j = min(int(cy), S - 1), min(int(cx), S - 1)
        if target[i, j, 4] == 1:
            continue
        target[i, j, : 5 * B] = np.tile([cx - j, cy - i, x2 - x1, y2 - y1, 1.0], B)
        target[i, j, 5 * B + k] = 1
    return target


def yolo_decode(
    prediction: Any,
    B: int = 2,
    conf_threshold: float = 0.25,
    iou_threshold: float | None = 0.5,
    image_size: float = 1.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Boxes, scores and classes from one image's (S, S, 5B + C) YOLO v1 output.

    Each of the S*S*B predicted boxes scores conf_b * max_c p(c) (the class-specific
    confidence of the paper) and takes class argmax_c p(c); boxes scoring >= conf_threshold are
    kept, then non-maximum suppression within each class at ``iou_threshold`` (None: none).
    Box (i, j, b): centre ((j + x) / S, (i + y) / S), size (w, h), times ``image_size``.

    Returns
    -------
    boxes : ndarray (K, 4) ``xyxy``
    scores : ndarray (K,), decreasing
    classes : ndarray (K,) int64
    """
    p = np.asarray(getattr(prediction, "data", prediction), dtype=np.float64)
    if p.ndim != 3 or p.shape[0] != p.shape[1] or p.shape[2] <= 5 * B:
        raise ShapeError(f"yolo_decode: expected a prediction (S, S, 5*{B} + C), got {p.shape}")
    S = p.shape[0]
    cells = p[..., : 5 * B].reshape(S, S, B, 5)
    probs = p[..., 5 * B :]
    i, j = np.meshgrid(np.arange(S), np.arange(S), indexing="ij")
    cx = (j[..., None] + cells[..., 0]) / S
    cy = (i[..., None] + cells[..., 1]) / S
    w, h = cells[..., 2], cells[..., 3]
    boxes = np.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], -1).reshape(-1, 4)
    scores = (cells[..., 4] * probs.max(-1)[..., None]).reshape(-1)
    classes = np.repeat(probs.argmax(-1)[..., None], B, axis=-1).reshape(-1)
    keep = np.flatnonzero(scores >= conf_threshold)
    if iou_threshold is not None:
        keep = keep[batched_nms(boxes[keep], scores[keep], classes[keep], iou_threshold)]
    else:
        keep = keep[np.lexsort((keep, -scores[keep]))]
    return boxes[keep] * image_size, scores[keep], classes[keep].astype(np.int64)
