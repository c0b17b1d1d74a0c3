"""lamina: a deep-learning library built from first principles on NumPy.

>>> import lamina
>>> x = lamina.tensor([1.0, 2.0], requires_grad=True)
>>> (x ** 2).sum().backward()
>>> x.grad
tensor([2., 4.])
"""

import os

import numpy as np

from lamina.autodiff import (
    Tensor,
    default_dtype,
    device,
    enable_grad,
    get_default_dtype,
    grad,
    gradcheck,
    gradgradcheck,
    is_grad_enabled,
    jacobian,
    manual_seed,
    no_grad,
    set_default_dtype,
    set_grad_enabled,
    tensor,
)
from lamina.memory import keep_freed_memory
from lamina.nn.summary import summary
from lamina.ops import (
    abs,
    argmax,
    argmin,
    cat,
    chunk,
    clamp,
    clip,
    exp,
    flatten,
    gather,
    log,
    log1p,
    logsumexp,
    matmul,
    max,
    maximum,
    mean,
    min,
    minimum,
    permute,
    reshape,
    sigmoid,
    split,
    sqrt,
    squeeze,
    stack,
    std,
    sum,
    tanh,
    transpose,
    unsqueeze,
    var,
    where,
)
from lamina.ops.creation import (
    arange,
    empty,
    eye,
    full,
    ones,
    ones_like,
    rand,
    randn,
    zeros,
    zeros_like,
)
from lamina.ops.random import (
    bernoulli,
    multinomial,
    normal,
    rand_like,
    randint,
    randint_like,
    randn_like,
    randperm,
)
from lamina.serialization import load, save

if os.environ.get("LAMINA_KEEP_FREED_MEMORY", "1") != "0":  # see lamina.memory
    keep_freed_memory()

float32 = np.dtype(np.float32)
float64 = np.dtype(np.float64)
int64 = np.dtype(np.int64)
bool_ = np.dtype(np.bool_)

__version__ = "0.1.0"

__all__ = [
    "Tensor", "abs", "arange", "argmax", "argmin", "bool_", "cat", "chunk", "clamp", "clip",
    "default_dtype", "device", "empty", "enable_grad", "exp", "eye", "flatten", "float32", "float64", "full",
    "gather", "get_default_dtype", "grad", "gradcheck", "gradgradcheck", "int64",
    "is_grad_enabled", "jacobian", "load", "log", "log1p", "logsumexp", "manual_seed", "matmul",
    "max", "maximum", "mean", "min", "minimum", "no_grad", "ones", "ones_like", "permute", "rand",
    "randn", "reshape", "save", "set_default_dtype", "set_grad_enabled", "sigmoid", "split",
    "sqrt", "squeeze", "stack", "std", "sum", "summary", "tanh", "tensor", "transpose",
    "unsqueeze", "var", "where", "zeros", "zeros_like",
    # random sampling
    "bernoulli", "multinomial", "normal", "rand_like", "randint", "randint_like", "randn_like",
    "randperm",
]  # fmt: skip
