"""Exceptions and the input checks shared by every public boundary of lamina.

Every message has one shape: ``owner: what was expected, what came``. The owner is a layer's
short repr or a function's name, and shapes print as tuples.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = [
    "DTypeError",
    "FileFormatError",
    "GradientShapeError",
    "NotFittedError",
    "ShapeError",
    "check_finite",
    "check_in",
    "check_nonnegative",
    "check_positive_int",
    "check_probability",
    "check_seed",
    "owner_name",
]


class ShapeError(ValueError):
    """An input has a shape the function or layer cannot take."""


class DTypeError(TypeError):
    """An input has a dtype the function or layer cannot take."""


class FileFormatError(ValueError):
    """A file to load is damaged, foreign, or of a format version lamina cannot read."""


class NotFittedError(ValueError, AttributeError):
    """An estimator was used before ``fit``."""


class GradientShapeError(RuntimeError):
    """A backward rule returned a gradient that does not broadcast to its input's shape."""


def owner_name(owner: Any) -> str:
    """Name an owner in a message: strings stay, objects give their short ``repr``."""
    return owner if isinstance(owner, str) else repr(owner)


def check_positive_int(owner: Any, **values: Any) -> None:
    """Raise ``ValueError`` unless every value is an ``int`` greater than zero."""
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
            raise ValueError(
                f"{owner_name(owner)}: {name} must be a positive integer, got {value!r}"
            )


def check_seed(owner: Any, seed: Any, name: str = "seed") -> int | None:
    """``seed`` as an ``int`` (None stays None), or ``ValueError``: a seed is an integer >= 0."""
    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"{owner_name(owner)}: {name} must be an integer >= 0, got {seed!r}")
    return int(seed)


def check_nonnegative(owner: Any, **values: Any) -> None:
    """Raise ``ValueError`` unless every value is a real number >= 0."""
    for name, value in values.items():
        if not isinstance(value, (int, float, np.number)) or not value >= 0:
            raise ValueError(f"{owner_name(owner)}: {name} must be >= 0, got {value!r}")


def check_probability(owner: Any, **values: Any) -> None:
    """Raise ``ValueError`` unless every value lies in [0, 1)."""
    for name, value in values.items():
        if not isinstance(value, (int, float, np.number)) or not 0 <= value < 1:
            raise ValueError(f"{owner_name(owner)}: {name} must be in [0, 1), got {value!r}")


def check_in(owner: Any, name: str, value: Any, allowed: tuple[Any, ...]) -> None:
    """Raise ``ValueError`` unless ``value`` is one of ``allowed``."""
    if value not in allowed:
        choices = ", ".join(repr(a) for a in allowed)
        raise ValueError(f"{owner_name(owner)}: {name} must be one of {choices}, got {value!r}")


def check_finite(owner: Any, array: np.ndarray, name: str = "input") -> None:
    """Raise ``ValueError`` if ``array`` holds NaN or inf, saying which."""
    if array.dtype.kind not in "fc" or np.isfinite(array).all():
        return
    what = "NaN" if np.isnan(array).any() else "inf"
    raise ValueError(f"{owner_name(owner)}: {name} contains {what}")
