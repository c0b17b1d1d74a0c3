"""Layer records: attention (MultiheadAttention, additive and multiplicative attention), GELU,
the Transformer layers and stacks, and positional encodings.

Dropout stays 0 where the contract compares training mode with copied weights (dropout masks
cannot match PyTorch's); one record per Transformer layer keeps PyTorch's default 0.1 and is
compared in eval mode only. Additive/multiplicative attention and the positional encodings
have no torch.nn class: their twins are written here in PyTorch from the same formulas.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from lamina import nn
from specs.layers import Arrays, LayerSpec, randn


def both(make: Callable[..., Any], torch_make: Callable[..., Any], *args: Any, **kw: Any):
    return (lambda: make(*args, **kw)), (lambda: torch_make(*args, **kw))


def arrays(*shapes: tuple[int, ...]) -> Callable[[np.random.Generator], Arrays]:
    return lambda rng: tuple(rng.standard_normal(s) for s in shapes)


def with_padding(*shapes: tuple[int, ...], pad: tuple[int, int]) -> Callable:
    """Float inputs of ``shapes`` then a bool padding mask ``pad`` (N, S), the last 2 of
    sample 0 padded."""

    def make(rng: np.random.Generator) -> Arrays:
        m = np.zeros(pad, bool)
        m[0, -2:] = True
        return (*(rng.standard_normal(s) for s in shapes), m)

    return make


# ------------------------------------------------------------------ multi-head attention
class LaminaMHA(nn.MultiheadAttention):
    """f(q, k, v, key_padding_mask, attn_mask) with the masks as positional inputs."""

    def forward(self, q: Any, k: Any, v: Any, kpm: Any = None, am: Any = None, **kw: Any) -> Any:
        return super().forward(q, k, v, key_padding_mask=kpm, attn_mask=am, **kw)


class TorchMHA(torch.nn.MultiheadAttention):
    def forward(self, q: Any, k: Any, v: Any, kpm: Any = None, am: Any = None, **kw: Any) -> Any:  # type: ignore[override]
        return super().forward(q, k, v, key_padding_mask=kpm, attn_mask=am, **kw)


class LaminaMHAHeads(LaminaMHA):
    """Per-head weights (average_attn_weights=False) under a 3-D float attn_mask."""

    def forward(self, q: Any, k: Any, v: Any, am: Any) -> Any:  # type: ignore[override]
        return super().forward(q, k, v, None, am, average_attn_weights=False)


class TorchMHAHeads(TorchMHA):
    def forward(self, q: Any, k: Any, v: Any, am: Any) -> Any:  # type: ignore[override]
        return super().forward(q, k, v, None, am, average_attn_weights=False)


class LaminaSelfAttention(nn.MultiheadAttention):
    """Self-attention f(x) = MHA(x, x, x) with a causal bool mask."""

    def forward(self, x: Any) -> Any:  # type: ignore[override]
        n = x.shape[0]
        causal = np.triu(np.ones((n, n), bool), 1)
        return super().forward(x, x, x, attn_mask=causal, is_causal=True)


class TorchSelfAttention(torch.nn.MultiheadAttention):
    def forward(self, x: Any) -> Any:  # type: ignore[override]
        n = x.shape[0]
        causal = torch.triu(torch.ones(n, n, dtype=torch.bool), 1)
        return super().forward(x, x, x, attn_mask=causal, is_causal=True)


QKV = arrays((4, 3, 8), (5, 3, 8), (5, 3, 8))
MHA = [
    LayerSpec(
        "MultiheadAttention",
        *both(LaminaMHA, TorchMHA, 8, 2),
        QKV,
        arrays((4, 3, 6), (5, 3, 6), (5, 3, 6)),
        bad_match=r"LaminaMHA: expected feature sizes \(embed_dim, kdim, vdim\) = \(8, 8, 8\)",
    ),
    LayerSpec(
        "MultiheadAttention_kdim_vdim_padding",
        *both(LaminaMHA, TorchMHA, 8, 4, kdim=3, vdim=5),
        with_padding((4, 3, 8), (5, 3, 3), (5, 3, 5), pad=(3, 5)),
        arrays((4, 3, 8), (5, 2, 3), (5, 2, 5)),
        bad_match="LaminaMHA: key and value must have the same length and batch as query",
    ),
    LayerSpec(
        "MultiheadAttention_bias_kv_zero_attn",
        *both(LaminaMHA, TorchMHA, 8, 2, add_bias_kv=True, add_zero_attn=True),
        with_padding((4, 3, 8), (5, 3, 8), (5, 3, 8), pad=(3, 5)),
    ),
    LayerSpec(
        "MultiheadAttention_batch_first_nobias",
        *both(LaminaMHA, TorchMHA, 6, 3, bias=False, batch_first=True),
        arrays((3, 4, 6), (3, 5, 6), (3, 5, 6)),
    ),
    LayerSpec(
        "MultiheadAttention_heads_float_mask",
        *both(LaminaMHAHeads, TorchMHAHeads, 8, 2),
        arrays((4, 3, 8), (5, 3, 8), (5, 3, 8), (6, 4, 5)),
    ),
    LayerSpec(
        "MultiheadAttention_unbatched",
        *both(LaminaMHA, TorchMHA, 8, 2),
        arrays((4, 8), (5, 8), (5, 8)),
    ),
    LayerSpec(
        "MultiheadAttention_causal_self",
        *both(LaminaSelfAttention, TorchSelfAttention, 8, 2),
        randn(5, 2, 8),
    ),
    LayerSpec(
        "MultiheadAttention_dropout",
        *both(LaminaMHA, TorchMHA, 8, 2, dropout=0.3),
        QKV,
        stochastic=True,
    ),
]


# ------------------------------------------------------------------ recurrent attention
class TorchAdditive(torch.nn.Module):
    """score_j = v^T tanh(W_q q + W_k k_j + b); a = softmax(score); context = sum_j a_j k_j."""

    def __init__(self, query_size: int, key_size: int, hidden_size: int) -> None:
        super().__init__()
        self.query_proj = torch.nn.Linear(query_size, hidden_size, bias=False)
        self.key_proj = torch.nn.Linear(key_size, hidden_size)
        self.v = torch.nn.Linear(hidden_size, 1, bias=False)

    def forward(self, q: Any, keys: Any, mask: Any = None) -> Any:
        scores = self.v(torch.tanh(self.query_proj(q)[:, None] + self.key_proj(keys))).squeeze(-1)
        return _torch_attend(scores, keys, mask)


class TorchMultiplicative(torch.nn.Module):
    """dot: score_j = q^T k_j; general: score_j = q^T W k_j."""

    def __init__(self, query_size: int, key_size: int, score: str = "general") -> None:
        super().__init__()
        self.score = score
        if score == "general":
            self.proj = torch.nn.Linear(key_size, query_size, bias=False)

    def forward(self, q: Any, keys: Any, mask: Any = None) -> Any:
        k = self.proj(keys) if self.score == "general" else keys
        return _torch_attend(torch.einsum("nd,nsd->ns", q, k), keys, mask)


def _torch_attend(scores: Any, keys: Any, mask: Any) -> Any:
    if mask is not None:
        scores = scores.masked_fill(mask, -math.inf)
    weights = torch.softmax(scores, -1)
    return torch.einsum("ns,nsd->nd", weights, keys), weights


RECURRENT = [
    LayerSpec(
        "AdditiveAttention",
        *both(nn.AdditiveAttention, TorchAdditive, 4, 6, 5),
        with_padding((3, 4), (3, 7, 6), pad=(3, 7)),
        arrays((3, 5), (3, 7, 6)),
    ),
    LayerSpec(
        "MultiplicativeAttention_general",
        *both(nn.MultiplicativeAttention, TorchMultiplicative, 4, 6),
        with_padding((3, 4), (3, 7, 6), pad=(3, 7)),
        arrays((3, 4), (3, 7, 4)),
    ),
    LayerSpec(
        "MultiplicativeAttention_dot",
        *both(nn.MultiplicativeAttention, TorchMultiplicative, 6, 6, score="dot"),
        arrays((3, 6), (3, 7, 6)),
    ),
]


# ------------------------------------------------------------------ Transformer
class LaminaEncoderMasked(nn.TransformerEncoder):
    """The stack under a causal float mask and a key padding mask."""

    def forward(self, x: Any, pad: Any) -> Any:  # type: ignore[override]
        mask = nn.Transformer.generate_square_subsequent_mask(x.shape[0], dtype=x.dtype)
        return super().forward(x, mask, pad, is_causal=True)


class TorchEncoderMasked(torch.nn.TransformerEncoder):
    def forward(self, x: Any, pad: Any) -> Any:  # type: ignore[override]
        mask = torch.nn.Transformer.generate_square_subsequent_mask(x.shape[0], dtype=x.dtype)
        return super().forward(x, mask, pad, is_causal=True)


def encoder(lib: Any, masked: type, layers: int = 2, **kw: Any) -> Callable[[], Any]:
    return lambda: masked(
        lib.TransformerEncoderLayer(8, 2, 16, dropout=0.0, **kw), layers, lib.LayerNorm(8)
    )


class LaminaDecoderMasked(nn.TransformerDecoder):
    def forward(self, tgt: Any, memory: Any, pad: Any) -> Any:  # type: ignore[override]
        mask = nn.Transformer.generate_square_subsequent_mask(tgt.shape[0], dtype=tgt.dtype)
        return super().forward(tgt, memory, mask, memory_key_padding_mask=pad, tgt_is_causal=True)


class TorchDecoderMasked(torch.nn.TransformerDecoder):
    def forward(self, tgt: Any, memory: Any, pad: Any) -> Any:  # type: ignore[override]
        mask = torch.nn.Transformer.generate_square_subsequent_mask(tgt.shape[0], dtype=tgt.dtype)
        return super().forward(tgt, memory, mask, memory_key_padding_mask=pad, tgt_is_causal=True)


class LaminaTransformerMasked(nn.Transformer):
    def forward(self, src: Any, tgt: Any) -> Any:  # type: ignore[override]
        mask = self.generate_square_subsequent_mask(tgt.shape[1], dtype=tgt.dtype)
        return super().forward(src, tgt, tgt_mask=mask)


class TorchTransformerMasked(torch.nn.Transformer):
    def forward(self, src: Any, tgt: Any) -> Any:  # type: ignore[override]
        mask = self.generate_square_subsequent_mask(tgt.shape[1], dtype=tgt.dtype)
        return super().forward(src, tgt, tgt_mask=mask)


SMALL = {"dim_feedforward": 16, "dropout": 0.0}
T32 = {"rtol32": 1e-3, "atol32": 1e-4}  # float32 errors grow through the layer norms
TRANSFORMER = [
    LayerSpec(
        "TransformerEncoderLayer",
        *both(nn.TransformerEncoderLayer, torch.nn.TransformerEncoderLayer, 8, 2, **SMALL),
        randn(5, 3, 8),
        randn(5, 3, 6),
        **T32,
    ),
    LayerSpec(
        "TransformerEncoderLayer_gelu_norm_first_batch_first",
        *both(
            nn.TransformerEncoderLayer,
            torch.nn.TransformerEncoderLayer,
            8,
            2,
            **SMALL,
            activation="gelu",
            norm_first=True,
            batch_first=True,
        ),
        randn(3, 5, 8),
        **T32,
    ),
    LayerSpec(
        "TransformerEncoderLayer_nobias",
        *both(
            nn.TransformerEncoderLayer, torch.nn.TransformerEncoderLayer, 8, 2, **SMALL, bias=False
        ),
        randn(5, 3, 8),
        **T32,
    ),
    LayerSpec(
        "TransformerEncoderLayer_dropout",
        *both(nn.TransformerEncoderLayer, torch.nn.TransformerEncoderLayer, 8, 2, 16),
        randn(5, 3, 8),
        stochastic=True,
        **T32,
    ),
    LayerSpec(
        "TransformerEncoder_causal_padding",
        encoder(nn, LaminaEncoderMasked),
        encoder(torch.nn, TorchEncoderMasked),
        with_padding((5, 3, 8), pad=(3, 5)),
        **T32,
    ),
    LayerSpec(
        "TransformerDecoderLayer",
        *both(nn.TransformerDecoderLayer, torch.nn.TransformerDecoderLayer, 8, 2, **SMALL),
        arrays((4, 3, 8), (5, 3, 8)),
        arrays((4, 3, 8), (5, 2, 8)),
        **T32,
    ),
    LayerSpec(
        "TransformerDecoderLayer_gelu_norm_first",
        *both(
            nn.TransformerDecoderLayer,
            torch.nn.TransformerDecoderLayer,
            8,
            2,
            **SMALL,
            activation="gelu",
            norm_first=True,
        ),
        arrays((4, 3, 8), (5, 3, 8)),
        **T32,
    ),
    LayerSpec(
        "TransformerDecoder_causal_padding",
        lambda: LaminaDecoderMasked(nn.TransformerDecoderLayer(8, 2, **SMALL), 2, nn.LayerNorm(8)),
        lambda: TorchDecoderMasked(
            torch.nn.TransformerDecoderLayer(8, 2, **SMALL), 2, torch.nn.LayerNorm(8)
        ),
        with_padding((4, 3, 8), (5, 3, 8), pad=(3, 5)),
        **T32,
    ),
    LayerSpec(
        "Transformer",
        *both(
            LaminaTransformerMasked, TorchTransformerMasked, 8, 2, 2, 2, 16, 0.0, batch_first=True
        ),
        arrays((3, 5, 8), (3, 4, 8)),
        arrays((3, 5, 8), (2, 4, 8)),
        **T32,
    ),
    LayerSpec("GELU", *both(nn.GELU, torch.nn.GELU), randn(3, 4)),
    LayerSpec("GELU_tanh", *both(nn.GELU, torch.nn.GELU, approximate="tanh"), randn(3, 4)),
]


# ------------------------------------------------------------------ positions
class TorchSinusoidal(torch.nn.Module):
    """x + PE[:L], PE[p, 2i] = sin(p / 10000**(2i/d)), PE[p, 2i+1] = cos(...)."""

    def __init__(self, d_model: int, max_len: int = 5000, batch_first: bool = False) -> None:
        super().__init__()
        pos = torch.arange(max_len, dtype=torch.float64)[:, None]
        angle = pos / 10000 ** (torch.arange(0, d_model, 2, dtype=torch.float64) / d_model)
        pe = torch.zeros(max_len, d_model, dtype=torch.float64)
        pe[:, 0::2] = torch.sin(angle)
        pe[:, 1::2] = torch.cos(angle)[:, : d_model // 2]
        self.register_buffer("pe", pe, persistent=False)
        self.batch_first = batch_first

    def forward(self, x: Any) -> Any:
        rows = self.pe[: x.shape[1] if self.batch_first else x.shape[0]].to(x.dtype)
        return x + (rows[None] if self.batch_first else rows[:, None])


class TorchLearned(torch.nn.Module):
    def __init__(self, max_len: int, d_model: int, batch_first: bool = False) -> None:
        super().__init__()
        self.weight = torch.nn.Parameter(torch.randn(max_len, d_model) * 0.02)
        self.batch_first = batch_first

    def forward(self, x: Any) -> Any:
        rows = self.weight[: x.shape[1] if self.batch_first else x.shape[0]]
        return x + (rows[None] if self.batch_first else rows[:, None])


POSITIONS = [
    LayerSpec(
        "SinusoidalPositionalEncoding",
        *both(nn.SinusoidalPositionalEncoding, TorchSinusoidal, 7, 50),
        randn(6, 2, 7),
        randn(6, 2, 5),
    ),
    LayerSpec(
        "SinusoidalPositionalEncoding_batch_first",
        *both(nn.SinusoidalPositionalEncoding, TorchSinusoidal, 8, 10, batch_first=True),
        randn(2, 6, 8),
        randn(2, 11, 8),
    ),
    LayerSpec(
        "LearnedPositionalEmbedding",
        *both(nn.LearnedPositionalEmbedding, TorchLearned, 10, 8, batch_first=True),
        randn(2, 6, 8),
        randn(2, 11, 8),
    ),
]

LAYERS = MHA + RECURRENT + TRANSFORMER + POSITIONS
