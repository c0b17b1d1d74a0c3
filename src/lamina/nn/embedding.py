"""``Embedding``: a lookup table of learned vectors, one row per token id."""

from __future__ import annotations

from typing import Any

import numpy as np

from lamina.autodiff.dtypes import factory_dtype
from lamina.autodiff.tensor import Tensor
from lamina.errors import ShapeError, check_nonnegative, check_positive_int
from lamina.nn import init
from lamina.nn.module import Module
from lamina.nn.parameter import Parameter
from lamina.ops.lookup import _embedding, padding_row

__all__ = ["Embedding"]


class Embedding(Module):
    """Lookup table: y = weight[ids], weight (num_embeddings, embedding_dim) ~ N(0, 1).

    Parameters
    ----------
    num_embeddings : int
        Vocabulary size.
    embedding_dim : int
        Length of each vector.
    padding_idx : int, optional
        A row that starts at zero and receives no gradient (negative counts from the end).
    max_norm, norm_type, scale_grad_by_freq, sparse
        As ``embedding``.
    _weight : array or Tensor (num_embeddings, embedding_dim), optional
        The initial weight, used as it is (PyTorch's ``from_pretrained`` path).
    _freeze : bool, default=False
        Whether the weight is frozen (requires_grad False).
    device : "cpu", optional
    dtype : float32 or float64, optional
        The default dtype unless given.
    rng : numpy.random.Generator, optional

    Notes
    -----
    Equivalent to one-hot(ids) @ weight, without building the one-hot matrix. Parameter
    count: num_embeddings * embedding_dim.

    Examples
    --------
    >>> import lamina
    >>> emb = Embedding(10, 3, padding_idx=0)
    >>> emb(lamina.tensor([[0, 2, 4]])).shape
    (1, 3, 3)
    """

    def __init__(
        self,
        num_embeddings: int,
        embedding_dim: int,
        padding_idx: int | None = None,
        max_norm: float | None = None,
        norm_type: float = 2.0,
        scale_grad_by_freq: bool = False,
        sparse: bool = False,
        _weight: Any = None,
        _freeze: bool = False,
        device: Any = None,
        dtype: Any = None,
        *,
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__()
        dt = factory_dtype("Embedding", device, dtype)
        check_positive_int("Embedding", num_embeddings=num_embeddings, embedding_dim=embedding_dim)
        if max_norm is not None:
            check_nonnegative("Embedding", max_norm=max_norm)
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        self.padding_idx = padding_row("Embedding", padding_idx, num_embeddings)
        self.max_norm, self.norm_type = max_norm, norm_type
        self.scale_grad_by_freq, self.sparse = bool(scale_grad_by_freq), bool(sparse)
        if _weight is None:
            self.weight = Parameter(np.empty((num_embeddings, embedding_dim), dt))
            self.reset_parameters(rng)
        else:
            data = _weight.data if isinstance(_weight, Tensor) else np.asarray(_weight)
            if data.shape != (num_embeddings, embedding_dim):
                raise ShapeError(
                    f"Embedding: _weight must have shape ({num_embeddings}, {embedding_dim}), "
                    f"got {data.shape}"
                )
            self.weight = Parameter(data, dtype=dt if dtype is not None else None)
        self.weight.requires_grad = not _freeze

    def reset_parameters(self, rng: np.random.Generator | None = None) -> None:
        """N(0, 1) everywhere, then the padding row set to zero (PyTorch's default)."""
        init.normal_(self.weight, 0.0, 1.0, rng)
        if self.padding_idx is not None:
            self.weight.data[self.padding_idx] = 0

    def forward(self, input: Tensor) -> Tensor:
        return _embedding(
            self,
            input,
            self.weight,
            self.padding_idx,
            self.max_norm,
            self.norm_type,
            self.scale_grad_by_freq,
        )

    def extra_repr(self) -> str:
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx}"
        if self.max_norm is not None:
            s += f", max_norm={self.max_norm}"
        if self.norm_type != 2:
            s += f", norm_type={self.norm_type}"
        if self.scale_grad_by_freq:
            s += ", scale_grad_by_freq=True"
        if self.sparse:
            s += ", sparse=True"
        return s
