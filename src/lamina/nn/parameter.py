"""``Parameter``: a tensor that a module owns and an optimizer updates."""

from __future__ import annotations

from typing import Any

import numpy as np

from lamina.autodiff.tensor import Tensor

__all__ = ["Buffer", "Parameter"]


class Parameter(Tensor):
    """A leaf tensor that requires grad by default and is registered by ``Module``.

    Examples
    --------
    >>> w = Parameter(np.zeros((3, 2), np.float32))
    >>> w.requires_grad
    True
    """

    def __init__(self, data: Any, requires_grad: bool = True, dtype: Any = None) -> None:
        super().__init__(data.data if isinstance(data, Tensor) else data, dtype=dtype)
        if requires_grad:
            self.requires_grad_(True)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()


class Buffer(Tensor):
    """A tensor a module keeps in its state but does not train (running statistics)."""

    def __init__(self, data: Any, dtype: Any = None) -> None:
        super().__init__(data.data if isinstance(data, Tensor) else np.asarray(data), dtype=dtype)
