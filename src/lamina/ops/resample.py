"""Resizing feature maps: ``interpolate`` (nearest and (bi)linear), PyTorch's index rules.

Each spatial dim is resampled on its own (bilinear is linear along H, then along W) by
gathering input positions with ``getitem``, so gradients scatter back through index_add
and second derivatives come free.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from lamina.autodiff.tensor import Tensor, TensorLike, as_tensor
from lamina.errors import ShapeError, owner_name
from lamina.ops.index import getitem

__all__ = ["interpolate"]

_MODES = {"nearest": (3, 4), "linear": (3,), "bilinear": (4,)}


def _per_dim(name: str, value: Any, n: int) -> tuple[Any, ...]:
    values = tuple(value) if isinstance(value, Sequence) else (value,) * n
    if len(values) != n:
        raise ShapeError(f"interpolate: {name} must be one value or {n}, got {value!r}")
    return values


def _source_scale(size_in: int, size_out: int, scale: float | None, align_corners: bool) -> float:
    """PyTorch's step between source positions of neighbouring outputs.

    align_corners maps the corner pixels' centres onto each other: (in - 1) / (out - 1).
    Otherwise 1 / scale_factor when one was given, else in / out.
    """
    if align_corners:
        return (size_in - 1) / (size_out - 1) if size_out > 1 else 0.0
    return 1.0 / scale if scale is not None else size_in / size_out


def _along(x: Tensor, d: int, index: np.ndarray) -> Tensor:
    return getitem(x, (*(slice(None),) * d, index))


def _nearest(x: Tensor, d: int, size_out: int, step: float) -> Tensor:
    """y[j] = x[min(floor(j * step), in - 1)], in float32 arithmetic as PyTorch's kernel."""
    src = np.floor(np.arange(size_out, dtype=np.float32) * np.float32(step)).astype(np.int64)
    return _along(x, d, np.minimum(src, x.shape[d] - 1))


def _linear(x: Tensor, d: int, size_out: int, step: float, align_corners: bool) -> Tensor:
    """y[j] = (1 - l) * x[i0] + l * x[i1] at source s = j * step (align_corners) or
    (j + 0.5) * step - 0.5 clamped at 0; i0 = floor(s), i1 = min(i0 + 1, in - 1), l = s - i0.
    """
    j = np.arange(size_out, dtype=x.dtype)
    s = j * x.dtype.type(step) if align_corners else (j + 0.5) * x.dtype.type(step) - 0.5
    s = np.maximum(s, 0).astype(x.dtype)
    i0 = np.minimum(np.floor(s).astype(np.int64), x.shape[d] - 1)
    i1 = np.minimum(i0 + 1, x.shape[d] - 1)
    lam = (s - i0).astype(x.dtype).reshape((-1,) + (1,) * (x.ndim - d - 1))
    w1 = Tensor._wrap(lam)
    return _along(x, d, i0) * (1 - w1) + _along(x, d, i1) * w1


def check_size_or_scale(owner: Any, size: Any, scale_factor: Any) -> None:
    """Raise ValueError unless exactly one of ``size`` and ``scale_factor`` is given."""
    if (size is None) == (scale_factor is None):
        raise ValueError(f"{owner_name(owner)}: give exactly one of size and scale_factor")


def interpolate(
    input: TensorLike,
    size: int | Sequence[int] | None = None,
    scale_factor: float | Sequence[float] | None = None,
    mode: str = "nearest",
    align_corners: bool | None = None,
    recompute_scale_factor: bool | None = None,
) -> Tensor:
    """Resize the spatial dims of (N, C, L) or (N, C, H, W) to ``size`` or by ``scale_factor``.

    out = size, or floor(in * scale_factor). "nearest" copies x[floor(j * in_per_out)];
    "linear" (3-D) and "bilinear" (4-D) blend the two nearest inputs with weights from the
    source position, as PyTorch's modes of the same name (align_corners as in PyTorch).

    Raises
    ------
    ValueError
        Neither or both of size and scale_factor, an unknown mode, align_corners with nearest.
    ShapeError
        An input of a rank the mode does not take.
    """
    x = as_tensor(input)
    if mode not in _MODES:
        raise ValueError(f"interpolate: mode must be one of {', '.join(_MODES)}, got {mode!r}")
    if x.ndim not in _MODES[mode]:
        ranks = " or ".join(f"{r}-D" for r in _MODES[mode])
        raise ShapeError(f"interpolate: mode {mode!r} expects a {ranks} input, got {x.shape}")
    check_size_or_scale("interpolate", size, scale_factor)
    if align_corners is not None and mode == "nearest":
        raise ValueError("interpolate: align_corners can only be set with mode linear or bilinear")
    n = x.ndim - 2
    if size is not None:
        sizes = tuple(int(s) for s in _per_dim("size", size, n))
        scales: tuple[float | None, ...] = (None,) * n
    else:
        factors = tuple(float(s) for s in _per_dim("scale_factor", scale_factor, n))
        sizes = tuple(int(np.floor(x.shape[2 + i] * s)) for i, s in enumerate(factors))
        scales = (None,) * n if recompute_scale_factor else factors
    if any(s <= 0 for s in sizes):
        raise ShapeError(f"interpolate: output size {sizes} must be positive (input {x.shape})")
    for i, (out, scale) in enumerate(zip(sizes, scales)):
        d, corners = 2 + i, bool(align_corners)
        step = _source_scale(x.shape[d], out, scale, corners)
        x = _nearest(x, d, out, step) if mode == "nearest" else _linear(x, d, out, step, corners)
    return x
