"""Operations that move elements without changing them: reshape, permute, cat, pad and friends."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np

from lamina.autodiff.broadcast import broadcast_to, sum_to
from lamina.autodiff.function import Function
from lamina.autodiff.tensor import Tensor, TensorLike, as_tensor
from lamina.errors import ShapeError
from lamina.ops._shapes import normalize_dim, resolve_reshape, shape_arg
from lamina.ops.index import getitem

__all__ = [
    "broadcast_to",
    "cat",
    "chunk",
    "concatenate",
    "expand",
    "flatten",
    "pad",
    "permute",
    "reshape",
    "split",
    "squeeze",
    "stack",
    "sum_to",
    "transpose",
    "unsqueeze",
]


class Reshape(Function):
    """y = x with a new shape.  dx = g reshaped back."""

    def forward(ctx, x, shape):
        return x.reshape(shape)

    def backward(ctx, g):
        return reshape(g, ctx.input_shapes[0])


class Permute(Function):
    """y = x with its dimensions reordered.  dx = g with the inverse order."""

    def forward(ctx, x, dims):
        ctx.dims = dims
        return x.transpose(dims)

    def backward(ctx, g):
        return permute(g, tuple(np.argsort(ctx.dims)))


class Cat(Function):
    """y = the inputs joined along ``dim``.  Each input's gradient is its slice of g."""

    def forward(ctx, *xs, dim):
        ctx.dim = dim
        return np.concatenate(xs, axis=dim)

    def backward(ctx, g):
        bounds = np.cumsum([0] + [s[ctx.dim] for s in ctx.input_shapes])
        lead = (slice(None),) * ctx.dim
        spans = [(*lead, slice(int(a), int(b))) for a, b in itertools.pairwise(bounds)]
        return tuple(g[s] if needs else None for s, needs in zip(spans, ctx.needs_input_grad))


class Pad(Function):
    """y = x surrounded by a constant.  dx = the middle of g."""

    def forward(ctx, x, widths, value):
        ctx.widths = widths
        return np.pad(x, widths, constant_values=value)

    def backward(ctx, g):
        return g[tuple(slice(a, g.shape[i] - b) for i, (a, b) in enumerate(ctx.widths))]


def reshape(x: TensorLike, *shape: Any) -> Tensor:
    """Give ``x`` a new shape with the same number of elements (one entry may be -1)."""
    x = as_tensor(x)
    new = resolve_reshape("reshape", x.shape, shape_arg(shape))
    if new == x.shape:
        return x
    return Reshape.apply(x, shape=new)


def permute(x: TensorLike, *dims: Any) -> Tensor:
    """Reorder the dimensions of ``x`` (``dims`` is a permutation of ``range(x.ndim)``)."""
    x = as_tensor(x)
    order = tuple(normalize_dim("permute", d, x.ndim) for d in shape_arg(dims))
    if sorted(order) != list(range(x.ndim)):
        raise ShapeError(f"permute: {shape_arg(dims)} is not a permutation of {x.ndim} dims")
    return Permute.apply(x, dims=order)


def transpose(x: TensorLike, dim0: int, dim1: int) -> Tensor:
    """Swap two dimensions."""
    x = as_tensor(x)
    order = list(range(x.ndim))
    a, b = normalize_dim("transpose", dim0, x.ndim), normalize_dim("transpose", dim1, x.ndim)
    order[a], order[b] = order[b], order[a]
    return Permute.apply(x, dims=tuple(order))


def squeeze(x: TensorLike, dim: Any = None) -> Tensor:
    """Remove dimensions of size one (only ``dim`` when given, if it has size one)."""
    x = as_tensor(x)
    if dim is None:
        drop = {i for i, n in enumerate(x.shape) if n == 1}
    else:
        dims = (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim)
        drop = {normalize_dim("squeeze", d, x.ndim) for d in dims}
        drop = {d for d in drop if x.shape[d] == 1}
    return reshape(x, tuple(n for i, n in enumerate(x.shape) if i not in drop))


def unsqueeze(x: TensorLike, dim: int) -> Tensor:
    """Insert a dimension of size one at ``dim``."""
    x = as_tensor(x)
    d = normalize_dim("unsqueeze", dim, x.ndim + 1)
    return reshape(x, (*x.shape[:d], 1, *x.shape[d:]))


def flatten(x: TensorLike, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Merge dimensions ``start_dim`` to ``end_dim`` (inclusive) into one."""
    x = as_tensor(x)
    if x.ndim == 0:
        return reshape(x, (1,))
    a, b = normalize_dim("flatten", start_dim, x.ndim), normalize_dim("flatten", end_dim, x.ndim)
    if a > b:
        raise ShapeError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim}")
    return reshape(x, (*x.shape[:a], int(np.prod(x.shape[a : b + 1])), *x.shape[b + 1 :]))


def expand(x: TensorLike, *shape: Any) -> Tensor:
    """Broadcast ``x`` to ``shape`` without copying; -1 keeps a dimension as it is."""
    x = as_tensor(x)
    target = list(shape_arg(shape))
    lead = len(target) - x.ndim
    if lead < 0:
        raise ShapeError(f"expand: cannot expand {x.shape} to fewer dims {tuple(target)}")
    for i, n in enumerate(x.shape):
        if target[lead + i] == -1:
            target[lead + i] = n
        elif n not in (1, target[lead + i]):
            raise ShapeError(f"expand: cannot expand {x.shape} to {tuple(target)}")
    return broadcast_to(x, tuple(target))


def cat(tensors: Sequence[TensorLike], dim: int = 0) -> Tensor:
    """Join tensors along an existing dimension ``dim``."""
    ts = [as_tensor(t) for t in tensors]
    if not ts:
        raise ValueError("cat: expected a non-empty sequence of tensors")
    d = normalize_dim("cat", dim, ts[0].ndim)
    first = ts[0].shape
    for t in ts[1:]:
        if t.ndim != len(first) or any(
            a != b for i, (a, b) in enumerate(zip(t.shape, first)) if i != d
        ):
            raise ShapeError(f"cat: shapes {first} and {t.shape} differ outside dim {dim}")
    return Cat.apply(*ts, dim=d)


concatenate = cat  # NumPy's name


def stack(tensors: Sequence[TensorLike], dim: int = 0) -> Tensor:
    """Join tensors of equal shape along a new dimension ``dim``."""
    ts = [as_tensor(t) for t in tensors]
    if not ts:
        raise ValueError("stack: expected a non-empty sequence of tensors")
    for t in ts[1:]:
        if t.shape != ts[0].shape:
            raise ShapeError(
                f"stack: all tensors must have the same shape, got {ts[0].shape} and {t.shape}"
            )
    d = normalize_dim("stack", dim, ts[0].ndim + 1)
    return cat([unsqueeze(t, d) for t in ts], d)


def split(x: TensorLike, split_size_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
    """Cut ``x`` along ``dim`` into pieces of one size (the last may be smaller) or given sizes."""
    x = as_tensor(x)
    d = normalize_dim("split", dim, x.ndim)
    n = x.shape[d]
    if isinstance(split_size_or_sections, (int, np.integer)):
        if split_size_or_sections <= 0:
            raise ValueError(f"split: split_size must be positive, got {split_size_or_sections}")
        sizes = [min(split_size_or_sections, n - s) for s in range(0, n, split_size_or_sections)]
    else:
        sizes = [int(s) for s in split_size_or_sections]
        if sum(sizes) != n:
            raise ShapeError(f"split: sections {sizes} sum to {sum(sizes)}, but dim {dim} has {n}")
    lead = (slice(None),) * d
    starts = np.cumsum([0, *sizes])
    spans = [(*lead, slice(int(a), int(b))) for a, b in itertools.pairwise(starts)]
    return tuple(x[s] for s in spans)


def chunk(x: TensorLike, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
    """Cut ``x`` into ``chunks`` nearly equal pieces along ``dim`` (PyTorch's rule)."""
    x = as_tensor(x)
    n = x.shape[normalize_dim("chunk", dim, x.ndim)]
    return split(x, max(1, -(-n // chunks)), dim)


_PAD_MODES = ("constant", "reflect", "replicate", "circular")


def _pad_source(mode: str, n: int, before: int, after: int) -> np.ndarray:
    """For each position of the padded dim, the input position it copies (i = j - before).

    reflect: -i before the start, 2*(n - 1) - i past the end (the edge is not repeated);
    replicate: i clipped to [0, n - 1]; circular: i mod n.
    """
    i = np.arange(-before, n + after)
    if mode == "reflect":
        i = np.abs(i)
        return np.where(i > n - 1, 2 * (n - 1) - i, i)
    if mode == "replicate":
        return np.clip(i, 0, n - 1)
    return i % n


def pad(
    x: TensorLike, pad: Sequence[int], mode: str = "constant", value: float | None = None
) -> Tensor:
    """Pad the trailing dims; ``pad`` lists (before, after) pairs from the last dim backwards.

    mode "constant" fills with ``value`` (0 by default); "reflect" mirrors the input about
    its edge (x[1], x[0] | x[0], x[1], ...), "replicate" repeats the edge value, "circular"
    wraps around. The non-constant modes gather input positions with ``getitem``, so their
    gradient sums over every copy of an element (and is differentiable again).
    """
    x = as_tensor(x)
    if mode not in _PAD_MODES:
        choices = ", ".join(repr(m) for m in _PAD_MODES)
        raise ValueError(f"pad: mode must be one of {choices}, got {mode!r}")
    if len(pad) % 2 or len(pad) // 2 > x.ndim:
        raise ShapeError(f"pad: expected pairs for at most {x.ndim} dims, got {tuple(pad)}")
    if any(p < 0 for p in pad):
        raise ValueError(f"pad: negative padding {tuple(pad)} is not supported")
    pairs = [(0, 0)] * (x.ndim - len(pad) // 2)
    pairs += [(int(pad[i]), int(pad[i + 1])) for i in range(len(pad) - 2, -1, -2)]
    if mode == "constant":
        return Pad.apply(x, widths=tuple(pairs), value=0.0 if value is None else value)
    if value not in (None, 0, 0.0):
        raise ValueError(f"pad: value is only used with mode='constant', got mode={mode!r}")
    for d, (a, b) in enumerate(pairs):
        if a == b == 0:
            continue
        n = x.shape[d]
        # reflect needs a mirror image of every padded position, circular at most one wrap
        limit = {"reflect": n - 1, "circular": n}.get(mode, a + b)
        if a > limit or b > limit or n == 0:
            relation = "less than" if mode == "reflect" else "at most"
            raise ShapeError(
                f"pad: {mode} padding must be {relation} the size of the dim it pads, got "
                f"padding {(a, b)} for dim {d} of size {n} (input {x.shape})"
            )
        x = getitem(x, (*(slice(None),) * d, _pad_source(mode, n, a, b)))
    return x
