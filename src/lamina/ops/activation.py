"""Activation functions: ReLU and its relatives, softplus, softmax and log-softmax."""

from __future__ import annotations

import numpy as np

from lamina.autodiff.function import Function
from lamina.autodiff.tensor import Tensor, TensorLike, as_tensor
from lamina.ops import elementwise as E
from lamina.ops._shapes import normalize_dim
from lamina.ops.elementwise import clip, exp, where
from lamina.ops.inplace import update_
from lamina.ops.reduce import sum

__all__ = ["elu", "leaky_relu", "log_softmax", "relu", "selu", "softmax", "softplus", "softsign"]


def leaky_relu(x: TensorLike, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """y = x if x > 0 else negative_slope * x.  ``inplace=True`` writes y into x."""
    x = as_tensor(x)
    if inplace:
        return update_("leaky_relu", x, lambda t: leaky_relu(t, negative_slope))
    return where(x > 0, x, x * negative_slope)


def elu(x: TensorLike, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """y = x if x > 0 else alpha * (exp(x) - 1).  ``inplace=True`` writes y into x."""
    x = as_tensor(x)
    if inplace:
        return update_("elu", x, lambda t: elu(t, alpha))
    # exp of min(x, 0): the unused branch never overflows, so its zero gradient stays zero
    return where(x > 0, x, (exp(clip(x, max=0.0)) - 1) * alpha)


SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def selu(x: TensorLike, inplace: bool = False) -> Tensor:
    """y = scale * elu(x, alpha), with Klambauer et al.'s alpha = 1.6733 and scale = 1.0507:
    the constants that make zero mean and unit variance a fixed point of a layer with LeCun
    normal weights (``init.calculate_gain("selu")``).  ``inplace=True`` writes y into x."""
    x = as_tensor(x)
    if inplace:
        return update_("selu", x, selu)
    return elu(x, SELU_ALPHA) * SELU_SCALE


def relu(x: TensorLike, inplace: bool = False) -> Tensor:
    """y = max(x, 0).  ``inplace=True`` writes y into x, with PyTorch's in-place rules."""
    if inplace:
        return update_("relu", as_tensor(x), E.relu)
    return E.relu(x)


def softplus(x: TensorLike, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """y = log(1 + exp(beta * x)) / beta, computed as max(z, 0) + log1p(exp(-|z|)), z = beta*x.

    Above ``threshold`` (beta * x > threshold) it returns x, as PyTorch does.
    """
    x = as_tensor(x)
    z = x * beta
    return where(z > threshold, x, E.log1pexp(z) / beta)


def softsign(x: TensorLike) -> Tensor:
    """y = x / (1 + |x|): a tanh-like squashing to (-1, 1) with polynomial, not exponential,
    tails.  dy/dx = 1 / (1 + |x|)^2."""
    x = as_tensor(x)
    return x / (1 + E.abs(x))


def _shift(x: Tensor, d: int) -> Tensor:
    """x minus its (constant) maximum along ``d``: exp of it cannot overflow."""
    m = x.data.max(axis=d, keepdims=True)
    return x - Tensor._wrap(np.where(np.isfinite(m), m, 0).astype(x.dtype))


def softmax(x: TensorLike, dim: int = -1) -> Tensor:
    """y_i = exp(x_i - m) / sum_j exp(x_j - m) along ``dim``, with m = max(x) for stability."""
    x = as_tensor(x)
    d = normalize_dim("softmax", dim, x.ndim)
    e = exp(_shift(x, d))
    return e / sum(e, d, keepdim=True)


class LogSoftmax(Function):
    """y_i = x_i - logsumexp(x) along ``dim``.  dx = g - exp(y) * sum_j g_j.

    Fused for stability: forward is (x - m) - log(sum(exp(x - m))) with m = max(x).
    """

    def forward(ctx, x, dim):
        m = x.max(axis=dim, keepdims=True)
        z = x - np.where(np.isfinite(m), m, 0)
        y = z - np.log(np.exp(z).sum(axis=dim, keepdims=True))
        ctx.dim, ctx.y = dim, y
        return y

    def backward(ctx, g):
        y = ctx.output()
        assert y is not None  # alive: a consumer (or the caller of backward) holds it
        return g - exp(y) * sum(g, ctx.dim, keepdim=True)


def log_softmax(x: TensorLike, dim: int = -1) -> Tensor:
    """y_i = x_i - logsumexp(x) along ``dim``, computed as (x_i - m) - log(sum_j exp(x_j - m))."""
    x = as_tensor(x)
    return LogSoftmax.apply(x, dim=normalize_dim("log_softmax", dim, x.ndim))
