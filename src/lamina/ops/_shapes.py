"""Shape arithmetic shared by forward, backward, layers and their error checks."""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Any

import numpy as np

from lamina.errors import ShapeError, owner_name

__all__ = [
    "broadcast_shape",
    "check_layout",
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


def shape_arg(shape: Sequence[Any], owner: str | None = None) -> tuple[int, ...]:
    """Accept ``f(2, 3)`` and ``f((2, 3))`` alike.

    With an ``owner`` (a factory such as ``zeros``) every size must be an integer >= 0: a
    float such as 2.5 raises TypeError and a negative size ValueError, naming the owner,
    the bad size and the whole shape. Integer one-element tensors count as integers.
    """
    if owner is None:
        if len(shape) == 1 and not isinstance(shape[0], (int, np.integer)):
            return tuple(int(s) for s in shape[0])
        return tuple(int(s) for s in shape)
    sizes = shape[0] if len(shape) == 1 and isinstance(shape[0], (Sequence, np.ndarray)) else shape
    out = []
    for s in sizes:
        try:
            n = operator.index(s)
        except TypeError:
            raise TypeError(
                f"{owner}: size must be a tuple of ints, got {type(s).__name__} {s!r} in "
                f"{tuple(sizes)!r}"
            ) from None
        if n < 0:
            raise ValueError(f"{owner}: sizes must be non-negative, got {n} in {tuple(sizes)!r}")
        out.append(n)
    return tuple(out)


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


# ---------------------------------------------------------------- convolution and pooling


def check_same_dtype(owner: Any, x: Any, **params: Any) -> None:
    """Raise TypeError unless every given parameter (None is skipped) has ``x``'s dtype.

    PyTorch's CPU kernels refuse mixed dtypes ("all inputs must share same datatype"); lamina
    refuses them in every layer alike rather than promoting silently in some.
    """
    for what, p in params.items():
        if p is not None and getattr(p, "dtype", x.dtype) != x.dtype:
            raise TypeError(
                f"{owner_name(owner)}: input and {what} must share a dtype, got {x.dtype} and "
                f"{p.dtype}"
            )


def check_layout(
    owner: Any,
    shape: tuple[int, ...],
    layouts: Sequence[Sequence[str]],
    channels: int | None = None,
    note: str = "",
) -> Sequence[str]:
    """The first of ``layouts`` that ``shape`` fits, or a ShapeError listing them all.

    A layout names the dims, e.g. ("N", "C", "H", "W"): "C" is the channel dim, which must
    have ``channels`` elements when that is given, "*" (last) stands for any number of
    trailing dims, any other name for one dim of any size. The error reads
    ``owner: expected input (N, 3, H, W) or (3, H, W), got (8, 1, 28, 28)``, then ``note``.
    """
    for names in layouts:
        fixed = len(names) - ("*" in names)
        fits = len(shape) == fixed or ("*" in names and len(shape) > fixed)
        if fits and (channels is None or "C" not in names or shape[names.index("C")] == channels):
            return names
    shown = " or ".join(
        "("
        + ", ".join(str(channels) if n == "C" and channels is not None else n for n in names)
        + ")"
        for names in layouts
    )
    raise ShapeError(f"{owner_name(owner)}: expected input {shown}, got {tuple(shape)}{note}")


def ntuple(owner: Any, name: str, value: Any, n: int, minimum: int = 1) -> tuple[int, ...]:
    """Read an int or a length-``n`` sequence of ints (kernel_size, stride, ...) as a tuple."""
    try:
        values = (value,) * n if isinstance(value, (int, np.integer)) else tuple(value)
    except TypeError:  # neither an int nor a sequence
        values = ()
    if len(values) != n or any(
        isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < minimum for v in values
    ):
        bound = "positive" if minimum == 1 else f">= {minimum}"
        who = owner_name(owner)
        raise ValueError(f"{who}: {name} must be a {bound} int or {n} of them, got {value!r}")
    return tuple(int(v) for v in values)


def same_padding(kernel: int, dilation: int) -> tuple[int, int]:
    """Padding (before, after) that keeps the size at stride 1; the odd extra goes after.

    The kernel spans d*(k - 1) + 1 positions, so d*(k - 1) zeros are needed in all; PyTorch
    puts the larger half at the end (right or bottom) when that number is odd.
    """
    total = dilation * (kernel - 1)
    return total // 2, total - total // 2


def conv_output_size(
    owner: Any, size: int, kernel: int, stride: int, pad: tuple[int, int], dilation: int, dim: str
) -> int:
    """floor((size + pad_before + pad_after - dilation*(kernel - 1) - 1) / stride) + 1.

    An output that would be empty raises ShapeError saying which argument makes it so.
    """
    padded, span = size + pad[0] + pad[1], dilation * (kernel - 1) + 1
    if padded < span:
        cause = "kernel_size" if kernel > padded else "dilation"
        who = owner_name(owner)
        raise ShapeError(
            f"{who}: output {dim} would be {(padded - span) // stride + 1}: the {cause} is too "
            f"large, a kernel of {kernel} with dilation {dilation} spans {span} positions but "
            f"the input {dim} {size} with padding {pad} has only {padded}"
        )
    return (padded - span) // stride + 1


def conv_transpose_output_size(
    owner: Any,
    size: int,
    kernel: int,
    stride: int,
    padding: int,
    dilation: int,
    output_padding: int,
    dim: str,
) -> int:
    """(size - 1)*stride - 2*padding + dilation*(kernel - 1) + output_padding + 1."""
    out = (size - 1) * stride - 2 * padding + dilation * (kernel - 1) + output_padding + 1
    if out <= 0:
        who = owner_name(owner)
        raise ShapeError(
            f"{who}: output {dim} would be {out} = ({size} - 1)*stride {stride} - 2*padding "
            f"{padding} + dilation {dilation}*(kernel_size {kernel} - 1) + output_padding "
            f"{output_padding} + 1: the padding is too large"
        )
    return out


def check_pool_padding(owner: Any, kernel: int, padding: int, dilation: int) -> int:
    """The span dilation*(kernel - 1) + 1 of a pooling window; ValueError if padding > span/2."""
    span = dilation * (kernel - 1) + 1
    if 2 * padding > span:
        raise ValueError(
            f"{owner_name(owner)}: padding {padding} must be at most half of the kernel_size "
            f"{kernel} (dilated span {span})"
        )
    return span


def pool_output_size(
    owner: Any,
    size: int,
    kernel: int,
    stride: int,
    padding: int,
    dilation: int,
    ceil_mode: bool,
    dim: str,
) -> tuple[int, int]:
    """PyTorch's pooling size and the extra padding after the input that ceil_mode needs.

    out = floor_or_ceil((size + 2*padding - dilation*(kernel - 1) - 1) / stride) + 1, and in
    ceil mode the last window must still start inside the input or the left padding.
    """
    span = check_pool_padding(owner, kernel, padding, dilation)
    room = size + 2 * padding - span
    out = (room + (stride - 1 if ceil_mode else 0)) // stride + 1 if room >= 0 else 0
    if ceil_mode and out > 0 and (out - 1) * stride >= size + padding:
        out -= 1
    if out <= 0:
        who = owner_name(owner)
        raise ShapeError(
            f"{who}: output {dim} would be {out}: the kernel_size {kernel} with dilation "
            f"{dilation} spans {span} positions but the input {dim} {size} with padding "
            f"{padding} on each side has only {size + 2 * padding}"
        )
    extra = max(0, (out - 1) * stride + span - (size + 2 * padding))
    return out, extra
