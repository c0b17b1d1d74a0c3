"""Probability distributions with PyTorch's names: sampling, log-probabilities, entropy.

``log_prob`` and ``entropy`` are built from lamina ops, so gradients flow to the parameters:
a policy-gradient loss is ``-(dist.log_prob(action) * reward).mean()``. ``Normal.rsample``
draws with the reparameterization trick, so a sample itself is differentiable.
"""

from lamina.distributions.bernoulli import Bernoulli
from lamina.distributions.categorical import Categorical
from lamina.distributions.distribution import Distribution
from lamina.distributions.normal import Normal

__all__ = ["Bernoulli", "Categorical", "Distribution", "Normal"]
