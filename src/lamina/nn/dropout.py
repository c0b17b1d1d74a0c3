"""``Dropout`` and ``Dropout2d``: inverted dropout, active in training mode only."""

from __future__ import annotations

import numpy as np

from lamina.autodiff.tensor import Tensor
from lamina.errors import ShapeError
from lamina.nn.module import Module
from lamina.ops.regularize import check_dropout_p, dropout, dropout2d

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
        check_dropout_p("Dropout", p)
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
        check_dropout_p("Dropout2d", p)
        self.p, self.inplace, self.rng = p, bool(inplace), rng

    def forward(self, x: Tensor) -> Tensor:
        try:
            return dropout2d(x, self.p, self.training, self.inplace, rng=self.rng)
        except ShapeError as e:  # say which layer was given the input
            raise ShapeError(f"{self!r}: {e}") from None

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"
