"""Verification from embeddings: contrastive loss, distance thresholds, ROC curve and AUC.

Two inputs are "the same" (same person, same digit class) when their embeddings lie within
a distance threshold; the threshold is chosen on validation pairs.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lamina.autodiff.tensor import Tensor, TensorLike, as_tensor
from lamina.errors import ShapeError, check_in, owner_name
from lamina.nn.module import Module
from lamina.ops import relu
from lamina.ops._loss_args import check_positive
from lamina.ops.loss import pairwise_distance

__all__ = [
    "ContrastiveLoss",
    "auc",
    "best_threshold",
    "contrastive_loss",
    "equal_error_rate",
    "roc_curve",
    "verify",
]


def contrastive_loss(
    x1: TensorLike, x2: TensorLike, same: TensorLike, margin: float = 1.0, reduction: str = "mean"
) -> Tensor:
    """Contrastive loss of embedding pairs (Hadsell, Chopra and LeCun, 2006).

    l = same * d**2 / 2 + (1 - same) * max(margin - d, 0)**2 / 2, with d = ||x1 - x2 + eps||_2
    (``pairwise_distance``, eps = 1e-6): pulls same pairs together, pushes different pairs
    apart until they are ``margin`` away.

    Parameters
    ----------
    x1, x2 : Tensor (N, D)
    same : array (N,) of 0/1 (or float in [0, 1])
    margin : float, default=1.0
    reduction : {"mean", "sum", "none"}
    """
    return _contrastive_loss("contrastive_loss", x1, x2, same, margin, reduction)


def _contrastive_loss(
    owner: object,
    x1: TensorLike,
    x2: TensorLike,
    same: TensorLike,
    margin: float,
    reduction: str,
) -> Tensor:
    check_in(owner, "reduction", reduction, ("mean", "sum", "none"))
    check_positive(owner_name(owner), margin=margin)
    a, b = as_tensor(x1), as_tensor(x2)
    y = np.asarray(getattr(same, "data", same))
    if a.ndim != 2 or a.shape != b.shape or y.shape != a.shape[:1]:
        raise ShapeError(
            f"{owner_name(owner)}: expected x1, x2 (N, D) and same (N,), got {a.shape}, "
            f"{b.shape} and {y.shape}"
        )
    y = y.astype(a.dtype)
    d = pairwise_distance(a, b)
    loss = 0.5 * (d**2 * y + relu(margin - d) ** 2 * (1 - y))
    if reduction == "none":
        return loss
    return loss.sum() if reduction == "sum" else loss.mean()


class ContrastiveLoss(Module):
    """l = same * d**2 / 2 + (1 - same) * max(margin - d, 0)**2 / 2; see ``contrastive_loss``."""

    def __init__(self, margin: float = 1.0, reduction: str = "mean") -> None:
        super().__init__()
        check_positive("ContrastiveLoss", margin=margin)
        check_in("ContrastiveLoss", "reduction", reduction, ("mean", "sum", "none"))
        self.margin, self.reduction = margin, reduction

    def forward(self, x1: Tensor, x2: Tensor, same: TensorLike) -> Tensor:
        return _contrastive_loss(self, x1, x2, same, self.margin, self.reduction)

    def extra_repr(self) -> str:
        return f"margin={self.margin}"


def _pairs(owner: str, distances: Any, same: Any) -> tuple[np.ndarray, np.ndarray]:
    d = np.asarray(distances, np.float64)
    y = np.asarray(same).astype(bool)
    if d.ndim != 1 or y.shape != d.shape:
        raise ShapeError(
            f"{owner}: expected distances (N,) and same (N,), got {d.shape} and {y.shape}"
        )
    if not (y.any() and (~y).any()):
        raise ValueError(
            f"{owner}: needs both same and different pairs, got {int(y.sum())} same of {len(y)}"
        )
    return d, y


def roc_curve(distances: Any, same: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """ROC points of the rule "same if distance <= t", one per distinct distance.

    TPR(t) = #(same, d <= t) / #same;  FPR(t) = #(different, d <= t) / #different; points
    run from (0, 0) (t = -inf) to (1, 1), thresholds increasing. Equals
    sklearn.metrics.roc_curve(same, -distances, drop_intermediate=False) with t = -threshold.

    Returns
    -------
    fpr, tpr, thresholds : ndarray (K + 1,)
    """
    d, y = _pairs("roc_curve", distances, same)
    order = np.argsort(d, kind="stable")
    d, y = d[order], y[order]
    last = np.r_[np.flatnonzero(np.diff(d)), len(d) - 1]  # the last index of each distance
    tp, fp = np.cumsum(y)[last], np.cumsum(~y)[last]
    tpr = np.r_[0, tp] / y.sum()
    fpr = np.r_[0, fp] / (~y).sum()
    return fpr, tpr, np.r_[-np.inf, d[last]]


def auc(fpr: Any, tpr: Any) -> float:
    """Area under a curve by the trapezoid rule: sum_k (x_k - x_{k-1}) * (y_k + y_{k-1}) / 2."""
    x, y = np.asarray(fpr, np.float64), np.asarray(tpr, np.float64)
    if x.ndim != 1 or x.shape != y.shape or len(x) < 2:
        raise ShapeError(f"auc: expected two curves (K,) with K >= 2, got {x.shape}, {y.shape}")
    return float(np.sum(np.diff(x) * (y[1:] + y[:-1]) / 2))


def best_threshold(distances: Any, same: Any) -> tuple[float, float]:
    """The threshold t maximizing accuracy of "same if distance <= t", and that accuracy.

    accuracy(t) = (TP(t) + TN(t)) / N, evaluated at every ROC point; t is the midpoint between
    the chosen distance and the next larger one (so it generalizes, not a training distance).
    """
    d, y = _pairs("best_threshold", distances, same)
    fpr, tpr, thresholds = roc_curve(d, y)
    acc = (tpr * y.sum() + (1 - fpr) * (~y).sum()) / len(y)
    k = int(np.argmax(acc))
    above = np.r_[thresholds[1:], np.inf]
    lo = thresholds[k] if np.isfinite(thresholds[k]) else d.min() - 1
    t = lo if not np.isfinite(above[k]) else (lo + above[k]) / 2
    return float(t), float(acc[k])


def equal_error_rate(distances: Any, same: Any) -> tuple[float, float]:
    """The equal error rate EER, where FPR(t) = FNR(t) = 1 - TPR(t), and its threshold.

    Interpolated linearly between the two ROC points where FPR - FNR changes sign.
    """
    d, y = _pairs("equal_error_rate", distances, same)
    fpr, tpr, thresholds = roc_curve(d, y)
    gap = fpr - (1 - tpr)  # increases from -1 to 1
    k = int(np.argmax(gap >= 0))
    if gap[k] == 0 or k == 0:
        return float(fpr[k]), float(thresholds[k])
    w = -gap[k - 1] / (gap[k] - gap[k - 1])
    eer = fpr[k - 1] + w * (fpr[k] - fpr[k - 1])
    lo = thresholds[k - 1] if np.isfinite(thresholds[k - 1]) else thresholds[k]
    return float(eer), float(lo + w * (thresholds[k] - lo))


def verify(embeddings1: Any, embeddings2: Any, threshold: float) -> np.ndarray:
    """One-shot verification: "same" where ||e1 - e2||_2 <= threshold, per row (N,) bool."""
    a = np.asarray(getattr(embeddings1, "data", embeddings1), np.float64)
    b = np.asarray(getattr(embeddings2, "data", embeddings2), np.float64)
    if a.shape != b.shape or a.ndim != 2:
        raise ShapeError(
            f"verify: expected two embeddings (N, D) of one shape, got {a.shape} and {b.shape}"
        )
    return np.linalg.norm(a - b, axis=1) <= threshold
