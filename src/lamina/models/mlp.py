"""A multi-layer perceptron: Linear layers with an activation between them."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

from lamina.autodiff.tensor import Tensor
from lamina.nn.activation import ELU, LeakyReLU, ReLU, Sigmoid, Tanh
from lamina.nn.container import Sequential
from lamina.nn.dropout import Dropout
from lamina.nn.linear import Flatten, Linear
from lamina.nn.module import Module

__all__ = ["MLP"]

_ACTIVATIONS = {"relu": ReLU, "tanh": Tanh, "sigmoid": Sigmoid, "elu": ELU, "leaky_relu": LeakyReLU}


class MLP(Module):
    """y = W_L act(... act(W_1 x + b_1) ...) + b_L, inputs flattened first.

    Parameters
    ----------
    sizes : sequence of int
        Input size, hidden sizes..., output size, e.g. (64, 128, 10).
    activation : {"relu", "tanh", "sigmoid", "elu", "leaky_relu"}
    dropout : float
        Dropout after each hidden activation (0 for none).
    """

    def __init__(
        self,
        sizes: Sequence[int],
        activation: str = "relu",
        dropout: float = 0.0,
        *,
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__()
        if len(sizes) < 2:
            raise ValueError(f"MLP: sizes needs an input and an output size, got {tuple(sizes)}")
        if activation not in _ACTIVATIONS:
            raise ValueError(
                f"MLP: activation must be one of {sorted(_ACTIVATIONS)}, got {activation!r}"
            )
        layers: list[Module] = [Flatten()]
        for i, (a, b) in enumerate(itertools.pairwise(sizes)):
            layers.append(Linear(a, b, rng=rng))
            if i < len(sizes) - 2:
                layers.append(_ACTIVATIONS[activation]())
                if dropout:
                    layers.append(Dropout(dropout))
        self.layers = Sequential(*layers)

    def forward(self, x: Tensor) -> Tensor:
        return self.layers(x)
