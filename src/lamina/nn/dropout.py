"""``Dropout`` and ``Dropout2d``: inverted dropout, active in training mode only."""

from __future__ import annotations

import numpy as np

from lamina.autodiff.tensor import Tensor
from lamina.errors import ShapeError
from lamina.nn.module import Module
from lamina.ops.activation import dropout
from lamina.ops.channel_dropout import dropout2d

__all__ = ["Dropout", "Dropout2d"]


class Dropout(Module):
    """y = x * m / (1 - p) with m_i ~ Bernoulli(1 - p) in training; y = x in evaluation.

    Parameters
    ----------
    p : float, default=0.5
        Probability of zeroing each element, in [0, 1].
    inplace : bool, default=False
        Write the output into the input tensor and return it (PyTorch's in-place rules).
    rng : numpy.random.Generator, optional
        Source of the masks (lamina's default generator when None). A Generator held by a
        module is part of ``Trainer.state_dict()`` (``training.trainer.module_generators``
        finds it by attribute), so a resumed run draws the same masks.
    """

    def __init__(
        self, p: float = 0.5, inplace: bool = False, *, rng: np.random.Generator | None = None
    ) -> None:
        super().__init__()
        if not 0 <= p <= 1:
            raise ValueError(f"Dropout: p must be in [0, 1], got {p}")
        self.p, self.inplace, self.rng = p, bool(inplace), rng

    def forward(self, x: Tensor) -> Tensor:
        return dropout(x, self.p, self.training, self.inplace, rng=self.rng)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"


class Dropout2d(Module):
    """Channel dropout: y[n, c] = x[n, c] * m_nc / (1 - p), m_nc ~ Bernoulli(1 - p), in training.

    Zeroes whole feature maps (one draw per channel of each sample); identity in evaluation.
    Input (N, C, H, W), or (N, C, L).

    Parameters
    ----------
    p : float, default=0.5
        Probability of zeroing each channel, in [0, 1].
    inplace : bool, default=False
        Write the output into the input tensor and return it (PyTorch's in-place rules).
    rng : numpy.random.Generator, optional
        Source of the masks (lamina's default generator when None).
    """

    def __init__(
        self, p: float = 0.5, inplace: bool = False, *, rng: np.random.Generator | None = None
    ) -> None:
        super().__init__()
        if not 0 <= p <= 1:
            raise ValueError(f"Dropout2d: p must be in [0, 1], got {p}")
        self.p, self.inplace, self.rng = p, bool(inplace), rng

    def forward(self, x: Tensor) -> Tensor:
        if x.ndim not in (3, 4):
            raise ShapeError(f"{self!r}: expected input (N, C, H, W) or (N, C, L), got {x.shape}")
        return dropout2d(x, self.p, self.training, self.inplace, rng=self.rng)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"
