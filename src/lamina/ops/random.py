"""Random sampling with PyTorch's names: ``randint``, ``randperm``, ``multinomial``, ``normal``...

Every function draws from ``generator`` (a ``numpy.random.Generator``) when one is given, and
otherwise from lamina's default generator, so ``lamina.manual_seed(s)`` makes a program
reproducible. The values differ from PyTorch's (another generator), the distributions do not.
Samples are constants: no gradient flows through a draw (``distributions.Normal.rsample`` is
the reparameterized, differentiable way).
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Any

import numpy as np

from lamina.autodiff import grad_mode
from lamina.autodiff.device import check_device
from lamina.autodiff.random import default_generator
from lamina.autodiff.tensor import Tensor

__all__ = [
    "bernoulli",
    "multinomial",
    "normal",
    "rand_like",
    "randint",
    "randint_like",
    "randn_like",
    "randperm",
]


def _generator(owner: str, generator: Any) -> np.random.Generator:
    if generator is None:
        return default_generator()
    if not isinstance(generator, np.random.Generator):
        raise TypeError(
            f"{owner}: generator must be a numpy.random.Generator, got {type(generator).__name__}"
        )
    return generator


def _result(owner: str, data: np.ndarray, requires_grad: bool, device: Any) -> Tensor:
    """Wrap a sample as a leaf tensor, after checking ``device`` and ``requires_grad``."""
    check_device(owner, device)
    if requires_grad and data.dtype.kind != "f":
        raise TypeError(f"{owner}: only float tensors can require gradients, got {data.dtype}")
    t = Tensor._wrap(data)
    return t.requires_grad_(True) if requires_grad else t


def _float_dtype(owner: str, dtype: Any, like: np.dtype | None = None) -> np.dtype:
    dt = np.dtype(dtype) if dtype is not None else like or grad_mode.get_default_dtype()
    if dt.kind != "f":
        raise TypeError(f"{owner}: expected a floating-point dtype, got {dt}")
    return dt


def _int(owner: str, name: str, value: Any) -> int:
    try:
        return operator.index(value)
    except TypeError:
        raise TypeError(f"{owner}: {name} must be an integer, got {value!r}") from None


def _shape(owner: str, size: Any) -> tuple[int, ...]:
    """``size`` (an int or a sequence of ints, each >= 0) as a shape tuple."""
    sizes = (size,) if not isinstance(size, (Sequence, np.ndarray)) else tuple(size)
    shape = tuple(_int(owner, "size", n) for n in sizes)
    if any(n < 0 for n in shape):
        raise ValueError(f"{owner}: sizes must be non-negative, got {shape}")
    return shape


def _array(x: Any) -> np.ndarray:
    return x.data if isinstance(x, Tensor) else np.asarray(x)


def randn_like(
    input: Tensor,
    *,
    generator: np.random.Generator | None = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Standard normal samples, N(0, 1), with the shape (and dtype, unless given) of ``input``."""
    dt = _float_dtype("randn_like", dtype, _array(input).dtype)
    data = _generator("randn_like", generator).standard_normal(np.shape(_array(input)))
    return _result("randn_like", data.astype(dt), requires_grad, device)


def rand_like(
    input: Tensor,
    *,
    generator: np.random.Generator | None = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Uniform samples in [0, 1) with the shape (and dtype, unless given) of ``input``."""
    dt = _float_dtype("rand_like", dtype, _array(input).dtype)
    data = _generator("rand_like", generator).random(np.shape(_array(input)))
    return _result("rand_like", data.astype(dt), requires_grad, device)


def _integers(owner: str, low: Any, high: Any, shape: tuple[int, ...], generator: Any) -> Any:
    low, high = _int(owner, "low", low), _int(owner, "high", high)
    if high <= low:
        raise ValueError(
            f"{owner}: expected low < high (samples lie in [low, high)), got low={low}, high={high}"
        )
    return _generator(owner, generator).integers(low, high, size=shape, dtype=np.int64)


def randint(
    *args: Any,
    size: Sequence[int] | None = None,
    generator: np.random.Generator | None = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Integers drawn uniformly from [low, high): ``randint(high, size)`` or ``randint(low, high,
    size)``, int64 unless ``dtype`` says otherwise (as in PyTorch).

    Examples
    --------
    >>> randint(3, 10, (2, 3), generator=np.random.default_rng(0)).shape
    (2, 3)
    """
    if size is not None:
        args = (*args, size)
    if len(args) == 2:
        args = (0, *args)
    if len(args) != 3:
        raise TypeError(
            f"randint: expected (high, size) or (low, high, size), got {len(args)} arguments"
        )
    low, high, shape = args
    data = _integers("randint", low, high, _shape("randint", shape), generator)
    return _result("randint", data.astype(dtype or np.int64), requires_grad, device)


def randint_like(
    input: Tensor,
    *args: Any,
    generator: np.random.Generator | None = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Integers from [low, high) (``randint_like(x, high)`` or ``randint_like(x, low, high)``)
    with the shape of ``input`` and its dtype unless ``dtype`` is given, as in PyTorch."""
    if len(args) not in (1, 2):
        raise TypeError(f"randint_like: expected (high) or (low, high), got {len(args)} arguments")
    low, high = (0, *args) if len(args) == 1 else args
    x = _array(input)
    data = _integers("randint_like", low, high, x.shape, generator)
    return _result("randint_like", data.astype(dtype or x.dtype), requires_grad, device)


def randperm(
    n: int,
    *,
    generator: np.random.Generator | None = None,
    dtype: Any = np.int64,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """A random permutation of 0, 1, ..., n - 1 (int64 by default).

    Examples
    --------
    >>> sorted(randperm(5).tolist())
    [0, 1, 2, 3, 4]
    """
    n = _int("randperm", "n", n)
    if n < 0:
        raise ValueError(f"randperm: n must be >= 0, got {n}")
    data = _generator("randperm", generator).permutation(n).astype(dtype)
    return _result("randperm", data, requires_grad, device)


def _check_probabilities(owner: str, p: np.ndarray, last_axis_sums: bool) -> None:
    """Raise ValueError for NaN, inf or negative weights (or rows summing to zero)."""
    if p.dtype.kind not in "fiub":
        raise TypeError(f"{owner}: expected a tensor of probabilities, got dtype {p.dtype}")
    if not np.isfinite(p).all():
        raise ValueError(f"{owner}: probabilities must be finite, got NaN or inf")
    if (p < 0).any():
        raise ValueError(f"{owner}: probabilities must be >= 0, got {p.min()}")
    if last_axis_sums and (p.sum(axis=-1) <= 0).any():
        raise ValueError(f"{owner}: each row of probabilities must have a positive sum, got 0")


def multinomial(
    input: Tensor,
    num_samples: int,
    replacement: bool = False,
    *,
    generator: np.random.Generator | None = None,
) -> Tensor:
    """Indices drawn from the categorical distributions given by the rows of ``input``.

    P(index = j) = input[..., j] / sum_k input[..., k]; the weights need not sum to 1.
    Without replacement a drawn index is removed and the rest renormalized, so a row gives
    ``num_samples`` distinct indices.

    Parameters
    ----------
    input : Tensor, shape (n,) or (m, n)
        Non-negative weights, each row with a positive sum.
    num_samples : int
        Draws per row; at most the number of positive weights without replacement.
    replacement : bool, default=False

    Returns
    -------
    Tensor of int64, shape (num_samples,) or (m, num_samples)
    """
    p = _array(input)
    if p.ndim not in (1, 2):
        raise ValueError(f"multinomial: expected a 1-D or 2-D input, got shape {p.shape}")
    num_samples = _int("multinomial", "num_samples", num_samples)
    if num_samples <= 0:
        raise ValueError(f"multinomial: num_samples must be positive, got {num_samples}")
    _check_probabilities("multinomial", p, True)
    rows = p.reshape(-1, p.shape[-1]).astype(np.float64)
    if not replacement and num_samples > int((rows > 0).sum(axis=-1).min()):
        raise ValueError(
            f"multinomial: cannot draw {num_samples} samples without replacement from "
            f"{p.shape[-1]} categories with {int((rows > 0).sum(axis=-1).min())} positive "
            "probabilities"
        )
    gen = _generator("multinomial", generator)
    out = np.stack(
        [gen.choice(len(r), num_samples, replace=replacement, p=r / r.sum()) for r in rows]
    ).astype(np.int64)
    return Tensor._wrap(out.reshape(*p.shape[:-1], num_samples))


def normal(
    mean: Any,
    std: Any = 1.0,
    size: Sequence[int] | None = None,
    *,
    generator: np.random.Generator | None = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Samples of N(mean, std**2), drawn as mean + std * z with z ~ N(0, 1).

    As in PyTorch: tensor ``mean`` and/or ``std`` give one sample per (broadcast) element, in
    the tensor's dtype; with two numbers, ``size`` gives the shape and the dtype is the default
    float dtype.

    Examples
    --------
    >>> normal(2.0, 0.0, (3,)).tolist()
    [2.0, 2.0, 2.0]
    """
    tensors = [_array(v) for v in (mean, std) if isinstance(v, (Tensor, np.ndarray))]
    if tensors and size is not None:
        raise TypeError("normal: size is only accepted when mean and std are numbers")
    if not tensors and size is None:
        raise TypeError("normal: size is required when mean and std are numbers")
    like = np.result_type(*tensors) if tensors else None
    dt = _float_dtype(
        "normal", dtype, np.dtype(like) if like is not None and like.kind == "f" else None
    )
    m, s = np.asarray(_array(mean), np.float64), np.asarray(_array(std), np.float64)
    if np.isnan(s).any() or (s < 0).any():
        raise ValueError(
            f"normal: std must be >= 0, got {np.nanmin(s) if (s < 0).any() else 'NaN'}"
        )
    shape = np.broadcast_shapes(m.shape, s.shape) if tensors else _shape("normal", size)
    z = _generator("normal", generator).standard_normal(shape)
    return _result("normal", (m + s * z).astype(dt), requires_grad, device)


def bernoulli(
    input: Tensor, p: float | None = None, *, generator: np.random.Generator | None = None
) -> Tensor:
    """Draws of 0 or 1 with P(1) = input (elementwise), or P(1) = p for every element if given.

    The result has the shape and dtype of ``input``.

    Examples
    --------
    >>> bernoulli(Tensor([1.0, 0.0, 1.0])).tolist()
    [1.0, 0.0, 1.0]
    """
    x = _array(input)
    if x.dtype.kind != "f":
        raise TypeError(
            f"bernoulli: expected a floating-point tensor of probabilities, got {x.dtype}"
        )
    probs = x if p is None else np.full(x.shape, p, np.float64)
    if np.isnan(probs).any() or (probs < 0).any() or (probs > 1).any():
        raise ValueError(
            f"bernoulli: probabilities must lie in [0, 1], got values in "
            f"[{np.min(probs)}, {np.max(probs)}]"
        )
    draws = _generator("bernoulli", generator).random(x.shape) < probs
    return Tensor._wrap(draws.astype(x.dtype))
