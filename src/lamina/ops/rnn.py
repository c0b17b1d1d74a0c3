"""A fused whole-sequence LSTM: the time loop in NumPy, for speed.

The composed LSTM (``lamina.nn.rnn_cells``) records about a dozen graph nodes per time step;
for a character model (64 steps, 100 batches an epoch) their Python overhead dominates the
small matrix products. ``lstm_scan`` runs the recurrence forward and backward on raw arrays,
one node for the whole sequence, which STYLE allows for speed. Its backward is written on
arrays, so it gives first derivatives only: with ``create_graph=True`` it raises, and the
composed path (``LSTM(..., fused=False)``) must be used for gradients of gradients.
"""

from __future__ import annotations

import numpy as np

from lamina.autodiff import grad_mode
from lamina.autodiff.function import Function
from lamina.autodiff.tensor import Tensor
from lamina.errors import ShapeError

__all__ = ["lstm_scan"]


def _gate_activations(z: np.ndarray, hidden: int) -> np.ndarray:
    """Gates in PyTorch's order i, f, g, o: sigmoid on i, f, o and tanh on g, in place.

    sigmoid(z) = (1 + tanh(z / 2)) / 2 never overflows and costs one tanh for all four gates.
    """
    h = hidden
    z[:, : 2 * h] *= 0.5
    z[:, 3 * h :] *= 0.5
    np.tanh(z, out=z)
    z[:, : 2 * h] *= 0.5
    z[:, : 2 * h] += 0.5
    z[:, 3 * h :] *= 0.5
    z[:, 3 * h :] += 0.5
    return z


class LSTMScan(Function):
    """LSTM over a whole sequence; one output array stacks the steps and the final state.

    Inputs: gx (T, N, 4H) = x_t @ W_ih^T + b_ih + b_hh for every step, h0 and c0 (N, H),
    w_hh (4H, H). Per step, with gates in PyTorch's order::

        z = gx_t + h @ w_hh^T;  i, f, o = sigmoid(z_i, z_f, z_o);  g = tanh(z_g)
        c' = f * c + i * g;     h' = o * tanh(c')

    With a (T, N) ``mask``, a padded step keeps the previous state and outputs zeros. With
    ``truncate=k``, no gradient flows through the carried state into steps before each
    multiple of k (truncated backpropagation through time).

    Output (T + 2, N, H): the outputs h_t, then the final h and the final c.
    """

    def forward(ctx, gx, h0, c0, w_hh, mask, truncate):
        steps, n, _ = gx.shape
        hidden = h0.shape[-1]
        w_t = np.ascontiguousarray(w_hh.T)
        acts = np.empty_like(gx)  # gate activations, saved for backward
        hs = np.empty((steps + 1, n, hidden), gx.dtype)  # h entering each step, and the last
        cs = np.empty((steps + 1, n, hidden), gx.dtype)
        tcs = np.empty((steps, n, hidden), gx.dtype)  # tanh of each new cell state
        out = np.empty((steps + 2, n, hidden), gx.dtype)
        hs[0], cs[0] = h0, c0
        h, c = hs[0], cs[0]
        for t in range(steps):
            z = np.matmul(h, w_t, out=acts[t])
            z += gx[t]
            a = _gate_activations(z, hidden)
            i, f, g, o = (
                a[:, :hidden],
                a[:, hidden : 2 * hidden],
                a[:, 2 * hidden : 3 * hidden],
                a[:, 3 * hidden :],
            )
            c_new = f * c
            c_new += i * g
            tc = np.tanh(c_new, out=tcs[t])
            h_new = o * tc
            if mask is not None:
                m = mask[t][:, None]
                out[t] = h_new * m
                h_new = np.where(m, h_new, h)
                c_new = np.where(m, c_new, c)
            else:
                out[t] = h_new
            hs[t + 1], cs[t + 1] = h_new, c_new
            h, c = hs[t + 1], cs[t + 1]
        out[steps], out[steps + 1] = h, c
        ctx.saved = (acts, hs, cs, tcs, mask, truncate)
        return out

    def backward(ctx, grad):
        if grad_mode.is_grad_enabled():
            raise RuntimeError(
                "lstm_scan: the fused LSTM has first derivatives only; for create_graph=True "
                "build the LSTM with fused=False"
            )
        acts, hs, cs, tcs, mask, truncate = ctx.saved
        g = grad.data
        steps, _n, hidden = tcs.shape
        w_hh = ctx.inputs[3].data
        dz = np.empty_like(acts)
        dh, dc = g[steps].copy(), g[steps + 1].copy()
        for t in range(steps - 1, -1, -1):
            a = acts[t]
            i, f, gg, o = (
                a[:, :hidden],
                a[:, hidden : 2 * hidden],
                a[:, 2 * hidden : 3 * hidden],
                a[:, 3 * hidden :],
            )
            if mask is not None:
                m = mask[t][:, None]
                dh_step = (dh + g[t]) * m  # the part of dh that reaches this step's cell
                dc_step = dc * m
                dh_keep, dc_keep = dh - dh * m, dc - dc_step  # carried past padded steps
            else:
                dh_step, dc_step = dh + g[t], dc
                dh_keep = dc_keep = None
            tc = tcs[t]
            dct = dc_step + dh_step * o * (1 - tc * tc)
            d = dz[t]
            d[:, :hidden] = dct * gg * i * (1 - i)
            d[:, hidden : 2 * hidden] = dct * cs[t] * f * (1 - f)
            d[:, 2 * hidden : 3 * hidden] = dct * i * (1 - gg * gg)
            d[:, 3 * hidden :] = dh_step * tc * o * (1 - o)
            dh = d @ w_hh
            dc = dct * f
            if dh_keep is not None:
                dh += dh_keep
                dc += dc_keep
            if truncate and t % truncate == 0 and t > 0:  # the state entering t was detached
                dh, dc = np.zeros_like(dh), np.zeros_like(dc)
        flat_dz = dz.reshape(-1, 4 * hidden)
        dw = flat_dz.T @ hs[:steps].reshape(-1, hidden)
        wrap = Tensor._wrap
        return wrap(dz), wrap(dh), wrap(dc), wrap(dw)


def lstm_scan(
    gx: Tensor,
    h0: Tensor,
    c0: Tensor,
    w_hh: Tensor,
    mask: np.ndarray | None = None,
    truncate: int | None = None,
) -> tuple[Tensor, Tensor, Tensor]:
    """Run an LSTM over gx (T, N, 4H); return outputs (T, N, H), final h and c (N, H).

    ``gx`` is the input projection of every step with both biases added; ``mask`` (T, N) marks
    real steps; ``truncate`` cuts the gradient through the state every that many steps.
    First derivatives only (see the module docstring).
    """
    if (
        gx.ndim != 3
        or gx.shape[-1] != 4 * h0.shape[-1]
        or w_hh.shape != (gx.shape[-1], h0.shape[-1])
    ):
        raise ShapeError(
            f"lstm_scan: expected gx (T, N, 4H), h0 (N, H), w_hh (4H, H), got {gx.shape}, "
            f"{h0.shape}, {w_hh.shape}"
        )
    out = LSTMScan.apply(gx, h0, c0, w_hh, mask=mask, truncate=truncate)
    steps = gx.shape[0]
    return out[:steps], out[steps], out[steps + 1]
