"""Count-based embeddings: co-occurrence matrix, PPMI and truncated SVD."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from lamina.errors import ShapeError, check_in, check_positive_int

__all__ = ["cooccurrence_matrix", "ppmi", "svd_embeddings"]


def _as_sentences(owner: str, tokens) -> list[Sequence[str]]:
    if isinstance(tokens, str):
        raise TypeError(
            f"{owner}: expected tokens (a list of str or of token lists), got a "
            f"str; tokenize it first"
        )
    tokens = list(tokens)
    if not tokens:
        raise ValueError(f"{owner}: expected at least one token, got an empty corpus")
    if all(isinstance(t, str) for t in tokens):
        return [tokens]
    if not all(isinstance(s, (list, tuple)) for s in tokens):
        raise TypeError(f"{owner}: expected a list of str or a list of token lists")
    return tokens


def cooccurrence_matrix(
    tokens: Sequence[str] | Sequence[Sequence[str]],
    window: int = 2,
    symmetric: bool = True,
    vocabulary: Sequence[str] | None = None,
    weighting: str = "count",
) -> tuple[np.ndarray, list[str]]:
    """Word-by-word co-occurrence counts within a context window.

    X[a, b] = sum over positions i, j with word_i = a, word_j = b and 0 < j - i <= window
    (also -window <= j - i < 0 when ``symmetric``) of weight(|j - i|), where the weight is 1
    (``"count"``) or 1 / |j - i| (``"harmonic"``, as GloVe).

    Parameters
    ----------
    tokens : list of str, or list of token lists
        One token stream, or sentences (windows do not cross sentence ends).
    window : int, default=2
    symmetric : bool, default=True
        Count contexts on both sides; False counts only the words to the right.
    vocabulary : sequence of str, optional
        Row/column order; other words are skipped (but still take up window positions).
        Default: every word, in order of first appearance.
    weighting : {"count", "harmonic"}

    Returns
    -------
    matrix : float ndarray of shape (n_words, n_words)
    words : list of str, the row (and column) labels

    Examples
    --------
    >>> X, words = cooccurrence_matrix("the cat sat".split(), window=1)
    >>> words, X.tolist()
    (['the', 'cat', 'sat'], [[0.0, 1.0, 0.0], [1.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
    """
    owner = "cooccurrence_matrix"
    check_positive_int(owner, window=window)
    check_in(owner, "weighting", weighting, ("count", "harmonic"))
    sentences = _as_sentences(owner, tokens)
    if vocabulary is None:
        words = list(dict.fromkeys(t for s in sentences for t in s))
    else:
        words = list(vocabulary)
        if len(set(words)) != len(words):
            raise ValueError(f"{owner}: vocabulary must hold distinct words")
    if not words:
        raise ValueError(f"{owner}: expected at least one word in the vocabulary, got none")
    index = {w: i for i, w in enumerate(words)}
    ids = np.array([index.get(t, -1) for s in sentences for t in s], dtype=np.int64)
    sids = np.repeat(np.arange(len(sentences)), [len(s) for s in sentences])
    v = len(words)
    flat, weights = [], []
    for d in range(1, window + 1):
        a, b = ids[:-d], ids[d:]
        ok = (sids[:-d] == sids[d:]) & (a >= 0) & (b >= 0)
        w = 1.0 if weighting == "count" else 1.0 / d
        flat.append(a[ok] * v + b[ok])
        weights.append(np.full(int(ok.sum()), w))
        if symmetric:
            flat.append(b[ok] * v + a[ok])
            weights.append(np.full(int(ok.sum()), w))
    matrix = np.bincount(np.concatenate(flat), np.concatenate(weights), minlength=v * v)
    return matrix.reshape(v, v), words


def _dense(owner: str, matrix) -> np.ndarray:
    if hasattr(matrix, "toarray"):
        matrix = matrix.toarray()
    matrix = np.asarray(matrix, dtype=np.float64)
    if matrix.ndim != 2:
        raise ShapeError(f"{owner}: expected a 2-D matrix, got shape {matrix.shape}")
    return matrix


def ppmi(matrix: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """Positive pointwise mutual information of a co-occurrence matrix.

    PPMI[a, b] = max(0, log(P(a, b) / (P(a) * P_alpha(b)))), with P(a, b) = X[a, b] / sum(X),
    P(a) = sum_b X[a, b] / sum(X) and P_alpha(b) = c_b**alpha / sum_b' c_b'**alpha for the
    column sums c_b (alpha = 0.75 is Levy et al.'s context smoothing). Cells with X = 0 are 0.

    Parameters
    ----------
    matrix : array of shape (n, m), non-negative counts (dense or scipy.sparse)
    alpha : float, default=1.0

    Returns
    -------
    ndarray of shape (n, m)
    """
    x = _dense("ppmi", matrix)
    if (x < 0).any():
        raise ValueError("ppmi: expected non-negative counts, got negative entries")
    total = x.sum()
    if total == 0:
        raise ValueError("ppmi: the matrix is all zeros")
    rows = x.sum(1, keepdims=True) / total
    cols = x.sum(0, keepdims=True) ** alpha
    cols = cols / cols.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log((x / total) / (rows * cols))
    return np.where(x > 0, np.maximum(pmi, 0.0), 0.0)


def svd_embeddings(matrix: np.ndarray, k: int, power: float = 1.0) -> np.ndarray:
    """Rank-k word vectors from a truncated SVD, as LSA.

    X = U S V^T;  embeddings = U[:, :k] * S[:k]**power. Signs are fixed so that the largest
    entry (in absolute value) of each column of U is positive, making the result
    deterministic. power=0.5 splits S evenly between words and contexts.

    Parameters
    ----------
    matrix : array of shape (n, m) (dense or scipy.sparse)
    k : int, at most min(n, m)

    Returns
    -------
    ndarray of shape (n, k)
    """
    x = _dense("svd_embeddings", matrix)
    check_positive_int("svd_embeddings", k=k)
    if k > min(x.shape):
        raise ValueError(f"svd_embeddings: k must be <= min{x.shape} = {min(x.shape)}, got {k}")
    u, s, _ = np.linalg.svd(x, full_matrices=False)
    u = u[:, :k]
    signs = np.sign(u[np.argmax(np.abs(u), axis=0), np.arange(k)])
    signs[signs == 0] = 1.0
    return u * signs * s[:k] ** power
