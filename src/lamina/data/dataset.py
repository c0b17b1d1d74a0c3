"""Datasets: anything with ``__len__`` and ``__getitem__``, plus the array-backed one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from lamina.errors import ShapeError

__all__ = ["Dataset", "Subset", "TensorDataset"]


class Dataset:
    """A map-style dataset: ``len(ds)`` samples, ``ds[i]`` returns sample ``i``.

    Subclass it and define ``__len__`` and ``__getitem__``; a sample is an array, a number or
    a tuple of them (``(x, y)``). ``DataLoader`` stacks samples into batches.
    """

    def __len__(self) -> int:
        raise NotImplementedError(f"{type(self).__name__} must define __len__")

    def __getitem__(self, index: int) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define __getitem__")


def _as_array(value: Any) -> np.ndarray:
    # np.asarray reads a lamina Tensor through its __array__.
    return value if isinstance(value, np.ndarray) else np.asarray(value)


class TensorDataset(Dataset):
    """Dataset over arrays that share their first dimension: sample i = (a[i], b[i], ...).

    Parameters
    ----------
    *arrays : array_like or Tensor, each of shape (n, ...)
        At least one; all with the same length n along axis 0.

    Raises
    ------
    ShapeError
        If the arrays differ in length or one is a scalar.

    Examples
    --------
    >>> ds = TensorDataset(np.zeros((4, 2)), np.arange(4))
    >>> len(ds), ds[1][1]
    (4, np.int64(1))
    """

    def __init__(self, *arrays: Any) -> None:
        if not arrays:
            raise ValueError("TensorDataset: expected at least one array, got none")
        self.arrays = tuple(_as_array(a) for a in arrays)
        shapes = [a.shape for a in self.arrays]
        if any(len(s) == 0 for s in shapes) or len({s[0] for s in shapes}) != 1:
            raise ShapeError(
                f"TensorDataset: all arrays must have the same first dimension, got shapes "
                f"{', '.join(str(s) for s in shapes)}"
            )

    def __len__(self) -> int:
        return self.arrays[0].shape[0]

    def __getitem__(self, index: Any) -> tuple[np.ndarray, ...]:
        return tuple(a[index] for a in self.arrays)


class Subset(Dataset):
    """The samples of ``dataset`` at ``indices``, in that order.

    Parameters
    ----------
    dataset : Dataset
    indices : sequence of int
    """

    def __init__(self, dataset: Any, indices: Sequence[int] | np.ndarray) -> None:
        self.dataset = dataset
        self.indices = np.asarray(indices, dtype=np.int64)

    def __len__(self) -> int:
        return int(self.indices.shape[0])

    def __getitem__(self, index: Any) -> Any:
        return self.dataset[self.indices[index]]
