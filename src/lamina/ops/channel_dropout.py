"""Channel dropout: ``dropout2d`` zeroes whole feature maps (Tompson et al., 2015).

Not named ``ops/dropout.py``: a submodule of that name would replace the ``dropout``
function that ``lamina.ops`` exports.
"""

from __future__ import annotations

import numpy as np

from lamina.autodiff.random import default_generator
from lamina.autodiff.tensor import Tensor, TensorLike, as_tensor
from lamina.errors import ShapeError
from lamina.ops.inplace import update_

__all__ = ["dropout2d"]


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
    if not 0 <= p <= 1:
        raise ValueError(f"dropout2d: p must be in [0, 1], got {p}")
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
