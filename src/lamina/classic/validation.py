"""Input checks of :mod:`lamina.classic`, worded so scikit-learn's own checks recognise them.

Every message starts with its owner (``Ridge.fit: ...``), as everywhere in lamina. Where
scikit-learn's ``check_estimator`` matches a phrase literally ("Reshape your data",
"0 feature(s) (shape=(12, 0)) while a minimum of 1 is required", "Unknown label type",
"Complex data not supported", "requires y to be passed, but the target y is None",
"A column-vector y was passed when a 1d array was expected"), the message carries that phrase.

scikit-learn is never imported here. Once a program has imported ``sklearn.exceptions``
(any use of scikit-learn does), ``bridged`` turns lamina's ``NotFittedError`` and warnings
into subclasses of scikit-learn's classes of the same name as well, so ``except
sklearn.exceptions.NotFittedError`` and scikit-learn's warning filters see them.
"""

from __future__ import annotations

import functools
import sys
import warnings
from typing import Any

import numpy as np

from lamina.errors import ShapeError, check_finite

__all__ = ["DataConversionWarning"]  # the checks are the estimators' own helpers


class DataConversionWarning(UserWarning):
    """An input was converted to the form the estimator needs (a column-vector y raveled)."""


def bridged(cls: type, sklearn_name: str) -> type:
    """Return ``cls``, or a subclass of it and of ``sklearn.exceptions.<sklearn_name>``.

    The subclass exists only once ``sklearn.exceptions`` is imported, so lamina alone never
    imports scikit-learn; any code that can name scikit-learn's class has imported it.
    """
    module = sys.modules.get("sklearn.exceptions")
    other = getattr(module, sklearn_name, None)
    return cls if other is None else _joined(cls, other, sklearn_name)


@functools.cache
def _joined(cls: type, other: type, sklearn_name: str) -> type:
    def reduce(self: BaseException) -> tuple[Any, ...]:
        # Pickled across processes (joblib workers), it is rebuilt there the same way.
        return _rebuild, (cls, sklearn_name, self.args)

    namespace = {"__module__": cls.__module__, "__doc__": cls.__doc__, "__reduce__": reduce}
    return type(cls.__name__, (cls, other), namespace)


def _rebuild(cls: type, sklearn_name: str, args: tuple[Any, ...]) -> BaseException:
    return bridged(cls, sklearn_name)(*args)


def as_2d_float_array(owner: str, X: Any) -> np.ndarray:
    """Return ``X`` as a finite, non-empty 2-D float64 array, or raise naming ``owner``.

    Raises
    ------
    TypeError
        For a scipy.sparse matrix or array, or entries that cannot convert to float.
    ValueError
        For complex, non-numeric, NaN or inf entries; ``ShapeError`` for a wrong shape.
    """
    X = _as_float_array(owner, X, "X")
    if X.ndim != 2:
        raise ShapeError(
            f"{owner}: expected a 2-D array X of shape (n_samples, n_features), got shape "
            f"{X.shape}. Reshape your data with X.reshape(-1, 1) for a single feature or "
            "X.reshape(1, -1) for a single sample"
        )
    for axis, what in ((0, "sample"), (1, "feature")):
        if X.shape[axis] == 0:
            raise ShapeError(
                f"{owner}: found an array with 0 {what}(s) (shape={X.shape}) while a minimum "
                "of 1 is required."
            )
    check_finite(owner, X, "X")
    return X


def as_target(owner: str, y: Any, n_samples: int, numeric: bool) -> np.ndarray:
    """Return ``y`` as a 1-D array of ``n_samples`` entries (finite float64 if ``numeric``).

    A column vector of shape (n_samples, 1) is raveled with a ``DataConversionWarning``,
    as scikit-learn does.
    """
    if y is None:
        raise ValueError(f"{owner}: requires y to be passed, but the target y is None")
    y = _as_float_array(owner, y, "y") if numeric else np.asarray(y)
    if y.dtype.kind == "c":
        raise ValueError(f"{owner}: Complex data not supported; got y of dtype {y.dtype}")
    if y.ndim == 2 and y.shape[1] == 1:
        warnings.warn(
            "A column-vector y was passed when a 1d array was expected; "
            f"{owner} ravels it to shape ({y.shape[0]},)",
            bridged(DataConversionWarning, "DataConversionWarning"),
            stacklevel=4,
        )
        y = y.ravel()
    if y.ndim != 1:
        raise ShapeError(f"{owner}: expected a 1-D array y, got shape {y.shape}")
    if y.shape[0] != n_samples:
        raise ShapeError(f"{owner}: y has {y.shape[0]} samples, but X has {n_samples}")
    if numeric:
        check_finite(owner, y, "y")
    elif y.dtype.kind == "f" and not np.isfinite(y).all():
        raise ValueError(f"{owner}: y contains NaN or inf")
    return y


def as_class_labels(owner: str, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(classes, indices)``: the sorted unique labels and y as indices into them.

    Raises ``ValueError`` for a continuous target (floats that are not whole numbers) and
    for fewer than two classes.
    """
    if y.dtype.kind == "f" and np.any(y != np.round(y)):
        raise ValueError(
            f"{owner}: Unknown label type: 'continuous'; expected class labels (integers, "
            "strings or whole-valued floats), got non-integer floats; use a regressor for a "
            "continuous target"
        )
    classes, indices = np.unique(y, return_inverse=True)
    if classes.shape[0] < 2:
        raise ValueError(
            f"{owner}: expected at least 2 classes in y, got 1 class ({classes.tolist()[0]!r})"
        )
    return classes, indices.ravel()


def _as_float_array(owner: str, value: Any, name: str) -> np.ndarray:
    if type(value).__module__.startswith("scipy.sparse"):
        # Densifying silently could exhaust memory; the caller decides.
        raise TypeError(
            f"{owner}: sparse input is not supported, got a {type(value).__name__} {name}; "
            f"pass a dense array ({name}.toarray())"
        )
    try:
        array = np.asarray(value)
        if array.dtype.kind != "c":
            return np.asarray(array, dtype=np.float64)
    except TypeError as err:  # e.g. a dict among the entries of an object array
        raise TypeError(f"{owner}: expected numeric {name}: {err}") from err
    except ValueError as err:  # e.g. strings that are not numbers, ragged rows
        raise ValueError(f"{owner}: expected numeric {name}: {err}") from err
    raise ValueError(f"{owner}: Complex data not supported; got {name} of dtype {array.dtype}")
