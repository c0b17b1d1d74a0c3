"""Max pooling on windows holding NaN, reference and NumPy kernel: NaN is the maximum and
the gradient goes to the window's last NaN, as in PyTorch, for tiling and overlapping
windows alike."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import lamina as L
import lamina.nn.functional as F
from lamina import kernels


@pytest.mark.parametrize("mode", ["reference", "numpy"])
@pytest.mark.parametrize("kernel,stride,padding", [(2, 2, 0), (3, 2, 1), (3, 1, 0)])
def test_nan_is_the_max_and_takes_the_gradient(mode, kernel, stride, padding) -> None:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3, 7, 7))
    x[rng.random(x.shape) < 0.1] = np.nan
    g = rng.standard_normal(F.max_pool2d(L.tensor(x), kernel, stride, padding).shape)
    with kernels.use(mode):
        lx = L.tensor(x, requires_grad=True)
        ly = F.max_pool2d(lx, kernel, stride, padding)
        ly.backward(L.tensor(g))
    tx = torch.tensor(x, requires_grad=True)
    ty = torch.nn.functional.max_pool2d(tx, kernel, stride, padding)
    ty.backward(torch.tensor(g))
    np.testing.assert_array_equal(ly.numpy(), ty.detach().numpy())
    np.testing.assert_allclose(lx.grad.numpy(), tx.grad.numpy(), rtol=1e-12, atol=0)


def test_eval_forward_without_offsets_equals_the_recorded_one() -> None:
    x = np.random.default_rng(1).standard_normal((4, 8, 15, 15)).astype(np.float32)
    with kernels.use("numpy"):
        with L.no_grad():
            fast = F.max_pool2d(L.tensor(x), 3, 2, 1).numpy()
        recorded = F.max_pool2d(L.tensor(x, requires_grad=True), 3, 2, 1).numpy()
    np.testing.assert_array_equal(fast, recorded)
