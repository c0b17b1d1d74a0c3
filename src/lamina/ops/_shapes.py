"""Shape arithmetic shared by forward, backward, layers and their error checks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from lamina.errors import ShapeError

__all__ = [
    "broadcast_shape",
    "check_same_shape",
    "normalize_dim",
    "normalize_dims",
    "reduce_args",
    "resolve_reshape",
    "shape_arg",
]


def broadcast_shape(owner: str, *shapes: tuple[int, ...]) -> tuple[int, ...]:
    """The broadcast of ``shapes``, or a ShapeError naming ``owner`` and every shape."""
    try:
        return tuple(np.broadcast_shapes(*shapes))
    except ValueError:
        listed = " and ".join(str(tuple(s)) for s in shapes)
        raise ShapeError(f"{owner}: shapes {listed} cannot be broadcast together") from None


def check_same_shape(owner: str, a: tuple[int, ...], b: tuple[int, ...], what: str) -> None:
    """Raise ShapeError unless two shapes are equal."""
    if tuple(a) != tuple(b):
        raise ShapeError(f"{owner}: {what} must have the same shape, got {tuple(a)} and {tuple(b)}")


def normalize_dim(owner: str, dim: int, ndim: int) -> int:
    """Turn a possibly negative ``dim`` into an index in ``[0, ndim)``."""
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
        raise TypeError(f"{owner}: dim must be an integer, got {dim!r}")
    if not -ndim <= dim < max(ndim, 1):
        raise ShapeError(f"{owner}: dim {dim} is out of range for a tensor with {ndim} dims")
    return int(dim) % max(ndim, 1)


def normalize_dims(owner: str, dim: Any, ndim: int) -> tuple[int, ...] | None:
    """Normalize ``dim`` (None, int or a sequence of ints) to a sorted tuple, None meaning all."""
    if dim is None:
        return None
    dims = (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim)
    out = tuple(sorted(normalize_dim(owner, d, ndim) for d in dims))
    if len(set(out)) != len(out):
        raise ShapeError(f"{owner}: dim {dim} names a dimension twice")
    return out


def reduce_args(
    owner: str, ndim: int, dim: Any, keepdim: bool, numpy_names: dict[str, Any]
) -> tuple[tuple[int, ...] | None, bool]:
    """Read PyTorch's ``dim``/``keepdim`` or NumPy's ``axis``/``keepdims`` for a reduction."""
    if numpy_names:
        unknown = set(numpy_names) - {"axis", "keepdims"}
        if unknown:
            raise TypeError(f"{owner}: unexpected argument {sorted(unknown)[0]!r}")
        dim = numpy_names.get("axis", dim)
        keepdim = numpy_names.get("keepdims", keepdim)
    return normalize_dims(owner, dim, ndim), bool(keepdim)


def kept_shape(shape: tuple[int, ...], dims: tuple[int, ...] | None) -> tuple[int, ...]:
    """The shape of a reduction with ``keepdims=True`` over ``dims`` (None meaning all)."""
    if dims is None:
        return (1,) * len(shape)
    return tuple(1 if i in dims else n for i, n in enumerate(shape))


def shape_arg(shape: Sequence[Any]) -> tuple[int, ...]:
    """Accept ``f(2, 3)`` and ``f((2, 3))`` alike."""
    if len(shape) == 1 and not isinstance(shape[0], (int, np.integer)):
        return tuple(int(s) for s in shape[0])
    return tuple(int(s) for s in shape)


def resolve_reshape(owner: str, shape: tuple[int, ...], target: tuple[int, ...]) -> tuple[int, ...]:
    """The shape ``target`` means for an array of ``shape`` (one -1 is inferred)."""
    size = int(np.prod(shape))
    known = int(np.prod([n for n in target if n != -1]))
    free = target.count(-1)
    if free > 1 or any(n < -1 for n in target):
        raise ShapeError(f"{owner}: invalid shape {target}")
    if free:
        if known == 0 or size % known:
            raise ShapeError(f"{owner}: cannot reshape {shape} ({size} elements) into {target}")
        target = tuple(size // known if n == -1 else n for n in target)
    elif known != size:
        raise ShapeError(f"{owner}: cannot reshape {shape} ({size} elements) into {target}")
    return target
