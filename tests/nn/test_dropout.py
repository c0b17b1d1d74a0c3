"""Dropout in training mode: inverted scaling, the drop rate, gradients through the mask."""

from __future__ import annotations

import numpy as np
import pytest

import lamina as L
import lamina.nn as nn
import lamina.nn.functional as F


@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_dropout_zeroes_about_p_and_scales_survivors(p: float) -> None:
    x = L.ones(200, 500)
    y = F.dropout(x, p, training=True, rng=np.random.default_rng(0)).numpy()
    dropped = (y == 0).mean()
    assert abs(dropped - p) < 0.01
    np.testing.assert_allclose(y[y != 0], 1 / (1 - p), rtol=1e-6)
    assert abs(y.mean() - 1.0) < 0.02  # E[y] = x: no rescaling needed at evaluation


def test_dropout_gradient_flows_through_the_same_mask() -> None:
    x = L.tensor(np.ones((50, 40)), requires_grad=True)
    y = F.dropout(x, 0.5, training=True, rng=np.random.default_rng(1))
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), y.numpy())


def test_dropout_module_is_identity_in_eval_and_reproducible_with_rng() -> None:
    x = L.randn(10, 10)
    layer = nn.Dropout(0.5).eval()
    np.testing.assert_array_equal(layer(x).numpy(), x.numpy())
    a = nn.Dropout(0.5, rng=np.random.default_rng(3))(x).numpy()
    b = nn.Dropout(0.5, rng=np.random.default_rng(3))(x).numpy()
    np.testing.assert_array_equal(a, b)


def test_dropout_edge_rates_and_bad_rate() -> None:
    x = L.randn(4, 4)
    np.testing.assert_array_equal(F.dropout(x, 0.0).numpy(), x.numpy())
    assert (F.dropout(x, 1.0).numpy() == 0).all()
    with pytest.raises(ValueError, match=r"Dropout: p must be in \[0, 1\], got 1.5"):
        nn.Dropout(1.5)
