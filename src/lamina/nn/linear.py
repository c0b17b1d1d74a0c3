"""Dense layers: ``Linear``, ``Identity``, ``Flatten``."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from lamina.autodiff.dtypes import factory_dtype
from lamina.autodiff.tensor import Tensor
from lamina.errors import check_positive_int
from lamina.nn import init
from lamina.nn.module import Module
from lamina.nn.parameter import Parameter
from lamina.ops.affine import _linear
from lamina.ops.shape import flatten

__all__ = ["Flatten", "Identity", "Linear"]


class Linear(Module):
    """Affine map y = x @ weight.T + bias.

    Parameters
    ----------
    in_features, out_features : int
        Sizes of the last dimension of the input and the output.
    bias : bool, default=True
    device : "cpu", optional
        PyTorch's argument; the CPU is lamina's one device.
    dtype : float32 or float64, optional
        The default dtype unless given.
    rng : numpy.random.Generator, optional
        Source of the initial weights.

    Notes
    -----
    weight has shape (out_features, in_features) and bias (out_features,); both start as
    U(-1/sqrt(in_features), 1/sqrt(in_features)), PyTorch's default. Parameter count:
    in_features * out_features + out_features.
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
        *,
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__()
        check_positive_int("Linear", in_features=in_features, out_features=out_features)
        dt = factory_dtype("Linear", device, dtype)
        self.in_features, self.out_features = in_features, out_features
        self.weight = Parameter(np.empty((out_features, in_features), dt))
        self.bias = Parameter(np.empty(out_features, dt)) if bias else None
        self.reset_parameters(rng)

    def reset_parameters(self, rng: np.random.Generator | None = None) -> None:
        """PyTorch's default: kaiming_uniform_(a=sqrt(5)) on weight, U(+-1/sqrt(fan_in)) bias."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5), rng=rng)
        if self.bias is not None:
            bound = 1 / math.sqrt(self.in_features)
            init.uniform_(self.bias, -bound, bound, rng)

    def forward(self, x: Tensor) -> Tensor:
        return _linear(self, x, self.weight, self.bias)

    def extra_repr(self) -> str:
        bias = self.bias is not None
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={bias}"


class Identity(Module):
    """y = x."""

    def forward(self, x: Tensor) -> Tensor:
        return x


class Flatten(Module):
    """Merge dimensions ``start_dim`` to ``end_dim`` (default: all but the batch dimension)."""

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, x: Tensor) -> Tensor:
        return flatten(x, self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"
