"""lamina: a deep-learning library built from first principles on NumPy.

>>> import lamina
>>> x = lamina.tensor([1.0, 2.0], requires_grad=True)
>>> (x ** 2).sum().backward()
>>> x.grad
tensor([2., 4.])

``import lamina`` loads nothing but NumPy and this file: the tensor names (``lamina.tensor``,
``lamina.exp``, ...) and the sub-packages (``lamina.nn``, ``lamina.optim``, ...) are loaded on
first use (PEP 562), so ``import lamina.classic`` or ``import lamina.text`` alone stays light,
and importing lamina changes nothing outside it (see README, "Global state").
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # what the lazy names below resolve to, for type checkers and readers
    from lamina.autodiff import *  # noqa: F403
    from lamina.nn.model_summary import summary as summary
    from lamina.ops import *  # noqa: F403
    from lamina.serialization import load as load
    from lamina.serialization import save as save

__version__ = "0.1.0"

# dtypes, with PyTorch's names too (lamina.float is float32, as torch.float is)
float32 = np.dtype(np.float32)
float64 = np.dtype(np.float64)
float16 = np.dtype(np.float16)  # named so that it can be refused clearly
int64 = np.dtype(np.int64)
int32 = np.dtype(np.int32)
int16 = np.dtype(np.int16)
int8 = np.dtype(np.int8)
uint8 = np.dtype(np.uint8)
bool_ = np.dtype(np.bool_)
_DTYPES = {
    "float32": float32,
    "float64": float64,
    "float16": float16,
    "int64": int64,
    "int32": int32,
    "int16": int16,
    "int8": int8,
    "uint8": uint8,
    "bool_": bool_,
    "float": float32,
    "double": float64,
    "half": float16,
    "long": int64,
    "int": int32,
    "bool": bool_,
}

_SUBPACKAGES = frozenset(
    {
        "accelerator",
        "autodiff",
        "autograd",
        "backends",
        "classic",
        "cuda",
        "data",
        "datasets",
        "distributions",
        "errors",
        "metrics",
        "models",
        "nn",
        "ops",
        "optim",
        "serialization",
        "text",
        "training",
        "utils",
    }
)

# The top-level functions: every public name of these modules (their own ``__all__``).
_FUNCTION_MODULES = ("lamina.ops", "lamina.autodiff", "lamina.serialization")
_SINGLE = {"summary": "lamina.nn.model_summary"}
_NOT_TOP_LEVEL = frozenset({"inplace", "backward", "Function"})  # lamina.autograd has these


def _function_names() -> dict[str, str]:
    names = dict(_SINGLE)
    for module in _FUNCTION_MODULES:
        for name in importlib.import_module(module).__all__:
            if name not in _NOT_TOP_LEVEL:
                names.setdefault(name, module)
    return names


def __getattr__(name: str) -> Any:
    if name in _DTYPES:
        value = _DTYPES[name]
    elif name in _SUBPACKAGES:
        value = importlib.import_module(f"lamina.{name}")
    elif name == "__all__":
        value = sorted({*_function_names(), *_DTYPES, *_SUBPACKAGES})
    else:
        module = _function_names().get(name)
        if module is None:
            raise AttributeError(f"module 'lamina' has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # the next lookup is an ordinary one
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__getattr__("__all__")})
