"""The library's default random generator, reseeded by ``manual_seed``."""

from __future__ import annotations

import numpy as np

__all__ = ["default_generator", "manual_seed"]

_generator = np.random.default_rng()


def manual_seed(seed: int) -> np.random.Generator:
    """Reseed the default generator used when a function gets no ``rng``; return it."""
    global _generator
    _generator = np.random.default_rng(seed)
    return _generator


def default_generator() -> np.random.Generator:
    """Return the current default generator."""
    return _generator
