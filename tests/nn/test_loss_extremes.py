"""Every loss at the extremes, values and gradients against PyTorch 2.13.

Probabilities at exactly 0 and 1 (and the smallest float, 1 - eps), logits at +-1e4 and
+-float32 max, targets at their bounds (0 and 1, the first and last class): lamina's loss
and its gradient with respect to every float input must equal PyTorch's where PyTorch's
are finite, and be inf or NaN exactly where PyTorch's are. Then the argument checks: each
loss refuses what PyTorch refuses, with a message naming the loss.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
import torch.nn.functional as TF

import lamina as L
import lamina.nn as nn
import lamina.nn.functional as F
from lamina.errors import ShapeError
from specs.parity import assert_matches_torch

# Inputs that overflow in PyTorch too (x - y for x, y = +-float max) make NumPy warn.
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

BIG = float(np.finfo(np.float32).max)
TOL = {np.float32: {"rtol": 2e-6, "atol": 0.0}, np.float64: {"rtol": 1e-12, "atol": 0.0}}
DTYPES = [pytest.param(np.float32, id="float32"), pytest.param(np.float64, id="float64")]


def _eps(dtype: type) -> float:
    return float(np.finfo(dtype).eps)


def _tiny(dtype: type) -> float:
    return 1e-45 if dtype == np.float32 else 5e-324  # the smallest subnormal


def compare(
    lamina_fn: Callable[..., Any],
    torch_fn: Callable[..., Any],
    floats: list[np.ndarray],
    extras: tuple[Any, ...] = (),
    dtype: type = np.float32,
) -> None:
    """Loss and gradients of every float input equal PyTorch's, inf and NaN in the same places."""
    n = len(floats)
    assert_matches_torch(
        lambda *a: lamina_fn(*a[:n], *(L.tensor(e) for e in a[n:])),
        torch_fn,
        floats,
        dtype,
        [np.asarray(e) for e in extras],
        tol=TOL[dtype],
        upstream=_upstream,
        name="loss",
    )


def _upstream(shape: tuple[int, ...], dtype: type) -> np.ndarray:
    return np.linspace(0.5, 1.5, int(np.prod(shape))).reshape(shape).astype(dtype)


# ------------------------------------------------------------------ probabilities


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("target", [0.0, 1.0, 0.5])
def test_binary_cross_entropy_at_probabilities_0_and_1_matches_torch(
    dtype: type, target: float
) -> None:
    p = [0.0, 1.0, _tiny(dtype), 1 - _eps(dtype), 1e-30, 0.5]
    t = np.full(len(p), target)
    for reduction in ("none", "mean", "sum"):
        compare(
            lambda p, t, r=reduction: F.binary_cross_entropy(p, t, reduction=r),
            lambda p, t, r=reduction: TF.binary_cross_entropy(p, t, reduction=r),
            [np.array(p), t],
            dtype=dtype,
        )


@pytest.mark.parametrize("dtype", DTYPES)
def test_binary_cross_entropy_of_saturated_sigmoid_has_finite_gradients(dtype: type) -> None:
    # float32 sigmoid(17) is already exactly 1.0: the loss's gradient must stay finite
    x = L.tensor(np.array([17.0, -120.0, 40.0, 0.3], dtype), requires_grad=True)
    loss = F.binary_cross_entropy(L.sigmoid(x), np.array([0.0, 1.0, 1.0, 0.0], dtype))
    loss.backward()
    assert np.isfinite(loss.item()) and np.isfinite(x.grad.numpy()).all()
    xt = torch.tensor(x.numpy(), requires_grad=True)
    TF.binary_cross_entropy(
        torch.sigmoid(xt), torch.tensor([0.0, 1.0, 1.0, 0.0]).to(xt.dtype)
    ).backward()
    np.testing.assert_allclose(x.grad.numpy(), xt.grad.numpy(), **TOL[dtype])


# ------------------------------------------------------------------ logits

LOGITS = [BIG, -BIG, 1e4, -1e4, 0.0, 3.0]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("target", [0.0, 1.0, 0.5])
def test_bce_with_logits_at_huge_logits_matches_torch(dtype: type, target: float) -> None:
    t = np.full(len(LOGITS), target)
    pw = np.linspace(0.5, 3.0, len(LOGITS))
    compare(
        lambda x, t: F.binary_cross_entropy_with_logits(x, t, reduction="none"),
        lambda x, t: TF.binary_cross_entropy_with_logits(x, t, reduction="none"),
        [np.array(LOGITS), t],
        dtype=dtype,
    )
    compare(
        lambda x, t, w: F.binary_cross_entropy_with_logits(x, t, pos_weight=w),
        lambda x, t, w: TF.binary_cross_entropy_with_logits(x, t, pos_weight=w),
        [np.array(LOGITS), t],
        (pw.astype(dtype),),
        dtype=dtype,
    )


ROWS = [
    [BIG, -BIG, 0.0],
    [-BIG, BIG, 0.0],
    [1e4, -1e4, 0.0],
    [-BIG, -BIG, -BIG],
    [BIG, BIG, 0.0],
    [0.5, -0.25, 2.0],
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("label_smoothing", [0.0, 0.1])
@pytest.mark.parametrize("reduction", ["mean", "none"])
def test_cross_entropy_at_float_max_logits_matches_torch(
    dtype: type, label_smoothing: float, reduction: str
) -> None:
    # the first and the last class of each row: the targets at their bounds
    for target in (0, 2):
        compare(
            lambda x, t: F.cross_entropy(
                x, t, reduction=reduction, label_smoothing=label_smoothing
            ),
            lambda x, t: TF.cross_entropy(
                x, t, reduction=reduction, label_smoothing=label_smoothing
            ),
            [np.array(ROWS)],
            (np.full(len(ROWS), target),),
            dtype=dtype,
        )


@pytest.mark.parametrize("dtype", DTYPES)
def test_cross_entropy_with_probability_targets_at_float_max_matches_torch(dtype: type) -> None:
    q = np.array([[0.2, 0.3, 0.5]] * len(ROWS), dtype)
    compare(
        lambda x, q: F.cross_entropy(x, q, reduction="none"),
        lambda x, q: TF.cross_entropy(x, q, reduction="none"),
        [np.array(ROWS)],
        (q,),
        dtype=dtype,
    )


def test_cross_entropy_at_finite_float_max_is_not_reported_as_inf_input() -> None:
    x = L.tensor(np.array([[BIG, -BIG, 0.0]], np.float32), requires_grad=True)
    loss = F.cross_entropy(x, L.tensor([1]))
    loss.backward()
    assert loss.item() == np.inf  # PyTorch: inf as well
    np.testing.assert_array_equal(x.grad.numpy(), [[1.0, -1.0, 0.0]])
    with pytest.raises(ValueError, match="cross_entropy: input contains inf"):
        F.cross_entropy(L.tensor(np.array([[np.inf, 0.0]])), L.tensor([0]))


@pytest.mark.parametrize("dtype", DTYPES)
def test_nll_loss_at_huge_log_probabilities_matches_torch(dtype: type) -> None:
    x = np.array([[-BIG, 0.0, -1e4], [0.0, -BIG, -BIG], [-1e4, -1e4, 0.0]])
    for target in ([0, 1, 2], [2, 2, 0]):
        compare(F.nll_loss, TF.nll_loss, [x], (np.array(target),), dtype=dtype)


# ------------------------------------------------------------------ regression losses

INPUTS = np.array([BIG, -BIG, 1e4, -1e4, 0.0, 0.75])
TARGETS = np.array([-BIG, BIG, -1e4, 1e4, BIG, 0.0])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    "name,lamina_fn,torch_fn",
    [
        (
            "mse_loss",
            lambda x, t: F.mse_loss(x, t, reduction="none"),
            lambda x, t: TF.mse_loss(x, t, reduction="none"),
        ),
        (
            "l1_loss",
            lambda x, t: F.l1_loss(x, t, reduction="none"),
            lambda x, t: TF.l1_loss(x, t, reduction="none"),
        ),
        (
            "smooth_l1_loss",
            lambda x, t: F.smooth_l1_loss(x, t, reduction="none", beta=0.5),
            lambda x, t: TF.smooth_l1_loss(x, t, reduction="none", beta=0.5),
        ),
        (
            "smooth_l1_loss_beta0",
            lambda x, t: F.smooth_l1_loss(x, t, beta=0.0),
            lambda x, t: TF.smooth_l1_loss(x, t, beta=0.0),
        ),
        (
            "huber_loss",
            lambda x, t: F.huber_loss(x, t, reduction="none", delta=2.0),
            lambda x, t: TF.huber_loss(x, t, reduction="none", delta=2.0),
        ),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_regression_loss_at_huge_values_matches_torch(
    dtype: type, name: str, lamina_fn: Any, torch_fn: Any
) -> None:
    compare(lamina_fn, torch_fn, [INPUTS, TARGETS], dtype=dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", ["none", "batchmean"])
def test_kl_div_at_extremes_matches_torch(dtype: type, reduction: str) -> None:
    x = np.array([[-BIG, -1e4, 0.0], [0.0, -BIG, -0.5]])
    y = np.array([[0.0, 1.0, 0.5], [1.0, 0.0, 0.25]])
    compare(
        lambda x: F.kl_div(x, L.tensor(y.astype(x.dtype)), reduction=reduction),
        lambda x: TF.kl_div(x, torch.tensor(y, dtype=x.dtype), reduction=reduction),
        [x],
        dtype=dtype,
    )
    logy = np.array([[-1e4, 0.0, -BIG], [-0.1, -1e4, 0.0]])
    compare(
        lambda x, y: F.kl_div(x, y, reduction=reduction, log_target=True),
        lambda x, y: TF.kl_div(x, y, reduction=reduction, log_target=True),
        [x, logy],
        dtype=dtype,
    )


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("scale", [1e4, BIG], ids=["1e4", "float_max"])
def test_triplet_margin_loss_at_huge_embeddings_matches_torch(dtype: type, scale: float) -> None:
    a = np.array([[1.0, -1.0], [0.5, 0.0]]) * scale
    p = np.array([[-1.0, 1.0], [0.5, 0.25]]) * scale
    n = np.array([[1.0, 1.0], [-0.5, 0.0]]) * scale
    compare(F.triplet_margin_loss, TF.triplet_margin_loss, [a, p, n], dtype=dtype)


# ------------------------------------------------------------------ arguments


X, T = np.zeros((4, 3)), np.array([0, 1, 2, 0])


@pytest.mark.parametrize(
    "call,exc,match",
    [
        (
            lambda: F.cross_entropy(X, T, weight=np.ones(2)),
            ShapeError,
            r"cross_entropy: weight must hold one value per class, shape \(3,\), got shape \(2,\)",
        ),
        (
            lambda: F.cross_entropy(X, T, weight=np.ones((3, 1))),
            ShapeError,
            r"cross_entropy: weight .* shape \(3,\), got shape \(3, 1\)",
        ),
        (
            lambda: F.cross_entropy(X, np.full((4, 3), 1 / 3), weight=np.ones(4)),
            ShapeError,
            r"cross_entropy: weight .* got shape \(4,\)",
        ),
        (
            lambda: F.nll_loss(X, T, weight=np.ones(4)),
            ShapeError,
            r"nll_loss: weight must hold one value per class, shape \(3,\), got shape \(4,\)",
        ),
        (
            lambda: nn.CrossEntropyLoss(weight=np.ones(5))(L.tensor(X), L.tensor(T)),
            ShapeError,
            r"cross_entropy: weight",
        ),
        (
            lambda: F.cross_entropy(X, T, reduction="avg"),
            ValueError,
            r"cross_entropy: reduction must be one of 'mean', 'sum', 'none', got 'avg'",
        ),
        (lambda: F.nll_loss(X, T, reduction="batchmean"), ValueError, r"nll_loss: reduction"),
        (
            lambda: F.cross_entropy(X, np.zeros((4, 2))),
            ShapeError,
            r"cross_entropy: input and probability target must have the same shape",
        ),
        (lambda: F.cross_entropy(X, T[:3]), ShapeError, r"cross_entropy: target shape \(3,\)"),
        (
            lambda: F.cross_entropy(X, T, label_smoothing=1.5),
            ValueError,
            r"cross_entropy: label_smoothing must be in \[0, 1\], got 1.5",
        ),
        (
            lambda: F.binary_cross_entropy(np.full(3, 0.5), np.array([0.0, 1.5, 1.0])),
            ValueError,
            r"binary_cross_entropy: target must hold values in \[0, 1\], got values in \[0.0, 1.5\]",
        ),
        (
            lambda: F.binary_cross_entropy(np.array([-0.1, 0.5]), np.zeros(2)),
            ValueError,
            r"binary_cross_entropy: input must hold values in \[0, 1\]",
        ),
        (
            lambda: F.binary_cross_entropy(np.full((4, 3), 0.5), np.zeros((4, 1))),
            ShapeError,
            r"binary_cross_entropy: input and target must have the same shape",
        ),
        (
            lambda: F.binary_cross_entropy(
                np.full((4, 3), 0.5), np.zeros((4, 3)), weight=np.ones(2)
            ),
            ShapeError,
            r"binary_cross_entropy: weight of shape \(2,\) must broadcast to input \(4, 3\)",
        ),
        (
            lambda: F.binary_cross_entropy(np.full(3, 0.5), np.zeros(3), reduction="elementwise"),
            ValueError,
            r"binary_cross_entropy: reduction must be one of",
        ),
        (
            lambda: F.binary_cross_entropy_with_logits(X, np.zeros((4, 1))),
            ShapeError,
            r"binary_cross_entropy_with_logits: input and target must have the same shape",
        ),
        (
            lambda: F.binary_cross_entropy_with_logits(X, np.zeros((4, 3)), weight=np.ones(2)),
            ShapeError,
            r"binary_cross_entropy_with_logits: weight of shape \(2,\) must broadcast",
        ),
        (
            lambda: F.binary_cross_entropy_with_logits(X, np.zeros((4, 3)), pos_weight=np.ones(2)),
            ShapeError,
            r"binary_cross_entropy_with_logits: pos_weight of shape \(2,\) must broadcast",
        ),
        (
            lambda: F.triplet_margin_loss(X, X, X, margin=-1.0),
            ValueError,
            r"triplet_margin_loss: margin must be greater than 0, got -1.0",
        ),
        (
            lambda: F.triplet_margin_loss(X, X, X, margin=0.0),
            ValueError,
            r"triplet_margin_loss: margin must be greater than 0, got 0.0",
        ),
        (
            lambda: nn.TripletMarginLoss(margin=-0.5),
            ValueError,
            r"TripletMarginLoss: margin must be greater than 0, got -0.5",
        ),
        (
            lambda: F.triplet_margin_loss(X, X, np.zeros((4, 2))),
            ShapeError,
            r"triplet_margin_loss: anchor and negative must have the same shape",
        ),
        (
            lambda: F.triplet_margin_loss(X, X, X, reduction="avg"),
            ValueError,
            r"triplet_margin_loss: reduction must be one of",
        ),
        (
            lambda: F.mse_loss(X, np.zeros(3)),
            ShapeError,
            r"mse_loss: input and target must have the same shape",
        ),
        (
            lambda: F.l1_loss(X, X, reduction="max"),
            ValueError,
            r"l1_loss: reduction must be one of",
        ),
        (
            lambda: F.huber_loss(X, X, delta=-1.0),
            ValueError,
            r"huber_loss: delta must be greater than 0, got -1.0",
        ),
        (lambda: nn.HuberLoss(delta=0.0), ValueError, r"HuberLoss: delta must be greater than 0"),
        (
            lambda: F.smooth_l1_loss(X, X, beta=-0.5),
            ValueError,
            r"smooth_l1_loss: beta must be >= 0, got -0.5",
        ),
        (lambda: nn.SmoothL1Loss(beta=-1.0), ValueError, r"SmoothL1Loss: beta must be >= 0"),
        (
            lambda: F.kl_div(X, np.zeros(3)),
            ShapeError,
            r"kl_div: input and target must have the same shape",
        ),
        (
            lambda: nn.KLDivLoss(reduction="batch"),
            ValueError,
            r"KLDivLoss: reduction must be one of 'mean', 'sum', 'none', 'batchmean', got 'batch'",
        ),
        (lambda: nn.MSELoss(reduction="batchmean"), ValueError, r"MSELoss: reduction must be one"),
    ],
)
def test_loss_refuses_bad_argument_naming_itself(call: Any, exc: type, match: str) -> None:
    with pytest.raises(exc, match=match):
        call()


def test_bce_with_logits_accepts_targets_outside_0_1_like_torch() -> None:
    x, t = np.array([0.5, -1.0]), np.array([1.5, -0.5])
    got = F.binary_cross_entropy_with_logits(L.tensor(x), L.tensor(t)).item()
    want = TF.binary_cross_entropy_with_logits(torch.tensor(x), torch.tensor(t)).item()
    assert got == pytest.approx(want, rel=1e-12)
