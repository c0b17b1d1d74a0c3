"""``Upsample``: resizing as a layer (nearest or (bi)linear), calling ``F.interpolate``."""

from __future__ import annotations

from collections.abc import Sequence

from lamina.autodiff.tensor import Tensor
from lamina.errors import ShapeError
from lamina.nn.module import Module
from lamina.ops.resample import check_size_or_scale, interpolate

__all__ = ["Upsample"]


class Upsample(Module):
    """Resize (N, C, L) or (N, C, H, W) maps to ``size`` or by ``scale_factor``.

    out = size, or floor(in * scale_factor) per spatial dim. "nearest" copies
    x[floor(j * in / out)]; "linear" (3-D) and "bilinear" (4-D) blend the two nearest inputs
    by their distance to the source position (j + 0.5) * in / out - 0.5, or j * (in - 1) /
    (out - 1) with align_corners. No parameters.

    Parameters
    ----------
    size : int or tuple of int, optional
    scale_factor : float or tuple of float, optional
        Exactly one of size and scale_factor.
    mode : {"nearest", "linear", "bilinear"}, default="nearest"
    align_corners : bool, optional
        Only with the (bi)linear modes.
    recompute_scale_factor : bool, optional
        With scale_factor, compute the source positions from the output size instead.
    """

    def __init__(
        self,
        size: int | Sequence[int] | None = None,
        scale_factor: float | Sequence[float] | None = None,
        mode: str = "nearest",
        align_corners: bool | None = None,
        recompute_scale_factor: bool | None = None,
    ) -> None:
        super().__init__()
        check_size_or_scale("Upsample", size, scale_factor)
        self.size = size
        if scale_factor is not None and not isinstance(scale_factor, Sequence):
            scale_factor = float(scale_factor)
        self.scale_factor, self.mode = scale_factor, mode
        self.align_corners, self.recompute_scale_factor = align_corners, recompute_scale_factor

    def forward(self, x: Tensor) -> Tensor:
        try:
            return interpolate(
                x,
                self.size,
                self.scale_factor,
                self.mode,
                self.align_corners,
                self.recompute_scale_factor,
            )
        except (ShapeError, ValueError) as e:  # say which layer was given the input
            raise type(e)(f"{self!r}: {e}") from None

    def extra_repr(self) -> str:
        what = f"size={self.size}" if self.size is not None else f"scale_factor={self.scale_factor}"
        return f"{what}, mode={self.mode!r}"
