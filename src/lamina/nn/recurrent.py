"""Recurrent sequence layers: ``RNN``, ``LSTM`` and ``GRU`` (the pyramidal stack of LAS is in
``lamina.nn.pyramidal``).

One generic wrapper, ``RNNBase``, owns the time loop, the layers, the directions, masking of
padded steps and truncation of backpropagation; the step maths comes from the cell rules of
``lamina.nn.rnn_cells``. Parameter names, shapes and return values are PyTorch's.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lamina.autodiff.dtypes import factory_dtype
from lamina.autodiff.tensor import Tensor
from lamina.errors import DTypeError, ShapeError, check_in, check_positive_int
from lamina.nn.module import Module
from lamina.nn.packing import PackedSequence, check_lengths
from lamina.nn.parameter import Parameter
from lamina.nn.rnn_cells import RULES, CellRule, State, init_uniform
from lamina.ops.elementwise import where
from lamina.ops.index import getitem
from lamina.ops.regularize import dropout as dropout_op
from lamina.ops.rnn import lstm_scan
from lamina.ops.shape import cat, reshape, stack

__all__ = ["GRU", "LSTM", "RNN", "RNNBase"]

_NAMES = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


class RNNBase(Module):
    """A stack of recurrent layers over a sequence; the subclasses pick the cell rule.

    forward(input, hx=None, lengths=None, truncate=None):

    - input (L, N, input_size), (N, L, input_size) with ``batch_first``, unbatched (L, I), or
      a ``PackedSequence`` (then the output is one too);
    - hx: initial state (num_layers * D, N, H) (an (h0, c0) pair for the LSTM), zeros if None;
    - lengths: (N,) real length of each sequence. Padded steps neither change the state nor
      reach the output: their outputs are zero, h_n is the state after each sequence's last
      real step, and the reverse direction starts at each sequence's own end (PyTorch's
      ``pack_padded_sequence`` semantics, without packing);
    - truncate: k cuts the gradient through the carried state every k steps (truncated BPTT);
      the forward values do not change.

    Returns (output, h_n): output (L, N, D * H) (batch first if ``batch_first``), h_n
    (num_layers * D, N, H); ``LSTM`` returns (output, (h_n, c_n)).
    """

    def __init__(
        self,
        rule: CellRule,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        *,
        device: Any = None,
        dtype: Any = None,
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__()
        owner = type(self).__name__
        dt = factory_dtype(owner, device, dtype)
        check_positive_int(owner, input_size=input_size, hidden_size=hidden_size)
        check_positive_int(owner, num_layers=num_layers)
        if not isinstance(dropout, (int, float)) or not 0 <= dropout <= 1:
            raise ValueError(f"{owner}: dropout must be in [0, 1], got {dropout!r}")
        self.rule = rule
        self.input_size, self.hidden_size, self.num_layers = input_size, hidden_size, num_layers
        self.bias, self.batch_first, self.dropout = bias, batch_first, float(dropout)
        self.bidirectional = bidirectional
        rows, d = rule.gates * hidden_size, 2 if bidirectional else 1
        for layer in range(num_layers):
            n_in = input_size if layer == 0 else hidden_size * d
            for suffix in ("", "_reverse")[:d]:
                shapes = [(rows, n_in), (rows, hidden_size)] + ([(rows,)] * 2 if bias else [])
                for name, shape in zip(_NAMES, shapes):
                    setattr(self, f"{name}_l{layer}{suffix}", Parameter(np.empty(shape, dt)))
        self.reset_parameters(rng)

    def reset_parameters(self, rng: np.random.Generator | None = None) -> None:
        """Every weight and bias ~ U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)), PyTorch's."""
        init_uniform(self.parameters(), self.hidden_size, rng)

    # ------------------------------------------------------------------ checks
    def _input(self, x: Tensor, batch_first: bool) -> tuple[Tensor, bool]:
        """The input as time-major (L, N, I), and whether it had a batch dimension."""
        if x.ndim not in (2, 3) or x.shape[-1] != self.input_size:
            i = self.input_size
            raise ShapeError(
                f"{self!r}: expected input (L, N, {i}) or (N, L, {i}) with batch_first, "
                f"got {x.shape}"
            )
        if x.dtype != self.weight_ih_l0.dtype:
            raise DTypeError(f"{self!r}: expected {self.weight_ih_l0.dtype} input, got {x.dtype}")
        if x.ndim == 2:
            return reshape(x, (x.shape[0], 1, x.shape[1])), False
        return (x.transpose(0, 1) if batch_first else x), True

    def _initial_state(self, hx: Any, x: Tensor, batched: bool) -> State:
        want = (self.num_layers * (2 if self.bidirectional else 1), x.shape[1], self.hidden_size)
        if hx is None:
            return (Tensor._wrap(np.zeros(want, x.dtype)),) * self.rule.n_states
        state = tuple(hx) if isinstance(hx, (tuple, list)) else (hx,)
        if not batched:
            state = tuple(reshape(s, (s.shape[0], 1, *s.shape[1:])) for s in state)
        if len(state) != self.rule.n_states or any(s.shape != want for s in state):
            shape = want if batched else (want[0], want[2])
            raise ShapeError(
                f"{self!r}: expected hx as {self.rule.n_states} tensor(s) of shape {shape}, "
                f"got {[tuple(s.shape) for s in state]}"
            )
        return state

    def _mask(self, lengths: Any, steps: int, batch: int) -> np.ndarray | None:
        """(L, N) True at real steps, or None when every sequence fills the whole input."""
        if lengths is None:
            return None
        n = check_lengths(repr(self), lengths, batch, steps)
        mask = np.arange(steps)[:, None] < n[None, :]
        return None if mask.all() else mask

    # ------------------------------------------------------------------ the loop
    def _weights(self, layer: int, suffix: str) -> list[Tensor | None]:
        return [self._parameters.get(f"{name}_l{layer}{suffix}") for name in _NAMES]

    def _scan(
        self, gx: Tensor, state: State, w_hh: Tensor, b_hh: Tensor | None, mask: Any, k: Any
    ) -> tuple[Tensor, State]:
        """Run one direction of one layer over the projected inputs gx (L, N, G*H)."""
        w_t = w_hh.transpose(0, 1)
        b = None if self.rule.fold_hidden_bias else b_hh
        outs = []
        for t in range(gx.shape[0]):
            if k and t and t % k == 0:  # truncated BPTT: no gradient into earlier steps
                state = tuple(s.detach() for s in state)
            new = self.rule.step(gx[t], state, w_t, b)
            if mask is not None:
                m = Tensor._wrap(mask[t][:, None])
                outs.append(new[0] * m.data.astype(gx.dtype))
                new = tuple(where(m, a, b_) for a, b_ in zip(new, state))
            else:
                outs.append(new[0])
            state = new
        return stack(outs, 0), state

    def _direction(self, x: Tensor, layer: int, d: int, state: State, mask: Any, k: Any) -> tuple:
        w_ih, w_hh, b_ih, b_hh = self._weights(layer, "_reverse" if d else "")
        assert w_ih is not None and w_hh is not None  # every layer has both weight matrices
        flip = None
        if d:  # the reverse direction reads each sequence backwards from its own end
            flip = _reversal(mask, x.shape[0])
            x = getitem(x, flip)
        if self.rule.name == "LSTM":  # one op: projection and time loop (lstm_scan)
            out, h, c = lstm_scan(x, state[0], state[1], w_ih, w_hh, b_ih, b_hh, mask, k)
            final: State = (h, c)
        else:
            gx = self.rule.project(x, w_ih, b_ih, b_hh)
            out, final = self._scan(gx, state, w_hh, b_hh, mask, k)
        return (getitem(out, flip) if d else out), final

    def forward(
        self, input: Tensor, hx: Any = None, lengths: Any = None, truncate: int | None = None
    ) -> tuple[Tensor, Any]:
        if isinstance(input, PackedSequence):  # always time-major; lengths ride along
            if lengths is not None:
                raise ValueError(f"{self!r}: a PackedSequence already carries its lengths")
            out, state = self._run(input.data, hx, input.lengths, truncate, False)
            return PackedSequence(out, input.lengths), state
        return self._run(input, hx, lengths, truncate, self.batch_first)

    def _run(self, input: Tensor, hx: Any, lengths: Any, truncate: Any, batch_first: bool) -> Any:
        x, batched = self._input(input, batch_first)
        h0 = self._initial_state(hx, x, batched)
        mask = self._mask(lengths, x.shape[0], x.shape[1])
        if truncate is not None:
            check_positive_int(self, truncate=truncate)
        dirs = 2 if self.bidirectional else 1
        finals: list[State] = []
        for layer in range(self.num_layers):
            outs = []
            for d in range(dirs):
                state = tuple(s[layer * dirs + d] for s in h0)
                out, final = self._direction(x, layer, d, state, mask, truncate)
                outs.append(out)
                finals.append(final)
            x = cat(outs, -1) if dirs == 2 else outs[0]
            if self.dropout and layer < self.num_layers - 1:
                x = dropout_op(x, self.dropout, self.training)
        out = x if batched else reshape(x, (x.shape[0], x.shape[2]))
        if batched and batch_first:
            out = out.transpose(0, 1)
        state = tuple(stack([f[i] for f in finals], 0) for i in range(self.rule.n_states))
        if not batched:
            state = tuple(reshape(s, (s.shape[0], s.shape[2])) for s in state)
        return out, (state if self.rule.n_states == 2 else state[0])

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        defaults = {"num_layers": 1, "bias": True, "batch_first": False, "dropout": 0.0}
        defaults["bidirectional"] = False
        for name, default in defaults.items():
            if getattr(self, name) != default:
                s += f", {name}={getattr(self, name)}"
        return s


def _reversal(mask: np.ndarray | None, steps: int) -> Any:
    """The index that reverses every sequence within its length (an involution)."""
    if mask is None:
        return slice(None, None, -1)
    lengths = mask.sum(0)
    t = np.arange(steps)[:, None]
    rev = np.where(t < lengths[None, :], lengths[None, :] - 1 - t, t)
    return rev, np.arange(mask.shape[1])[None, :]


class RNN(RNNBase):
    """Elman RNN: h_t = act(x_t @ W_ih^T + b_ih + h_{t-1} @ W_hh^T + b_hh), act tanh or relu.

    Parameters
    ----------
    input_size, hidden_size : int
    num_layers : int, default=1
    nonlinearity : {'tanh', 'relu'}, default='tanh'
    bias : bool, default=True
    batch_first : bool, default=False
    dropout : float, default=0
        Dropout on the outputs of every layer but the last, in training mode.
    bidirectional : bool, default=False
    device : "cpu", optional
    dtype : float32 or float64, optional
        The default dtype unless given.
    rng : numpy.random.Generator, optional

    Notes
    -----
    See ``RNNBase`` for forward's arguments and results. Per layer and direction:
    weight_ih_l{k} (H, I), weight_hh_l{k} (H, H), bias_ih_l{k}, bias_hh_l{k} (H,), with
    ``_reverse`` for the backward direction. The course counts (m + n) * n + n parameters
    per layer; PyTorch's two biases make it (m + n) * n + 2n.
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        nonlinearity: str = "tanh",
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        *,
        device: Any = None,
        dtype: Any = None,
        rng: np.random.Generator | None = None,
    ) -> None:
        check_in("RNN", "nonlinearity", nonlinearity, ("tanh", "relu"))
        rule = RULES["RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU"]
        super().__init__(
            rule,
            input_size,
            hidden_size,
            num_layers,
            bias,
            batch_first,
            dropout,
            bidirectional,
            device=device,
            dtype=dtype,
            rng=rng,
        )
        self.nonlinearity = nonlinearity

    def extra_repr(self) -> str:
        s = super().extra_repr()
        return s if self.nonlinearity == "tanh" else s + ", nonlinearity=relu"


class LSTM(RNNBase):
    """Long short-term memory over a sequence; gates in PyTorch's order i, f, g, o.

    i, f, o = sigmoid(z_i, z_f, z_o), g = tanh(z_g), z = x_t @ W_ih^T + b_ih + h @ W_hh^T + b_hh
    c_t = f * c_{t-1} + i * g;   h_t = o * tanh(c_t)

    Parameters
    ----------
    input_size, hidden_size : int
    num_layers : int, default=1
    bias : bool, default=True
    batch_first : bool, default=False
    dropout : float, default=0
    bidirectional : bool, default=False
    device : "cpu", optional
    dtype : float32 or float64, optional
        The default dtype unless given.
    rng : numpy.random.Generator, optional

    Notes
    -----
    forward(input, (h0, c0)=None, lengths=None, truncate=None) returns
    (output, (h_n, c_n)); see ``RNNBase``. Each layer and direction runs as one op,
    ``lamina.ops.rnn.lstm_scan``. Weights are (4H, I) and (4H, H). The course counts
    4 * n * (m + n + 1) parameters per layer; PyTorch's second bias adds 4n.
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        *,
        device: Any = None,
        dtype: Any = None,
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__(
            RULES["LSTM"],
            input_size,
            hidden_size,
            num_layers,
            bias,
            batch_first,
            dropout,
            bidirectional,
            device=device,
            dtype=dtype,
            rng=rng,
        )


class GRU(RNNBase):
    """Gated recurrent unit over a sequence; gates in PyTorch's order r, z, n.

    r = sigmoid(W_ir x + b_ir + W_hr h + b_hr);   z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
    n = tanh(W_in x + b_in + r * (W_hn h + b_hn));  h_t = (1 - z) * n + z * h_{t-1}

    Parameters
    ----------
    input_size, hidden_size : int
    num_layers : int, default=1
    bias : bool, default=True
    batch_first : bool, default=False
    dropout : float, default=0
    bidirectional : bool, default=False
    device : "cpu", optional
    dtype : float32 or float64, optional
        The default dtype unless given.
    rng : numpy.random.Generator, optional

    Notes
    -----
    Returns (output, h_n); see ``RNNBase``. Weights are (3H, I) and (3H, H).
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        *,
        device: Any = None,
        dtype: Any = None,
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__(
            RULES["GRU"],
            input_size,
            hidden_size,
            num_layers,
            bias,
            batch_first,
            dropout,
            bidirectional,
            device=device,
            dtype=dtype,
            rng=rng,
        )
