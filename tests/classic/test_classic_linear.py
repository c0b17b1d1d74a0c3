"""Linear models: parity with scikit-learn, gradient solvers, lasso sparsity, bias/variance."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import sklearn.linear_model as sk
from sklearn.datasets import load_diabetes
from sklearn.preprocessing import StandardScaler as SkStandardScaler

from lamina.classic import (
    ConvergenceWarning,
    ElasticNet,
    Lasso,
    LinearRegression,
    Ridge,
    ridge_bias_variance,
)

X_RAW, Y = load_diabetes(return_X_y=True)
X_STD = SkStandardScaler().fit_transform(X_RAW)


def assert_rel_close(actual: np.ndarray | float, expected: np.ndarray | float, rtol: float) -> None:
    """Max |actual - expected| <= rtol * max |expected| (relative to the vector's scale)."""
    actual, expected = np.asarray(actual), np.asarray(expected)
    scale = max(float(np.max(np.abs(expected))), 1e-12)
    assert float(np.max(np.abs(actual - expected))) <= rtol * scale


@pytest.mark.parametrize("solver", ["normal", "lstsq"])
@pytest.mark.parametrize("fit_intercept", [True, False], ids=["intercept", "no-intercept"])
def test_linear_regression_matches_sklearn(solver: str, fit_intercept: bool) -> None:
    ours = LinearRegression(solver=solver, fit_intercept=fit_intercept).fit(X_RAW, Y)
    ref = sk.LinearRegression(fit_intercept=fit_intercept).fit(X_RAW, Y)
    assert_rel_close(ours.coef_, ref.coef_, 1e-8)
    assert_rel_close(ours.intercept_, ref.intercept_, 1e-8)
    assert ours.score(X_RAW, Y) == pytest.approx(ref.score(X_RAW, Y), rel=1e-10)


def test_normal_equation_handles_collinear_features_like_lstsq() -> None:
    X = np.hstack([X_RAW, X_RAW[:, :1]])  # duplicate column: X.T @ X is singular
    ours = LinearRegression(solver="lstsq").fit(X, Y)
    normal = LinearRegression(solver="normal").fit(X, Y)
    np.testing.assert_allclose(normal.predict(X), ours.predict(X), rtol=1e-6)


@pytest.mark.parametrize("alpha", [0.01, 1.0, 100.0])
@pytest.mark.parametrize("fit_intercept", [True, False], ids=["intercept", "no-intercept"])
def test_ridge_closed_form_matches_sklearn(alpha: float, fit_intercept: bool) -> None:
    ours = Ridge(alpha=alpha, fit_intercept=fit_intercept).fit(X_RAW, Y)
    ref = sk.Ridge(alpha=alpha, fit_intercept=fit_intercept).fit(X_RAW, Y)
    assert_rel_close(ours.coef_, ref.coef_, 1e-8)
    assert_rel_close(ours.intercept_, ref.intercept_, 1e-8)


def test_ridge_with_zero_alpha_is_least_squares() -> None:
    np.testing.assert_allclose(
        Ridge(alpha=0.0).fit(X_RAW, Y).coef_, LinearRegression().fit(X_RAW, Y).coef_, rtol=1e-9
    )


@pytest.mark.parametrize("alpha", [0.01, 0.1, 1.0])
def test_lasso_matches_sklearn(alpha: float) -> None:
    ours = Lasso(alpha=alpha, tol=1e-8, max_iter=10_000).fit(X_RAW, Y)
    ref = sk.Lasso(alpha=alpha, tol=1e-8, max_iter=10_000).fit(X_RAW, Y)
    assert_rel_close(ours.coef_, ref.coef_, 1e-5)
    assert_rel_close(ours.intercept_, ref.intercept_, 1e-5)
    np.testing.assert_array_equal(ours.coef_ == 0, ref.coef_ == 0)


def test_lasso_at_default_tolerance_matches_sklearn_and_its_sweep_count() -> None:
    ours = Lasso(alpha=0.1).fit(X_RAW, Y)
    ref = sk.Lasso(alpha=0.1).fit(X_RAW, Y)
    assert_rel_close(ours.coef_, ref.coef_, 1e-5)
    assert ours.n_iter_ == ref.n_iter_ == len(ours.loss_history_)
    assert np.all(np.diff(ours.loss_history_) <= 1e-9)  # coordinate descent never goes uphill


@pytest.mark.parametrize("l1_ratio", [0.2, 0.5, 0.9])
@pytest.mark.parametrize("alpha", [0.01, 0.5])
def test_elastic_net_matches_sklearn(alpha: float, l1_ratio: float) -> None:
    ours = ElasticNet(alpha=alpha, l1_ratio=l1_ratio, tol=1e-8, max_iter=10_000).fit(X_RAW, Y)
    ref = sk.ElasticNet(alpha=alpha, l1_ratio=l1_ratio, tol=1e-8, max_iter=10_000).fit(X_RAW, Y)
    assert_rel_close(ours.coef_, ref.coef_, 1e-5)
    assert_rel_close(ours.intercept_, ref.intercept_, 1e-5)


def test_elastic_net_with_l1_ratio_one_is_lasso() -> None:
    np.testing.assert_array_equal(
        ElasticNet(alpha=0.3, l1_ratio=1.0).fit(X_RAW, Y).coef_,
        Lasso(alpha=0.3).fit(X_RAW, Y).coef_,
    )


def test_lasso_zeroes_more_coefficients_as_alpha_grows() -> None:
    zeros = [int(np.sum(Lasso(alpha=a).fit(X_STD, Y).coef_ == 0)) for a in (0.01, 1, 5, 20, 100)]
    assert zeros == sorted(zeros)
    assert zeros[0] < zeros[-1] == X_STD.shape[1]


def test_lasso_warns_when_it_stops_at_max_iter() -> None:
    with pytest.warns(ConvergenceWarning, match=r"Lasso\.fit: coordinate descent did not"):
        Lasso(alpha=0.001, max_iter=2, tol=1e-12).fit(X_RAW, Y)


def test_gradient_descent_converges_to_the_normal_equation() -> None:
    closed = LinearRegression().fit(X_STD, Y)
    gd = LinearRegression(solver="gd", lr=0.2, epochs=5000).fit(X_STD, Y)
    assert_rel_close(gd.coef_, closed.coef_, 1e-4)
    assert_rel_close(gd.intercept_, closed.intercept_, 1e-4)
    assert len(gd.loss_history_) == gd.n_iter_ == 5000
    assert np.all(np.diff(gd.loss_history_) <= 1e-9)  # batch GD never increases the cost


def test_ridge_gradient_descent_converges_to_the_closed_form() -> None:
    closed = Ridge(alpha=10.0).fit(X_STD, Y)
    gd = Ridge(alpha=10.0, solver="gd", lr=0.2, epochs=3000).fit(X_STD, Y)
    assert_rel_close(gd.coef_, closed.coef_, 1e-4)
    assert_rel_close(gd.intercept_, closed.intercept_, 1e-4)


@pytest.mark.parametrize(
    ("solver", "lr", "epochs"), [("sgd", 0.03, 60), ("minibatch", 0.1, 300)], ids=["sgd", "mb"]
)
def test_stochastic_solvers_reach_an_exact_linear_target(
    solver: str, lr: float, epochs: int
) -> None:
    # Noise-free targets: every per-sample gradient vanishes at the solution, so a constant
    # learning rate converges to it exactly.
    w = np.linspace(-5, 5, X_STD.shape[1])
    model = LinearRegression(solver=solver, lr=lr, epochs=epochs, batch_size=16, seed=0)
    model.fit(X_STD, X_STD @ w + 3.0)
    assert_rel_close(model.coef_, w, 1e-4)
    assert model.intercept_ == pytest.approx(3.0, abs=1e-4)


def test_minibatch_on_noisy_data_gets_near_the_least_squares_cost() -> None:
    best = np.mean((LinearRegression().fit(X_STD, Y).predict(X_STD) - Y) ** 2)
    model = LinearRegression(solver="minibatch", lr=0.05, epochs=200, seed=0).fit(X_STD, Y)
    assert model.loss_history_[-1] < 1.01 * best
    assert model.loss_history_[0] > model.loss_history_[-1]


def test_stochastic_solvers_are_reproducible_with_a_seed() -> None:
    fit = lambda seed: LinearRegression(solver="sgd", epochs=3, seed=seed).fit(X_STD, Y).coef_  # noqa: E731
    np.testing.assert_array_equal(fit(7), fit(7))
    assert not np.array_equal(fit(7), fit(8))


def test_ridge_bias_variance_curve_shows_the_tradeoff() -> None:
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, size=60)
    y = np.sin(3 * x) + 0.3 * rng.normal(size=60)
    X = np.vander(x, 13, increasing=True)[:, 1:]
    X = (X - X[:30].mean(axis=0)) / X[:30].std(axis=0)
    alphas = np.logspace(-6, 3, 10)
    curve = ridge_bias_variance(X[:30], y[:30], X[30:], y[30:], alphas)
    assert np.all(np.diff(curve.train_error) >= -1e-12)  # more penalty: training error rises
    best = int(np.argmin(curve.val_error))
    assert 0 < best < len(alphas) - 1  # validation error is U-shaped
    assert curve.best_alpha == alphas[best]
    assert curve.val_error[0] > 2 * curve.train_error[0]  # small alpha overfits


@pytest.mark.parametrize("est", [LinearRegression(solver="gd", lr=1.0), Ridge(solver="gd", lr=1.0)])
def test_gradient_descent_says_when_it_diverges(est: LinearRegression | Ridge) -> None:
    with pytest.raises(FloatingPointError, match=r"\.fit: gradient descent diverged"):
        est.fit(X_STD, Y)


def test_ridge_bias_variance_rejects_empty_alphas() -> None:
    with pytest.raises(ValueError, match="ridge_bias_variance: expected a non-empty 1-D alphas"):
        ridge_bias_variance(X_STD, Y, X_STD, Y, [])


def test_closed_forms_do_not_warn() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        LinearRegression().fit(X_RAW, Y)
        Ridge().fit(X_RAW, Y)
