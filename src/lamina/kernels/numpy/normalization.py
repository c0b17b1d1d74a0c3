"""Batch norm's first-order backward on arrays, a block of channels at a time."""

from __future__ import annotations

from typing import Any

import numpy as np

from lamina.kernels import register

__all__: list[str] = []

_BLOCK_ELEMENTS = 1 << 18  # per block of channels: ~1 MB, cache-sized


@register("lamina.ops.normalization.BatchNormTrain", "numpy")
class BatchNormTrain:
    """The reference's derivative, on the arrays its forward saved (centered = x - mean and
    inv = 1 / sqrt(var + eps)). With s = inv * w, per channel of M elements::

        dx = s * g - s * sum(g) / M - (s * inv^2 * sum(g * centered) / M) * centered
        dw = inv * sum(g * centered),  db = sum(g)

    Why: the lamina ops of the reference cost ~8 passes and as many fresh activations-sized
    arrays. Here each block's two sums and three passes for dx run while its g and centered
    are still in cache: over the whole activations at once the passes cost about 1.6x as much.
    """

    def backward(ctx: Any, g):
        needs, axes, xc, inv = ctx.needs_input_grad, ctx.axes, ctx.centered, ctx.inv
        c = xc.shape[1]
        count = xc.size // c
        s = inv if len(needs) == 1 else inv * ctx.arrays[1].reshape(inv.shape)
        gs, gxc = np.empty(inv.shape, g.dtype), np.empty(inv.shape, g.dtype)
        dx = np.empty_like(xc, dtype=g.dtype) if needs[0] else None  # in xc's layout
        # (channels first after a convolution), which the convolution's backward then reads
        # without a copy
        step = c if xc.ndim == 2 else max(1, _BLOCK_ELEMENTS // count)
        for lo in range(0, c, step):
            block = (slice(None), slice(lo, lo + step))
            gb, xb, sb, ib = g[block], xc[block], s[block], inv[block]
            gs[block] = gb.sum(axis=axes, keepdims=True)
            gxc[block] = _channel_dot(gb, xb).reshape(ib.shape)
            if dx is not None:
                out = dx[block]
                np.multiply(xb, -(sb * ib * ib * gxc[block] / count), out=out)
                out -= sb * gs[block] / count
                out += gb * sb
        if len(needs) == 1:
            return dx
        dw = (inv * gxc).reshape(c) if needs[1] else None
        db = gs.reshape(c) if needs[2] else None
        return dx, dw, db


def _channel_dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """sum(a * b) per channel (dim 1) in one pass, without the product's temporary."""
    n, c = a.shape[:2]
    return np.einsum("ncm,ncm->c", a.reshape(n, c, -1), b.reshape(n, c, -1))
