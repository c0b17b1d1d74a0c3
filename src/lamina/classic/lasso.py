"""Sparse linear regression: lasso and elastic net by cyclic coordinate descent."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from lamina.classic.base import ConvergenceWarning
from lamina.classic.linear import _LinearModel
from lamina.classic.validation import bridged
from lamina.errors import check_nonnegative, check_positive_int

__all__ = ["ElasticNet", "Lasso"]


class ElasticNet(_LinearModel):
    """Least squares with a mixed L1 + L2 penalty, by cyclic coordinate descent.

    Minimizes (1/(2m)) * ||y - X @ w - b||**2 + alpha * l1_ratio * ||w||_1
              + (alpha * (1 - l1_ratio) / 2) * ||w||**2

    Coordinate update (centered data, residual r = yc - Xc @ w):
        rho_j = X_j @ (r + X_j * w_j)
        w_j = S(rho_j, m * alpha * l1_ratio) / (X_j @ X_j + m * alpha * (1 - l1_ratio))
    with the soft threshold S(z, t) = sign(z) * max(|z| - t, 0).

    Parameters
    ----------
    alpha : float, default=1.0
    l1_ratio : float, default=0.5
        Share of the L1 penalty, in [0, 1].
    fit_intercept : bool, default=True
    max_iter : int, default=1000
        Maximum number of sweeps over the coordinates.
    tol : float, default=1e-4
        Stop once the largest weight change of a sweep is below tol * max|w| and the duality
        gap is below tol * ||yc||**2 (scikit-learn's criterion).

    Attributes
    ----------
    coef_, intercept_, n_features_in_ : as in ``LinearRegression``.
    n_iter_ : int
        Sweeps run.
    dual_gap_ : float
    loss_history_ : list of float
        The objective above after every sweep.
        The duality gap at the end, in units of the unnormalized objective.

    Notes
    -----
    The scaling is scikit-learn's, so ``alpha`` and ``l1_ratio`` map one to one. The course
    writes the lasso as J = (1/m) * [sum_i (yhat_i - y_i)**2 + lambda * sum_j |w_j|]; that is
    twice the objective above with lambda = 2 * m * alpha.
    """

    def __init__(
        self,
        alpha: float = 1.0,
        l1_ratio: float = 0.5,
        fit_intercept: bool = True,
        max_iter: int = 1000,
        tol: float = 1e-4,
    ) -> None:
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, X: Any, y: Any) -> ElasticNet:
        """Fit the weights to ``X`` of shape (m, n) and ``y`` of shape (m,); return ``self``."""
        owner = self._owner("fit")
        check_nonnegative(owner, alpha=self.alpha, tol=self.tol)
        check_positive_int(owner, max_iter=self.max_iter)
        if not 0 <= self.l1_ratio <= 1:
            raise ValueError(f"{owner}: l1_ratio must be in [0, 1], got {self.l1_ratio!r}")
        X = self._validate_X(X, "fit", reset=True)
        y = self._validate_y(y, X.shape[0], "fit", numeric=True)
        m = X.shape[0]
        l1, l2 = m * self.alpha * self.l1_ratio, m * self.alpha * (1 - self.l1_ratio)

        def solve(Xc: np.ndarray, yc: np.ndarray) -> np.ndarray:
            w, self.dual_gap_, self.n_iter_, history = _coordinate_descent(
                Xc, yc, l1, l2, self.max_iter, self.tol
            )
            self.loss_history_ = [loss / m for loss in history]
            return w

        self._fit_centered(X, y, solve)
        if self.n_iter_ == self.max_iter:
            warnings.warn(
                f"{owner}: coordinate descent did not converge in {self.max_iter} sweeps "
                f"(duality gap {self.dual_gap_:.3g}); raise max_iter or tol",
                bridged(ConvergenceWarning, "ConvergenceWarning"),
                stacklevel=2,
            )
        return self


class Lasso(ElasticNet):
    """Least squares with an L1 penalty: ``ElasticNet`` with ``l1_ratio=1``.

    Minimizes (1/(2m)) * ||y - X @ w - b||**2 + alpha * ||w||_1 by coordinate descent:
        w_j = S(rho_j, m * alpha) / (X_j @ X_j),  S(z, t) = sign(z) * max(|z| - t, 0)
    Weights whose correlation with the residual stays below m * alpha are set exactly to zero,
    so more weights vanish as alpha grows.

    Parameters
    ----------
    alpha : float, default=1.0
    fit_intercept : bool, default=True
    max_iter : int, default=1000
    tol : float, default=1e-4

    Notes
    -----
    scikit-learn's scaling (the 1/(2m) factor); the course's
    J = (1/m) * [sum_i (yhat_i - y_i)**2 + lambda * sum_j |w_j|] has lambda = 2 * m * alpha.
    """

    l1_ratio = 1.0  # fixed: a class attribute, so the constructor stores only its arguments

    def __init__(
        self,
        alpha: float = 1.0,
        fit_intercept: bool = True,
        max_iter: int = 1000,
        tol: float = 1e-4,
    ) -> None:
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol


def _coordinate_descent(
    X: np.ndarray, y: np.ndarray, l1: float, l2: float, max_iter: int, tol: float
) -> tuple[np.ndarray, float, int, list[float]]:
    """Minimize 0.5 * ||y - X @ w||**2 + l1 * ||w||_1 + 0.5 * l2 * ||w||**2 cyclically.

    Returns the weights, the last duality gap, the sweeps run and the objective per sweep.
    """
    n = X.shape[1]
    w = np.zeros(n)
    r = y.copy()
    col_sq = np.einsum("ij,ij->j", X, X)
    tol_gap = tol * float(y @ y)
    gap, history = np.inf, []
    for sweep in range(1, max_iter + 1):
        max_dw = max_w = 0.0
        for j in range(n):
            if col_sq[j] == 0.0:
                continue
            old = w[j]
            rho = X[:, j] @ r + col_sq[j] * old
            w[j] = np.sign(rho) * max(abs(rho) - l1, 0.0) / (col_sq[j] + l2)
            if w[j] != old:
                r -= X[:, j] * (w[j] - old)
            max_dw, max_w = max(max_dw, abs(w[j] - old)), max(max_w, abs(w[j]))
        history.append(0.5 * float(r @ r) + l1 * float(np.abs(w).sum()) + 0.5 * l2 * float(w @ w))
        if max_w == 0.0 or max_dw / max_w < tol or sweep == max_iter:
            gap = _duality_gap(X, y, w, r, l1, l2)
            if gap < tol_gap:
                return w, gap, sweep, history
    return w, gap, max_iter, history


def _duality_gap(
    X: np.ndarray, y: np.ndarray, w: np.ndarray, r: np.ndarray, l1: float, l2: float
) -> float:
    """Duality gap of the elastic-net objective at ``w`` (residual ``r = y - X @ w``)."""
    xta = X.T @ r - l2 * w
    dual_norm = float(np.max(np.abs(xta))) if xta.size else 0.0
    r_norm2 = float(r @ r)
    const = l1 / dual_norm if dual_norm > l1 else 1.0
    gap = 0.5 * r_norm2 * (1 + const**2) if dual_norm > l1 else r_norm2
    gap += l1 * float(np.abs(w).sum()) - const * float(r @ y)
    return gap + 0.5 * l2 * (1 + const**2) * float(w @ w)
