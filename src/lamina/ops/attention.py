"""Attention: scaled dot-product attention and the multi-head attention forward pass.

Both are composed from matmul, softmax, masked_fill and dropout, so their gradients (and
second derivatives) come from those ops.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from lamina.autodiff.tensor import Tensor, TensorLike, as_tensor
from lamina.errors import ShapeError, owner_name
from lamina.ops.activation import softmax
from lamina.ops.affine import linear
from lamina.ops.linalg import matmul
from lamina.ops.mask import masked_fill
from lamina.ops.regularize import check_dropout_p, dropout
from lamina.ops.shape import cat, pad

__all__ = ["scaled_dot_product_attention"]


def _mask_array(mask: Any) -> Any:
    return mask.data if isinstance(mask, Tensor) else np.asarray(mask)


def scaled_dot_product_attention(
    query: TensorLike,
    key: TensorLike,
    value: TensorLike,
    attn_mask: Any = None,
    dropout_p: float = 0.0,
    is_causal: bool = False,
    scale: float | None = None,
    *,
    rng: np.random.Generator | None = None,
) -> Tensor:
    """softmax(Q @ K^T * scale + bias) @ V, over any leading batch dims (PyTorch's semantics).

    Q (..., L, E), K (..., S, E), V (..., S, Ev) -> (..., L, Ev); scale = 1/sqrt(E) unless
    given. ``attn_mask`` broadcasts to (..., L, S): a bool mask keeps the positions where it
    is True (bias -inf elsewhere), a float mask is the bias itself. ``is_causal`` lets query i
    see keys j <= i only. ``dropout_p`` drops attention weights (always, as PyTorch does).
    """
    q, k, v = as_tensor(query), as_tensor(key), as_tensor(value)
    if min(q.ndim, k.ndim, v.ndim) < 2:
        raise ShapeError(
            "scaled_dot_product_attention: query, key and value need at least 2 dims, "
            f"got shapes {q.shape}, {k.shape}, {v.shape}"
        )
    if q.shape[-1] != k.shape[-1] or k.shape[-2] != v.shape[-2]:
        raise ShapeError(
            "scaled_dot_product_attention: expected query (..., L, E), key (..., S, E) and "
            f"value (..., S, Ev), got shapes {q.shape}, {k.shape}, {v.shape}"
        )
    if is_causal and attn_mask is not None:
        raise ValueError("scaled_dot_product_attention: give attn_mask or is_causal, not both")
    check_dropout_p("scaled_dot_product_attention", dropout_p)
    s = 1 / math.sqrt(q.shape[-1]) if scale is None else scale
    scores = matmul(q, k.transpose(-2, -1)) * s
    n_q, n_k = q.shape[-2], k.shape[-2]
    if is_causal:
        scores = masked_fill(scores, ~np.tri(n_q, n_k, dtype=bool), -math.inf)
    if attn_mask is not None:
        m = _mask_array(attn_mask)
        if m.dtype == np.bool_:
            scores = masked_fill(scores, ~m, -math.inf)
        else:
            scores = scores + (attn_mask if isinstance(attn_mask, Tensor) else as_tensor(m)).to(
                scores.dtype
            )
    weights = dropout(softmax(scores, -1), dropout_p, training=True, rng=rng)
    return matmul(weights, v)


def additive_mask(owner: Any, mask: Any, dtype: Any) -> Tensor | None:
    """PyTorch's canonical mask: a bool mask (True = masked out) as a float bias of -inf/0."""
    if mask is None:
        return None
    m = _mask_array(mask)
    if m.dtype == np.bool_:
        return Tensor._wrap(np.where(m, -np.inf, 0.0).astype(dtype))
    if m.dtype.kind != "f":
        raise TypeError(f"{owner_name(owner)}: masks must be bool or float, got {m.dtype}")
    return mask.to(dtype) if isinstance(mask, Tensor) else Tensor._wrap(m.astype(dtype))


def _heads(x: Tensor, n: int, length: int, batch: int, num_heads: int) -> Tensor:
    """(length, batch, num_heads * hd) -> (batch * num_heads, length, hd)."""
    return x.reshape(length, batch * num_heads, n // num_heads).transpose(0, 1)


def _project(query: Tensor, key: Tensor, value: Tensor, w: dict[str, Any]) -> tuple:
    e = query.shape[-1]
    b = w["in_proj_bias"]
    bq, bk, bv = (None, None, None) if b is None else (b[:e], b[e : 2 * e], b[2 * e :])
    if w.get("in_proj_weight") is not None:
        wi = w["in_proj_weight"]
        wq, wk, wv = wi[:e], wi[e : 2 * e], wi[2 * e :]
    else:
        wq, wk, wv = w["q_proj_weight"], w["k_proj_weight"], w["v_proj_weight"]
    return linear(query, wq, bq), linear(key, wk, bk), linear(value, wv, bv)


def multi_head_attention(
    owner: Any,
    query: Tensor,
    key: Tensor,
    value: Tensor,
    num_heads: int,
    weights: dict[str, Any],
    *,
    key_padding_mask: Any = None,
    attn_mask: Any = None,
    dropout_p: float = 0.0,
    training: bool = True,
    need_weights: bool = True,
    average_attn_weights: bool = True,
    add_zero_attn: bool = False,
    rng: np.random.Generator | None = None,
) -> tuple[Tensor, Tensor | None]:
    """PyTorch's multi-head attention on batched (L, N, E) query and (S, N, E) key/value.

    head_i = softmax(Q_i @ K_i^T / sqrt(hd) + mask) @ V_i, Q_i = query @ Wq_i^T + bq_i (and
    K_i, V_i alike), hd = E / num_heads; out = concat_i(head_i) @ W_out^T + b_out.
    Masks: ``key_padding_mask`` (N, S) and ``attn_mask`` (L, S) or (N * num_heads, L, S);
    bool True masks a position out, float masks are added to the scores. Returns the
    output (L, N, E) and the attention weights (N, L, S) averaged over heads, or
    (N, num_heads, L, S), or None when ``need_weights`` is False.
    """
    n_q, batch, e = query.shape
    n_k = key.shape[0]
    q, k, v = _project(query, key, value, weights)
    bias = additive_mask(owner, attn_mask, q.dtype)
    if bias is not None and bias.ndim == 2:
        bias = bias.unsqueeze(0)
    pad_mask = additive_mask(owner, key_padding_mask, q.dtype)
    if weights.get("bias_k") is not None:
        k = cat([k, weights["bias_k"].expand(1, batch, e)], 0)
        v = cat([v, weights["bias_v"].expand(1, batch, e)], 0)
        bias, pad_mask, n_k = _pad_last(bias), _pad_last(pad_mask), n_k + 1
    q, k, v = (_heads(t, e, n, batch, num_heads) for t, n in ((q, n_q), (k, n_k), (v, n_k)))
    if add_zero_attn:
        zeros = Tensor._wrap(np.zeros((batch * num_heads, 1, e // num_heads), q.dtype))
        k, v = cat([k, zeros], 1), cat([v, zeros], 1)
        bias, pad_mask, n_k = _pad_last(bias), _pad_last(pad_mask), n_k + 1
    if pad_mask is not None:
        pad_mask = pad_mask.reshape(batch, 1, 1, n_k).expand(batch, num_heads, 1, n_k)
        pad_mask = pad_mask.reshape(batch * num_heads, 1, n_k)
        bias = pad_mask if bias is None else bias + pad_mask
    scores = matmul(q * (1 / math.sqrt(e // num_heads)), k.transpose(1, 2))
    if bias is not None:
        scores = scores + bias
    attn = dropout(softmax(scores, -1), dropout_p, training=training, rng=rng)
    out = matmul(attn, v).transpose(0, 1).reshape(n_q * batch, e)
    out = linear(out, weights["out_proj_weight"], weights["out_proj_bias"])
    out = out.reshape(n_q, batch, out.shape[-1])
    if not need_weights:
        return out, None
    attn = attn.reshape(batch, num_heads, n_q, n_k)
    return out, attn.mean(1) if average_attn_weights else attn


def _pad_last(mask: Tensor | None) -> Tensor | None:
    """One more (unmasked) key position: the bias column of add_bias_kv or add_zero_attn."""
    return None if mask is None else pad(mask, (0, 1))
