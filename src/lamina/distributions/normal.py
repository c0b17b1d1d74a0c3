"""The normal (Gaussian) distribution, with reparameterized sampling."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from lamina.autodiff.grad_mode import no_grad
from lamina.autodiff.random import default_generator
from lamina.autodiff.tensor import Tensor
from lamina.distributions.distribution import Distribution, as_param
from lamina.ops import log
from lamina.ops.shape import broadcast_to

__all__ = ["Normal"]

_HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)


class Normal(Distribution):
    """Normal distribution N(loc, scale**2), batched over the broadcast shape of its parameters.

    log p(x) = -(x - loc)**2 / (2 * scale**2) - log(scale) - log(sqrt(2 * pi))
    H = 1/2 + log(sqrt(2 * pi)) + log(scale)
    rsample: x = loc + scale * eps, eps ~ N(0, 1), so gradients reach loc and scale.

    Parameters
    ----------
    loc : Tensor or float
        Mean.
    scale : Tensor or float
        Standard deviation; must be > 0.
    validate_args : bool, optional
        Check the parameters (default True).

    Examples
    --------
    >>> d = Normal(Tensor([0.0, 1.0]), Tensor([1.0, 2.0]))
    >>> d.batch_shape, d.sample((5,)).shape
    ((2,), (5, 2))
    """

    has_rsample = True

    def __init__(self, loc: Any, scale: Any, validate_args: bool | None = None) -> None:
        like = loc if isinstance(loc, Tensor) else scale if isinstance(scale, Tensor) else None
        loc, scale = as_param(loc, like), as_param(scale, like)
        shape = np.broadcast_shapes(loc.shape, scale.shape)
        self.loc = loc if loc.shape == shape else broadcast_to(loc, shape)
        self.scale = scale if scale.shape == shape else broadcast_to(scale, shape)
        super().__init__(shape, (), validate_args)
        if self._validate_args:
            if np.isnan(self.loc.data).any():
                raise ValueError("Normal: loc must be a real number, got NaN")
            s = self.scale.data
            if not (s > 0).all():
                bad = s[~(s > 0)].flat[0]
                raise ValueError(f"Normal: scale must be > 0, got {bad}")

    @property
    def mean(self) -> Tensor:
        return self.loc

    @property
    def mode(self) -> Tensor:
        """The most likely value, loc."""
        return self.loc

    @property
    def stddev(self) -> Tensor:
        return self.scale

    @property
    def variance(self) -> Tensor:
        return self.scale**2

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        """loc + scale * eps with eps ~ N(0, 1) from lamina's default generator (differentiable)."""
        shape = self._extended_shape(sample_shape)
        eps = default_generator().standard_normal(shape).astype(self.loc.dtype)
        return self.loc + self.scale * Tensor._wrap(eps)

    def sample(self, sample_shape: Any = ()) -> Tensor:
        with no_grad():
            return self.rsample(sample_shape).detach()

    def log_prob(self, value: Any) -> Tensor:
        value = as_param(value, self.loc)
        if self._validate_args and np.isnan(value.data).any():
            raise ValueError("Normal.log_prob: value must be a real number, got NaN")
        return -((value - self.loc) ** 2) / (2 * self.variance) - log(self.scale) - _HALF_LOG_2PI

    def entropy(self) -> Tensor:
        return log(self.scale) + (0.5 + _HALF_LOG_2PI)

    def __repr__(self) -> str:
        return f"Normal(loc: {self.loc.shape}, scale: {self.scale.shape})"
