"""Layer records: the recurrent family (cells, RNN/LSTM/GRU) and Embedding.

Inter-layer dropout stays 0 here: the contract compares train mode with copied weights, and
dropout masks cannot match PyTorch's; tests/nn/test_recurrent.py covers dropout.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from lamina.nn.embedding import Embedding
from lamina.nn.recurrent import GRU, LSTM, RNN
from lamina.nn.rnn_cells import GRUCell, LSTMCell, RNNCell
from specs.layers import Arrays, LayerSpec, randn


class LaminaLSTMWithState(LSTM):
    """LSTM(x, (h0, c0)) called as f(x, h0, c0), so the contract can pass flat arrays."""

    def forward(self, x: Any, h0: Any, c0: Any) -> Any:
        return super().forward(x, (h0, c0))


class TorchLSTMWithState(torch.nn.LSTM):
    def forward(self, x: Any, h0: Any, c0: Any) -> Any:  # type: ignore[override]
        return super().forward(x, (h0, c0))


class LaminaLSTMCellWithState(LSTMCell):
    def forward(self, x: Any, h0: Any, c0: Any) -> Any:  # type: ignore[override]
        return super().forward(x, (h0, c0))


class TorchLSTMCellWithState(torch.nn.LSTMCell):
    def forward(self, x: Any, h0: Any, c0: Any) -> Any:  # type: ignore[override]
        return super().forward(x, (h0, c0))


def arrays(*shapes: tuple[int, ...]) -> Callable[[np.random.Generator], Arrays]:
    return lambda rng: tuple(rng.standard_normal(s) for s in shapes)


def ids(*shape: int, high: int = 10) -> Callable[[np.random.Generator], Arrays]:
    return lambda rng: (rng.integers(0, high, shape),)


def both(make: Callable[..., Any], torch_make: Callable[..., Any], *args: Any, **kw: Any):
    """The lamina and torch constructors called with the same arguments."""
    return (lambda: make(*args, **kw)), (lambda: torch_make(*args, **kw))


def spec(name: str, pair: tuple, inputs: Any, bad: Any = None, **extra: Any) -> LayerSpec:
    return LayerSpec(name, pair[0], pair[1], inputs, bad, **extra)


# float32 tolerances are looser than the default: errors accumulate over the time steps
SEQ32 = {"rtol32": 1e-3, "atol32": 1e-5}

LAYERS = [
    spec("RNNCell", both(RNNCell, torch.nn.RNNCell, 4, 6), randn(3, 4), randn(3, 5)),
    spec(
        "RNNCell_relu_state",
        both(RNNCell, torch.nn.RNNCell, 4, 6, nonlinearity="relu"),
        arrays((3, 4), (3, 6)),
    ),
    spec("RNNCell_unbatched_nobias", both(RNNCell, torch.nn.RNNCell, 4, 6, bias=False), randn(4)),
    spec("LSTMCell", both(LSTMCell, torch.nn.LSTMCell, 4, 6), randn(3, 4), randn(3, 2)),
    spec(
        "LSTMCell_state",
        both(LaminaLSTMCellWithState, TorchLSTMCellWithState, 4, 6),
        arrays((3, 4), (3, 6), (3, 6)),
    ),
    spec("GRUCell", both(GRUCell, torch.nn.GRUCell, 4, 6), randn(3, 4), randn(2, 3, 4)),
    spec("GRUCell_state", both(GRUCell, torch.nn.GRUCell, 4, 6), arrays((3, 4), (3, 6))),
    spec("RNN_tanh", both(RNN, torch.nn.RNN, 4, 6), randn(7, 3, 4), randn(7, 3, 5), **SEQ32),
    spec(
        "RNN_relu_2layers_bidirectional",
        both(RNN, torch.nn.RNN, 4, 6, num_layers=2, nonlinearity="relu", bidirectional=True),
        randn(7, 3, 4),
        **SEQ32,
    ),
    spec(
        "RNN_state_batch_first_nobias",
        both(RNN, torch.nn.RNN, 4, 6, bias=False, batch_first=True),
        arrays((3, 7, 4), (1, 3, 6)),
        **SEQ32,
    ),
    spec("LSTM", both(LSTM, torch.nn.LSTM, 4, 6), randn(7, 3, 4), randn(5, 3, 7), **SEQ32),
    spec(
        "LSTM_2layers_bidirectional",
        both(LSTM, torch.nn.LSTM, 4, 6, num_layers=2, bidirectional=True),
        randn(7, 3, 4),
        randn(7, 3),
        **SEQ32,
    ),
    spec(
        "LSTM_batch_first_state",
        both(LaminaLSTMWithState, TorchLSTMWithState, 4, 6, batch_first=True),
        arrays((3, 7, 4), (1, 3, 6), (1, 3, 6)),
        **SEQ32,
    ),
    spec(
        "LSTM_2layers_bidirectional_state",
        both(LaminaLSTMWithState, TorchLSTMWithState, 4, 6, num_layers=2, bidirectional=True),
        arrays((7, 3, 4), (4, 3, 6), (4, 3, 6)),
        **SEQ32,
    ),
    spec(
        "LSTM_2layers_bidirectional_seq7",
        (
            lambda: LSTM(4, 6, num_layers=2, bidirectional=True),
            lambda: torch.nn.LSTM(4, 6, num_layers=2, bidirectional=True),
        ),
        randn(7, 3, 4),
        **SEQ32,
    ),
    spec("LSTM_unbatched", both(LSTM, torch.nn.LSTM, 4, 6), randn(7, 4), **SEQ32),
    spec("GRU", both(GRU, torch.nn.GRU, 4, 6), randn(7, 3, 4), randn(7, 3, 5), **SEQ32),
    spec(
        "GRU_2layers_bidirectional_batch_first",
        both(GRU, torch.nn.GRU, 4, 6, num_layers=2, bidirectional=True, batch_first=True),
        randn(3, 7, 4),
        **SEQ32,
    ),
    spec(
        "GRU_2layers_state",
        both(GRU, torch.nn.GRU, 4, 6, num_layers=2),
        arrays((7, 3, 4), (2, 3, 6)),
        **SEQ32,
    ),
    spec("Embedding", both(Embedding, torch.nn.Embedding, 10, 3), ids(4, 5), randn(4, 5)),
    spec(
        "Embedding_padding_idx",
        both(Embedding, torch.nn.Embedding, 10, 3, padding_idx=0),
        ids(4, 5),
        lambda rng: (np.array([[1, 10]]),),
    ),
]
