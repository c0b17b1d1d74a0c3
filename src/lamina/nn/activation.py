"""Activation modules: each wraps the function of the same name in ``lamina.nn.functional``."""

from __future__ import annotations

from lamina.autodiff.tensor import Tensor
from lamina.nn.module import Module
from lamina.ops import activation as A
from lamina.ops import elementwise as E

__all__ = ["ELU", "LeakyReLU", "LogSoftmax", "ReLU", "Sigmoid", "Softmax", "Softplus", "Tanh"]


class ReLU(Module):
    """y = max(x, 0)."""

    def forward(self, x: Tensor) -> Tensor:
        return E.relu(x)


class Sigmoid(Module):
    """y = 1 / (1 + exp(-x)), stable for any x."""

    def forward(self, x: Tensor) -> Tensor:
        return E.sigmoid(x)


class Tanh(Module):
    """y = tanh(x) = (exp(x) - exp(-x)) / (exp(x) + exp(-x))."""

    def forward(self, x: Tensor) -> Tensor:
        return E.tanh(x)


class LeakyReLU(Module):
    """y = x if x > 0 else negative_slope * x."""

    def __init__(self, negative_slope: float = 0.01) -> None:
        super().__init__()
        self.negative_slope = negative_slope

    def forward(self, x: Tensor) -> Tensor:
        return A.leaky_relu(x, self.negative_slope)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}"


class ELU(Module):
    """y = x if x > 0 else alpha * (exp(x) - 1)."""

    def __init__(self, alpha: float = 1.0) -> None:
        super().__init__()
        self.alpha = alpha

    def forward(self, x: Tensor) -> Tensor:
        return A.elu(x, self.alpha)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}"


class Softplus(Module):
    """y = log(1 + exp(beta * x)) / beta (x itself above ``threshold``)."""

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        self.beta, self.threshold = beta, threshold

    def forward(self, x: Tensor) -> Tensor:
        return A.softplus(x, self.beta, self.threshold)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"


class Softmax(Module):
    """y_i = exp(x_i) / sum_j exp(x_j) along ``dim``."""

    def __init__(self, dim: int = -1) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, x: Tensor) -> Tensor:
        return A.softmax(x, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class LogSoftmax(Module):
    """y_i = x_i - log(sum_j exp(x_j)) along ``dim``."""

    def __init__(self, dim: int = -1) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, x: Tensor) -> Tensor:
        return A.log_softmax(x, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"
