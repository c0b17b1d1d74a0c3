"""Activation functions and other stateless network maps, composed from the primitives."""

from __future__ import annotations

from typing import Any

import numpy as np

from lamina.autodiff.function import Function
from lamina.autodiff.grad_mode import is_grad_enabled
from lamina.autodiff.random import default_generator
from lamina.autodiff.tensor import Tensor, TensorLike, as_tensor
from lamina.errors import ShapeError, check_probability, owner_name
from lamina.ops import elementwise as E
from lamina.ops._shapes import normalize_dim
from lamina.ops.elementwise import clip, exp, where
from lamina.ops.inplace import update_
from lamina.ops.linalg import matmul
from lamina.ops.reduce import sum
from lamina.ops.shape import reshape

__all__ = [
    "dropout", "elu", "leaky_relu", "linear", "log_softmax", "relu", "softmax", "softplus",
]  # fmt: skip


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
    return where(z > threshold, x, E.softplus(z) / beta)


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

    Fused for stability and speed: forward is (x - m) - log(sum(exp(x - m))) with m = max(x),
    in one pass of NumPy, and the first-order backward needs no graph of its own. With
    ``create_graph`` the backward is built from lamina ops on y, so it is differentiable.
    """

    def forward(ctx, x, dim):
        xp = ctx.xp
        m = x.max(axis=dim, keepdims=True)
        z = x - xp.where(xp.isfinite(m), m, 0)
        y = z - xp.log(xp.exp(z).sum(axis=dim, keepdims=True))
        ctx.dim, ctx.y = dim, y
        return y

    def backward(ctx, g):
        if not is_grad_enabled():  # first order: plain arrays, no graph to record
            gd = g.data
            return Tensor._wrap(gd - ctx.xp.exp(ctx.y) * gd.sum(axis=ctx.dim, keepdims=True))
        return g - exp(ctx.output()) * sum(g, ctx.dim, keepdim=True)


def log_softmax(x: TensorLike, dim: int = -1) -> Tensor:
    """y_i = x_i - logsumexp(x) along ``dim``, computed as (x_i - m) - log(sum_j exp(x_j - m))."""
    x = as_tensor(x)
    return LogSoftmax.apply(x, dim=normalize_dim("log_softmax", dim, x.ndim))


class Linear(Function):
    """y = x @ W^T + b for 2-D x.  dx = g @ W,  dW = g^T @ x,  db = sum_n g.

    Fused (rather than matmul, transpose and add) for speed: one graph node instead of three,
    and dW comes out in W's own (out, in) layout, so the optimizer's in-place update walks
    memory in order. The backward is written with lamina ops, so it is differentiable again.
    """

    def forward(ctx, x, w, b=None):
        y = x @ w.T
        if b is not None:
            y += b
        return y

    def backward(ctx, g):
        x, w = ctx.inputs[:2]
        need = ctx.needs_input_grad
        if not is_grad_enabled():  # first order: three BLAS calls on plain arrays
            gd, wrap = g.data, Tensor._wrap
            return (
                wrap(gd @ w.data) if need[0] else None,
                wrap(gd.T @ x.data) if need[1] else None,
                wrap(gd.sum(axis=0)) if len(need) > 2 and need[2] else None,
            )
        gx = matmul(g, w) if need[0] else None
        gw = matmul(g.transpose(0, 1), x) if need[1] else None
        gb = sum(g, 0) if len(need) > 2 and need[2] else None
        return gx, gw, gb


def linear(x: TensorLike, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """y = x @ weight.T + bias, with weight of shape (out_features, in_features)."""
    return _linear("linear", x, weight, bias)


def _linear(owner: Any, x: TensorLike, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """``linear`` with errors naming ``owner`` (a function name or the calling layer)."""
    x, name = as_tensor(x), owner_name(owner)
    if x.ndim == 0 or weight.ndim != 2 or x.shape[-1] != weight.shape[-1]:
        n_in = weight.shape[-1]
        raise ShapeError(f"{name}: expected input of shape (..., {n_in}), got {x.shape}")
    if x.dtype != weight.dtype:
        dtypes = f"{x.dtype} and {weight.dtype}"
        raise TypeError(f"{name}: input and weight must share a dtype, got {dtypes}")
    args = (weight,) if bias is None else (weight, bias)
    if x.ndim == 2:
        return Linear.apply(x, *args)
    if x.ndim == 1:
        return reshape(Linear.apply(reshape(x, (1, -1)), *args), (weight.shape[0],))
    lead = x.shape[:-1]  # one 2-D product for any number of leading dims
    y = Linear.apply(reshape(x, (-1, x.shape[-1])), *args)
    return reshape(y, (*lead, weight.shape[0]))


def check_dropout_p(owner: Any, p: Any) -> None:
    """Raise ValueError unless the drop probability ``p`` lies in [0, 1]."""
    if isinstance(p, bool) or not isinstance(p, (int, float, np.number)) or not 0 <= p <= 1:
        raise ValueError(f"{owner_name(owner)}: p must be in [0, 1], got {p!r}")


def dropout(
    x: TensorLike,
    p: float = 0.5,
    training: bool = True,
    inplace: bool = False,
    *,
    rng: np.random.Generator | None = None,
) -> Tensor:
    """Inverted dropout: y = x * mask / (1 - p), mask_i ~ Bernoulli(1 - p); identity in eval.

    Scaling at training time keeps E[y] = x, so evaluation needs no rescaling.
    ``inplace=True`` writes y into x, with PyTorch's in-place rules.
    """
    x = as_tensor(x)
    check_dropout_p("dropout", p)
    if not training or p == 0:
        return x
    if inplace:
        return update_("dropout", x, lambda t: dropout(t, p, training, rng=rng))
    if p == 1:
        return x * 0.0
    check_probability("dropout", p=p)
    gen = rng if rng is not None else default_generator()
    keep = gen.random(x.shape, dtype=np.float32 if x.dtype == np.float32 else np.float64) >= p
    return x * Tensor._wrap(keep.astype(x.dtype) / x.dtype.type(1 - p))
