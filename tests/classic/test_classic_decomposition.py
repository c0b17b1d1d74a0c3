"""PCA and LDA: parity with scikit-learn."""

from __future__ import annotations

import numpy as np
import pytest
import sklearn.decomposition as skd
import sklearn.discriminant_analysis as skda
from sklearn.datasets import load_iris, load_wine
from sklearn.preprocessing import StandardScaler as SkStandardScaler

from lamina.classic import PCA, LinearDiscriminantAnalysis
from lamina.errors import ShapeError

DATA = {"iris": load_iris(return_X_y=True), "wine": load_wine(return_X_y=True)}
DATASETS = pytest.mark.parametrize("dataset", ["iris", "wine"])


def _signs(ours: np.ndarray, ref: np.ndarray) -> np.ndarray:
    """Per-column sign that turns ``ours`` into ``ref`` (columns are compared up to sign)."""
    return np.sign(np.sum(ours * ref, axis=0))


@DATASETS
@pytest.mark.parametrize("n_components", [1, 2, None])
def test_pca_matches_sklearn(dataset: str, n_components: int | None) -> None:
    X = SkStandardScaler().fit_transform(DATA[dataset][0])
    ours = PCA(n_components=n_components).fit(X)
    ref = skd.PCA(n_components=n_components).fit(X)
    signs = _signs(ours.components_.T, ref.components_.T)
    np.testing.assert_allclose(ours.components_ * signs[:, None], ref.components_, atol=1e-8)
    np.testing.assert_allclose(ours.explained_variance_, ref.explained_variance_, rtol=1e-8)
    np.testing.assert_allclose(
        ours.explained_variance_ratio_, ref.explained_variance_ratio_, rtol=1e-8
    )
    np.testing.assert_allclose(ours.singular_values_, ref.singular_values_, rtol=1e-8)
    np.testing.assert_allclose(ours.transform(X) * signs, ref.transform(X), atol=1e-8)


@pytest.mark.parametrize("whiten", [False, True])
def test_pca_inverse_transform_matches_sklearn(whiten: bool) -> None:
    X = DATA["wine"][0]
    ours = PCA(n_components=4, whiten=whiten).fit(X)
    ref = skd.PCA(n_components=4, whiten=whiten).fit(X)
    Z = ours.transform(X)
    signs = _signs(Z, ref.transform(X))
    np.testing.assert_allclose(Z * signs, ref.transform(X), atol=1e-8)
    np.testing.assert_allclose(
        ours.inverse_transform(Z), ref.inverse_transform(ref.transform(X)), rtol=1e-8
    )
    if whiten:
        np.testing.assert_allclose(np.var(Z, axis=0, ddof=1), 1.0)


def test_pca_with_all_components_reconstructs_exactly() -> None:
    X = DATA["iris"][0]
    pca = PCA().fit(X)
    np.testing.assert_allclose(pca.inverse_transform(pca.transform(X)), X, atol=1e-10)
    assert pca.explained_variance_ratio_.sum() == pytest.approx(1.0)


def test_pca_float_n_components_keeps_enough_variance() -> None:
    X = SkStandardScaler().fit_transform(DATA["wine"][0])
    ours = PCA(n_components=0.8).fit(X)
    assert ours.n_components_ == skd.PCA(n_components=0.8).fit(X).n_components_
    assert ours.explained_variance_ratio_.sum() >= 0.8


def test_pca_signs_are_deterministic() -> None:
    comps = PCA(n_components=2).fit(DATA["iris"][0]).components_
    biggest = comps[np.arange(2), np.argmax(np.abs(comps), axis=1)]
    assert np.all(biggest > 0)


def test_pca_inverse_transform_checks_its_input() -> None:
    pca = PCA(n_components=2).fit(DATA["iris"][0])
    with pytest.raises(ShapeError, match=r"PCA\.inverse_transform: expected shape \(m, 2\)"):
        pca.inverse_transform(np.zeros((3, 3)))


@DATASETS
def test_lda_matches_sklearn(dataset: str) -> None:
    X, y = DATA[dataset]
    ours = LinearDiscriminantAnalysis().fit(X, y)
    ref = skda.LinearDiscriminantAnalysis().fit(X, y)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-8)
    np.testing.assert_allclose(
        ours.explained_variance_ratio_, ref.explained_variance_ratio_, rtol=1e-8
    )
    Z, Z_ref = ours.transform(X), ref.transform(X)
    assert Z.shape == Z_ref.shape == (X.shape[0], 2)
    # Equal up to sign and scale per component.
    scale = np.sum(Z * Z_ref, axis=0) / np.sum(Z * Z, axis=0)
    np.testing.assert_allclose(Z * scale, Z_ref, atol=1e-8 * np.abs(Z_ref).max())
    assert ours.score(X, y) == ref.score(X, y)


def test_lda_projection_separates_classes_better_than_pca() -> None:
    X, y = DATA["wine"]
    X = SkStandardScaler().fit_transform(X)

    def fisher_ratio(Z: np.ndarray) -> float:
        means = np.stack([Z[y == k].mean(axis=0) for k in range(3)])
        within = sum(np.sum((Z[y == k] - means[k]) ** 2) for k in range(3))
        return float(np.sum((means - Z.mean(axis=0)) ** 2) / within)

    lda = LinearDiscriminantAnalysis(n_components=1).fit_transform(X, y)
    pca = PCA(n_components=1).fit_transform(X)
    assert lda.shape == (178, 1)
    assert fisher_ratio(lda) > fisher_ratio(pca)


def test_lda_handles_more_features_than_samples() -> None:
    rng = np.random.default_rng(0)
    y = np.arange(12) % 3
    X = rng.normal(size=(12, 30)) + 3.0 * y[:, None]
    ours = LinearDiscriminantAnalysis().fit(X, y)
    ref = skda.LinearDiscriminantAnalysis().fit(X, y)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))


def test_lda_transform_has_unit_within_class_variance() -> None:
    X, y = DATA["iris"]
    Z = LinearDiscriminantAnalysis().fit(X, y).transform(X)
    within = np.concatenate([Z[y == k] - Z[y == k].mean(axis=0) for k in range(3)])
    np.testing.assert_allclose(within.T @ within / len(X), np.eye(2), atol=1e-10)
