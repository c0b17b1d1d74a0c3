"""The library's default random generator, reseeded by ``manual_seed``."""

from __future__ import annotations

import numpy as np

__all__ = ["default_generator", "manual_seed"]

_generator = np.random.default_rng()


def manual_seed(seed: int) -> np.random.Generator:
    """Reseed the default generator used when a function gets no ``rng``; return it.

    Any integer in [-2**63, 2**64) is a seed, as in PyTorch (a negative one counts modulo
    2**64, so ``manual_seed(-1)`` is ``manual_seed(2**64 - 1)``).
    """
    global _generator
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"manual_seed: seed must be an integer, got {seed!r}")
    if not -(2**63) <= seed < 2**64:
        raise ValueError(f"manual_seed: seed must be in [-2**63, 2**64), got {seed}")
    _generator = np.random.default_rng(int(seed) % 2**64)
    return _generator


def default_generator() -> np.random.Generator:
    """Return the current default generator."""
    return _generator
