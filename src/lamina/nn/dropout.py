"""``Dropout``: inverted dropout, active in training mode only."""

from __future__ import annotations

import numpy as np

from lamina.autodiff.tensor import Tensor
from lamina.nn.module import Module
from lamina.ops.activation import dropout

__all__ = ["Dropout"]


class Dropout(Module):
    """y = x * m / (1 - p) with m_i ~ Bernoulli(1 - p) in training; y = x in evaluation.

    Parameters
    ----------
    p : float, default=0.5
        Probability of zeroing each element, in [0, 1].
    rng : numpy.random.Generator, optional
        Source of the masks (lamina's default generator when None).
    """

    def __init__(self, p: float = 0.5, *, rng: np.random.Generator | None = None) -> None:
        super().__init__()
        if not 0 <= p <= 1:
            raise ValueError(f"Dropout: p must be in [0, 1], got {p}")
        self.p, self.rng = p, rng

    def forward(self, x: Tensor) -> Tensor:
        return dropout(x, self.p, self.training, self.rng)

    def extra_repr(self) -> str:
        return f"p={self.p}"
