"""The networks of the course, ready to train."""

from lamina.models.lenet import LeNet5
from lamina.models.lm import CharRNN
from lamina.models.mlp import MLP

__all__ = ["MLP", "CharRNN", "LeNet5"]
