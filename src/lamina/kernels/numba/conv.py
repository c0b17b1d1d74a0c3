"""The convolution kernels of the NumPy mode with the compiled im2col and col2im.

The matrix products stay BLAS calls; what changes is the gather around them: one parallel
pass that reads x with its padding as zeros (no padded copy, no strided-view copy) and its
adjoint, which adds each (c, n) plane's columns back in one task.
"""

from __future__ import annotations

from lamina.kernels import register
from lamina.kernels.numba import im2col as _compiled
from lamina.kernels.numpy import conv as _numpy

__all__: list[str] = []


class _Compiled:
    im2col = staticmethod(_compiled.im2col)
    col2im = staticmethod(_compiled.col2im)


@register("lamina.ops.conv.Conv", "numba")
class Conv(_Compiled, _numpy.Conv):
    """y = w @ im2col(x) (+ b); dx by the flipped route or col2im, dw from the kept matrix."""


@register("lamina.ops.conv.ConvInputGrad", "numba")
class ConvInputGrad(_Compiled, _numpy.ConvInputGrad):
    """dx = col2im(w^T @ g) or the flipped correlation, with the compiled gather."""


@register("lamina.ops.conv.ConvWeightGrad", "numba")
class ConvWeightGrad(_Compiled, _numpy.ConvWeightGrad):
    """dw = g @ im2col(x)^T, with the compiled gather."""
