"""Op records of the remaining exported ops: broadcasting helpers, casts, clamp, comparisons,
index_add, pairwise_distance, sign, dropout in eval mode, and the LSTM scan.

lstm_scan's twin is the LSTM recurrence written step by step with PyTorch ops (gates i, f, g,
o as PyTorch orders them; a masked step keeps the state and outputs zeros).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
import torch.nn.functional as TF
from hypothesis import strategies as st

import lamina as L
from specs.opspec import (
    OpSpec,
    Shapes,
    broadcastable,
    fixed,
    repeated_rows,
    same,
    unary,
)

O = L.ops


def _options(**choices: list[Any]) -> Any:
    return lambda s: st.fixed_dictionaries({k: st.sampled_from(v) for k, v in choices.items()})


def _torch_index_add(g: torch.Tensor, i: torch.Tensor, shape: tuple[int, ...]) -> torch.Tensor:
    return torch.zeros(shape, dtype=g.dtype).index_put((i,), g, accumulate=True)


def _lengths_mask(rng: np.random.Generator, shapes: Shapes, params: dict[str, Any]) -> tuple:
    steps, n = shapes[0][:2]
    lengths = rng.integers(1, steps + 1, size=n)
    lengths[0] = steps
    return (np.arange(steps)[:, None] < lengths[None, :],)


def _torch_lstm_scan(x: Any, h: Any, c: Any, w_ih: Any, w_hh: Any, *rest: Any) -> Any:
    *biases, mask = rest
    outs = []
    for t in range(x.shape[0]):
        gates = x[t] @ w_ih.T + h @ w_hh.T + sum(biases, torch.zeros(()))
        i, f, g, o = gates.chunk(4, 1)
        c_new = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        h_new = torch.sigmoid(o) * torch.tanh(c_new)
        m = mask[t][:, None]
        h, c = torch.where(m, h_new, h), torch.where(m, c_new, c)
        outs.append(torch.where(m, h_new, torch.zeros(())))
    return torch.stack(outs), h, c


def _lstm_shapes(bias: bool) -> Any:
    """(T, N, I) input, (N, H) states, PyTorch's weights (and biases); 6 steps span one full
    block of gate factors and part of the next."""
    steps, n, n_in, hid = 6, 3, 2, 3
    shapes = [(steps, n, n_in), (n, hid), (n, hid), (4 * hid, n_in), (4 * hid, hid)]
    return fixed(*shapes, *([(4 * hid,)] * (2 if bias else 0)))


OPS: list[OpSpec] = [
    OpSpec(
        "broadcast_to",
        lambda x: O.broadcast_to(x, (2, 3, 4)),
        lambda x: torch.broadcast_to(x, (2, 3, 4)),
        fixed((3, 1)),
    ),
    OpSpec(
        "sum_to", lambda x: O.sum_to(x, (3, 1)), lambda x: x.sum_to_size(3, 1), fixed((2, 3, 4))
    ),
    OpSpec(
        "cast",
        lambda x: O.cast(x, np.dtype("float64")) * 2,  # float32 steps defeat finite differences
        lambda x: x.to(torch.float64) * 2,
        unary(),
    ),
    OpSpec(
        "clamp",
        lambda x, **p: O.clamp(x, **p),
        lambda x, **p: torch.clamp(x, **p),
        unary(),
        lambda s: st.sampled_from([{"min": -0.5, "max": 0.7}, {"min": 0.1}, {"max": -0.3}]),
        second_order=False,
    ),
    OpSpec(
        "concatenate",
        lambda a, b: O.concatenate([a, b], -1),
        lambda a, b: torch.cat([a, b], -1),
        fixed((2, 3, 2), (2, 3, 1)),
    ),
    OpSpec("gt", lambda a, b: a > b, torch.gt, broadcastable(2), differentiable=False),
    OpSpec("le", O.le, torch.le, broadcastable(2), differentiable=False),
    OpSpec("sign", lambda x: x.sign(), torch.sign, unary(), differentiable=False),
    OpSpec(
        "index_add",
        lambda g, i: O.index_add(g, i, (5, *g.shape[1:])),
        lambda g, i: _torch_index_add(g, i, (5, *g.shape[1:])),
        fixed((7, 3)),
        extra=lambda rng, s, p: (rng.integers(0, 5, size=7),),
    ),
    OpSpec(
        "index_add_repeats",
        lambda g, i: O.index_add(g, i, (7,)),
        lambda g, i: _torch_index_add(g, i, (7,)),
        fixed((7,)),
        extra=repeated_rows,
    ),
    OpSpec(
        "pairwise_distance",
        O.pairwise_distance,
        TF.pairwise_distance,
        same(2, 1, 2),
        _options(p=[1.0, 2.0, 3.0], keepdim=[False, True]),
        second_order=False,
    ),
    OpSpec(
        "dropout_eval",
        lambda x, **p: O.dropout(x, 0.5, training=False, **p),
        lambda x, **p: TF.dropout(x, 0.5, training=False, **p),
        unary(),
        _options(inplace=[False, True]),
        covers=("dropout",),
    ),
    OpSpec(
        "lstm_scan",
        lambda *a: O.lstm_scan(*a[:7], mask=a[7]),
        _torch_lstm_scan,
        _lstm_shapes(bias=True),
        domain=(-1.0, 1.0),
        extra=_lengths_mask,
    ),
    OpSpec(
        "lstm_scan_no_bias",
        lambda *a: O.lstm_scan(*a[:5], mask=a[5]),
        _torch_lstm_scan,
        _lstm_shapes(bias=False),
        domain=(-1.0, 1.0),
        extra=_lengths_mask,
    ),
]
