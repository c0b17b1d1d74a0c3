"""Weight initializers, in place, with PyTorch's names, formulas and defaults.

Which initializer suits which activation (the course's table, from Hands-On ML):

    initializer        activations                     variance of each weight
    Glorot / Xavier    none, tanh, logistic, softmax   2 / (fan_in + fan_out)
    He / Kaiming       ReLU and its variants           2 / fan_in
    LeCun              SELU                            1 / fan_in

Zero or constant weights make every unit of a layer compute the same thing and receive the
same gradient (the symmetry problem): they stay identical forever. Use them for biases only.
Each function takes an optional ``rng`` (a NumPy Generator); without one it draws from
lamina's default generator, which ``lamina.manual_seed`` reseeds.
"""

from __future__ import annotations

import math

import numpy as np

from lamina.autodiff.random import default_generator
from lamina.autodiff.tensor import Tensor
from lamina.errors import check_in

__all__ = [
    "calculate_gain",
    "constant_",
    "kaiming_normal_",
    "kaiming_uniform_",
    "lecun_normal_",
    "lecun_uniform_",
    "normal_",
    "ones_",
    "orthogonal_",
    "small_normal_",
    "uniform_",
    "xavier_normal_",
    "xavier_uniform_",
    "zeros_",
]

Generator = np.random.Generator


def _fill(tensor: Tensor, values: np.ndarray) -> Tensor:
    tensor.data = np.asarray(values, dtype=tensor.dtype).reshape(tensor.shape)
    return tensor


def _gen(rng: Generator | None) -> Generator:
    return rng if rng is not None else default_generator()


def calculate_fan_in_and_fan_out(tensor: Tensor) -> tuple[int, int]:
    """fan_in = shape[1] * receptive field, fan_out = shape[0] * receptive field."""
    if tensor.ndim < 2:
        raise ValueError(
            f"init: fan in and fan out need a tensor with >= 2 dims, got {tensor.shape}"
        )
    receptive = int(np.prod(tensor.shape[2:])) if tensor.ndim > 2 else 1
    return tensor.shape[1] * receptive, tensor.shape[0] * receptive


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The gain PyTorch recommends for ``nonlinearity``: tanh 5/3, relu sqrt(2), ..."""
    linear = (
        "linear",
        "conv1d",
        "conv2d",
        "conv3d",
        "conv_transpose1d",
        "conv_transpose2d",
        "sigmoid",
    )
    if nonlinearity in linear:
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else param
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"calculate_gain: unknown nonlinearity {nonlinearity!r}")


def _fan(tensor: Tensor, mode: str) -> int:
    check_in("init", "mode", mode, ("fan_in", "fan_out"))
    fan_in, fan_out = calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def uniform_(
    tensor: Tensor, a: float = 0.0, b: float = 1.0, rng: Generator | None = None
) -> Tensor:
    """Fill with U(a, b)."""
    return _fill(tensor, _gen(rng).uniform(a, b, tensor.shape))


def normal_(
    tensor: Tensor, mean: float = 0.0, std: float = 1.0, rng: Generator | None = None
) -> Tensor:
    """Fill with N(mean, std**2)."""
    return _fill(tensor, _gen(rng).normal(mean, std, tensor.shape))


def small_normal_(tensor: Tensor, std: float = 0.01, rng: Generator | None = None) -> Tensor:
    """The course's 'small random numbers': N(0, std**2) with std = 0.01."""
    return normal_(tensor, 0.0, std, rng)


def constant_(tensor: Tensor, val: float) -> Tensor:
    """Fill with ``val``."""
    return _fill(tensor, np.full(tensor.shape, val))


def zeros_(tensor: Tensor) -> Tensor:
    """Fill with zeros."""
    return constant_(tensor, 0.0)


def ones_(tensor: Tensor) -> Tensor:
    """Fill with ones."""
    return constant_(tensor, 1.0)


def xavier_uniform_(tensor: Tensor, gain: float = 1.0, rng: Generator | None = None) -> Tensor:
    """Glorot uniform: U(-a, a), a = gain * sqrt(6 / (fan_in + fan_out))."""
    fan_in, fan_out = calculate_fan_in_and_fan_out(tensor)
    a = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(tensor, -a, a, rng)


def xavier_normal_(tensor: Tensor, gain: float = 1.0, rng: Generator | None = None) -> Tensor:
    """Glorot normal: N(0, std**2), std = gain * sqrt(2 / (fan_in + fan_out))."""
    fan_in, fan_out = calculate_fan_in_and_fan_out(tensor)
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)), rng)


def kaiming_uniform_(
    tensor: Tensor,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    rng: Generator | None = None,
) -> Tensor:
    """He uniform: U(-b, b), b = gain * sqrt(3 / fan), gain from ``nonlinearity`` and ``a``."""
    bound = calculate_gain(nonlinearity, a) * math.sqrt(3.0 / _fan(tensor, mode))
    return uniform_(tensor, -bound, bound, rng)


def kaiming_normal_(
    tensor: Tensor,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    rng: Generator | None = None,
) -> Tensor:
    """He normal: N(0, std**2), std = gain / sqrt(fan)."""
    std = calculate_gain(nonlinearity, a) / math.sqrt(_fan(tensor, mode))
    return normal_(tensor, 0.0, std, rng)


def lecun_uniform_(tensor: Tensor, rng: Generator | None = None) -> Tensor:
    """LeCun uniform: U(-b, b), b = sqrt(3 / fan_in), i.e. variance 1 / fan_in."""
    fan_in, _ = calculate_fan_in_and_fan_out(tensor)
    b = math.sqrt(3.0 / fan_in)
    return uniform_(tensor, -b, b, rng)


def lecun_normal_(tensor: Tensor, rng: Generator | None = None) -> Tensor:
    """LeCun normal: N(0, 1 / fan_in) (untruncated; Keras truncates at two std)."""
    fan_in, _ = calculate_fan_in_and_fan_out(tensor)
    return normal_(tensor, 0.0, math.sqrt(1.0 / fan_in), rng)


def orthogonal_(tensor: Tensor, gain: float = 1.0, rng: Generator | None = None) -> Tensor:
    """A (semi-)orthogonal matrix from the QR decomposition of a Gaussian one, times ``gain``.

    Rows of the flattened (shape[0], rest) matrix are orthonormal when rows <= cols, columns
    otherwise. Signs follow diag(R) so the result is uniformly distributed (Saxe et al.).
    """
    if tensor.ndim < 2:
        raise ValueError(f"orthogonal_: expected a tensor with >= 2 dims, got {tensor.shape}")
    rows = tensor.shape[0]
    cols = tensor.data.size // rows
    flat = _gen(rng).standard_normal((rows, cols))
    if rows < cols:
        flat = flat.T
    q, r = np.linalg.qr(flat)
    q *= np.sign(np.diag(r))
    if rows < cols:
        q = q.T
    return _fill(tensor, gain * q)
