"""Generated datasets, each fully determined by ``seed`` (or drawn from a given ``rng``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from lamina.errors import check_nonnegative, check_positive_int, check_seed

__all__ = [
    "ADDITION_VOCAB",
    "make_addition_task",
    "make_blobs",
    "make_copy_task",
    "make_reverse_task",
    "make_sine_sequences",
    "make_spirals",
]

ADDITION_VOCAB = "0123456789+"
"""Token i of ``make_addition_task`` is ``ADDITION_VOCAB[i]``: digits 0-9, then '+' (10)."""


def _generator(seed: int | None, rng: np.random.Generator | None) -> np.random.Generator:
    return rng if rng is not None else np.random.default_rng(check_seed("datasets", seed))


def _per_class(n: int, k: int) -> np.ndarray:
    counts = np.full(k, n // k)
    counts[: n % k] += 1
    return counts


def make_spirals(
    n_samples: int = 300,
    n_classes: int = 3,
    noise: float = 0.2,
    seed: int | None = None,
    *,
    rng: np.random.Generator | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Interleaved 2-D spirals, one arm per class (the CS231n toy problem).

    Arm j: radius r = linspace(0, 1, m), angle t = linspace(4j, 4(j + 1), m) + noise * N(0, 1),
    point = (r sin t, r cos t).

    Parameters
    ----------
    n_samples : int, default=300
        Total; the classes differ in size by at most one.
    n_classes : int, default=3
    noise : float, default=0.2
        Standard deviation of the angle noise (radians).
    seed, rng : seed, or Generator to draw from.

    Returns
    -------
    X : ndarray of shape (n_samples, 2), float32, in [-1, 1]
    y : ndarray of shape (n_samples,), int64, sorted by class
    """
    check_positive_int("make_spirals", n_samples=n_samples, n_classes=n_classes)
    check_nonnegative("make_spirals", noise=noise)
    gen = _generator(seed, rng)
    xs, ys = [], []
    for j, m in enumerate(_per_class(n_samples, n_classes)):
        r = np.linspace(0.0, 1.0, m)
        t = np.linspace(4.0 * j, 4.0 * (j + 1), m) + noise * gen.standard_normal(m)
        xs.append(np.stack([r * np.sin(t), r * np.cos(t)], axis=1))
        ys.append(np.full(m, j))
    return np.concatenate(xs).astype(np.float32), np.concatenate(ys).astype(np.int64)


def make_blobs(
    n_samples: int = 100,
    n_features: int = 2,
    centers: int | Sequence[Sequence[float]] = 3,
    cluster_std: float = 1.0,
    center_box: tuple[float, float] = (-10.0, 10.0),
    seed: int | None = None,
    *,
    rng: np.random.Generator | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Isotropic Gaussian clusters: x = center[y] + cluster_std * N(0, I), shuffled.

    Parameters
    ----------
    n_samples : int, default=100
        Total; the clusters differ in size by at most one.
    n_features : int, default=2
        Ignored when ``centers`` is an array.
    centers : int or array of shape (k, n_features), default=3
        Number of clusters (centers uniform in ``center_box``) or the centers themselves.
    cluster_std : float, default=1.0
    center_box : (float, float), default=(-10, 10)
    seed, rng : seed, or Generator to draw from.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features), float32
    y : ndarray of shape (n_samples,), int64, the cluster of each point
    """
    check_positive_int("make_blobs", n_samples=n_samples, n_features=n_features)
    check_nonnegative("make_blobs", cluster_std=cluster_std)
    gen = _generator(seed, rng)
    if isinstance(centers, (int, np.integer)):
        check_positive_int("make_blobs", centers=centers)
        c = gen.uniform(center_box[0], center_box[1], size=(int(centers), n_features))
    else:
        c = np.asarray(centers, dtype=np.float64)
        if c.ndim != 2:
            raise ValueError(
                f"make_blobs: centers must be an int or (k, n_features), got {c.shape}"
            )
    y = np.repeat(np.arange(c.shape[0]), _per_class(n_samples, c.shape[0]))
    y = y[gen.permutation(n_samples)]
    X = c[y] + cluster_std * gen.standard_normal((n_samples, c.shape[1]))
    return X.astype(np.float32), y.astype(np.int64)


def make_sine_sequences(
    n_sequences: int = 100,
    seq_len: int = 50,
    dt: float = 0.1,
    frequency: tuple[float, float] = (0.5, 2.0),
    amplitude: tuple[float, float] = (0.5, 1.5),
    noise: float = 0.0,
    seed: int | None = None,
    *,
    rng: np.random.Generator | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Sine waves for next-step prediction: s(t) = a sin(2 pi f t + phi) (+ noise).

    a, f are uniform in their ranges and phi uniform in [0, 2 pi), per sequence; the target is
    the input shifted one step ahead.

    Parameters
    ----------
    n_sequences : int, default=100
    seq_len : int, default=50
    dt : float, default=0.1
        Time between steps.
    frequency, amplitude : (float, float)
    noise : float, default=0.0
        Standard deviation of Gaussian noise added to the inputs only.
    seed, rng : seed, or Generator to draw from.

    Returns
    -------
    X : ndarray of shape (n_sequences, seq_len, 1), float32, s at steps 0..seq_len-1
    y : ndarray of shape (n_sequences, seq_len, 1), float32, s at steps 1..seq_len
    """
    check_positive_int("make_sine_sequences", n_sequences=n_sequences, seq_len=seq_len)
    check_nonnegative("make_sine_sequences", noise=noise)
    gen = _generator(seed, rng)
    a = gen.uniform(*amplitude, size=(n_sequences, 1))
    f = gen.uniform(*frequency, size=(n_sequences, 1))
    phi = gen.uniform(0.0, 2 * np.pi, size=(n_sequences, 1))
    s = a * np.sin(2 * np.pi * f * (np.arange(seq_len + 1) * dt) + phi)
    X = s[:, :-1] + noise * gen.standard_normal((n_sequences, seq_len))
    return X[..., None].astype(np.float32), s[:, 1:, None].astype(np.float32)


def _random_tokens(owner: str, n: int, seq_len: int, vocab_size: int, seed: Any, rng: Any) -> Any:
    check_positive_int(owner, n_samples=n, seq_len=seq_len, vocab_size=vocab_size)
    return _generator(seed, rng).integers(0, vocab_size, size=(n, seq_len), dtype=np.int64)


def make_copy_task(
    n_samples: int = 1000,
    seq_len: int = 10,
    vocab_size: int = 10,
    seed: int | None = None,
    *,
    rng: np.random.Generator | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Sequence-to-sequence copying: the target equals the input.

    Returns
    -------
    X, y : ndarrays of shape (n_samples, seq_len), int64 tokens in [0, vocab_size); y == X.
    """
    X = _random_tokens("make_copy_task", n_samples, seq_len, vocab_size, seed, rng)
    return X, X.copy()


def make_reverse_task(
    n_samples: int = 1000,
    seq_len: int = 10,
    vocab_size: int = 10,
    seed: int | None = None,
    *,
    rng: np.random.Generator | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Sequence-to-sequence reversal: y[:, t] = X[:, seq_len - 1 - t].

    Returns
    -------
    X, y : ndarrays of shape (n_samples, seq_len), int64 tokens in [0, vocab_size).
    """
    X = _random_tokens("make_reverse_task", n_samples, seq_len, vocab_size, seed, rng)
    return X, np.ascontiguousarray(X[:, ::-1])


def make_addition_task(
    n_samples: int = 1000,
    n_digits: int = 3,
    seed: int | None = None,
    *,
    rng: np.random.Generator | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Learn to add: the query "a+b" as digit tokens, the answer a + b as digit tokens.

    a and b are uniform in [0, 10**n_digits); numbers are zero-padded, most significant digit
    first, so every sequence has the same length. Token i stands for ``ADDITION_VOCAB[i]``.

    Returns
    -------
    X : ndarray of shape (n_samples, 2 * n_digits + 1), int64: digits of a, 10 ('+'), digits of b
    y : ndarray of shape (n_samples, n_digits + 1), int64: digits of a + b

    Examples
    --------
    >>> X, y = make_addition_task(1, n_digits=2, seed=0)
    >>> q = "".join(ADDITION_VOCAB[i] for i in X[0]); a, b = q.split("+")
    >>> int("".join(map(str, y[0]))) == int(a) + int(b)
    True
    """
    check_positive_int("make_addition_task", n_samples=n_samples, n_digits=n_digits)
    gen = _generator(seed, rng)
    a, b = gen.integers(0, 10**n_digits, size=(2, n_samples), dtype=np.int64)

    def digits(v: np.ndarray, width: int) -> np.ndarray:
        return (v[:, None] // 10 ** np.arange(width - 1, -1, -1)) % 10

    plus = np.full((n_samples, 1), ADDITION_VOCAB.index("+"), dtype=np.int64)
    X = np.concatenate([digits(a, n_digits), plus, digits(b, n_digits)], axis=1)
    return X, digits(a + b, n_digits + 1)
