"""The Gaussian error linear unit: gelu, exact (through erf) and with the tanh approximation."""

from __future__ import annotations

import math

import numpy as np

from lamina.autodiff.function import Function
from lamina.autodiff.tensor import Tensor, TensorLike, as_tensor
from lamina.errors import check_in
from lamina.ops.elementwise import exp, tanh

__all__ = ["gelu"]

_ERF = np.frompyfunc(math.erf, 1, 1)


class _Erf(Function):
    """y = erf(x) = 2/sqrt(pi) * integral_0^x exp(-t**2) dt.  dx = g * 2/sqrt(pi) * exp(-x**2).

    NumPy has no erf; the standard library's (correctly rounded in double precision) is
    applied element by element, in float64, and the result cast back to the input's dtype.
    """

    def forward(ctx, x):
        return np.asarray(_ERF(np.asarray(x, np.float64)), np.float64).astype(x.dtype)

    def backward(ctx, g):
        x = ctx.inputs[0]
        return g * exp(-(x * x)) * (2 / math.sqrt(math.pi))


def gelu(x: TensorLike, approximate: str = "none") -> Tensor:
    """y = x * Phi(x), Phi the standard normal CDF (Hendrycks & Gimpel, 2016).

    approximate="none":  y = 0.5 * x * (1 + erf(x / sqrt(2)))
    approximate="tanh":  y = 0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x**3)))
    """
    check_in("gelu", "approximate", approximate, ("none", "tanh"))
    x = as_tensor(x)
    if approximate == "tanh":
        inner = (x + x * x * x * 0.044715) * math.sqrt(2 / math.pi)
        return x * 0.5 * (tanh(inner) + 1)
    return x * 0.5 * (_Erf.apply(x * (1 / math.sqrt(2))) + 1)
