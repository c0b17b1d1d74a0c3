"""The update rules of lamina's optimizers, one pure function each, on NumPy arrays in place.

Every function takes the parameter array ``param``, its gradient ``grad`` and the per-parameter
``state`` dict, creates the state it needs on the first call, and updates ``param`` and
``state`` in place. ``grad`` is never modified. Nothing here builds a graph or wraps a Tensor.

The arithmetic follows ``torch.optim``'s single-tensor implementations operation by operation
(the order of roundings included), so float64 trajectories agree with PyTorch to ~1e-12.
Hyper-parameters are turned into Python floats first: a NumPy float64 scalar would promote a
float32 parameter under NEP 50, a Python float keeps it float32.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = [
    "adadelta_update",
    "adagrad_update",
    "adam_update",
    "adamax_update",
    "rmsprop_update",
    "sgd_update",
]

State = dict[str, Any]


def _lerp_(start: np.ndarray, end: np.ndarray, weight: float) -> None:
    """start += weight * (end - start), in place, rounded as ``torch.lerp_`` rounds it."""
    # PyTorch switches formula at weight 0.5 so that weight = 1 lands exactly on ``end``.
    if weight < 0.5:
        start += weight * (end - start)
    else:
        start[...] = end - (end - start) * (1.0 - weight)


def _effective_grad(
    param: np.ndarray, grad: np.ndarray, weight_decay: float, maximize: bool
) -> np.ndarray:
    """g = -grad if maximizing, then the coupled L2 term g + weight_decay * p (a new array)."""
    g = -grad if maximize else grad
    if weight_decay != 0:
        g = g + float(weight_decay) * param
    return g


def _step(state: State) -> int:
    """Advance and return the per-parameter step counter t = 1, 2, ..."""
    state["step"] = int(state.get("step", 0)) + 1
    return state["step"]


def _buffer(state: State, name: str, like: np.ndarray, fill: float = 0.0) -> np.ndarray:
    """The state array ``name``, created as ``full_like(like, fill)`` on first use."""
    if name not in state:
        state[name] = np.full_like(like, fill)
    return state[name]


def sgd_update(
    param: np.ndarray,
    grad: np.ndarray,
    state: State,
    *,
    lr: float,
    momentum: float = 0.0,
    dampening: float = 0.0,
    weight_decay: float = 0.0,
    nesterov: bool = False,
    maximize: bool = False,
) -> None:
    """SGD with optional momentum, dampening, Nesterov momentum and coupled weight decay.

    g = grad + weight_decay * p
    b = g (first step);  b = momentum * b + (1 - dampening) * g (later steps)
    d = g + momentum * b if nesterov else b       (d = g when momentum == 0)
    p = p - lr * d
    """
    g = _effective_grad(param, grad, weight_decay, maximize)
    if momentum != 0:
        buf = state.get("momentum_buffer")
        if buf is None:  # PyTorch starts the buffer at g itself, not at (1 - dampening) * g
            buf = state["momentum_buffer"] = g.copy()
        else:
            buf *= float(momentum)
            buf += (1.0 - float(dampening)) * g
        g = g + float(momentum) * buf if nesterov else buf
    param -= float(lr) * g


def adagrad_update(
    param: np.ndarray,
    grad: np.ndarray,
    state: State,
    *,
    lr: float,
    lr_decay: float = 0.0,
    weight_decay: float = 0.0,
    initial_accumulator_value: float = 0.0,
    eps: float = 1e-10,
    maximize: bool = False,
) -> None:
    """Adagrad with PyTorch's learning-rate decay; eps is added after the square root.

    g = grad + weight_decay * p;   clr = lr / (1 + (t - 1) * lr_decay)
    s = s + g**2                   (s starts at initial_accumulator_value)
    p = p - clr * g / (sqrt(s) + eps)
    """
    t = _step(state)
    g = _effective_grad(param, grad, weight_decay, maximize)
    acc = _buffer(state, "sum", param, float(initial_accumulator_value))
    clr = float(lr) / (1 + (t - 1) * float(lr_decay))
    acc += g * g
    std = np.sqrt(acc)
    std += float(eps)
    param -= clr * (g / std)


def rmsprop_update(
    param: np.ndarray,
    grad: np.ndarray,
    state: State,
    *,
    lr: float,
    alpha: float = 0.99,
    eps: float = 1e-8,
    weight_decay: float = 0.0,
    momentum: float = 0.0,
    centered: bool = False,
    maximize: bool = False,
) -> None:
    """RMSprop, optionally centered and with momentum; eps is added after the square root.

    g = grad + weight_decay * p
    v = alpha * v + (1 - alpha) * g**2
    centered:  m = alpha * m + (1 - alpha) * g;  a = sqrt(v - m**2) + eps
    otherwise: a = sqrt(v) + eps
    momentum:  b = momentum * b + g / a;  p = p - lr * b
    otherwise: p = p - lr * g / a
    """
    _step(state)
    g = _effective_grad(param, grad, weight_decay, maximize)
    alpha = float(alpha)
    square_avg = _buffer(state, "square_avg", param)
    square_avg *= alpha
    square_avg += (1.0 - alpha) * g * g
    if centered:
        grad_avg = _buffer(state, "grad_avg", param)
        _lerp_(grad_avg, g, 1.0 - alpha)
        avg = np.sqrt(square_avg - grad_avg * grad_avg)
    else:
        avg = np.sqrt(square_avg)
    avg += float(eps)
    if momentum > 0:
        buf = _buffer(state, "momentum_buffer", param)
        buf *= float(momentum)
        buf += g / avg
        param -= float(lr) * buf
    else:
        param -= float(lr) * (g / avg)


def adadelta_update(
    param: np.ndarray,
    grad: np.ndarray,
    state: State,
    *,
    lr: float = 1.0,
    rho: float = 0.9,
    eps: float = 1e-6,
    weight_decay: float = 0.0,
    maximize: bool = False,
) -> None:
    """Adadelta: the step is scaled by the RMS of past steps over the RMS of gradients.

    g = grad + weight_decay * p
    v = rho * v + (1 - rho) * g**2
    d = sqrt(u + eps) / sqrt(v + eps) * g
    u = rho * u + (1 - rho) * d**2
    p = p - lr * d
    """
    _step(state)
    g = _effective_grad(param, grad, weight_decay, maximize)
    rho = float(rho)
    square_avg = _buffer(state, "square_avg", param)
    acc_delta = _buffer(state, "acc_delta", param)
    square_avg *= rho
    square_avg += (1.0 - rho) * g * g
    std = np.sqrt(square_avg + float(eps))
    delta = np.sqrt(acc_delta + float(eps))
    delta /= std
    delta *= g
    acc_delta *= rho
    acc_delta += (1.0 - rho) * delta * delta
    param -= float(lr) * delta


def adam_update(
    param: np.ndarray,
    grad: np.ndarray,
    state: State,
    *,
    lr: float = 1e-3,
    betas: tuple[float, float] = (0.9, 0.999),
    eps: float = 1e-8,
    weight_decay: float = 0.0,
    amsgrad: bool = False,
    maximize: bool = False,
    decoupled_weight_decay: bool = False,
) -> None:
    """Adam with bias correction, AMSGrad, and coupled (Adam) or decoupled (AdamW) decay.

    AdamW: p = p * (1 - lr * weight_decay), g = grad;   Adam: g = grad + weight_decay * p
    m = beta1 * m + (1 - beta1) * g;   v = beta2 * v + (1 - beta2) * g**2
    amsgrad: v_max = max(v_max, v), used in place of v below
    p = p - (lr / (1 - beta1**t)) * m / (sqrt(v) / sqrt(1 - beta2**t) + eps)
    """
    t = _step(state)
    lr, beta1, beta2 = float(lr), float(betas[0]), float(betas[1])
    if decoupled_weight_decay and weight_decay != 0:
        param *= 1.0 - lr * float(weight_decay)
        g = -grad if maximize else grad
    else:
        g = _effective_grad(param, grad, weight_decay, maximize)
    exp_avg = _buffer(state, "exp_avg", param)
    exp_avg_sq = _buffer(state, "exp_avg_sq", param)
    _lerp_(exp_avg, g, 1.0 - beta1)
    exp_avg_sq *= beta2
    exp_avg_sq += (1.0 - beta2) * g * g
    step_size = lr / (1.0 - beta1**t)
    bias_correction2_sqrt = (1.0 - beta2**t) ** 0.5
    if amsgrad:
        second = _buffer(state, "max_exp_avg_sq", param)
        np.maximum(second, exp_avg_sq, out=second)
    else:
        second = exp_avg_sq
    # eps is added to sqrt(v_hat), after the bias correction, as in PyTorch (not to v_hat).
    denom = np.sqrt(second) / bias_correction2_sqrt
    denom += float(eps)
    param -= step_size * (exp_avg / denom)


def adamax_update(
    param: np.ndarray,
    grad: np.ndarray,
    state: State,
    *,
    lr: float = 2e-3,
    betas: tuple[float, float] = (0.9, 0.999),
    eps: float = 1e-8,
    weight_decay: float = 0.0,
    maximize: bool = False,
) -> None:
    """Adamax: Adam with the infinity norm in place of the second moment.

    g = grad + weight_decay * p
    m = beta1 * m + (1 - beta1) * g
    u = max(beta2 * u, |g| + eps)
    p = p - (lr / (1 - beta1**t)) * m / u
    """
    t = _step(state)
    beta1, beta2 = float(betas[0]), float(betas[1])
    g = _effective_grad(param, grad, weight_decay, maximize)
    exp_avg = _buffer(state, "exp_avg", param)
    exp_inf = _buffer(state, "exp_inf", param)
    _lerp_(exp_avg, g, 1.0 - beta1)
    exp_inf *= beta2
    # PyTorch adds eps to |g| inside the max (not to the denominator), so u never reaches 0.
    np.maximum(exp_inf, np.abs(g) + float(eps), out=exp_inf)
    clr = float(lr) / (1.0 - beta1**t)
    param -= clr * (exp_avg / exp_inf)
