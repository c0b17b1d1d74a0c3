"""The estimator contract, run over every estimator of lamina.classic."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import scipy.sparse

from lamina.classic import (
    PCA,
    BaseEstimator,
    DataConversionWarning,
    ElasticNet,
    Lasso,
    LinearDiscriminantAnalysis,
    LinearRegression,
    LogisticRegression,
    MinMaxScaler,
    Ridge,
    SoftmaxRegression,
    StandardScaler,
)
from lamina.errors import NotFittedError, ShapeError

REGRESSORS: list[Callable[[], BaseEstimator]] = [
    LinearRegression,
    lambda: LinearRegression(solver="lstsq"),
    lambda: LinearRegression(solver="gd", epochs=5),
    lambda: LinearRegression(solver="sgd", epochs=2, seed=0),
    lambda: LinearRegression(solver="minibatch", epochs=2, batch_size=8, seed=0),
    Ridge,
    lambda: Ridge(solver="gd", epochs=5),
    lambda: Lasso(alpha=0.1),
    lambda: ElasticNet(alpha=0.1, l1_ratio=0.5),
]
CLASSIFIERS: list[Callable[[], BaseEstimator]] = [
    LogisticRegression,
    lambda: LogisticRegression(solver="gd", lr=1.0, max_iter=500, tol=1e-5),
    SoftmaxRegression,
    LinearDiscriminantAnalysis,
]
TRANSFORMERS: list[Callable[[], BaseEstimator]] = [
    lambda: PCA(n_components=2),
    StandardScaler,
    MinMaxScaler,
]
ALL = REGRESSORS + CLASSIFIERS + TRANSFORMERS
SUPERVISED = REGRESSORS + CLASSIFIERS


def _id(factory: Callable[[], BaseEstimator]) -> str:
    return repr(factory())


def _data(factory: Callable[[], BaseEstimator]) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 4))
    if factory in CLASSIFIERS:
        return X, np.arange(30) % 2
    return X, X @ np.array([1.0, -2.0, 0.5, 3.0]) + 0.1 * rng.normal(size=30)


def _output_method(est: BaseEstimator) -> Callable[[Any], Any]:
    return est.predict if hasattr(est, "predict") else est.transform  # type: ignore[attr-defined]


def _fitted(factory: Callable[[], BaseEstimator]) -> BaseEstimator:
    X, y = _data(factory)
    return factory().fit(X, y)  # type: ignore[attr-defined]


parametrize_all = pytest.mark.parametrize("factory", ALL, ids=_id)
parametrize_supervised = pytest.mark.parametrize("factory", SUPERVISED, ids=_id)


@parametrize_all
def test_constructor_stores_exactly_its_arguments(factory: Callable[[], BaseEstimator]) -> None:
    est = factory()
    names = [p for p in inspect.signature(type(est).__init__).parameters if p != "self"]
    assert sorted(vars(est)) == sorted(names)
    assert list(est.get_params()) == names


@parametrize_all
def test_get_params_rebuilds_an_equal_estimator(factory: Callable[[], BaseEstimator]) -> None:
    est = factory()
    copy = type(est)(**est.get_params())
    assert copy.get_params() == est.get_params()
    assert repr(copy) == repr(est)


@parametrize_all
def test_set_params_sets_and_rejects_unknown(factory: Callable[[], BaseEstimator]) -> None:
    est = factory()
    name = next(iter(est.get_params()))
    value = est.get_params()[name]
    assert est.set_params(**{name: value}) is est
    with pytest.raises(ValueError, match="set_params: expected one of"):
        est.set_params(not_a_parameter=1)


@parametrize_all
def test_fit_returns_self_and_sets_n_features_in(factory: Callable[[], BaseEstimator]) -> None:
    X, y = _data(factory)
    est = factory()
    assert est.fit(X, y) is est  # type: ignore[attr-defined]
    assert est.n_features_in_ == 4  # type: ignore[attr-defined]
    assert _output_method(est)(X).shape[0] == 30


@parametrize_all
def test_fit_accepts_lists(factory: Callable[[], BaseEstimator]) -> None:
    X, y = _data(factory)
    out = _output_method(factory().fit(X.tolist(), y.tolist()))(X.tolist())  # type: ignore[attr-defined]
    np.testing.assert_allclose(out, _output_method(_fitted(factory))(X))


@parametrize_all
@pytest.mark.parametrize("bad", [np.nan, np.inf], ids=["NaN", "inf"])
def test_fit_rejects_non_finite_X(factory: Callable[[], BaseEstimator], bad: float) -> None:
    X, y = _data(factory)
    X[3, 1] = bad
    what = "NaN" if np.isnan(bad) else "inf"
    with pytest.raises(ValueError, match=rf"\.fit: X contains {what}"):
        factory().fit(X, y)  # type: ignore[attr-defined]


@parametrize_all
def test_predict_rejects_non_finite_X(factory: Callable[[], BaseEstimator]) -> None:
    X, _ = _data(factory)
    X[0, 0] = np.nan
    with pytest.raises(ValueError, match="X contains NaN"):
        _output_method(_fitted(factory))(X)


@parametrize_all
@pytest.mark.parametrize("container", [scipy.sparse.csr_matrix, scipy.sparse.csr_array])
def test_fit_refuses_sparse_X_by_name(factory: Callable[[], BaseEstimator], container: Any) -> None:
    X, y = _data(factory)
    with pytest.raises(TypeError, match=r"\.fit: sparse input is not supported, got a csr_"):
        factory().fit(container(X), y)  # type: ignore[attr-defined]


@parametrize_all
def test_fit_refuses_complex_X(factory: Callable[[], BaseEstimator]) -> None:
    X, y = _data(factory)
    with pytest.raises(ValueError, match=r"\.fit: Complex data not supported; got X of dtype"):
        factory().fit(X + 1j, y)  # type: ignore[attr-defined]


@parametrize_all
def test_fit_accepts_numeric_objects_and_refuses_other_entries(
    factory: Callable[[], BaseEstimator],
) -> None:
    X, y = _data(factory)
    X_obj = X.astype(object)
    np.testing.assert_array_equal(
        _output_method(factory().fit(X_obj, y))(X_obj),
        _output_method(_fitted(factory))(X),  # type: ignore[attr-defined]
    )
    X_obj[0, 0] = {"a": 1}
    with pytest.raises(TypeError, match=r"\.fit: expected numeric X: float\(\) argument must"):
        factory().fit(X_obj, y)  # type: ignore[attr-defined]


@parametrize_all
@pytest.mark.parametrize(
    ("shape", "what"), [((0, 4), r"0 sample\(s\)"), ((30, 0), r"0 feature\(s\)")]
)
def test_fit_rejects_empty_X(
    factory: Callable[[], BaseEstimator], shape: tuple[int, int], what: str
) -> None:
    _, y = _data(factory)
    with pytest.raises(ShapeError, match=rf"\.fit: found an array with {what} .* minimum of 1"):
        factory().fit(np.empty(shape), y[: shape[0]])  # type: ignore[attr-defined]


@parametrize_supervised
def test_fit_requires_y(factory: Callable[[], BaseEstimator]) -> None:
    X, _ = _data(factory)
    with pytest.raises(ValueError, match=r"\.fit: requires y to be passed, but the target y is"):
        factory().fit(X, None)  # type: ignore[attr-defined]


@parametrize_supervised
def test_fit_ravels_a_column_y_with_a_warning(factory: Callable[[], BaseEstimator]) -> None:
    X, y = _data(factory)
    with pytest.warns(DataConversionWarning, match=r"\.fit ravels it to shape \(30,\)"):
        est = factory().fit(X, y[:, None])  # type: ignore[attr-defined]
    np.testing.assert_array_equal(est.predict(X), _fitted(factory).predict(X))  # type: ignore[attr-defined]


@pytest.mark.parametrize("factory", CLASSIFIERS, ids=_id)
def test_classifier_rejects_a_continuous_target(factory: Callable[[], BaseEstimator]) -> None:
    X, _ = _data(factory)
    with pytest.raises(ValueError, match=r"\.fit: Unknown label type: 'continuous'"):
        factory().fit(X, np.linspace(0, 1, 30))  # type: ignore[attr-defined]


@parametrize_all
def test_fit_rejects_1d_X(factory: Callable[[], BaseEstimator]) -> None:
    X, y = _data(factory)
    with pytest.raises(ShapeError, match=r"expected a 2-D array X .* got shape \(30,\)"):
        factory().fit(X[:, 0], y)  # type: ignore[attr-defined]


@parametrize_all
def test_predict_rejects_wrong_feature_count(factory: Callable[[], BaseEstimator]) -> None:
    est = _fitted(factory)
    X, _ = _data(factory)
    name = type(est).__name__
    with pytest.raises(
        ShapeError, match=rf"X has 3 features, but {name} is expecting 4 features as input"
    ):
        _output_method(est)(X[:, :3])


@parametrize_supervised
def test_fit_rejects_y_of_wrong_length(factory: Callable[[], BaseEstimator]) -> None:
    X, y = _data(factory)
    with pytest.raises(ShapeError, match=r"\.fit: y has 29 samples, but X has 30"):
        factory().fit(X, y[:29])  # type: ignore[attr-defined]


@pytest.mark.parametrize("factory", REGRESSORS, ids=_id)
def test_fit_rejects_nan_in_y(factory: Callable[[], BaseEstimator]) -> None:
    X, y = _data(factory)
    y[5] = np.nan
    with pytest.raises(ValueError, match=r"\.fit: y contains NaN"):
        factory().fit(X, y)  # type: ignore[attr-defined]


@pytest.mark.parametrize("factory", CLASSIFIERS, ids=_id)
def test_classifier_rejects_a_single_class(factory: Callable[[], BaseEstimator]) -> None:
    X, _ = _data(factory)
    with pytest.raises(
        ValueError, match=r"\.fit: expected at least 2 classes in y, got 1 class \(1\.0\)"
    ):
        factory().fit(X, np.ones(30))  # type: ignore[attr-defined]


@parametrize_all
def test_predict_before_fit_raises_not_fitted(factory: Callable[[], BaseEstimator]) -> None:
    est = factory()
    X, _ = _data(factory)
    name = type(est).__name__
    with pytest.raises(NotFittedError, match=rf"this {name} is not fitted yet; call fit first"):
        _output_method(est)(X)


@pytest.mark.parametrize("factory", SUPERVISED, ids=_id)
def test_score_before_fit_raises_not_fitted(factory: Callable[[], BaseEstimator]) -> None:
    X, y = _data(factory)
    with pytest.raises(NotFittedError):
        factory().score(X, y)  # type: ignore[attr-defined]


@parametrize_all
def test_refit_on_other_feature_count_resets(factory: Callable[[], BaseEstimator]) -> None:
    X, y = _data(factory)
    est = _fitted(factory)
    est.fit(X[:, :3], y)  # type: ignore[attr-defined]
    assert est.n_features_in_ == 3  # type: ignore[attr-defined]
    assert _output_method(est)(X[:, :3]).shape[0] == 30


@parametrize_all
def test_fit_is_deterministic(factory: Callable[[], BaseEstimator]) -> None:
    X, _ = _data(factory)
    np.testing.assert_array_equal(
        _output_method(_fitted(factory))(X), _output_method(_fitted(factory))(X)
    )


@pytest.mark.parametrize(
    ("est", "message"),
    [
        (LinearRegression(solver="qr"), "solver must be one of"),
        (LinearRegression(solver="gd", lr=-1.0), "lr must be >= 0"),
        (LinearRegression(solver="gd", epochs=0), "epochs must be a positive integer"),
        (Ridge(alpha=-1.0), "alpha must be >= 0"),
        (Lasso(max_iter=0), "max_iter must be a positive integer"),
        (ElasticNet(l1_ratio=1.5), r"l1_ratio must be in \[0, 1\]"),
        (LogisticRegression(C=0.0), "C must be > 0"),
        (LogisticRegression(penalty="l1"), "penalty must be one of"),
        (SoftmaxRegression(solver="lbfgs"), "solver must be one of"),
        (PCA(n_components=9), r"n_components must be <= min\(m, n\) = 4"),
        (LinearDiscriminantAnalysis(n_components=3), "n_components must be <="),
        (MinMaxScaler(feature_range=(1, 0)), "feature_range must be"),
    ],
    ids=repr,
)
def test_fit_rejects_bad_hyperparameters(est: BaseEstimator, message: str) -> None:
    rng = np.random.default_rng(1)
    X = rng.normal(size=(20, 4))
    with pytest.raises(ValueError, match=rf"{type(est).__name__}\.fit: {message}"):
        est.fit(X, np.arange(20) % 3)  # type: ignore[attr-defined]


def test_fit_rejects_non_numeric_X() -> None:
    with pytest.raises(ValueError, match=r"Ridge\.fit: expected numeric X"):
        Ridge().fit([["a", "b"], ["c", "d"]], [1.0, 2.0])
