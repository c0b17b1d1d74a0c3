"""The one place that chooses the array module (NumPy today; CuPy behind the same API later)."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import numpy as np

__all__ = ["get_array_module"]


def get_array_module(*arrays: Any) -> ModuleType:
    """Return the array module that owns ``arrays``: NumPy unless one is a CuPy array."""
    for a in arrays:
        if type(a) is np.ndarray:
            continue
        module = type(a).__module__
        if module.startswith("cupy"):
            import cupy  # optional backend, only reached when the caller holds CuPy arrays

            return cupy
    return np
