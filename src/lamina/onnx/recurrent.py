"""Recurrent layers as ONNX's ``LSTM``, ``GRU`` and ``RNN`` operators.

``nn.LSTM`` runs each layer and direction as one op (``lstm_scan``), which becomes one ONNX
``LSTM`` node. ``nn.GRU`` and ``nn.RNN`` run their time loop step by step in elementary ops,
which would export as an unrolled graph of a fixed length. While a model is traced for
export, ``whole_sequence_scans`` has them run each layer and direction as one
``SequenceScan`` node instead (the same formulas, on arrays), and its converter writes one
ONNX ``GRU`` or ``RNN`` node. A stack of layers is one node per layer and direction; the
reverse direction reads its input reversed, as in ``nn.recurrent``. Padded sequences
(``lengths``) keep the step-by-step loop.

Gate orders: PyTorch stacks the GRU's blocks as (r, z, n), ONNX as (z, r, h), and ONNX's
``linear_before_reset=1`` is PyTorch's n = tanh(W_in x + b_in + r * (W_hn h + b_hn)).
PyTorch's LSTM blocks (i, f, g, o) are ONNX's (i, o, f, c).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import numpy as np

from lamina.autodiff.function import Function, backward_by_recompute
from lamina.autodiff.tensor import Tensor
from lamina.nn.recurrent import RNNBase
from lamina.nn.rnn_cells import RULES
from lamina.onnx.builder import Node
from lamina.onnx.registry import converts
from lamina.ops.index import getitem
from lamina.ops.rnn import LSTMScan
from lamina.ops.shape import stack

__all__ = ["SequenceScan", "whole_sequence_scans"]


def _sigmoid(z: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):  # exp(large) = inf gives the right limit, 0
        return 1 / (1 + np.exp(-z))


class SequenceScan(Function):
    """A GRU or Elman RNN layer's one direction over a whole sequence: outputs (T, N, H)
    and the final h (N, H).

    Inputs: x (T, N, I), h0 (N, H), w_ih (G*H, I), w_hh (G*H, H), and b_ih, b_hh (G*H,)
    when the layer has them; ``rule`` is ``"GRU"``, ``"RNN_TANH"`` or ``"RNN_RELU"``. Per
    step, with gx = x_t @ w_ih^T + b_ih and gh = h @ w_hh^T + b_hh::

        GRU:  r, z = sigmoid(gx_r + gh_r, gx_z + gh_z);  n = tanh(gx_n + r * gh_n)
              h' = (1 - z) * n + z * h
        RNN:  h' = act(gx + gh),  act tanh or relu

    The backward is the gradient of the layer's own step rule (``nn.rnn_cells``) in lamina
    ops, recomputed from the inputs.
    """

    def forward(ctx, x, h0, w_ih, w_hh, *biases, rule):
        ctx.rule = rule
        b_ih, b_hh = biases if biases else (0, 0)
        gx_all = x @ w_ih.T + b_ih
        h, outs = h0, []
        for gx in gx_all:
            gh = h @ w_hh.T + b_hh
            if rule == "GRU":
                k = h.shape[-1]
                rz = _sigmoid(gx[:, : 2 * k] + gh[:, : 2 * k])
                r, z = rz[:, :k], rz[:, k:]
                n = np.tanh(gx[:, 2 * k :] + r * gh[:, 2 * k :])
                h = n + z * (h - n)
            elif rule == "RNN_TANH":
                h = np.tanh(gx + gh)
            else:
                h = np.maximum(gx + gh, 0)
            outs.append(h)
        return np.stack(outs), h

    # one gradient per output (values, h), where Function declares the one-output form
    def backward(ctx, g_out, g_h):  # type: ignore[override]
        return backward_by_recompute(ctx, _scan_ops, (g_out, g_h))


def _scan_ops(ctx: SequenceScan, x, h, w_ih, w_hh, *biases) -> tuple[Tensor, Tensor]:
    """The forward of ``SequenceScan`` as ``nn.GRU``/``nn.RNN`` compute it, in lamina ops."""
    rule = RULES[ctx.rule]
    b_ih, b_hh = biases if biases else (None, None)
    gx = rule.project(x, w_ih, b_ih, b_hh)
    w_t, b = w_hh.transpose(0, 1), None if rule.fold_hidden_bias else b_hh
    state: tuple[Tensor, ...] = (h,)
    outs = []
    for t in range(x.shape[0]):
        state = rule.step(gx[t], state, w_t, b)
        outs.append(state[0])
    return stack(outs, 0), state[0]


_STEPWISE = RNNBase.__dict__["_direction"]
_REVERSE = slice(None, None, -1)


def _direction(self: RNNBase, x: Tensor, layer: int, d: int, state: Any, mask: Any, k: Any):
    """``RNNBase._direction`` with a GRU or RNN direction as one ``SequenceScan`` node.

    Truncation (``k``) changes gradients only, not values, so export ignores it.
    """
    if self.rule.name == "LSTM" or mask is not None:
        return _STEPWISE(self, x, layer, d, state, mask, k)
    w_ih, w_hh, b_ih, b_hh = self._weights(layer, "_reverse" if d else "")
    biases = [b for b in (b_ih, b_hh) if b is not None]
    x = getitem(x, _REVERSE) if d else x
    # a two-output Function: apply returns (outputs, h_n), where it declares one Tensor
    both: Any = SequenceScan.apply(x, state[0], w_ih, w_hh, *biases, rule=self.rule.name)
    out, h = both
    return (getitem(out, _REVERSE) if d else out), (h,)


@contextlib.contextmanager
def whole_sequence_scans() -> Iterator[None]:
    """While on, ``nn.GRU`` and ``nn.RNN`` run each layer and direction as one node.

    Process-wide, like the recording of ``lamina.onnx.trace``, whose lock it runs under.
    """
    RNNBase._direction = _direction  # type: ignore[method-assign]  # swapped back below
    try:
        yield
    finally:
        RNNBase._direction = _STEPWISE  # type: ignore[method-assign]


# ---------------------------------------------------------------- converters
def _blocks(w: np.ndarray, hid: int, order: list[int]) -> np.ndarray:
    """The gate blocks of w (G*H, ...) in ``order``."""
    return np.concatenate([w[k * hid : (k + 1) * hid] for k in order])


def _recurrent(
    n: Node, op: str, order: list[int], params: list[np.ndarray], n_out: int, **attrs: Any
) -> list[str]:
    """One ONNX ``op`` node (forward direction) over the node's input sequence.

    ``params`` are PyTorch's w_ih, w_hh and the biases (none when the layer has no bias);
    the states (N, H) become ONNX's (1, N, H) and back.
    """
    hid = n.in_shapes[1][-1]
    kind = op.lower()
    w = n.b.const(_blocks(params[0], hid, order)[None], f"{kind}_W")
    r = n.b.const(_blocks(params[1], hid, order)[None], f"{kind}_R")
    biases = params[2:] or [np.zeros(len(params[0]), params[0].dtype)] * 2
    bias = np.concatenate([_blocks(b, hid, order) for b in biases])[None]
    zero, one = n.b.const(np.array([0], np.int64)), n.b.const(np.array([1], np.int64))
    states = [n.b.op("Unsqueeze", name, zero) for name in n.names[1:n_out]]
    outs = n.b.add(
        op,
        [n.names[0], w, r, n.b.const(bias, f"{kind}_B"), "", *states],
        n_out,
        hidden_size=hid,
        **attrs,
    )
    return [n.b.op("Squeeze", outs[0], one), *(n.b.op("Squeeze", s, zero) for s in outs[1:])]


@converts(LSTMScan)
def _lstm(n: Node) -> list[str]:
    if n.kw.get("mask") is not None:
        raise n.fail("masked (packed) sequences have no ONNX LSTM mapping")
    params = [t.data for t in n.fn._inputs[3:]]
    return _recurrent(n, "LSTM", [0, 3, 1, 2], params, 3)  # i, f, g, o -> i, o, f, c


@converts(SequenceScan)
def _sequence_scan(n: Node) -> list[str]:
    params = [t.data for t in n.fn._inputs[2:]]
    if n.kw["rule"] == "GRU":  # r, z, n -> z, r, h
        return _recurrent(n, "GRU", [1, 0, 2], params, 2, linear_before_reset=1)
    act = "Tanh" if n.kw["rule"] == "RNN_TANH" else "Relu"
    return _recurrent(n, "RNN", [0], params, 2, activations=[act])
