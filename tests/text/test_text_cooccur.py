from __future__ import annotations

import numpy as np
import pytest

from lamina.text import GloVe, cooccurrence_matrix, ppmi, svd_embeddings

# The course notes' example: "He is not lazy. He is intelligent. He is smart.", window 2.
NOTES_WORDS = ["He", "is", "not", "lazy", "intelligent", "smart"]
NOTES_TABLE = [
    [0, 4, 2, 1, 2, 1],
    [4, 0, 1, 2, 2, 1],
    [2, 1, 0, 1, 0, 0],
    [1, 2, 1, 0, 0, 0],
    [2, 2, 0, 0, 0, 0],
    [1, 1, 0, 0, 0, 0],
]


def test_cooccurrence_of_course_example_equals_the_notes():
    tokens = ["He", "is", "not", "lazy", "He", "is", "intelligent", "He", "is", "smart"]
    matrix, words = cooccurrence_matrix(tokens, window=2)
    assert words == NOTES_WORDS
    np.testing.assert_array_equal(matrix, NOTES_TABLE)


def test_cooccurrence_options():
    sents = [["a", "b", "c"], ["c", "a"]]
    right, words = cooccurrence_matrix(sents, window=1, symmetric=False)
    assert words == ["a", "b", "c"]
    np.testing.assert_array_equal(right, [[0, 1, 0], [0, 0, 1], [1, 0, 0]])  # no b->c across
    harm, _ = cooccurrence_matrix(["a", "b", "a"], window=2, weighting="harmonic")
    np.testing.assert_allclose(harm, [[1.0, 2.0], [2.0, 0.0]])
    fixed, words = cooccurrence_matrix(sents, window=2, vocabulary=["c", "a"])
    assert words == ["c", "a"]
    np.testing.assert_array_equal(fixed, [[0, 2], [2, 0]])


def test_cooccurrence_errors():
    with pytest.raises(ValueError, match="empty corpus"):
        cooccurrence_matrix([])
    with pytest.raises(TypeError, match="got a str"):
        cooccurrence_matrix("a b c")
    with pytest.raises(ValueError, match="window must be a positive integer"):
        cooccurrence_matrix(["a"], window=0)


def test_ppmi_matches_definition():
    x = np.array([[0.0, 2.0, 1.0], [2.0, 0.0, 3.0], [1.0, 3.0, 0.0]])
    total = x.sum()
    pr, pc = x.sum(1) / total, x.sum(0) / total
    expect = np.zeros_like(x)
    for i in range(3):
        for j in range(3):
            if x[i, j] > 0:
                expect[i, j] = max(0.0, np.log(x[i, j] / total / (pr[i] * pc[j])))
    np.testing.assert_allclose(ppmi(x), expect)
    assert (ppmi(x, alpha=0.75) >= 0).all()


def test_svd_embeddings_reconstruct_and_are_deterministic():
    rng = np.random.default_rng(0)
    x = rng.random((6, 3)) @ rng.random((3, 6))  # rank 3
    e = svd_embeddings(x, 3)
    u, s, _ = np.linalg.svd(x)
    np.testing.assert_allclose(np.abs(e), np.abs(u[:, :3] * s[:3]), atol=1e-10)
    np.testing.assert_allclose(e @ np.diag(1 / s[:3] ** 2) @ e.T @ x, x, atol=1e-8)
    assert (e[np.abs(e).argmax(0), np.arange(3)] > 0).all()
    np.testing.assert_array_equal(svd_embeddings(x, 2), svd_embeddings(x.copy(), 2))
    with pytest.raises(ValueError, match="k must be <="):
        svd_embeddings(x, 7)


def test_glove_loss_decreases_and_fits_log_counts():
    rng = np.random.default_rng(1)
    w = rng.standard_normal((30, 4))
    x = np.exp(np.clip(w @ w.T * 0.5 + 1.0, None, 6))  # log X is rank-4 plus biases
    glove = GloVe(vector_size=8, epochs=60, lr=0.1, batch_size=256, seed=0).fit(x)
    losses = glove.loss_history_
    assert len(losses) == 60 and losses[-1] < 0.1 * losses[0]
    fitted = glove.W_ @ glove.W_tilde_.T + glove.b_[:, None] + glove.b_tilde_[None, :]
    assert np.corrcoef(fitted.ravel(), np.log(x).ravel())[0, 1] > 0.95
    assert glove.transform([0, 1]).shape == (2, 8)


def test_glove_errors():
    with pytest.raises(ValueError, match="no non-zero cell"):
        GloVe().fit(np.zeros((3, 3)))
    with pytest.raises(Exception, match="square"):
        GloVe().fit(np.ones((2, 3)))
