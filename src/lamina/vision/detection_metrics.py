"""Average precision of a detector: PASCAL VOC's all-point interpolated AP and its mean."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from lamina.errors import ShapeError
from lamina.vision.boxes import box_iou

__all__ = ["average_precision", "mean_average_precision"]


def average_precision(recall: Any, precision: Any) -> float:
    """Area under the precision-recall curve, all-point interpolated (VOC 2010 on).

    AP = sum_k (r_k - r_{k-1}) * p_interp(r_k), with p_interp(r) = max_{r' >= r} p(r') and
    r_0 = 0: the precision envelope integrated over the recall steps.

    Parameters
    ----------
    recall, precision : array (K,)
        Cumulative recall (non-decreasing) and precision after each ranked detection.

    Examples
    --------
    >>> average_precision([0.5, 0.5, 1.0], [1.0, 0.5, 0.667])
    0.8335
    """
    r = np.concatenate([[0.0], np.asarray(recall, np.float64), [1.0]])
    p = np.concatenate([[0.0], np.asarray(precision, np.float64), [0.0]])
    if r.shape != p.shape:
        raise ShapeError(f"average_precision: recall and precision differ: {r.shape} vs {p.shape}")
    p = np.maximum.accumulate(p[::-1])[::-1]  # the envelope: best precision at recall >= r
    steps = np.flatnonzero(r[1:] != r[:-1])
    return float(np.sum((r[steps + 1] - r[steps]) * p[steps + 1]))


def _class_ap(
    k: int,
    detections: Sequence[tuple[Any, Any, Any]],
    truths: Sequence[tuple[Any, Any]],
    iou_threshold: float,
) -> float | None:
    """AP of class k over all images; None when no image holds a true box of class k."""
    gt = [np.asarray(b, np.float64).reshape(-1, 4)[np.asarray(lab) == k] for b, lab in truths]
    n_true = sum(len(g) for g in gt)
    if n_true == 0:
        return None
    found = []  # (score, image, box) of class k
    for img, (boxes, scores, labels) in enumerate(detections):
        mask = np.asarray(labels) == k
        b = np.asarray(boxes, np.float64).reshape(-1, 4)[mask]
        found += [(s, img, box) for s, box in zip(np.asarray(scores)[mask], b, strict=True)]
    found.sort(key=lambda d: -d[0])  # stable: equal scores keep image order
    used = [np.zeros(len(g), bool) for g in gt]
    tp = np.zeros(len(found))
    for d, (_, img, box) in enumerate(found):
        if len(gt[img]) == 0:
            continue
        iou = np.nan_to_num(box_iou(box[None], gt[img])[0])
        best = int(np.argmax(iou))
        if iou[best] >= iou_threshold and not used[img][best]:
            tp[d], used[img][best] = 1, True
    ctp = np.cumsum(tp)
    precision = ctp / np.arange(1, len(found) + 1)
    return average_precision(ctp / n_true, precision)


def mean_average_precision(
    detections: Sequence[tuple[Any, Any, Any]],
    truths: Sequence[tuple[Any, Any]],
    iou_threshold: float = 0.5,
    num_classes: int | None = None,
) -> float:
    """Mean over classes of the VOC average precision at an IoU threshold (mAP@t).

    Per class, detections of all images are ranked by score; each is a true positive when its
    best-overlapping true box of that class in its image has IoU >= iou_threshold and was not
    matched by a higher-scoring detection, else a false positive. precision = TP / ranked,
    recall = TP / true boxes; AP by ``average_precision``; classes without true boxes are left
    out of the mean.

    Parameters
    ----------
    detections : list over images of (boxes (K, 4) ``xyxy``, scores (K,), labels (K,))
    truths : list over images of (boxes (M, 4) ``xyxy``, labels (M,))
    iou_threshold : float, default=0.5
    num_classes : int, optional
        Default: 1 + the largest label seen.
    """
    if len(detections) != len(truths):
        raise ShapeError(
            f"mean_average_precision: expected one detection entry per image "
            f"({len(truths)}), got {len(detections)}"
        )
    if num_classes is None:
        labels = [np.asarray(lab).reshape(-1) for _, lab in truths]
        labels += [np.asarray(d[2]).reshape(-1) for d in detections]
        num_classes = int(max((lab.max() for lab in labels if lab.size), default=-1)) + 1
    aps = [_class_ap(k, detections, truths, iou_threshold) for k in range(num_classes)]
    present = [a for a in aps if a is not None]
    return float(np.mean(present)) if present else 0.0
