"""Adagrad: per-coordinate step sizes from the sum of all past squared gradients."""

from __future__ import annotations

from typing import Any

import numpy as np

from lamina.errors import check_nonnegative
from lamina.optim import functional
from lamina.optim.optimizer import Optimizer, ParamsT

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    """Adagrad (Duchi et al., 2011) with PyTorch's learning-rate decay.

    g = grad + weight_decay * p
    clr = lr / (1 + (t - 1) * lr_decay)
    s = s + g**2                              (s_0 = initial_accumulator_value)
    p = p - clr * g / (sqrt(s) + eps)

    Parameters
    ----------
    params : iterable of Parameter or dict
    lr : float, default=1e-2
        Step size; must be >= 0.
    lr_decay : float, default=0
        1/t decay of the step size with the step count t; must be >= 0.
    weight_decay : float, default=0
        Coupled L2 penalty added to the gradient; must be >= 0.
    initial_accumulator_value : float, default=0
        Starting value of the sum of squares; must be >= 0.
    eps : float, default=1e-10
        Added to sqrt(s); must be >= 0.
    maximize : bool, default=False

    Notes
    -----
    The course writes G_t = G_{t-1} + (grad J(w_t))**2 and w_{t+1} = w_t - eta / sqrt(G_t +
    eps) * grad J(w_t), with eps inside the root; PyTorch (followed here) adds it outside.
    Because G_t only grows, the effective step eta / sqrt(G_t) keeps shrinking: the problem
    RMSprop and Adadelta address.
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-2,
        lr_decay: float = 0.0,
        weight_decay: float = 0.0,
        initial_accumulator_value: float = 0.0,
        eps: float = 1e-10,
        *,
        maximize: bool = False,
    ) -> None:
        defaults = dict(
            lr=lr,
            lr_decay=lr_decay,
            weight_decay=weight_decay,
            initial_accumulator_value=initial_accumulator_value,
            eps=eps,
            maximize=maximize,
        )
        super().__init__(params, defaults)

    def _check_group(self, group: dict[str, Any]) -> None:
        check_nonnegative(
            self._name,
            lr=group["lr"],
            lr_decay=group["lr_decay"],
            weight_decay=group["weight_decay"],
            initial_accumulator_value=group["initial_accumulator_value"],
            eps=group["eps"],
        )

    def _update(
        self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any], group: dict[str, Any]
    ) -> None:
        functional.adagrad_update(
            param,
            grad,
            state,
            lr=group["lr"],
            lr_decay=group["lr_decay"],
            weight_decay=group["weight_decay"],
            initial_accumulator_value=group["initial_accumulator_value"],
            eps=group["eps"],
            maximize=group["maximize"],
        )
