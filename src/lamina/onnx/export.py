"""``export``: a lamina model as an ONNX file that ONNX Runtime runs."""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from lamina.autodiff.function import Function
from lamina.autodiff.tensor import Tensor
from lamina.onnx.builder import ONNX_TYPES, Builder, ExportError, Node
from lamina.onnx.registry import CONVERTERS
from lamina.onnx.trace import Trace, producer, trace

__all__ = ["export"]


def _arrays(example: Any) -> list[np.ndarray]:
    items = list(example) if isinstance(example, (tuple, list)) else [example]
    out = []
    for x in items:
        a = x.data if isinstance(x, Tensor) else np.asarray(x)
        if a.dtype not in ONNX_TYPES:
            raise TypeError(f"lamina.onnx.export: example inputs must be numeric, got {a.dtype}")
        out.append(a)
    return out


def _second_input(a: np.ndarray, axes: list[int], k: int) -> np.ndarray:
    """Other values, and other sizes along the dynamic axes (a distinct size per input)."""
    shape = list(a.shape)
    for j, axis in enumerate(axes):
        shape[axis] += 3 + 2 * (k + j)
    rng = np.random.default_rng(12345 + k)
    if a.dtype.kind == "f":
        return rng.standard_normal(shape).astype(a.dtype)
    lo, hi = (int(a.min()), int(a.max())) if a.size else (0, 1)
    return rng.integers(lo, hi + 1, shape).astype(a.dtype)


def _dynamic(dynamic_axes: Any, names: list[str]) -> dict[str, dict[int, str]]:
    out: dict[str, dict[int, str]] = {}
    for name, axes in (dynamic_axes or {}).items():
        if isinstance(axes, dict):
            out[name] = {int(a): str(v) for a, v in axes.items()}
        else:
            out[name] = {int(a): f"{name}_dim{int(a)}" for a in axes}
    return out


class _Names:
    """The ONNX name of every value the nodes use: node outputs, inputs, weights, constants."""

    def __init__(self, b: Builder, model: Any, one: Trace, two: Trace, names: list[str]) -> None:
        self.b = b
        self.values: dict[tuple[int, int], str] = {}
        self.inputs = {id(t): n for t, n in zip(one.inputs, names)}
        self.weights: dict[int, tuple[str, Tensor]] = {}
        for prefix, t in [*model.named_parameters(), *model.named_buffers()]:
            self.weights.setdefault(id(t), (prefix, t))
        self.emitted: set[str] = set()

    def leaf(self, fn: Function, twin: Function, i: int, where: str) -> str:
        t, t2 = fn._inputs[i], twin._inputs[i]
        if id(t) in self.inputs:
            return self.inputs[id(t)]
        if id(t) in self.weights:
            name = self.weights[id(t)][0]
            if name not in self.emitted:
                self.emitted.add(name)
                self.b.const(t.data, name=name)
            return name
        if t.shape == t2.shape and np.array_equal(t.data, t2.data):
            return self.b.const(t.data)
        if t.data.size and t2.data.size and _uniform(t.data) and _uniform(t2.data):
            value = t.data.reshape(-1)[:1].reshape(())  # zeros of the batch's size, say
            if value == t2.data.reshape(-1)[0]:
                shape = Node(self.b, fn, twin, [], where).shape_input(t.shape, t2.shape, False)
                return self.b.op("Expand", self.b.const(value), shape)
        rebuilt = self._running_max(fn, twin, i, where)
        if rebuilt is not None:
            return rebuilt
        other = fn._inputs[1] if len(fn._inputs) == 3 else None
        if (
            type(fn).__name__ == "Where"
            and i == 0
            and other is not None
            and np.array_equal(t.data, other.data > 0)
            and np.array_equal(t2.data, twin._inputs[1].data > 0)
        ):  # where(x > 0, ...): the comparison is not recorded, so it is rebuilt
            x = self.of(fn, twin, 1, where)
            return self.b.op("Greater", x, self.b.const(np.zeros((), other.dtype)))
        raise ExportError(
            f"lamina.onnx.export: input {i} of {type(fn).__name__} at {where} is computed from "
            "the model's input outside the recorded graph (a comparison, or .data/.numpy()); "
            "it would be frozen into the file"
        )

    def _running_max(self, fn: Function, twin: Function, i: int, where: str) -> str | None:
        """softmax's stabilizing shift x - max(x, dim), taken outside the graph: rebuilt."""
        if type(fn).__name__ != "Sub" or i != 1:
            return None
        x, m, x2, m2 = (f._inputs[j].data for f in (fn, twin) for j in (0, 1))
        for d in range(x.ndim):
            if (
                m.shape == (*x.shape[:d], 1, *x.shape[d + 1 :])
                and np.array_equal(m, x.max(axis=d, keepdims=True))
                and np.array_equal(m2, x2.max(axis=d, keepdims=True))
            ):
                name = self.of(fn, twin, 0, where)
                if self.b.opset >= 18:
                    axes = self.b.const(np.array([d], np.int64))
                    return self.b.op("ReduceMax", name, axes, keepdims=1)
                return self.b.op("ReduceMax", name, axes=[d], keepdims=1)
        return None

    def of(self, fn: Function, twin: Function, i: int, where: str) -> str:
        parent, slot = producer(fn, fn._inputs[i])
        if parent is None:
            return self.leaf(fn, twin, i, where)
        return self.values[(id(parent), slot)]


def _uniform(a: np.ndarray) -> bool:
    return bool((a == a.reshape(-1)[0]).all())


def export(
    model: Any,
    example_input: Any,
    path: str | os.PathLike[str] | None = None,
    opset_version: int = 17,
    input_names: list[str] | None = None,
    output_names: list[str] | None = None,
    dynamic_axes: dict[str, Any] | None = None,
) -> Any:
    """Export ``model`` (run once in eval mode on ``example_input``) as an ONNX model.

    The recorded graph is walked from the output; each lamina op becomes ONNX operators by
    its entry in ``lamina.onnx.registry.CONVERTERS``; parameters and buffers become
    initializers named as in ``state_dict()``. A second run, with other input values and
    other sizes along ``dynamic_axes``, shows which sizes depend on the input (they are read
    from the input's shape in the file) and catches values frozen by mistake.

    Parameters
    ----------
    model : Module
    example_input : Tensor, array, or a tuple of them
    path : path, optional
        Where to write the ``.onnx`` file; the model is returned either way.
    opset_version : int, default=17
        13 to 21.
    input_names, output_names : list of str, optional
        Default ``input_0, ...`` and ``output_0, ...``.
    dynamic_axes : dict, optional
        Name -> axes that may change size, as a list or as {axis: symbolic name}, e.g.
        ``{"input_0": [0], "output_0": [0]}`` for a dynamic batch.

    Returns
    -------
    onnx.ModelProto, checked by ``onnx.checker.check_model``.

    Raises
    ------
    ExportError
        For an op with no converter (naming it and its place in the graph) or a graph that
        cannot be expressed; nothing is exported silently wrong.
    """
    import onnx
    from onnx import helper

    if not 13 <= opset_version <= 21:
        raise ValueError(
            f"lamina.onnx.export: opset_version must be in [13, 21], got {opset_version}"
        )
    arrays = _arrays(example_input)
    names = list(input_names or [f"input_{i}" for i in range(len(arrays))])
    if len(names) != len(arrays):
        raise ValueError(f"lamina.onnx.export: {len(names)} input_names for {len(arrays)} inputs")
    dyn = _dynamic(dynamic_axes, names)
    others = [
        _second_input(a, sorted(dyn.get(n, {})), k) for k, (n, a) in enumerate(zip(names, arrays))
    ]
    was_training = getattr(model, "training", False)
    model.eval()
    try:
        one, two = trace(model, arrays), trace(model, others)
    finally:
        model.train(was_training)
    if [type(f) for f in one.nodes] != [type(f) for f in two.nodes]:
        raise ExportError(
            "lamina.onnx.export: the model runs other operations for the second input "
            "(its graph depends on the input's values or sizes); export without dynamic_axes"
        )
    b = Builder(list(zip(names, arrays, others)), opset_version)
    table = _Names(b, model, one, two, names)
    total = len(one.nodes)
    for k, (fn, twin) in enumerate(zip(one.nodes, two.nodes)):
        where = f"node {k} of {total}"
        convert = CONVERTERS.get(type(fn))
        if convert is None:
            raise ExportError(
                f"lamina.onnx.export: {type(fn).__name__} at {where} (inputs of shapes "
                f"{[t.shape for t in fn._inputs]}) has no ONNX mapping; add a converter to "
                "lamina.onnx.registry"
            )
        ins = [table.of(fn, twin, i, where) for i in range(len(fn._inputs))]
        outs = convert(Node(b, fn, twin, ins, where))
        for slot, name in enumerate(outs):
            table.values[(id(fn), slot)] = name
    outputs = _outputs(b, table, one, two, names, dyn, output_names)
    used = {name for node in b.nodes for name in node.input}
    b.initializers = [i for i in b.initializers if i.name in used]  # e.g. LSTM's reordered
    graph = helper.make_graph(
        b.nodes,
        type(model).__name__,
        _value_infos(names, arrays, dyn, others),
        outputs,
        b.initializers,
    )
    proto = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", opset_version)], producer_name="lamina"
    )
    proto.ir_version = min(proto.ir_version, 10)
    onnx.checker.check_model(proto, full_check=True)
    if path is not None:
        onnx.save(proto, os.fspath(path))
    return proto


def _dims(
    shape: tuple[int, ...], shape2: tuple[int, ...], named: dict[int, str], hint: str
) -> list[Any]:
    return [
        named.get(a, f"{hint}_dim{a}") if (a in named or n != m) else n
        for a, (n, m) in enumerate(zip(shape, shape2))
    ]


def _value_infos(
    names: list[str],
    arrays: list[np.ndarray],
    dyn: dict[str, dict[int, str]],
    others: list[np.ndarray],
) -> list[Any]:
    from onnx import helper

    return [
        helper.make_tensor_value_info(
            n, ONNX_TYPES[a.dtype], _dims(a.shape, o.shape, dyn.get(n, {}), n)
        )
        for n, a, o in zip(names, arrays, others)
    ]


def _outputs(
    b: Builder,
    table: _Names,
    one: Trace,
    two: Trace,
    names: list[str],
    dyn: dict[str, dict[int, str]],
    output_names: list[str] | None,
) -> list[Any]:
    from onnx import helper

    out_names = list(output_names or [f"output_{i}" for i in range(len(one.outputs))])
    if len(out_names) != len(one.outputs):
        raise ValueError(
            f"lamina.onnx.export: {len(out_names)} output_names for {len(one.outputs)} outputs"
        )
    infos = []
    for t, t2, name in zip(one.outputs, two.outputs, out_names):
        if t._ctx is not None:
            source = table.values[(id(t._ctx), getattr(t, "_slot", 0))]
        elif id(t) in table.inputs:
            source = table.inputs[id(t)]
        else:
            raise ExportError(f"lamina.onnx.export: output {name} does not depend on the input")
        b.nodes.append(helper.make_node("Identity", [source], [name], name=b.name("output")))
        infos.append(
            helper.make_tensor_value_info(
                name, ONNX_TYPES[t.dtype], _dims(t.shape, t2.shape, dyn.get(name, {}), name)
            )
        )
    return infos
