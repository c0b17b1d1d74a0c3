"""Recurrent layers export as ONNX's own GRU, RNN and LSTM operators, one node per layer and
direction, with the batch and the sequence length dynamic.

Each case passes ``onnx.checker`` (full check), holds exactly layers x directions nodes of
the operator and none of the elementary ops an unrolled loop would need (Sigmoid, Tanh,
Relu), and ONNX Runtime gives lamina's output sequence and final state to 1e-4 relative at
two batch sizes and two sequence lengths.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import onnx
import onnxruntime as ort
import pytest

import lamina as L
from lamina import nn
from lamina.models import CharRNN
from lamina.onnx import SequenceScan, export, whole_sequence_scans


class _Both(nn.Module):
    """A recurrent layer's output sequence and its final hidden state h_n."""

    def __init__(self, inner: Any) -> None:
        super().__init__()
        self.inner = inner

    def forward(self, x: Any) -> Any:
        out, state = self.inner(x)
        return out, (state[0] if isinstance(state, tuple) else state)


# name: (model, ONNX operator, nodes of it, batch-first input, input ids instead of floats)
CASES: dict[str, tuple[Callable[[], Any], str, int, bool]] = {
    "gru": (lambda: nn.GRU(5, 7), "GRU", 1, False),
    "gru-2layers-bidirectional-batch-first": (
        lambda: nn.GRU(5, 7, 2, batch_first=True, bidirectional=True),
        "GRU",
        4,
        True,
    ),
    "gru-no-bias": (lambda: nn.GRU(5, 7, bias=False), "GRU", 1, False),
    "rnn-tanh": (lambda: nn.RNN(5, 7), "RNN", 1, False),
    "rnn-relu-2layers-bidirectional": (
        lambda: nn.RNN(5, 7, 2, nonlinearity="relu", bidirectional=True),
        "RNN",
        4,
        False,
    ),
    "rnn-no-bias-batch-first": (
        lambda: nn.RNN(5, 7, bias=False, batch_first=True),
        "RNN",
        1,
        True,
    ),
    "lstm-2layers-bidirectional": (
        lambda: nn.LSTM(5, 7, 2, bidirectional=True),
        "LSTM",
        4,
        False,
    ),
}
UNROLLED = {"Sigmoid", "Tanh", "Relu"}


def _x(batch: int, steps: int, batch_first: bool) -> np.ndarray:
    shape = (batch, steps, 5) if batch_first else (steps, batch, 5)
    return np.random.default_rng(batch * 10 + steps).standard_normal(shape).astype(np.float32)


def _close(got: np.ndarray, want: np.ndarray) -> None:
    assert got.shape == want.shape and got.dtype == want.dtype == np.float32
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4 * float(np.abs(want).max()))


def _ops(path: Path) -> list[str]:
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    return [node.op_type for node in model.graph.node]


@pytest.mark.parametrize("name", CASES, ids=CASES)
def test_layer_exports_as_its_onnx_operator_with_dynamic_batch_and_length(
    name: str, tmp_path: Path
) -> None:
    make, op, count, batch_first = CASES[name]
    L.manual_seed(0)
    model = _Both(make()).eval()
    b, t = (0, 1) if batch_first else (1, 0)
    path = tmp_path / "rnn.onnx"
    export(
        model,
        _x(2, 4, batch_first),
        path,
        dynamic_axes={"input_0": [b, t], "output_0": [b, t], "output_1": [1]},
    )
    ops = _ops(path)
    assert ops.count(op) == count and not UNROLLED & set(ops), ops
    session = ort.InferenceSession(str(path))
    for batch in (2, 5):
        for steps in (4, 9):
            x = _x(batch, steps, batch_first)
            with L.no_grad():
                out, h = model(L.tensor(x))
            got_out, got_h = session.run(None, {"input_0": x})
            _close(got_out, out.numpy())
            _close(got_h, h.numpy())


@pytest.mark.parametrize("cell", ["gru", "rnn"])
def test_char_rnn_exports_its_recurrent_layers_as_one_node_each(cell: str, tmp_path: Path) -> None:
    L.manual_seed(0)
    model = CharRNN(30, 8, 16, num_layers=2, cell=cell).eval()
    ids = np.random.default_rng(0).integers(0, 30, (2, 9))
    path = tmp_path / "char.onnx"
    export(model, ids, path, dynamic_axes={"input_0": [0, 1], "output_0": [0, 1]})
    ops = _ops(path)
    assert ops.count(cell.upper()) == 2 and not UNROLLED & set(ops), ops
    session = ort.InferenceSession(str(path))
    for shape in ((2, 9), (4, 13)):
        x = np.random.default_rng(1).integers(0, 30, shape)
        with L.no_grad():
            want = model(L.tensor(x))
        _close(session.run(None, {"input_0": x})[0], want.numpy())


class _LastStep(nn.Module):
    """A classifier on the last step of a bidirectional GRU: x[-1] on a dynamic length."""

    def __init__(self) -> None:
        super().__init__()
        self.rnn, self.fc = nn.GRU(5, 6, bidirectional=True), nn.Linear(12, 3)

    def forward(self, x: Any) -> Any:
        return self.fc(self.rnn(x)[0][-1])


def test_last_step_of_a_sequence_of_dynamic_length(tmp_path: Path) -> None:
    L.manual_seed(0)
    model = _LastStep().eval()
    path = tmp_path / "last.onnx"
    export(model, _x(2, 4, False), path, dynamic_axes={"input_0": [0, 1], "output_0": [0]})
    assert _ops(path).count("GRU") == 2
    session = ort.InferenceSession(str(path))
    for batch, steps in ((2, 4), (3, 11)):
        x = _x(batch, steps, False)
        with L.no_grad():
            want = model(L.tensor(x)).numpy()
        _close(session.run(None, {"input_0": x})[0], want)


def _grads(layer: Any, x: np.ndarray, lengths: Any = None) -> list[np.ndarray]:
    layer.zero_grad()
    xt = L.tensor(x, requires_grad=True)
    out, h = layer(xt, lengths=lengths)
    ((out * out).sum() + h.sum()).backward()
    return [out.numpy(), xt.grad.numpy()] + [p.grad.numpy() for p in layer.parameters()]


@pytest.mark.parametrize("kind", ["GRU", "RNN"])
def test_whole_sequence_scan_gives_the_step_by_step_values_and_gradients(kind: str) -> None:
    L.manual_seed(0)
    layer = getattr(nn, kind)(3, 4, 2, bidirectional=True, dtype=np.float64)
    x = np.random.default_rng(2).standard_normal((6, 2, 3))
    want = _grads(layer, x)
    with whole_sequence_scans():
        got = _grads(layer, x)
        scans = _count_scans(layer, x)
    assert scans == 4
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-10, atol=1e-12)


def _count_scans(layer: Any, x: np.ndarray) -> int:
    out, _ = layer(L.tensor(x, requires_grad=True))
    seen, stack, count = set(), [out._ctx], 0
    while stack:
        fn = stack.pop()
        if fn is None or id(fn) in seen:
            continue
        seen.add(id(fn))
        count += isinstance(fn, SequenceScan)
        stack.extend(t._ctx for t in fn._inputs)
    return count


def test_padded_sequences_keep_the_step_by_step_loop() -> None:
    L.manual_seed(0)
    layer = nn.GRU(3, 4, bidirectional=True)
    x = np.random.default_rng(3).standard_normal((5, 2, 3)).astype(np.float32)
    want = _grads(layer, x, lengths=[5, 3])
    with whole_sequence_scans():
        got = _grads(layer, x, lengths=[5, 3])
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g, w)
