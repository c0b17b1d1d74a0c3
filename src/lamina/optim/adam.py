"""Adam and its variants: AdamW (decoupled weight decay) and Adamax (infinity norm)."""

from __future__ import annotations

from typing import Any

import numpy as np

from lamina.errors import check_nonnegative, check_probability
from lamina.optim import functional
from lamina.optim.optimizer import Optimizer, ParamsT

__all__ = ["Adam", "AdamW", "Adamax"]


def _check_betas(owner: str, betas: Any) -> None:
    if not isinstance(betas, (tuple, list)) or len(betas) != 2:
        raise ValueError(f"{owner}: betas must be a pair (beta1, beta2), got {betas!r}")
    check_probability(owner, **{"betas[0]": betas[0], "betas[1]": betas[1]})


def _check_adam_group(owner: str, group: dict[str, Any]) -> None:
    """The hyper-parameters Adam, AdamW and Adamax share: lr, eps, weight_decay, betas."""
    check_nonnegative(owner, lr=group["lr"], eps=group["eps"], weight_decay=group["weight_decay"])
    _check_betas(owner, group["betas"])


class Adam(Optimizer):
    """Adam with bias correction (Kingma and Ba, 2015), optionally AMSGrad.

    g = grad + weight_decay * p
    m = beta1 * m + (1 - beta1) * g;   v = beta2 * v + (1 - beta2) * g**2
    v_max = max(v_max, v) and v -> v_max below                     (amsgrad)
    p = p - lr * (m / (1 - beta1**t)) / (sqrt(v / (1 - beta2**t)) + eps)

    Parameters
    ----------
    params : iterable of Parameter or dict
    lr : float, default=1e-3
        Step size; must be >= 0.
    betas : (float, float), default=(0.9, 0.999)
        Decays of the first and second moment estimates; each in [0, 1).
    eps : float, default=1e-8
        Added to the root of the corrected second moment; must be >= 0.
    weight_decay : float, default=0
        Coupled L2 penalty added to the gradient (see ``AdamW`` for the decoupled one).
    amsgrad : bool, default=False
        Normalize by the largest second moment seen so far (Reddi et al., 2018).
    maximize : bool, default=False

    Notes
    -----
    The course combines momentum, m_t = beta1 * m_{t-1} + (1 - beta1) * grad J(w_t), with
    RMSprop, v_t = beta2 * v_{t-1} + (1 - beta2) * (grad J(w_t))**2, removes their bias toward
    zero with m_hat = m_t / (1 - beta1**t), v_hat = v_t / (1 - beta2**t), and steps
    w_{t+1} = w_t - eta * m_hat / (sqrt(v_hat) + eps). PyTorch computes exactly this, folding
    the corrections into the step size and sqrt(v_t) / sqrt(1 - beta2**t).
    """

    _decoupled = False

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        betas = tuple(betas) if isinstance(betas, list) else betas
        defaults = dict(
            lr=lr,
            betas=betas,
            eps=eps,
            weight_decay=weight_decay,
            amsgrad=amsgrad,
            maximize=maximize,
        )
        super().__init__(params, defaults)

    def _check_group(self, group: dict[str, Any]) -> None:
        _check_adam_group(self._name, group)

    def _update(
        self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any], group: dict[str, Any]
    ) -> None:
        functional.adam_update(
            param,
            grad,
            state,
            lr=group["lr"],
            betas=group["betas"],
            eps=group["eps"],
            weight_decay=group["weight_decay"],
            amsgrad=group["amsgrad"],
            maximize=group["maximize"],
            decoupled_weight_decay=self._decoupled,
        )


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov and Hutter, 2019).

    p = p * (1 - lr * weight_decay)
    m = beta1 * m + (1 - beta1) * grad;   v = beta2 * v + (1 - beta2) * grad**2
    p = p - lr * (m / (1 - beta1**t)) / (sqrt(v / (1 - beta2**t)) + eps)

    Parameters
    ----------
    params : iterable of Parameter or dict
    lr : float, default=1e-3
    betas : (float, float), default=(0.9, 0.999)
    eps : float, default=1e-8
    weight_decay : float, default=1e-2
        The parameters shrink by a factor (1 - lr * weight_decay) each step, apart from the
        gradient, so the decay is not rescaled by Adam's per-coordinate step sizes.
    amsgrad : bool, default=False
    maximize : bool, default=False
    """

    _decoupled = True

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, maximize=maximize)


class Adamax(Optimizer):
    """Adamax, the infinity-norm variant of Adam (Kingma and Ba, 2015, section 7.1).

    g = grad + weight_decay * p
    m = beta1 * m + (1 - beta1) * g
    u = max(beta2 * u, |g| + eps)
    p = p - (lr / (1 - beta1**t)) * m / u

    Parameters
    ----------
    params : iterable of Parameter or dict
    lr : float, default=2e-3
        Step size; must be >= 0.
    betas : (float, float), default=(0.9, 0.999)
        Decays of the first moment and of the infinity norm; each in [0, 1).
    eps : float, default=1e-8
        Added to |g| inside the max, as PyTorch does; must be >= 0.
    weight_decay : float, default=0
        Coupled L2 penalty added to the gradient; must be >= 0.
    maximize : bool, default=False

    Notes
    -----
    The L_p generalization of Adam's v_t = beta2**p * v_{t-1} + (1 - beta2**p) * |g_t|**p,
    as p -> inf, gives u_t = max(beta2 * u_{t-1}, |g_t|), which needs no bias correction.
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 2e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        *,
        maximize: bool = False,
    ) -> None:
        defaults = dict(
            lr=lr,
            betas=tuple(betas) if isinstance(betas, list) else betas,
            eps=eps,
            weight_decay=weight_decay,
            maximize=maximize,
        )
        super().__init__(params, defaults)

    def _check_group(self, group: dict[str, Any]) -> None:
        _check_adam_group(self._name, group)

    def _update(
        self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any], group: dict[str, Any]
    ) -> None:
        functional.adamax_update(
            param,
            grad,
            state,
            lr=group["lr"],
            betas=group["betas"],
            eps=group["eps"],
            weight_decay=group["weight_decay"],
            maximize=group["maximize"],
        )
