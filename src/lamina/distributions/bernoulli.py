"""The Bernoulli distribution over {0, 1}, parameterized by probabilities or by logits."""

from __future__ import annotations

from typing import Any

import numpy as np

from lamina.autodiff.tensor import Tensor
from lamina.distributions.distribution import Distribution, as_param, sample_shape_of
from lamina.ops import clip, log, log1p, sigmoid
from lamina.ops.elementwise import log1pexp
from lamina.ops.random import bernoulli
from lamina.ops.shape import broadcast_to

__all__ = [
    "Bernoulli",
]


def check_probs_or_logits(owner: str, probs: Any, logits: Any) -> None:
    """Exactly one of ``probs`` and ``logits`` must be given."""
    if (probs is None) == (logits is None):
        got = "both" if probs is not None else "neither"
        raise ValueError(f"{owner}: expected exactly one of probs or logits, got {got}")


class Bernoulli(Distribution):
    """Bernoulli distribution: P(X = 1) = p, P(X = 0) = 1 - p, with p = sigmoid(logits).

    log p(x) = x * logits - log(1 + exp(logits))      (stable softplus form, no log(0))
    H = log(1 + exp(logits)) - p * logits
    mean = p;  variance = p * (1 - p)

    Parameters
    ----------
    probs : Tensor or float, optional
        P(X = 1), in [0, 1]. Its logits are log(p) - log(1 - p), with p clamped to
        [eps, 1 - eps] (eps the dtype's machine epsilon) as PyTorch does.
    logits : Tensor or float, optional
        log-odds log(p / (1 - p)); give exactly one of probs and logits.
    validate_args : bool, optional
        Check the parameters and the values given to ``log_prob`` (default True).

    Examples
    --------
    >>> d = Bernoulli(probs=Tensor([0.0, 0.5, 1.0]))
    >>> d.sample((2,)).shape, d.variance.tolist()
    ((2, 3), [0.0, 0.25, 0.0])
    """

    def __init__(
        self, probs: Any = None, logits: Any = None, validate_args: bool | None = None
    ) -> None:
        check_probs_or_logits("Bernoulli", probs, logits)
        self._probs = None if probs is None else as_param(probs)
        self._logits = None if logits is None else as_param(logits)
        param = self._probs if self._probs is not None else self._logits
        assert param is not None
        super().__init__(param.shape, (), validate_args)
        if self._validate_args:
            data = param.data
            if self._probs is not None and not ((data >= 0) & (data <= 1)).all():
                bad = data[~((data >= 0) & (data <= 1))].flat[0]
                raise ValueError(f"Bernoulli: probs must be in [0, 1], got {bad}")
            if self._logits is not None and np.isnan(data).any():
                raise ValueError("Bernoulli: logits must be real numbers, got NaN")

    @property
    def probs(self) -> Tensor:
        """P(X = 1)."""
        if self._probs is not None:
            return self._probs
        assert self._logits is not None  # exactly one of the two is held
        return sigmoid(self._logits)

    @property
    def logits(self) -> Tensor:
        """log(p / (1 - p))."""
        if self._logits is not None:
            return self._logits
        assert self._probs is not None  # exactly one of the two is held
        eps = float(np.finfo(self._probs.dtype).eps)
        p = clip(self._probs, eps, 1 - eps)
        return log(p) - log1p(-p)

    @property
    def mean(self) -> Tensor:
        return self.probs

    @property
    def mode(self) -> Tensor:
        """1 where p > 1/2, 0 where p < 1/2, NaN at p = 1/2 (as PyTorch)."""
        p = self.probs.data
        return Tensor._wrap(np.where(p == 0.5, np.nan, (p > 0.5)).astype(p.dtype))

    @property
    def variance(self) -> Tensor:
        p = self.probs
        return p * (1 - p)

    def sample(self, sample_shape: Any = ()) -> Tensor:
        shape = self._extended_shape(sample_shape_of("Bernoulli", sample_shape))
        p = np.broadcast_to(self.probs.data, shape)
        return bernoulli(Tensor._wrap(np.ascontiguousarray(p)))

    def log_prob(self, value: Any) -> Tensor:
        logits = self.logits
        value = as_param(value, logits)
        if self._validate_args and not np.isin(value.data, (0, 1)).all():
            raise ValueError("Bernoulli.log_prob: value must be 0 or 1")
        shape = np.broadcast_shapes(logits.shape, value.shape)
        if logits.shape != shape:
            logits = broadcast_to(logits, shape)
        return value * logits - log1pexp(logits)

    def entropy(self) -> Tensor:
        logits = self.logits
        return log1pexp(logits) - self.probs * logits

    def __repr__(self) -> str:
        name = "probs" if self._probs is not None else "logits"
        return f"Bernoulli({name}: {self.batch_shape})"
