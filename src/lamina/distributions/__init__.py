"""Probability distributions with PyTorch's names: sampling, log-probabilities, entropy.

``log_prob`` and ``entropy`` are built from lamina ops, so gradients flow to the parameters:
a policy-gradient loss is ``-(dist.log_prob(action) * reward).mean()``. ``Normal.rsample``
draws with the reparameterization trick, so a sample itself is differentiable.
"""

from lamina.distributions import (
    bernoulli,
    categorical,
    distribution,
    normal,
)
from lamina.distributions.bernoulli import *  # noqa: F403
from lamina.distributions.categorical import *  # noqa: F403
from lamina.distributions.distribution import *  # noqa: F403
from lamina.distributions.normal import *  # noqa: F403

_MODULES = (bernoulli, categorical, distribution, normal)
__all__ = sorted({name for m in _MODULES for name in m.__all__})
