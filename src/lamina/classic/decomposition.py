"""Linear projections: principal component analysis and Fisher's discriminant analysis."""

from __future__ import annotations

from typing import Any

import numpy as np

from lamina.classic.base import BaseEstimator, ClassifierMixin, TransformerMixin
from lamina.errors import ShapeError, check_positive_int

__all__ = ["PCA", "LinearDiscriminantAnalysis"]


class PCA(TransformerMixin, BaseEstimator):
    """Principal component analysis by the singular value decomposition.

    Xc = X - mean(X) = U @ diag(S) @ Vt;  components = first k rows of Vt
    explained_variance_j = S_j**2 / (m - 1);  transform(X) = (X - mean) @ components.T
    whiten: transform(X) / sqrt(explained_variance);  inverse_transform(Z) = Z @ components + mean

    Parameters
    ----------
    n_components : int or float or None, default=None
        An int keeps that many components; a float in (0, 1) keeps the fewest components whose
        explained variance ratio sums to at least it; None keeps min(m, n).
    whiten : bool, default=False
        Scale the projections to unit variance.

    Attributes
    ----------
    components_ : ndarray of shape (k, n_features)
        Unit directions of largest variance, rows sorted by variance; the sign is fixed so the
        largest-magnitude entry of each row is positive (outputs are deterministic).
    explained_variance_ : ndarray of shape (k,)
    explained_variance_ratio_ : ndarray of shape (k,)
    singular_values_ : ndarray of shape (k,)
    mean_ : ndarray of shape (n_features,)
    n_components_, n_features_in_, n_samples_ : int

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]])
    >>> PCA(n_components=1).fit(X).explained_variance_ratio_.round(6)
    array([1.])
    """

    def __init__(self, n_components: int | float | None = None, whiten: bool = False) -> None:
        self.n_components = n_components
        self.whiten = whiten

    def fit(self, X: Any, y: Any = None) -> PCA:
        """Fit the components to ``X`` of shape (m, n); ``y`` is ignored. Return ``self``."""
        X = self._validate_X(X, "fit", reset=True)
        m, n = X.shape
        if m < 2:
            raise ShapeError(f"{self._owner('fit')}: expected at least 2 samples, got {m} sample")
        self.mean_ = X.mean(axis=0)
        _, s, vt = np.linalg.svd(X - self.mean_, full_matrices=False)
        vt = _flip_rows(vt)
        variance = s**2 / (m - 1)
        ratio = variance / variance.sum() if variance.sum() > 0 else np.zeros_like(variance)
        k = self._n_kept(ratio, min(m, n))
        self.n_samples_, self.n_components_ = m, k
        self.components_ = vt[:k]
        self.singular_values_ = s[:k]
        self.explained_variance_ = variance[:k]
        self.explained_variance_ratio_ = ratio[:k]
        return self

    def _n_kept(self, ratio: np.ndarray, limit: int) -> int:
        owner, k = self._owner("fit"), self.n_components
        if k is None:
            return limit
        if isinstance(k, float) and 0 < k < 1:
            return int(min(np.searchsorted(np.cumsum(ratio), k, side="right") + 1, limit))
        check_positive_int(owner, n_components=k)
        if k > limit:
            raise ValueError(f"{owner}: n_components must be <= min(m, n) = {limit}, got {k}")
        return int(k)

    def transform(self, X: Any) -> np.ndarray:
        """Project ``X`` of shape (m, n) onto the components: shape (m, n_components_)."""
        X = self._validate_X(X, "transform")
        Z = (X - self.mean_) @ self.components_.T
        return Z / np.sqrt(self.explained_variance_) if self.whiten else Z

    def inverse_transform(self, Z: Any) -> np.ndarray:
        """Map projections of shape (m, n_components_) back to feature space, shape (m, n)."""
        self._check_fitted("inverse_transform")
        Z = np.asarray(Z, dtype=np.float64)
        if Z.ndim != 2 or Z.shape[1] != self.n_components_:
            raise ShapeError(
                f"{self._owner('inverse_transform')}: expected shape (m, {self.n_components_}), "
                f"got {Z.shape}"
            )
        if self.whiten:
            Z = Z * np.sqrt(self.explained_variance_)
        return Z @ self.components_ + self.mean_


class LinearDiscriminantAnalysis(ClassifierMixin, TransformerMixin, BaseEstimator):
    """Fisher's linear discriminant: projection and classifier with a shared covariance.

    Within-class scatter  S_W = sum_k sum_{i in k} (x_i - mu_k)(x_i - mu_k).T
    Between-class scatter S_B = sum_k m_k (mu_k - mu)(mu_k - mu).T
    The discriminant directions maximize (v.T @ S_B @ v) / (v.T @ S_W @ v): the leading
    solutions of S_B v = lambda S_W v, at most K - 1 of them. They are scaled so projected data
    has unit pooled within-class variance, Sigma = S_W / m (the class covariances
    averaged with the class frequencies as weights, as in scikit-learn).

    predict: argmax_k  x @ Sigma^-1 @ mu_k - 0.5 * mu_k @ Sigma^-1 @ mu_k + log(prior_k),
    the Gaussian classifier with class means mu_k, shared covariance Sigma and the class
    frequencies as priors.

    Parameters
    ----------
    n_components : int or None, default=None
        Directions kept by ``transform``, at most min(K - 1, n); None keeps all of them.
    tol : float, default=1e-4
        Relative threshold under which a within-class standard deviation or a between-class
        singular value counts as zero.

    Attributes
    ----------
    classes_ : ndarray of shape (K,)
    means_ : ndarray of shape (K, n_features)
    priors_ : ndarray of shape (K,)
    xbar_ : ndarray of shape (n_features,)
    scalings_ : ndarray of shape (n_features, r)
        The discriminant directions as columns, r = rank of S_B in the whitened space.
    explained_variance_ratio_ : ndarray of shape (n_components_,)
        Share of the between-class variance along each kept direction.
    coef_ : ndarray of shape (K, n_features);  intercept_ : ndarray of shape (K,)
        The linear decision function of ``predict``.

    Notes
    -----
    Solved as scikit-learn's ``svd`` solver does: whiten by the within-class scatter, then take
    the SVD of the whitened class means. This needs no inverse of S_W, so it also works when
    S_W is singular (more features than samples).
    """

    def __init__(self, n_components: int | None = None, tol: float = 1e-4) -> None:
        self.n_components = n_components
        self.tol = tol

    def fit(self, X: Any, y: Any) -> LinearDiscriminantAnalysis:
        """Fit to ``X`` of shape (m, n) and labels ``y`` of shape (m,); return ``self``."""
        X = self._validate_X(X, "fit", reset=True)
        y = self._validate_y(y, X.shape[0], "fit", numeric=False)
        labels = self._encode_labels(y)
        m, k = X.shape[0], self.classes_.shape[0]
        if m <= k:
            raise ShapeError(f"{self._owner('fit')}: expected more samples than classes, got {m}")
        counts = np.bincount(labels, minlength=k)
        self.priors_ = counts / m
        self.means_ = np.stack([X[labels == c].mean(axis=0) for c in range(k)])
        self.xbar_ = self.priors_ @ self.means_
        whitener = self._within_whitener(X - self.means_[labels], m)
        # Class means in the whitened space, weighted so their scatter is S_B.
        centred = (np.sqrt(counts)[:, None] * (self.means_ - self.xbar_)) @ whitener
        _, s, vt = np.linalg.svd(centred, full_matrices=False)
        rank = int(np.sum(s > self.tol * s[0])) if s.size and s[0] > 0 else 0
        self.scalings_ = whitener @ _flip_rows(vt[:rank]).T
        ratio = s[:rank] ** 2 / np.sum(s[:rank] ** 2)
        self.n_components_ = self._n_kept(rank)
        self.explained_variance_ratio_ = ratio[: self.n_components_]
        projected_means = (self.means_ - self.xbar_) @ self.scalings_
        self.coef_ = projected_means @ self.scalings_.T
        self.intercept_ = -0.5 * np.sum(projected_means**2, axis=1) + np.log(self.priors_)
        self.intercept_ -= self.coef_ @ self.xbar_
        return self

    def _within_whitener(self, Xw: np.ndarray, dof: int) -> np.ndarray:
        """Return W with W.T @ (Xw.T @ Xw / dof) @ W = I on the span of the data."""
        std = Xw.std(axis=0)
        std[std == 0] = 1.0
        _, s, vt = np.linalg.svd(Xw / (std * np.sqrt(dof)), full_matrices=False)
        rank = int(np.sum(s > self.tol))
        return (vt[:rank] / std).T / s[:rank]

    def _n_kept(self, rank: int) -> int:
        if self.n_components is None:
            return rank
        owner = self._owner("fit")
        check_positive_int(owner, n_components=self.n_components)
        limit = min(self.classes_.shape[0] - 1, self.n_features_in_)
        if self.n_components > limit:
            raise ValueError(
                f"{owner}: n_components must be <= min(n_classes - 1, n_features) = {limit}, "
                f"got {self.n_components}"
            )
        return min(int(self.n_components), rank)

    def transform(self, X: Any) -> np.ndarray:
        """Project ``X`` of shape (m, n) onto the discriminants: shape (m, n_components_)."""
        X = self._validate_X(X, "transform")
        return (X - self.xbar_) @ self.scalings_[:, : self.n_components_]

    def decision_function(self, X: Any) -> np.ndarray:
        """Return the class scores X @ coef_.T + intercept_, shape (m, K).

        For two classes, the log posterior odds of ``classes_[1]``, score_1 - score_0, shape
        (m,), as scikit-learn returns it: predict(X) = classes_[decision_function(X) > 0].
        """
        X = self._validate_X(X, "decision_function")
        scores = X @ self.coef_.T + self.intercept_
        return scores[:, 1] - scores[:, 0] if scores.shape[1] == 2 else scores

    def predict_proba(self, X: Any) -> np.ndarray:
        """Return the posterior class probabilities, shape (m, K)."""
        X = self._validate_X(X, "predict_proba")
        scores = X @ self.coef_.T + self.intercept_
        scores = np.exp(scores - scores.max(axis=1, keepdims=True))
        return scores / scores.sum(axis=1, keepdims=True)

    def predict(self, X: Any) -> np.ndarray:
        """Return the most probable class label per row, shape (m,)."""
        X = self._validate_X(X, "predict")
        return self.classes_[np.argmax(X @ self.coef_.T + self.intercept_, axis=1)]


def _flip_rows(vt: np.ndarray) -> np.ndarray:
    """Flip each row's sign so its largest-magnitude entry is positive."""
    if vt.size == 0:
        return vt
    signs = np.sign(vt[np.arange(vt.shape[0]), np.argmax(np.abs(vt), axis=1)])
    signs[signs == 0] = 1.0
    return vt * signs[:, None]
