"""Loss modules: each stores its options and calls the function in ``lamina.nn.functional``."""

from __future__ import annotations

from typing import Any

from lamina.autodiff.tensor import Tensor, TensorLike
from lamina.errors import check_in, check_nonnegative
from lamina.nn.module import Module
from lamina.ops import loss as L
from lamina.ops import loss_pointwise as P
from lamina.ops._loss_args import REDUCTIONS, check_positive

__all__ = [
    "BCELoss",
    "BCEWithLogitsLoss",
    "CrossEntropyLoss",
    "HuberLoss",
    "KLDivLoss",
    "L1Loss",
    "MSELoss",
    "NLLLoss",
    "SmoothL1Loss",
    "TripletMarginLoss",
]


class _Loss(Module):
    _reductions: tuple[str, ...] = REDUCTIONS

    def __init__(self, reduction: str = "mean") -> None:
        super().__init__()
        check_in(type(self).__name__, "reduction", reduction, self._reductions)
        self.reduction = reduction

    def extra_repr(self) -> str:
        return f"reduction={self.reduction!r}" if self.reduction != "mean" else ""


class MSELoss(_Loss):
    """l = mean((x - y)**2) (or sum, or none)."""

    def forward(self, input: Tensor, target: TensorLike) -> Tensor:
        return L.mse_loss(input, target, self.reduction)


class L1Loss(_Loss):
    """l = mean(|x - y|) (or sum, or none)."""

    def forward(self, input: Tensor, target: TensorLike) -> Tensor:
        return L.l1_loss(input, target, self.reduction)


class CrossEntropyLoss(_Loss):
    """l_n = -sum_c w_c * q_nc * log_softmax(x_n)_c, from logits; see ``F.cross_entropy``."""

    def __init__(
        self,
        weight: TensorLike | None = None,
        ignore_index: int = -100,
        reduction: str = "mean",
        label_smoothing: float = 0.0,
    ) -> None:
        super().__init__(reduction)
        self.weight, self.ignore_index, self.label_smoothing = weight, ignore_index, label_smoothing

    def forward(self, input: Tensor, target: TensorLike) -> Tensor:
        return L.cross_entropy(
            input, target, self.weight, self.ignore_index, self.reduction, self.label_smoothing
        )


class NLLLoss(_Loss):
    """l_n = -w[y_n] * x[n, y_n] for log-probabilities x."""

    def __init__(
        self, weight: TensorLike | None = None, ignore_index: int = -100, reduction: str = "mean"
    ) -> None:
        super().__init__(reduction)
        self.weight, self.ignore_index = weight, ignore_index

    def forward(self, input: Tensor, target: TensorLike) -> Tensor:
        return L.nll_loss(input, target, self.weight, self.ignore_index, self.reduction)


class BCELoss(_Loss):
    """l = -w * (y * log(p) + (1 - y) * log(1 - p)) for probabilities p."""

    def __init__(self, weight: TensorLike | None = None, reduction: str = "mean") -> None:
        super().__init__(reduction)
        self.weight = weight

    def forward(self, input: Tensor, target: TensorLike) -> Tensor:
        return L.binary_cross_entropy(input, target, self.weight, self.reduction)


class BCEWithLogitsLoss(_Loss):
    """l = (1 - y) * x + (1 + (pos_weight - 1) * y) * softplus(-x), stable for any logit x."""

    def __init__(
        self,
        weight: TensorLike | None = None,
        reduction: str = "mean",
        pos_weight: TensorLike | None = None,
    ) -> None:
        super().__init__(reduction)
        self.weight, self.pos_weight = weight, pos_weight

    def forward(self, input: Tensor, target: TensorLike) -> Tensor:
        return L.binary_cross_entropy_with_logits(
            input, target, self.weight, self.reduction, self.pos_weight
        )


class TripletMarginLoss(_Loss):
    """l = max(d(a, p) - d(a, n) + margin, 0) with d the p-norm distance."""

    def __init__(
        self,
        margin: float = 1.0,
        p: float = 2.0,
        eps: float = 1e-6,
        swap: bool = False,
        reduction: str = "mean",
    ) -> None:
        super().__init__(reduction)
        check_positive("TripletMarginLoss", margin=margin, p=p)
        self.margin, self.p, self.eps, self.swap = margin, p, eps, swap

    def forward(self, anchor: Tensor, positive: Tensor, negative: Tensor, **_: Any) -> Tensor:
        return L.triplet_margin_loss(
            anchor, positive, negative, self.margin, self.p, self.eps, self.swap, self.reduction
        )


class SmoothL1Loss(_Loss):
    """l = 0.5 * d**2 / beta if |d| < beta else |d| - 0.5 * beta, d = x - y (beta = 0: L1)."""

    def __init__(self, reduction: str = "mean", beta: float = 1.0) -> None:
        super().__init__(reduction)
        check_nonnegative("SmoothL1Loss", beta=beta)
        self.beta = beta

    def forward(self, input: Tensor, target: TensorLike) -> Tensor:
        return P.smooth_l1_loss(input, target, self.reduction, self.beta)


class HuberLoss(_Loss):
    """l = 0.5 * d**2 if |d| < delta else delta * (|d| - 0.5 * delta), d = x - y."""

    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        super().__init__(reduction)
        check_positive("HuberLoss", delta=delta)
        self.delta = delta

    def forward(self, input: Tensor, target: TensorLike) -> Tensor:
        return P.huber_loss(input, target, self.reduction, self.delta)


class KLDivLoss(_Loss):
    """l = y * (log(y) - x) for log-probabilities x (log_target: exp(y) * (y - x)).

    ``reduction="batchmean"`` divides the sum by the batch size N: the KL divergence per
    sample; "mean" divides by the number of elements, as PyTorch does.
    """

    _reductions = (*REDUCTIONS, "batchmean")

    def __init__(self, reduction: str = "mean", log_target: bool = False) -> None:
        super().__init__(reduction)
        self.log_target = bool(log_target)

    def forward(self, input: Tensor, target: TensorLike) -> Tensor:
        return P.kl_div(input, target, self.reduction, self.log_target)
