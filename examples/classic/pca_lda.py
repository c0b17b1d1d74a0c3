"""PCA against LDA: the directions of most variance are not those that separate classes.

Three classes in 5-D whose means differ along a low-variance direction, while one
high-variance feature carries only noise. PCA keeps the noisy direction first; Fisher's LDA
finds the separating one, and classifies with a shared-covariance Gaussian model.

Run: python examples/classic/pca_lda.py
"""

from __future__ import annotations

import numpy as np

from lamina.classic import PCA, LinearDiscriminantAnalysis


def main() -> None:
    rng = np.random.default_rng(0)
    y = np.repeat(np.arange(3), 100)
    X = rng.normal(size=(300, 5))
    X[:, 0] *= 6.0  # a loud but useless feature
    X[:, 1] += 2.0 * y  # the quiet feature that separates the classes

    pca = PCA().fit(X)
    print("PCA explained variance ratio:", np.round(pca.explained_variance_ratio_, 3).tolist())
    for k in (1, 2, 5):
        model = PCA(n_components=k).fit(X)
        error = np.mean((model.inverse_transform(model.transform(X)) - X) ** 2)
        print(f"PCA with {k} component(s): reconstruction MSE {error:.3f}")

    lda = LinearDiscriminantAnalysis().fit(X, y)
    print("LDA between-class variance ratio:", np.round(lda.explained_variance_ratio_, 3).tolist())
    for name, Z in [
        ("PCA", PCA(n_components=1).fit_transform(X)),
        ("LDA", lda.transform(X)[:, :1]),
    ]:
        means = [float(Z[y == k, 0].mean()) for k in range(3)]
        print(f"{name} first direction, class means: {np.round(means, 2).tolist()}")
    print(f"LDA training accuracy: {lda.score(X, y):.3f}")


if __name__ == "__main__":
    main()
