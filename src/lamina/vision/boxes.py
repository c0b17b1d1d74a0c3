"""Bounding boxes: formats, areas, clipping, IoU and generalized IoU (torchvision's formulas).

Boxes are float arrays whose last axis holds 4 numbers in one of three formats:

- ``xyxy``: (x1, y1, x2, y2), the top-left and bottom-right corners (x1 <= x2, y1 <= y2);
- ``xywh``: (x1, y1, w, h), the top-left corner, width and height;
- ``cxcywh``: (cx, cy, w, h), the centre, width and height.

x runs along image columns (width), y along rows (height), as in torchvision.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lamina.errors import ShapeError, check_in

__all__ = [
    "BOX_FORMATS",
    "box_area",
    "box_convert",
    "box_iou",
    "clip_boxes_to_image",
    "generalized_box_iou",
]

BOX_FORMATS = ("xyxy", "xywh", "cxcywh")


def as_boxes(owner: str, boxes: Any, name: str = "boxes") -> np.ndarray:
    """``boxes`` as a float array of shape (..., 4); integers become float32."""
    b = np.asarray(boxes)
    if b.ndim == 0 or b.shape[-1] != 4:
        raise ShapeError(f"{owner}: expected {name} of shape (..., 4), got {b.shape}")
    if not np.issubdtype(b.dtype, np.floating):
        b = b.astype(np.float32)
    return b


def box_convert(boxes: Any, in_fmt: str, out_fmt: str) -> np.ndarray:
    """Convert boxes between ``xyxy``, ``xywh`` and ``cxcywh``, as torchvision.ops.box_convert.

    xywh -> xyxy: (x1, y1, x1 + w, y1 + h);  cxcywh -> xyxy: (cx - w/2, cy - h/2, cx + w/2,
    cy + h/2);  xyxy -> xywh: (x1, y1, x2 - x1, y2 - y1);  xyxy -> cxcywh: ((x1 + x2)/2,
    (y1 + y2)/2, x2 - x1, y2 - y1).

    Parameters
    ----------
    boxes : array (..., 4)
    in_fmt, out_fmt : {"xyxy", "xywh", "cxcywh"}

    Returns
    -------
    ndarray (..., 4), the dtype of ``boxes`` (float32 for integer input)
    """
    check_in("box_convert", "in_fmt", in_fmt, BOX_FORMATS)
    check_in("box_convert", "out_fmt", out_fmt, BOX_FORMATS)
    b = as_boxes("box_convert", boxes)
    a, c, e, f = (b[..., i] for i in range(4))
    if in_fmt == "xywh":
        b = np.stack([a, c, a + e, c + f], axis=-1)
    elif in_fmt == "cxcywh":
        b = np.stack([a - e / 2, c - f / 2, a + e / 2, c + f / 2], axis=-1)
    x1, y1, x2, y2 = (b[..., i] for i in range(4))
    if out_fmt == "xywh":
        return np.stack([x1, y1, x2 - x1, y2 - y1], axis=-1)
    if out_fmt == "cxcywh":
        return np.stack([(x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1], axis=-1)
    return b.copy() if b is boxes else b


def box_area(boxes: Any, fmt: str = "xyxy") -> np.ndarray:
    """Areas (x2 - x1) * (y2 - y1) of boxes (..., 4) in format ``fmt``; shape (...,)."""
    check_in("box_area", "fmt", fmt, BOX_FORMATS)
    b = as_boxes("box_area", boxes)
    if fmt != "xyxy":
        return b[..., 2] * b[..., 3]
    return (b[..., 2] - b[..., 0]) * (b[..., 3] - b[..., 1])


def clip_boxes_to_image(boxes: Any, size: tuple[int, int]) -> np.ndarray:
    """``xyxy`` boxes clipped to an image of ``size`` = (height, width).

    x = min(max(x, 0), width);  y = min(max(y, 0), height), as torchvision.
    """
    b = as_boxes("clip_boxes_to_image", boxes)
    if len(size) != 2:
        raise ShapeError(f"clip_boxes_to_image: expected size (height, width), got {size!r}")
    h, w = size
    out = b.copy()
    out[..., 0::2] = np.clip(b[..., 0::2], 0, w)
    out[..., 1::2] = np.clip(b[..., 1::2], 0, h)
    return out


def _inter_union(owner: str, boxes1: Any, boxes2: Any) -> tuple[np.ndarray, ...]:
    a = as_boxes(owner, boxes1, "boxes1")
    b = as_boxes(owner, boxes2, "boxes2")
    dtype = np.result_type(a.dtype, b.dtype)
    a, b = a.astype(dtype, copy=False), b.astype(dtype, copy=False)
    lt = np.maximum(a[..., :, None, :2], b[..., None, :, :2])
    rb = np.minimum(a[..., :, None, 2:], b[..., None, :, 2:])
    wh = np.clip(rb - lt, 0, None)
    inter = wh[..., 0] * wh[..., 1]
    union = box_area(a)[..., :, None] + box_area(b)[..., None, :] - inter
    return a, b, inter, union


def box_iou(boxes1: Any, boxes2: Any, fmt: str = "xyxy") -> np.ndarray:
    """Pairwise intersection over union, as torchvision.ops.box_iou.

    IoU(a, b) = |a & b| / |a | b| = inter / (area(a) + area(b) - inter), with
    inter = max(0, min(a.x2, b.x2) - max(a.x1, b.x1)) * max(0, min(a.y2, b.y2) - max(a.y1, b.y1)).
    Two zero-area boxes with no intersection give 0 / 0 = nan, as torchvision.

    Parameters
    ----------
    boxes1 : array (..., N, 4)
    boxes2 : array (..., M, 4)
    fmt : {"xyxy", "xywh", "cxcywh"}

    Returns
    -------
    ndarray (..., N, M)

    Examples
    --------
    >>> box_iou([[0, 0, 2, 2]], [[1, 1, 3, 3], [0, 0, 2, 2]])
    array([[0.14285715, 1.        ]], dtype=float32)
    """
    check_in("box_iou", "fmt", fmt, BOX_FORMATS)
    if fmt != "xyxy":
        boxes1, boxes2 = box_convert(boxes1, fmt, "xyxy"), box_convert(boxes2, fmt, "xyxy")
    _, _, inter, union = _inter_union("box_iou", boxes1, boxes2)
    with np.errstate(invalid="ignore", divide="ignore"):
        return inter / union


def generalized_box_iou(boxes1: Any, boxes2: Any) -> np.ndarray:
    """Pairwise generalized IoU of ``xyxy`` boxes, as torchvision.ops.generalized_box_iou.

    GIoU(a, b) = IoU(a, b) - (|C| - |a | b|) / |C|, with C the smallest box enclosing a and b;
    in [-1, 1], and -> -1 as disjoint boxes move apart (Rezatofighi et al., 2019).

    Parameters
    ----------
    boxes1 : array (..., N, 4)
    boxes2 : array (..., M, 4)

    Returns
    -------
    ndarray (..., N, M)
    """
    a, b, inter, union = _inter_union("generalized_box_iou", boxes1, boxes2)
    lt = np.minimum(a[..., :, None, :2], b[..., None, :, :2])
    rb = np.maximum(a[..., :, None, 2:], b[..., None, :, 2:])
    wh = np.clip(rb - lt, 0, None)
    enclosing = wh[..., 0] * wh[..., 1]
    with np.errstate(invalid="ignore", divide="ignore"):
        return inter / union - (enclosing - union) / enclosing
