"""The categorical distribution over {0, ..., K - 1}, parameterized by probabilities or logits."""

from __future__ import annotations

from typing import Any

import numpy as np

from lamina.autodiff.tensor import Tensor
from lamina.distributions.bernoulli import check_probs_or_logits
from lamina.distributions.distribution import Distribution, as_param, sample_shape_of
from lamina.ops import clip, gather, log, logsumexp, softmax, squeeze, sum
from lamina.ops.random import multinomial
from lamina.ops.shape import broadcast_to

__all__ = ["Categorical"]


class Categorical(Distribution):
    """Categorical distribution: P(X = k) = p_k for k in {0, ..., K - 1}, over the last dim.

    p = probs / sum(probs)  or  p = softmax(logits)
    l = logits - logsumexp(logits)        (normalized logits, a log-softmax)
    log p(k) = l_k                        (gathered from l: no log(0) is taken)
    H = -sum_k p_k * l_k

    Parameters
    ----------
    probs : Tensor, shape (..., K), optional
        Non-negative weights, normalized along the last dimension. Its logits are
        log(clamp(p, eps, 1 - eps)), eps the dtype's machine epsilon, as in PyTorch.
    logits : Tensor, shape (..., K), optional
        Unnormalized log-probabilities; give exactly one of probs and logits.
    validate_args : bool, optional
        Check the parameters and the values given to ``log_prob`` (default True).

    Notes
    -----
    ``batch_shape`` is the parameter's shape without its last dimension; ``sample`` returns
    indices (int64) of shape ``sample_shape + batch_shape``. ``mean`` and ``variance`` are NaN,
    as in PyTorch: categories are labels, not numbers.

    Examples
    --------
    >>> d = Categorical(probs=Tensor([0.0, 3.0, 1.0]))
    >>> d.probs.tolist(), d.sample((4,)).shape
    ([0.0, 0.75, 0.25], (4,))
    """

    def __init__(
        self, probs: Any = None, logits: Any = None, validate_args: bool | None = None
    ) -> None:
        check_probs_or_logits("Categorical", probs, logits)
        param = as_param(probs if probs is not None else logits)
        if param.ndim < 1:
            name = "probs" if probs is not None else "logits"
            raise ValueError(f"Categorical: {name} must be at least 1-D, got a 0-d tensor")
        validate = True if validate_args is None else validate_args
        if probs is not None:
            data = param.data
            if validate and not (np.isfinite(data).all() and (data >= 0).all()):
                raise ValueError(
                    f"Categorical: probs must be finite and >= 0, got min {np.nanmin(data)}"
                    if not np.isnan(data).any()
                    else "Categorical: probs must be finite and >= 0, got NaN"
                )
            if validate and (data.sum(axis=-1) <= 0).any():
                raise ValueError("Categorical: probs must have a positive sum along the last dim")
            self._probs: Tensor | None = param / sum(param, -1, keepdim=True)
            self._logits: Tensor | None = None
        else:
            if validate and np.isnan(param.data).any():
                raise ValueError("Categorical: logits must be real numbers, got NaN")
            self._logits = param - logsumexp(param, -1, keepdim=True)
            self._probs = None
        self._num_events = param.shape[-1]
        super().__init__(param.shape[:-1], (), validate_args)

    @property
    def probs(self) -> Tensor:
        """P(X = k) along the last dimension (sums to 1)."""
        if self._probs is not None:
            return self._probs
        assert self._logits is not None  # exactly one of the two is held
        return softmax(self._logits, -1)

    @property
    def logits(self) -> Tensor:
        """Normalized log-probabilities, log P(X = k)."""
        if self._logits is not None:
            return self._logits
        assert self._probs is not None  # exactly one of the two is held
        eps = float(np.finfo(self._probs.dtype).eps)
        return log(clip(self._probs, eps, 1 - eps))

    @property
    def param_shape(self) -> tuple[int, ...]:
        """Shape of ``probs`` and ``logits``: batch_shape + (K,)."""
        return (*self.batch_shape, self._num_events)

    @property
    def mean(self) -> Tensor:
        return Tensor._wrap(np.full(self.batch_shape, np.nan, self.probs.dtype))

    @property
    def variance(self) -> Tensor:
        return Tensor._wrap(np.full(self.batch_shape, np.nan, self.probs.dtype))

    @property
    def mode(self) -> Tensor:
        """The most likely category."""
        return Tensor._wrap(self.probs.data.argmax(axis=-1).astype(np.int64))

    def sample(self, sample_shape: Any = ()) -> Tensor:
        shape = sample_shape_of("Categorical", sample_shape)
        n = int(np.prod(shape))
        if n == 0:
            return Tensor._wrap(np.zeros(self._extended_shape(shape), np.int64))
        probs_2d = self.probs.data.reshape(-1, self._num_events)
        draws = multinomial(Tensor._wrap(probs_2d), n, replacement=True).data.T
        return Tensor._wrap(np.ascontiguousarray(draws).reshape(self._extended_shape(shape)))

    def log_prob(self, value: Any) -> Tensor:
        index = np.asarray(value.data if isinstance(value, Tensor) else value)
        if self._validate_args:
            if index.dtype.kind not in "iub" and not (index == np.round(index)).all():
                raise ValueError(f"Categorical.log_prob: value must hold integers, got {index}")
            if index.size and (index.min() < 0 or index.max() >= self._num_events):
                raise ValueError(
                    f"Categorical.log_prob: value must lie in [0, {self._num_events}), got "
                    f"values in [{index.min()}, {index.max()}]"
                )
        index = index.astype(np.int64)
        shape = np.broadcast_shapes(index.shape, self.batch_shape)
        logits = broadcast_to(self.logits, (*shape, self._num_events))
        picked = gather(logits, -1, np.broadcast_to(index, shape)[..., None])
        return squeeze(picked, -1)

    def entropy(self) -> Tensor:
        lowest = float(np.finfo(self.logits.dtype).min)
        return -sum(clip(self.logits, lowest) * self.probs, -1)

    def __repr__(self) -> str:
        name = "probs" if self._probs is not None else "logits"
        return f"Categorical({name}: {self.param_shape})"
