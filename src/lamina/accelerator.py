"""``lamina.accelerator``: PyTorch's device-agnostic query; lamina has no accelerator."""

from __future__ import annotations

__all__ = ["current_accelerator", "device_count", "is_available"]


def is_available() -> bool:
    """False: lamina computes with NumPy on the CPU."""
    return False


def current_accelerator() -> None:
    """None: there is no accelerator."""
    return None


def device_count() -> int:
    """0: no accelerator device."""
    return 0
