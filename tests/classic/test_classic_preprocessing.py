"""Scalers and one_hot: parity with scikit-learn; the optional bias/variance plot."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import numpy as np
import pytest
import sklearn.preprocessing as skp
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.datasets import load_wine

import lamina.classic
from lamina.classic import MinMaxScaler, StandardScaler, one_hot, ridge_bias_variance
from lamina.errors import ShapeError

X_WINE = load_wine(return_X_y=True)[0]


@pytest.mark.parametrize(
    ("with_mean", "with_std"), [(True, True), (True, False), (False, True)], ids=str
)
def test_standard_scaler_matches_sklearn(with_mean: bool, with_std: bool) -> None:
    ours = StandardScaler(with_mean=with_mean, with_std=with_std).fit(X_WINE)
    ref = skp.StandardScaler(with_mean=with_mean, with_std=with_std).fit(X_WINE)
    np.testing.assert_allclose(
        ours.transform(X_WINE), ref.transform(X_WINE), rtol=1e-12, atol=1e-12
    )
    np.testing.assert_allclose(ours.inverse_transform(ours.transform(X_WINE)), X_WINE, rtol=1e-12)


@pytest.mark.parametrize("feature_range", [(0.0, 1.0), (-1.0, 1.0)], ids=str)
def test_min_max_scaler_matches_sklearn(feature_range: tuple[float, float]) -> None:
    ours = MinMaxScaler(feature_range=feature_range).fit(X_WINE)
    ref = skp.MinMaxScaler(feature_range=feature_range).fit(X_WINE)
    np.testing.assert_allclose(ours.transform(X_WINE), ref.transform(X_WINE), atol=1e-12)
    np.testing.assert_allclose(ours.inverse_transform(ours.transform(X_WINE)), X_WINE, rtol=1e-12)


def test_scalers_map_constant_features_to_finite_values() -> None:
    X = np.column_stack([np.full(5, 3.0), np.arange(5.0)])
    np.testing.assert_array_equal(StandardScaler().fit_transform(X)[:, 0], 0.0)
    np.testing.assert_array_equal(MinMaxScaler().fit_transform(X)[:, 0], 0.0)


def test_scaler_uses_training_statistics_on_new_data() -> None:
    scaler = StandardScaler().fit(np.array([[0.0], [2.0]]))
    np.testing.assert_array_equal(scaler.transform(np.array([[4.0]])), [[3.0]])


@settings(max_examples=30, deadline=None, derandomize=True)
@given(
    arrays(
        np.float64, st.tuples(st.integers(2, 8), st.integers(1, 4)), elements=st.floats(-1e3, 1e3)
    )
)
def test_scalers_round_trip(X: np.ndarray) -> None:
    for scaler in (StandardScaler(), MinMaxScaler()):
        back = scaler.inverse_transform(scaler.fit_transform(X))
        np.testing.assert_allclose(back, X, rtol=1e-9, atol=1e-9)


def test_one_hot_encodes_labels() -> None:
    np.testing.assert_array_equal(one_hot([2, 0, 1]), np.eye(3)[[2, 0, 1]])
    assert one_hot(np.array([0, 1]), n_classes=4).shape == (2, 4)
    np.testing.assert_array_equal(one_hot(np.array([1.0, 0.0])), [[0, 1], [1, 0]])


@pytest.mark.parametrize(
    ("labels", "n_classes", "error", "message"),
    [
        ([0, 3], 3, ValueError, r"one_hot: labels must be in \[0, 3\), got 3"),
        ([-1, 0], None, ValueError, r"labels must be in \[0, 1\), got -1"),
        ([0.5], None, ValueError, "labels must be integers"),
        ([[0, 1]], None, ShapeError, "expected 1-D labels"),
        ([0], 0, ValueError, "n_classes must be a positive integer"),
    ],
    ids=["too-large", "negative", "fractional", "2-D", "zero-classes"],
)
def test_one_hot_rejects_bad_labels(
    labels: list, n_classes: int | None, error: type, message: str
) -> None:
    with pytest.raises(error, match=message):
        one_hot(labels, n_classes)


def _curve():  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(40, 3)), rng.normal(size=40)
    return ridge_bias_variance(X[:20], y[:20], X[20:], y[20:], [0.1, 1.0, 10.0])


def test_plot_bias_variance_draws_both_curves() -> None:
    import matplotlib

    matplotlib.use("Agg")
    from lamina.classic.plot import plot_bias_variance

    ax = plot_bias_variance(_curve())
    assert len(ax.get_lines()) == 3
    assert ax.get_xscale() == "log"


def test_plot_without_matplotlib_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from lamina.classic.plot import plot_bias_variance

    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r"pip install lamina\[plot\]"):
        plot_bias_variance(_curve())


def test_classic_imports_only_numpy_errors_and_the_standard_library() -> None:
    # lamina.classic sits beside the deep-learning layers, not on them (import-linter checks
    # the layers too). Two imports are allowed only lazily, inside a function: matplotlib in
    # plot.py and scikit-learn in base.py (its __sklearn_tags__ methods, which only
    # scikit-learn calls).
    allowed = {"__future__", "collections", "functools", "inspect", "sys", "typing", "warnings"}
    allowed |= {"numpy"}
    lazy = {"plot.py": "matplotlib", "base.py": "sklearn"}
    package = Path(lamina.classic.__file__).parent
    for path in sorted(package.glob("*.py")):
        tree = ast.parse(path.read_text())
        module_level = {id(n) for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                is_lazy = lazy.get(path.name) == top and id(node) not in module_level
                ok = top in allowed or name.startswith(("lamina.classic", "lamina.errors"))
                assert ok or is_lazy, f"{path.name} imports {name}"
