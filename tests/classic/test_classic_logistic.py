"""Logistic and softmax regression: parity with scikit-learn's LogisticRegression."""

from __future__ import annotations

import numpy as np
import pytest
import sklearn.linear_model as sk
from sklearn.datasets import load_breast_cancer, load_iris, load_wine
from sklearn.preprocessing import StandardScaler as SkStandardScaler

from lamina.classic import ConvergenceWarning, LogisticRegression, SoftmaxRegression


def _standardized(loader):  # type: ignore[no-untyped-def]
    X, y = loader(return_X_y=True)
    return SkStandardScaler().fit_transform(X), y


X_BC, Y_BC = _standardized(load_breast_cancer)
# README: "equal to scikit-learn (<= 1e-13 on coefficients, <= 1e-6 on probabilities)"
COEF_ATOL = 1e-13  # multinomial, both solvers at tol=1e-12
PROBA_ATOL = 1e-6  # at the default tolerance
MULTI = {"iris": _standardized(load_iris), "wine": _standardized(load_wine)}


def _sklearn(C: float, X: np.ndarray, y: np.ndarray, **kw: object) -> sk.LogisticRegression:
    # lbfgs run far past its default tolerance, so the reference is the true minimum.
    return sk.LogisticRegression(C=C, tol=1e-12, max_iter=10_000, **kw).fit(X, y)  # type: ignore[arg-type]


def _exact(C: float, X: np.ndarray, y: np.ndarray, **kw: object) -> sk.LogisticRegression:
    """scikit-learn's newton-cholesky run to machine precision: the true minimum."""
    return sk.LogisticRegression(C=C, solver="newton-cholesky", tol=1e-15, max_iter=1000, **kw).fit(
        X, y
    )  # type: ignore[arg-type]


@pytest.mark.parametrize("C", [0.1, 1.0, 10.0])
def test_logistic_newton_matches_sklearn(C: float) -> None:
    # README: probabilities within 1e-6 at the default tolerance (measured <= 5.6e-9);
    # coefficients measured <= 4.9e-8 (C=10: breast cancer's Hessian is ill-conditioned)
    ours = LogisticRegression(C=C).fit(X_BC, Y_BC)
    ref = _exact(C, X_BC, Y_BC)
    np.testing.assert_allclose(
        ours.predict_proba(X_BC), ref.predict_proba(X_BC), rtol=0, atol=PROBA_ATOL
    )
    np.testing.assert_array_equal(ours.predict(X_BC), ref.predict(X_BC))
    assert ours.score(X_BC, Y_BC) == ref.score(X_BC, Y_BC)
    assert ours.coef_.shape == ref.coef_.shape and ours.intercept_.shape == ref.intercept_.shape
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=0, atol=1e-7)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=0, atol=1e-7)


@pytest.mark.parametrize(("C", "atol"), [(0.1, 1e-13), (1.0, 3e-11)])
def test_logistic_binary_coefficients_at_tight_tolerance_match_sklearn(
    C: float, atol: float
) -> None:
    # measured with tol=1e-12: 5.6e-16 (C=0.1), 1.6e-11 (C=1: the mean gradient is below
    # 1e-12, but the ill-conditioned Hessian leaves the coefficients 1e-11 apart). C=10 does
    # not converge at tol=1e-12: Armijo backtracking cannot see loss decreases below 1 ulp.
    ours = LogisticRegression(C=C, tol=1e-12).fit(X_BC, Y_BC)
    ref = _exact(C, X_BC, Y_BC)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=0, atol=atol)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=0, atol=atol)


def test_logistic_alpha_is_the_inverse_of_C() -> None:
    by_c = LogisticRegression(C=0.25).fit(X_BC, Y_BC)
    by_alpha = LogisticRegression(alpha=4.0, C=123.0).fit(X_BC, Y_BC)
    np.testing.assert_allclose(by_alpha.coef_, by_c.coef_, rtol=1e-10)


def test_logistic_without_intercept_matches_sklearn() -> None:
    ours = LogisticRegression(C=1.0, fit_intercept=False).fit(X_BC, Y_BC)
    ref = _sklearn(1.0, X_BC, Y_BC, fit_intercept=False)
    np.testing.assert_allclose(ours.predict_proba(X_BC), ref.predict_proba(X_BC), atol=1e-4)
    np.testing.assert_array_equal(ours.intercept_, [0.0])


def test_logistic_unpenalized_matches_sklearn_on_overlapping_classes() -> None:
    X, y = X_BC[:, :2], Y_BC  # two features: the classes overlap, so the MLE is finite
    ours = LogisticRegression(penalty="none").fit(X, y)
    ref = _sklearn(np.inf, X, y)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-4)


def test_logistic_gradient_descent_converges_to_newton() -> None:
    newton = LogisticRegression(C=1.0).fit(X_BC, Y_BC)
    gd = LogisticRegression(C=1.0, solver="gd", lr=1.0, max_iter=20_000, tol=1e-7).fit(X_BC, Y_BC)
    np.testing.assert_allclose(gd.predict_proba(X_BC), newton.predict_proba(X_BC), atol=1e-4)
    assert gd.loss_history_[0] == pytest.approx(np.log(2))
    assert np.all(np.diff(gd.loss_history_) <= 1e-12)


def test_logistic_keeps_arbitrary_labels() -> None:
    labels = np.where(Y_BC == 1, "benign", "malignant")  # sorted order flips the classes
    model = LogisticRegression().fit(X_BC, labels)
    numeric = LogisticRegression().fit(X_BC, Y_BC)
    assert list(model.classes_) == ["benign", "malignant"]
    np.testing.assert_array_equal(
        model.predict(X_BC), np.where(numeric.predict(X_BC) == 1, "benign", "malignant")
    )
    np.testing.assert_allclose(
        model.predict_proba(X_BC)[:, 0], numeric.predict_proba(X_BC)[:, 1], atol=1e-10
    )


def test_logistic_warns_when_it_stops_at_max_iter() -> None:
    with pytest.warns(ConvergenceWarning, match=r"LogisticRegression\.fit: gd did not converge"):
        LogisticRegression(solver="gd", max_iter=3).fit(X_BC, Y_BC)


@pytest.mark.parametrize("C", [0.1, 1.0, 10.0])
@pytest.mark.parametrize("dataset", ["iris", "wine"])
def test_softmax_newton_matches_sklearn_multinomial(dataset: str, C: float) -> None:
    X, y = MULTI[dataset]
    ours = SoftmaxRegression(C=C).fit(X, y)
    ref = _exact(C, X, y)  # default tolerance: measured coefficients <= 1.5e-7 apart
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), rtol=0, atol=PROBA_ATOL)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))
    assert ours.score(X, y) == ref.score(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=0, atol=1e-6)
    assert ours.intercept_.shape == (3,)


@pytest.mark.parametrize("fit_intercept", [True, False], ids=["intercept", "no_intercept"])
@pytest.mark.parametrize("C", [0.1, 1.0, 10.0])
@pytest.mark.parametrize("dataset", ["iris", "wine"])
def test_logistic_multiclass_is_multinomial_and_matches_sklearn(
    dataset: str, C: float, fit_intercept: bool
) -> None:
    # scikit-learn's newton-cholesky solves the same multinomial objective to machine
    # precision; both run far past their default tolerances. README: <= 1e-13 on the
    # coefficients (measured <= 4.5e-14 on coef_, <= 2.6e-14 on intercept_).
    X, y = MULTI[dataset]
    ours = LogisticRegression(C=C, fit_intercept=fit_intercept, tol=1e-12).fit(X, y)
    ref = sk.LogisticRegression(
        C=C, fit_intercept=fit_intercept, solver="newton-cholesky", tol=1e-12, max_iter=1000
    ).fit(X, y)
    assert ours.coef_.shape == ref.coef_.shape == (3, X.shape[1])
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=0, atol=COEF_ATOL)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=0, atol=COEF_ATOL)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), rtol=0, atol=1e-12)
    np.testing.assert_allclose(ours.predict_log_proba(X), ref.predict_log_proba(X), atol=1e-10)
    np.testing.assert_allclose(ours.decision_function(X), ref.decision_function(X), atol=1e-10)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))


def test_logistic_multiclass_default_tolerance_is_close_to_sklearn() -> None:
    X, y = MULTI["wine"]
    ours = LogisticRegression(C=1.0).fit(X, y)
    ref = _sklearn(1.0, X, y)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=PROBA_ATOL)


def test_logistic_multiclass_equals_softmax_regression_and_keeps_string_labels() -> None:
    X, y = MULTI["iris"]
    names = np.array(["setosa", "versicolor", "virginica"])[y]
    logistic = LogisticRegression(C=0.5).fit(X, names)
    softmax = SoftmaxRegression(C=0.5).fit(X, names)
    np.testing.assert_array_equal(logistic.classes_, names[[0, 50, 100]])
    np.testing.assert_allclose(logistic.coef_, softmax.coef_, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(logistic.predict(X), softmax.predict(X))


def test_two_class_decision_function_is_the_log_odds_for_every_classifier() -> None:
    ours = SoftmaxRegression(C=1.0).fit(X_BC, Y_BC)
    proba = ours.predict_proba(X_BC)
    log_odds = ours.decision_function(X_BC)
    assert log_odds.shape == (X_BC.shape[0],)
    np.testing.assert_allclose(log_odds, np.log(proba[:, 1] / proba[:, 0]), rtol=1e-9)
    np.testing.assert_array_equal(ours.predict(X_BC), (log_odds > 0).astype(int))


def test_softmax_gradient_descent_converges_to_newton() -> None:
    X, y = MULTI["iris"]
    newton = SoftmaxRegression(C=1.0).fit(X, y)
    gd = SoftmaxRegression(C=1.0, solver="gd", lr=1.0, max_iter=5000, tol=1e-7).fit(X, y)
    np.testing.assert_allclose(gd.predict_proba(X), newton.predict_proba(X), atol=1e-4)


def test_softmax_probabilities_sum_to_one_and_survive_large_inputs() -> None:
    X, y = MULTI["wine"]
    model = SoftmaxRegression().fit(X, y)
    proba = model.predict_proba(1e4 * X)
    assert np.all(np.isfinite(proba))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_logistic_sigmoid_does_not_overflow() -> None:
    model = LogisticRegression().fit(X_BC, Y_BC)
    proba = model.predict_proba(1e6 * X_BC)
    assert np.all(np.isfinite(proba))
    assert set(np.unique(proba)) <= {0.0, 1.0}
