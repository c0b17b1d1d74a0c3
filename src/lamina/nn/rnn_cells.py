"""Recurrent cells: one time step of an Elman RNN, an LSTM and a GRU, with PyTorch's maths.

Each kind of cell is a ``CellRule``: how many gate blocks its weights stack, how many state
tensors it carries, how the input projection is formed and the step itself, composed from
lamina ops (so gradients of gradients work). The cell modules (``RNNCell``, ``LSTMCell``,
``GRUCell``) and the sequence layers of ``lamina.nn.recurrent`` share these rules.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from lamina.autodiff.dtypes import factory_dtype
from lamina.autodiff.tensor import Tensor
from lamina.errors import ShapeError, check_in, check_positive_int
from lamina.nn import init
from lamina.nn.module import Module
from lamina.nn.parameter import Parameter
from lamina.ops.affine import linear
from lamina.ops.elementwise import relu, sigmoid, tanh
from lamina.ops.linalg import matmul
from lamina.ops.shape import reshape

__all__ = ["GRUCell", "LSTMCell", "RNNCell"]

State = tuple[Tensor, ...]


@dataclass(frozen=True)
class CellRule:
    """The maths of one kind of recurrent cell.

    ``step(gx_t, state, w_hh_t, b_hh)`` takes the input projection of one step, the state,
    the transposed hidden weights (H, G*H) and the hidden bias (None when it was folded into
    gx) and returns the new state, h first.
    """

    name: str
    gates: int
    n_states: int
    fold_hidden_bias: bool  # b_hh can be added to the input projection once per sequence
    step: Callable[[Tensor, State, Tensor, Tensor | None], State]

    def project(self, x: Tensor, w_ih: Tensor, b_ih: Tensor | None, b_hh: Tensor | None) -> Tensor:
        """x @ w_ih^T + b_ih (+ b_hh when it folds): one matrix product for all steps.

        x (..., I) is flattened to 2-D first: NumPy runs a stacked product with a transposed
        operand without BLAS, several times slower.
        """
        bias = b_ih
        if self.fold_hidden_bias and b_hh is not None:
            bias = b_hh if b_ih is None else b_ih + b_hh  # one (G*H,) sum, not one per step
        gx = linear(reshape(x, (-1, x.shape[-1])), w_ih, bias)
        return reshape(gx, (*x.shape[:-1], gx.shape[-1]))


def _elman(nonlinearity: Callable[[Tensor], Tensor]) -> Callable[..., State]:
    def step(gx: Tensor, state: State, w_hh_t: Tensor, b_hh: Tensor | None) -> State:
        """h' = act(x @ W_ih^T + b_ih + h @ W_hh^T + b_hh)."""
        return (nonlinearity(gx + matmul(state[0], w_hh_t)),)

    return step


def _lstm_step(gx: Tensor, state: State, w_hh_t: Tensor, b_hh: Tensor | None) -> State:
    """z = gx + h @ W_hh^T split as i, f, g, o; c' = f*c + i*g; h' = o*tanh(c')."""
    h, c = state
    n = h.shape[-1]
    z = gx + matmul(h, w_hh_t)
    s = sigmoid(z)  # one op for the three sigmoid gates; the g block of it is unused
    i, f, o = s[..., :n], s[..., n : 2 * n], s[..., 3 * n :]
    g = tanh(z[..., 2 * n : 3 * n])
    c_new = f * c + i * g
    return o * tanh(c_new), c_new


def _gru_step(gx: Tensor, state: State, w_hh_t: Tensor, b_hh: Tensor | None) -> State:
    """r, z = sigmoid(gx_rz + gh_rz); n = tanh(gx_n + r*gh_n); h' = (1 - z)*n + z*h.

    gh = h @ W_hh^T + b_hh keeps b_hn inside r * (...), as PyTorch does.
    """
    (h,) = state
    k = h.shape[-1]
    gh = matmul(h, w_hh_t)
    if b_hh is not None:
        gh = gh + b_hh
    rz = sigmoid(gx[..., : 2 * k] + gh[..., : 2 * k])
    r, z = rz[..., :k], rz[..., k:]
    n = tanh(gx[..., 2 * k :] + r * gh[..., 2 * k :])
    return (n + z * (h - n),)


RULES: dict[str, CellRule] = {
    "RNN_TANH": CellRule("RNN_TANH", 1, 1, True, _elman(tanh)),
    "RNN_RELU": CellRule("RNN_RELU", 1, 1, True, _elman(relu)),
    "LSTM": CellRule("LSTM", 4, 2, True, _lstm_step),
    "GRU": CellRule("GRU", 3, 1, False, _gru_step),
}


def init_uniform(params: Any, hidden_size: int, rng: np.random.Generator | None) -> None:
    """PyTorch's recurrent default: every weight and bias ~ U(-1/sqrt(H), 1/sqrt(H))."""
    bound = 1 / math.sqrt(hidden_size)
    for p in params:
        init.uniform_(p, -bound, bound, rng)


class _CellBase(Module):
    """Parameters weight_ih (G*H, I), weight_hh (G*H, H), bias_ih and bias_hh (G*H,)."""

    def __init__(
        self,
        rule: CellRule,
        input_size: int,
        hidden_size: int,
        bias: bool,
        device: Any,
        dtype: Any,
        rng: Any,
    ) -> None:
        super().__init__()
        self.rule = rule
        dt = factory_dtype(type(self).__name__, device, dtype)
        check_positive_int(type(self).__name__, input_size=input_size, hidden_size=hidden_size)
        self.input_size, self.hidden_size, self.bias = input_size, hidden_size, bias
        rows = self.rule.gates * hidden_size
        self.weight_ih = Parameter(np.empty((rows, input_size), dt))
        self.weight_hh = Parameter(np.empty((rows, hidden_size), dt))
        self.bias_ih = Parameter(np.empty(rows, dt)) if bias else None
        self.bias_hh = Parameter(np.empty(rows, dt)) if bias else None
        self.reset_parameters(rng)

    def reset_parameters(self, rng: np.random.Generator | None = None) -> None:
        """U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)) for every parameter (PyTorch's)."""
        init_uniform(self.parameters(), self.hidden_size, rng)

    def _check(self, x: Tensor, hx: Any) -> tuple[Tensor, State, bool]:
        if x.ndim not in (1, 2) or x.shape[-1] != self.input_size:
            raise ShapeError(
                f"{self!r}: expected input (N, {self.input_size}) or ({self.input_size},), "
                f"got {x.shape}"
            )
        batched = x.ndim == 2
        x = x if batched else x.reshape(1, -1)
        want = (x.shape[0], self.hidden_size)
        if hx is None:
            zeros = Tensor._wrap(np.zeros(want, x.dtype))
            return x, (zeros,) * self.rule.n_states, batched
        state = tuple(hx) if isinstance(hx, (tuple, list)) else (hx,)
        state = tuple(s if batched else s.reshape(1, -1) for s in state)
        if len(state) != self.rule.n_states or any(s.shape != want for s in state):
            raise ShapeError(
                f"{self!r}: expected {self.rule.n_states} state tensor(s) of shape "
                f"{want if batched else want[1:]}, got {[tuple(s.shape) for s in state]}"
            )
        return x, state, batched

    def _step(self, x: Tensor, hx: Any) -> State:
        x, state, batched = self._check(x, hx)
        gx = self.rule.project(x, self.weight_ih, self.bias_ih, self.bias_hh)
        b_hh = None if self.rule.fold_hidden_bias else self.bias_hh
        new = self.rule.step(gx, state, self.weight_hh.transpose(0, 1), b_hh)
        return new if batched else tuple(s.reshape(-1) for s in new)

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        return s if self.bias else s + ", bias=False"


class RNNCell(_CellBase):
    """Elman cell: h' = act(x @ W_ih^T + b_ih + h @ W_hh^T + b_hh), act = tanh or relu.

    Parameters
    ----------
    input_size, hidden_size : int
    bias : bool, default=True
    nonlinearity : {'tanh', 'relu'}, default='tanh'
    device : "cpu", optional
    dtype : float32 or float64, optional
        The default dtype unless given.
    rng : numpy.random.Generator, optional

    Notes
    -----
    forward(input (N, I) or (I,), hx (N, H) or None) returns h' (N, H). PyTorch keeps two
    biases, b_ih and b_hh, whose sum acts as the one bias of the course's formula
    h' = act(W [x; h] + b), so the course counts (m + n) * n + n parameters and PyTorch
    (m + n) * n + 2n. All parameters start as U(-1/sqrt(H), 1/sqrt(H)).
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        nonlinearity: str = "tanh",
        device: Any = None,
        dtype: Any = None,
        *,
        rng: np.random.Generator | None = None,
    ) -> None:
        check_in("RNNCell", "nonlinearity", nonlinearity, ("tanh", "relu"))
        rule = RULES["RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU"]
        super().__init__(rule, input_size, hidden_size, bias, device, dtype, rng)
        self.nonlinearity = nonlinearity

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        return self._step(input, hx)[0]

    def extra_repr(self) -> str:
        s = super().extra_repr()
        return s if self.nonlinearity == "tanh" else s + ", nonlinearity=relu"


class LSTMCell(_CellBase):
    """One LSTM step, gates in PyTorch's order i, f, g, o.

    z = x @ W_ih^T + b_ih + h @ W_hh^T + b_hh, split into four blocks of H::

        i = sigmoid(z_i)  f = sigmoid(z_f)  g = tanh(z_g)  o = sigmoid(z_o)
        c' = f * c + i * g;   h' = o * tanh(c')

    Parameters
    ----------
    input_size, hidden_size : int
    bias : bool, default=True
    device : "cpu", optional
    dtype : float32 or float64, optional
        The default dtype unless given.
    rng : numpy.random.Generator, optional

    Notes
    -----
    forward(input (N, I), hx=(h, c) or None) returns (h', c'). Weights have shape (4H, I)
    and (4H, H). The course counts 4 * n * (m + n + 1) parameters; PyTorch's second bias adds
    4n.
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
        *,
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__(RULES["LSTM"], input_size, hidden_size, bias, device, dtype, rng)

    def forward(self, input: Tensor, hx: tuple[Tensor, Tensor] | None = None) -> State:
        return self._step(input, hx)


class GRUCell(_CellBase):
    """One GRU step, gates in PyTorch's order r, z, n.

    r = sigmoid(W_ir x + b_ir + W_hr h + b_hr);   z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
    n = tanh(W_in x + b_in + r * (W_hn h + b_hn));  h' = (1 - z) * n + z * h

    Parameters
    ----------
    input_size, hidden_size : int
    bias : bool, default=True
    device : "cpu", optional
    dtype : float32 or float64, optional
        The default dtype unless given.
    rng : numpy.random.Generator, optional

    Notes
    -----
    forward(input (N, I), hx (N, H) or None) returns h'. Weights have shape (3H, I), (3H, H).
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
        *,
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__(RULES["GRU"], input_size, hidden_size, bias, device, dtype, rng)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        return self._step(input, hx)[0]
