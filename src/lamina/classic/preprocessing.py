"""Feature scaling and one-hot encoding: lamina's one implementation of each.

``lamina.data`` re-exports these. Fit a scaler on the training data only, then transform the
training, validation and test data with the statistics it learned.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lamina.classic.base import BaseEstimator, TransformerMixin
from lamina.errors import ShapeError, check_positive_int

__all__ = ["MinMaxScaler", "StandardScaler", "one_hot"]


class StandardScaler(TransformerMixin, BaseEstimator):
    """Standardize features to zero mean and unit variance.

    transform(X) = (X - mean_) / scale_,  scale_ = std(X, ddof=0) (1 for a constant feature)

    Parameters
    ----------
    with_mean : bool, default=True
        Subtract the mean.
    with_std : bool, default=True
        Divide by the standard deviation.

    Attributes
    ----------
    mean_ : ndarray of shape (n_features,) or None
    var_ : ndarray of shape (n_features,) or None
    scale_ : ndarray of shape (n_features,) or None
    n_features_in_, n_samples_seen_ : int

    Examples
    --------
    >>> import numpy as np
    >>> StandardScaler().fit_transform(np.array([[1.0], [3.0]])).ravel()
    array([-1.,  1.])
    """

    def __init__(self, with_mean: bool = True, with_std: bool = True) -> None:
        self.with_mean = with_mean
        self.with_std = with_std

    def fit(self, X: Any, y: Any = None) -> StandardScaler:
        """Learn the mean and standard deviation of ``X`` of shape (m, n); return ``self``."""
        X = self._validate_X(X, "fit", reset=True)
        self.n_samples_seen_ = X.shape[0]
        self.mean_ = X.mean(axis=0) if self.with_mean else None
        self.var_ = X.var(axis=0) if self.with_std else None
        self.scale_ = None
        if self.var_ is not None:
            std = np.sqrt(self.var_)
            # A constant feature keeps scale 1 so it maps to 0, not to NaN.
            self.scale_ = np.where(std < 10 * np.finfo(np.float64).eps, 1.0, std)
        return self

    def transform(self, X: Any) -> np.ndarray:
        """Return (X - mean_) / scale_ for ``X`` of shape (m, n)."""
        X = self._validate_X(X, "transform")
        if self.mean_ is not None:
            X = X - self.mean_
        return X / self.scale_ if self.scale_ is not None else X

    def inverse_transform(self, X: Any) -> np.ndarray:
        """Return X * scale_ + mean_, undoing ``transform``."""
        X = self._validate_X(X, "inverse_transform")
        if self.scale_ is not None:
            X = X * self.scale_
        return X + self.mean_ if self.mean_ is not None else X


class MinMaxScaler(TransformerMixin, BaseEstimator):
    """Rescale each feature linearly to ``feature_range`` (default [0, 1]).

    transform(X) = X * scale_ + min_,  scale_ = (hi - lo) / (max(X) - min(X)),
    min_ = lo - min(X) * scale_   (a constant feature gets range 1)

    Parameters
    ----------
    feature_range : tuple (lo, hi), default=(0, 1)
        lo < hi.

    Attributes
    ----------
    data_min_, data_max_, data_range_, scale_, min_ : ndarray of shape (n_features,)
    n_features_in_ : int
    """

    def __init__(self, feature_range: tuple[float, float] = (0.0, 1.0)) -> None:
        self.feature_range = feature_range

    def fit(self, X: Any, y: Any = None) -> MinMaxScaler:
        """Learn the per-feature minimum and maximum of ``X`` of shape (m, n); return self."""
        lo, hi = self._range()
        X = self._validate_X(X, "fit", reset=True)
        self.data_min_, self.data_max_ = X.min(axis=0), X.max(axis=0)
        self.data_range_ = self.data_max_ - self.data_min_
        safe_range = np.where(self.data_range_ == 0, 1.0, self.data_range_)
        self.scale_ = (hi - lo) / safe_range
        self.min_ = lo - self.data_min_ * self.scale_
        return self

    def _range(self) -> tuple[float, float]:
        try:
            lo, hi = (float(v) for v in self.feature_range)
        except (TypeError, ValueError):
            lo, hi = 0.0, -1.0
        if not lo < hi:
            raise ValueError(
                f"{self._owner('fit')}: feature_range must be (lo, hi) with lo < hi, "
                f"got {self.feature_range!r}"
            )
        return lo, hi

    def transform(self, X: Any) -> np.ndarray:
        """Return X * scale_ + min_ for ``X`` of shape (m, n)."""
        X = self._validate_X(X, "transform")
        return X * self.scale_ + self.min_

    def inverse_transform(self, X: Any) -> np.ndarray:
        """Return (X - min_) / scale_, undoing ``transform``."""
        X = self._validate_X(X, "inverse_transform")
        return (X - self.min_) / self.scale_


def one_hot(labels: Any, n_classes: int | None = None) -> np.ndarray:
    """Encode integer class labels as one-hot rows: out[i, labels[i]] = 1.

    Parameters
    ----------
    labels : array of int, shape (m,)
        Class indices in [0, n_classes).
    n_classes : int or None, default=None
        Number of columns; None uses max(labels) + 1.

    Returns
    -------
    ndarray of shape (m, n_classes), dtype float64

    Raises
    ------
    ValueError
        If a label is not an integer in [0, n_classes).

    Examples
    --------
    >>> one_hot([0, 2], 3)
    array([[1., 0., 0.],
           [0., 0., 1.]])
    """
    labels = np.asarray(labels)
    if labels.ndim != 1:
        raise ShapeError(f"one_hot: expected 1-D labels, got shape {labels.shape}")
    if labels.size and labels.dtype.kind not in "iu":
        if labels.dtype.kind != "f" or not np.all(np.isfinite(labels) & (labels % 1 == 0)):
            raise ValueError(f"one_hot: labels must be integers, got dtype {labels.dtype}")
        labels = labels.astype(np.int64)
    if n_classes is None:
        n_classes = int(labels.max()) + 1 if labels.size else 0
    else:
        check_positive_int("one_hot", n_classes=n_classes)
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        bad = labels.min() if labels.min() < 0 else labels.max()
        raise ValueError(f"one_hot: labels must be in [0, {n_classes}), got {bad}")
    out = np.zeros((labels.shape[0], n_classes))
    out[np.arange(labels.shape[0]), labels.astype(np.int64)] = 1.0
    return out
