"""Devices, PyTorch-style: lamina computes on the CPU, so ``cpu`` is the one usable device.

A program written for PyTorch names devices everywhere (``torch.device("cuda" if
torch.cuda.is_available() else "cpu")``, ``model.to(device)``, ``zeros(3, device=device)``).
lamina accepts the same words: a ``device`` object can name any type, as PyTorch's can, and
``cuda.is_available()`` answers False, so such a program picks the CPU. Moving data to a
device other than the CPU is refused with a clear error, never ignored.
"""

from __future__ import annotations

from typing import Any

__all__ = ["DeviceLike", "check_device", "cpu", "device"]

_TYPES = ("cpu", "cuda", "mps", "xpu", "meta", "hip", "xla", "mtia", "ipu", "hpu", "privateuseone")


class device:
    """A device name: a type (``"cpu"``, ``"cuda"``, ...) and an optional index.

    Examples
    --------
    >>> device("cpu")
    device(type='cpu')
    >>> device("cuda:1").index
    1
    """

    __slots__ = ("index", "type")
    type: str
    index: int | None

    def __init__(self, type: str | device, index: int | None = None) -> None:
        if isinstance(type, device):
            index = type.index if index is None else index
            type = type.type
        if not isinstance(type, str):
            raise TypeError(f"device: expected a string such as 'cpu', got {type!r}")
        name, _, number = type.partition(":")
        if name not in _TYPES:
            raise RuntimeError(
                f"device: expected one of {', '.join(_TYPES)} (optionally with ':index'), "
                f"got {type!r}"
            )
        if number:
            if index is not None:
                raise RuntimeError(f"device: index given twice in {type!r} and index={index}")
            if not number.isdigit():
                raise RuntimeError(f"device: invalid index in {type!r}")
            index = int(number)
        if index is not None and (isinstance(index, bool) or not isinstance(index, int)):
            raise TypeError(f"device: index must be an int, got {index!r}")
        if index is not None and index < 0:
            raise RuntimeError(f"device: index must be non-negative, got {index}")
        self.type, self.index = name, index

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            try:
                other = device(other)
            except (RuntimeError, TypeError):
                return False
        if not isinstance(other, device):
            return NotImplemented
        return (self.type, self.index) == (other.type, other.index)

    def __hash__(self) -> int:
        return hash((self.type, self.index))

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __repr__(self) -> str:
        extra = "" if self.index is None else f", index={self.index}"
        return f"device(type={self.type!r}{extra})"


cpu = device("cpu")

DeviceLike = device | str | int | None


def check_device(owner: str, where: Any) -> device:
    """The device ``where`` names, if lamina can compute there (the CPU); else a clear error.

    ``None`` means the CPU. An integer names a CUDA device, as in PyTorch.
    """
    if where is None:
        return cpu
    if isinstance(where, int) and not isinstance(where, bool):
        where = device("cuda", where)
    dev = where if isinstance(where, device) else device(where)
    if dev.type != "cpu":
        raise RuntimeError(
            f"{owner}: device {str(dev)!r} is not available; lamina computes with NumPy on the "
            "CPU only (lamina.cuda.is_available() is False), use 'cpu'"
        )
    return cpu
