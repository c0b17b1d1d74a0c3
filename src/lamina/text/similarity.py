"""Vector similarity: cosine, euclidean distance, nearest neighbours and rank correlation.

All functions are pure: arrays in, arrays out. Rows are vectors.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from lamina.errors import ShapeError, check_in, check_positive_int

__all__ = [
    "cosine_similarity",
    "euclidean_distance",
    "nearest_neighbors",
    "pearson_correlation",
    "rankdata",
    "spearman_correlation",
    "unit_rows",
]


def _as_matrix(owner: str, x: np.ndarray, name: str) -> tuple[np.ndarray, bool]:
    """Return ``x`` as a float 2-D array and whether it was a single vector."""
    arr = np.asarray(x)
    if arr.dtype.kind not in "fiub":
        raise TypeError(f"{owner}: {name} must hold numbers, got dtype {arr.dtype}")
    if arr.ndim == 1:
        return arr[None, :].astype(np.float64, copy=False), True
    if arr.ndim != 2:
        raise ShapeError(f"{owner}: {name} must be 1-D or 2-D, got shape {arr.shape}")
    return arr.astype(np.float64, copy=False), False


def _pair(owner: str, a: np.ndarray, b: np.ndarray | None) -> tuple[np.ndarray, np.ndarray, bool]:
    am, a_vec = _as_matrix(owner, a, "a")
    if b is None:
        return am, am, a_vec
    bm, b_vec = _as_matrix(owner, b, "b")
    if am.shape[1] != bm.shape[1]:
        raise ShapeError(
            f"{owner}: a and b must have the same vector size, got {am.shape} and {bm.shape}"
        )
    return am, bm, a_vec and b_vec


def unit_rows(x: np.ndarray) -> np.ndarray:
    """Scale each row to unit L2 norm; zero rows stay zero.

    u_i = x_i / ||x_i||  (u_i = 0 where ||x_i|| = 0)
    """
    x = np.asarray(x)
    norms = np.linalg.norm(x, axis=-1, keepdims=True)
    return x / np.where(norms == 0, 1, norms)


def cosine_similarity(a: np.ndarray, b: np.ndarray | None = None) -> np.ndarray | float:
    """Cosine similarity between the rows of ``a`` and the rows of ``b``.

    cos(a_i, b_j) = (a_i . b_j) / (||a_i|| * ||b_j||), and 0 where a norm is 0.

    Parameters
    ----------
    a : array of shape (n, d) or (d,)
    b : array of shape (m, d) or (d,), optional
        Defaults to ``a`` (all pairwise similarities within ``a``).

    Returns
    -------
    ndarray of shape (n, m), or a float when both inputs are single vectors.

    Examples
    --------
    >>> cosine_similarity([1.0, 0.0], [1.0, 1.0])
    0.7071067811865475
    """
    am, bm, scalar = _pair("cosine_similarity", a, b)
    out = unit_rows(am) @ unit_rows(bm).T
    return float(out[0, 0]) if scalar else out


def euclidean_distance(a: np.ndarray, b: np.ndarray | None = None) -> np.ndarray | float:
    """Euclidean distance between the rows of ``a`` and the rows of ``b``.

    d(a_i, b_j) = sqrt(||a_i||**2 + ||b_j||**2 - 2 * a_i . b_j), clipped at 0 against rounding.

    Parameters
    ----------
    a : array of shape (n, d) or (d,)
    b : array of shape (m, d) or (d,), optional

    Returns
    -------
    ndarray of shape (n, m), or a float when both inputs are single vectors.
    """
    am, bm, scalar = _pair("euclidean_distance", a, b)
    sq = (am * am).sum(1)[:, None] + (bm * bm).sum(1)[None, :] - 2.0 * (am @ bm.T)
    out = np.sqrt(np.maximum(sq, 0.0))
    return float(out[0, 0]) if scalar else out


def nearest_neighbors(
    query: np.ndarray, vectors: np.ndarray, k: int = 10, metric: str = "cosine"
) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` rows of ``vectors`` nearest to each query row.

    Parameters
    ----------
    query : array of shape (n, d) or (d,)
    vectors : array of shape (m, d)
    k : int
        How many neighbours; at most ``m``.
    metric : {"cosine", "euclidean"}
        Cosine ranks by decreasing similarity, euclidean by increasing distance.

    Returns
    -------
    indices : int array of shape (n, k) (or (k,) for a single query)
    scores : float array of the same shape: similarities or distances.
    """
    check_positive_int("nearest_neighbors", k=k)
    check_in("nearest_neighbors", "metric", metric, ("cosine", "euclidean"))
    qm, vm, _ = _pair("nearest_neighbors", query, vectors)
    if k > vm.shape[0]:
        raise ValueError(f"nearest_neighbors: k must be <= {vm.shape[0]} vectors, got {k}")
    if metric == "cosine":
        scores = cosine_similarity(qm, vm)
        order = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    else:
        scores = euclidean_distance(qm, vm)
        order = np.argsort(scores, axis=1, kind="stable")[:, :k]
    picked = np.take_along_axis(scores, order, axis=1)
    if np.asarray(query).ndim == 1:
        return order[0], picked[0]
    return order, picked


def rankdata(x: np.ndarray) -> np.ndarray:
    """Ranks 1..n of a 1-D array, ties sharing their average rank."""
    x = np.asarray(x, dtype=np.float64).ravel()
    order = np.argsort(x, kind="mergesort")
    sorted_x = x[order]
    # Each run of equal values gets the mean of the positions it spans.
    new_run = np.r_[True, sorted_x[1:] != sorted_x[:-1]]
    run_id = np.cumsum(new_run) - 1
    starts = np.flatnonzero(new_run)
    ends = np.r_[starts[1:], x.size]
    avg = (starts + ends + 1) / 2.0
    ranks = np.empty(x.size)
    ranks[order] = avg[run_id]
    return ranks


def pearson_correlation(x: ArrayLike, y: ArrayLike) -> float:
    """Pearson correlation r = cov(x, y) / (std(x) * std(y)); NaN if either is constant."""
    x = np.asarray(x, dtype=np.float64).ravel()
    y = np.asarray(y, dtype=np.float64).ravel()
    if x.size != y.size:
        raise ShapeError(
            f"pearson_correlation: x and y must have the same length, got {x.size} and {y.size}"
        )
    if x.size < 2:
        raise ValueError(f"pearson_correlation: need at least 2 pairs, got {x.size}")
    xc, yc = x - x.mean(), y - y.mean()
    denom = np.sqrt((xc * xc).sum() * (yc * yc).sum())
    return float((xc * yc).sum() / denom) if denom > 0 else float("nan")


def spearman_correlation(x: ArrayLike, y: ArrayLike) -> float:
    """Spearman rank correlation: the Pearson correlation of the (average-tie) ranks."""
    x = np.asarray(x).ravel()
    y = np.asarray(y).ravel()
    if x.size != y.size:
        raise ShapeError(
            f"spearman_correlation: x and y must have the same length, got {x.size} and {y.size}"
        )
    return pearson_correlation(rankdata(x), rankdata(y))
