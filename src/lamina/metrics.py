"""Evaluation metrics on NumPy arrays or lamina Tensors, equal to scikit-learn's.

Classification metrics take true labels (n,) and predictions as labels (n,) or as scores /
probabilities (n, n_classes), which are turned into labels by argmax; one-hot true labels
(n, n_classes) are accepted the same way. NumPy only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from lamina.errors import ShapeError, check_in, check_positive_int

__all__ = [
    "accuracy",
    "confusion_matrix",
    "f1_score",
    "get_metric",
    "mae",
    "mse",
    "perplexity",
    "precision",
    "recall",
    "rmse",
    "specificity",
    "top_k_accuracy",
    "true_negative_rate",
]

_AVERAGES = ("macro", "micro", "weighted", "binary", None)


def _labels(owner: str, values: Any, name: str) -> np.ndarray:
    """Class labels from labels (n,) or scores (n, k) (argmax)."""
    a = np.asarray(values)
    if a.ndim == 2:
        return a.argmax(axis=1)
    if a.ndim != 1:
        raise ShapeError(f"{owner}: {name} must be labels (n,) or scores (n, k), got {a.shape}")
    return a


def _pair(owner: str, y_true: Any, y_pred: Any) -> tuple[np.ndarray, np.ndarray]:
    t, p = _labels(owner, y_true, "y_true"), _labels(owner, y_pred, "y_pred")
    if t.shape != p.shape:
        raise ShapeError(
            f"{owner}: y_true and y_pred must have the same length, got {t.shape} and {p.shape}"
        )
    if t.size == 0:
        raise ValueError(f"{owner}: expected at least one sample, got 0")
    return t, p


def accuracy(y_true: Any, y_pred: Any) -> float:
    """Fraction of correct predictions: mean(y_pred == y_true).

    Parameters
    ----------
    y_true : array of shape (n,) or one-hot (n, k)
    y_pred : array of shape (n,) labels or (n, k) scores

    Examples
    --------
    >>> accuracy([0, 1, 2], [[0.9, 0.1, 0.0], [0.2, 0.8, 0.0], [0.5, 0.4, 0.1]])
    0.6666666666666666
    """
    t, p = _pair("accuracy", y_true, y_pred)
    return float(np.mean(t == p))


def top_k_accuracy(y_true: Any, scores: Any, k: int = 5) -> float:
    """Fraction of samples whose true class is among the k highest scores.

    Parameters
    ----------
    y_true : array of shape (n,) of int labels in [0, n_classes)
    scores : array of shape (n, n_classes)
    k : int, default=5

    Notes
    -----
    Ties are broken as scikit-learn's ``top_k_accuracy_score``: a stable sort, reversed.
    """
    check_positive_int("top_k_accuracy", k=k)
    s = np.asarray(scores)
    t = _labels("top_k_accuracy", y_true, "y_true")
    if s.ndim != 2 or s.shape[0] != t.shape[0]:
        raise ShapeError(
            f"top_k_accuracy: expected scores of shape ({t.shape[0]}, n_classes), got {s.shape}"
        )
    top = np.argsort(s, axis=1, kind="mergesort")[:, ::-1][:, :k]
    return float(np.mean(np.any(top == t[:, None], axis=1)))


def confusion_matrix(y_true: Any, y_pred: Any, n_classes: int | None = None) -> np.ndarray:
    """Counts C[i, j] of samples of true class i predicted as class j.

    Parameters
    ----------
    y_true, y_pred : labels (n,) or scores (n, k)
    n_classes : int or None, default=None
        Size of the matrix, for labels in [0, n_classes); None uses the sorted distinct
        labels of both arrays, as scikit-learn.

    Returns
    -------
    ndarray of shape (n_classes, n_classes), int64
    """
    t, p = _pair("confusion_matrix", y_true, y_pred)
    labels, ti, pi = _encode("confusion_matrix", t, p, n_classes)
    k = len(labels)
    return np.bincount(ti * k + pi, minlength=k * k).reshape(k, k).astype(np.int64)


def _encode(
    owner: str, t: np.ndarray, p: np.ndarray, n_classes: int | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if n_classes is None:
        labels = np.union1d(t, p)
    else:
        check_positive_int(owner, n_classes=n_classes)
        labels = np.arange(n_classes)
        both = np.concatenate([t, p])
        if both.min() < 0 or both.max() >= n_classes or np.any(both != np.round(both)):
            raise ValueError(
                f"{owner}: labels must be integers in [0, {n_classes}), "
                f"got values from {both.min()} to {both.max()}"
            )
    return labels, np.searchsorted(labels, t), np.searchsorted(labels, p)


def _counts(owner: str, y_true: Any, y_pred: Any, n_classes: int | None) -> tuple[np.ndarray, ...]:
    """Class labels and per-class counts: true/false positives, false negatives, true negatives."""
    t, p = _pair(owner, y_true, y_pred)
    labels, ti, pi = _encode(owner, t, p, n_classes)
    k = len(labels)
    cm = np.bincount(ti * k + pi, minlength=k * k).reshape(k, k)
    tp = np.diag(cm).astype(np.float64)
    fp = cm.sum(axis=0) - tp
    fn = cm.sum(axis=1) - tp
    tn = cm.sum() - tp - fp - fn
    return labels, tp, fp, fn, tn


def _ratio(num: np.ndarray, den: np.ndarray, zero_division: float) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1), zero_division)


def _averaged(
    owner: str,
    y_true: Any,
    y_pred: Any,
    average: str | None,
    n_classes: int | None,
    zero_division: float,
    parts: Callable[..., tuple[np.ndarray, np.ndarray]],
    pos_label: int,
) -> Any:
    check_in(owner, "average", average, _AVERAGES)
    labels, tp, fp, fn, tn = _counts(owner, y_true, y_pred, n_classes)
    num, den = parts(tp, fp, fn, tn)
    if average == "micro":
        return float(_ratio(num.sum(), den.sum(), zero_division))
    scores = _ratio(num, den, zero_division)
    if average is None:
        return scores
    if average == "binary":
        if len(labels) > 2 or pos_label not in labels:
            raise ValueError(
                f"{owner}: average='binary' needs two classes including "
                f"pos_label={pos_label}, got labels {labels.tolist()}"
            )
        return float(scores[np.searchsorted(labels, pos_label)])
    if average == "weighted":
        support = tp + fn
        return float(np.sum(scores * support) / support.sum()) if support.sum() else zero_division
    return float(scores.mean())


def precision(
    y_true: Any,
    y_pred: Any,
    average: str | None = "macro",
    n_classes: int | None = None,
    zero_division: float = 0.0,
    pos_label: int = 1,
) -> Any:
    """Precision TP / (TP + FP), per class and averaged.

    Parameters
    ----------
    y_true, y_pred : labels (n,) or scores (n, k)
    average : {"macro", "micro", "weighted", "binary", None}, default="macro"
        "macro": unweighted mean over classes; "micro": from the summed counts (equal to
        accuracy for single-label data); "weighted": mean weighted by each class's support;
        "binary": the score of ``pos_label`` only; None: the per-class array.
    n_classes : int or None, default=None
        Classes [0, n_classes); None uses the distinct labels of both arrays (scikit-learn).
    zero_division : float, default=0.0
        Value of a class with no predicted samples (scikit-learn's default, without warning).
    pos_label : int, default=1

    Returns
    -------
    float, or ndarray of shape (n_classes,) when ``average`` is None.

    Notes
    -----
    scikit-learn's default is average="binary"; lamina's is "macro".
    """
    return _averaged(
        "precision",
        y_true,
        y_pred,
        average,
        n_classes,
        zero_division,
        lambda tp, fp, fn, tn: (tp, tp + fp),
        pos_label,
    )


def recall(
    y_true: Any,
    y_pred: Any,
    average: str | None = "macro",
    n_classes: int | None = None,
    zero_division: float = 0.0,
    pos_label: int = 1,
) -> Any:
    """Recall (sensitivity, true-positive rate) TP / (TP + FN); arguments as ``precision``."""
    return _averaged(
        "recall",
        y_true,
        y_pred,
        average,
        n_classes,
        zero_division,
        lambda tp, fp, fn, tn: (tp, tp + fn),
        pos_label,
    )


def f1_score(
    y_true: Any,
    y_pred: Any,
    average: str | None = "macro",
    n_classes: int | None = None,
    zero_division: float = 0.0,
    pos_label: int = 1,
) -> Any:
    """F1, the harmonic mean of precision and recall: 2 TP / (2 TP + FP + FN).

    Arguments as ``precision``; "macro" averages the per-class F1 scores (scikit-learn).
    """
    return _averaged(
        "f1_score",
        y_true,
        y_pred,
        average,
        n_classes,
        zero_division,
        lambda tp, fp, fn, tn: (2 * tp, 2 * tp + fp + fn),
        pos_label,
    )


def true_negative_rate(
    y_true: Any,
    y_pred: Any,
    average: str | None = "macro",
    n_classes: int | None = None,
    zero_division: float = 0.0,
    pos_label: int = 1,
) -> Any:
    """True-negative rate (specificity) TN / (TN + FP), one class against the rest.

    Arguments as ``precision``; for two classes with average="binary" it is the recall of the
    negative class.
    """
    return _averaged(
        "true_negative_rate",
        y_true,
        y_pred,
        average,
        n_classes,
        zero_division,
        lambda tp, fp, fn, tn: (tn, tn + fp),
        pos_label,
    )


specificity = true_negative_rate


def _regression_pair(owner: str, y_true: Any, y_pred: Any) -> np.ndarray:
    t = np.asarray(y_true, dtype=np.float64)
    p = np.asarray(y_pred, dtype=np.float64)
    if t.shape != p.shape:
        raise ShapeError(
            f"{owner}: y_true and y_pred must have the same shape, got {t.shape} and {p.shape}"
        )
    if t.size == 0:
        raise ValueError(f"{owner}: expected at least one value, got 0")
    return p - t


def mse(y_true: Any, y_pred: Any) -> float:
    """Mean squared error: mean((y_pred - y_true)**2) over all elements."""
    return float(np.mean(_regression_pair("mse", y_true, y_pred) ** 2))


def rmse(y_true: Any, y_pred: Any) -> float:
    """Root mean squared error: sqrt(mse).

    For 2-D targets this is the root of the mean over all elements; scikit-learn's
    ``root_mean_squared_error`` averages per-column roots instead.
    """
    return float(np.sqrt(mse(y_true, y_pred)))


def mae(y_true: Any, y_pred: Any) -> float:
    """Mean absolute error: mean(|y_pred - y_true|) over all elements."""
    return float(np.mean(np.abs(_regression_pair("mae", y_true, y_pred))))


def perplexity(cross_entropy: Any) -> float:
    """Perplexity exp(H) of a mean cross-entropy H in nats (an array is averaged first).

    Examples
    --------
    >>> round(perplexity(np.log(4.0)), 6)
    4.0
    """
    h = np.asarray(cross_entropy, dtype=np.float64)
    if h.size == 0 or not np.all(np.isfinite(h)):
        raise ValueError(f"perplexity: cross_entropy must be finite and non-empty, got {h!r}")
    return float(np.exp(h.mean()))


_REGISTRY: dict[str, Callable[..., Any]] = {
    "accuracy": accuracy,
    "top_k_accuracy": top_k_accuracy,
    "precision": precision,
    "recall": recall,
    "f1": f1_score,
    "f1_score": f1_score,
    "true_negative_rate": true_negative_rate,
    "specificity": true_negative_rate,
    "mse": mse,
    "rmse": rmse,
    "mae": mae,
    "perplexity": perplexity,
}


def get_metric(name: str | Callable[..., Any]) -> Callable[..., Any]:
    """The metric function called ``name`` (a callable is returned as is).

    Raises
    ------
    ValueError
        For an unknown name, listing the valid ones.
    """
    if callable(name):
        return name
    if name not in _REGISTRY:
        raise ValueError(
            f"get_metric: unknown metric {name!r}; valid names: {', '.join(sorted(_REGISTRY))}"
        )
    return _REGISTRY[name]
