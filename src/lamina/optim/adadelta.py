"""Adadelta: step sizes from the ratio of two decaying root-mean-squares."""

from __future__ import annotations

from typing import Any

import numpy as np

from lamina.errors import check_nonnegative
from lamina.optim import functional
from lamina.optim.optimizer import Optimizer, ParamsT

__all__ = ["Adadelta"]


class Adadelta(Optimizer):
    """Adadelta (Zeiler, 2012), with PyTorch's extra ``lr`` factor (1.0 by default).

    g = grad + weight_decay * p
    v = rho * v + (1 - rho) * g**2
    d = sqrt(u + eps) / sqrt(v + eps) * g
    u = rho * u + (1 - rho) * d**2
    p = p - lr * d

    Parameters
    ----------
    params : iterable of Parameter or dict
    lr : float, default=1.0
        Scale of the step; must be >= 0.
    rho : float, default=0.9
        Decay of both running averages; must be in [0, 1].
    eps : float, default=1e-6
        Inside both roots; must be >= 0. It also sets the size of the very first steps.
    weight_decay : float, default=0
        Coupled L2 penalty added to the gradient; must be >= 0.
    maximize : bool, default=False

    Notes
    -----
    In the course's notation G_t = gamma * G_{t-1} + (1 - gamma) * (grad J(w_t))**2,
    dw_t = sqrt(S_{t-1} + eps) / sqrt(G_t + eps) * grad J(w_t), w_{t+1} = w_t - dw_t and
    S_t = gamma * S_{t-1} + (1 - gamma) * dw_t**2: here gamma = rho, G = v, S = u. The
    numerator carries the units of w, so no learning rate is needed (lr = 1).
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1.0,
        rho: float = 0.9,
        eps: float = 1e-6,
        weight_decay: float = 0.0,
        *,
        maximize: bool = False,
    ) -> None:
        defaults = dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay, maximize=maximize)
        super().__init__(params, defaults)

    def _check_group(self, group: dict[str, Any]) -> None:
        check_nonnegative(
            self._name, lr=group["lr"], eps=group["eps"], weight_decay=group["weight_decay"]
        )
        rho = group["rho"]
        if not isinstance(rho, (int, float, np.number)) or not 0 <= rho <= 1:
            raise ValueError(f"{self._name}: rho must be in [0, 1], got {rho!r}")

    def _update(
        self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any], group: dict[str, Any]
    ) -> None:
        functional.adadelta_update(
            param,
            grad,
            state,
            lr=group["lr"],
            rho=group["rho"],
            eps=group["eps"],
            weight_decay=group["weight_decay"],
            maximize=group["maximize"],
        )
