"""lamina.metrics equals scikit-learn's metrics on random data."""

import numpy as np
import pytest
import sklearn.metrics as skm

import lamina
from lamina import metrics as M
from lamina.errors import ShapeError

AVERAGES = ["macro", "micro", "weighted", None]


def _labels(seed, n=300, k=5):
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, k, n)
    y_pred = np.where(rng.random(n) < 0.5, y_true, rng.integers(0, k, n))
    return y_true, y_pred


@pytest.mark.parametrize("seed", range(3), ids=lambda s: f"seed{s}")
def test_accuracy_matches_sklearn_for_labels_scores_and_tensors(seed):
    y_true, y_pred = _labels(seed)
    scores = np.random.default_rng(seed).random((300, 5))
    assert M.accuracy(y_true, y_pred) == skm.accuracy_score(y_true, y_pred)
    assert M.accuracy(y_true, scores) == skm.accuracy_score(y_true, scores.argmax(1))
    assert M.accuracy(lamina.tensor(y_true), lamina.tensor(scores)) == M.accuracy(y_true, scores)


@pytest.mark.parametrize("k", [1, 2, 3], ids=lambda k: f"top{k}")
def test_top_k_accuracy_matches_sklearn(k):
    rng = np.random.default_rng(k)
    y, scores = rng.integers(0, 6, 200), rng.random((200, 6))
    expected = skm.top_k_accuracy_score(y, scores, k=k, labels=np.arange(6))
    assert M.top_k_accuracy(y, scores, k=k) == pytest.approx(expected)


def test_confusion_matrix_matches_sklearn():
    y_true, y_pred = _labels(0)
    cm = M.confusion_matrix(y_true, y_pred)
    np.testing.assert_array_equal(cm, skm.confusion_matrix(y_true, y_pred))
    assert cm.dtype == np.int64
    assert M.confusion_matrix([0, 1], [1, 1], n_classes=4).shape == (4, 4)


@pytest.mark.parametrize("average", AVERAGES, ids=str)
@pytest.mark.parametrize(
    "ours, theirs",
    [(M.precision, skm.precision_score), (M.recall, skm.recall_score), (M.f1_score, skm.f1_score)],
    ids=["precision", "recall", "f1"],
)
def test_precision_recall_f1_match_sklearn(ours, theirs, average):
    y_true, y_pred = _labels(1)
    y_pred[y_pred == 4] = 3  # class 4 never predicted: exercises zero division
    expected = theirs(y_true, y_pred, average=average, zero_division=0)
    np.testing.assert_allclose(ours(y_true, y_pred, average=average), expected, rtol=1e-12)


@pytest.mark.parametrize(
    "ours, theirs",
    [(M.precision, skm.precision_score), (M.recall, skm.recall_score), (M.f1_score, skm.f1_score)],
    ids=["precision", "recall", "f1"],
)
def test_binary_average_matches_sklearn_default(ours, theirs):
    y_true, y_pred = _labels(2, k=2)
    assert ours(y_true, y_pred, average="binary") == pytest.approx(theirs(y_true, y_pred))


def test_true_negative_rate_is_recall_of_the_negative_class():
    y_true, y_pred = _labels(3, k=2)
    tn, fp, _, _ = skm.confusion_matrix(y_true, y_pred).ravel()
    assert M.true_negative_rate(y_true, y_pred, average="binary") == pytest.approx(tn / (tn + fp))
    assert M.specificity is M.true_negative_rate


def test_true_negative_rate_per_class_is_one_vs_rest():
    y_true, y_pred = _labels(4)
    mcm = skm.multilabel_confusion_matrix(y_true, y_pred)  # [[tn, fp], [fn, tp]] per class
    expected = mcm[:, 0, 0] / (mcm[:, 0, 0] + mcm[:, 0, 1])
    np.testing.assert_allclose(M.true_negative_rate(y_true, y_pred, average=None), expected)
    assert M.true_negative_rate(y_true, y_pred) == pytest.approx(expected.mean())


@pytest.mark.parametrize("shape", [(50,), (20, 3)], ids=["1d", "2d"])
def test_regression_metrics_match_sklearn(shape):
    rng = np.random.default_rng(0)
    t, p = rng.normal(size=shape), rng.normal(size=shape)
    assert M.mse(t, p) == pytest.approx(skm.mean_squared_error(t, p))
    assert M.mae(t, p) == pytest.approx(skm.mean_absolute_error(t, p))
    assert M.rmse(t, p) == pytest.approx(np.sqrt(skm.mean_squared_error(t, p)))
    assert M.mse(lamina.tensor(t), lamina.tensor(p)) == pytest.approx(M.mse(t, p))


def test_perplexity_is_exp_of_mean_cross_entropy():
    logits = np.random.default_rng(0).normal(size=(40, 7))
    probs = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    y = np.arange(40) % 7
    ce = -np.log(probs[np.arange(40), y]).mean()
    assert ce == pytest.approx(skm.log_loss(y, probs))
    assert M.perplexity(ce) == pytest.approx(np.exp(ce))
    assert M.perplexity(np.zeros(3) + np.log(7)) == pytest.approx(7.0)


def test_errors_name_the_metric():
    with pytest.raises(ShapeError, match="accuracy: y_true and y_pred must have the same length"):
        M.accuracy([0, 1], [0, 1, 1])
    with pytest.raises(ValueError, match="f1_score: average must be one of"):
        M.f1_score([0, 1], [0, 1], average="samples")
    with pytest.raises(ShapeError, match="mse: y_true and y_pred must have the same shape"):
        M.mse(np.zeros(3), np.zeros((3, 1)))
    with pytest.raises(ValueError, match="perplexity: cross_entropy must be finite"):
        M.perplexity(np.nan)


def test_get_metric_resolves_names_and_lists_valid_ones():
    assert M.get_metric("accuracy") is M.accuracy and M.get_metric(M.mse) is M.mse
    with pytest.raises(ValueError, match="unknown metric 'acc'; valid names: accuracy, "):
        M.get_metric("acc")
