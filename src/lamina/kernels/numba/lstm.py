"""An LSTM over a whole sequence: one matrix product per step, all gate arithmetic compiled.

Per step, gates in PyTorch's order (i, f, g, o), z = x_t W_ih^T + b + h W_hh^T::

    i, f, o = sigmoid(z_i, z_f, z_o);  g = tanh(z_g)
    c' = f * c + i * g;                h' = o * tanh(c')

and backward, with dh the gradient reaching h' (from the output and the next step)::

    dc_t = dc' + dh * o * (1 - tanh(c')^2)
    dz = (dc_t * g * i(1-i),  dc_t * c * f(1-f),  dc_t * i * (1-g^2),  dh * tanh(c') * o(1-o))
    dc = dc_t * f,            dh_prev = dz W_hh

The input projection of every step is one product before the loop, the weight gradients one
product after it. A (T, N) ``mask`` keeps the state through padded steps (their output is 0);
``truncate=k`` stops the gradient through the state entering every k-th step.
"""

from __future__ import annotations

from typing import Any

import numba
import numpy as np

from lamina.kernels import register

__all__ = ["lstm_backward", "lstm_forward"]


@numba.njit(cache=True)
def _step(z, c_prev, h_prev, m, acts, c, tc, h):  # pragma: no cover - compiled
    n, hid = c.shape
    one = z.dtype.type(1)
    for b in range(n):
        keep = m[b] == 0
        for k in range(hid):
            i = one / (one + np.exp(-z[b, k]))
            f = one / (one + np.exp(-z[b, hid + k]))
            g = np.tanh(z[b, 2 * hid + k])
            o = one / (one + np.exp(-z[b, 3 * hid + k]))
            acts[b, k], acts[b, hid + k], acts[b, 2 * hid + k], acts[b, 3 * hid + k] = i, f, g, o
            cn = f * c_prev[b, k] + i * g
            t = np.tanh(cn)
            tc[b, k] = t
            if keep:
                c[b, k], h[b, k] = c_prev[b, k], h_prev[b, k]
            else:
                c[b, k], h[b, k] = cn, o * t


@numba.njit(cache=True)
def _step_back(acts, c_prev, tc, gout, dh, dc, m, dz, dc_new, dh_keep):  # pragma: no cover
    n, hid = tc.shape
    one = tc.dtype.type(1)
    for b in range(n):
        if m[b] == 0:  # a padded step: the state passed through, no gate saw a gradient
            for k in range(hid):
                dz[b, k] = dz[b, hid + k] = dz[b, 2 * hid + k] = dz[b, 3 * hid + k] = 0
                dc_new[b, k], dh_keep[b, k] = dc[b, k], dh[b, k]
            continue
        for k in range(hid):
            i, f = acts[b, k], acts[b, hid + k]
            g, o = acts[b, 2 * hid + k], acts[b, 3 * hid + k]
            t = tc[b, k]
            dht = dh[b, k] + gout[b, k]
            dct = dc[b, k] + dht * o * (one - t * t)
            dz[b, k] = dct * g * i * (one - i)
            dz[b, hid + k] = dct * c_prev[b, k] * f * (one - f)
            dz[b, 2 * hid + k] = dct * i * (one - g * g)
            dz[b, 3 * hid + k] = dht * t * o * (one - o)
            dc_new[b, k], dh_keep[b, k] = dct * f, 0


def lstm_forward(x, h0, c0, w_ih, w_hh, bias, mask):
    """Run the sequence x (T, N, I) from (h0, c0); ``bias`` (4H,) or None, ``mask`` (T, N)
    bool or None. Return hs (T + 1, N, H) (h entering each step, then the last), cs (T + 1,
    N, H) likewise, and what the backward needs: acts (T, N, 4H), tcs (T, N, H)."""
    steps, n, _ = x.shape
    hid = h0.shape[-1]
    xz = x.reshape(steps * n, -1) @ w_ih.T
    if bias is not None:
        xz += bias
    xz = xz.reshape(steps, n, 4 * hid)
    hs, cs = np.empty((steps + 1, n, hid), x.dtype), np.empty((steps + 1, n, hid), x.dtype)
    hs[0], cs[0] = h0, c0
    acts, tcs = np.empty((steps, n, 4 * hid), x.dtype), np.empty((steps, n, hid), x.dtype)
    masks = np.ones((steps, n), np.uint8) if mask is None else mask.astype(np.uint8)
    w_hh_t = np.ascontiguousarray(w_hh.T)
    z = np.empty((n, 4 * hid), x.dtype)
    with np.errstate(over="ignore"):
        for t in range(steps):
            np.matmul(hs[t], w_hh_t, out=z)
            z += xz[t]
            _step(z, cs[t], hs[t], masks[t], acts[t], cs[t + 1], tcs[t], hs[t + 1])
    return hs, cs, acts, tcs


def lstm_backward(gout, dh, dc, x, w_ih, w_hh, hs, cs, acts, tcs, mask, truncate, n_biases):
    """Gradients of the scan: gout (T, N, H) reaches the outputs, dh and dc (N, H) the final
    state. Return dx (T, N, I), dh0, dc0, dw_ih, dw_hh and db (4H,) (None without biases)."""
    steps, n, hid = tcs.shape
    masks = np.ones((steps, n), np.uint8) if mask is None else mask.astype(np.uint8)
    dz = np.empty((steps, n, 4 * hid), gout.dtype)
    dh, dc = dh.astype(gout.dtype), dc.astype(gout.dtype)
    dc_new, dh_keep = np.empty_like(dc), np.empty_like(dh)
    dh_next = np.empty_like(dh)
    for t in range(steps - 1, -1, -1):
        _step_back(acts[t], cs[t], tcs[t], gout[t], dh, dc, masks[t], dz[t], dc_new, dh_keep)
        np.matmul(dz[t], w_hh, out=dh_next)
        if mask is not None:
            dh_next += dh_keep
        dh, dh_next = dh_next, dh
        dc, dc_new = dc_new, dc
        if truncate and t % truncate == 0 and t > 0:  # the state entering t was detached
            dh[...] = 0
            dc[...] = 0
    flat = dz.reshape(steps * n, 4 * hid)
    dx = (flat @ w_ih).reshape(steps, n, -1)
    dw_ih = flat.T @ x.reshape(steps * n, -1)
    dw_hh = flat.T @ hs[:steps].reshape(steps * n, hid)
    db = flat.sum(axis=0) if n_biases else None
    return dx, dh.copy(), dc.copy(), dw_ih, dw_hh, db


@register("lamina.ops.rnn.LSTMScan", "numba")
class LSTMScan:
    """The whole-sequence LSTM: per step one BLAS product and one compiled gate kernel;
    backward likewise, then the weight gradients as three products over the sequence."""

    def forward(ctx: Any, x, h0, c0, w_ih, w_hh, *biases, mask, truncate):
        bias = sum(biases) if biases else None
        hs, cs, acts, tcs = lstm_forward(x, h0, c0, w_ih, w_hh, bias, mask)
        if ctx.grad_enabled:
            ctx.saved = (hs, cs, acts, tcs, mask, truncate)
        steps = x.shape[0]
        out = hs[1:].copy() if mask is None else hs[1:] * mask[:, :, None]
        return out, hs[steps].copy(), cs[steps].copy()

    def backward(ctx: Any, g, g_h, g_c):
        hs, cs, acts, tcs, mask, truncate = ctx.saved
        x, _, _, w_ih, w_hh = ctx.arrays[:5]
        n_biases = len(ctx.needs_input_grad) - 5
        dx, dh, dc, dw_ih, dw_hh, db = lstm_backward(
            g, g_h, g_c, x, w_ih, w_hh, hs, cs, acts, tcs, mask, truncate, n_biases
        )
        dbs = [db if k == 0 else db.copy() for k in range(n_biases)]
        return dx, dh, dc, dw_ih, dw_hh, *dbs
