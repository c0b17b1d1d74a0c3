"""Neural-network building blocks: ``Module``, layers, losses, initializers."""

from lamina.nn import functional, init
from lamina.nn.activation import ELU, LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Softplus, Tanh
from lamina.nn.container import ModuleDict, ModuleList, Sequential
from lamina.nn.dropout import Dropout
from lamina.nn.linear import Flatten, Identity, Linear
from lamina.nn.loss import (
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    L1Loss,
    MSELoss,
    NLLLoss,
    TripletMarginLoss,
)
from lamina.nn.module import IncompatibleKeys, Module, StateDictError
from lamina.nn.parameter import Buffer, Parameter
from lamina.nn.summary import Summary, summary

__all__ = [
    "ELU",
    "BCELoss",
    "BCEWithLogitsLoss",
    "Buffer",
    "CrossEntropyLoss",
    "Dropout",
    "Flatten",
    "Identity",
    "IncompatibleKeys",
    "L1Loss",
    "LeakyReLU",
    "Linear",
    "LogSoftmax",
    "MSELoss",
    "Module",
    "ModuleDict",
    "ModuleList",
    "NLLLoss",
    "Parameter",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Softmax",
    "Softplus",
    "StateDictError",
    "Summary",
    "Tanh",
    "TripletMarginLoss",
    "functional",
    "init",
    "summary",
]  # fmt: skip
