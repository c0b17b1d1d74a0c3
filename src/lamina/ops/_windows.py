"""Where the windows of a convolution or pooling lie: ``Geometry`` describes them,
``padded`` and ``windows`` give a strided view of all of them with no copy, and ``col2im``
adds values laid out window by window back onto the input (the adjoint of gathering them).

``windows`` and ``col2im`` are the kernels' own (``lamina.kernels.numpy.im2col``: kernels read a
geometry but never import lamina's ops, so the one copy lives there).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lamina.kernels.numpy.im2col import col2im, windows

__all__ = ["Geometry", "Pads", "col2im", "padded", "windows"]

Pads = tuple[tuple[int, int], tuple[int, int]]


@dataclass(frozen=True)
class Geometry:
    """Where the windows of a 2-d convolution or pooling lie.

    ``in_hw`` is the unpadded input size, ``pads`` the zeros (before, after) along H and W,
    ``out_hw`` the number of windows; window (p, q) covers rows p*stride + i*dilation.
    """

    in_hw: tuple[int, int]
    out_hw: tuple[int, int]
    kernel: tuple[int, int]
    stride: tuple[int, int]
    dilation: tuple[int, int]
    pads: Pads
    groups: int = 1

    @property
    def padded_hw(self) -> tuple[int, int]:
        (pt, pb), (pl, pr) = self.pads
        return self.in_hw[0] + pt + pb, self.in_hw[1] + pl + pr

    def slices(self, i: int, j: int) -> tuple[slice, slice]:
        """The rows and columns of the padded input that kernel offset (i, j) touches."""
        (sh, sw), (dh, dw), (ho, wo) = self.stride, self.dilation, self.out_hw
        return (
            slice(i * dh, i * dh + sh * (ho - 1) + 1, sh),
            slice(j * dw, j * dw + sw * (wo - 1) + 1, sw),
        )


def padded(x: np.ndarray, geom: Geometry, value: float = 0.0) -> np.ndarray:
    """x (N, C, H, W) surrounded by ``value``; x itself when there is no padding."""
    (pt, pb), (pl, pr) = geom.pads
    if not (pt or pb or pl or pr):
        return x
    return np.pad(x, ((0, 0), (0, 0), (pt, pb), (pl, pr)), constant_values=value)
