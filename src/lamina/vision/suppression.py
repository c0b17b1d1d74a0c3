"""Non-maximum suppression: keep the best box of each cluster of overlapping boxes."""

from __future__ import annotations

from typing import Any

import numpy as np

from lamina.errors import ShapeError
from lamina.vision.boxes import as_boxes

__all__ = ["batched_nms", "nms"]


def _scores(owner: str, boxes: np.ndarray, scores: Any, name: str = "scores") -> np.ndarray:
    s = np.asarray(scores)
    if boxes.ndim != 2 or s.shape != boxes.shape[:1]:
        raise ShapeError(
            f"{owner}: expected boxes (N, 4) and {name} (N,), got {boxes.shape} and {s.shape}"
        )
    return s


def nms(boxes: Any, scores: Any, iou_threshold: float) -> np.ndarray:
    """Greedy non-maximum suppression, with torchvision.ops.nms's semantics.

    Visit boxes in decreasing score (equal scores: lower index first); keep a box unless
    IoU(box, kept) > iou_threshold for a box kept before it.

    Parameters
    ----------
    boxes : array (N, 4), ``xyxy``
    scores : array (N,)
    iou_threshold : float
        Boxes overlapping a kept box by more than this are dropped.

    Returns
    -------
    ndarray (K,) int64: indices of the kept boxes, in decreasing score.

    Examples
    --------
    >>> nms([[0, 0, 10, 10], [1, 1, 10, 10], [20, 20, 30, 30]], [0.9, 0.8, 0.7], 0.5)
    array([0, 2])
    """
    b = as_boxes("nms", boxes).astype(np.float64)
    s = _scores("nms", b, scores)
    order = np.argsort(-s, kind="stable")
    if len(order) == 0:
        return np.zeros(0, np.int64)
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    src, dst = _overlapping_pairs(b, float(iou_threshold))
    first, second = np.minimum(rank[src], rank[dst]), np.maximum(rank[src], rank[dst])
    by_first = np.argsort(first, kind="stable")
    starts = np.searchsorted(first[by_first], np.arange(len(order) + 1)).tolist()
    targets = second[by_first].tolist()
    removed = bytearray(len(order))
    keep = []
    for r in range(len(order)):  # greedy in score order over the (sparse) suppression graph
        if not removed[r]:
            keep.append(r)
            for t in targets[starts[r] : starts[r + 1]]:
                removed[t] = 1
    return order[np.asarray(keep, dtype=np.int64)].astype(np.int64)


def _iou_above(
    c: tuple[np.ndarray, ...], i: np.ndarray, j: np.ndarray, threshold: float
) -> np.ndarray:
    x1, y1, x2, y2, area = c
    w = np.minimum(x2[i], x2[j]) - np.maximum(x1[i], x1[j])
    h = np.minimum(y2[i], y2[j]) - np.maximum(y1[i], y1[j])
    inter = np.maximum(w, 0) * np.maximum(h, 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (
            inter > threshold * (area[i] + area[j] - inter)
            if threshold >= 0
            else (inter / (area[i] + area[j] - inter) > threshold)
        )


def _overlapping_pairs(b: np.ndarray, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (i, j), i != j, with IoU(b_i, b_j) > threshold, each pair once.

    For threshold >= 0 only boxes whose x-ranges overlap can qualify: a sweep over the boxes
    sorted by x1 pairs each box with those starting before it ends, in chunks, so 10,000
    boxes need no 10,000 x 10,000 matrix. IoU > t is tested as inter > t * union (union > 0
    whenever inter > 0), which also leaves 0 / 0 unsuppressed as the division would.
    """
    n = len(b)
    if threshold < 0:  # every pair, even disjoint boxes (IoU 0 > threshold)
        i, j = np.triu_indices(n, 1)
        c = (*b.T, (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1]))
        hit = _iou_above(c, i, j, threshold)
        return i[hit], j[hit]
    xs = np.argsort(b[:, 0], kind="stable")
    s = b[xs]
    c = (
        *(np.ascontiguousarray(s[:, k]) for k in range(4)),
        (s[:, 2] - s[:, 0]) * (s[:, 3] - s[:, 1]),
    )
    ends = np.searchsorted(c[0], c[2], side="left")
    found_i, found_j = [], []
    for lo in range(0, n, 1024):
        pos = np.arange(lo, min(lo + 1024, n))
        counts = np.maximum(ends[pos] - pos - 1, 0)
        a = np.repeat(pos, counts)
        other = np.arange(len(a)) - np.repeat(np.cumsum(counts) - counts - pos - 1, counts)
        near = (c[1][other] < c[3][a]) & (c[1][a] < c[3][other])  # y-ranges overlap too
        a, other = a[near], other[near]
        hit = _iou_above(c, a, other, threshold)
        found_i.append(xs[a[hit]])
        found_j.append(xs[other[hit]])
    return np.concatenate(found_i), np.concatenate(found_j)


def batched_nms(boxes: Any, scores: Any, classes: Any, iou_threshold: float) -> np.ndarray:
    """Non-maximum suppression within each class, as torchvision.ops.batched_nms.

    Boxes of different classes never suppress each other. Returns the kept indices of all
    classes together, in decreasing score (equal scores: lower index first).

    Parameters
    ----------
    boxes : array (N, 4), ``xyxy``
    scores : array (N,)
    classes : array (N,) of int
    iou_threshold : float
    """
    b = as_boxes("batched_nms", boxes)
    s = _scores("batched_nms", b, scores)
    c = _scores("batched_nms", b, classes, "classes")
    kept = [np.flatnonzero(c == k)[nms(b[c == k], s[c == k], iou_threshold)] for k in np.unique(c)]
    idx = np.concatenate(kept) if kept else np.zeros(0, np.int64)
    order = np.lexsort((idx, -s[idx]))
    return idx[order].astype(np.int64)
