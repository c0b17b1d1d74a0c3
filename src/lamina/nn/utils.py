"""Gradient clipping, weight penalties and the max-norm constraint.

Clipping and max-norm act on arrays in place, outside the graph, between ``backward`` and
``step`` (clipping) or after ``step`` (max-norm). Penalties are differentiable Tensors built
from lamina ops, to be added to a loss before ``backward``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from lamina import ops
from lamina.autodiff.tensor import Tensor
from lamina.errors import check_nonnegative

__all__ = [
    "clip_grad_norm_",
    "clip_grad_value_",
    "elastic_net_penalty",
    "l1_penalty",
    "l2_penalty",
    "max_norm_",
]

TensorOrTensors = Tensor | Iterable[Tensor]


def _tensors(owner: str, parameters: TensorOrTensors) -> list[Tensor]:
    params = [parameters] if isinstance(parameters, Tensor) else list(parameters)
    for p in params:
        if not isinstance(p, Tensor):
            raise TypeError(f"{owner}: expected Tensors, got {type(p).__name__}")
    return params


def _vector_norm(x: np.ndarray, norm_type: float) -> np.ndarray:
    """||x||_p over all elements, in x's dtype (inf: the largest |x_i|)."""
    a = np.abs(x)
    if math.isinf(norm_type):
        return a.max() if a.size else np.zeros((), x.dtype)
    if norm_type == 2:
        return np.sqrt(np.sum(a * a))
    if norm_type == 1:
        return np.sum(a)
    return np.sum(a**norm_type) ** (1.0 / norm_type)


def clip_grad_norm_(
    parameters: TensorOrTensors,
    max_norm: float,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
) -> Tensor:
    """Rescale the gradients together so that their joint norm is at most ``max_norm``.

    total = || (||g_1||_p, ..., ||g_n||_p) ||_p      (the p-norm of all gradients as one vector)
    g_i = g_i * min(1, max_norm / (total + 1e-6))

    Parameters
    ----------
    parameters : Tensor or iterable of Tensor
        Tensors whose ``.grad`` is clipped in place; those without a gradient are ignored.
    max_norm : float
        Largest allowed norm; must be >= 0.
    norm_type : float, default=2
        p of the p-norm, > 0; ``float("inf")`` for the largest absolute value.
    error_if_nonfinite : bool, default=False
        Raise ``RuntimeError`` if the total norm is NaN or inf (the gradients are then left
        untouched); otherwise they are scaled by a NaN factor, as in PyTorch.

    Returns
    -------
    Tensor
        The total norm before clipping, a 0-d tensor in the gradients' dtype.

    Notes
    -----
    The 1e-6 keeps the factor finite for a zero norm and makes the clipped norm land just
    under ``max_norm``; like PyTorch, the factor is applied even when it is 1.
    """
    check_nonnegative("clip_grad_norm_", max_norm=max_norm)
    norm_type = float(norm_type)
    if not norm_type > 0:
        raise ValueError(f"clip_grad_norm_: norm_type must be > 0, got {norm_type!r}")
    grads = [p.grad.data for p in _tensors("clip_grad_norm_", parameters) if p.grad is not None]
    if not grads:
        return Tensor(np.zeros(()))
    dtype = np.result_type(*grads)
    norms = np.stack([_vector_norm(g, norm_type).astype(dtype) for g in grads])
    total = _vector_norm(norms, norm_type)
    if error_if_nonfinite and not np.isfinite(total):
        raise RuntimeError(
            f"clip_grad_norm_: the total norm of order {norm_type} of the gradients is "
            f"{float(total)}, not finite"
        )
    coef = np.minimum(dtype.type(max_norm) / (total + dtype.type(1e-6)), dtype.type(1.0))
    for g in grads:
        g *= coef.astype(g.dtype)
    return Tensor(np.asarray(total, dtype))


def clip_grad_value_(parameters: TensorOrTensors, clip_value: float) -> None:
    """Clip every gradient element to [-clip_value, clip_value], in place.

    g = min(max(g, -clip_value), clip_value)
    """
    check_nonnegative("clip_grad_value_", clip_value=clip_value)
    for p in _tensors("clip_grad_value_", parameters):
        if p.grad is not None:
            np.clip(p.grad.data, -clip_value, clip_value, out=p.grad.data)


def l1_penalty(parameters: TensorOrTensors) -> Tensor:
    """The lasso penalty sum_i |w_i| over all given tensors, differentiable.

    Its gradient sign(w) pushes weights to exactly zero (sparse weights). Multiply by a
    strength lambda and add it to the loss: loss + lam * l1_penalty(model.parameters()).
    """
    params = _tensors("l1_penalty", parameters)
    if not params:
        raise ValueError("l1_penalty: got no tensors")
    total = ops.sum(ops.abs(params[0]))
    for p in params[1:]:
        total = total + ops.sum(ops.abs(p))
    return total


def l2_penalty(parameters: TensorOrTensors) -> Tensor:
    """The ridge penalty sum_i w_i**2 over all given tensors, differentiable.

    Its gradient is 2 * w, so adding (weight_decay / 2) * l2_penalty(params) to the loss gives
    the same steps as an optimizer's coupled ``weight_decay`` (SGD, Adam; not AdamW).
    """
    params = _tensors("l2_penalty", parameters)
    if not params:
        raise ValueError("l2_penalty: got no tensors")
    total = ops.sum(ops.square(params[0]))
    for p in params[1:]:
        total = total + ops.sum(ops.square(p))
    return total


def elastic_net_penalty(parameters: TensorOrTensors, l1_ratio: float = 0.5) -> Tensor:
    """The elastic-net penalty, scikit-learn's mixing of the L1 and L2 penalties.

    l1_ratio * sum_i |w_i| + (1 - l1_ratio) / 2 * sum_i w_i**2

    Parameters
    ----------
    parameters : Tensor or iterable of Tensor
    l1_ratio : float, default=0.5
        1 gives the lasso penalty, 0 half the ridge penalty; must be in [0, 1].
    """
    if not isinstance(l1_ratio, (int, float)) or not 0 <= l1_ratio <= 1:
        raise ValueError(f"elastic_net_penalty: l1_ratio must be in [0, 1], got {l1_ratio!r}")
    params = _tensors("elastic_net_penalty", parameters)
    l1, l2 = l1_penalty(params), l2_penalty(params)
    return l1 * float(l1_ratio) + l2 * ((1.0 - float(l1_ratio)) / 2.0)


def max_norm_(parameters: TensorOrTensors, max_value: float, norm_type: float = 2.0) -> None:
    """Max-norm constraint: rescale each unit's incoming weight vector to norm <= max_value.

    for each unit j:  w_j = w_j * max_value / (||w_j||_p + 1e-7)   if ||w_j||_p > max_value

    Parameters
    ----------
    parameters : Tensor or iterable of Tensor
        Weights changed in place. A unit's incoming vector is a slice along the first axis:
        a row of a ``Linear`` weight (out, in), an output filter of a conv weight
        (out, in, kH, kW). Tensors with fewer than 2 dimensions (biases) are left alone.
    max_value : float
        The bound c; must be >= 0.
    norm_type : float, default=2

    Notes
    -----
    Call it after ``optimizer.step()`` (Srivastava et al., 2014 use it with dropout, c of 3
    to 4). The rescaling is ``torch.renorm(w, p, 0, max_value)``, 1e-7 included.
    """
    check_nonnegative("max_norm_", max_value=max_value)
    for p in _tensors("max_norm_", parameters):
        w = p.data
        if w.ndim < 2:
            continue
        flat = np.abs(w.reshape(w.shape[0], -1))
        if math.isinf(norm_type):
            norms = flat.max(axis=1)
        else:
            norms = np.sum(flat**norm_type, axis=1) ** (1.0 / norm_type)
        scale = np.where(norms > max_value, max_value / (norms + 1e-7), 1.0).astype(w.dtype)
        w *= scale.reshape((-1,) + (1,) * (w.ndim - 1))
