"""DataLoader: batches of lamina Tensors from a dataset, shuffled reproducibly."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from lamina.autodiff import Tensor
from lamina.data.dataset import Subset, TensorDataset
from lamina.errors import check_positive_int

__all__ = ["DataLoader", "default_collate"]


def default_collate(samples: list[Any]) -> Any:
    """Stack a list of samples into one batch of arrays, keeping the sample's structure.

    Tuples and lists collate field by field, dicts key by key; arrays and numbers stack along a
    new first axis.
    """
    first = samples[0]
    if isinstance(first, (tuple, list)):
        return tuple(default_collate([s[i] for s in samples]) for i in range(len(first)))
    if isinstance(first, dict):
        return {k: default_collate([s[k] for s in samples]) for k in first}
    return np.stack([np.asarray(s) for s in samples])


def _array_source(dataset: Any) -> tuple[tuple[np.ndarray, ...], np.ndarray | None] | None:
    """The arrays behind a TensorDataset (or a Subset chain over one) and the index map."""
    index_map = None
    while isinstance(dataset, Subset):
        idx = dataset.indices
        index_map = idx if index_map is None else idx[index_map]
        dataset = dataset.dataset
    if isinstance(dataset, TensorDataset):
        return dataset.arrays, index_map
    return None


def _to_tensors(batch: Any) -> Any:
    if isinstance(batch, tuple):
        return tuple(_to_tensors(b) for b in batch)
    if isinstance(batch, dict):
        return {k: _to_tensors(v) for k, v in batch.items()}
    return Tensor(np.ascontiguousarray(batch))


class DataLoader:
    """Iterate over a dataset in batches of lamina Tensors.

    Each epoch (each ``iter(loader)``) visits every sample once; with ``shuffle=True`` the order
    is a fresh permutation drawn from the loader's own Generator, so a seed fixes every epoch's
    order and ``state_dict``/``load_state_dict`` resume it exactly. A ``TensorDataset`` (or a
    ``Subset`` of one) is batched by indexing its arrays with all of a batch's indices at
    once; other datasets are read sample by sample and stacked with ``collate_fn``.

    Parameters
    ----------
    dataset : Dataset
        Anything with ``__len__`` and ``__getitem__``.
    batch_size : int, default=1
        Samples per batch; the last batch may be smaller unless ``drop_last``.
    shuffle : bool, default=False
        Draw a new random order each epoch.
    drop_last : bool, default=False
        Skip a final batch smaller than ``batch_size``.
    seed : int or None, default=None
        Seed of the loader's Generator (ignored when ``rng`` is given).
    transform : callable or None, default=None
        Applied to each batch's first field (the inputs) as a NumPy array of shape (B, ...)
        before it becomes a Tensor; e.g. an augmentation from ``lamina.data.augment``.
    rng : numpy.random.Generator or None, default=None
        Generator to draw permutations from, instead of one made from ``seed``.
    collate_fn : callable or None, default=None
        Turns a list of samples into a batch of arrays; ``default_collate`` if None.

    Yields
    ------
    tuple of Tensor (one per field of a sample), or a Tensor when samples are single arrays.

    Examples
    --------
    >>> ds = TensorDataset(np.arange(10.0).reshape(5, 2), np.arange(5))
    >>> [tuple(y.tolist()) for _, y in DataLoader(ds, batch_size=2)]
    [(0, 1), (2, 3), (4,)]
    """

    def __init__(
        self,
        dataset: Any,
        batch_size: int = 1,
        shuffle: bool = False,
        drop_last: bool = False,
        seed: int | None = None,
        transform: Callable[[np.ndarray], np.ndarray] | None = None,
        rng: np.random.Generator | None = None,
        collate_fn: Callable[[list[Any]], Any] | None = None,
    ) -> None:
        check_positive_int("DataLoader", batch_size=batch_size)
        if not hasattr(dataset, "__len__") or not hasattr(dataset, "__getitem__"):
            raise TypeError(
                f"DataLoader: dataset must define __len__ and __getitem__, "
                f"got {type(dataset).__name__}"
            )
        if rng is not None and not isinstance(rng, np.random.Generator):
            raise TypeError(f"DataLoader: rng must be a numpy.random.Generator, got {rng!r}")
        self.dataset = dataset
        self.batch_size = int(batch_size)
        self.shuffle = bool(shuffle)
        self.drop_last = bool(drop_last)
        self.transform = transform
        self.collate_fn = collate_fn or default_collate
        self.generator = rng if rng is not None else np.random.default_rng(seed)
        self.epoch = 0

    def __len__(self) -> int:
        n = len(self.dataset)
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)

    def __repr__(self) -> str:
        return (
            f"DataLoader(n_samples={len(self.dataset)}, batch_size={self.batch_size}, "
            f"shuffle={self.shuffle}, drop_last={self.drop_last})"
        )

    def _order(self) -> np.ndarray:
        n = len(self.dataset)
        return self.generator.permutation(n) if self.shuffle else np.arange(n)

    def __iter__(self) -> Iterator[Any]:
        order = self._order()
        self.epoch += 1
        source = _array_source(self.dataset)
        for start in range(0, len(order) - (self.batch_size - 1 if self.drop_last else 0),
                           self.batch_size):  # fmt: skip
            idx = order[start : start + self.batch_size]
            if source is not None:
                arrays, index_map = source
                rows = idx if index_map is None else index_map[idx]
                batch: Any = tuple(a[rows] for a in arrays)
            else:
                batch = self.collate_fn([self.dataset[int(i)] for i in idx])
            yield _to_tensors(self._apply_transform(batch))

    def _apply_transform(self, batch: Any) -> Any:
        if self.transform is None:
            return batch
        if isinstance(batch, tuple):
            return (np.asarray(self.transform(batch[0])), *batch[1:])
        return np.asarray(self.transform(batch))

    def state_dict(self) -> dict[str, Any]:
        """The loader's Generator state, epoch count and, if it has one, the transform's state.

        Saved between epochs and restored with ``load_state_dict``, the following epochs draw
        exactly the same orders (and augmentations) as an uninterrupted run.
        """
        state: dict[str, Any] = {
            "epoch": self.epoch,
            "generator": self.generator.bit_generator.state,
        }
        if hasattr(self.transform, "state_dict"):
            state["transform"] = self.transform.state_dict()  # type: ignore[union-attr]
        return state

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore what ``state_dict`` returned."""
        try:
            self.epoch = int(state["epoch"])
            self.generator.bit_generator.state = state["generator"]
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(
                f"DataLoader.load_state_dict: expected a dict from DataLoader.state_dict() with "
                f"'epoch' and 'generator', got {exc!r}"
            ) from None
        if "transform" in state and hasattr(self.transform, "load_state_dict"):
            self.transform.load_state_dict(state["transform"])  # type: ignore[union-attr]
