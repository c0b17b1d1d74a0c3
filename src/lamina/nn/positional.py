"""Position information for attention models: the fixed sinusoidal encoding of the
Transformer paper and learned position embeddings (as in BERT and GPT)."""

from __future__ import annotations

from typing import Any

import numpy as np

from lamina.autodiff.dtypes import factory_dtype
from lamina.autodiff.tensor import Tensor, as_tensor
from lamina.errors import ShapeError, check_positive_int
from lamina.nn import init
from lamina.nn.dropout import Dropout
from lamina.nn.module import Module
from lamina.nn.parameter import Parameter

__all__ = ["LearnedPositionalEmbedding", "SinusoidalPositionalEncoding"]


def _positions(owner: Module, x: Tensor, d_model: int, max_len: int, batch_first: bool) -> int:
    """The sequence length of x (L, N, E), (N, L, E) with batch_first, or (L, E)."""
    if x.ndim not in (2, 3) or x.shape[-1] != d_model:
        raise ShapeError(
            f"{owner!r}: expected input (L, N, {d_model}) or (L, {d_model}), got {x.shape}"
        )
    length = x.shape[1] if batch_first and x.ndim == 3 else x.shape[0]
    if length > max_len:
        raise ShapeError(f"{owner!r}: sequence length {length} exceeds max_len {max_len}")
    return length


def sinusoidal_table(length: int, d_model: int) -> np.ndarray:
    """PE (length, d_model) in float64, as documented in ``SinusoidalPositionalEncoding``."""
    angle = np.arange(length)[:, None] / 10000.0 ** (np.arange(0, d_model, 2) / d_model)
    pe = np.zeros((length, d_model))
    pe[:, 0::2] = np.sin(angle)
    pe[:, 1::2] = np.cos(angle)[:, : d_model // 2]
    return pe


def _add(x: Tensor, table: Tensor, length: int, batch_first: bool) -> Tensor:
    rows = table[:length]  # (L, E)
    if x.ndim == 3:
        rows = rows.unsqueeze(0) if batch_first else rows.unsqueeze(1)
    return x + rows


class SinusoidalPositionalEncoding(Module):
    """y = dropout(x + PE[:L]) with the fixed table (Vaswani et al., 2017)

    PE[pos, 2i] = sin(pos / 10000**(2i / d_model))
    PE[pos, 2i+1] = cos(pos / 10000**(2i / d_model))

    Parameters
    ----------
    d_model : int
    max_len : int, default=5000
    dropout : float, default=0.0
    batch_first : bool, default=False
        Input (N, L, E) instead of (L, N, E); unbatched (L, E) works either way.

    The table is a non-persistent buffer ``pe`` (max_len, d_model), not in the state dict.
    """

    def __init__(
        self,
        d_model: int,
        max_len: int = 5000,
        dropout: float = 0.0,
        batch_first: bool = False,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        check_positive_int("SinusoidalPositionalEncoding", d_model=d_model, max_len=max_len)
        dt = factory_dtype("SinusoidalPositionalEncoding", device, dtype)
        self.d_model, self.max_len, self.batch_first = d_model, max_len, batch_first
        table = sinusoidal_table(max_len, d_model).astype(dt)
        self.register_buffer("pe", Tensor._wrap(table), persistent=False)
        self.dropout = Dropout(dropout)

    def to(self, *args: Any, **kwargs: Any) -> SinusoidalPositionalEncoding:
        """As ``Module.to``; the table is recomputed in the new dtype, so a float64 copy of a
        float32 layer holds the exact float64 table."""
        super().to(*args, **kwargs)
        dt = self._buffers["pe"].dtype
        self.pe = Tensor._wrap(sinusoidal_table(self.max_len, self.d_model).astype(dt))
        return self

    def forward(self, x: Tensor) -> Tensor:
        x = as_tensor(x)
        length = _positions(self, x, self.d_model, self.max_len, self.batch_first)
        return self.dropout(_add(x, self.pe.to(x.dtype), length, self.batch_first))

    def extra_repr(self) -> str:
        return f"d_model={self.d_model}, max_len={self.max_len}"


class LearnedPositionalEmbedding(Module):
    """y = x + weight[:L]: one learned vector per position (BERT, GPT).

    Parameters
    ----------
    max_len, d_model : int
        weight has shape (max_len, d_model) and starts N(0, std**2).
    std : float, default=0.02
        GPT-2's initial scale.
    batch_first : bool, default=False
    """

    def __init__(
        self,
        max_len: int,
        d_model: int,
        std: float = 0.02,
        batch_first: bool = False,
        device: Any = None,
        dtype: Any = None,
        *,
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__()
        check_positive_int("LearnedPositionalEmbedding", max_len=max_len, d_model=d_model)
        dt = factory_dtype("LearnedPositionalEmbedding", device, dtype)
        self.max_len, self.d_model, self.std, self.batch_first = max_len, d_model, std, batch_first
        self.weight = Parameter(np.empty((max_len, d_model), dt))
        self.reset_parameters(rng)

    def reset_parameters(self, rng: np.random.Generator | None = None) -> None:
        """weight ~ N(0, std**2)."""
        init.normal_(self.weight, 0.0, self.std, rng)

    def forward(self, x: Tensor) -> Tensor:
        x = as_tensor(x)
        length = _positions(self, x, self.d_model, self.max_len, self.batch_first)
        return _add(x, self.weight, length, self.batch_first)

    def extra_repr(self) -> str:
        return f"{self.max_len}, {self.d_model}"
