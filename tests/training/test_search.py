"""Grid and random search with k-fold cross-validation, against scikit-learn's GridSearchCV."""

from __future__ import annotations

import functools

import numpy as np
import pytest
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge as SkRidge
from sklearn.model_selection import GridSearchCV
from sklearn.model_selection import KFold as SkKFold

from lamina import nn
from lamina.classic import LogisticRegression, Ridge
from lamina.data.split import KFold
from lamina.training.network_estimator import NetworkEstimator
from lamina.training.search import (
    SearchResult,
    cross_val_score,
    grid_search,
    log_uniform,
    random_search,
)

ALPHAS = [float(a) for a in np.logspace(-4, 1, 11)]  # with 3 folds the best (~0.03) is inside


@pytest.fixture(scope="module")
def diabetes():
    return load_diabetes(return_X_y=True)


def test_grid_search_ridge_matches_sklearn_grid_search_cv(diabetes):
    X, y = diabetes
    ours = grid_search(Ridge, {"alpha": ALPHAS}, X, y, cv=3)
    ref = GridSearchCV(SkRidge(), {"alpha": ALPHAS}, cv=SkKFold(3)).fit(X, y)
    assert ours.best_params_ == ref.best_params_
    assert ALPHAS[0] < ours.best_params_["alpha"] < ALPHAS[-1]
    np.testing.assert_allclose(ours.best_score_, ref.best_score_, rtol=0, atol=1e-10)
    by_alpha = {row["params"]["alpha"]: row for row in ours.rows}
    for i, alpha in enumerate(ref.cv_results_["param_alpha"]):
        row = by_alpha[alpha]
        np.testing.assert_allclose(
            row["mean_score"], ref.cv_results_["mean_test_score"][i], atol=1e-10
        )
        np.testing.assert_allclose(
            row["std_score"], ref.cv_results_["std_test_score"][i], atol=1e-10
        )
        folds = [ref.cv_results_[f"split{k}_test_score"][i] for k in range(3)]
        np.testing.assert_allclose(row["fold_scores"], folds, atol=1e-10)
        assert row["rank"] == ref.cv_results_["rank_test_score"][i]


def test_grid_search_rows_sorted_best_first_with_table(diabetes):
    X, y = diabetes
    result = grid_search(
        Ridge, [{"alpha": [0.01, 1.0]}, {"alpha": [100.0], "fit_intercept": [False]}], X, y
    )
    assert len(result) == 3
    means = [row["mean_score"] for row in result.rows]
    assert means == sorted(means, reverse=True)
    assert [row["rank"] for row in result.rows] == [1, 2, 3]
    text = str(result)
    assert text == result.to_text()
    header, *lines = text.splitlines()
    assert header.split() == ["rank", "mean", "std", "alpha", "fit_intercept", "folds"]
    assert len(lines) == 3 and lines[0].startswith("1 ")
    assert "best_params_" in repr(result)


def test_cross_val_score_accepts_splitter_and_index_pairs(diabetes):
    X, y = diabetes
    by_int = cross_val_score(Ridge, X, y, cv=4, params={"alpha": 0.1})
    by_splitter = cross_val_score(Ridge, X, y, cv=KFold(4), params={"alpha": 0.1})
    by_pairs = cross_val_score(Ridge, X, y, cv=list(KFold(4).split(X)), params={"alpha": 0.1})
    assert by_int.shape == (4,)
    np.testing.assert_array_equal(by_int, by_splitter)
    np.testing.assert_array_equal(by_int, by_pairs)


def test_custom_scoring_is_used(diabetes):
    X, y = diabetes

    def neg_mse(est, X_test, y_test):
        return -float(np.mean((est.predict(X_test) - y_test) ** 2))

    result = grid_search(Ridge, {"alpha": [1e-3, 1e3]}, X, y, scoring=neg_mse)
    assert result.best_params_ == {"alpha": 1e-3}
    assert result.best_score_ < 0


def test_random_search_is_reproducible_with_a_seed(diabetes):
    X, y = diabetes
    space = {"alpha": log_uniform(1e-4, 10.0), "fit_intercept": [True, False]}
    a = random_search(Ridge, space, X, y, n_iter=6, seed=3)
    b = random_search(Ridge, space, X, y, n_iter=6, seed=3)
    c = random_search(Ridge, space, X, y, n_iter=6, seed=4)
    assert a.rows == b.rows
    assert a.rows != c.rows
    alphas = [row["params"]["alpha"] for row in a.rows]
    assert all(1e-4 <= v <= 10.0 for v in alphas) and len(set(alphas)) == 6
    assert a.best_score_ == max(row["mean_score"] for row in a.rows)


def test_search_works_with_a_classifier():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(90, 2))
    y = (X[:, 0] + X[:, 1] > 0).astype(int)
    result = grid_search(
        LogisticRegression, {"C": [1e-4, 1.0]}, X, y, cv=KFold(3, shuffle=True, seed=0)
    )
    assert result.best_params_ == {"C": 1.0}
    assert result.best_score_ > 0.9


def _make_mlp(hidden: int = 8, rng: np.random.Generator | None = None) -> nn.Module:
    return nn.Sequential(nn.Linear(2, hidden, rng=rng), nn.ReLU(), nn.Linear(hidden, 2, rng=rng))


@pytest.fixture(scope="module")
def blobs():
    rng = np.random.default_rng(1)
    X = np.concatenate([rng.normal(-1.5, 0.5, (40, 2)), rng.normal(1.5, 0.5, (40, 2))])
    y = np.repeat([0, 1], 40)
    perm = rng.permutation(80)
    return X[perm].astype(np.float32), y[perm]


def test_network_estimator_search_over_learning_rates_ranks(blobs):
    X, y = blobs
    build = functools.partial(NetworkEstimator, _make_mlp, epochs=3, batch_size=16)
    result = grid_search(build, {"lr": [1e-6, 0.05], "hidden": [8]}, X, y, cv=2)
    assert [row["params"]["lr"] for row in result.rows] == [0.05, 1e-6]
    assert result.best_params_ == {"lr": 0.05, "hidden": 8}
    assert result.best_score_ > 0.9
    assert all(len(row["fold_scores"]) == 2 for row in result.rows)
    again = grid_search(build, {"lr": [1e-6, 0.05], "hidden": [8]}, X, y, cv=2)
    assert again.rows == result.rows  # the search seed makes network runs repeat exactly


def test_network_estimator_scores_errors_negated(blobs):
    X, y = blobs
    est = NetworkEstimator(_make_mlp, epochs=2, lr=0.05, metric=None, weight_decay=0.0).fit(X, y)
    assert est.score(X, y) < 0
    assert est.predict(X).shape == (80, 2)
    assert "lr=0.05" in repr(est)


def test_network_estimator_errors():
    with pytest.raises(ValueError, match="unknown metric 'acc'; choose one of"):
        NetworkEstimator(_make_mlp, metric="acc")
    with pytest.raises(RuntimeError, match=r"NetworkEstimator.score: call fit first"):
        NetworkEstimator(_make_mlp).score(np.zeros((2, 2)), np.zeros(2))


def test_search_input_errors(diabetes):
    X, y = diabetes
    with pytest.raises(ValueError, match="same length"):
        grid_search(Ridge, {"alpha": [1.0]}, X, y[:-1])
    with pytest.raises(TypeError, match="values of 'alpha' must be a list"):
        grid_search(Ridge, {"alpha": 1.0}, X, y)
    with pytest.raises(TypeError, match="'alpha' must be a non-empty list or a callable"):
        random_search(Ridge, {"alpha": []}, X, y)
    with pytest.raises(ValueError, match="log_uniform: expected 0 < low < high"):
        log_uniform(1.0, 0.1)
    with pytest.raises(ValueError, match="n_iter"):
        random_search(Ridge, {"alpha": [1.0]}, X, y, n_iter=0)


def test_empty_result_repr():
    assert repr(SearchResult()) == "SearchResult(rows=0)"


def test_search_seed_does_not_override_a_seed_fixed_in_build(blobs):
    X, y = blobs
    seen = []

    class Recorder(NetworkEstimator):
        def fit(self, X, y):
            seen.append(self.seed)
            return super().fit(X, y)

    build = functools.partial(Recorder, _make_mlp, epochs=1, seed=7)
    grid_search(build, {"lr": [0.01]}, X, y, cv=2, seed=0)
    grid_search(
        functools.partial(Recorder, _make_mlp, epochs=1), {"lr": [0.01]}, X, y, cv=2, seed=3
    )
    assert seen == [7, 7, 3, 3]
