"""Samplers: the order (and batches) of dataset indices a DataLoader visits, as in PyTorch.

A sampler is an iterable of indices; ``BatchSampler`` groups one into lists of indices. Random
samplers draw from their own ``numpy.random.Generator`` when given one; without one, each
``iter`` draws a fresh seed from lamina's default generator, so ``lamina.manual_seed`` fixes
the order exactly as ``torch.manual_seed`` does for ``torch.utils.data``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence, Sized
from itertools import islice
from typing import Any

import numpy as np

from lamina.autodiff.random import default_generator
from lamina.errors import ShapeError, check_positive_int

__all__ = [
    "BatchSampler",
    "RandomSampler",
    "Sampler",
    "SequentialSampler",
    "SubsetRandomSampler",
    "WeightedRandomSampler",
]


def check_generator(owner: str, generator: Any) -> None:
    """Raise ``TypeError`` unless ``generator`` is None or a ``numpy.random.Generator``."""
    if generator is not None and not isinstance(generator, np.random.Generator):
        raise TypeError(
            f"{owner}: generator must be a numpy.random.Generator or None, got {generator!r}"
        )


def _check_bool(owner: str, **values: Any) -> None:
    for name, value in values.items():
        if not isinstance(value, (bool, np.bool_)):
            raise TypeError(f"{owner}: {name} must be a bool, got {value!r}")


def _epoch_generator(generator: np.random.Generator | None) -> np.random.Generator:
    """The given generator, or one seeded by a draw from lamina's default generator.

    PyTorch draws one 64-bit seed from the global generator per epoch; drawing one number
    (not n) keeps other users of the default generator independent of the dataset size.
    """
    if generator is not None:
        return generator
    return np.random.default_rng(int(default_generator().integers(2**63)))


class Sampler:
    """Base class of samplers: ``iter(sampler)`` yields dataset indices (or lists of them).

    Subclasses define ``__iter__`` and, when the count is known, ``__len__``.
    """

    def __init__(self, data_source: Sized | None = None) -> None:
        del data_source  # accepted for PyTorch compatibility, as torch.utils.data does

    def __iter__(self) -> Iterator[Any]:
        raise NotImplementedError(f"{type(self).__name__} must define __iter__")


class SequentialSampler(Sampler):
    """Indices 0, 1, ..., len(data_source) - 1, in order.

    Examples
    --------
    >>> list(SequentialSampler(range(4)))
    [0, 1, 2, 3]
    """

    def __init__(self, data_source: Sized) -> None:
        self.data_source = data_source

    def __iter__(self) -> Iterator[int]:
        return iter(range(len(self.data_source)))

    def __len__(self) -> int:
        return len(self.data_source)


class RandomSampler(Sampler):
    """Random indices into ``data_source``: permutations, or uniform draws with replacement.

    Without replacement, ``num_samples = q * n + r`` yields q full permutations of range(n)
    followed by the first r entries of one more (PyTorch's rule); with replacement, each index
    is drawn uniformly from range(n), independently.

    Parameters
    ----------
    data_source : sized dataset, n = len(data_source)
    replacement : bool, default=False
    num_samples : int or None, default=None
        How many indices one pass yields; n if None.
    generator : numpy.random.Generator or None, default=None
        Source of randomness; if None, each pass seeds a generator from lamina's default one.

    Raises
    ------
    TypeError
        If ``replacement`` is not a bool or ``generator`` not a Generator.
    ValueError
        If ``num_samples`` is not a positive integer.
    """

    def __init__(
        self,
        data_source: Sized,
        replacement: bool = False,
        num_samples: int | None = None,
        generator: np.random.Generator | None = None,
    ) -> None:
        _check_bool("RandomSampler", replacement=replacement)
        if num_samples is not None:
            check_positive_int("RandomSampler", num_samples=num_samples)
        check_generator("RandomSampler", generator)
        self.data_source = data_source
        self.replacement = bool(replacement)
        self._num_samples = num_samples
        self.generator = generator

    @property
    def num_samples(self) -> int:
        """Indices per pass: ``num_samples`` if given, else ``len(data_source)``."""
        return len(self.data_source) if self._num_samples is None else int(self._num_samples)

    def __iter__(self) -> Iterator[int]:
        n, total = len(self.data_source), self.num_samples
        gen = _epoch_generator(self.generator)
        if self.replacement:
            yield from gen.integers(n, size=total).tolist()
            return
        for _ in range(total // n):
            yield from gen.permutation(n).tolist()
        if total % n:
            yield from gen.permutation(n)[: total % n].tolist()

    def __len__(self) -> int:
        return self.num_samples


class SubsetRandomSampler(Sampler):
    """The given indices in a random order: indices[p_0], indices[p_1], ... for a permutation p.

    Parameters
    ----------
    indices : sequence of int
    generator : numpy.random.Generator or None, default=None
    """

    def __init__(
        self, indices: Sequence[Any], generator: np.random.Generator | None = None
    ) -> None:
        check_generator("SubsetRandomSampler", generator)
        self.indices = indices
        self.generator = generator

    def __iter__(self) -> Iterator[Any]:
        gen = _epoch_generator(self.generator)
        for i in gen.permutation(len(self.indices)).tolist():
            yield self.indices[i]

    def __len__(self) -> int:
        return len(self.indices)


class WeightedRandomSampler(Sampler):
    """Indices 0..n-1 drawn with probabilities p_i = w_i / sum_j w_j.

    Parameters
    ----------
    weights : sequence of float, shape (n,)
        Non-negative, finite, not all zero; need not sum to one.
    num_samples : int
        Indices per pass.
    replacement : bool, default=True
        Without replacement each index appears at most once, so ``num_samples`` may not exceed
        the number of non-zero weights.
    generator : numpy.random.Generator or None, default=None

    Examples
    --------
    >>> s = WeightedRandomSampler([0.0, 1.0, 0.0], 3, generator=np.random.default_rng(0))
    >>> list(s)
    [1, 1, 1]
    """

    def __init__(
        self,
        weights: Sequence[float] | np.ndarray,
        num_samples: int,
        replacement: bool = True,
        generator: np.random.Generator | None = None,
    ) -> None:
        owner = "WeightedRandomSampler"
        check_positive_int(owner, num_samples=num_samples)
        _check_bool(owner, replacement=replacement)
        check_generator(owner, generator)
        w = np.asarray(weights, dtype=np.float64)
        if w.ndim != 1:
            raise ShapeError(f"{owner}: weights must be 1-D, got shape {w.shape}")
        if not np.isfinite(w).all() or (w < 0).any() or w.sum() <= 0:
            raise ValueError(
                f"{owner}: weights must be finite, >= 0 and not all zero, got {w.tolist()!r}"
            )
        if not replacement and num_samples > np.count_nonzero(w):
            raise ValueError(
                f"{owner}: without replacement num_samples must be <= the number of non-zero "
                f"weights ({np.count_nonzero(w)}), got {num_samples}"
            )
        self.weights = w
        self.num_samples = int(num_samples)
        self.replacement = bool(replacement)
        self.generator = generator

    def __iter__(self) -> Iterator[int]:
        gen = _epoch_generator(self.generator)
        p = self.weights / self.weights.sum()
        draws = gen.choice(len(p), size=self.num_samples, replace=self.replacement, p=p)
        yield from draws.tolist()

    def __len__(self) -> int:
        return self.num_samples


class BatchSampler(Sampler):
    """Group the indices of ``sampler`` into lists of ``batch_size`` (the last may be shorter).

    Parameters
    ----------
    sampler : Sampler or iterable of indices
    batch_size : int
        Positive.
    drop_last : bool
        Drop a final list shorter than ``batch_size``.

    Examples
    --------
    >>> list(BatchSampler(SequentialSampler(range(5)), batch_size=2, drop_last=False))
    [[0, 1], [2, 3], [4]]
    """

    def __init__(self, sampler: Iterable[Any], batch_size: int, drop_last: bool) -> None:
        check_positive_int("BatchSampler", batch_size=batch_size)
        _check_bool("BatchSampler", drop_last=drop_last)
        self.sampler = sampler
        self.batch_size = int(batch_size)
        self.drop_last = bool(drop_last)

    def __iter__(self) -> Iterator[list[Any]]:
        it = iter(self.sampler)
        while batch := list(islice(it, self.batch_size)):
            if len(batch) < self.batch_size and self.drop_last:
                return
            yield batch

    def __len__(self) -> int:
        n = len(self.sampler)  # type: ignore[arg-type]  # unsized: TypeError, as in PyTorch
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)
