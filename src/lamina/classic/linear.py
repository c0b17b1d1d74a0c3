"""Linear regression: least squares and ridge, closed form or gradient descent.

Course notation: m samples, n features, prediction yhat = X @ w + b, and the cost
J = (1/m) * sum_i (yhat_i - y_i)**2 (the mean squared error).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from lamina.classic.base import BaseEstimator, RegressorMixin
from lamina.errors import check_in, check_nonnegative, check_positive_int, check_seed

__all__ = [
    "BiasVarianceCurve",
    "LinearRegression",
    "Ridge",
    "ridge_bias_variance",
]


class _LinearModel(RegressorMixin, BaseEstimator):
    """Shared ``predict`` for models yhat = X @ coef_ + intercept_."""

    coef_: np.ndarray
    intercept_: float
    fit_intercept: bool
    n_iter_: int
    loss_history_: list[float]

    def predict(self, X: Any) -> np.ndarray:
        """Return yhat = X @ coef_ + intercept_, shape (n_samples,)."""
        X = self._validate_X(X, "predict")
        return X @ self.coef_ + self.intercept_

    def _fit_centered(self, X: np.ndarray, y: np.ndarray, solve: Any) -> None:
        # Centering X and y removes the intercept from the problem (it is never penalized):
        # b = mean(y) - mean(X) @ w once w is solved on the centered data.
        x_mean = X.mean(axis=0) if self.fit_intercept else np.zeros(X.shape[1])
        y_mean = y.mean() if self.fit_intercept else 0.0
        self.coef_ = solve(X - x_mean, y - y_mean)
        self.intercept_ = float(y_mean - x_mean @ self.coef_)


class LinearRegression(_LinearModel):
    """Ordinary least squares, by the normal equation or by gradient descent.

    Minimizes J(w, b) = (1/m) * sum_i (x_i @ w + b - y_i)**2.

    normal:    solve (Xc.T @ Xc) w = Xc.T @ yc  (a linear solve, never an explicit inverse),
               Xc, yc centered; b = mean(y) - mean(X) @ w
    lstsq:     w = pinv(Xc) @ yc by SVD (np.linalg.lstsq): stable even for rank-deficient X
    gd:        w -= lr * (2/m) * X.T @ (yhat - y);  b -= lr * (2/m) * sum_i (yhat_i - y_i)
    sgd:       the same step on one shuffled sample at a time
    minibatch: the same step on shuffled batches of ``batch_size`` samples

    Parameters
    ----------
    fit_intercept : bool, default=True
    solver : {"normal", "lstsq", "gd", "sgd", "minibatch"}, default="normal"
    lr : float, default=0.01
        Learning rate of the gradient solvers (the course's alpha).
    epochs : int, default=1000
        Passes over the data for the gradient solvers.
    batch_size : int, default=32
        Batch size of ``solver="minibatch"``.
    seed : int or numpy.random.Generator or None, default=None
        Seeds the shuffling of ``sgd`` and ``minibatch``.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    n_features_in_ : int
    n_iter_ : int
        Epochs run (0 for the closed forms).
    loss_history_ : list of float
        The cost J on the whole training set after each epoch (gradient solvers only).

    Notes
    -----
    Gradient descent needs scaled features (see ``StandardScaler``); the closed forms do not.
    For noisy data, ``sgd`` and ``minibatch`` with a constant ``lr`` only reach a neighbourhood
    of the minimum whose size shrinks with ``lr``.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0], [1.0], [2.0]])
    >>> LinearRegression().fit(X, 1 + 2 * X[:, 0]).coef_.round(6)
    array([2.])
    """

    def __init__(
        self,
        fit_intercept: bool = True,
        solver: str = "normal",
        lr: float = 0.01,
        epochs: int = 1000,
        batch_size: int = 32,
        seed: int | np.random.Generator | None = None,
    ) -> None:
        self.fit_intercept = fit_intercept
        self.solver = solver
        self.lr = lr
        self.epochs = epochs
        self.batch_size = batch_size
        self.seed = seed

    def fit(self, X: Any, y: Any) -> LinearRegression:
        """Fit the weights to ``X`` of shape (m, n) and ``y`` of shape (m,); return ``self``."""
        owner = self._owner("fit")
        check_in(owner, "solver", self.solver, ("normal", "lstsq", "gd", "sgd", "minibatch"))
        X = self._validate_X(X, "fit", reset=True)
        y = self._validate_y(y, X.shape[0], "fit", numeric=True)
        self.n_iter_, self.loss_history_ = 0, []
        if self.solver == "normal":
            self._fit_centered(X, y, _solve_normal)
        elif self.solver == "lstsq":
            self._fit_centered(X, y, lambda A, b: np.linalg.lstsq(A, b, rcond=None)[0])
        else:
            check_nonnegative(owner, lr=self.lr)
            check_positive_int(owner, epochs=self.epochs, batch_size=self.batch_size)
            batch = {"gd": X.shape[0], "sgd": 1, "minibatch": self.batch_size}[self.solver]
            rng = np.random.default_rng(check_seed(type(self).__name__, self.seed))
            self.coef_, self.intercept_, self.loss_history_ = _descend(
                X, y, 0.0, self.lr, self.epochs, batch, rng, self.fit_intercept, owner
            )
            self.n_iter_ = self.epochs
        return self


class Ridge(_LinearModel):
    """Least squares with an L2 penalty on the weights (the intercept is not penalized).

    Minimizes ||y - X @ w - b||**2 + alpha * ||w||**2.

    closed: w = (Xc.T @ Xc + alpha * I)^-1 @ Xc.T @ yc, solved as a linear system;
            b = mean(y) - mean(X) @ w
    gd:     w -= lr * (2/m) * (X.T @ (yhat - y) + alpha * w);  b -= lr * (2/m) * sum(yhat - y)

    Parameters
    ----------
    alpha : float, default=1.0
        Penalty strength, >= 0.
    fit_intercept : bool, default=True
    solver : {"closed", "gd"}, default="closed"
    lr : float, default=0.01
    epochs : int, default=1000

    Attributes
    ----------
    coef_, intercept_, n_features_in_, n_iter_, loss_history_ : as in ``LinearRegression``.

    Notes
    -----
    The course writes J = (1/m) * sum_i (yhat_i - y_i)**2 + (lambda/m) * sum_j w_j**2. That is
    scikit-learn's objective divided by m, so the minimizer is the same and lambda = alpha.
    ``loss_history_`` records the course's J. Large alpha: high bias, low variance; small
    alpha: low bias, high variance (see ``ridge_bias_variance``).
    """

    def __init__(
        self,
        alpha: float = 1.0,
        fit_intercept: bool = True,
        solver: str = "closed",
        lr: float = 0.01,
        epochs: int = 1000,
    ) -> None:
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.solver = solver
        self.lr = lr
        self.epochs = epochs

    def fit(self, X: Any, y: Any) -> Ridge:
        """Fit the weights to ``X`` of shape (m, n) and ``y`` of shape (m,); return ``self``."""
        owner = self._owner("fit")
        check_in(owner, "solver", self.solver, ("closed", "gd"))
        check_nonnegative(owner, alpha=self.alpha)
        X = self._validate_X(X, "fit", reset=True)
        y = self._validate_y(y, X.shape[0], "fit", numeric=True)
        self.n_iter_, self.loss_history_ = 0, []
        if self.solver == "closed":
            self._fit_centered(X, y, lambda A, b: _solve_normal(A, b, self.alpha))
        else:
            check_nonnegative(owner, lr=self.lr)
            check_positive_int(owner, epochs=self.epochs)
            self.coef_, self.intercept_, self.loss_history_ = _descend(
                X, y, self.alpha, self.lr, self.epochs, X.shape[0], None, self.fit_intercept, owner
            )
            self.n_iter_ = self.epochs
        return self


class BiasVarianceCurve(NamedTuple):
    """Training and validation mean squared error of ``Ridge`` per penalty ``alpha``."""

    alphas: np.ndarray
    train_error: np.ndarray
    val_error: np.ndarray

    @property
    def best_alpha(self) -> float:
        """The alpha with the lowest validation error."""
        return float(self.alphas[int(np.argmin(self.val_error))])


def ridge_bias_variance(
    X_train: Any,
    y_train: Any,
    X_val: Any,
    y_val: Any,
    alphas: Any,
    **ridge_params: Any,
) -> BiasVarianceCurve:
    """Fit ``Ridge`` for each alpha; return the training and validation MSE per alpha.

    error = (1/m) * sum_i (yhat_i - y_i)**2 on each set. Small alpha: low training error and
    a large gap to the validation error (variance); large alpha: both errors high (bias).

    Parameters
    ----------
    X_train, y_train : arrays of shape (m, n) and (m,)
    X_val, y_val : arrays of shape (k, n) and (k,)
    alphas : 1-D array of float, each >= 0
    **ridge_params
        Other ``Ridge`` arguments, e.g. ``fit_intercept``.

    Returns
    -------
    BiasVarianceCurve
        ``alphas``, ``train_error`` and ``val_error``, each of shape (len(alphas),).
    """
    alphas = np.asarray(alphas, dtype=np.float64)
    if alphas.ndim != 1 or alphas.size == 0:
        raise ValueError(
            f"ridge_bias_variance: expected a non-empty 1-D alphas, got {alphas.shape}"
        )
    train, val = np.empty_like(alphas), np.empty_like(alphas)
    for i, alpha in enumerate(alphas):
        model = Ridge(alpha=float(alpha), **ridge_params).fit(X_train, y_train)
        train[i] = np.mean((model.predict(X_train) - np.asarray(y_train)) ** 2)
        y_val_arr = model._validate_y(y_val, np.shape(X_val)[0], "predict", numeric=True)
        val[i] = np.mean((model.predict(X_val) - y_val_arr) ** 2)
    return BiasVarianceCurve(alphas, train, val)


# -- solvers --------------------------------------------------------------------------------


def _solve_normal(Xc: np.ndarray, yc: np.ndarray, alpha: float = 0.0) -> np.ndarray:
    """Solve (Xc.T @ Xc + alpha * I) w = Xc.T @ yc; fall back to SVD when singular."""
    gram = Xc.T @ Xc
    gram[np.diag_indices_from(gram)] += alpha
    try:
        return np.linalg.solve(gram, Xc.T @ yc)
    except np.linalg.LinAlgError:
        # Collinear features: the minimum-norm solution, as lstsq gives.
        return np.linalg.lstsq(gram, Xc.T @ yc, rcond=None)[0]


def _descend(
    X: np.ndarray,
    y: np.ndarray,
    alpha: float,
    lr: float,
    epochs: int,
    batch: int,
    rng: np.random.Generator | None,
    fit_intercept: bool,
    owner: str,
) -> tuple[np.ndarray, float, list[float]]:
    """Gradient descent on J = (1/m) * (||X @ w + b - y||**2 + alpha * ||w||**2).

    Each step on a batch B: w -= lr * (2/|B|) * (X_B.T @ r_B + alpha * (|B|/m) * w),
    b -= lr * (2/|B|) * sum(r_B), r = yhat - y. Batches are reshuffled every epoch by ``rng``.
    Raises ``FloatingPointError`` naming ``owner`` once the cost stops being finite.
    """
    m, n = X.shape
    w, b, history = np.zeros(n), 0.0, []
    order = np.arange(m)
    for epoch in range(1, epochs + 1):
        if rng is not None and batch < m:
            rng.shuffle(order)
        with np.errstate(over="ignore", invalid="ignore"):
            for start in range(0, m, batch):
                idx = order[start : start + batch]
                r = X[idx] @ w + b - y[idx]
                scale = 2.0 / idx.size
                w = w - lr * scale * (X[idx].T @ r + alpha * (idx.size / m) * w)
                if fit_intercept:
                    b -= lr * scale * float(r.sum())
            history.append(float(np.mean((X @ w + b - y) ** 2) + alpha * (w @ w) / m))
        if not np.isfinite(history[-1]):
            raise FloatingPointError(
                f"{owner}: gradient descent diverged (cost not finite at epoch {epoch}); "
                f"expected a smaller lr than {lr:g} or standardized features"
            )
    return w, b, history
