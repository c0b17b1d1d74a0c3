"""The compiled LSTM scan equals PyTorch's LSTM: outputs, final state and the gradients of
input, initial state, weights and biases (float32 and float64, odd sizes); a mask keeps the
state through padded steps; truncation stops the gradient through the state."""

from __future__ import annotations

import numpy as np
import pytest
import torch

pytest.importorskip("numba", reason="the lamina[fast] extra (Numba) is not installed")

from lamina.kernels.numba.lstm import lstm_backward, lstm_forward


def _weights(inp: int, hid: int, dtype, rng):
    s = 1 / np.sqrt(hid)
    w_ih, w_hh = (rng.uniform(-s, s, (4 * hid, k)).astype(dtype) for k in (inp, hid))
    b_ih, b_hh = (rng.uniform(-s, s, 4 * hid).astype(dtype) for _ in range(2))
    return w_ih, w_hh, b_ih, b_hh


def _torch_lstm(x, h0, c0, w_ih, w_hh, b_ih, b_hh, gout, gh, gc):
    lstm = torch.nn.LSTM(x.shape[2], h0.shape[1], dtype=torch.from_numpy(x).dtype)
    with torch.no_grad():
        for name, a in zip(
            ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"), (w_ih, w_hh, b_ih, b_hh)
        ):
            getattr(lstm, name).copy_(torch.from_numpy(a))
    xt, ht, ct = (torch.tensor(a, requires_grad=True) for a in (x, h0, c0))
    out, (hn, cn) = lstm(xt, (ht[None], ct[None]))
    (out * torch.from_numpy(gout)).sum().backward(retain_graph=True)
    (hn[0] * torch.from_numpy(gh)).sum().backward(retain_graph=True)
    (cn[0] * torch.from_numpy(gc)).sum().backward()
    grads = [
        xt.grad,
        ht.grad,
        ct.grad,
        lstm.weight_ih_l0.grad,
        lstm.weight_hh_l0.grad,
        lstm.bias_ih_l0.grad,
    ]
    values = [out, hn[0], cn[0]]
    return [v.detach().numpy() for v in values], [g.numpy() for g in grads]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("sizes", [(7, 3, 5, 4), (1, 1, 2, 3), (12, 5, 3, 9)], ids=str)
def test_lstm_scan_equals_torch(sizes, dtype) -> None:
    steps, n, inp, hid = sizes
    rng = np.random.default_rng(0)
    x = rng.standard_normal((steps, n, inp)).astype(dtype)
    h0, c0 = (rng.standard_normal((n, hid)).astype(dtype) for _ in range(2))
    w_ih, w_hh, b_ih, b_hh = _weights(inp, hid, dtype, rng)
    gout = rng.standard_normal((steps, n, hid)).astype(dtype)
    gh, gc = (rng.standard_normal((n, hid)).astype(dtype) for _ in range(2))

    hs, cs, acts, tcs = lstm_forward(x, h0, c0, w_ih, w_hh, b_ih + b_hh, None)
    grads = lstm_backward(gout, gh, gc, x, w_ih, w_hh, hs, cs, acts, tcs, None, None, 2)
    (out, hn, cn), want = _torch_lstm(x, h0, c0, w_ih, w_hh, b_ih, b_hh, gout, gh, gc)
    tol = dict(rtol=1e-4, atol=1e-5) if dtype == np.float32 else dict(rtol=1e-10, atol=1e-12)
    for got, ref in zip((hs[1:], hs[-1], cs[-1], *grads), (out, hn, cn, *want)):
        assert got.dtype == dtype and got.shape == ref.shape
        np.testing.assert_allclose(got, ref, **tol)


def test_lstm_mask_keeps_the_state_and_truncation_stops_the_gradient() -> None:
    """Padded steps carry (h, c) unchanged and send no gradient into the gates; with
    truncate=k the gradient of h0 is zero when a cut lies between it and every output."""
    rng = np.random.default_rng(1)
    steps, n, inp, hid = 6, 3, 2, 4
    x = rng.standard_normal((steps, n, inp))
    h0, c0 = rng.standard_normal((n, hid)), rng.standard_normal((n, hid))
    w_ih, w_hh, b_ih, b_hh = _weights(inp, hid, np.float64, rng)
    mask = np.ones((steps, n), bool)
    mask[4:, 1] = False  # sample 1 has 4 real steps
    hs, cs, acts, tcs = lstm_forward(x, h0, c0, w_ih, w_hh, b_ih + b_hh, mask)
    ref, _, _, _ = lstm_forward(x[:4, 1:2], h0[1:2], c0[1:2], w_ih, w_hh, b_ih + b_hh, None)
    np.testing.assert_array_equal(hs[4:, 1], np.broadcast_to(hs[4, 1], (3, hid)))
    np.testing.assert_allclose(hs[-1, 1], ref[-1, 0], rtol=1e-12, atol=1e-15)
    gout = rng.standard_normal((steps, n, hid))
    zero = np.zeros((n, hid))
    dx, dh0, *_ = lstm_backward(gout, zero, zero, x, w_ih, w_hh, hs, cs, acts, tcs, mask, None, 2)
    assert np.all(dx[4:, 1] == 0) and np.all(dx[4:, 0] != 0)
    _, dh0_cut, *_ = lstm_backward(
        gout * 0 + np.eye(steps)[:, 5, None, None],
        zero,
        zero,
        x,
        w_ih,
        w_hh,
        hs,
        cs,
        acts,
        tcs,
        None,
        3,
        2,
    )
    assert np.abs(dh0).max() > 0 and np.all(dh0_cut == 0)
