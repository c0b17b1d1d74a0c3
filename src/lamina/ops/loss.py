"""Loss functions with PyTorch's signatures, ``reduction`` options and numerics."""

from __future__ import annotations

import numpy as np

from lamina.autodiff.function import Function
from lamina.autodiff.tensor import Tensor, TensorLike, as_tensor
from lamina.errors import ShapeError, check_finite, check_in
from lamina.ops import elementwise as E
from lamina.ops._loss_args import REDUCTIONS as _REDUCTIONS
from lamina.ops._loss_args import broadcast_weight, check_in_unit_interval, check_positive
from lamina.ops._loss_args import class_weight as _class_weight
from lamina.ops._loss_args import loss_inputs as _inputs
from lamina.ops._loss_args import reduce_loss as _reduce
from lamina.ops._shapes import check_same_shape
from lamina.ops.activation import log_softmax
from lamina.ops.elementwise import abs, clip, log, minimum, relu
from lamina.ops.index import index_add
from lamina.ops.reduce import sum

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "l1_loss",
    "mse_loss",
    "nll_loss",
    "pairwise_distance",
    "triplet_margin_loss",
]


def mse_loss(input: TensorLike, target: TensorLike, reduction: str = "mean") -> Tensor:
    """Mean squared error: l_i = (x_i - y_i)**2, then mean, sum or none."""
    x, t = _inputs("mse_loss", input, target, reduction)
    d = x - t
    return _reduce(d * d, reduction)


def l1_loss(input: TensorLike, target: TensorLike, reduction: str = "mean") -> Tensor:
    """Mean absolute error: l_i = |x_i - y_i|, then mean, sum or none."""
    x, t = _inputs("l1_loss", input, target, reduction)
    return _reduce(abs(x - t), reduction)


def _class_target(owner: str, x: Tensor, target: Tensor, ignore_index: int) -> np.ndarray:
    """Check class indices against scores (N, C, d1, ...) and return them as an array."""
    t = target.data
    if t.dtype.kind not in "iu":
        raise TypeError(f"{owner}: target must hold integer class indices, got {t.dtype}")
    expected = (x.shape[0], *x.shape[2:]) if x.ndim > 1 else ()
    if t.shape != expected:
        raise ShapeError(
            f"{owner}: target shape {t.shape} does not match input {x.shape}; expected {expected}"
        )
    valid = t[t != ignore_index]
    n_classes = x.shape[1] if x.ndim > 1 else x.shape[0]
    if valid.size and (valid.min() < 0 or valid.max() >= n_classes):
        bad = valid.max() if valid.max() >= n_classes else valid.min()
        raise IndexError(f"{owner}: target must hold class indices in [0, {n_classes}), got {bad}")
    return t


def _pick_index(t: np.ndarray, ndim: int) -> tuple[np.ndarray, ...] | int:
    """The index of x[n, t[n, ...], ...]: each sample's target class (one element each)."""
    if ndim == 1:
        return int(t)
    index: list[np.ndarray] = list(np.indices(t.shape, sparse=True))
    index.insert(1, t)
    return tuple(index)


class NLLLoss(Function):
    """l_n = -w_n * x[n, y_n], then none, sum, or mean = sum_n l_n / sum_n w_n.

    dx[n, y_n] = -w_n * g_n (divided by sum_n w_n for the mean); zero elsewhere.
    One node; the backward is an ``index_add`` of the scaled gradient.
    """

    def forward(ctx, x, index, wt, reduction):
        ctx.index, ctx.wt, ctx.reduction = index, wt, reduction
        loss = -x[index] * wt
        ctx.denom = wt.sum() if reduction == "mean" else 1
        if reduction == "none":
            return loss
        total = loss.sum()
        if reduction == "sum":
            return total
        # all targets ignored: PyTorch returns NaN (and zero gradients)
        return total / ctx.denom if ctx.denom != 0 else np.asarray(np.nan, x.dtype)

    def backward(ctx, g):
        shape = ctx.input_shapes[0]
        scale = -ctx.wt / (ctx.denom if ctx.denom != 0 else 1)
        return index_add(g * Tensor._wrap(scale.astype(g.dtype)), ctx.index, shape)


def nll_loss(
    input: TensorLike,
    target: TensorLike,
    weight: TensorLike | None = None,
    ignore_index: int = -100,
    reduction: str = "mean",
) -> Tensor:
    """Negative log-likelihood of log-probabilities: l_n = -w[y_n] * x[n, y_n].

    ``mean`` divides by sum_n w[y_n] over the samples not ignored, as PyTorch does.

    Raises
    ------
    ValueError
        An unknown reduction, NaN or inf in the input.
    ShapeError
        A target or weight (C,) of the wrong shape.
    """
    check_in("nll_loss", "reduction", reduction, _REDUCTIONS)
    x = as_tensor(input)
    check_finite("nll_loss", x.data)
    return _nll("nll_loss", x, as_tensor(target), weight, ignore_index, reduction)


def _nll(
    owner: str,
    x: Tensor,
    target: Tensor,
    weight: TensorLike | None,
    ignore_index: int,
    reduction: str,
) -> Tensor:
    """nll_loss without the finiteness check (log_softmax of finite logits can be -inf)."""
    t = _class_target(owner, x, target, ignore_index)
    keep = t != ignore_index
    safe = np.where(keep, t, 0)
    n_classes = x.shape[1] if x.ndim > 1 else x.shape[0]
    w = _class_weight(owner, weight, n_classes, x.dtype)
    w = np.ones(n_classes, x.dtype) if w is None else w
    wt = (w[safe] * keep).astype(x.dtype)
    return NLLLoss.apply(x, index=_pick_index(safe, x.ndim), wt=wt, reduction=reduction)


def _weighted_mean(total: Tensor, weight: float) -> Tensor:
    """total / weight; when every target is ignored (weight 0) PyTorch gives NaN, zero grads."""
    if weight == 0:
        return total * 0.0 + Tensor._wrap(np.asarray(np.nan, total.dtype))
    return total / weight


def cross_entropy(
    input: TensorLike,
    target: TensorLike,
    weight: TensorLike | None = None,
    ignore_index: int = -100,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Tensor:
    """Cross-entropy from logits: l_n = -sum_c w_c * q_nc * log_softmax(x_n)_c.

    ``target`` holds class indices (q is one-hot) or class probabilities (same shape as the
    input). Label smoothing mixes q with the uniform distribution: q' = (1 - e) * q + e / C.
    """
    check_in("cross_entropy", "reduction", reduction, _REDUCTIONS)
    if not 0 <= label_smoothing <= 1:
        raise ValueError(f"cross_entropy: label_smoothing must be in [0, 1], got {label_smoothing}")
    x, t = as_tensor(input), as_tensor(target)
    check_finite("cross_entropy", x.data)  # only the input: log_softmax may reach -inf
    if x.ndim == 0:
        raise ShapeError("cross_entropy: expected input (C,) or (N, C, ...), got shape ()")
    cdim = 1 if x.ndim > 1 else 0
    n_classes = x.shape[cdim]
    w = _class_weight("cross_entropy", weight, n_classes, x.dtype)
    # x - max(x) can overflow to -inf for finite logits near -+float max; PyTorch gives the
    # same -inf log-probability (an inf loss) with finite gradients, and so does this.
    with np.errstate(over="ignore"):
        logp = log_softmax(x, cdim)
    wshape = (n_classes,) + (1,) * (x.ndim - cdim - 1)
    if t.dtype.kind == "f":  # class probabilities
        check_same_shape("cross_entropy", x.shape, t.shape, "input and probability target")
        q = t.to(x.dtype)
        if label_smoothing:
            q = q * (1 - label_smoothing) + label_smoothing / n_classes
        wq = q if w is None else q * Tensor._wrap(w.reshape(wshape))
        return _reduce(-sum(wq * logp, cdim), reduction)
    nll = _nll("cross_entropy", logp, t, w, ignore_index, reduction)
    if not label_smoothing:
        return nll
    tt = t.data
    keep = tt != ignore_index
    wl = logp if w is None else logp * Tensor._wrap(w.reshape(wshape))
    smooth = -sum(wl, cdim) * Tensor._wrap(keep.astype(x.dtype))
    if reduction == "mean":
        denom = keep.sum() if w is None else w[np.where(keep, tt, 0)][keep].sum()
        smooth = _weighted_mean(sum(smooth), denom)
    elif reduction == "sum":
        smooth = sum(smooth)
    return nll * (1 - label_smoothing) + smooth * (label_smoothing / n_classes)


_BCE_EPS = np.float32(1e-12)  # PyTorch's clamp of p * (1 - p), a float constant


class BinaryCrossEntropy(Function):
    """l = -(t * max(log(p), -100) + (1 - t) * max(log1p(-p), -100)), PyTorch's clamped BCE.

    Fused to match PyTorch at p = 0 or 1 (float32 sigmoid(17) is already 1.0): composed from
    log and clip, the gradient 1/p is inf there and the clip's zero mask makes it NaN.
    PyTorch's rules, used here (the target's gradient is not clamped, as in PyTorch):
        dp = g * (p - t) / max(p * (1 - p), 1e-12)
        dt = g * (log1p(-p) - log(p))
    written with lamina ops, so they are differentiable again.
    """

    def forward(ctx, p, t):
        with np.errstate(divide="ignore"):
            log_p, log_q = np.log(p), np.log1p(-p)
        ctx.log_p, ctx.log_q = log_p, log_q
        return -(t * np.maximum(log_p, -100) + (1 - t) * np.maximum(log_q, -100))

    def backward(ctx, g):
        p, t = ctx.inputs
        need = ctx.needs_input_grad
        dp = g * (p - t) / clip(p * (1 - p), min=float(_BCE_EPS)) if need[0] else None
        with np.errstate(divide="ignore"):
            dt = g * (E.log1p(-p) - log(p)) if need[1] else None
        return dp, dt


def binary_cross_entropy(
    input: TensorLike,
    target: TensorLike,
    weight: TensorLike | None = None,
    reduction: str = "mean",
) -> Tensor:
    """BCE of probabilities: l = -w * (y * log(p) + (1 - y) * log(1 - p)); logs clamped at -100.

    At p = 0 or 1 the loss stays finite (at most 100 per element) and the gradient is
    PyTorch's, (p - y) / max(p * (1 - p), 1e-12).

    Raises
    ------
    ValueError
        Probabilities or targets outside [0, 1], an unknown reduction.
    ShapeError
        Input and target of different shapes, a weight that does not broadcast to the input.
    """
    owner = "binary_cross_entropy"
    p, t = _inputs(owner, input, target, reduction)
    check_in_unit_interval(owner, "input", p.data)
    check_in_unit_interval(owner, "target", t.data)
    w = broadcast_weight(owner, "weight", weight, p)
    loss = BinaryCrossEntropy.apply(p, t)
    return _reduce(loss if w is None else loss * w, reduction)


def binary_cross_entropy_with_logits(
    input: TensorLike,
    target: TensorLike,
    weight: TensorLike | None = None,
    reduction: str = "mean",
    pos_weight: TensorLike | None = None,
) -> Tensor:
    """BCE of logits, stable for any x: l = (1 - y) * x + (1 + (pw - 1) * y) * softplus(-x).

    With pos_weight pw = 1 this is -(y * log(sigmoid(x)) + (1 - y) * log(1 - sigmoid(x))),
    but softplus(-x) = max(-x, 0) + log1p(exp(-|x|)) never overflows.
    """
    owner = "binary_cross_entropy_with_logits"
    x, t = _inputs(owner, input, target, reduction)  # targets are not range-checked: as PyTorch
    w = broadcast_weight(owner, "weight", weight, x)
    pw = broadcast_weight(owner, "pos_weight", pos_weight, x)
    sp = E.log1pexp(-x)  # no threshold here: exact for every logit, as PyTorch
    loss = (1 - t) * x + (sp if pw is None else sp * ((pw - 1) * t + 1))
    return _reduce(loss if w is None else loss * w, reduction)


def pairwise_distance(
    x1: TensorLike, x2: TensorLike, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False
) -> Tensor:
    """d = (sum_i |x1_i - x2_i + eps|**p)**(1/p) over the last dim, as PyTorch computes it.

    Computed as m * (sum_i (|diff_i| / m)**p)**(1/p) with m = max_i |diff_i| held constant,
    the scaling of PyTorch's norm: the same value and gradient, but |diff|**p cannot
    overflow for a finite distance (float32 embeddings near 1e19 and beyond).
    """
    check_positive("pairwise_distance", p=p)
    d = abs(as_tensor(x1) - x2 + eps)
    m = d.data.max(axis=-1, keepdims=True) if d.ndim else d.data
    m = Tensor._wrap(np.where(np.isfinite(m) & (m > 0), m, 1).astype(d.dtype))
    norm = sum((d / m) ** p, -1, keepdim=True) ** (1.0 / p) * m
    return norm if keepdim or d.ndim == 0 else norm.squeeze(-1)


def triplet_margin_loss(
    anchor: TensorLike,
    positive: TensorLike,
    negative: TensorLike,
    margin: float = 1.0,
    p: float = 2.0,
    eps: float = 1e-6,
    swap: bool = False,
    reduction: str = "mean",
) -> Tensor:
    """l = max(d(a, p) - d(a, n) + margin, 0), d the p-norm distance (FaceNet's triplet loss).

    With ``swap`` the negative distance is min(d(a, n), d(p, n)).
    """
    check_in("triplet_margin_loss", "reduction", reduction, _REDUCTIONS)
    check_positive("triplet_margin_loss", margin=margin, p=p)
    a, pos, neg = as_tensor(anchor), as_tensor(positive), as_tensor(negative)
    check_same_shape("triplet_margin_loss", a.shape, pos.shape, "anchor and positive")
    check_same_shape("triplet_margin_loss", a.shape, neg.shape, "anchor and negative")
    for name, t in (("anchor", a), ("positive", pos), ("negative", neg)):
        check_finite("triplet_margin_loss", t.data, name)
    d_pos = pairwise_distance(a, pos, p, eps)
    d_neg = pairwise_distance(a, neg, p, eps)
    if swap:
        d_neg = minimum(d_neg, pairwise_distance(pos, neg, p, eps))
    loss = relu(d_pos - d_neg + margin)
    return _reduce(loss, reduction)
