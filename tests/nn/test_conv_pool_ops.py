"""Convolution, pooling and normalization beyond their op records (tests/specs/ops_conv_pool.py,
which check every argument grid against PyTorch and finite differences): the course's L2
pooling formula, max pooling's gradient at ties, batch norm's running statistics, and the
memory layout of a convolution's output."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as TF

import lamina as L
from lamina.ops import conv as C
from lamina.ops import normalization as N
from lamina.ops import pool as P
from specs.parity import assert_matches_torch


def test_l2_pool_is_the_course_formula() -> None:
    x = np.random.default_rng(0).standard_normal((1, 1, 4, 4))
    expected = np.sqrt((x.reshape(2, 2, 2, 2) ** 2).sum(axis=(1, 3))) / 4
    np.testing.assert_allclose(P.l2_pool2d(L.tensor(x), 2).numpy()[0, 0], expected)


def test_max_pool2d_gives_ties_gradient_once_like_torch() -> None:
    x = np.maximum(np.random.default_rng(0).standard_normal((2, 3, 6, 6)), 0)  # ReLU-like ties
    assert_matches_torch(
        lambda t: P.max_pool2d(t, 2), lambda t: TF.max_pool2d(t, 2), [x], np.float32
    )


@pytest.mark.parametrize("training", [True, False], ids=["train", "eval"])
@pytest.mark.parametrize("shape", [(5, 3), (4, 3, 6), (2, 3, 4, 5)], ids=str)
def test_batch_norm_moves_running_stats_like_torch(shape: tuple[int, ...], training: bool) -> None:
    rng = np.random.default_rng(0)
    mean, var = rng.standard_normal(3), rng.random(3) + 0.5
    lm, lv = L.tensor(mean.copy()), L.tensor(var.copy())
    tm, tv = torch.tensor(mean.copy()), torch.tensor(var.copy())
    x = rng.standard_normal(shape)
    N.batch_norm(L.tensor(x), lm, lv, training=training, momentum=0.3, eps=1e-3)
    TF.batch_norm(torch.tensor(x), tm, tv, training=training, momentum=0.3, eps=1e-3)
    np.testing.assert_allclose(lm.numpy(), tm.numpy(), rtol=1e-12)
    np.testing.assert_allclose(lv.numpy(), tv.numpy(), rtol=1e-12)
    assert training or (lm.numpy() == mean).all()


def test_conv_keeps_float32_and_a_channels_first_output() -> None:
    x = L.tensor(np.zeros((2, 3, 5, 5), np.float32))
    w = L.tensor(np.zeros((4, 3, 3, 3), np.float32))
    y = C.conv2d(x, w, padding=1)
    assert y.dtype == np.float32
    assert y.numpy().strides[1] > y.numpy().strides[0]  # (C, N, H, W) in memory
