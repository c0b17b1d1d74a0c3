"""Convolutions on arrays: an im2col matrix in a reused buffer and one BLAS product.

Arrays are laid out channels first, (C, N, H, W): the product ``w (O, C*kh*kw) @ cols
(C*kh*kw, N*Ho*Wo)`` then gives (O, N, Ho, Wo) with no copy, returned as an (N, O, Ho, Wo)
view. The im2col matrix of the forward is kept for the weight gradient and given back to the
buffer pool when the node is freed. A compiled mode can reuse these kernels with its own
im2col and col2im: subclass and set ``im2col`` / ``col2im`` (static methods).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from lamina.kernels import register
from lamina.kernels.numpy import buffers
from lamina.kernels.numpy import im2col as _windows

__all__: list[str] = []


def _grouped(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a (G, m, k) @ b (G, k, n): one BLAS call when G is 1."""
    return (a[0] @ b[0])[None] if a.shape[0] == 1 else np.matmul(a, b)


def _out_channels_first(g: np.ndarray, groups: int) -> np.ndarray:
    """g (N, O, Ho, Wo) as (G, O/G, N*Ho*Wo); free when g is already channels first."""
    o = g.shape[1]
    return np.ascontiguousarray(g.transpose(1, 0, 2, 3)).reshape(groups, o // groups, -1)


def _flipped(geom: Any) -> Any:
    """At stride 1 the transposed convolution is a plain one: g padded by d*(k - 1) - pad,
    correlated with the kernel flipped in space and in/out channels swapped. That costs one
    im2col and one matrix product instead of a product 9x larger and a col2im (for 3 x 3).
    None when the stride is not 1 or the padding is larger than the kernel's span."""
    if geom.stride != (1, 1):
        return None
    pads = tuple(
        (d * (k - 1) - before, i - o + before)
        for k, d, (before, _), i, o in zip(
            geom.kernel, geom.dilation, geom.pads, geom.in_hw, geom.out_hw
        )
    )
    if min(min(p) for p in pads) < 0:
        return None
    return dataclasses.replace(geom, in_hw=geom.out_hw, out_hw=geom.in_hw, pads=pads)


def _flip_weight(w: np.ndarray, groups: int) -> np.ndarray:
    """(O, C/G, kh, kw) -> (C, O/G, kh, kw), each kernel rotated by 180 degrees."""
    o, cg, kh, kw = w.shape
    wg = w.reshape(groups, o // groups, cg, kh, kw).transpose(0, 2, 1, 3, 4)[..., ::-1, ::-1]
    return wg.reshape(groups * cg, o // groups, kh, kw)


class _Im2col:
    """The shared pieces, with im2col and col2im as replaceable static methods."""

    im2col = staticmethod(_windows.im2col)
    col2im = staticmethod(_windows.col2im)

    @classmethod
    def correlate(cls, x, w, geom, scratch=False) -> tuple[np.ndarray, np.ndarray]:
        """The convolution as (O, N, Ho, Wo) (channels first) and the im2col matrix it used."""
        g_, (ho, wo) = geom.groups, geom.out_hw
        cols = cls.im2col(x, geom, scratch)
        y = _grouped(w.reshape(g_, w.shape[0] // g_, -1), cols.reshape(g_, -1, cols.shape[1]))
        return y.reshape(w.shape[0], x.shape[0], ho, wo), cols

    @classmethod
    def input_grad(cls, g, w, geom) -> np.ndarray:
        """dx: the flipped route or col2im, whichever moves less memory."""
        flipped = _flipped(geom)
        # The flipped route copies an im2col of g as large as O*H*W per kernel offset; col2im
        # adds C*Ho*Wo per offset (slower per element, about 2x). LeNet's 5x5 conv2 (O*H*W =
        # 2.6x C*Ho*Wo) measured 7.7 ms flipped, 3.4 ms col2im; a 3x3 same conv the reverse.
        (h, w_), (ho, wo) = geom.in_hw, geom.out_hw
        if flipped is not None and g.shape[1] * h * w_ <= 2 * w.shape[1] * geom.groups * ho * wo:
            y = cls.correlate(g, _flip_weight(w, geom.groups), flipped, scratch=True)[0]
            return y.transpose(1, 0, 2, 3)
        gm = _out_channels_first(g, geom.groups)
        wm = w.reshape(geom.groups, w.shape[0] // geom.groups, -1)
        return cls.col2im(_grouped(wm.transpose(0, 2, 1), gm), geom, g.shape[0])

    @staticmethod
    def weight_grad(cols, g, geom) -> np.ndarray:
        """dw from the im2col matrix of x."""
        gm = _out_channels_first(g, geom.groups)
        # dw^T = cols @ g^T rather than dw = g @ cols^T: the same product, but OpenBLAS with
        # two threads was measured 50x slower on the second form of this long, thin reduction
        dwt = _grouped(cols.reshape(geom.groups, -1, cols.shape[1]), gm.transpose(0, 2, 1))
        kh, kw = geom.kernel
        return dwt.transpose(0, 2, 1).reshape(g.shape[1], -1, kh, kw)


@register("lamina.ops.conv.Conv", "numpy")
class Conv(_Im2col):
    """y = w @ im2col(x) (+ b); backward: dx by input_grad, dw from the kept im2col matrix."""

    @classmethod
    def forward(cls, ctx, x, w, *bias, geom):
        ctx.geom = geom
        y, cols = cls.correlate(x, w, geom, scratch=not ctx.grad_enabled)
        if ctx.grad_enabled:
            ctx.cols = cols
        if bias:
            y += bias[0][:, None, None, None]
        return y.transpose(1, 0, 2, 3)

    @classmethod
    def backward(cls, ctx, g):
        w = ctx.arrays[1]
        needs, geom = ctx.needs_input_grad, ctx.geom
        dx = cls.input_grad(g, w, geom) if needs[0] else None
        dw = cls.weight_grad(ctx.cols, g, geom) if needs[1] else None
        db = g.sum(axis=(0, 2, 3)) if len(needs) == 3 and needs[2] else None
        return dx, dw, db

    @staticmethod
    def release(ctx):
        cols = ctx.__dict__.get("cols")
        if cols is not None:
            buffers.give_back(cols)


@register("lamina.ops.conv.ConvInputGrad", "numpy")
class ConvInputGrad(_Im2col):
    @classmethod
    def forward(cls, ctx, g, w, geom):
        ctx.geom = geom
        return cls.input_grad(g, w, geom)


@register("lamina.ops.conv.ConvWeightGrad", "numpy")
class ConvWeightGrad(_Im2col):
    @classmethod
    def forward(cls, ctx, x, g, geom):
        ctx.geom = geom
        return cls.weight_grad(cls.im2col(x, geom, scratch=True), g, geom)
