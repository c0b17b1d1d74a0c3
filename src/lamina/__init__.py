"""lamina: a deep-learning library built from first principles on NumPy.

>>> import lamina
>>> x = lamina.tensor([1.0, 2.0], requires_grad=True)
>>> (x ** 2).sum().backward()
>>> x.grad
tensor([2., 4.])
"""

import os

import numpy as np

from lamina import distributions
from lamina.autodiff import (
    Tensor,
    default_dtype,
    device,
    enable_grad,
    get_default_dtype,
    grad,
    gradcheck,
    gradgradcheck,
    inference_mode,
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
    argsort,
    bmm,
    cat,
    chunk,
    clamp,
    clip,
    clone,
    cos,
    cumsum,
    einsum,
    eq,
    exp,
    flatten,
    gather,
    ge,
    gt,
    le,
    log,
    log1p,
    logsumexp,
    lt,
    masked_fill,
    matmul,
    max,
    maximum,
    mean,
    min,
    minimum,
    mm,
    narrow,
    ne,
    permute,
    pow,
    reshape,
    roll,
    sigmoid,
    sin,
    sort,
    split,
    sqrt,
    squeeze,
    stack,
    std,
    sum,
    t,
    tanh,
    topk,
    transpose,
    tril,
    triu,
    unsqueeze,
    var,
    where,
)
from lamina.ops.creation import (
    arange,
    as_tensor,
    empty,
    eye,
    from_numpy,
    full,
    linspace,
    logspace,
    ones,
    ones_like,
    rand,
    randn,
    zeros,
    zeros_like,
)
from lamina.ops.linalg import norm  # lamina.ops.norm is the module of batch_norm
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
float = float32  # noqa: A001 (these shadow builtins in this module only, after all uses)
double = float64
half = float16
long = int64
int = int32  # noqa: A001
bool = bool_  # noqa: A001

# Sub-packages reachable as attributes after ``import lamina``, imported on first use (PEP 562)
_SUBPACKAGES = frozenset(
    {
        "accelerator", "autodiff", "autograd", "backends", "classic", "cuda", "data", "datasets",
        "distributions", "metrics", "models", "nn", "ops", "optim", "text", "training", "utils",
    }
)  # fmt: skip


def __getattr__(name: str) -> object:
    if name in _SUBPACKAGES:
        import importlib

        return importlib.import_module(f"lamina.{name}")
    raise AttributeError(f"module 'lamina' has no attribute {name!r}")

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
    "distributions",
    # everyday functions (PyTorch names)
    "argsort", "as_tensor", "bmm", "clone", "cos", "cumsum", "einsum", "eq", "from_numpy", "ge",
    "gt", "inference_mode", "le", "linspace", "logspace", "lt", "masked_fill", "mm", "narrow",
    "ne", "norm", "pow", "roll", "sin", "sort", "t", "topk", "tril", "triu",
]  # fmt: skip
__all__ += [
    "bool", "double", "float", "float16", "half", "int", "int8", "int16", "int32", "long", "uint8",
]  # fmt: skip
