"""The LSTM over a whole sequence as one op: ``lstm_scan`` returns (outputs, h_n, c_n).

The forward is the cell formula in NumPy, step by step. The backward is the gradient of the
same steps written with lamina ops, recomputed from the saved inputs
(``backward_by_recompute``), so it is differentiable again. The NumPy kernel
(``lamina.kernels.numpy.lstm``) runs the recurrence forward and backward on arrays.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lamina.autodiff.function import Function, backward_by_recompute
from lamina.autodiff.tensor import Tensor
from lamina.errors import ShapeError
from lamina.ops.elementwise import sigmoid, tanh, where
from lamina.ops.linalg import matmul
from lamina.ops.shape import stack

__all__ = ["lstm_scan"]


def _sigmoid(z: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):  # exp(large) = inf gives the right limit, 0
        return 1 / (1 + np.exp(-z))


class LSTMScan(Function):
    """LSTM over a whole sequence: outputs (T, N, H), the final h and c (N, H).

    Inputs: x (T, N, I), h0 and c0 (N, H), w_ih (4H, I), w_hh (4H, H) and the biases b_ih,
    b_hh (4H,) when the layer has them. Per step, with gates in PyTorch's order::

        z = x_t @ w_ih^T + b_ih + h @ w_hh^T + b_hh
        i, f, o = sigmoid(z_i, z_f, z_o);  g = tanh(z_g)
        c' = f * c + i * g;                h' = o * tanh(c')

    With a (T, N) ``mask``, a padded step keeps the previous state and outputs zeros. With
    ``truncate=k``, no gradient flows through the carried state into steps at each multiple
    of k (truncated backpropagation through time); the values do not change.
    """

    def forward(ctx, x, h0, c0, w_ih, w_hh, *biases, mask, truncate):
        ctx.mask, ctx.truncate = mask, truncate
        b = sum(biases) if biases else 0
        h, c, outs = h0, c0, []
        for t in range(x.shape[0]):
            z = x[t] @ w_ih.T + h @ w_hh.T + b
            zi, zf, zg, zo = np.split(z, 4, axis=1)
            i, f, g, o = _sigmoid(zi), _sigmoid(zf), np.tanh(zg), _sigmoid(zo)
            c_new = f * c + i * g
            h_new = o * np.tanh(c_new)
            if mask is not None:  # padded steps keep the state and output zeros
                keep = mask[t][:, None]
                h_new, c_new = np.where(keep, h_new, h), np.where(keep, c_new, c)
                outs.append(h_new * keep)
            else:
                outs.append(h_new)
            h, c = h_new, c_new
        return np.stack(outs), h, c

    # one gradient per output (values, h, c), where Function declares the one-output form
    def backward(ctx, g_out, g_h, g_c):  # type: ignore[override]
        return backward_by_recompute(ctx, _lstm_ops, (g_out, g_h, g_c))


def _lstm_ops(ctx: LSTMScan, x, h, c, w_ih, w_hh, *biases) -> tuple[Tensor, Tensor, Tensor]:
    """The forward of ``LSTMScan`` written with lamina ops (for its gradient)."""
    mask, k = ctx.mask, ctx.truncate
    w_ih_t, w_hh_t = w_ih.transpose(0, 1), w_hh.transpose(0, 1)
    b = biases[0] + biases[1] if len(biases) == 2 else (biases[0] if biases else None)
    hid, outs = h.shape[-1], []
    for t in range(x.shape[0]):
        if k and t and t % k == 0:  # truncated BPTT: no gradient into earlier steps
            h, c = h.detach(), c.detach()
        z = matmul(x[t], w_ih_t) + matmul(h, w_hh_t)
        z = z if b is None else z + b
        i, f = sigmoid(z[:, :hid]), sigmoid(z[:, hid : 2 * hid])
        g, o = tanh(z[:, 2 * hid : 3 * hid]), sigmoid(z[:, 3 * hid :])
        c_new = f * c + i * g
        h_new = o * tanh(c_new)
        if mask is not None:
            keep = Tensor._wrap(mask[t][:, None])
            h_new, c_new = where(keep, h_new, h), where(keep, c_new, c)
            outs.append(h_new * keep.data.astype(x.dtype))
        else:
            outs.append(h_new)
        h, c = h_new, c_new
    return stack(outs, 0), h, c


def lstm_scan(
    x: Tensor,
    h0: Tensor,
    c0: Tensor,
    w_ih: Tensor,
    w_hh: Tensor,
    b_ih: Tensor | None = None,
    b_hh: Tensor | None = None,
    mask: np.ndarray | None = None,
    truncate: int | None = None,
) -> Any:
    """Run an LSTM over x (T, N, I); return outputs (T, N, H), final h and c (N, H).

    Weights and biases are PyTorch's (w_ih (4H, I), w_hh (4H, H), b_ih and b_hh (4H,) or
    None); ``mask`` (T, N) marks real steps; ``truncate`` cuts the gradient through the state
    every that many steps.
    """
    hid = h0.shape[-1]
    biases = [b for b in (b_ih, b_hh) if b is not None]
    if (
        x.ndim != 3
        or h0.shape != c0.shape
        or h0.shape != (x.shape[1], hid)
        or w_ih.shape != (4 * hid, x.shape[2])
        or w_hh.shape != (4 * hid, hid)
        or any(b.shape != (4 * hid,) for b in biases)
    ):
        raise ShapeError(
            f"lstm_scan: expected x (T, N, I), h0 and c0 (N, H), w_ih (4H, I), w_hh (4H, H) "
            f"and biases (4H,), got {x.shape}, {h0.shape}, {c0.shape}, {w_ih.shape}, "
            f"{w_hh.shape}, {[b.shape for b in biases]}"
        )
    return LSTMScan.apply(x, h0, c0, w_ih, w_hh, *biases, mask=mask, truncate=truncate)
