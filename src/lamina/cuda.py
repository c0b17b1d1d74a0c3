"""``lamina.cuda``: answers PyTorch programs that ask for a GPU (there is none: NumPy on the CPU).

``cuda.is_available()`` is False, so ``device = "cuda" if cuda.is_available() else "cpu"``
picks the CPU; seeding calls are accepted and do nothing, as PyTorch's do without CUDA.
"""

from __future__ import annotations

__all__ = ["device_count", "is_available", "manual_seed", "manual_seed_all"]


def is_available() -> bool:
    """False: lamina computes with NumPy on the CPU."""
    return False


def device_count() -> int:
    """0: no CUDA device is usable."""
    return 0


def manual_seed(seed: int) -> None:
    """Accepted and ignored, as PyTorch ignores it without CUDA; use ``lamina.manual_seed``."""


manual_seed_all = manual_seed
