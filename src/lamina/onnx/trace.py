"""Record a model's graph for export: its nodes in recording order, with their keywords.

``Function.apply`` keeps the arrays a node needs for backward, not every keyword its forward
took (a reshape's target, a clip's bounds), so while tracing ``apply`` is wrapped to attach
the keywords to each node it records as ``_export_kwargs``; the wrapper is removed after.
GRU and RNN layers run each layer and direction as one node while tracing
(``lamina.onnx.recurrent.whole_sequence_scans``), so that they export as ONNX operators.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from lamina.autodiff.function import Function
from lamina.autodiff.grad_mode import enable_grad
from lamina.autodiff.tensor import Tensor
from lamina.onnx.recurrent import whole_sequence_scans

__all__ = ["Trace", "trace"]

_LOCK = threading.Lock()  # one trace at a time: the wrapper is process-wide while it is on


@contextlib.contextmanager
def _recording() -> Iterator[None]:
    original = Function.__dict__["apply"]

    def apply(cls: type[Function], *args: Any, **kwargs: Any) -> Any:
        out = original.__func__(cls, *args, **kwargs)
        for t in out if isinstance(out, tuple) else (out,):
            if isinstance(t, Tensor) and type(t._ctx) is cls:
                # an attribute only export reads (builder.Node.kw), not one Function declares
                t._ctx._export_kwargs = kwargs  # type: ignore[attr-defined]
                break
        return out

    with _LOCK:  # the ignores: apply is swapped for the recording wrapper on purpose
        Function.apply = classmethod(apply)  # type: ignore[method-assign,assignment]
        try:
            yield
        finally:
            Function.apply = original  # type: ignore[method-assign]


def producer(fn: Function, t: Tensor) -> tuple[Function | None, int]:
    """The node (and output slot) that made input ``t`` of ``fn`` when ``fn`` used it."""
    if hasattr(fn, "_parent"):
        return fn._parent(t)
    return t._ctx, getattr(t, "_slot", 0)


@dataclass
class Trace:
    """One run of the model: the input tensors, the outputs, the nodes in recording order."""

    inputs: list[Tensor]
    outputs: list[Tensor]
    nodes: list[Function]


@contextlib.contextmanager
def _recorded_tables(model: Any) -> Iterator[None]:
    """Non-persistent float buffers (constant tables a forward reads, such as a one-hot
    table) require grad while tracing, so the ops that read them are recorded and the tables
    export as initializers; a persistent buffer (running statistics) is left as it is."""
    tables = [
        b
        for m in (model.modules() if hasattr(model, "modules") else ())
        for name, b in m._buffers.items()
        if b is not None and name in m._non_persistent and b.dtype.kind == "f"
        if not b.requires_grad
    ]
    for b in tables:
        b.requires_grad = True
    try:
        yield
    finally:
        for b in tables:
            b.requires_grad = False


def trace(model: Any, arrays: list[np.ndarray]) -> Trace:
    """Run ``model`` on ``arrays`` with a graph recorded (parameters require grad)."""
    inputs = [Tensor(a) for a in arrays]
    for t in inputs:
        if t.dtype.kind == "f":
            t.requires_grad = True
    with _recording(), whole_sequence_scans(), enable_grad(), _recorded_tables(model):
        out = model(*inputs)
    outputs = list(out) if isinstance(out, (tuple, list)) else [out]
    for i, o in enumerate(outputs):
        if not isinstance(o, Tensor):
            raise TypeError(
                f"lamina.onnx.export: output {i} of the model is a {type(o).__name__}; "
                "export takes models that return a Tensor or a tuple of Tensors"
            )
    seen: dict[int, Function] = {}
    stack = [o._ctx for o in outputs]
    while stack:
        fn = stack.pop()
        if fn is None or id(fn) in seen:
            continue
        seen[id(fn)] = fn
        stack.extend(producer(fn, t)[0] for t in fn._inputs)
    nodes = sorted(seen.values(), key=lambda fn: fn.sequence)
    return Trace(inputs, outputs, nodes)
