"""Splitting data: random_split for datasets, train_test_split for arrays, KFold."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from lamina.autodiff.random import default_generator
from lamina.data.dataset import Subset
from lamina.errors import ShapeError, check_positive_int, check_seed

__all__ = ["KFold", "random_split", "train_test_split"]


def _generator(
    owner: str, seed: int | None, rng: np.random.Generator | None
) -> np.random.Generator:
    """``rng``, else a Generator from ``seed``, else lamina's default (``manual_seed`` fixes it)."""
    if rng is not None:
        return rng
    if seed is None:
        return default_generator()
    return np.random.default_rng(check_seed(owner, seed))


def _split_lengths(n: int, lengths: Sequence[float]) -> list[int]:
    """Integer lengths from counts, or from fractions summing to 1 (remainder round-robin)."""
    if all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in lengths):
        counts = [int(v) for v in lengths]
        if any(c < 0 for c in counts) or sum(counts) != n:
            raise ValueError(
                f"random_split: lengths must be >= 0 and sum to the dataset length {n}, "
                f"got {list(lengths)}"
            )
        return counts
    fracs = [float(v) for v in lengths]
    if any(f < 0 for f in fracs) or not math.isclose(sum(fracs), 1.0, abs_tol=1e-6):
        raise ValueError(f"random_split: fractions must be >= 0 and sum to 1, got {fracs}")
    counts = [math.floor(n * f) for f in fracs]
    for i in range(n - sum(counts)):  # as PyTorch: leftovers go one each, in order
        counts[i % len(counts)] += 1
    return counts


def random_split(
    dataset: Any,
    lengths: Sequence[float],
    seed: int | None = None,
    *,
    rng: np.random.Generator | None = None,
    generator: np.random.Generator | None = None,
) -> list[Subset]:
    """Split a dataset into non-overlapping random subsets of the given lengths.

    Parameters
    ----------
    dataset : Dataset
    lengths : sequence of int or of float
        Counts summing to ``len(dataset)``, or fractions summing to 1.
    seed : int or None, default=None
        With neither seed nor generator, lamina's default generator draws the split, so
        ``lamina.manual_seed`` fixes it (as ``torch.manual_seed`` fixes PyTorch's).
    rng, generator : numpy.random.Generator or None, default=None
        Used instead of a Generator made from ``seed`` (``generator`` is PyTorch's name).

    Returns
    -------
    list of Subset, one per entry of ``lengths``.

    Examples
    --------
    >>> a, b = random_split(list(range(10)), [0.8, 0.2], seed=0)
    >>> len(a), len(b)
    (8, 2)
    """
    n = len(dataset)
    counts = _split_lengths(n, lengths)
    perm = _generator("random_split", seed, rng if rng is not None else generator).permutation(n)
    bounds = np.cumsum([0, *counts])
    return [Subset(dataset, perm[lo:hi]) for lo, hi in itertools.pairwise(bounds)]


def _test_count(n: int, test_size: float) -> int:
    if isinstance(test_size, (int, np.integer)) and not isinstance(test_size, bool):
        n_test = int(test_size)
    elif isinstance(test_size, (float, np.floating)) and 0 < test_size < 1:
        n_test = math.ceil(test_size * n)  # scikit-learn rounds the test part up
    else:
        raise ValueError(
            f"train_test_split: test_size must be a float in (0, 1) or an int, got {test_size!r}"
        )
    if not 0 < n_test < n:
        raise ValueError(
            f"train_test_split: test_size={test_size!r} leaves {n_test} of {n} samples for "
            f"testing; both parts must be non-empty"
        )
    return n_test


def _stratified_test(labels: np.ndarray, n_test: int, gen: np.random.Generator) -> np.ndarray:
    """Test indices taking each class's share of ``n_test`` (largest remainders first)."""
    classes, y = np.unique(labels, return_inverse=True)
    counts = np.bincount(y, minlength=len(classes))
    exact = counts * n_test / labels.shape[0]
    take = np.floor(exact).astype(np.int64)
    order = np.argsort(-(exact - take), kind="stable")
    take[order[: n_test - take.sum()]] += 1
    test = [gen.permutation(np.flatnonzero(y == c))[: take[c]] for c in range(len(classes))]
    return np.concatenate(test)


def train_test_split(
    *arrays: Any,
    test_size: float = 0.25,
    seed: int | None = None,
    stratify: Any = None,
    shuffle: bool = True,
    rng: np.random.Generator | None = None,
) -> list[np.ndarray]:
    """Split arrays into random train and test parts, as scikit-learn's function does.

    Parameters
    ----------
    *arrays : array_like, each of shape (n, ...)
    test_size : float in (0, 1) or int, default=0.25
        Fraction (rounded up, as scikit-learn) or number of test samples.
    seed : int or None, default=None
    stratify : array_like of shape (n,) or None, default=None
        Class labels whose proportions both parts keep (each class gets its rounded share).
    shuffle : bool, default=True
        False keeps the order: the last ``n_test`` samples become the test part.
    rng : numpy.random.Generator or None, default=None

    Returns
    -------
    list of ndarray: ``[a_train, a_test, b_train, b_test, ...]``.

    Examples
    --------
    >>> X_tr, X_te = train_test_split(np.arange(8), test_size=0.25, seed=0)
    >>> X_tr.shape, X_te.shape
    ((6,), (2,))
    """
    if not arrays:
        raise ValueError("train_test_split: expected at least one array, got none")
    arrays = tuple(np.asarray(a) for a in arrays)
    n = arrays[0].shape[0] if arrays[0].ndim else 0
    if any(a.ndim == 0 or a.shape[0] != n for a in arrays):
        shapes = ", ".join(str(a.shape) for a in arrays)
        raise ShapeError(f"train_test_split: arrays must have the same length, got {shapes}")
    n_test = _test_count(n, test_size)
    gen = _generator("train_test_split", seed, rng)
    if stratify is not None:
        labels = np.asarray(stratify)
        if labels.shape != (n,):
            raise ShapeError(
                f"train_test_split: stratify must have shape ({n},), got {labels.shape}"
            )
        test = gen.permutation(_stratified_test(labels, n_test, gen))
        train = gen.permutation(np.setdiff1d(np.arange(n), test))
    elif shuffle:
        perm = gen.permutation(n)
        test, train = perm[:n_test], perm[n_test:]
    else:
        train, test = np.arange(n - n_test), np.arange(n - n_test, n)
    return [part for a in arrays for part in (a[train], a[test])]


class KFold:
    """K-fold cross-validation: each of ``n_splits`` folds is the test part once.

    The first ``n % n_splits`` folds hold one sample more, as scikit-learn's ``KFold``; without
    shuffling the folds are consecutive and equal scikit-learn's exactly.

    Parameters
    ----------
    n_splits : int, default=5
        At least 2.
    shuffle : bool, default=False
        Permute the samples before cutting folds.
    seed : int or None, default=None
        With a seed, every ``split`` call gives the same folds (as scikit-learn's
        ``random_state``), so configurations compared by a search see the same folds.
    rng : numpy.random.Generator or None, default=None
        Used instead of ``seed``; each ``split`` call then draws a new permutation from it.

    Examples
    --------
    >>> [test.tolist() for _, test in KFold(3).split(np.zeros(5))]
    [[0, 1], [2, 3], [4]]
    """

    def __init__(
        self,
        n_splits: int = 5,
        shuffle: bool = False,
        seed: int | None = None,
        *,
        rng: np.random.Generator | None = None,
    ) -> None:
        check_positive_int("KFold", n_splits=n_splits)
        if n_splits < 2:
            raise ValueError(f"KFold: n_splits must be at least 2, got {n_splits}")
        self.n_splits = int(n_splits)
        self.shuffle = bool(shuffle)
        self.seed = seed
        self._rng = rng

    def __repr__(self) -> str:
        return f"KFold(n_splits={self.n_splits}, shuffle={self.shuffle}, seed={self.seed})"

    def get_n_splits(self, X: Any = None) -> int:
        """The number of folds."""
        return self.n_splits

    def split(self, X: Any, y: Any = None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Yield ``(train_indices, test_indices)`` for each fold of the n samples of ``X``."""
        n = len(X)
        if n < self.n_splits:
            raise ValueError(f"{self!r}: cannot split {n} samples into {self.n_splits} folds")
        gen = _generator("KFold", self.seed, self._rng)
        order = gen.permutation(n) if self.shuffle else np.arange(n)
        sizes = np.full(self.n_splits, n // self.n_splits)
        sizes[: n % self.n_splits] += 1
        start = 0
        for size in sizes:
            test = order[start : start + size]
            train = np.concatenate([order[:start], order[start + size :]])
            start += size
            yield train, test
