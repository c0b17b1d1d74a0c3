"""Neural-network building blocks: ``Module``, layers, losses, initializers."""

from lamina.nn import functional, init
from lamina.nn.container import ModuleDict, ModuleList, Sequential
from lamina.nn.linear import Flatten, Identity, Linear
from lamina.nn.module import IncompatibleKeys, Module, StateDictError
from lamina.nn.parameter import Buffer, Parameter

__all__ = [
    "Buffer", "Flatten", "Identity", "IncompatibleKeys", "Linear", "Module", "ModuleDict",
    "ModuleList", "Parameter", "Sequential", "StateDictError", "functional", "init",
]  # fmt: skip
