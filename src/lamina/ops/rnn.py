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


def _gate_scale(hidden: int, dtype: np.dtype) -> np.ndarray:
    """-1 on the i, f, o blocks and -2 on g: 1 / (1 + exp(scale * z)) gives every gate.

    sigmoid(z) = 1 / (1 + exp(-z)) and tanh(z) = 2 * sigmoid(2z) - 1, so one exp over all
    four blocks (half the cost of NumPy's tanh) serves both kinds of gate.
    """
    scale = np.full(4 * hidden, -1, dtype)
    scale[2 * hidden : 3 * hidden] = -2
    return scale


_BLOCK = 4  # steps whose backward factors are computed together: about 0.5 MB, cache-sized


def _gate_factors(acts, cs, tcs, start, stop, dcdh, fac, fac_o):
    """Fill the buffers with the factors of steps start..stop-1 that need no recurrence.

    With dc_total = dc + dh * o (1 - tc^2), the gate gradients are dz_{i,f,g} = dc_total *
    (g i (1-i), c_prev f (1-f), i (1-g^2)) and dz_o = dh * tc o (1-o). Computed a few steps at
    a time, just before the loop needs them, the arrays stay in cache: over the whole sequence
    at once these dozen passes cost as much as half the loop.
    """
    hid = tcs.shape[-1]
    a, c_prev, tc = acts[start:stop], cs[start:stop], tcs[start:stop]
    i, f, g, o = (a[..., k * hid : (k + 1) * hid] for k in range(4))
    k = stop - start
    d, fc, fo = dcdh[:k], fac[:k], fac_o[:k]
    np.multiply(tc, tc, out=d)
    np.subtract(1, d, out=d)
    d *= o
    for col, (gate, other) in enumerate(((i, g), (f, c_prev))):
        np.subtract(1, gate, out=fc[:, :, col])
        fc[:, :, col] *= gate
        fc[:, :, col] *= other
    np.multiply(g, g, out=fc[:, :, 2])
    np.subtract(1, fc[:, :, 2], out=fc[:, :, 2])
    fc[:, :, 2] *= i
    np.subtract(1, o, out=fo)
    fo *= o
    fo *= tc


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
        hid = h0.shape[-1]
        scale = _gate_scale(hid, gx.dtype)
        w_s = np.ascontiguousarray(w_hh.T * scale)  # (H, 4H), pre-scaled for the one exp
        acts = np.empty_like(gx)  # the gate activations, saved for backward
        hs = np.empty((steps + 1, n, hid), gx.dtype)  # h entering each step, and the last
        cs = np.empty((steps + 1, n, hid), gx.dtype)
        tcs = np.empty((steps, n, hid), gx.dtype)  # tanh of each new cell state
        hs[0], cs[0] = h0, c0
        sgx = np.empty((n, 4 * hid), gx.dtype)  # the scaled input term, one buffer for all steps
        ig = np.empty((n, hid), gx.dtype)
        with np.errstate(over="ignore"):  # exp(large) = inf gives the right limit, 0
            for t in range(steps):
                a = np.matmul(hs[t], w_s, out=acts[t])
                a += np.multiply(gx[t], scale, out=sgx)  # per step: the data stays in cache
                np.exp(a, out=a)
                a += 1
                np.reciprocal(a, out=a)
                g = a[:, 2 * hid : 3 * hid]
                g *= 2
                g -= 1
                c = cs[t + 1]
                np.multiply(a[:, hid : 2 * hid], cs[t], out=c)
                c += np.multiply(a[:, :hid], g, out=ig)
                np.tanh(c, out=tcs[t])
                np.multiply(a[:, 3 * hid :], tcs[t], out=hs[t + 1])
                if mask is not None:  # padded steps keep the state
                    keep = ~mask[t][:, None]
                    np.copyto(hs[t + 1], hs[t], where=keep)
                    np.copyto(c, cs[t], where=keep)
        out = np.empty((steps + 2, n, hid), gx.dtype)
        out[:steps] = hs[1:] if mask is None else hs[1:] * mask[:, :, None]
        out[steps], out[steps + 1] = hs[steps], cs[steps]
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
        steps, n, hid = tcs.shape
        w_hh = ctx.inputs[3].data
        f = acts[..., hid : 2 * hid]
        block = min(_BLOCK, steps)
        dcdh = np.empty((block, n, hid), acts.dtype)  # the gate factors of one block of steps
        fac = np.empty((block, n, 3, hid), acts.dtype)
        fac_o = np.empty((block, n, hid), acts.dtype)
        dz = np.empty_like(acts)
        dz3 = dz[..., : 3 * hid].reshape(steps, n, 3, hid)
        dh, dc = g[steps].copy(), g[steps + 1].copy()
        dh_step, dct = np.empty_like(dh), np.empty_like(dc)  # per-step buffers, reused
        dh_buf, dc_buf = np.empty_like(dh), np.empty_like(dc)
        for t in range(steps - 1, -1, -1):
            j = t % block
            if t == steps - 1 or j == block - 1:  # entering a block: its factors, in cache
                start = t - j
                _gate_factors(acts, cs, tcs, start, t + 1, dcdh, fac, fac_o)
            np.add(dh, g[t], out=dh_step)
            if mask is not None:
                m = mask[t][:, None]
                dh_step *= m
                dh_keep, dc_keep = dh * ~m, dc * ~m  # carried past padded steps
                dc = dc * m
            np.multiply(dh_step, dcdh[j], out=dct)
            dct += dc
            np.multiply(fac[j], dct[:, None, :], out=dz3[t])
            np.multiply(fac_o[j], dh_step, out=dz[t, :, 3 * hid :])
            dh = np.matmul(dz[t], w_hh, out=dh_buf)  # the old dh and dc are read by now
            dc = np.multiply(dct, f[t], out=dc_buf)
            if mask is not None:
                dh += dh_keep
                dc += dc_keep
            if truncate and t % truncate == 0 and t > 0:  # the state entering t was detached
                dh, dc = np.zeros_like(dh), np.zeros_like(dc)
        dw = dz.reshape(-1, 4 * hid).T @ hs[:steps].reshape(-1, hid)
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
