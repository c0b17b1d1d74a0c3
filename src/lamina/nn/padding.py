"""Padding layers for (N, C, H, W) maps: ``ZeroPad2d``, ``ConstantPad2d``, ``ReflectionPad2d``,
``ReplicationPad2d`` (PyTorch's names; each calls ``F.pad`` with its mode)."""

from __future__ import annotations

from lamina.autodiff.tensor import Tensor
from lamina.errors import ShapeError
from lamina.nn.module import Module
from lamina.ops._shapes import ntuple
from lamina.ops.shape import pad

__all__ = ["ConstantPad2d", "ReflectionPad2d", "ReplicationPad2d", "ZeroPad2d"]


class _Pad2d(Module):
    """Pad the last two dims of (N, C, H, W) or (C, H, W) by (left, right, top, bottom)."""

    mode = "constant"

    def __init__(self, padding: int | tuple[int, int, int, int]) -> None:
        super().__init__()
        self.padding = ntuple(type(self).__name__, "padding", padding, 4, minimum=0)

    def _value(self) -> float:
        return 0.0

    def forward(self, x: Tensor) -> Tensor:
        if x.ndim not in (3, 4):
            raise ShapeError(f"{self!r}: expected input (N, C, H, W) or (C, H, W), got {x.shape}")
        value = self._value() if self.mode == "constant" else None
        try:
            return pad(x, self.padding, self.mode, value)
        except ShapeError as e:  # say which layer asked for the padding
            raise ShapeError(f"{self!r}: {e}") from None

    def extra_repr(self) -> str:
        return str(self.padding)


class ZeroPad2d(_Pad2d):
    """y = x surrounded by zeros: (left, right, top, bottom) columns and rows.

    Parameters
    ----------
    padding : int or (left, right, top, bottom)
    """


class ConstantPad2d(_Pad2d):
    """y = x surrounded by ``value``: (left, right, top, bottom) columns and rows.

    Parameters
    ----------
    padding : int or (left, right, top, bottom)
    value : float
    """

    def __init__(self, padding: int | tuple[int, int, int, int], value: float) -> None:
        super().__init__(padding)
        self.value = float(value)

    def _value(self) -> float:
        return self.value

    def extra_repr(self) -> str:
        return f"padding={self.padding}, value={self.value}"


class ReflectionPad2d(_Pad2d):
    """Pad by mirroring about the edge, without repeating it: x[2], x[1] | x[0], x[1], ...

    Each padding must be less than the size of the dim it pads.

    Parameters
    ----------
    padding : int or (left, right, top, bottom)
    """

    mode = "reflect"


class ReplicationPad2d(_Pad2d):
    """Pad by repeating the edge value: x[0], x[0] | x[0], x[1], ...

    Parameters
    ----------
    padding : int or (left, right, top, bottom)
    """

    mode = "replicate"
