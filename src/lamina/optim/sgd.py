"""Stochastic gradient descent with momentum, dampening and Nesterov momentum."""

from __future__ import annotations

from typing import Any

import numpy as np

from lamina.errors import check_nonnegative
from lamina.optim import functional
from lamina.optim.optimizer import Optimizer, ParamsT

__all__ = ["SGD"]


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with (Nesterov) momentum, PyTorch's variant.

    g = grad + weight_decay * p
    b = g at the first step, then b = momentum * b + (1 - dampening) * g
    d = g + momentum * b (nesterov), d = b (momentum), d = g (plain)
    p = p - lr * d

    Parameters
    ----------
    params : iterable of Parameter or dict
        Parameters, or parameter groups with per-group options.
    lr : float, default=1e-3
        Step size; must be >= 0.
    momentum : float, default=0
        Momentum factor; must be >= 0.
    dampening : float, default=0
        Share of the gradient removed when it enters the buffer.
    weight_decay : float, default=0
        Coupled L2 penalty: adds weight_decay * p to the gradient, the gradient of
        (weight_decay / 2) * ||p||**2.
    nesterov : bool, default=False
        Nesterov momentum; needs momentum > 0 and dampening == 0.
    maximize : bool, default=False
        Ascend instead of descend.

    Notes
    -----
    The course writes momentum as a velocity, M_t = alpha * M_{t-1} - eta * grad J(w_t) and
    w_{t+1} = w_t + M_t. PyTorch keeps the buffer without the step size, b_t = alpha * b_{t-1}
    + grad J(w_t), and steps w_{t+1} = w_t - eta * b_t: the same iterates while eta is fixed
    (M_t = -eta * b_t), different ones once a schedule changes eta. Nesterov's look-ahead
    gradient grad J(w_t + alpha * M_{t-1}) becomes, after a change of variables, the cheap
    d = g + momentum * b used here (Sutskever et al., 2013).

    Examples
    --------
    >>> from lamina.nn import Parameter
    >>> w = Parameter(np.array([1.0, -2.0]))
    >>> opt = SGD([w], lr=0.1, momentum=0.9)
    >>> (w * w).sum().backward()
    >>> opt.step()
    >>> w.data
    array([ 0.8, -1.6])
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        momentum: float = 0.0,
        dampening: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        defaults = dict(
            lr=lr,
            momentum=momentum,
            dampening=dampening,
            weight_decay=weight_decay,
            nesterov=nesterov,
            maximize=maximize,
        )
        super().__init__(params, defaults)

    def _check_group(self, group: dict[str, Any]) -> None:
        check_nonnegative(
            self._name,
            lr=group["lr"],
            momentum=group["momentum"],
            weight_decay=group["weight_decay"],
        )
        if group["nesterov"] and (group["momentum"] <= 0 or group["dampening"] != 0):
            raise ValueError(
                f"{self._name}: nesterov requires momentum > 0 and dampening == 0, got "
                f"momentum={group['momentum']!r}, dampening={group['dampening']!r}"
            )

    def _update(
        self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any], group: dict[str, Any]
    ) -> None:
        functional.sgd_update(
            param,
            grad,
            state,
            lr=group["lr"],
            momentum=group["momentum"],
            dampening=group["dampening"],
            weight_decay=group["weight_decay"],
            nesterov=group["nesterov"],
            maximize=group["maximize"],
        )
