"""GloVe: word vectors fitted to log co-occurrence counts (Pennington et al., 2014)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from lamina.errors import (
    NotFittedError,
    ShapeError,
    check_nonnegative,
    check_positive_int,
    check_seed,
)
from lamina.text.keyedvectors import KeyedVectors
from lamina.text.word2vec import _scatter_add

__all__ = ["GloVe"]


class GloVe:
    """Global vectors: weighted least squares on the non-zero co-occurrence counts.

    J = sum_{i,j: X_ij > 0} f(X_ij) * (w_i . w~_j + b_i + b~_j - log X_ij)**2
    f(x) = (x / x_max)**alpha if x < x_max else 1

    trained with AdaGrad as in the paper: for each parameter p with gradient g,
    G = G + g**2 and p = p - lr * g / sqrt(G), G starting at 1 (as the reference code).
    The word vectors are w + w~ (the paper's choice).

    Parameters
    ----------
    vector_size : int, default=50
    x_max : float, default=100
    alpha : float, default=0.75
    epochs : int, default=25
    lr : float, default=0.05
    batch_size : int, default=4096
        Non-zero cells updated together per step (shuffled each epoch).
    seed : int, default=0

    Attributes
    ----------
    W_, W_tilde_ : ndarrays of shape (n_words, vector_size)
    b_, b_tilde_ : ndarrays of shape (n_words,)
    embeddings_ : ndarray, W_ + W_tilde_
    loss_history_ : list of float
        J / (number of non-zero cells) after each epoch.
    wv : KeyedVectors
        When ``fit`` got ``words``.

    Examples
    --------
    >>> X = np.array([[0, 5, 1], [5, 0, 2], [1, 2, 0]], float)
    >>> g = GloVe(vector_size=2, epochs=50, seed=0).fit(X)
    >>> g.loss_history_[-1] < g.loss_history_[0]
    True
    """

    def __init__(
        self,
        vector_size: int = 50,
        x_max: float = 100.0,
        alpha: float = 0.75,
        epochs: int = 25,
        lr: float = 0.05,
        batch_size: int = 4096,
        seed: int = 0,
    ) -> None:
        self.vector_size, self.x_max, self.alpha = vector_size, x_max, alpha
        self.epochs, self.lr, self.batch_size, self.seed = epochs, lr, batch_size, seed

    def __repr__(self) -> str:
        return f"GloVe(vector_size={self.vector_size}, x_max={self.x_max}, alpha={self.alpha})"

    def fit(self, cooccurrence, words: Sequence[str] | None = None) -> GloVe:
        """Fit to a square co-occurrence matrix (dense or scipy.sparse), rows = words."""
        check_positive_int(
            self, vector_size=self.vector_size, epochs=self.epochs, batch_size=self.batch_size
        )
        check_nonnegative(self, alpha=self.alpha, lr=self.lr)
        if not self.x_max > 0:
            raise ValueError(f"{self!r}: x_max must be > 0, got {self.x_max!r}")
        if hasattr(cooccurrence, "tocoo"):
            coo = cooccurrence.tocoo()
            shape, rows, cols, vals = coo.shape, coo.row, coo.col, coo.data.astype(np.float64)
        else:
            x = np.asarray(cooccurrence, dtype=np.float64)
            if x.ndim != 2:
                raise ShapeError(
                    f"{self!r}: expected a 2-D co-occurrence matrix, got shape {x.shape}"
                )
            shape = x.shape
            rows, cols = np.nonzero(x)
            vals = x[rows, cols]
        if shape[0] != shape[1]:
            raise ShapeError(f"{self!r}: expected a square co-occurrence matrix, got {shape}")
        if (vals < 0).any() or not np.isfinite(vals).all():
            raise ValueError(f"{self!r}: co-occurrence counts must be finite and >= 0")
        keep = vals > 0
        rows, cols, vals = rows[keep], cols[keep], vals[keep]
        if vals.size == 0:
            raise ValueError(f"{self!r}: the co-occurrence matrix has no non-zero cell")
        if words is not None and len(words) != shape[0]:
            raise ShapeError(f"{self!r}: expected {shape[0]} words, got {len(words)}")
        self._train(shape[0], rows, cols, np.log(vals), self._weight(vals))
        if words is not None:
            self.wv = KeyedVectors(self.embeddings_, list(words))
        return self

    def _weight(self, x: np.ndarray) -> np.ndarray:
        return np.where(x < self.x_max, (x / self.x_max) ** self.alpha, 1.0)

    def _train(self, n, rows, cols, logx, fx) -> None:
        rng = np.random.default_rng(check_seed(type(self).__name__, self.seed))
        d = self.vector_size
        # Each word's vector and bias in one row: [w | b], so one scatter updates both.
        params = [(rng.random((n, d + 1)) - 0.5) / d for _ in range(2)]
        for p in params:
            p[:, d] = 0.0
        gradsq = [np.ones((n, d + 1)) for _ in range(2)]
        self.loss_history_: list[float] = []
        for _ in range(self.epochs):
            order = rng.permutation(rows.size)
            for start in range(0, order.size, self.batch_size):
                sel = order[start : start + self.batch_size]
                i, j = rows[sel], cols[sel]
                a, b = params[0][i], params[1][j]
                diff = (a[:, :d] * b[:, :d]).sum(1) + a[:, d] + b[:, d] - logx[sel]
                fdiff = (fx[sel] * diff)[:, None]
                # dJ/dw_i = f*diff*w~_j (the factor 2 folded into lr, as the paper's code).
                g_a = np.hstack([fdiff * b[:, :d], fdiff])
                g_b = np.hstack([fdiff * a[:, :d], fdiff])
                for p, gsq, idx, g in (
                    (params[0], gradsq[0], i, g_a),
                    (params[1], gradsq[1], j, g_b),
                ):
                    _scatter_add(p, idx, -self.lr * g / np.sqrt(gsq[idx]))
                    _scatter_add(gsq, idx, g * g)
            a, b = params[0][rows], params[1][cols]
            diff = (a[:, :d] * b[:, :d]).sum(1) + a[:, d] + b[:, d] - logx
            self.loss_history_.append(float((fx * diff * diff).sum() / rows.size))
        self.W_, self.b_ = params[0][:, :d], params[0][:, d]
        self.W_tilde_, self.b_tilde_ = params[1][:, :d], params[1][:, d]
        self.embeddings_ = self.W_ + self.W_tilde_

    def transform(self, indices: Sequence[int] | None = None) -> np.ndarray:
        """Word vectors (all, or the rows ``indices``)."""
        if not hasattr(self, "embeddings_"):
            raise NotFittedError(f"{self!r}: call fit before transform")
        return self.embeddings_ if indices is None else self.embeddings_[np.asarray(indices)]
