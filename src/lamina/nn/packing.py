"""Variable-length batches in PyTorch's vocabulary: ``pack_padded_sequence`` and friends.

lamina does not interleave the steps the way PyTorch's packed data does: a ``PackedSequence``
here keeps the padded, time-major tensor together with the lengths, and the recurrent layers
mask the padded steps (they neither change the state nor reach the output). Code written
for PyTorch (pack, run the RNN, unpack) runs unchanged and gives the same numbers.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from lamina.autodiff.tensor import Tensor
from lamina.errors import ShapeError
from lamina.ops.shape import pad

__all__ = ["PackedSequence", "pack_padded_sequence", "pad_packed_sequence"]


class PackedSequence(NamedTuple):
    """A padded batch and its lengths.

    Attributes
    ----------
    data : Tensor (L, N, *)
        Time-major; L is the longest length.
    lengths : ndarray (N,)
        The real length of each sequence, in the batch's order.
    """

    data: Tensor
    lengths: np.ndarray


def check_lengths(owner: str, lengths: Any, batch: int, steps: int) -> np.ndarray:
    """The lengths as an int64 array, checked: one per sequence, each in [1, steps]."""
    n = np.asarray(getattr(lengths, "data", lengths))
    if n.shape != (batch,) or n.dtype.kind not in "iu":
        raise ShapeError(f"{owner}: expected lengths of {batch} integers, got shape {n.shape}")
    if batch and (n.min() < 1 or n.max() > steps):
        raise ValueError(f"{owner}: lengths must lie in [1, {steps}], got {n.tolist()}")
    return n.astype(np.int64)


def pack_padded_sequence(
    input: Tensor, lengths: Any, batch_first: bool = False, enforce_sorted: bool = True
) -> PackedSequence:
    """Pair a padded batch (L, N, *) ((N, L, *) with ``batch_first``) with its lengths.

    With ``enforce_sorted`` the lengths must be in decreasing order, as PyTorch demands; with
    ``enforce_sorted=False`` any order is accepted (lamina never needs to sort).
    """
    if input.ndim < 2:
        raise ShapeError(f"pack_padded_sequence: expected input (L, N, *), got {input.shape}")
    data = input.transpose(0, 1) if batch_first else input
    n = check_lengths("pack_padded_sequence", lengths, data.shape[1], data.shape[0])
    if enforce_sorted and np.any(np.diff(n) > 0):
        raise ValueError(
            f"pack_padded_sequence: lengths must be sorted in decreasing order, got "
            f"{n.tolist()}; pass enforce_sorted=False for any order"
        )
    return PackedSequence(data[: int(n.max())], n)


def pad_packed_sequence(
    sequence: PackedSequence,
    batch_first: bool = False,
    padding_value: float = 0.0,
    total_length: int | None = None,
) -> tuple[Tensor, np.ndarray]:
    """The padded tensor and the lengths back; padded steps hold ``padding_value``."""
    data, n = sequence
    steps = data.shape[0]
    mask = np.arange(steps)[:, None] < n[None, :]
    mask = mask.reshape(mask.shape + (1,) * (data.ndim - 2))
    out = data * Tensor._wrap(mask.astype(data.dtype))
    if padding_value:
        out = out + Tensor._wrap((~mask * padding_value).astype(data.dtype))
    if total_length is not None:
        if total_length < steps:
            raise ValueError(
                f"pad_packed_sequence: total_length {total_length} is shorter than the "
                f"longest sequence, {steps}"
            )
        widths = [0, 0] * (data.ndim - 1) + [0, total_length - steps]
        out = pad(out, widths, value=padding_value)
    return (out.transpose(0, 1) if batch_first else out), n
