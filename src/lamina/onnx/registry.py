"""One converter per lamina ``Function`` class: how its node becomes ONNX operators.

``CONVERTERS[cls](node)`` returns the ONNX value name of each of the node's outputs. A new op
(attention, the model zoo's layers) adds one ``@converts(ItsFunction)`` entry here, or in a
module of its own that calls ``converts``; nothing else in the exporter changes. The
recurrent layers' converters (ONNX ``LSTM``, ``GRU``, ``RNN``) are in ``lamina.onnx.recurrent``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from lamina.autodiff.broadcast import BroadcastTo
from lamina.autodiff.function import Function
from lamina.onnx.builder import ONNX_TYPES, Node
from lamina.ops.activation import LogSoftmax
from lamina.ops.affine import Linear
from lamina.ops.clipped import Hardtanh
from lamina.ops.conv import Conv, ConvInputGrad
from lamina.ops.elementwise import (
    Abs,
    Add,
    Cast,
    Clip,
    Div,
    Exp,
    Log,
    Log1p,
    Maximum,
    Mul,
    Neg,
    Pow,
    PowScalar,
    Relu,
    Sigmoid,
    Softplus,
    Sqrt,
    Sub,
    Tanh,
    Where,
)
from lamina.ops.gaussian import _Erf
from lamina.ops.index import GetItem
from lamina.ops.layout import Copy
from lamina.ops.linalg import MatMul
from lamina.ops.lookup import _Lookup
from lamina.ops.maxpool import MaxPool
from lamina.ops.pool import WindowSum
from lamina.ops.reduce import Max, MaxDim, Sum
from lamina.ops.shape import Cat, Pad, Permute, Reshape
from lamina.ops.trig import Cos, Sin

__all__ = ["CONVERTERS", "converts"]

Converter = Callable[[Node], list[str]]
CONVERTERS: dict[type[Function], Converter] = {}


def converts(*classes: type[Function]) -> Callable[[Converter], Converter]:
    """Register the decorated converter for ``classes``."""

    def register(fn: Converter) -> Converter:
        for cls in classes:
            CONVERTERS[cls] = fn
        return fn

    return register


_SAME = {
    Add: "Add",
    Sub: "Sub",
    Mul: "Mul",
    Div: "Div",
    Neg: "Neg",
    Exp: "Exp",
    Log: "Log",
    Sqrt: "Sqrt",
    Abs: "Abs",
    Tanh: "Tanh",
    Sigmoid: "Sigmoid",
    Relu: "Relu",
    Maximum: "Max",
    Pow: "Pow",
    MatMul: "MatMul",
    Copy: "Identity",
    Sin: "Sin",
    Cos: "Cos",
    _Erf: "Erf",
}


def _same(op: str) -> Converter:
    """The converter of a node that is one ONNX operator ``op`` of the same inputs."""
    return lambda n: [n.b.op(op, *n.names)]


for _cls, _op in _SAME.items():
    CONVERTERS[_cls] = _same(_op)


@converts(Softplus)
def _softplus(n: Node) -> list[str]:
    beta, threshold = n.kw.get("beta", 1.0), n.kw.get("threshold", 20.0)
    x = n.names[0]
    bx = n.b.op("Mul", x, n.scalar(beta)) if beta != 1 else x
    soft = n.b.op("Softplus", bx)
    soft = n.b.op("Div", soft, n.scalar(beta)) if beta != 1 else soft
    big = n.b.op("Greater", bx, n.scalar(threshold))  # PyTorch's linear region
    return [n.b.op("Where", big, x, soft)]


@converts(Log1p)
def _log1p(n: Node) -> list[str]:
    return [n.b.op("Log", n.b.op("Add", n.names[0], n.scalar(1.0)))]


@converts(PowScalar)
def _pow_scalar(n: Node) -> list[str]:
    return [n.b.op("Pow", n.names[0], n.scalar(n.kw["exponent"]))]


@converts(Clip, Hardtanh)
def _clip(n: Node) -> list[str]:
    lo, hi = n.kw.get("lo"), n.kw.get("hi")
    bounds = [n.scalar(lo) if lo is not None else "", n.scalar(hi) if hi is not None else ""]
    while bounds and not bounds[-1]:
        bounds.pop()
    return [n.b.op("Clip", n.names[0], *bounds)]


@converts(Cast)
def _cast(n: Node) -> list[str]:
    return [n.b.op("Cast", n.names[0], to=ONNX_TYPES[np.dtype(n.kw["dtype"])])]


@converts(Where)
def _where(n: Node) -> list[str]:
    return [n.b.op("Where", *n.names)]


@converts(Linear)
def _linear(n: Node) -> list[str]:
    return [n.b.op("Gemm", *n.names, transB=1)]


@converts(LogSoftmax)
def _log_softmax(n: Node) -> list[str]:
    return [n.b.op("LogSoftmax", n.names[0], axis=int(n.kw["dim"]))]


def _pads(geom: Any) -> list[int]:
    (pt, pb), (pl, pr) = geom.pads
    return [int(pt), int(pl), int(pb), int(pr)]


@converts(Conv)
def _conv(n: Node) -> list[str]:
    g = n.kw["geom"]
    return [
        n.b.op(
            "Conv",
            *n.names,
            kernel_shape=list(g.kernel),
            strides=list(g.stride),
            dilations=list(g.dilation),
            pads=_pads(g),
            group=int(g.groups),
        )
    ]


@converts(ConvInputGrad)
def _conv_transpose(n: Node) -> list[str]:
    # the gradient of a convolution with geometry g is the transposed convolution that maps
    # g.out_hw back to g.in_hw; output_padding covers rows the forward stride skipped
    g = n.kw["geom"]
    extra = []
    for i in range(2):
        span = g.stride[i] * (g.out_hw[i] - 1) + (g.kernel[i] - 1) * g.dilation[i] + 1
        extra.append(int(g.in_hw[i] - (span - sum(g.pads[i]))))
    return [
        n.b.op(
            "ConvTranspose",
            *n.names,
            kernel_shape=list(g.kernel),
            strides=list(g.stride),
            dilations=list(g.dilation),
            pads=_pads(g),
            group=int(g.groups),
            output_padding=extra,
        )
    ]


@converts(MaxPool)
def _max_pool(n: Node) -> list[str]:
    g = n.kw["geom"]
    return [
        n.b.op(
            "MaxPool",
            n.names[0],
            kernel_shape=list(g.kernel),
            strides=list(g.stride),
            dilations=list(g.dilation),
            pads=_pads(g),
        )
    ]


@converts(WindowSum)
def _window_sum(n: Node) -> list[str]:
    g = n.kw["geom"]
    if tuple(g.dilation) != (1, 1):
        raise n.fail(f"dilated window sums have no ONNX operator (dilation {g.dilation})")
    avg = n.b.op(
        "AveragePool",
        n.names[0],
        kernel_shape=list(g.kernel),
        strides=list(g.stride),
        pads=_pads(g),
        count_include_pad=1,
    )
    return [n.b.op("Mul", avg, n.scalar(g.kernel[0] * g.kernel[1]))]


def _axes(dims: Iterable[int] | None, ndim: int) -> list[int]:
    return list(range(ndim)) if dims is None else [int(d) % ndim for d in dims]


@converts(Sum)
def _sum(n: Node) -> list[str]:
    axes = _axes(n.kw["dims"], len(n.in_shapes[0]))
    keep = int(bool(n.kw["keepdim"]))
    return [n.b.op("ReduceSum", n.names[0], n.b.const(np.array(axes, np.int64)), keepdims=keep)]


@converts(Max)
def _max(n: Node) -> list[str]:
    axes = _axes(n.kw["dims"], len(n.in_shapes[0]))
    keep = int(bool(n.kw["keepdim"]))
    if n.b.opset >= 18:  # axes became an input in opset 18
        return [n.b.op("ReduceMax", n.names[0], n.b.const(np.array(axes, np.int64)), keepdims=keep)]
    return [n.b.op("ReduceMax", n.names[0], axes=axes, keepdims=keep)]


@converts(MaxDim)
def _max_dim(n: Node) -> list[str]:
    dim, keep = n.kw["dim"] % len(n.in_shapes[0]), int(bool(n.kw["keepdim"]))
    if n.b.opset >= 18:  # axes became an input in opset 18
        values = n.b.op(
            "ReduceMax", n.names[0], n.b.const(np.array([dim], np.int64)), keepdims=keep
        )
    else:
        values = n.b.op("ReduceMax", n.names[0], axes=[dim], keepdims=keep)
    return [values, n.b.op("ArgMax", n.names[0], axis=dim, keepdims=keep)]


@converts(Reshape)
def _reshape(n: Node) -> list[str]:
    return [n.b.op("Reshape", n.names[0], n.shape_input(n.out_shape(), n.out_shape2()))]


@converts(BroadcastTo)
def _expand(n: Node) -> list[str]:
    a, b = n.out_shape(), n.out_shape2()
    src_a, src_b = n.in_shapes[0], n.twin._inputs[0].shape
    # a size the input already has is written as 1 (Expand broadcasts both ways)
    pad = len(a) - len(src_a)
    a = tuple(1 if i >= pad and src_a[i - pad] == s else s for i, s in enumerate(a))
    b = tuple(1 if i >= pad and src_b[i - pad] == s else s for i, s in enumerate(b))
    return [n.b.op("Expand", n.names[0], n.shape_input(a, b, free=False))]


@converts(Permute)
def _permute(n: Node) -> list[str]:
    return [n.b.op("Transpose", n.names[0], perm=[int(d) for d in n.kw["dims"]])]


@converts(Cat)
def _cat(n: Node) -> list[str]:
    return [n.b.op("Concat", *n.names, axis=int(n.kw["dim"]))]


@converts(Pad)
def _pad(n: Node) -> list[str]:
    widths = n.kw["widths"]
    pads = [int(w[0]) for w in widths] + [int(w[1]) for w in widths]
    value = n.scalar(n.kw["value"])
    return [n.b.op("Pad", n.names[0], n.b.const(np.array(pads, np.int64)), value, mode="constant")]


@converts(GetItem)
def _getitem(n: Node) -> list[str]:
    """Basic slicing (slices, ints) as Slice and Squeeze; one integer array per axis as Gather."""
    index = n.kw["index"]
    index = index if isinstance(index, tuple) else (index,)
    shape, shape2 = n.in_shapes[0], n.twin._inputs[0].shape
    if sum(i is Ellipsis for i in index) == 1:  # the axes it stands for, as full slices
        k = index.index(Ellipsis)
        index = (*index[:k], *(slice(None),) * (len(shape) - len(index) + 1), *index[k + 1 :])
    if sum(isinstance(i, np.ndarray) for i in index) > 1 or any(
        i is None or i is Ellipsis or (isinstance(i, np.ndarray) and i.dtype == bool) for i in index
    ):
        raise n.fail(f"indexing with {index!r:.80} has no ONNX mapping yet")
    x, squeeze = n.names[0], []
    cuts: list[tuple[int, int, int, int]] = []  # (start, end, axis, step) of one Slice
    for axis, i in enumerate(index):
        if isinstance(i, slice):
            if i == slice(None):
                continue
            r, r2 = i.indices(shape[axis]), i.indices(shape2[axis])
            if r == r2:
                start, stop, step = r
                stop = stop if stop >= 0 else -(2**62)  # a negative step running off the start
            else:  # an axis whose size depends on the input: Slice clamps as Python does
                step = 1 if i.step is None else int(i.step)
                start = int(i.start) if i.start is not None else (0 if step > 0 else -1)
                stop = int(i.stop) if i.stop is not None else (2**62 if step > 0 else -(2**62))
            cuts.append((start, stop, axis, step))
        elif isinstance(i, (int, np.integer)):
            k = int(i) % shape[axis]
            if shape[axis] != shape2[axis] and int(i) < 0:  # counted from a dynamic end
                k = int(i)
            cuts.append((k, k + 1 if k != -1 else 2**62, axis, 1))
            squeeze.append(axis)
    if cuts:
        c = n.b.const
        x = n.b.op("Slice", x, *(c(np.array(v, np.int64)) for v in zip(*cuts)))
    if squeeze:
        x = n.b.op("Squeeze", x, n.b.const(np.array(squeeze, np.int64)))
    for axis, i in enumerate(index):
        if isinstance(i, np.ndarray):
            kept = axis - sum(a < axis for a in squeeze)
            x = n.b.op("Gather", x, n.b.const(i.astype(np.int64)), axis=kept)
    return [x]


@converts(_Lookup)
def _lookup(n: Node) -> list[str]:
    ids, ids2 = n.kw["ids"], n.kw2["ids"]
    if ids.shape == ids2.shape and np.array_equal(ids, ids2):
        return [n.b.op("Gather", n.names[0], n.b.const(ids.astype(np.int64)))]
    for name, xa, xb in n.b.inputs:  # the ids are the model's input, passed as an array
        if xa.shape == ids.shape and np.array_equal(xa, ids) and np.array_equal(xb, ids2):
            ids_name = name if xa.dtype == np.int64 else n.b.op("Cast", name, to=7)
            return [n.b.op("Gather", n.names[0], ids_name)]
    raise n.fail("its ids are computed from the input outside the recorded graph")
