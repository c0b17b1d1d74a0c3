"""Attention layers: multi-head attention (the Transformer's) and the two scoring functions of
recurrent encoder-decoders, additive (Bahdanau) and multiplicative (Luong dot and general)."""

from __future__ import annotations

from typing import Any

import numpy as np

from lamina.autodiff.dtypes import factory_dtype
from lamina.autodiff.tensor import Tensor, as_tensor
from lamina.errors import ShapeError, check_in, check_positive_int
from lamina.nn import init
from lamina.nn.linear import Linear
from lamina.nn.module import Module
from lamina.nn.parameter import Parameter
from lamina.ops.activation import softmax
from lamina.ops.attention import multi_head_attention
from lamina.ops.elementwise import tanh
from lamina.ops.linalg import matmul
from lamina.ops.mask import masked_fill
from lamina.ops.regularize import check_dropout_p

__all__ = [
    "AdditiveAttention",
    "BahdanauAttention",
    "LuongAttention",
    "MultiheadAttention",
    "MultiplicativeAttention",
]


class MultiheadAttention(Module):
    """Multi-head attention (Vaswani et al., 2017), PyTorch's parameters and forward.

    head_i = softmax((query @ Wq_i^T + bq_i) @ (key @ Wk_i^T + bk_i)^T / sqrt(hd) + mask)
             @ (value @ Wv_i^T + bv_i),   hd = embed_dim / num_heads
    out = concat(head_1, ..., head_h) @ out_proj.weight^T + out_proj.bias

    Parameters
    ----------
    embed_dim, num_heads : int
        embed_dim must be divisible by num_heads.
    dropout : float, default=0.0
        Dropout on the attention weights in training.
    bias : bool, default=True
    add_bias_kv : bool, default=False
        Learn bias_k, bias_v (1, 1, embed_dim) appended to the key and value sequences.
    add_zero_attn : bool, default=False
        Append a zero key and value to every head.
    kdim, vdim : int, optional
        Feature sizes of key and value (embed_dim when None); when they differ from it the
        projections are q_proj_weight, k_proj_weight, v_proj_weight, else in_proj_weight
        (3 * embed_dim, embed_dim).
    batch_first : bool, default=False
        Inputs (N, L, E) instead of (L, N, E).
    device, dtype : PyTorch's factory arguments.
    rng : numpy.random.Generator, optional
        Source of the initial weights and of the dropout masks.

    Shapes: query (L, N, E), key (S, N, kdim), value (S, N, vdim), or unbatched (L, E);
    returns (output (L, N, E), weights (N, L, S) or (N, num_heads, L, S) or None).
    """

    def __init__(
        self,
        embed_dim: int,
        num_heads: int,
        dropout: float = 0.0,
        bias: bool = True,
        add_bias_kv: bool = False,
        add_zero_attn: bool = False,
        kdim: int | None = None,
        vdim: int | None = None,
        batch_first: bool = False,
        device: Any = None,
        dtype: Any = None,
        *,
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__()
        check_positive_int("MultiheadAttention", embed_dim=embed_dim, num_heads=num_heads)
        if embed_dim % num_heads:
            raise ValueError(
                f"MultiheadAttention: embed_dim must be divisible by num_heads, got "
                f"{embed_dim} and {num_heads}"
            )
        check_dropout_p("MultiheadAttention", dropout)
        dt = factory_dtype("MultiheadAttention", device, dtype)
        self.embed_dim, self.num_heads, self.dropout = embed_dim, num_heads, dropout
        self.kdim = embed_dim if kdim is None else kdim
        self.vdim = embed_dim if vdim is None else vdim
        self.batch_first, self.add_zero_attn, self.rng = batch_first, add_zero_attn, rng
        self.head_dim = embed_dim // num_heads
        self._qkv_same_embed_dim = self.kdim == embed_dim and self.vdim == embed_dim
        e = embed_dim
        if self._qkv_same_embed_dim:
            self.in_proj_weight = Parameter(np.empty((3 * e, e), dt))
        else:
            self.q_proj_weight = Parameter(np.empty((e, e), dt))
            self.k_proj_weight = Parameter(np.empty((e, self.kdim), dt))
            self.v_proj_weight = Parameter(np.empty((e, self.vdim), dt))
            self.register_parameter("in_proj_weight", None)
        self.in_proj_bias = Parameter(np.empty(3 * e, dt)) if bias else None
        self.out_proj = Linear(e, e, bias=bias, dtype=dt, rng=rng)
        self.bias_k = Parameter(np.empty((1, 1, e), dt)) if add_bias_kv else None
        self.bias_v = Parameter(np.empty((1, 1, e), dt)) if add_bias_kv else None
        self.reset_parameters(rng)

    def reset_parameters(self, rng: np.random.Generator | None = None) -> None:
        """PyTorch's: Xavier-uniform projections, zero biases, Xavier-normal bias_k/bias_v."""
        for name in ("in_proj_weight", "q_proj_weight", "k_proj_weight", "v_proj_weight"):
            if getattr(self, name, None) is not None:
                init.xavier_uniform_(getattr(self, name), rng=rng)
        for bias in (self.in_proj_bias, self.out_proj.bias):
            if bias is not None:
                init.zeros_(bias)
        for bias in (self.bias_k, self.bias_v):
            if bias is not None:
                init.xavier_normal_(bias, rng=rng)

    def forward(
        self,
        query: Tensor,
        key: Tensor,
        value: Tensor,
        key_padding_mask: Any = None,
        need_weights: bool = True,
        attn_mask: Any = None,
        average_attn_weights: bool = True,
        is_causal: bool = False,
    ) -> tuple[Tensor, Tensor | None]:
        query, key, value = as_tensor(query), as_tensor(key), as_tensor(value)
        if is_causal and attn_mask is None:
            raise ValueError(
                f"{type(self).__name__}: is_causal is a hint; it needs the causal attn_mask too"
            )
        batched = self._check_inputs(query, key, value)
        if not batched:
            query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
            if key_padding_mask is not None:
                key_padding_mask = as_tensor(key_padding_mask).unsqueeze(0)
        elif self.batch_first:
            query, key, value = (t.transpose(0, 1) for t in (query, key, value))
        weights = {
            "in_proj_weight": self.in_proj_weight,
            "in_proj_bias": self.in_proj_bias,
            "q_proj_weight": getattr(self, "q_proj_weight", None),
            "k_proj_weight": getattr(self, "k_proj_weight", None),
            "v_proj_weight": getattr(self, "v_proj_weight", None),
            "bias_k": self.bias_k,
            "bias_v": self.bias_v,
            "out_proj_weight": self.out_proj.weight,
            "out_proj_bias": self.out_proj.bias,
        }
        out, attn = multi_head_attention(
            self,
            query,
            key,
            value,
            self.num_heads,
            weights,
            key_padding_mask=key_padding_mask,
            attn_mask=attn_mask,
            dropout_p=self.dropout,
            training=self.training,
            need_weights=need_weights,
            average_attn_weights=average_attn_weights,
            add_zero_attn=self.add_zero_attn,
            rng=self.rng,
        )
        if not batched:
            return out.squeeze(1), None if attn is None else attn.squeeze(0)
        return (out.transpose(0, 1) if self.batch_first else out), attn

    def _check_inputs(self, query: Tensor, key: Tensor, value: Tensor) -> bool:
        """Shapes as documented; True when the inputs are batched."""
        if query.ndim not in (2, 3) or key.ndim != query.ndim or value.ndim != query.ndim:
            raise ShapeError(
                f"{type(self).__name__}: expected query, key, value all 3-D (batched) or all 2-D "
                f"(unbatched), got shapes {query.shape}, {key.shape}, {value.shape}"
            )
        sizes = (query.shape[-1], key.shape[-1], value.shape[-1])
        if sizes != (self.embed_dim, self.kdim, self.vdim):
            raise ShapeError(
                f"{type(self).__name__}: expected feature sizes (embed_dim, kdim, vdim) = "
                f"{(self.embed_dim, self.kdim, self.vdim)}, got {sizes}"
            )
        if key.shape[:-1] != value.shape[:-1] or (
            query.ndim == 3 and query.shape[1 - self.batch_first] != key.shape[1 - self.batch_first]
        ):
            raise ShapeError(
                f"{type(self).__name__}: key and value must have the same length and batch as "
                f"query, got shapes {query.shape}, {key.shape}, {value.shape}"
            )
        return query.ndim == 3

    def extra_repr(self) -> str:
        return f"embed_dim={self.embed_dim}, num_heads={self.num_heads}, dropout={self.dropout}"


def _attend(owner: Module, scores: Tensor, keys: Tensor, mask: Any) -> tuple[Tensor, Tensor]:
    """Context sum_j a_j * keys_j with a = softmax(scores) over unmasked steps j.

    scores (N, T, S), keys (N, S, D), mask (N, S) bool, True where a step is padding.
    """
    if mask is not None:
        m = np.asarray(mask.data if isinstance(mask, Tensor) else mask)
        if m.shape != (keys.shape[0], keys.shape[1]) or m.dtype != np.bool_:
            raise ShapeError(
                f"{owner!r}: mask must be bool of shape (N, S) = {keys.shape[:2]}, got "
                f"{m.dtype} {m.shape}"
            )
        scores = masked_fill(scores, m[:, None, :], -np.inf)
    weights = softmax(scores, -1)
    return matmul(weights, keys), weights


def _check_keys(owner: Module, query: Tensor, keys: Tensor, q_size: int, k_size: int) -> bool:
    """query (N, Dq) or (N, T, Dq), keys (N, S, Dk); True when the query has a time axis."""
    if (
        query.ndim not in (2, 3)
        or keys.ndim != 3
        or query.shape[0] != keys.shape[0]
        or (query.shape[-1], keys.shape[-1]) != (q_size, k_size)
    ):
        raise ShapeError(
            f"{owner!r}: expected query (N, {q_size}) or (N, T, {q_size}) and keys "
            f"(N, S, {k_size}), got shapes {query.shape} and {keys.shape}"
        )
    return query.ndim == 3


class AdditiveAttention(Module):
    """Additive attention (Bahdanau et al., 2015) over the steps of an encoder's outputs.

    score_j = v^T tanh(W_q q + W_k k_j + b),  a = softmax(score) over unmasked j,
    context = sum_j a_j k_j

    Parameters
    ----------
    query_size, key_size, hidden_size : int
        Sizes of the decoder state q, of the encoder outputs k_j, and of the tanh layer.

    forward(query (N, Dq) or (N, T, Dq), keys (N, S, Dk), mask (N, S) bool True = padding)
    returns (context (N, Dk) or (N, T, Dk), weights (N, S) or (N, T, S)).
    Parameters: query_proj.weight (H, Dq), key_proj.weight (H, Dk), key_proj.bias (H,),
    v.weight (1, H).
    """

    def __init__(
        self,
        query_size: int,
        key_size: int,
        hidden_size: int,
        device: Any = None,
        dtype: Any = None,
        *,
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__()
        check_positive_int(
            "AdditiveAttention", query_size=query_size, key_size=key_size, hidden_size=hidden_size
        )
        dt = factory_dtype("AdditiveAttention", device, dtype)
        self.query_size, self.key_size, self.hidden_size = query_size, key_size, hidden_size
        self.query_proj = Linear(query_size, hidden_size, bias=False, dtype=dt, rng=rng)
        self.key_proj = Linear(key_size, hidden_size, dtype=dt, rng=rng)
        self.v = Linear(hidden_size, 1, bias=False, dtype=dt, rng=rng)

    def forward(self, query: Tensor, keys: Tensor, mask: Any = None) -> tuple[Tensor, Tensor]:
        query, keys = as_tensor(query), as_tensor(keys)
        timed = _check_keys(self, query, keys, self.query_size, self.key_size)
        q = self.query_proj(query if timed else query.unsqueeze(1))  # (N, T, H)
        hidden = tanh(q.unsqueeze(2) + self.key_proj(keys).unsqueeze(1))  # (N, T, S, H)
        context, weights = _attend(self, self.v(hidden).squeeze(-1), keys, mask)
        return (context, weights) if timed else (context.squeeze(1), weights.squeeze(1))

    def extra_repr(self) -> str:
        return f"{self.query_size}, {self.key_size}, {self.hidden_size}"


class MultiplicativeAttention(Module):
    """Multiplicative attention (Luong et al., 2015): the dot and general scores.

    dot:      score_j = q^T k_j                (query_size must equal key_size)
    general:  score_j = q^T W k_j              (W: weight (query_size, key_size))
    a = softmax(score) over unmasked j,  context = sum_j a_j k_j

    Parameters
    ----------
    query_size, key_size : int
    score : {"dot", "general"}, default="general"

    forward(query (N, Dq) or (N, T, Dq), keys (N, S, Dk), mask (N, S) bool True = padding)
    returns (context (N, Dk) or (N, T, Dk), weights (N, S) or (N, T, S)).
    """

    def __init__(
        self,
        query_size: int,
        key_size: int,
        score: str = "general",
        device: Any = None,
        dtype: Any = None,
        *,
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__()
        check_positive_int("MultiplicativeAttention", query_size=query_size, key_size=key_size)
        check_in("MultiplicativeAttention", "score", score, ("dot", "general"))
        if score == "dot" and query_size != key_size:
            raise ValueError(
                "MultiplicativeAttention: the dot score needs query_size == key_size, got "
                f"{query_size} and {key_size}"
            )
        dt = factory_dtype("MultiplicativeAttention", device, dtype)
        self.query_size, self.key_size, self.score = query_size, key_size, score
        if score == "general":
            self.proj = Linear(key_size, query_size, bias=False, dtype=dt, rng=rng)

    def forward(self, query: Tensor, keys: Tensor, mask: Any = None) -> tuple[Tensor, Tensor]:
        query, keys = as_tensor(query), as_tensor(keys)
        timed = _check_keys(self, query, keys, self.query_size, self.key_size)
        q = query if timed else query.unsqueeze(1)  # (N, T, Dq)
        k = self.proj(keys) if self.score == "general" else keys  # (N, S, Dq)
        context, weights = _attend(self, matmul(q, k.transpose(1, 2)), keys, mask)
        return (context, weights) if timed else (context.squeeze(1), weights.squeeze(1))

    def extra_repr(self) -> str:
        return f"{self.query_size}, {self.key_size}, score={self.score!r}"


BahdanauAttention = AdditiveAttention
LuongAttention = MultiplicativeAttention
