"""Numerical stability at extreme inputs, against PyTorch."""

from __future__ import annotations

import warnings

import numpy as np
import torch

import lamina as L
import lamina.nn.functional as F

EXTREME = np.array([-100.0, -30.0, 0.0, 30.0, 100.0])


def test_bce_with_logits_is_finite_and_exact_at_large_logits() -> None:
    for target in (0.0, 1.0):
        t = np.full_like(EXTREME, target)
        x = L.tensor(EXTREME, requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no overflow anywhere
            loss = F.binary_cross_entropy_with_logits(x, L.tensor(t), reduction="none")
            loss.sum().backward()
        xt = torch.tensor(EXTREME, requires_grad=True)
        ref = torch.nn.functional.binary_cross_entropy_with_logits(
            xt, torch.tensor(t), reduction="none"
        )
        ref.sum().backward()
        np.testing.assert_allclose(loss.numpy(), ref.detach().numpy(), rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(x.grad.numpy(), xt.grad.numpy(), rtol=1e-12, atol=1e-12)


def test_sigmoid_and_log_softmax_do_not_overflow() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = L.sigmoid(L.tensor(EXTREME)).numpy()
        ls = F.log_softmax(L.tensor(np.array([[1000.0, 0.0, -1000.0]])), 1).numpy()
    np.testing.assert_allclose(s, torch.sigmoid(torch.tensor(EXTREME)).numpy(), rtol=1e-15)
    np.testing.assert_allclose(ls, [[0.0, -1000.0, -2000.0]])


def test_cross_entropy_of_huge_logits_is_finite() -> None:
    x = L.tensor(np.array([[1e4, -1e4, 0.0]], np.float32), requires_grad=True)
    loss = F.cross_entropy(x, L.tensor([1]))
    loss.backward()
    assert loss.item() == 2e4 and np.isfinite(x.grad.numpy()).all()


def test_float32_stays_float32_through_a_network_and_its_gradients() -> None:
    x = L.tensor(np.random.default_rng(0).standard_normal((4, 3)).astype(np.float32))
    w = L.tensor(np.ones((2, 3), np.float32), requires_grad=True)
    loss = F.cross_entropy(F.linear(x, w).tanh() * 2.0 + 1, L.tensor([0, 1, 0, 1]))
    loss.backward()
    assert loss.dtype == np.float32 and w.grad.dtype == np.float32
