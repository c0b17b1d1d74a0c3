"""RMSprop: step sizes from a decaying average of squared gradients."""

from __future__ import annotations

from typing import Any

import numpy as np

from lamina.errors import check_nonnegative
from lamina.optim import functional
from lamina.optim.optimizer import Optimizer, ParamsT

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    """RMSprop (Hinton, Coursera lecture 6e), PyTorch's variant with centering and momentum.

    g = grad + weight_decay * p
    v = alpha * v + (1 - alpha) * g**2
    a = sqrt(v - m**2) + eps, with m = alpha * m + (1 - alpha) * g   (centered)
    a = sqrt(v) + eps                                                (otherwise)
    b = momentum * b + g / a;  p = p - lr * b                        (momentum > 0)
    p = p - lr * g / a                                               (otherwise)

    Parameters
    ----------
    params : iterable of Parameter or dict
    lr : float, default=1e-2
        Step size; must be >= 0.
    alpha : float, default=0.99
        Decay of the squared-gradient average; must be >= 0.
    eps : float, default=1e-8
        Added to the root; must be >= 0.
    weight_decay : float, default=0
        Coupled L2 penalty added to the gradient; must be >= 0.
    momentum : float, default=0
        Momentum on the normalized step; must be >= 0.
    centered : bool, default=False
        Normalize by an estimate of the gradient's variance instead of its second moment.
    maximize : bool, default=False

    Notes
    -----
    The course's form is G_t = gamma * G_{t-1} + (1 - gamma) * (grad J(w_t))**2 and
    w_{t+1} = w_t - eta / sqrt(G_t + eps) * grad J(w_t), i.e. alpha = gamma here, with eps
    moved outside the root as PyTorch does. Hinton suggests gamma = 0.9 and eta = 0.001.
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        centered: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        defaults = dict(
            lr=lr,
            alpha=alpha,
            eps=eps,
            weight_decay=weight_decay,
            momentum=momentum,
            centered=centered,
            maximize=maximize,
        )
        super().__init__(params, defaults)

    def _check_group(self, group: dict[str, Any]) -> None:
        check_nonnegative(
            self._name,
            lr=group["lr"],
            alpha=group["alpha"],
            eps=group["eps"],
            weight_decay=group["weight_decay"],
            momentum=group["momentum"],
        )

    def _update(
        self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any], group: dict[str, Any]
    ) -> None:
        functional.rmsprop_update(
            param,
            grad,
            state,
            lr=group["lr"],
            alpha=group["alpha"],
            eps=group["eps"],
            weight_decay=group["weight_decay"],
            momentum=group["momentum"],
            centered=group["centered"],
            maximize=group["maximize"],
        )
