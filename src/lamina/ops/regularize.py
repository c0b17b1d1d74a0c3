"""Dropout: ``dropout`` zeroes single elements, ``dropout2d`` whole feature maps (Tompson et
al., 2015); both scale the survivors by 1 / (1 - p) so that nothing changes at evaluation.

Not named ``ops/dropout.py``: a submodule of that name would replace the ``dropout``
function that ``lamina.ops`` exports.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lamina.autodiff.random import default_generator
from lamina.autodiff.tensor import Tensor, TensorLike, as_tensor
from lamina.errors import ShapeError, check_probability, owner_name
from lamina.ops.inplace import update_

__all__ = ["dropout", "dropout2d"]


def check_dropout_p(owner: Any, p: Any) -> None:
    """Raise ValueError unless the drop probability ``p`` lies in [0, 1]."""
    if isinstance(p, bool) or not isinstance(p, (int, float, np.number)) or not 0 <= p <= 1:
        raise ValueError(f"{owner_name(owner)}: p must be in [0, 1], got {p!r}")


def dropout(
    x: TensorLike,
    p: float = 0.5,
    training: bool = True,
    inplace: bool = False,
    *,
    rng: np.random.Generator | None = None,
) -> Tensor:
    """Inverted dropout: y = x * mask / (1 - p), mask_i ~ Bernoulli(1 - p); identity in eval.

    Scaling at training time keeps E[y] = x, so evaluation needs no rescaling.
    ``inplace=True`` writes y into x, with PyTorch's in-place rules.
    """
    x = as_tensor(x)
    check_dropout_p("dropout", p)
    if not training or p == 0:
        return x
    if inplace:
        return update_("dropout", x, lambda t: dropout(t, p, training, rng=rng))
    if p == 1:
        return x * 0.0
    check_probability("dropout", p=p)
    gen = rng if rng is not None else default_generator()
    keep = gen.random(x.shape, dtype=np.float32 if x.dtype == np.float32 else np.float64) >= p
    return x * Tensor._wrap(keep.astype(x.dtype) / x.dtype.type(1 - p))


def dropout2d(
    input: TensorLike,
    p: float = 0.5,
    training: bool = True,
    inplace: bool = False,
    *,
    rng: np.random.Generator | None = None,
) -> Tensor:
    """Channel dropout: y[n, c] = x[n, c] * m_nc / (1 - p), m_nc ~ Bernoulli(1 - p).

    One draw per channel of each sample zeroes the whole (H, W) map: neighbouring pixels of a
    map are correlated, so dropping single pixels would barely regularize a convolution.
    Identity in evaluation. Input (N, C, H, W), or (N, C, L) as PyTorch reads a 3-D input.
    ``inplace=True`` writes y into x, with PyTorch's in-place rules.

    Raises
    ------
    ValueError
        p outside [0, 1].
    ShapeError
        An input that is not 3-D or 4-D.
    """
    x = as_tensor(input)
    check_dropout_p("dropout2d", p)
    if x.ndim not in (3, 4):
        raise ShapeError(f"dropout2d: expected input (N, C, H, W) or (N, C, L), got {x.shape}")
    if not training or p == 0:
        return x
    if inplace:
        return update_("dropout2d", x, lambda t: dropout2d(t, p, training, rng=rng))
    if p == 1:
        return x * 0.0
    gen = rng if rng is not None else default_generator()
    shape = (*x.shape[:2], *(1,) * (x.ndim - 2))
    keep = gen.random(shape, dtype=np.float32 if x.dtype == np.float32 else np.float64) >= p
    return x * Tensor._wrap(keep.astype(x.dtype) / x.dtype.type(1 - p))
