"""Convolutions: conv1d, conv2d and conv_transpose2d as contractions over a view of windows.

Three Functions are the adjoints of one another and close the set under differentiation, so
gradients of gradients work:

    Conv(x, w)            y = w (*) x                  (cross-correlation, what CNNs call conv)
    ConvInputGrad(g, w)   dx = w^T (*) g               (the transposed convolution)
    ConvWeightGrad(x, g)  dw = g (*) x                 (correlation of input and output grads)

Each is bilinear, so each one's backward is a call of the other two. The windows of x are a
strided view (C, kh, kw, N, Ho, Wo) with no copy (``ops._windows``); the fast path, an im2col
matrix in a reused buffer and one BLAS product, is the NumPy kernel (``lamina.kernels``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lamina.autodiff.function import Function
from lamina.autodiff.tensor import Tensor, TensorLike, as_tensor
from lamina.errors import ShapeError, owner_name
from lamina.ops._shapes import (
    check_layout,
    conv_output_size,
    conv_transpose_output_size,
    ntuple,
    same_padding,
)
from lamina.ops._windows import Geometry, col2im, padded, windows
from lamina.ops.reduce import sum
from lamina.ops.shape import reshape, unsqueeze

__all__ = ["Geometry", "conv1d", "conv2d", "conv_transpose1d", "conv_transpose2d"]


def _split(a: np.ndarray, groups: int, axis: int = 0) -> list[np.ndarray]:
    return np.split(a, groups, axis=axis) if groups > 1 else [a]


def _correlate(x: np.ndarray, w: np.ndarray, geom: Geometry) -> np.ndarray:
    """y[n, o, p, q] = sum_c,i,j w[o, c, i, j] * window (p, q) of x_pad[n, c] at (i, j),
    one tensor contraction per group over the strided view of every window."""
    view = windows(padded(x, geom), geom, "cols")  # (C, kh, kw, N, Ho, Wo), no copy
    parts = [
        np.tensordot(wk, vk, axes=3)  # (O/G, N, Ho, Wo)
        for wk, vk in zip(_split(w, geom.groups), _split(view, geom.groups))
    ]
    return np.concatenate(parts).transpose(1, 0, 2, 3)


class Conv(Function):
    """y[n, o] = sum_c,i,j w[o, c, i, j] * x_pad[n, c, p*s + i*d, q*s + j*d] (+ b[o]).

    dx = ConvInputGrad(g, w), dw = ConvWeightGrad(x, g), db = sum of g over N, H, W.
    """

    def forward(ctx, x, w, *bias, geom):
        ctx.geom = geom
        y = _correlate(x, w, geom)
        return y + bias[0][:, None, None] if bias else y

    def backward(ctx, g):
        x, w = ctx.inputs[:2]
        needs, geom = ctx.needs_input_grad, ctx.geom
        dx = ConvInputGrad.apply(g, w, geom=geom) if needs[0] else None
        dw = ConvWeightGrad.apply(x, g, geom=geom) if needs[1] else None
        db = sum(g, (0, 2, 3)) if len(needs) == 3 and needs[2] else None
        return dx, dw, db


class ConvInputGrad(Function):
    """dx = the transposed convolution of g with w: each g[n, o, p, q] * w[o] is added back
    onto the window (p, q) of x.  d(g) = Conv(h, w), d(w) = ConvWeightGrad(h, g)."""

    def forward(ctx, g, w, geom):
        ctx.geom = geom
        parts = [  # cols[c, i, j, n, p, q] = sum_o w[o, c, i, j] * g[n, o, p, q]
            np.tensordot(wk, gk, axes=([0], [1]))
            for wk, gk in zip(_split(w, geom.groups), _split(g, geom.groups, 1))
        ]
        return col2im(np.concatenate(parts), geom, g.shape[0])

    def backward(ctx, h):
        g, w = ctx.inputs
        needs, geom = ctx.needs_input_grad, ctx.geom
        dg = Conv.apply(h, w, geom=geom) if needs[0] else None
        dw = ConvWeightGrad.apply(h, g, geom=geom) if needs[1] else None
        return dg, dw


class ConvWeightGrad(Function):
    """dw[o, c, i, j] = sum_n,p,q g[n, o, p, q] * x_pad[n, c, p*s + i*d, q*s + j*d].

    d(x) = ConvInputGrad(g, k), d(g) = Conv(x, k) for an upstream gradient k shaped like w.
    """

    def forward(ctx, x, g, geom):
        ctx.geom = geom
        view = windows(padded(x, geom), geom, "cols")  # (C, kh, kw, N, Ho, Wo)
        parts = [
            np.tensordot(gk, vk, axes=([0, 2, 3], [3, 4, 5]))  # (O/G, C/G, kh, kw)
            for gk, vk in zip(_split(g, geom.groups, 1), _split(view, geom.groups))
        ]
        return np.concatenate(parts)

    def backward(ctx, k):
        x, g = ctx.inputs
        needs, geom = ctx.needs_input_grad, ctx.geom
        dx = ConvInputGrad.apply(g, k, geom=geom) if needs[0] else None
        dg = Conv.apply(x, k, geom=geom) if needs[1] else None
        return dx, dg


# ---------------------------------------------------------------- public functions


_LAYOUTS = {
    1: (("N", "C", "L"), ("C", "L")),
    2: (("N", "C", "H", "W"), ("C", "H", "W")),
}


def _check_operands(
    owner: Any, x: Tensor, w: Tensor, b: Tensor | None, dims: int, groups: int, transposed: bool
) -> None:
    """Shapes and dtypes of input, weight and bias, checked before any arithmetic.

    A layer owner's repr already states its channels and groups; a function's message adds
    the weight shape and groups the expected channels come from.
    """
    name = owner_name(owner)
    if w.ndim != dims + 2:
        raise ShapeError(f"{name}: weight must have {dims + 2} dims, got {w.shape}")
    if isinstance(groups, bool) or not isinstance(groups, (int, np.integer)) or groups < 1:
        raise ValueError(f"{name}: groups must be a positive integer, got {groups!r}")
    in_ch = w.shape[0] if transposed else w.shape[1] * groups
    out_ch = w.shape[1] * groups if transposed else w.shape[0]
    note = f" (weight {w.shape}, groups={groups})" if isinstance(owner, str) else ""
    check_layout(owner, x.shape, _LAYOUTS[dims], in_ch, note)
    if (w.shape[0] if not transposed else in_ch) % groups:
        raise ValueError(f"{name}: {w.shape[0]} channels do not split into {groups} groups")
    if b is not None and b.shape != (out_ch,):
        raise ShapeError(f"{name}: bias must have shape ({out_ch},), got {b.shape}")
    for what, t in (("weight", w), ("bias", b)):
        if t is not None and t.dtype != x.dtype:
            raise TypeError(f"{name}: {what} dtype {t.dtype} differs from input {x.dtype}")


def conv_padding(
    owner: Any, padding: Any, kernel: tuple, dilation: tuple, stride: tuple
) -> tuple[tuple[int, int], ...]:
    """Padding as int, tuple, "valid" or "same" turned into (before, after) per dim."""
    n, name = len(kernel), owner_name(owner)
    if padding == "valid":
        pairs = [(0, 0)] * n
    elif padding == "same":
        if any(s != 1 for s in stride):
            raise ValueError(f"{name}: padding='same' needs stride 1, got stride {stride}")
        pairs = [same_padding(k, d) for k, d in zip(kernel, dilation)]
    elif isinstance(padding, str):
        raise ValueError(f"{name}: padding must be 'same', 'valid', an int or {n} ints")
    else:
        pairs = [(p, p) for p in ntuple(owner, "padding", padding, n, minimum=0)]
    return tuple(pairs)


def _geometry(
    owner: Any, x: Tensor, w: Tensor, stride: Any, padding: Any, dilation: Any, groups: int
) -> Geometry:
    kernel = tuple(w.shape[2:])
    st, dl = ntuple(owner, "stride", stride, 2), ntuple(owner, "dilation", dilation, 2)
    pads = conv_padding(owner, padding, kernel, dl, st)
    out = tuple(
        conv_output_size(owner, x.shape[2 + a], kernel[a], st[a], pads[a], dl[a], "HW"[a])
        for a in range(2)
    )
    # Geometry's fields are 2-tuples; tuple() over the two spatial dims is typed as any length
    return Geometry(tuple(x.shape[2:]), out, kernel, st, dl, pads, groups)  # type: ignore[arg-type]


def conv2d(
    input: TensorLike,
    weight: TensorLike,
    bias: TensorLike | None = None,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
) -> Tensor:
    """2-d cross-correlation, as ``torch.nn.functional.conv2d``.

    y[n, o, p, q] = b[o] + sum_{c in group(o), i, j} w[o, c, i, j] * x_pad[n, c, p*s_h + i*d_h,
    q*s_w + j*d_w];  H_out = floor((H + pad_h - d_h*(k_h - 1) - 1) / s_h) + 1.

    Parameters
    ----------
    input : Tensor (N, C_in, H, W) or (C_in, H, W)
    weight : Tensor (C_out, C_in / groups, k_h, k_w)
    bias : Tensor (C_out,), optional
    stride, dilation : int or (int, int)
    padding : int, (int, int), "valid" or "same" (stride 1 only; odd extra zero at the end)
    groups : int
        C_in and C_out both split into ``groups`` blocks; groups == C_in is depthwise.
    """
    return _conv2d("conv2d", input, weight, bias, stride, padding, dilation, groups)


def _conv2d(
    owner: Any,
    input: TensorLike,
    weight: TensorLike,
    bias: TensorLike | None,
    stride: Any,
    padding: Any,
    dilation: Any,
    groups: int,
) -> Tensor:
    """``conv2d`` with errors naming ``owner`` (a function name or the calling layer)."""
    x, w = as_tensor(input), as_tensor(weight)
    b = None if bias is None else as_tensor(bias)
    _check_operands(owner, x, w, b, 2, groups, transposed=False)
    if x.ndim == 3:
        return _conv2d(owner, unsqueeze(x, 0), w, b, stride, padding, dilation, groups)[0]
    geom = _geometry(owner, x, w, stride, padding, dilation, groups)
    return Conv.apply(x, w, *([] if b is None else [b]), geom=geom)


def conv1d(
    input: TensorLike,
    weight: TensorLike,
    bias: TensorLike | None = None,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
) -> Tensor:
    """1-d cross-correlation over (N, C_in, L) with weight (C_out, C_in / groups, k).

    Computed as conv2d on a height of one: y[n, o, p] = b[o] + sum_c,i w[o, c, i] *
    x_pad[n, c, p*s + i*d].
    """
    return _conv1d("conv1d", input, weight, bias, stride, padding, dilation, groups)


def _conv1d(
    owner: Any,
    input: TensorLike,
    weight: TensorLike,
    bias: TensorLike | None,
    stride: Any,
    padding: Any,
    dilation: Any,
    groups: int,
) -> Tensor:
    """``conv1d`` with errors naming ``owner`` (a function name or the calling layer)."""
    x, w = as_tensor(input), as_tensor(weight)
    b = None if bias is None else as_tensor(bias)
    _check_operands(owner, x, w, b, 1, groups, transposed=False)
    if x.ndim == 2:
        return _conv1d(owner, unsqueeze(x, 0), w, b, stride, padding, dilation, groups)[0]
    (s,), (d,) = ntuple(owner, "stride", stride, 1), ntuple(owner, "dilation", dilation, 1)
    pad = padding if isinstance(padding, str) else ntuple(owner, "padding", padding, 1, 0)[0]
    ((pa, pb),) = conv_padding(owner, pad, (w.shape[2],), (d,), (s,))
    out = conv_output_size(owner, x.shape[2], w.shape[2], s, (pa, pb), d, "L")
    geom = Geometry(
        (1, x.shape[2]), (1, out), (1, w.shape[2]), (1, s), (1, d), ((0, 0), (pa, pb)), groups
    )
    x4, w4 = unsqueeze(x, 2), unsqueeze(w, 2)
    y = Conv.apply(x4, w4, *([] if b is None else [b]), geom=geom)
    return reshape(y, (x.shape[0], w.shape[0], out))


def conv_transpose2d(
    input: TensorLike,
    weight: TensorLike,
    bias: TensorLike | None = None,
    stride: Any = 1,
    padding: Any = 0,
    output_padding: Any = 0,
    groups: int = 1,
    dilation: Any = 1,
) -> Tensor:
    """2-d transposed convolution, as ``torch.nn.functional.conv_transpose2d``.

    The adjoint of conv2d: every input pixel x[n, c, p, q] adds x * w[c, o, i, j] at
    (p*s + i*d - pad, q*s + j*d - pad) of the output.
    H_out = (H - 1)*s - 2*pad + d*(k - 1) + output_padding + 1.

    Parameters
    ----------
    input : Tensor (N, C_in, H, W) or (C_in, H, W)
    weight : Tensor (C_in, C_out / groups, k_h, k_w)
    bias : Tensor (C_out,), optional
    output_padding : int or (int, int)
        Extra rows/columns at the end; each must be smaller than the stride or the dilation.
    """
    return _conv_transpose2d(
        "conv_transpose2d", input, weight, bias, stride, padding, output_padding, groups, dilation
    )


def _conv_transpose2d(
    owner: Any,
    input: TensorLike,
    weight: TensorLike,
    bias: TensorLike | None,
    stride: Any,
    padding: Any,
    output_padding: Any,
    groups: int,
    dilation: Any,
    output_size: Any = None,
) -> Tensor:
    """``conv_transpose2d`` with errors naming ``owner``.

    ``output_size`` (the layer's forward argument, PyTorch's way to pick among the sizes a
    stride allows) replaces output_padding by output_size - the smallest size.
    """
    x, w = as_tensor(input), as_tensor(weight)
    b = None if bias is None else as_tensor(bias)
    _check_operands(owner, x, w, b, 2, groups, transposed=True)
    if x.ndim == 3:
        return _conv_transpose2d(
            owner,
            unsqueeze(x, 0),
            w,
            b,
            stride,
            padding,
            output_padding,
            groups,
            dilation,
            output_size,
        )[0]
    if output_size is not None:
        least = _transpose_geometry(owner, x, w, stride, padding, 0, groups, dilation).in_hw
        want = tuple(output_size)[-2:]
        output_padding = tuple(int(n) - m for n, m in zip(want, least))
    geom = _transpose_geometry(owner, x, w, stride, padding, output_padding, groups, dilation)
    y = ConvInputGrad.apply(x, w, geom=geom)
    return y if b is None else y + reshape(b, (1, -1, 1, 1))


def check_output_padding(owner: Any, output_padding: tuple, stride: tuple, dilation: tuple) -> None:
    """Raise ValueError unless each output_padding is below its stride or its dilation."""
    for a in range(len(output_padding)):
        if output_padding[a] >= max(stride[a], dilation[a]):
            raise ValueError(
                f"{owner_name(owner)}: output_padding {output_padding} must be smaller than "
                f"stride {stride} or dilation {dilation}"
            )


def _transpose_geometry(
    owner: Any,
    x: Tensor,
    w: Tensor,
    stride: Any,
    padding: Any,
    output_padding: Any,
    groups: int,
    dilation: Any,
) -> Geometry:
    """The geometry of the convolution whose input gradient this transposed convolution is."""
    if isinstance(padding, str):
        raise ValueError(f"{owner_name(owner)}: padding must be an int or 2 ints, got {padding!r}")
    st, dl = ntuple(owner, "stride", stride, 2), ntuple(owner, "dilation", dilation, 2)
    pd = ntuple(owner, "padding", padding, 2, minimum=0)
    op = ntuple(owner, "output_padding", output_padding, 2, minimum=0)
    check_output_padding(owner, op, st, dl)
    kernel = tuple(w.shape[2:])
    out = tuple(
        conv_transpose_output_size(
            owner, x.shape[2 + a], kernel[a], st[a], pd[a], dl[a], op[a], "HW"[a]
        )
        for a in range(2)
    )
    pads = ((pd[0], pd[0]), (pd[1], pd[1]))
    # Geometry's fields are 2-tuples; tuple() over the two spatial dims is typed as any length
    return Geometry(out, tuple(x.shape[2:]), kernel, st, dl, pads, groups)  # type: ignore[arg-type]


def conv_transpose1d(
    input: TensorLike,
    weight: TensorLike,
    bias: TensorLike | None = None,
    stride: int = 1,
    padding: int = 0,
    output_padding: int = 0,
    groups: int = 1,
    dilation: int = 1,
) -> Tensor:
    """1-d transposed convolution over (N, C_in, L), weight (C_in, C_out / groups, k)."""
    x, w = as_tensor(input), as_tensor(weight)
    if x.ndim != 3 or w.ndim != 3:
        raise ShapeError(
            f"conv_transpose1d: expected input (N, C, L) and 3-d weight, got "
            f"{x.shape} and {w.shape}"
        )
    y = conv_transpose2d(
        unsqueeze(x, 2),
        unsqueeze(w, 2),
        bias,
        (1, _int(stride)),
        (0, _int(padding)),
        (0, _int(output_padding)),
        groups,
        (1, _int(dilation)),
    )
    return reshape(y, (y.shape[0], y.shape[1], y.shape[3]))


def _int(v: Any) -> Any:
    return v[0] if isinstance(v, (tuple, list)) and len(v) == 1 else v
