"""Hyper-parameter search: grid and random search scored by k-fold cross-validation.

The contract is scikit-learn's: ``build(**params)`` returns a fresh estimator with
``fit(X, y)`` and ``score(X, y)`` (higher is better). Every estimator of ``lamina.classic``
satisfies it as a class (``grid_search(Ridge, {"alpha": [0.1, 1.0]}, X, y)``); a network is
wrapped by ``NetworkEstimator``, whose keyword arguments (lr, epochs, weight decay and those of
the network builder, e.g. a hidden size) are searched the same way.
"""

from __future__ import annotations

import inspect
import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from lamina.data.split import KFold
from lamina.errors import ShapeError, check_positive_int, check_seed

__all__ = [
    "SearchResult",
    "cross_val_score",
    "grid_search",
    "log_uniform",
    "random_search",
]

Scorer = Callable[[Any, np.ndarray, np.ndarray], float]


# ---------------------------------------------------------------------------- cross-validation
def _folds(
    owner: str, cv: Any, X: np.ndarray, y: np.ndarray
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Index pairs from an int (unshuffled ``KFold``), a splitter with ``split`` or pairs."""
    if isinstance(cv, (int, np.integer)) and not isinstance(cv, bool):
        cv = KFold(int(cv))
    splits = cv.split(X, y) if hasattr(cv, "split") else cv
    folds = [(np.asarray(tr), np.asarray(te)) for tr, te in splits]
    if not folds:
        raise ValueError(f"{owner}: cv gave no folds, got {cv!r}")
    return folds


def _score_folds(
    build: Callable[..., Any],
    params: Mapping[str, Any],
    X: np.ndarray,
    y: np.ndarray,
    folds: Sequence[tuple[np.ndarray, np.ndarray]],
    scoring: Scorer | None,
) -> np.ndarray:
    scores = []
    for train, test in folds:
        est = build(**params)
        est.fit(X[train], y[train])
        value = scoring(est, X[test], y[test]) if scoring else est.score(X[test], y[test])
        scores.append(float(value))
    return np.asarray(scores)


def _arrays(owner: str, X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    X, y = np.asarray(getattr(X, "data", X)), np.asarray(getattr(y, "data", y))
    if X.ndim == 0 or y.ndim == 0 or X.shape[0] != y.shape[0]:
        raise ShapeError(f"{owner}: X and y must have the same length, got {X.shape} and {y.shape}")
    return X, y


def cross_val_score(
    build: Callable[..., Any],
    X: Any,
    y: Any,
    cv: Any = 3,
    scoring: Scorer | None = None,
    params: Mapping[str, Any] | None = None,
) -> np.ndarray:
    """The score of ``build(**params)`` on each held-out fold, trained on the other folds.

    Parameters
    ----------
    build : callable
        ``build(**params)`` returns a fresh estimator with ``fit(X, y)`` and ``score(X, y)``.
    X : array_like of shape (n, ...)
    y : array_like of shape (n, ...)
    cv : int, splitter or iterable of (train, test) index pairs, default=3
        An int k means ``KFold(k)`` without shuffling (consecutive folds, as scikit-learn's
        ``KFold``; classes are not stratified). A splitter has ``split(X, y)``.
    scoring : callable or None, default=None
        ``scoring(estimator, X_test, y_test) -> float``, higher is better; None uses
        ``estimator.score``.
    params : dict or None, default=None

    Returns
    -------
    ndarray of shape (n_folds,)
    """
    X, y = _arrays("cross_val_score", X, y)
    return _score_folds(
        build, dict(params or {}), X, y, _folds("cross_val_score", cv, X, y), scoring
    )


# ---------------------------------------------------------------------------- results
@dataclass
class SearchResult:
    """The configurations tried, best first.

    Attributes
    ----------
    rows : list of dict
        One per configuration, sorted by mean score, best first (ties keep the order tried):
        ``{"params", "mean_score", "std_score", "fold_scores", "rank"}``; std is the population
        standard deviation over folds, as scikit-learn's ``std_test_score``.
    best_params_ : dict
    best_score_ : float
        The best mean score.
    """

    rows: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def from_scores(
        cls, configs: Sequence[dict[str, Any]], scores: Sequence[np.ndarray]
    ) -> SearchResult:
        """Rank configurations by their mean fold score, highest first."""
        rows: list[dict[str, Any]] = [
            {
                "params": dict(p),
                "mean_score": float(s.mean()),
                "std_score": float(s.std()),
                "fold_scores": [float(v) for v in s],
            }
            for p, s in zip(configs, scores, strict=True)
        ]
        # NaN means rank last, as scikit-learn ranks a failed configuration.
        rows.sort(key=lambda r: -r["mean_score"] if np.isfinite(r["mean_score"]) else np.inf)
        for rank, row in enumerate(rows, 1):
            row["rank"] = rank
        return cls(rows)

    @property
    def best_params_(self) -> dict[str, Any]:
        return dict(self.rows[0]["params"])

    @property
    def best_score_(self) -> float:
        return float(self.rows[0]["mean_score"])

    def __len__(self) -> int:
        return len(self.rows)

    def to_text(self, digits: int = 4) -> str:
        """A plain-text table: rank, mean, std, each parameter and the fold scores."""
        keys = list(dict.fromkeys(k for r in self.rows for k in r["params"]))
        header = ["rank", "mean", "std", *keys, "folds"]
        body = [
            [
                str(r["rank"]),
                f"{r['mean_score']:.{digits}f}",
                f"{r['std_score']:.{digits}f}",
                *(format_value(r["params"].get(k, "")) for k in keys),
                " ".join(f"{v:.{digits}f}" for v in r["fold_scores"]),
            ]
            for r in self.rows
        ]
        widths = [max(len(c) for c in col) for col in zip(header, *body, strict=True)]
        lines = [
            "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip()
            for line in [header, *body]
        ]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        if not self.rows:
            return "SearchResult(rows=0)"
        best = f"best_score_={self.best_score_:.4g}, best_params_={self.best_params_}"
        return f"SearchResult(rows={len(self.rows)}, {best})"


def format_value(value: Any) -> str:
    """A short text for a parameter value: floats to 4 digits, functions by name."""
    if isinstance(value, float):
        return f"{value:.4g}"
    return getattr(value, "__name__", None) or str(value)


# ---------------------------------------------------------------------------- searches
def _run(
    owner: str,
    build: Callable[..., Any],
    configs: list[dict[str, Any]],
    X: Any,
    y: Any,
    cv: Any,
    scoring: Scorer | None,
) -> SearchResult:
    X, y = _arrays(owner, X, y)
    if not configs:
        raise ValueError(f"{owner}: expected at least one configuration, got none")
    folds = _folds(owner, cv, X, y)  # computed once: every configuration sees the same folds
    scores = [_score_folds(build, p, X, y, folds, scoring) for p in configs]
    return SearchResult.from_scores(configs, scores)


def _grid(
    owner: str, param_grid: Mapping[str, Sequence[Any]] | Sequence[Mapping[str, Sequence[Any]]]
) -> list[dict[str, Any]]:
    grids = [param_grid] if isinstance(param_grid, Mapping) else list(param_grid)
    configs = []
    for grid in grids:
        for key, values in grid.items():
            if isinstance(values, str) or not isinstance(values, Iterable):
                raise TypeError(f"{owner}: values of {key!r} must be a list, got {values!r}")
        keys = list(grid)
        configs += [
            dict(zip(keys, combo, strict=True))
            for combo in itertools.product(*(list(grid[k]) for k in keys))
        ]
    return configs


def _with_seed(build: Callable[..., Any], seed: int | None) -> Callable[..., Any]:
    """``build`` with ``seed=seed`` as a default when it takes a ``seed`` argument."""
    try:
        takes_seed = "seed" in inspect.signature(build).parameters
    except (TypeError, ValueError):  # callables without a signature
        takes_seed = False
    fixed = getattr(build, "keywords", None) or {}  # functools.partial(..., seed=5) wins
    if not takes_seed or seed is None or "seed" in fixed:
        return build
    return lambda **params: build(**{"seed": seed, **params})


def grid_search(
    build: Callable[..., Any],
    param_grid: Mapping[str, Sequence[Any]] | Sequence[Mapping[str, Sequence[Any]]],
    X: Any,
    y: Any,
    cv: Any = 3,
    scoring: Scorer | None = None,
    seed: int | None = 0,
) -> SearchResult:
    """Try every combination of ``param_grid``, scored by k-fold cross-validation.

    Parameters
    ----------
    build : callable
        ``build(**params)`` returns a fresh estimator with ``fit`` and ``score`` (an estimator
        class, ``functools.partial(NetworkEstimator, make_net, epochs=5)``, ...).
    param_grid : dict of name -> list, or a list of such dicts
        Every combination of each dict is tried, in ``itertools.product`` order.
    X, y : array_like of shape (n, ...)
    cv : int, splitter or iterable of (train, test) pairs, default=3
        See ``cross_val_score``; every configuration is scored on the same folds.
    scoring : callable or None, default=None
        ``scoring(estimator, X, y) -> float``; None uses ``estimator.score``.
    seed : int or None, default=0
        Passed as ``seed=`` to ``build`` when it takes a ``seed`` argument that the
        configuration does not set (e.g. ``NetworkEstimator``), so runs repeat exactly.

    Returns
    -------
    SearchResult

    Examples
    --------
    >>> from lamina.classic import Ridge
    >>> X = np.arange(20.0).reshape(10, 2); y = X @ [1.0, 2.0]
    >>> grid_search(Ridge, {"alpha": [0.1, 10.0]}, X, y).best_params_
    {'alpha': 0.1}
    """
    configs = _grid("grid_search", param_grid)
    return _run("grid_search", _with_seed(build, seed), configs, X, y, cv, scoring)


def log_uniform(low: float, high: float) -> Callable[[np.random.Generator], float]:
    """A sampler for ``random_search``: ``exp(uniform(log(low), log(high)))``, e.g. for lr."""
    if not 0 < low < high:
        raise ValueError(f"log_uniform: expected 0 < low < high, got low={low}, high={high}")
    lo, hi = np.log(low), np.log(high)
    return lambda rng: float(np.exp(rng.uniform(lo, hi)))


def _sample(owner: str, space: Mapping[str, Any], rng: np.random.Generator) -> dict[str, Any]:
    params = {}
    for key, source in space.items():
        if callable(source):
            params[key] = source(rng)
        elif (
            isinstance(source, str)
            or not isinstance(source, Sequence | np.ndarray)
            or not len(source)
        ):
            raise TypeError(
                f"{owner}: {key!r} must be a non-empty list or a callable rng -> value, "
                f"got {source!r}"
            )
        else:
            params[key] = source[int(rng.integers(len(source)))]
    return params


def random_search(
    build: Callable[..., Any],
    param_distributions: Mapping[str, Any],
    X: Any,
    y: Any,
    n_iter: int = 10,
    cv: Any = 3,
    scoring: Scorer | None = None,
    seed: int | None = 0,
    *,
    rng: np.random.Generator | None = None,
) -> SearchResult:
    """Try ``n_iter`` random configurations, scored by k-fold cross-validation.

    Parameters
    ----------
    build : callable
        As in ``grid_search``.
    param_distributions : dict of name -> list or callable
        A list is sampled uniformly (with replacement); a callable ``rng -> value`` is called,
        e.g. ``log_uniform(1e-4, 1e-1)``. Keys are sampled in order, so a seed fixes the run.
    X, y : array_like of shape (n, ...)
    n_iter : int, default=10
    cv : int, splitter or iterable of (train, test) pairs, default=3
    scoring : callable or None, default=None
    seed : int or None, default=0
        Seeds the sampling generator; also passed to ``build`` as in ``grid_search``.
    rng : numpy.random.Generator or None, default=None
        Used instead of a generator made from ``seed``.

    Returns
    -------
    SearchResult
    """
    check_positive_int("random_search", n_iter=n_iter)
    gen = rng if rng is not None else np.random.default_rng(check_seed("random_search", seed))
    configs = [_sample("random_search", param_distributions, gen) for _ in range(n_iter)]
    return _run("random_search", _with_seed(build, seed), configs, X, y, cv, scoring)


# ---------------------------------------------------------------------------- networks
