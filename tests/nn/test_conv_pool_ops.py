"""Convolution, pooling and normalization functions: finite-difference gradient checks (first
and second order, float64) and parity with torch.nn.functional over a grid of arguments."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
import torch.nn.functional as TF

import lamina as L
from lamina.ops import conv as C
from lamina.ops import normalization as N
from lamina.ops import pool as P


def leaf(rng: np.random.Generator, *shape: int, positive: bool = False) -> L.Tensor:
    a = rng.standard_normal(shape)
    return L.tensor(np.abs(a) + 0.3 if positive else a, requires_grad=True)


def channels_first(t: L.Tensor) -> L.Tensor:
    """The same values laid out (C, N, H, W) in memory, as convolution outputs are."""
    a = np.ascontiguousarray(t.numpy().transpose(1, 0, 2, 3)).transpose(1, 0, 2, 3)
    return L.tensor(a, requires_grad=True)


GRAD_CASES: list[tuple[str, Callable[..., L.Tensor], Callable[[np.random.Generator], list]]] = [
    ("conv2d_strided_padded_grouped",
     lambda x, w, b: C.conv2d(x, w, b, stride=2, padding=1, groups=2),
     lambda r: [leaf(r, 1, 2, 4, 4), leaf(r, 2, 1, 2, 2), leaf(r, 2)]),
    ("conv2d_same_dilated", lambda x, w: C.conv2d(x, w, padding="same", dilation=2),
     lambda r: [leaf(r, 1, 1, 4, 4), leaf(r, 2, 1, 2, 2)]),
    ("conv1d", lambda x, w, b: C.conv1d(x, w, b, stride=2, padding=1),
     lambda r: [leaf(r, 2, 2, 5), leaf(r, 3, 2, 2), leaf(r, 3)]),
    ("conv_transpose2d",
     lambda x, w, b: C.conv_transpose2d(x, w, b, stride=2, padding=1, output_padding=1),
     lambda r: [leaf(r, 1, 2, 3, 3), leaf(r, 2, 2, 2, 2), leaf(r, 2)]),
    ("conv_transpose2d_dilated_grouped",
     lambda x, w: C.conv_transpose2d(x, w, groups=2, dilation=2, output_padding=1),
     lambda r: [leaf(r, 1, 2, 3, 2), leaf(r, 2, 1, 2, 2)]),
    ("max_pool2d_overlapping", lambda x: P.max_pool2d(x, 3, 2, 1),
     lambda r: [leaf(r, 1, 2, 5, 5)]),
    ("max_pool2d_channels_first",  # the leaf is (C, N, H, W): its permutation is a view
     lambda x: P.max_pool2d(x.permute(1, 0, 2, 3), 2, ceil_mode=True),
     lambda r: [leaf(r, 3, 2, 3, 5)]),
    ("max_pool1d", lambda x: P.max_pool1d(x, 2, 1, dilation=2), lambda r: [leaf(r, 2, 2, 6)]),
    ("avg_pool2d_ceil_exclude_pad",
     lambda x: P.avg_pool2d(x, 3, 2, 1, ceil_mode=True, count_include_pad=False),
     lambda r: [leaf(r, 1, 2, 5, 6)]),
    ("avg_pool1d", lambda x: P.avg_pool1d(x, 3, 2, 1), lambda r: [leaf(r, 2, 2, 7)]),
    ("lp_pool2d", lambda x: P.lp_pool2d(x, 3, 2, ceil_mode=True),
     lambda r: [leaf(r, 1, 2, 5, 5, positive=True)]),
    ("l2_pool2d_course", lambda x: P.l2_pool2d(x, 2), lambda r: [leaf(r, 1, 2, 4, 4)]),
    ("adaptive_avg_pool2d", lambda x: P.adaptive_avg_pool2d(x, (2, 3)),
     lambda r: [leaf(r, 1, 2, 5, 4)]),
    ("global_avg_pool2d", P.global_avg_pool2d, lambda r: [leaf(r, 2, 2, 3, 3)]),
    ("batch_norm_train", lambda x, w, b: N.batch_norm(x, None, None, w, b, training=True),
     lambda r: [leaf(r, 4, 2, 3), leaf(r, 2), leaf(r, 2)]),
    ("layer_norm", lambda x, w, b: N.layer_norm(x, (3,), w, b),
     lambda r: [leaf(r, 4, 3), leaf(r, 3), leaf(r, 3)]),
]  # fmt: skip


@pytest.mark.parametrize(("name", "fn", "make"), GRAD_CASES, ids=[c[0] for c in GRAD_CASES])
def test_gradient_matches_finite_differences(name: str, fn: Callable, make: Callable) -> None:
    inputs = make(np.random.default_rng(0))
    assert L.gradcheck(fn, inputs)


@pytest.mark.parametrize(("name", "fn", "make"), GRAD_CASES, ids=[c[0] for c in GRAD_CASES])
def test_second_derivatives_match_finite_differences(
    name: str, fn: Callable, make: Callable
) -> None:
    inputs = make(np.random.default_rng(1))
    assert L.gradgradcheck(fn, inputs)


# ---------------------------------------------------------------- parity with PyTorch


def check_parity(lfn: Callable, tfn: Callable, arrays: list[np.ndarray], dtype: type) -> None:
    """Same outputs, dtype and input gradients (random upstream gradient) as PyTorch."""
    tol = {"rtol": 1e-4, "atol": 1e-5} if dtype == np.float32 else {"rtol": 1e-10, "atol": 1e-12}
    lin = [L.tensor(a.astype(dtype), requires_grad=True) for a in arrays]
    tin = [torch.tensor(a.astype(dtype), requires_grad=True) for a in arrays]
    lout, tout = lfn(*lin), tfn(*tin)
    assert lout.shape == tuple(tout.shape)
    assert lout.dtype == dtype
    np.testing.assert_allclose(lout.numpy(), tout.detach().numpy(), **tol)
    v = np.random.default_rng(3).standard_normal(lout.shape).astype(dtype)
    (lout * L.tensor(v)).sum().backward()
    (tout * torch.from_numpy(v)).sum().backward()
    for a, b in zip(lin, tin):
        assert a.grad.dtype == dtype
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), **tol)


def grid(**axes: list[Any]) -> list[dict[str, Any]]:
    return [dict(zip(axes, values)) for values in itertools.product(*axes.values())]


def ident(case: dict[str, Any]) -> str:
    return ",".join(f"{k}={v}" for k, v in case.items())


CONV2D = grid(stride=[1, 2, (2, 1)], padding=[0, 1, "same"], dilation=[1, 2], groups=[1, 2, 4])
CONV2D = [c for c in CONV2D if not (c["padding"] == "same" and c["stride"] != 1)]


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
@pytest.mark.parametrize("case", CONV2D, ids=ident)
def test_conv2d_matches_torch(case: dict[str, Any], dtype: type) -> None:
    rng = np.random.default_rng(0)
    g = case["groups"]
    arrays = [rng.standard_normal((2, 4, 7, 6)), rng.standard_normal((4, 4 // g, 3, 2)),
              rng.standard_normal(4)]  # fmt: skip
    check_parity(lambda x, w, b: C.conv2d(x, w, b, **case),
                 lambda x, w, b: TF.conv2d(x, w, b, **case), arrays, dtype)  # fmt: skip


CONV1D = grid(stride=[1, 3], padding=[0, 2, "same", "valid"], dilation=[1, 2], groups=[1, 2])
CONV1D = [c for c in CONV1D if not (c["padding"] == "same" and c["stride"] != 1)]


@pytest.mark.parametrize("case", CONV1D, ids=ident)
def test_conv1d_matches_torch(case: dict[str, Any]) -> None:
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal((2, 4, 11)), rng.standard_normal((6, 4 // case["groups"], 4))]
    check_parity(lambda x, w: C.conv1d(x, w, **case), lambda x, w: TF.conv1d(x, w, **case),
                 arrays, np.float64)  # fmt: skip


def _valid_output_padding(case: dict[str, Any]) -> bool:
    """PyTorch's rule: output_padding must be smaller than the stride or the dilation."""
    strides = case["stride"] if isinstance(case["stride"], tuple) else (case["stride"],) * 2
    return case["output_padding"] < max(min(strides), case.get("dilation", 1))


TRANSPOSED = grid(stride=[1, 2, (3, 2)], padding=[0, 1], output_padding=[0, 1],
                  dilation=[1, 2], groups=[1, 2])  # fmt: skip
TRANSPOSED = [c for c in TRANSPOSED if _valid_output_padding(c)]


@pytest.mark.parametrize("case", TRANSPOSED, ids=ident)
def test_conv_transpose2d_matches_torch(case: dict[str, Any]) -> None:
    rng = np.random.default_rng(0)
    g = case["groups"]
    arrays = [rng.standard_normal((2, 4, 4, 5)), rng.standard_normal((4, 6 // g, 3, 2)),
              rng.standard_normal(6)]  # fmt: skip
    for dtype in (np.float32, np.float64):
        check_parity(lambda x, w, b: C.conv_transpose2d(x, w, b, **case),
                     lambda x, w, b: TF.conv_transpose2d(x, w, b, **case), arrays, dtype)  # fmt: skip


POOLS = grid(kernel_size=[2, 3, (3, 2)], stride=[None, 1, 2], padding=[0, 1],
             ceil_mode=[False, True])  # fmt: skip


@pytest.mark.parametrize("case", POOLS, ids=ident)
def test_max_pool2d_matches_torch(case: dict[str, Any]) -> None:
    x = np.random.default_rng(0).standard_normal((2, 3, 7, 8))
    check_parity(lambda t: P.max_pool2d(t, **case), lambda t: TF.max_pool2d(t, **case), [x],
                 np.float32)  # fmt: skip


@pytest.mark.parametrize("count_include_pad", [True, False])
@pytest.mark.parametrize("case", POOLS, ids=ident)
def test_avg_pool2d_matches_torch(case: dict[str, Any], count_include_pad: bool) -> None:
    x = np.random.default_rng(0).standard_normal((2, 3, 7, 8))
    kw = {**case, "count_include_pad": count_include_pad}
    check_parity(lambda t: P.avg_pool2d(t, **kw), lambda t: TF.avg_pool2d(t, **kw), [x],
                 np.float32)  # fmt: skip


@pytest.mark.parametrize("ceil_mode", [False, True])
@pytest.mark.parametrize("padding", [0, 1])
def test_pool1d_matches_torch(padding: int, ceil_mode: bool) -> None:
    x = np.random.default_rng(0).standard_normal((2, 3, 9))
    kw = {"kernel_size": 3, "stride": 2, "padding": padding, "ceil_mode": ceil_mode}
    check_parity(lambda t: P.max_pool1d(t, **kw), lambda t: TF.max_pool1d(t, **kw), [x],
                 np.float64)  # fmt: skip
    check_parity(lambda t: P.avg_pool1d(t, **kw), lambda t: TF.avg_pool1d(t, **kw), [x],
                 np.float64)  # fmt: skip


@pytest.mark.parametrize("norm_type", [1, 2, 3.5])
def test_lp_pool_matches_torch(norm_type: float) -> None:
    x = np.abs(np.random.default_rng(0).standard_normal((2, 3, 7, 8))) + 0.2
    check_parity(lambda t: P.lp_pool2d(t, norm_type, 3, 2, ceil_mode=True),
                 lambda t: TF.lp_pool2d(t, norm_type, 3, 2, ceil_mode=True), [x], np.float64)  # fmt: skip
    check_parity(lambda t: P.lp_pool1d(t, norm_type, 2),
                 lambda t: TF.lp_pool1d(t, norm_type, 2), [x[0]], np.float64)  # fmt: skip


def test_l2_pool_is_the_course_formula() -> None:
    x = np.random.default_rng(0).standard_normal((1, 1, 4, 4))
    expected = np.sqrt((x.reshape(2, 2, 2, 2) ** 2).sum(axis=(1, 3))) / 4
    np.testing.assert_allclose(P.l2_pool2d(L.tensor(x), 2).numpy()[0, 0], expected)


@pytest.mark.parametrize("size", [1, 3, (2, 5), (None, 2), (7, 8)])
def test_adaptive_avg_pool2d_matches_torch(size: Any) -> None:
    x = np.random.default_rng(0).standard_normal((2, 3, 7, 8))
    check_parity(lambda t: P.adaptive_avg_pool2d(t, size),
                 lambda t: TF.adaptive_avg_pool2d(t, size), [x], np.float32)  # fmt: skip


def test_max_pool2d_indices_match_torch() -> None:
    x = np.random.default_rng(0).standard_normal((2, 3, 7, 8))
    _, idx = P.max_pool2d(L.tensor(x), 3, 2, 1, ceil_mode=True, return_indices=True)
    _, tidx = TF.max_pool2d(torch.tensor(x), 3, 2, 1, ceil_mode=True, return_indices=True)
    np.testing.assert_array_equal(idx.numpy(), tidx.numpy())


def test_max_pool2d_gives_ties_gradient_once_like_torch() -> None:
    x = np.maximum(np.random.default_rng(0).standard_normal((2, 3, 6, 6)), 0)  # ReLU-like ties
    check_parity(lambda t: P.max_pool2d(t, 2), lambda t: TF.max_pool2d(t, 2), [x], np.float32)


@pytest.mark.parametrize("training", [True, False], ids=["train", "eval"])
@pytest.mark.parametrize("shape", [(5, 3), (4, 3, 6), (2, 3, 4, 5)], ids=str)
def test_batch_norm_matches_torch_and_moves_running_stats(
    shape: tuple[int, ...], training: bool
) -> None:
    rng = np.random.default_rng(0)
    mean, var = rng.standard_normal(3), rng.random(3) + 0.5
    lm, lv = L.tensor(mean.copy()), L.tensor(var.copy())
    tm, tv = torch.tensor(mean.copy()), torch.tensor(var.copy())
    arrays = [rng.standard_normal(shape), rng.standard_normal(3), rng.standard_normal(3)]
    check_parity(lambda x, w, b: N.batch_norm(x, lm, lv, w, b, training, 0.3, 1e-3),
                 lambda x, w, b: TF.batch_norm(x, tm, tv, w, b, training, 0.3, 1e-3),
                 arrays, np.float64)  # fmt: skip
    np.testing.assert_allclose(lm.numpy(), tm.numpy(), rtol=1e-12)
    np.testing.assert_allclose(lv.numpy(), tv.numpy(), rtol=1e-12)


def test_layer_norm_matches_torch() -> None:
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal((2, 3, 4)), rng.standard_normal((3, 4)),
              rng.standard_normal((3, 4))]  # fmt: skip
    check_parity(lambda x, w, b: N.layer_norm(x, (3, 4), w, b),
                 lambda x, w, b: TF.layer_norm(x, (3, 4), w, b), arrays, np.float32)  # fmt: skip


def test_conv_keeps_float32_and_a_channels_first_output() -> None:
    x = L.tensor(np.zeros((2, 3, 5, 5), np.float32))
    w = L.tensor(np.zeros((4, 3, 3, 3), np.float32))
    y = C.conv2d(x, w, padding=1)
    assert y.dtype == np.float32
    assert y.numpy().strides[1] > y.numpy().strides[0]  # (C, N, H, W) in memory


TRANSPOSED1D = grid(stride=[1, 2], padding=[0, 1], output_padding=[0, 1])


@pytest.mark.parametrize("case", [c for c in TRANSPOSED1D if c["output_padding"] < c["stride"]],
                         ids=ident)  # fmt: skip
def test_conv_transpose1d_matches_torch(case: dict[str, Any]) -> None:
    rng = np.random.default_rng(0)
    arrays = [
        rng.standard_normal((2, 4, 6)),
        rng.standard_normal((4, 3, 3)),
        rng.standard_normal(3),
    ]
    check_parity(lambda x, w, b: C.conv_transpose1d(x, w, b, **case),
                 lambda x, w, b: TF.conv_transpose1d(x, w, b, **case), arrays, np.float64)  # fmt: skip
