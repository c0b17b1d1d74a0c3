"""Normalization: batch_norm (with running statistics), layer_norm, group_norm, instance_norm."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from lamina.autodiff.function import Function
from lamina.autodiff.tensor import Tensor, TensorLike, as_tensor
from lamina.errors import ShapeError, owner_name
from lamina.ops._shapes import check_layout, check_same_dtype
from lamina.ops.reduce import mean, sum
from lamina.ops.shape import reshape, squeeze, unsqueeze

Layouts = Sequence[Sequence[str]]
ANY_CHANNELS: Layouts = (("N", "C", "*"),)  # what the functions take: (N, C) and up

__all__ = ["batch_norm", "group_norm", "instance_norm", "layer_norm"]


class BatchNormTrain(Function):
    """y = (x - mean) / sqrt(var + eps) * w + b with the batch's per-channel mean and var.

    One node rather than a dozen primitives (the statistics come from ``_batch_norm`` as
    arrays). Backward, with xhat the normalized input and M the elements per channel:
        dx = w / sqrt(var + eps) * (g - sum(g)/M - xhat * sum(g * xhat)/M)
        dw = sum(g * xhat),  db = sum(g)
    written with lamina ops, xhat recomputed from x by lamina ops too, so second derivatives
    are right.
    """

    def forward(ctx, x, *affine, centered, inv, axes, eps):
        ctx.axes, ctx.eps = axes, eps
        ctx.centered, ctx.inv = centered, inv  # xhat = centered * inv, formed when needed
        if not affine:
            return centered * inv
        w, b = affine
        y = centered * (inv * w.reshape(inv.shape))
        y += b.reshape(inv.shape)
        return y

    def backward(ctx, g):
        x, axes, needs = ctx.inputs[0], ctx.axes, ctx.needs_input_grad
        count = x.data.size // x.shape[1]
        xc = x - mean(x, axes, keepdim=True)
        inv = (mean(xc * xc, axes, keepdim=True) + ctx.eps) ** -0.5
        xhat = xc * inv
        gs = sum(g, axes, keepdim=True)
        gx = sum(g * xhat, axes, keepdim=True)
        scale = inv if len(needs) == 1 else inv * reshape(ctx.inputs[1], inv.shape)
        dx = scale * (g - gs / count - xhat * (gx / count)) if needs[0] else None
        if len(needs) == 1:
            return dx
        c = (x.shape[1],)
        return dx, reshape(gx, c) if needs[1] else None, reshape(gs, c) if needs[2] else None


def _channel_shape(x: Tensor) -> tuple[int, ...]:
    return (1, x.shape[1]) + (1,) * (x.ndim - 2)


def batch_norm(
    input: TensorLike,
    running_mean: Tensor | None,
    running_var: Tensor | None,
    weight: TensorLike | None = None,
    bias: TensorLike | None = None,
    training: bool = False,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> Tensor:
    """Normalize each channel (dim 1) over the batch and every other dim, as PyTorch.

    y = (x - mu) / sqrt(sigma2 + eps) * weight + bias. In training mu and sigma2 are the
    batch's (biased variance) and the running statistics, when given, move in place:
    running = (1 - momentum) * running + momentum * batch, with the unbiased variance
    sigma2 * M / (M - 1). Otherwise mu and sigma2 are the running statistics.

    Parameters
    ----------
    input : Tensor (N, C) or (N, C, *)
    running_mean, running_var : Tensor (C,) or None
    weight, bias : Tensor (C,), optional
    """
    return _batch_norm(
        "batch_norm", input, running_mean, running_var, weight, bias, training, momentum, eps
    )


def _batch_norm(
    owner: Any,
    input: TensorLike,
    running_mean: Tensor | None,
    running_var: Tensor | None,
    weight: TensorLike | None,
    bias: TensorLike | None,
    training: bool,
    momentum: float,
    eps: float,
    channels: int | None = None,
    layouts: Layouts = ANY_CHANNELS,
) -> Tensor:
    """``batch_norm`` with errors naming ``owner``; a layer also gives the input ``layouts``
    (see ``check_layout``) and ``channels`` it takes."""
    name = owner_name(owner)
    x = as_tensor(input)
    check_layout(owner, x.shape, layouts, channels)
    c = x.shape[1]
    w = None if weight is None else as_tensor(weight)
    b = None if bias is None else as_tensor(bias)
    check_same_dtype(owner, x, weight=w, bias=b, running_mean=running_mean)
    for what, t in (
        ("running_mean", running_mean),
        ("running_var", running_var),
        ("weight", w),
        ("bias", b),
    ):
        if t is not None and t.shape != (c,):
            raise ShapeError(f"{name}: {what} must have shape ({c},), got {t.shape}")
    shape = _channel_shape(x)
    if not training:
        if running_mean is None or running_var is None:
            raise ValueError(f"{name}: running_mean and running_var are needed in eval mode")
        inv = (1.0 / np.sqrt(running_var.data + eps)).astype(x.dtype)
        scale: Tensor = Tensor._wrap(inv) if w is None else w * Tensor._wrap(inv)
        shift = -Tensor._wrap(running_mean.data.astype(x.dtype)) * scale
        shift = shift if b is None else shift + b
        return x * reshape(scale, shape) + reshape(shift, shape)
    axes = (0, *range(2, x.ndim))
    count = x.data.size // c
    if count <= 1:
        raise ValueError(
            f"{name}: expected more than 1 value per channel when training, got input {x.shape}"
        )
    mu = x.data.mean(axis=axes, keepdims=True)
    centered = x.data - mu
    var = (centered * centered).mean(axis=axes, keepdims=True)
    for buf, value in ((running_mean, mu), (running_var, var * (count / (count - 1)))):
        if buf is not None:
            buf.data *= 1 - momentum
            buf.data += (momentum * value.reshape(c)).astype(buf.dtype)
    inv = (1.0 / np.sqrt(var + eps)).astype(x.dtype)
    affine = []
    if w is not None or b is not None:  # a missing half of the affine map is the identity
        w = Tensor._wrap(np.ones(c, x.dtype)) if w is None else w
        affine = [w, Tensor._wrap(np.zeros(c, x.dtype)) if b is None else b]
    return BatchNormTrain.apply(x, *affine, centered=centered, inv=inv, axes=axes, eps=eps)


def layer_norm(
    input: TensorLike,
    normalized_shape: int | Sequence[int],
    weight: TensorLike | None = None,
    bias: TensorLike | None = None,
    eps: float = 1e-5,
) -> Tensor:
    """Normalize over the last dims: y = (x - mean) / sqrt(var + eps) * weight + bias.

    mean and the biased var are taken over the trailing ``normalized_shape`` dims of each
    sample; weight and bias have shape ``normalized_shape``. Composed from primitives.
    """
    return _layer_norm("layer_norm", input, normalized_shape, weight, bias, eps)


def _layer_norm(
    owner: Any,
    input: TensorLike,
    normalized_shape: int | Sequence[int],
    weight: TensorLike | None,
    bias: TensorLike | None,
    eps: float,
) -> Tensor:
    """``layer_norm`` with errors naming ``owner``."""
    x = as_tensor(input)
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    k = len(shape)
    if k == 0 or x.ndim < k or tuple(x.shape[-k:]) != shape:
        raise ShapeError(
            f"{owner_name(owner)}: expected input (*, {', '.join(map(str, shape))}), got {x.shape}"
        )
    check_same_dtype(owner, x, weight=weight, bias=bias)
    dims = tuple(range(x.ndim - k, x.ndim))
    xc = x - mean(x, dims, keepdim=True)
    y = xc * (mean(xc * xc, dims, keepdim=True) + eps) ** -0.5
    if weight is not None:
        y = y * weight
    if bias is not None:
        y = y + bias
    return y


def _standardize(x: Tensor, dims: tuple[int, ...], eps: float) -> Tensor:
    """(x - mean) / sqrt(var + eps) over ``dims``, biased var; composed from primitives."""
    xc = x - mean(x, dims, keepdim=True)
    return xc * (mean(xc * xc, dims, keepdim=True) + eps) ** -0.5


def _channel_affine(
    owner: Any, y: Tensor, weight: TensorLike | None, bias: TensorLike | None
) -> Tensor:
    """y * weight + bias with per-channel (C,) weight and bias, channels on dim 1."""
    c, shape = y.shape[1], _channel_shape(y)
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and as_tensor(t).shape != (c,):
            raise ShapeError(
                f"{owner_name(owner)}: {name} must have shape ({c},), got {as_tensor(t).shape}"
            )
    if weight is not None:
        y = y * reshape(as_tensor(weight), shape)
    if bias is not None:
        y = y + reshape(as_tensor(bias), shape)
    return y


def group_norm(
    input: TensorLike,
    num_groups: int,
    weight: TensorLike | None = None,
    bias: TensorLike | None = None,
    eps: float = 1e-5,
) -> Tensor:
    """Group normalization (Wu & He, 2018): channels in groups, each sample on its own.

    The C channels of x (N, C, *) split into ``num_groups`` groups of C / G channels;
    y = (x - mean_g) / sqrt(var_g + eps) * weight_c + bias_c, with mean_g and the biased
    var_g over a group's channels and every spatial position. G = 1 is layer norm over
    (C, *), G = C is instance norm. Weight and bias have shape (C,).
    """
    return _group_norm("group_norm", input, num_groups, weight, bias, eps)


def _group_norm(
    owner: Any,
    input: TensorLike,
    num_groups: int,
    weight: TensorLike | None,
    bias: TensorLike | None,
    eps: float,
    channels: int | None = None,
) -> Tensor:
    """``group_norm`` with errors naming ``owner``; a layer also gives its ``channels``."""
    x = as_tensor(input)
    check_layout(owner, x.shape, ANY_CHANNELS, channels)
    check_same_dtype(owner, x, weight=weight, bias=bias)
    n, c = x.shape[:2]
    if num_groups <= 0 or c % num_groups:
        raise ValueError(
            f"{owner_name(owner)}: the {c} channels must split into num_groups={num_groups} "
            "equal groups"
        )
    y = reshape(_standardize(reshape(x, (n, num_groups, -1)), (2,), eps), x.shape)
    return _channel_affine(owner, y, weight, bias)


def instance_norm(
    input: TensorLike,
    running_mean: Tensor | None = None,
    running_var: Tensor | None = None,
    weight: TensorLike | None = None,
    bias: TensorLike | None = None,
    use_input_stats: bool = True,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> Tensor:
    """Instance normalization (Ulyanov et al., 2016): each channel of each sample on its own.

    y = (x - mean_nc) / sqrt(var_nc + eps) * weight + bias over the spatial dims of x
    (N, C, *). With ``use_input_stats`` the running statistics, when given, move in place
    by the batch average of the instances' statistics, as PyTorch does:
    running = (1 - momentum) * running + momentum * mean_n(stat_nc), with the unbiased var.
    Otherwise the running statistics normalize (PyTorch's eval mode with tracked stats).
    """
    return _instance_norm(
        "instance_norm",
        input,
        running_mean,
        running_var,
        weight,
        bias,
        use_input_stats,
        momentum,
        eps,
    )


def _instance_norm(
    owner: Any,
    input: TensorLike,
    running_mean: Tensor | None,
    running_var: Tensor | None,
    weight: TensorLike | None,
    bias: TensorLike | None,
    use_input_stats: bool,
    momentum: float,
    eps: float,
    channels: int | None = None,
    layouts: Layouts | None = None,
) -> Tensor:
    """``instance_norm`` with errors naming ``owner``. A layer also gives the ``layouts`` and
    ``channels`` it takes; a layout without "N" is an unbatched input, normalized as N = 1."""
    name, x = owner_name(owner), as_tensor(input)
    if layouts is not None and "N" not in check_layout(owner, x.shape, layouts, channels):
        y = _instance_norm(
            owner,
            unsqueeze(x, 0),
            running_mean,
            running_var,
            weight,
            bias,
            use_input_stats,
            momentum,
            eps,
        )
        return squeeze(y, 0)
    if x.ndim < 3:
        raise ShapeError(f"{name}: expected input (N, C, *) with spatial dims, got {x.shape}")
    check_same_dtype(owner, x, weight=weight, bias=bias, running_mean=running_mean)
    c = x.shape[1]
    for what, t in (("running_mean", running_mean), ("running_var", running_var)):
        if t is not None and t.shape != (c,):
            raise ShapeError(f"{name}: {what} must have shape ({c},), got {t.shape}")
    if not use_input_stats:
        if running_mean is None or running_var is None:
            raise ValueError(f"{name}: running_mean and running_var are needed without input stats")
        return _batch_norm(owner, x, running_mean, running_var, weight, bias, False, momentum, eps)
    dims = tuple(range(2, x.ndim))
    count = int(np.prod(x.shape[2:]))
    if count <= 1:
        raise ValueError(
            f"{name}: expected more than 1 spatial element per channel, got input {x.shape}"
        )
    stats = (
        (running_mean, x.data.mean(axis=dims)),
        (running_var, x.data.var(axis=dims) * (count / (count - 1))),
    )
    for buf, value in stats:
        if buf is not None:
            buf.data *= 1 - momentum
            buf.data += (momentum * value.mean(axis=0)).astype(buf.dtype)
    return _channel_affine(owner, _standardize(x, dims, eps), weight, bias)
