"""Activation modules: each wraps the function of the same name in ``lamina.nn.functional``.

ReLU, LeakyReLU and ELU take PyTorch's ``inplace`` argument (positionally too): with
``inplace=True`` the output is written into the input tensor and that tensor is returned,
with PyTorch's in-place rules (``lamina.ops.inplace``).
"""

from __future__ import annotations

from lamina.autodiff.tensor import Tensor
from lamina.errors import check_in
from lamina.nn.module import Module
from lamina.ops import activation as A
from lamina.ops import elementwise as E
from lamina.ops.clipped import _hardtanh, check_hardtanh_bounds
from lamina.ops.gaussian import gelu

__all__ = [
    "ELU",
    "GELU",
    "SELU",
    "Hardtanh",
    "LeakyReLU",
    "LogSoftmax",
    "ReLU",
    "ReLU6",
    "Sigmoid",
    "Softmax",
    "Softplus",
    "Softsign",
    "Tanh",
]


def _inplace(module: Module) -> str:
    return ", inplace=True" if module.inplace else ""


class ReLU(Module):
    """y = max(x, 0).

    Parameters
    ----------
    inplace : bool, default=False
        Write the output into the input tensor and return it.
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = bool(inplace)

    def forward(self, x: Tensor) -> Tensor:
        return A.relu(x, self.inplace)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class Hardtanh(Module):
    """y = min_val if x <= min_val, max_val if x >= max_val, else x.

    Parameters
    ----------
    min_val : float, default=-1.0
    max_val : float, default=1.0
        Must be greater than ``min_val``.
    inplace : bool, default=False
        Write the output into the input tensor and return it.
    """

    def __init__(self, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        check_hardtanh_bounds(self, min_val, max_val)
        self.min_val, self.max_val, self.inplace = min_val, max_val, bool(inplace)

    def forward(self, x: Tensor) -> Tensor:
        return _hardtanh(self, x, self.min_val, self.max_val, self.inplace)

    def extra_repr(self) -> str:
        return f"min_val={self.min_val}, max_val={self.max_val}" + _inplace(self)


class ReLU6(Hardtanh):
    """y = min(max(x, 0), 6): hardtanh from 0 to 6 (MobileNet's activation).

    Parameters
    ----------
    inplace : bool, default=False
        Write the output into the input tensor and return it.
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__(0.0, 6.0, inplace)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class Sigmoid(Module):
    """y = 1 / (1 + exp(-x)), stable for any x."""

    def forward(self, x: Tensor) -> Tensor:
        return E.sigmoid(x)


class Tanh(Module):
    """y = tanh(x) = (exp(x) - exp(-x)) / (exp(x) + exp(-x))."""

    def forward(self, x: Tensor) -> Tensor:
        return E.tanh(x)


class LeakyReLU(Module):
    """y = x if x > 0 else negative_slope * x.

    Parameters
    ----------
    negative_slope : float, default=0.01
    inplace : bool, default=False
        Write the output into the input tensor and return it.
    """

    def __init__(self, negative_slope: float = 0.01, inplace: bool = False) -> None:
        super().__init__()
        self.negative_slope, self.inplace = negative_slope, bool(inplace)

    def forward(self, x: Tensor) -> Tensor:
        return A.leaky_relu(x, self.negative_slope, self.inplace)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}" + _inplace(self)


class ELU(Module):
    """y = x if x > 0 else alpha * (exp(x) - 1).

    Parameters
    ----------
    alpha : float, default=1.0
    inplace : bool, default=False
        Write the output into the input tensor and return it.
    """

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.alpha, self.inplace = alpha, bool(inplace)

    def forward(self, x: Tensor) -> Tensor:
        return A.elu(x, self.alpha, self.inplace)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}" + _inplace(self)


class SELU(Module):
    """y = scale * (x if x > 0 else alpha * (exp(x) - 1)), alpha = 1.6733, scale = 1.0507:
    self-normalizing with LeCun normal weights (Klambauer et al. 2017).

    Parameters
    ----------
    inplace : bool, default=False
        Write the output into the input tensor and return it.
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = bool(inplace)

    def forward(self, x: Tensor) -> Tensor:
        return A.selu(x, self.inplace)

    def extra_repr(self) -> str:
        return _inplace(self).lstrip(", ")


class GELU(Module):
    """y = x * Phi(x) = 0.5 * x * (1 + erf(x / sqrt(2))), Phi the standard normal CDF.

    Parameters
    ----------
    approximate : {"none", "tanh"}, default="none"
        "tanh": y = 0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x**3))).
    """

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        check_in("GELU", "approximate", approximate, ("none", "tanh"))
        self.approximate = approximate

    def forward(self, x: Tensor) -> Tensor:
        return gelu(x, self.approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


class Softplus(Module):
    """y = log(1 + exp(beta * x)) / beta (x itself above ``threshold``)."""

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        self.beta, self.threshold = beta, threshold

    def forward(self, x: Tensor) -> Tensor:
        return A.softplus(x, self.beta, self.threshold)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"


class Softsign(Module):
    """y = x / (1 + |x|)."""

    def forward(self, x: Tensor) -> Tensor:
        return A.softsign(x)


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
