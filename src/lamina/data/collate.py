"""From indices to a batch: fetch samples, collate them into arrays, turn arrays into Tensors."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from lamina.autodiff import Tensor
from lamina.data.dataset import Subset, TensorDataset
from lamina.errors import ShapeError

__all__ = [
    "default_collate",
    "default_convert",
]


def _rebuild(like: Any, fields: list[Any]) -> Any:
    """A tuple, namedtuple or list of the same type as ``like`` holding ``fields``."""
    if isinstance(like, tuple) and hasattr(like, "_fields"):  # a namedtuple
        return type(like)(*fields)
    return tuple(fields) if isinstance(like, tuple) else list(fields)


def _remap(like: Mapping[Any, Any], items: dict[Any, Any]) -> Any:
    """``items`` in a mapping of the same type as ``like`` (dict, OrderedDict, ...)."""
    # Mapping declares no constructor; the concrete mappings a batch holds take a dict.
    return type(like)(items)  # type: ignore[call-arg]


def default_collate(samples: list[Any]) -> Any:
    """Stack a list of samples into one batch of arrays, keeping the sample's structure.

    batch[k] = stack(sample_0[k], ..., sample_{B-1}[k]) for every field k. Tuples (and
    namedtuples), lists and dicts collate field by field and keep their type; arrays, Tensors
    and numbers stack along a new first axis (Python floats give float64, ints int64, as in
    PyTorch); strings and bytes stay a list.

    Raises
    ------
    ShapeError
        If samples' arrays differ in shape or sequences differ in length.
    TypeError
        If a sample holds something that cannot be batched (None, arbitrary objects).
    """
    first = samples[0]
    if isinstance(first, (str, bytes)):
        return list(samples)
    if isinstance(first, Mapping):
        return _remap(first, {k: default_collate([s[k] for s in samples]) for k in first})
    if isinstance(first, (tuple, list)):
        if any(len(s) != len(first) for s in samples):
            lengths = sorted({len(s) for s in samples})
            raise ShapeError(
                f"default_collate: every sample must have the same number of fields, "
                f"got lengths {lengths}"
            )
        return _rebuild(
            first, [default_collate([s[i] for s in samples]) for i in range(len(first))]
        )
    if isinstance(first, (np.ndarray, np.generic, Tensor, int, float, complex, bool)):
        arrays = [np.asarray(s) for s in samples]
        shapes = {a.shape for a in arrays}
        if len(shapes) > 1:
            raise ShapeError(
                f"default_collate: samples must have equal shapes to stack, got "
                f"{', '.join(str(s) for s in sorted(shapes))}"
            )
        return np.stack(arrays)
    raise TypeError(
        f"default_collate: samples must hold arrays, Tensors, numbers, strings, dicts, tuples "
        f"or lists, got {type(first).__name__}"
    )


def default_convert(sample: Any) -> Any:
    """One sample, unbatched (``batch_size=None``): NumPy scalars become 0-d arrays.

    The loader then turns every array into a Tensor; Python numbers and strings stay as they
    are, as in PyTorch's ``default_convert``.
    """
    if isinstance(sample, np.generic):
        return np.asarray(sample)
    if isinstance(sample, Mapping):
        return _remap(sample, {k: default_convert(v) for k, v in sample.items()})
    if isinstance(sample, (tuple, list)):
        return _rebuild(sample, [default_convert(v) for v in sample])
    return sample


def to_tensors(batch: Any) -> Any:
    """Every numeric or boolean array in a (nested) batch as a Tensor; the rest unchanged."""
    if isinstance(batch, np.ndarray):
        return Tensor(np.ascontiguousarray(batch)) if batch.dtype.kind in "biufc" else batch
    if isinstance(batch, Mapping):
        return _remap(batch, {k: to_tensors(v) for k, v in batch.items()})
    if isinstance(batch, (tuple, list)):
        return _rebuild(batch, [to_tensors(b) for b in batch])
    return batch


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


class Fetcher:
    """Read the samples at a list of indices and collate them: one batch of arrays.

    A ``TensorDataset`` (or a ``Subset`` of one) with the default collation is batched by
    indexing its arrays with all of a batch's indices at once, which equals stacking its
    samples. Picklable, so worker processes run it too.
    """

    def __init__(
        self,
        dataset: Any,
        collate_fn: Callable[[Any], Any] | None,
        auto_collation: bool,
    ) -> None:
        self.dataset = dataset
        self.auto_collation = auto_collation
        default = default_collate if auto_collation else default_convert
        self.collate_fn = collate_fn if collate_fn is not None else default
        fast = auto_collation and collate_fn in (None, default_collate)
        self.source = _array_source(dataset) if fast else None

    def __call__(self, index: Any) -> Any:
        """The batch for ``index``: a list of indices, or one index without auto-collation."""
        if not self.auto_collation:
            return self.collate_fn(self.dataset[index])
        if self.source is not None:
            arrays, index_map = self.source
            rows = np.asarray(index, dtype=np.int64)
            rows = rows if index_map is None else index_map[rows]
            return tuple(a[rows] for a in arrays)
        return self.collate_fn([self.dataset[i] for i in index])
