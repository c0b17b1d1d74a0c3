"""The ONNX graph under construction, and the view of one lamina node that a converter gets.

A converter (``lamina.onnx.registry``) sees the node of the example run and the same node of
a second run whose dynamic axes have other sizes and whose input has other values. Sizes that
differ between the runs are dynamic: ``Node.shape_input`` builds them from the graph
input's ``Shape`` instead of writing the example's numbers into the file.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from onnx import TensorProto, helper, numpy_helper

from lamina.autodiff.function import Function
from lamina.autodiff.tensor import Tensor

__all__ = ["Builder", "ExportError", "Node"]


class ExportError(ValueError):
    """A model that cannot be exported as it is: the message names the op and its place."""


def _alive(t: Tensor | None) -> Tensor:
    """A traced output, alive: held by the node that used it or by the trace's outputs."""
    assert t is not None
    return t


class Builder:
    """Nodes, initializers and unique value names of the graph being built."""

    def __init__(self, inputs: list[tuple[str, np.ndarray, np.ndarray]], opset: int) -> None:
        self.opset = opset
        self.nodes: list[Any] = []
        self.initializers: list[Any] = []
        self.inputs = inputs  # (name, example array, second-run array)
        self.count = 0
        self._shapes: dict[str, str] = {}

    def name(self, hint: str) -> str:
        self.count += 1
        return f"{hint}_{self.count}"

    def add(self, op: str, inputs: list[str], n_out: int = 1, **attrs: Any) -> list[str]:
        outs = [self.name(op) for _ in range(n_out)]
        self.nodes.append(helper.make_node(op, inputs, outs, name=self.name(op + "_node"), **attrs))
        return outs

    def op(self, op: str, *inputs: str, **attrs: Any) -> str:
        return self.add(op, list(inputs), 1, **attrs)[0]

    def const(self, array: Any, hint: str = "const", name: str | None = None) -> str:
        array = np.asarray(array)
        name = name or self.name(hint)
        self.initializers.append(numpy_helper.from_array(array, name))
        return name

    def input_shape(self, i: int) -> str:
        if self.inputs[i][0] not in self._shapes:
            self._shapes[self.inputs[i][0]] = self.op("Shape", self.inputs[i][0])
        return self._shapes[self.inputs[i][0]]

    def dynamic_dim(self, a: int, b: int) -> str | None:
        """A 1-element int64 value holding the graph input's axis of size a (b in run 2)."""
        for i, (_, xa, xb) in enumerate(self.inputs):
            for axis, (na, nb) in enumerate(zip(xa.shape, xb.shape)):
                if (na, nb) == (a, b):
                    shape = self.input_shape(i)
                    return self.op("Gather", shape, self.const(np.array([axis], np.int64)), axis=0)
        return None


class Node:
    """One lamina node as a converter sees it: input/output names, shapes, keywords."""

    def __init__(
        self, b: Builder, fn: Function, twin: Function, names: list[str], where: str
    ) -> None:
        self.b, self.fn, self.twin, self.names, self.where = b, fn, twin, names, where
        self.kw: dict[str, Any] = getattr(fn, "_export_kwargs", {})
        self.kw2: dict[str, Any] = getattr(twin, "_export_kwargs", {})

    def __getattr__(self, attr: str) -> Any:  # ctx attributes saved by the forward
        return getattr(self.fn, attr)

    @property
    def in_shapes(self) -> list[tuple[int, ...]]:
        return [t.shape for t in self.fn._inputs]

    def out_shape(self, slot: int = 0) -> tuple[int, ...]:
        return _alive(self.fn._outs[slot]()).shape

    def out_shape2(self, slot: int = 0) -> tuple[int, ...]:
        return _alive(self.twin._outs[slot]()).shape

    def dtype(self, i: int = 0) -> np.dtype:
        return self.fn._inputs[i].dtype

    def scalar(self, value: float, i: int = 0) -> str:
        """A constant scalar in input i's dtype (ONNX does not promote types)."""
        return self.b.const(np.asarray(value, self.dtype(i)))

    def fail(self, detail: str) -> ExportError:
        return ExportError(
            f"lamina.onnx.export: {type(self.fn).__name__} at {self.where}: {detail}"
        )

    def shape_input(self, a: tuple[int, ...], b: tuple[int, ...], free: bool = True) -> str:
        """An int64 shape value equal to ``a`` here and ``b`` in the second run.

        Static sizes are constants; a size that differs is taken from a graph input axis of
        the same sizes; at most one other size (``free``) becomes -1, inferred by Reshape.
        """
        if len(a) != len(b):
            raise self.fail(f"its shape's rank depends on the input: {a} vs {b}")
        if a == b:
            return self.b.const(np.array(list(a), np.int64))
        parts: list[str] = []
        run: list[int] = []
        inferred = False
        for na, nb in zip(a, b):
            if na == nb:
                run.append(na)
                continue
            dim = self.b.dynamic_dim(na, nb)
            if dim is None:
                if not free or inferred:
                    raise self.fail(
                        f"a size depends on the input in a way ONNX cannot express: {a} vs {b}"
                    )
                inferred = True
                run.append(-1)
                continue
            if run:
                parts.append(self.b.const(np.array(run, np.int64)))
                run = []
            parts.append(dim)
        if run:
            parts.append(self.b.const(np.array(run, np.int64)))
        return parts[0] if len(parts) == 1 else self.b.op("Concat", *parts, axis=0)


ONNX_TYPES = {
    np.dtype(np.float32): TensorProto.FLOAT,
    np.dtype(np.float64): TensorProto.DOUBLE,
    np.dtype(np.float16): TensorProto.FLOAT16,
    np.dtype(np.int64): TensorProto.INT64,
    np.dtype(np.int32): TensorProto.INT32,
    np.dtype(np.int8): TensorProto.INT8,
    np.dtype(np.uint8): TensorProto.UINT8,
    np.dtype(np.bool_): TensorProto.BOOL,
}
