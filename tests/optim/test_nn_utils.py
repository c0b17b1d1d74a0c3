"""Gradient clipping, penalties and max-norm against torch.nn.utils and their formulas."""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
import pytest
import torch
from _optim_twin import one_torch_thread

from lamina import optim
from lamina.nn import Parameter, utils


@pytest.fixture(autouse=True)
def _single_threaded_torch() -> Iterator[None]:
    with one_torch_thread():
        yield


def _pair(seed: int = 0, dtype: type = np.float64) -> tuple[list[Parameter], list[torch.Tensor]]:
    """Three parameters with random gradients (one without), in lamina and in torch."""
    rng = np.random.default_rng(seed)
    shapes = [(4, 3), (3,), (2, 2, 3)]
    lam, tor = [], []
    for shape in shapes:
        data, grad = rng.normal(size=shape).astype(dtype), rng.normal(size=shape).astype(dtype)
        p = Parameter(data.copy())
        p.grad = Parameter(grad.copy(), requires_grad=False)
        t = torch.tensor(data, requires_grad=True)
        t.grad = torch.tensor(grad)
        lam.append(p)
        tor.append(t)
    extra = Parameter(np.ones(2, dtype))  # no gradient: ignored by both
    return [*lam, extra], [*tor, torch.ones(2, dtype=torch.float64, requires_grad=True)]


@pytest.mark.parametrize("norm_type", [2.0, 1.0, math.inf, 3.0], ids=["l2", "l1", "inf", "l3"])
@pytest.mark.parametrize("max_norm", [0.5, 1e3], ids=["clipped", "untouched"])
def test_clip_grad_norm_matches_torch(norm_type: float, max_norm: float) -> None:
    lam, tor = _pair()
    total = utils.clip_grad_norm_(lam, max_norm, norm_type)
    expected = torch.nn.utils.clip_grad_norm_(tor, max_norm, norm_type, foreach=False)
    np.testing.assert_allclose(total.item(), expected.item(), rtol=1e-13)
    for p, t in zip(lam[:3], tor[:3]):
        np.testing.assert_allclose(p.grad.data, t.grad.numpy(), rtol=1e-13)
    assert lam[3].grad is None


def test_clip_grad_norm_keeps_float32() -> None:
    lam, tor = _pair(dtype=np.float32)
    total = utils.clip_grad_norm_(lam, 0.5)
    expected = torch.nn.utils.clip_grad_norm_(tor[:3], 0.5, foreach=False)
    assert total.dtype == np.float32
    np.testing.assert_allclose(total.item(), expected.item(), rtol=1e-6)
    for p, t in zip(lam[:3], tor[:3]):
        assert p.grad.data.dtype == np.float32
        np.testing.assert_allclose(p.grad.data, t.grad.numpy(), rtol=1e-6)


def test_clip_grad_norm_rejects_a_nonfinite_norm_when_asked() -> None:
    lam, _ = _pair()
    lam[0].grad.data[0, 0] = np.inf
    with pytest.raises(RuntimeError, match=r"clip_grad_norm_: the total norm .* inf"):
        utils.clip_grad_norm_(lam, 1.0, error_if_nonfinite=True)


def test_clip_grad_value_matches_torch() -> None:
    lam, tor = _pair()
    utils.clip_grad_value_(lam, 0.3)
    torch.nn.utils.clip_grad_value_(tor, 0.3, foreach=False)
    for p, t in zip(lam[:3], tor[:3]):
        np.testing.assert_array_equal(p.grad.data, t.grad.numpy())
    with pytest.raises(ValueError, match="clip_grad_value_: clip_value must be >= 0, got -1"):
        utils.clip_grad_value_(lam, -1)


def test_penalties_values_and_gradients() -> None:
    lam, _ = _pair()
    params = lam[:3]
    l1 = sum(np.abs(p.data).sum() for p in params)
    l2 = sum((p.data**2).sum() for p in params)
    np.testing.assert_allclose(utils.l1_penalty(params).item(), l1)
    np.testing.assert_allclose(utils.l2_penalty(params).item(), l2)
    for p in params:
        p.grad = None
    net = utils.elastic_net_penalty(params, l1_ratio=0.3)
    np.testing.assert_allclose(net.item(), 0.3 * l1 + 0.35 * l2)
    net.backward()
    for p in params:
        np.testing.assert_allclose(p.grad.data, 0.3 * np.sign(p.data) + 0.7 * p.data)
    with pytest.raises(ValueError, match=r"elastic_net_penalty: l1_ratio must be in \[0, 1\]"):
        utils.elastic_net_penalty(params, 1.5)


def test_half_l2_penalty_equals_sgd_weight_decay() -> None:
    """(wd / 2) * l2_penalty in the loss gives the same steps as SGD(weight_decay=wd)."""
    rng = np.random.default_rng(1)
    target = rng.normal(size=5)
    a = Parameter(rng.normal(size=5))
    b = Parameter(a.data.copy())
    opt_a = optim.SGD([a], lr=0.1, momentum=0.9, weight_decay=0.2)
    opt_b = optim.SGD([b], lr=0.1, momentum=0.9)
    for _ in range(20):
        for p, opt, extra in ((a, opt_a, False), (b, opt_b, True)):
            opt.zero_grad()
            loss = ((p - target) ** 2).sum()
            if extra:
                loss = loss + utils.l2_penalty([p]) * 0.1
            loss.backward()
            opt.step()
    np.testing.assert_allclose(a.data, b.data, rtol=1e-12)


@pytest.mark.parametrize("norm_type", [2.0, 1.0], ids=["l2", "l1"])
def test_max_norm_matches_torch_renorm(norm_type: float) -> None:
    rng = np.random.default_rng(2)
    linear_w = rng.normal(size=(6, 4))
    conv_w = rng.normal(size=(5, 3, 2, 2))
    bias = rng.normal(size=6) * 10
    params = [Parameter(linear_w.copy()), Parameter(conv_w.copy()), Parameter(bias.copy())]
    utils.max_norm_(params, 2.0, norm_type)
    for p, w in zip(params[:2], (linear_w, conv_w)):
        expected = torch.renorm(torch.tensor(w), norm_type, 0, 2.0).numpy()
        np.testing.assert_allclose(p.data, expected, rtol=1e-14)
        norms = np.linalg.norm(p.data.reshape(len(w), -1), ord=norm_type, axis=1)
        assert norms.max() <= 2.0 and norms.min() < 2.0  # some rows clipped, some untouched
    np.testing.assert_array_equal(params[2].data, bias)  # biases are not weight vectors
