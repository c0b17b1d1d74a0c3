"""The compiled batch norm equals PyTorch's training-mode batch_norm: statistics, output and
the gradients of input, weight and bias, for (N, C), (N, C, L) and (N, C, H, W) inputs in
both memory layouts, float32 and float64."""

from __future__ import annotations

import numpy as np
import pytest
import torch

pytest.importorskip("numba", reason="the lamina[fast] extra (Numba) is not installed")

from lamina.kernels.numba.norm import (
    batch_norm_backward,
    batch_norm_forward,
    channel_stats,
)

SHAPES = [(5, 3), (4, 3, 7), (3, 4, 5, 6), (2, 7, 3, 1)]
EPS = 1e-5


def _input(shape, dtype, channels_first: bool, rng) -> np.ndarray:
    x = (rng.standard_normal(shape) * 3 + 1).astype(dtype)
    if channels_first and len(shape) > 2:
        x = np.ascontiguousarray(np.swapaxes(x, 0, 1)).swapaxes(0, 1)
    return x


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("channels_first", [False, True], ids=["nchw", "cnhw-memory"])
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_batch_norm_equals_torch(shape, channels_first: bool, dtype) -> None:
    rng = np.random.default_rng(0)
    x = _input(shape, dtype, channels_first, rng)
    c = shape[1]
    w, b = rng.standard_normal(c).astype(dtype), rng.standard_normal(c).astype(dtype)
    mean, var = channel_stats(x)
    inv = 1.0 / np.sqrt(var + EPS)
    y = batch_norm_forward(x, mean, inv, w, b)
    g = rng.standard_normal(shape).astype(dtype)
    dx, dw, db = batch_norm_backward(g, x, mean, inv, w)

    xt, wt, bt = (torch.tensor(np.ascontiguousarray(a), requires_grad=True) for a in (x, w, b))
    yt = torch.nn.functional.batch_norm(xt, None, None, wt, bt, training=True, eps=EPS)
    yt.backward(torch.from_numpy(g))
    axes = (0, *range(2, len(shape)))
    tol = dict(rtol=1e-4, atol=1e-5) if dtype == np.float32 else dict(rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(mean, x.astype(np.float64).mean(axis=axes), **tol)
    np.testing.assert_allclose(var, x.astype(np.float64).var(axis=axes), **tol)
    for got, want in ((y, yt), (dx, xt.grad), (dw, wt.grad), (db, bt.grad)):
        assert got.dtype == dtype and got.shape == tuple(want.shape)
        np.testing.assert_allclose(got, want.detach().numpy(), **tol)
    if channels_first and len(shape) > 2:  # results keep the convolutions' layout
        assert y.strides[1] > y.strides[0] and dx.strides[1] > dx.strides[0]


def test_batch_norm_constant_channel() -> None:
    """A channel with one value throughout: var 0, xhat 0, y = b, dx = 0 (finite, eps)."""
    x = np.zeros((4, 2, 3)) + np.array([1.5, -2.0])[None, :, None]
    mean, var = channel_stats(x)
    inv = 1.0 / np.sqrt(var + EPS)
    y = batch_norm_forward(x, mean, inv, np.ones(2), np.array([0.25, 0.5]))
    np.testing.assert_array_equal(var, [0.0, 0.0])
    np.testing.assert_array_equal(y[:, 0], 0.25)
    dx, _, db = batch_norm_backward(np.ones_like(x), x, mean, inv, np.ones(2))
    np.testing.assert_allclose(dx, 0, atol=1e-12)
    np.testing.assert_array_equal(db, [12.0, 12.0])
