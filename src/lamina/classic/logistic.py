"""Logistic regression (sigmoid for two classes, multinomial softmax for more) and softmax
regression (softmax for any number of classes).

Both minimize the mean cross-entropy plus an L2 penalty on the weights (never on the
intercept), by Newton's method with backtracking or by plain gradient descent.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from lamina.classic.base import BaseEstimator, ClassifierMixin, ConvergenceWarning
from lamina.classic.validation import bridged
from lamina.errors import check_in, check_nonnegative, check_positive_int

__all__ = ["LogisticRegression", "SoftmaxRegression"]

# (theta, order) -> (loss, grad or None, hessian or None); order 0, 1 or 2.
_Objective = Callable[[np.ndarray, int], tuple[float, Any, Any]]

_PARAMS_DOC = """
    Parameters
    ----------
    penalty : {"l2", "none"}, default="l2"
    C : float, default=1.0
        Inverse penalty strength, as in scikit-learn; must be > 0.
    alpha : float or None, default=None
        Penalty strength of the course's form; if given it replaces C (alpha = 1/C).
    solver : {"newton", "gd"}, default="newton"
        Newton's method (a linear solve per step, for up to a few hundred parameters) or
        gradient descent with step ``lr``.
    fit_intercept : bool, default=True
    lr : float, default=0.1
        Step of ``solver="gd"``.
    max_iter : int, default=100
    tol : float, default=1e-8
        Stop once every entry of the gradient is below tol in absolute value.
"""


class _LogisticBase(ClassifierMixin, BaseEstimator):
    """Shared fit loop; subclasses give the objective and turn scores into probabilities."""

    coef_: np.ndarray
    intercept_: np.ndarray
    classes_: np.ndarray

    def __init__(
        self,
        penalty: str = "l2",
        C: float = 1.0,
        alpha: float | None = None,
        solver: str = "newton",
        fit_intercept: bool = True,
        lr: float = 0.1,
        max_iter: int = 100,
        tol: float = 1e-8,
    ) -> None:
        self.penalty = penalty
        self.C = C
        self.alpha = alpha
        self.solver = solver
        self.fit_intercept = fit_intercept
        self.lr = lr
        self.max_iter = max_iter
        self.tol = tol

    def _penalty_strength(self) -> float:
        owner = self._owner("fit")
        check_in(owner, "penalty", self.penalty, ("l2", "none"))
        check_in(owner, "solver", self.solver, ("newton", "gd"))
        check_nonnegative(owner, lr=self.lr, tol=self.tol)
        check_positive_int(owner, max_iter=self.max_iter)
        if self.penalty == "none":
            return 0.0
        if self.alpha is not None:
            check_nonnegative(owner, alpha=self.alpha)
            return float(self.alpha)
        if not isinstance(self.C, (int, float, np.number)) or not self.C > 0:
            raise ValueError(f"{owner}: C must be > 0, got {self.C!r}")
        return 1.0 / float(self.C)

    def fit(self, X: Any, y: Any) -> Any:
        """Fit to ``X`` of shape (m, n) and labels ``y`` of shape (m,); return ``self``."""
        alpha = self._penalty_strength()
        X = self._validate_X(X, "fit", reset=True)
        y = self._validate_y(y, X.shape[0], "fit", numeric=False)
        labels = self._encode_labels(y)
        X1 = _design(X, self.fit_intercept)
        mask = np.ones(X1.shape[1])
        if self.fit_intercept:
            mask[-1] = 0.0  # the intercept is not penalized, as in scikit-learn
        objective, theta = self._objective(X1, labels, alpha, mask)
        theta, self.n_iter_, self.loss_history_ = _minimize(
            objective, theta, self.solver, self.lr, self.max_iter, self.tol, self._owner("fit")
        )
        self._set_coef(theta.reshape(X1.shape[1], -1))
        return self

    def _set_coef(self, theta: np.ndarray) -> None:
        n = self.n_features_in_
        self.coef_ = np.ascontiguousarray(theta[:n].T)
        self.intercept_ = theta[n] if self.fit_intercept else np.zeros(theta.shape[1])

    def _scores(self, X: Any, method: str) -> np.ndarray:
        """Return X @ coef_.T + intercept_, one column per row of ``coef_``."""
        X = self._validate_X(X, method)
        return X @ self.coef_.T + self.intercept_

    def decision_function(self, X: Any) -> np.ndarray:
        """Return the class scores, shape (m, K); for two classes the log-odds, shape (m,).

        The log-odds of ``classes_[1]`` is the score difference z_1 - z_0 (or the single score
        of a one-vector binary model), so predict(X) = classes_[decision_function(X) > 0].
        """
        scores = self._scores(X, "decision_function")
        return _binary_log_odds(scores) if self.classes_.shape[0] == 2 else scores

    def predict(self, X: Any) -> np.ndarray:
        """Return the most probable class label per row of ``X``, shape (n_samples,)."""
        scores = self._scores(X, "predict")
        if self.classes_.shape[0] == 2:
            return self.classes_[(_binary_log_odds(scores) > 0).astype(np.int64)]
        return self.classes_[np.argmax(scores, axis=1)]

    def predict_proba(self, X: Any) -> np.ndarray:
        """Return class probabilities, shape (n_samples, n_classes), ordered as ``classes_``.

        One score column z: [1 - sigmoid(z), sigmoid(z)]; K columns: softmax(z) per row.
        """
        scores = self._scores(X, "predict_proba")
        if scores.shape[1] == 1:
            p1 = _sigmoid(scores[:, 0])
            return np.column_stack([1.0 - p1, p1])
        return _softmax(scores)

    def predict_log_proba(self, X: Any) -> np.ndarray:
        """Return log(predict_proba(X)), computed without underflow; shape (n_samples, K)."""
        scores = self._scores(X, "predict_log_proba")
        if scores.shape[1] == 1:
            z = scores[:, 0]
            return np.column_stack([-np.logaddexp(0.0, z), -np.logaddexp(0.0, -z)])
        return scores - _logsumexp(scores)

    def _objective(
        self, X1: np.ndarray, labels: np.ndarray, alpha: float, mask: np.ndarray
    ) -> tuple[_Objective, np.ndarray]:
        raise NotImplementedError


class LogisticRegression(_LogisticBase):
    __doc__ = (
        """Logistic regression: p(y = classes_[1] | x) = sigmoid(x @ w + b) for two classes,
    p(k | x) = softmax(x @ W.T + b)_k (multinomial, as in scikit-learn) for K > 2 classes.

    Two classes minimize J(w, b) = -(1/m) * sum_i [y_i * log(p_i) + (1 - y_i) * log(1 - p_i)]
                                   + (alpha/(2m)) * ||w||**2,   alpha = 1/C
    K > 2 classes minimize ``SoftmaxRegression``'s J(W, b) = -(1/m) * sum_i log(p_i[y_i])
                                   + (alpha/(2m)) * ||W||**2, with one weight row per class.

    gradient: dJ/dw = (1/m) * X.T @ (p - y) + (alpha/m) * w;   dJ/db = (1/m) * sum_i (p_i - y_i)
    gd:       theta -= lr * gradient
    newton:   theta -= t * H^-1 @ gradient,  H = (1/m) * X1.T @ diag(p * (1 - p)) @ X1
              + (alpha/m) * I_w, with X1 = [X, 1] and t halved until J decreases enough.
    """
        + _PARAMS_DOC
        + """
    Attributes
    ----------
    classes_ : ndarray of shape (K,)
    coef_ : ndarray of shape (1, n_features) for two classes, else (K, n_features)
    intercept_ : ndarray of shape (1,) for two classes, else (K,)
    n_features_in_, n_iter_ : int
    loss_history_ : list of float
        J at every iteration.

    Notes
    -----
    scikit-learn minimizes C * sum_i loss_i + 0.5 * ||w||**2; dividing by C*m gives J above
    with alpha = 1/C, so both reach the same weights. The K intercepts are unpenalized and
    softmax ignores a constant added to all of them; Newton's minimum-norm steps from zero
    keep them summing to zero, which scikit-learn's multinomial intercepts do too. The course
    writes the penalty as (lambda/(2m)) * sum_j w_j**2, so lambda = alpha = 1/C.
    """
    )

    def _objective(
        self, X1: np.ndarray, labels: np.ndarray, alpha: float, mask: np.ndarray
    ) -> tuple[_Objective, np.ndarray]:
        k = self.classes_.shape[0]
        if k == 2:
            return _binary_objective(X1, labels, alpha, mask)
        return _softmax_objective(X1, labels, k, alpha, mask)


class SoftmaxRegression(_LogisticBase):
    __doc__ = (
        """Multinomial (softmax) logistic regression: p(k | x) = softmax(x @ W + b)_k.

    Minimizes J(W, b) = -(1/m) * sum_i log(p_i[y_i]) + (alpha/(2m)) * ||W||**2,  alpha = 1/C

    gradient: dJ/dW = (1/m) * X.T @ (P - Y) + (alpha/m) * W;  dJ/db = (1/m) * sum_i (P_i - Y_i)
              with Y the one-hot labels and P the (m, K) probabilities
    newton:   Hessian blocks H[(a,k),(b,l)] = (1/m) * sum_i x_ia * x_ib * (P_ik * [k == l] -
              P_ik * P_il), solved by least squares (softmax is unchanged by adding the same
              constant to every intercept, so H is singular along that direction).
    """
        + _PARAMS_DOC
        + """
    Attributes
    ----------
    classes_ : ndarray of shape (K,)
    coef_ : ndarray of shape (K, n_features)
    intercept_ : ndarray of shape (K,)
    n_features_in_, n_iter_ : int
    loss_history_ : list of float

    Notes
    -----
    The same objective as scikit-learn's multinomial ``LogisticRegression`` with alpha = 1/C.
    With two classes it still fits one weight vector per class (an over-parameterization that
    the penalty makes unique); ``decision_function`` then returns the log-odds z_1 - z_0.
    """
    )

    def _objective(
        self, X1: np.ndarray, labels: np.ndarray, alpha: float, mask: np.ndarray
    ) -> tuple[_Objective, np.ndarray]:
        return _softmax_objective(X1, labels, self.classes_.shape[0], alpha, mask)


# -- objectives -----------------------------------------------------------------------------


def _binary_objective(
    X1: np.ndarray, labels: np.ndarray, alpha: float, mask: np.ndarray
) -> tuple[_Objective, np.ndarray]:
    """J(theta) = mean_i [log(1 + exp(z_i)) - y_i * z_i] + (alpha/(2m)) * ||mask * theta||**2."""
    m = X1.shape[0]
    y = labels.astype(np.float64)
    reg = alpha / m * mask

    def objective(theta: np.ndarray, order: int) -> tuple[float, Any, Any]:
        z = X1 @ theta
        # log(1 + exp(z)) - y*z is the cross-entropy written without overflow.
        loss = float(np.mean(np.logaddexp(0.0, z) - y * z) + 0.5 * reg @ theta**2)
        if order == 0:
            return loss, None, None
        p = _sigmoid(z)
        grad = X1.T @ (p - y) / m + reg * theta
        hess = (X1.T * (p * (1 - p))) @ X1 / m + np.diag(reg) if order == 2 else None
        return loss, grad, hess

    return objective, np.zeros(X1.shape[1])


def _softmax_objective(
    X1: np.ndarray, labels: np.ndarray, k: int, alpha: float, mask: np.ndarray
) -> tuple[_Objective, np.ndarray]:
    """J(T) = -mean_i log(softmax(X1 @ T)_i[y_i]) + (alpha/(2m)) * ||mask * T||**2, T (d, K)."""
    m, d = X1.shape
    Y = np.eye(k)[labels]
    reg = (alpha / m * mask)[:, None] * np.ones(k)

    def objective(theta: np.ndarray, order: int) -> tuple[float, Any, Any]:
        T = theta.reshape(d, k)
        Z = X1 @ T
        log_p = Z - _logsumexp(Z)
        loss = float(-np.mean(np.sum(Y * log_p, axis=1)) + 0.5 * np.sum(reg * T**2))
        if order == 0:
            return loss, None, None
        P = np.exp(log_p)
        grad = (X1.T @ (P - Y) / m + reg * T).ravel()
        if order < 2:
            return loss, grad, None
        # H[(a,k),(b,l)] = (1/m) * sum_i x_ia * x_ib * (P_ik * [k == l] - P_ik * P_il):
        # one (d, d) product per class pair, far faster than a 4-index einsum.
        hess = np.empty((d, k, d, k))
        for a in range(k):
            for b in range(a, k):
                w = P[:, a] * ((a == b) - P[:, b])
                hess[:, a, :, b] = (X1.T * w) @ X1 / m
                hess[:, b, :, a] = hess[:, a, :, b]
        return loss, grad, hess.reshape(d * k, d * k) + np.diag(reg.ravel())

    return objective, np.zeros(d * k)


# -- helpers --------------------------------------------------------------------------------


def _design(X: np.ndarray, fit_intercept: bool) -> np.ndarray:
    return np.hstack([X, np.ones((X.shape[0], 1))]) if fit_intercept else X


def _sigmoid(z: np.ndarray) -> np.ndarray:
    # exp(-log(1 + exp(-z))) never overflows, for either sign of z.
    return np.exp(-np.logaddexp(0.0, -z))


def _logsumexp(Z: np.ndarray) -> np.ndarray:
    top = Z.max(axis=1, keepdims=True)
    return top + np.log(np.sum(np.exp(Z - top), axis=1, keepdims=True))


def _softmax(Z: np.ndarray) -> np.ndarray:
    return np.exp(Z - _logsumexp(Z))


def _binary_log_odds(scores: np.ndarray) -> np.ndarray:
    # One column: the score itself; two (softmax over two classes): z_1 - z_0.
    return scores[:, 0] if scores.shape[1] == 1 else scores[:, 1] - scores[:, 0]


def _minimize(
    objective: _Objective,
    theta: np.ndarray,
    solver: str,
    lr: float,
    max_iter: int,
    tol: float,
    owner: str,
) -> tuple[np.ndarray, int, list[float]]:
    """Newton's method with backtracking, or gradient descent; return theta, steps, losses."""
    order = 2 if solver == "newton" else 1
    history: list[float] = []
    for step in range(max_iter):
        loss, grad, hess = objective(theta, order)
        history.append(loss)
        if np.max(np.abs(grad)) <= tol:
            return theta, step, history
        if solver == "gd":
            theta = theta - lr * grad
            continue
        direction = np.linalg.lstsq(hess, grad, rcond=None)[0]
        t, slope = 1.0, float(grad @ direction)
        # Armijo backtracking: a full Newton step can overshoot far from the minimum.
        while t > 1e-10 and objective(theta - t * direction, 0)[0] > loss - 1e-4 * t * slope:
            t *= 0.5
        theta = theta - t * direction
    warnings.warn(
        f"{owner}: {solver} did not converge in {max_iter} iterations "
        f"(max |gradient| {np.max(np.abs(grad)):.3g} > tol {tol:g}); raise max_iter",
        bridged(ConvergenceWarning, "ConvergenceWarning"),
        stacklevel=3,
    )
    return theta, max_iter, history
