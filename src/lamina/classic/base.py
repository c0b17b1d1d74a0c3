"""The estimator contract shared by every model of :mod:`lamina.classic`.

It follows scikit-learn's: the constructor only stores its arguments, ``fit`` validates its
input, sets trailing-underscore attributes (``n_features_in_`` always) and returns ``self``,
and every later method checks that the estimator is fitted and that the feature count matches.
"""

from __future__ import annotations

import inspect
from typing import Any, Protocol

import numpy as np

from lamina.classic.validation import as_2d_float_array, as_class_labels, as_target, bridged
from lamina.errors import NotFittedError, ShapeError

__all__ = [
    "BaseEstimator",
    "ClassifierMixin",
    "ConvergenceWarning",
    "RegressorMixin",
    "TransformerMixin",
]


class ConvergenceWarning(UserWarning):
    """An iterative solver stopped at its iteration limit before reaching its tolerance."""


class BaseEstimator:
    """Base class: parameters by constructor introspection, input checks, fitted checks.

    Subclasses list every hyperparameter as an explicit keyword of ``__init__`` and store it
    unchanged under the same name; ``get_params`` reads them back through the signature.
    """

    @classmethod
    def _param_names(cls) -> list[str]:
        signature = inspect.signature(cls.__init__)
        return [
            p.name
            for p in signature.parameters.values()
            if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        ]

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Return the constructor arguments as a dict (``deep`` is kept for compatibility)."""
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params: Any) -> BaseEstimator:
        """Set constructor arguments by name and return ``self``.

        Raises
        ------
        ValueError
            If a name is not a parameter of this estimator.
        """
        valid = self._param_names()
        for name, value in params.items():
            if name not in valid:
                raise ValueError(
                    f"{type(self).__name__}.set_params: expected one of {valid}, got {name!r}"
                )
            setattr(self, name, value)
        return self

    def __sklearn_tags__(self) -> Any:
        """Describe the estimator to scikit-learn (``check_estimator``, ``GridSearchCV``).

        Only scikit-learn calls this, so scikit-learn is imported here and never at import of
        :mod:`lamina.classic`, which needs NumPy only. The mixins refine the tags through
        ``super()``, as scikit-learn's own mixins do.
        """
        from sklearn.utils import Tags, TargetTags

        return Tags(
            estimator_type=None,
            target_tags=TargetTags(required=False),
            transformer_tags=None,
            regressor_tags=None,
            classifier_tags=None,
        )

    def __sklearn_is_fitted__(self) -> bool:
        """Return whether ``fit`` has run (what scikit-learn's ``check_is_fitted`` asks)."""
        return hasattr(self, "n_features_in_")

    def __repr__(self) -> str:
        defaults = {
            p.name: p.default for p in inspect.signature(type(self).__init__).parameters.values()
        }
        shown = [
            f"{k}={v!r}" for k, v in self.get_params().items() if not _same(v, defaults.get(k))
        ]
        return f"{type(self).__name__}({', '.join(shown)})"

    # -- input validation -------------------------------------------------------------------

    def _owner(self, method: str) -> str:
        return f"{type(self).__name__}.{method}"

    def _validate_X(self, X: Any, method: str, reset: bool = False) -> np.ndarray:
        """Return ``X`` as a finite 2-D float64 array; check or set ``n_features_in_``."""
        owner = self._owner(method)
        if not reset:
            self._check_fitted(method)
        X = as_2d_float_array(owner, X)
        if reset:
            self.n_features_in_ = X.shape[1]
        elif X.shape[1] != self.n_features_in_:
            name = type(self).__name__
            raise ShapeError(
                f"{owner}: X has {X.shape[1]} features, but {name} is expecting "
                f"{self.n_features_in_} features as input"
            )
        return X

    def _validate_y(self, y: Any, n_samples: int, method: str, numeric: bool) -> np.ndarray:
        """Return ``y`` as a 1-D array of ``n_samples`` entries (finite float64 if numeric)."""
        return as_target(self._owner(method), y, n_samples, numeric)

    def _check_fitted(self, method: str) -> None:
        if not hasattr(self, "n_features_in_"):
            name = type(self).__name__
            raise bridged(NotFittedError, "NotFittedError")(
                f"{self._owner(method)}: this {name} is not fitted yet; call fit first"
            )


class _Predictor(Protocol):
    """What ``score`` needs of the estimator a mixin is combined with."""

    def predict(self, X: Any) -> np.ndarray: ...

    def _validate_y(self, y: Any, n_samples: int, method: str, numeric: bool) -> np.ndarray: ...


class _Transformer(Protocol):
    """What ``fit_transform`` needs of the estimator ``TransformerMixin`` is combined with."""

    def fit(self, X: Any, y: Any) -> _Transformer: ...

    def transform(self, X: Any) -> np.ndarray: ...


# Each mixin's super().__sklearn_tags__() reaches BaseEstimator (or scikit-learn's) only in
# the class that combines them, which mypy cannot see from the mixin: hence type: ignore[misc].


class RegressorMixin:
    """Adds ``score``: the coefficient of determination R**2 of ``predict``."""

    def __sklearn_tags__(self) -> Any:
        """Tag a regressor for scikit-learn: a target is required."""
        from sklearn.utils import RegressorTags

        tags = super().__sklearn_tags__()  # type: ignore[misc]
        tags.estimator_type = "regressor"
        tags.regressor_tags = RegressorTags()
        tags.target_tags.required = True
        return tags

    def score(self: _Predictor, X: Any, y: Any) -> float:
        """Return R**2 = 1 - sum_i (y_i - yhat_i)**2 / sum_i (y_i - mean(y))**2."""
        y_pred = self.predict(X)
        y = self._validate_y(y, y_pred.shape[0], "score", numeric=True)
        ss_res = float(np.sum((y - y_pred) ** 2))
        ss_tot = float(np.sum((y - y.mean()) ** 2))
        return 1.0 - ss_res / ss_tot if ss_tot > 0 else (1.0 if ss_res == 0 else 0.0)


class ClassifierMixin:
    """Adds label encoding for ``fit`` and ``score``: the accuracy of ``predict``."""

    def __sklearn_tags__(self) -> Any:
        """Tag a classifier for scikit-learn: a target is required."""
        from sklearn.utils import ClassifierTags

        tags = super().__sklearn_tags__()  # type: ignore[misc]
        tags.estimator_type = "classifier"
        tags.classifier_tags = ClassifierTags()
        tags.target_tags.required = True
        return tags

    def _encode_labels(self, y: np.ndarray, method: str = "fit") -> np.ndarray:
        """Set ``classes_`` (sorted unique labels) and return y as indices into it."""
        self.classes_, indices = as_class_labels(f"{type(self).__name__}.{method}", y)
        return indices

    def score(self: _Predictor, X: Any, y: Any) -> float:
        """Return the accuracy: the fraction of samples whose label ``predict`` gets right."""
        y_pred = self.predict(X)
        y = self._validate_y(y, y_pred.shape[0], "score", numeric=False)
        return float(np.mean(y_pred == y))


class TransformerMixin:
    """Adds ``fit_transform``."""

    def __sklearn_tags__(self) -> Any:
        """Tag a transformer for scikit-learn."""
        from sklearn.utils import TransformerTags

        tags = super().__sklearn_tags__()  # type: ignore[misc]
        tags.transformer_tags = TransformerTags()
        return tags

    def fit_transform(self: _Transformer, X: Any, y: Any = None) -> np.ndarray:
        """Fit to ``X`` (and ``y`` where used), then return ``transform(X)``."""
        return self.fit(X, y).transform(X)


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a == b) and type(a) is type(b)
    except (TypeError, ValueError):
        return False
