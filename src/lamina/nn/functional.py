"""Stateless network functions, named as in ``torch.nn.functional`` (import as ``F``).

The formulas live in ``lamina.ops``; this module is the users' door to them.
"""

from lamina.ops import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    dropout,
    elu,
    l1_loss,
    leaky_relu,
    linear,
    log_softmax,
    mse_loss,
    nll_loss,
    pad,
    pairwise_distance,
    relu,
    sigmoid,
    softmax,
    softplus,
    tanh,
    triplet_margin_loss,
)

__all__ = [
    "binary_cross_entropy", "binary_cross_entropy_with_logits", "cross_entropy", "dropout",
    "elu", "l1_loss", "leaky_relu", "linear", "log_softmax", "mse_loss", "nll_loss", "pad",
    "pairwise_distance", "relu", "sigmoid", "softmax", "softplus", "tanh",
    "triplet_margin_loss",
]  # fmt: skip
