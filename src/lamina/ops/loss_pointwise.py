"""Pointwise losses beyond MSE and L1: Huber, smooth L1 and the Kullback-Leibler divergence.

Each is an elementwise formula composed from lamina ops, then reduced; gradients, second
derivatives and dtypes come from the ops.
"""

from __future__ import annotations

import numpy as np

from lamina.autodiff.tensor import Tensor, TensorLike
from lamina.ops._loss_args import REDUCTIONS, check_positive, loss_inputs, reduce_loss
from lamina.ops.elementwise import abs, clip, exp, log, where
from lamina.ops.reduce import sum

__all__ = ["huber_loss", "kl_div", "smooth_l1_loss"]


def _huber(d: Tensor, delta: float) -> Tensor:
    """0.5 * d**2 where |d| <= delta, else delta * (|d| - 0.5 * delta).

    Written as 0.5 * c**2 + delta * (|d| - |c|) with c = clip(d, -delta, delta): the same
    values, and no branch squares a huge d, so an overflowing d (inf) still gets PyTorch's
    finite gradient delta * sign(d) instead of 0 * inf = NaN from an unused branch.
    """
    c = clip(d, -delta, delta)
    return c * c * 0.5 + (abs(d) - abs(c)) * delta


def huber_loss(
    input: TensorLike, target: TensorLike, reduction: str = "mean", delta: float = 1.0
) -> Tensor:
    """Huber loss: l = 0.5 * d**2 if |d| < delta else delta * (|d| - 0.5 * delta), d = x - y.

    Quadratic near zero, linear (slope delta) beyond; then mean, sum or none.

    Raises
    ------
    ValueError
        delta <= 0 (PyTorch refuses it), an unknown reduction, NaN or inf in the input.
    ShapeError
        Input and target of different shapes.
    """
    check_positive("huber_loss", delta=delta)
    x, t = loss_inputs("huber_loss", input, target, reduction)
    return reduce_loss(_huber(x - t, delta), reduction)


def smooth_l1_loss(
    input: TensorLike, target: TensorLike, reduction: str = "mean", beta: float = 1.0
) -> Tensor:
    """Smooth L1: l = 0.5 * d**2 / beta if |d| < beta else |d| - 0.5 * beta, d = x - y.

    The Huber loss divided by beta (Fast R-CNN's box loss); beta = 0 is the L1 loss.

    Raises
    ------
    ValueError
        beta < 0 (PyTorch refuses it), an unknown reduction, NaN or inf in the input.
    ShapeError
        Input and target of different shapes.
    """
    if not beta >= 0:
        raise ValueError(f"smooth_l1_loss: beta must be >= 0, got {beta}")
    x, t = loss_inputs("smooth_l1_loss", input, target, reduction)
    d = x - t
    return reduce_loss(abs(d) if beta == 0 else _huber(d, beta) / beta, reduction)


def kl_div(
    input: TensorLike, target: TensorLike, reduction: str = "mean", log_target: bool = False
) -> Tensor:
    """Kullback-Leibler divergence of log-probabilities ``input`` from ``target``.

    l = y * (log(y) - x) (0 where y = 0), or with log_target l = exp(y) * (y - x); then
    "mean" over every element, "sum", "batchmean" = sum / N (the true KL divergence per
    sample, what PyTorch recommends), or "none".

    Raises
    ------
    ValueError
        An unknown reduction, NaN or inf in the input.
    ShapeError
        Input and target of different shapes.
    """
    x, t = loss_inputs("kl_div", input, target, reduction, (*REDUCTIONS, "batchmean"))
    if log_target:
        loss = exp(t) * (t - x)
    else:  # y * log(y) taken as 0 at y = 0 (PyTorch's xlogy), without log(0) in the graph
        positive = t.data > 0
        safe = where(positive, t, Tensor._wrap(np.ones((), t.dtype)))
        loss = where(positive, t * log(safe), Tensor._wrap(np.zeros((), t.dtype))) - t * x
    if reduction == "batchmean":
        total = sum(loss)
        return total / x.shape[0] if x.ndim else total
    return reduce_loss(loss, reduction)
