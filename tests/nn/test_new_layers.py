"""Behaviour of the newer layers beyond the layer contract: channel dropout's statistics,
the ``inplace`` argument of activations, padding/normalization/upsampling arguments, and
running statistics of instance norm over several steps (all against PyTorch 2.13)."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest
import torch
import torch.nn.functional as TF

import lamina as L
import lamina.nn as nn
import lamina.nn.functional as F
from lamina.errors import ShapeError

# ------------------------------------------------------------------ Dropout2d


def test_dropout2d_zeroes_whole_channels_at_rate_p_and_scales_the_rest() -> None:
    x = np.random.default_rng(0).uniform(1.0, 2.0, (200, 20, 3, 3)).astype(np.float32)
    layer = nn.Dropout2d(0.3, rng=np.random.default_rng(1))
    y = layer(L.tensor(x)).numpy()
    dropped = (y == 0).all(axis=(2, 3))
    kept = np.isclose(y, x / 0.7, rtol=1e-6).all(axis=(2, 3))
    assert (dropped | kept).all()  # each map is dropped or kept as a whole
    assert abs(dropped.mean() - 0.3) < 0.02  # 4000 channels: 5 standard deviations
    assert y.dtype == np.float32


def test_dropout2d_gradient_follows_the_channel_mask() -> None:
    x = L.tensor(np.ones((4, 6, 2, 2)), requires_grad=True)
    y = F.dropout2d(x, 0.5, rng=np.random.default_rng(3))
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), y.numpy())  # d(sum y)/dx = mask / (1 - p)


def test_dropout2d_is_the_identity_in_eval_and_p_0_and_zero_at_p_1() -> None:
    x = L.tensor(np.random.default_rng(0).standard_normal((2, 3, 4)))
    layer = nn.Dropout2d(0.9).eval()
    assert layer(x) is x
    assert F.dropout2d(x, 0.0) is x
    assert (F.dropout2d(x, 1.0).numpy() == 0).all()


def test_dropout2d_same_seed_same_mask() -> None:
    x = L.tensor(np.ones((3, 5, 2, 2)))
    a = F.dropout2d(x, 0.5, rng=np.random.default_rng(7)).numpy()
    b = F.dropout2d(x, 0.5, rng=np.random.default_rng(7)).numpy()
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("p", [-0.1, 1.5])
def test_dropout2d_refuses_p_outside_0_1(p: float) -> None:
    with pytest.raises(ValueError, match=r"Dropout2d: p must be in \[0, 1\]"):
        nn.Dropout2d(p)
    with pytest.raises(ValueError, match=r"dropout2d: p must be in \[0, 1\]"):
        F.dropout2d(L.tensor(np.ones((1, 1, 2, 2))), p)


# ------------------------------------------------------------------ inplace activations

INPLACE = [
    ("ReLU", lambda: nn.ReLU(True), lambda: torch.nn.ReLU(True)),
    ("LeakyReLU", lambda: nn.LeakyReLU(0.2, True), lambda: torch.nn.LeakyReLU(0.2, True)),
    ("ELU", lambda: nn.ELU(1.0, True), lambda: torch.nn.ELU(1.0, True)),
    ("ReLU_kw", lambda: nn.ReLU(inplace=True), lambda: torch.nn.ReLU(inplace=True)),
    ("LeakyReLU_default", lambda: nn.LeakyReLU(), lambda: torch.nn.LeakyReLU()),
    ("ELU_kw", lambda: nn.ELU(alpha=0.5, inplace=True), lambda: torch.nn.ELU(0.5, inplace=True)),
    ("SELU", lambda: nn.SELU(True), lambda: torch.nn.SELU(True)),
]


@pytest.mark.parametrize("name,make,make_torch", INPLACE, ids=[c[0] for c in INPLACE])
def test_activation_with_inplace_gives_torch_output_and_repr(
    name: str, make: Any, make_torch: Any
) -> None:
    x = np.random.default_rng(0).standard_normal((3, 4)).astype(np.float32)
    lx = L.tensor(x)
    y = make()(lx)
    tx = torch.tensor(x)
    ty = make_torch()(tx)
    np.testing.assert_allclose(y.numpy(), ty.numpy(), rtol=1e-6)
    np.testing.assert_allclose(lx.numpy(), tx.numpy(), rtol=1e-6)  # written in, or not
    assert (y is lx) == make().inplace
    assert repr(make()) == repr(make_torch())


def test_activation_with_inplace_still_gives_gradients() -> None:
    x = L.tensor(np.array([-1.0, 2.0]), requires_grad=True)
    with pytest.raises(RuntimeError, match="leaky_relu: a leaf tensor that requires grad"):
        nn.LeakyReLU(0.1, True)(x)  # as in PyTorch
    h = x * 1.0
    nn.LeakyReLU(0.1, True)(h).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [0.1, 1.0])


@pytest.mark.parametrize("inplace", [False, True])
def test_functional_inplace_matches_torch(inplace: bool) -> None:
    a = np.random.default_rng(2).standard_normal((2, 3, 4, 4))
    for name, args in (("relu", ()), ("leaky_relu", (0.2,)), ("elu", (0.7,)), ("selu", ())):
        lx, tx = L.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
        lh, th = lx * 2, tx * 2
        ly = getattr(F, name)(lh, *args, inplace=inplace)
        ty = getattr(torch.nn.functional, name)(th, *args, inplace=inplace)
        assert (ly is lh) == inplace
        (ly * ly).sum().backward()
        (ty * ty).sum().backward()
        np.testing.assert_allclose(lh.data, th.detach().numpy(), rtol=1e-12)
        np.testing.assert_allclose(lx.grad.data, tx.grad.numpy(), rtol=1e-12)
    for drop in (F.dropout, F.dropout2d):
        h = L.tensor(np.ones((4, 16, 4, 4)))  # 64 channels: some are dropped (p = 1 - 2**-64)
        out = drop(h, 0.5, True, inplace, rng=np.random.default_rng(0))
        assert (out is h) == inplace and ((h.data == 0).any() == inplace)


# ------------------------------------------------------------------ padding


@pytest.mark.parametrize(
    "make,make_torch",
    [
        (lambda: nn.ZeroPad2d(2), lambda: torch.nn.ZeroPad2d(2)),
        (lambda: nn.ReflectionPad2d((1, 0, 2, 1)), lambda: torch.nn.ReflectionPad2d((1, 0, 2, 1))),
        (lambda: nn.ReplicationPad2d(1), lambda: torch.nn.ReplicationPad2d(1)),
        (
            lambda: nn.ConstantPad2d((0, 1, 1, 0), -2.0),
            lambda: torch.nn.ConstantPad2d((0, 1, 1, 0), -2.0),
        ),
    ],
    ids=["zero", "reflection", "replication", "constant"],
)
def test_padding_layer_repr_matches_torch(make: Any, make_torch: Any) -> None:
    assert repr(make()) == repr(make_torch())


@pytest.mark.parametrize("padding", [-1, (1, 2), (1, 2, 3, -1), 1.5])
def test_padding_layer_refuses_bad_padding_naming_itself(padding: Any) -> None:
    with pytest.raises(
        ValueError, match=r"ReflectionPad2d: padding must be a >= 0 int or 4 of them"
    ):
        nn.ReflectionPad2d(padding)


def test_pad_refuses_value_with_a_non_constant_mode() -> None:
    with pytest.raises(ValueError, match=r"pad: value is only used with mode='constant'"):
        F.pad(L.tensor(np.ones((1, 2, 3))), (1, 1), mode="reflect", value=2.0)


def test_pad_reflect_gradient_sums_every_copy_of_an_element() -> None:
    x = L.tensor(np.arange(4.0), requires_grad=True)
    F.pad(x, (2, 3), mode="reflect").sum().backward()
    # padded: x2 x1 | x0 x1 x2 x3 | x2 x1 x0
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 3.0, 3.0, 1.0])


# ------------------------------------------------------------------ normalization


def test_group_norm_refuses_groups_that_do_not_divide_channels() -> None:
    with pytest.raises(
        ValueError, match=r"GroupNorm: num_channels must be divisible by num_groups"
    ):
        nn.GroupNorm(4, 6)
    with pytest.raises(ValueError, match=r"GroupNorm: num_groups must be a positive integer"):
        nn.GroupNorm(0, 6)


def test_group_norm_with_one_group_is_layer_norm_over_c_h_w() -> None:
    x = L.tensor(np.random.default_rng(0).standard_normal((2, 4, 3, 3)))
    a = F.group_norm(x, 1).numpy()
    b = F.layer_norm(x, (4, 3, 3)).numpy()
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def test_group_norm_layer_names_the_wrong_channel_count() -> None:
    with pytest.raises(ShapeError, match=re.escape("GroupNorm(2, 4, eps=1e-05, affine=True): ")):
        nn.GroupNorm(2, 4)(L.tensor(np.zeros((2, 6, 3))))


def test_instance_norm_running_stats_over_steps_then_eval_match_torch() -> None:
    rng = np.random.default_rng(0)
    kw = {"momentum": 0.2, "affine": True, "track_running_stats": True}
    lm, tm = nn.InstanceNorm2d(3, **kw).to(np.float64), torch.nn.InstanceNorm2d(3, **kw).double()
    for _ in range(3):
        x = rng.standard_normal((4, 3, 5, 4)) * 2 + 1
        lm(L.tensor(x))
        tm(torch.tensor(x))
    for k, v in tm.state_dict().items():
        np.testing.assert_allclose(lm.state_dict()[k], v.numpy(), rtol=1e-12, err_msg=k)
    lm.eval()
    tm.eval()
    x = rng.standard_normal((2, 3, 5, 4))
    np.testing.assert_allclose(
        lm(L.tensor(x)).numpy(), tm(torch.tensor(x)).detach().numpy(), rtol=1e-10, atol=1e-12
    )


def test_instance_norm_repr_and_defaults_match_torch() -> None:
    lm, tm = nn.InstanceNorm2d(3), torch.nn.InstanceNorm2d(3)
    assert (lm.affine, lm.track_running_stats, lm.eps, lm.momentum) == (
        tm.affine,
        tm.track_running_stats,
        tm.eps,
        tm.momentum,
    )
    assert list(lm.state_dict()) == list(tm.state_dict()) == []


def test_instance_norm_refuses_one_pixel_maps_in_training() -> None:
    with pytest.raises(ValueError, match=r"instance_norm: expected more than 1 spatial element"):
        F.instance_norm(L.tensor(np.ones((2, 3, 1, 1))))


# ------------------------------------------------------------------ upsampling


def test_upsample_needs_exactly_one_of_size_and_scale_factor() -> None:
    with pytest.raises(ValueError, match=r"Upsample: give exactly one of size and scale_factor"):
        nn.Upsample()
    with pytest.raises(ValueError, match=r"Upsample: give exactly one"):
        nn.Upsample(size=4, scale_factor=2)


def test_upsample_repr_matches_torch() -> None:
    assert repr(nn.Upsample(scale_factor=2)) == repr(torch.nn.Upsample(scale_factor=2))
    assert repr(nn.Upsample(size=(3, 4), mode="bilinear")) == repr(
        torch.nn.Upsample(size=(3, 4), mode="bilinear")
    )


@pytest.mark.parametrize("mode", ["nearest", "bilinear"])
def test_interpolate_recompute_scale_factor_matches_torch(mode: str) -> None:
    x = np.random.default_rng(0).standard_normal((1, 2, 5, 7)).astype(np.float32)
    kw = {"scale_factor": 1.7, "mode": mode, "recompute_scale_factor": True}
    got = F.interpolate(L.tensor(x), **kw)
    want = TF.interpolate(torch.tensor(x), **kw)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-5, atol=1e-6)


def test_interpolate_refuses_an_unknown_mode() -> None:
    with pytest.raises(ValueError, match=r"interpolate: mode must be one of nearest, linear"):
        F.interpolate(L.tensor(np.ones((1, 1, 2, 2))), scale_factor=2, mode="bicubic")
