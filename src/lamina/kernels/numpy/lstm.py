"""The LSTM recurrence on arrays: the time loop forward and backward in NumPy, for speed.

The reference (``lamina.ops.rnn``) runs the cell formula step by step and gets its gradient
by recomputing the steps with lamina ops; here the forward keeps every gate activation and
the backward runs the recurrence in reverse on arrays (first derivatives; with
``create_graph`` the engine uses the reference).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lamina.kernels import register

__all__: list[str] = []


def _gates(a: np.ndarray) -> np.ndarray:
    """An (N, 4H) array of the four gates side by side as a gate-major (4, N, H) view."""
    n, width = a.shape
    return a.reshape(n, 4, width // 4).transpose(1, 0, 2)


_BLOCK = 4  # steps whose backward factors are computed together: about 0.5 MB, cache-sized


def _gate_factors(acts, cs, tcs, start, stop, dcdh, fac, fac_o):
    """Fill the buffers with the factors of steps start..stop-1 that need no recurrence.

    With dc_total = dc + dh * o (1 - tc^2), the gate gradients are dz_{i,f,g} = dc_total *
    (g i (1-i), c_prev f (1-f), i (1-g^2)) and dz_o = dh * tc o (1-o). Computed a few steps at
    a time, just before the loop needs them, the arrays stay in cache: over the whole sequence
    at once these dozen passes cost as much as half the loop.
    """
    k = stop - start
    i, f, g, o = acts[start:stop].transpose(1, 0, 2, 3)  # each (k, N, H)
    c_prev, tc = cs[start:stop], tcs[start:stop]
    d, fc, fo = dcdh[:k], fac[:k], fac_o[:k]
    np.multiply(tc, tc, out=d)
    np.subtract(1, d, out=d)
    d *= o
    for col, (gate, other) in enumerate(((i, g), (f, c_prev))):
        np.subtract(1, gate, out=fc[:, col])
        fc[:, col] *= gate
        fc[:, col] *= other
    np.multiply(g, g, out=fc[:, 2])
    np.subtract(1, fc[:, 2], out=fc[:, 2])
    fc[:, 2] *= i
    np.subtract(1, o, out=fo)
    fo *= o
    fo *= tc


_SIGNS = np.array([-1, -1, -2, -1]).reshape(4, 1, 1)  # -z per gate, the g gate doubled


@register("lamina.ops.rnn.LSTMScan", "numpy")
class LSTMScan:
    """The whole-sequence LSTM (``lamina.ops.rnn.LSTMScan``) on arrays, forward and first-order
    backward, one node for the sequence and a dozen NumPy calls a step.

    Inside, one product per step also does the input projection: u_t = [h, x_t] times the
    stacked weights [w_hh | w_ih]^T gives z less its bias, and the weight gradients are one
    product too, dz^T @ u. Measured against a separate product for the whole sequence, this
    saves that product's pass over the (T, N, 4H) result and a strided read of it every step;
    widening the per-step product from H to H + I columns of u costs nothing here. The gates
    are kept gate-major, (4, N, H) a step, so each gate is one contiguous block: NumPy runs an
    elementwise op on it about 3x faster than on a column slice of (N, 4H), and the stacked
    product u_t @ (4, H + I, H) costs the same as one (N, 4H) product.
    """

    def forward(ctx: Any, x, h0, c0, w_ih, w_hh, *biases, mask, truncate):
        steps, n, _ = x.shape
        hid = h0.shape[-1]
        w = np.concatenate((w_hh, w_ih), axis=1)  # [w_hh | w_ih]
        # gate-major (4, H + I, H), and -z with the g gate doubled: sigmoid(z) = 1 / (1 +
        # exp(-z)) and tanh(z) = 2 sigmoid(2z) - 1, so one exp serves all four gates (NumPy's
        # tanh costs twice its exp)
        signs = _SIGNS.astype(x.dtype)
        w4 = np.ascontiguousarray(w.reshape(4, hid, -1).transpose(0, 2, 1) * signs)
        b4 = sum(biases).reshape(4, 1, hid) * signs if biases else None
        u = np.empty((steps + 1, n, w.shape[1]), x.dtype)  # [h entering step t, x_t]
        u[0, :, :hid], u[:steps, :, hid:] = h0, x  # the last row's x part is never read
        hs = u[..., :hid]  # h entering each step, and the last
        acts = np.empty((steps, 4, n, hid), x.dtype)  # gate activations, saved for backward
        cs = np.empty((steps + 1, n, hid), x.dtype)
        tcs = np.empty((steps, n, hid), x.dtype)  # tanh of each new cell state
        cs[0] = c0
        ig = np.empty((n, hid), x.dtype)
        with np.errstate(over="ignore"):  # exp(large) = inf gives the right limit, 0
            for t in range(steps):
                a = np.matmul(u[t], w4, out=acts[t])
                if b4 is not None:
                    a += b4
                np.exp(a, out=a)
                a += 1
                np.reciprocal(a, out=a)
                i, f, g, o = a
                g *= 2
                g -= 1
                c = cs[t + 1]
                np.multiply(f, cs[t], out=c)
                c += np.multiply(i, g, out=ig)
                np.tanh(c, out=tcs[t])
                np.multiply(o, tcs[t], out=hs[t + 1])
                if mask is not None:  # padded steps keep the state
                    keep = ~mask[t][:, None]
                    np.copyto(hs[t + 1], hs[t], where=keep)
                    np.copyto(c, cs[t], where=keep)
        out = hs[1:].copy() if mask is None else hs[1:] * mask[:, :, None]
        if ctx.grad_enabled:
            ctx.saved = (acts, u, cs, tcs, mask, truncate)
        return out, hs[steps].copy(), cs[steps].copy()

    def backward(ctx: Any, g, g_h, g_c):
        acts, u, cs, tcs, mask, truncate = ctx.saved
        steps, n, hid = tcs.shape
        w_ih, w_hh = ctx.arrays[3:5]
        f = acts[:, 1]
        block = min(_BLOCK, steps)
        dcdh = np.empty((block, n, hid), acts.dtype)  # the gate factors of one block of steps
        fac = np.empty((block, 3, n, hid), acts.dtype)
        fac_o = np.empty((block, n, hid), acts.dtype)
        dz = np.empty((steps, n, 4 * hid), acts.dtype)
        dz4 = np.empty((4, n, hid), acts.dtype)  # one step's gate gradients, gate-major
        dh, dc = g_h.copy(), g_c.copy()
        dh_step, dct = np.empty_like(dh), np.empty_like(dc)  # per-step buffers, reused
        dh_buf, dc_buf = np.empty_like(dh), np.empty_like(dc)
        for t in range(steps - 1, -1, -1):
            j = t % block
            if t == steps - 1 or j == block - 1:  # entering a block: its factors, in cache
                _gate_factors(acts, cs, tcs, t - j, t + 1, dcdh, fac, fac_o)
            np.add(dh, g[t], out=dh_step)
            if mask is not None:
                m = mask[t][:, None]
                dh_step *= m
                dh_keep, dc_keep = dh * ~m, dc * ~m  # carried past padded steps
                dc = dc * m
            np.multiply(dh_step, dcdh[j], out=dct)
            dct += dc
            np.multiply(fac[j], dct, out=dz4[:3])
            np.multiply(fac_o[j], dh_step, out=dz4[3])
            np.copyto(_gates(dz[t]), dz4)
            dh = np.matmul(dz[t], w_hh, out=dh_buf)  # the old dh and dc are read by now
            dc = np.multiply(dct, f[t], out=dc_buf)
            if mask is not None:
                dh += dh_keep
                dc += dc_keep
            if truncate and t % truncate == 0 and t > 0:  # the state entering t was detached
                dh, dc = np.zeros_like(dh), np.zeros_like(dc)
        dz = dz.reshape(-1, 4 * hid)
        dx = (dz @ w_ih).reshape(steps, n, -1) if ctx.needs_input_grad[0] else None
        dw = dz.T @ u[:steps].reshape(dz.shape[0], -1)  # [dw_hh | dw_ih]
        dw_ih, dw_hh = np.ascontiguousarray(dw[:, hid:]), dw[:, :hid].copy()
        n_biases = len(ctx.needs_input_grad) - 5
        db = dz.sum(axis=0) if n_biases else None  # the same for b_ih and b_hh: summed once
        dbs = [] if db is None else [db if k == 0 else db.copy() for k in range(n_biases)]
        return dx, dh, dc, dw_ih, dw_hh, *dbs
