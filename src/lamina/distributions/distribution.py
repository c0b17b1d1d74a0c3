"""``Distribution``: the base of lamina's probability distributions, shaped like PyTorch's.

A distribution holds a batch of independent distributions of the same family: ``batch_shape``
is the shape of that batch and ``event_shape`` the shape of one draw (``()`` for the scalar
families here). ``sample(sample_shape)`` returns ``sample_shape + batch_shape + event_shape``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from lamina.autodiff import grad_mode
from lamina.autodiff.tensor import Tensor
from lamina.ops import sqrt

__all__ = ["Distribution"]


def as_param(value: Any, like: Any = None) -> Tensor:
    """A parameter as a Tensor: tensors stay (their graph too), numbers take ``like``'s dtype."""
    if isinstance(value, Tensor):
        return value
    if like is not None and isinstance(value, (int, float, np.number)):
        return Tensor._wrap(np.asarray(value, dtype=like.dtype))
    data = np.asarray(value)
    if data.dtype.kind != "f":
        data = data.astype(grad_mode.get_default_dtype())
    return Tensor._wrap(data)


def sample_shape_of(owner: str, sample_shape: Any) -> tuple[int, ...]:
    """``sample_shape`` (an int or a sequence of ints >= 0) as a tuple."""
    shape = (sample_shape,) if isinstance(sample_shape, (int, np.integer)) else sample_shape
    if not isinstance(shape, (Sequence, np.ndarray)) or not all(
        isinstance(n, (int, np.integer)) and n >= 0 for n in shape
    ):
        raise TypeError(
            f"{owner}.sample: sample_shape must be a tuple of ints >= 0, got {sample_shape!r}"
        )
    return tuple(int(n) for n in shape)


class Distribution:
    """Base class: shapes, argument validation and the moments derived from the others.

    Parameters
    ----------
    batch_shape : tuple of int
        Shape of the batch of independent distributions.
    event_shape : tuple of int
        Shape of one draw.
    validate_args : bool, optional
        Check parameters (and the values given to ``log_prob``); default True, as in PyTorch.
    """

    has_rsample = False

    def __init__(
        self,
        batch_shape: tuple[int, ...] = (),
        event_shape: tuple[int, ...] = (),
        validate_args: bool | None = None,
    ) -> None:
        self._batch_shape = tuple(batch_shape)
        self._event_shape = tuple(event_shape)
        self._validate_args = True if validate_args is None else bool(validate_args)

    @property
    def _name(self) -> str:
        return type(self).__name__

    @property
    def batch_shape(self) -> tuple[int, ...]:
        """Shape of the batch of distributions."""
        return self._batch_shape

    @property
    def event_shape(self) -> tuple[int, ...]:
        """Shape of one draw."""
        return self._event_shape

    def _extended_shape(self, sample_shape: Any = ()) -> tuple[int, ...]:
        shape = sample_shape_of(self._name, sample_shape)
        return shape + self._batch_shape + self._event_shape

    @property
    def mean(self) -> Tensor:
        """The expected value, E[X]."""
        raise NotImplementedError

    @property
    def variance(self) -> Tensor:
        """The variance, E[(X - E[X])**2]."""
        raise NotImplementedError

    @property
    def stddev(self) -> Tensor:
        """The standard deviation, sqrt(variance)."""
        return sqrt(self.variance)

    def sample(self, sample_shape: Any = ()) -> Tensor:
        """Draws of shape ``sample_shape + batch_shape + event_shape``; no gradient flows."""
        raise NotImplementedError

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        """Reparameterized draws, differentiable with respect to the parameters."""
        raise NotImplementedError(f"{self._name}: rsample is not available (not reparameterizable)")

    def log_prob(self, value: Any) -> Tensor:
        """log p(value), elementwise over the batch."""
        raise NotImplementedError

    def entropy(self) -> Tensor:
        """H = -E[log p(X)], one value per distribution in the batch."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{self._name}(batch_shape={self._batch_shape}, event_shape={self._event_shape})"
