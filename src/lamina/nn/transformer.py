"""The Transformer (Vaswani et al., 2017) with PyTorch's modules, parameters and masks.

Encoder layer:  x = norm1(x + SA(x)); x = norm2(x + FF(x))        (post-norm, the paper's)
                x = x + SA(norm1(x)); x = x + FF(norm2(x))        (norm_first=True, pre-norm)
Decoder layer:  the same with a cross-attention block MHA(x, memory) between SA and FF.
SA(x) = dropout(MultiheadAttention(x, x, x)); FF(x) = dropout(W2 dropout(act(W1 x + b1)) + b2).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import numpy as np

from lamina.autodiff.dtypes import factory_dtype
from lamina.autodiff.tensor import Tensor
from lamina.errors import ShapeError, check_in, check_positive_int
from lamina.nn import init
from lamina.nn.attention import MultiheadAttention
from lamina.nn.container import ModuleList
from lamina.nn.dropout import Dropout
from lamina.nn.linear import Linear
from lamina.nn.module import Module
from lamina.nn.norm import LayerNorm
from lamina.ops.activation import relu
from lamina.ops.gaussian import gelu

__all__ = [
    "Transformer",
    "TransformerDecoder",
    "TransformerDecoderLayer",
    "TransformerEncoder",
    "TransformerEncoderLayer",
    "generate_square_subsequent_mask",
]


def generate_square_subsequent_mask(sz: int, device: Any = None, dtype: Any = None) -> Tensor:
    """The causal mask (sz, sz): 0 where j <= i, -inf where j > i (a float mask, added)."""
    check_positive_int("generate_square_subsequent_mask", sz=sz)
    dt = factory_dtype("generate_square_subsequent_mask", device, dtype)
    return Tensor._wrap(np.triu(np.full((sz, sz), -np.inf), 1).astype(dt))


def _activation(owner: str, activation: str | Callable[[Tensor], Tensor]) -> Callable:
    if callable(activation):
        return activation
    check_in(owner, "activation", activation, ("relu", "gelu"))
    return relu if activation == "relu" else gelu


class _Block(Module):
    """The blocks shared by encoder and decoder layers, and their input check."""

    def _check(self, **inputs: Tensor) -> None:
        """Each input (L, N, d_model), (N, L, d_model) or (L, d_model), one batch size."""
        d = self.self_attn.embed_dim
        shapes = {k: tuple(v.shape) for k, v in inputs.items()}
        batch = {s[1 - self.self_attn.batch_first] for s in shapes.values() if len(s) == 3}
        if (
            any(len(s) not in (2, 3) or s[-1] != d for s in shapes.values())
            or len({len(s) for s in shapes.values()}) > 1
            or len(batch) > 1
        ):
            raise ShapeError(
                f"{type(self).__name__}: expected inputs (L, N, {d}) (batch first with "
                f"batch_first) or (L, {d}) with one batch size, got {shapes}"
            )

    def _ff_block(self, x: Tensor, drop: Module) -> Tensor:
        return drop(self.linear2(self.dropout(self.activation(self.linear1(x)))))

    def _sa_block(self, x: Tensor, mask: Any, padding: Any, is_causal: bool) -> Tensor:
        out = self.self_attn(
            x,
            x,
            x,
            attn_mask=mask,
            key_padding_mask=padding,
            need_weights=False,
            is_causal=is_causal,
        )[0]
        return self.dropout1(out)


class TransformerEncoderLayer(_Block):
    """Self-attention then a position-wise feed-forward network, each with a residual and
    LayerNorm (see the module docstring for the two orders).

    Parameters
    ----------
    d_model, nhead : int
    dim_feedforward : int, default=2048
    dropout : float, default=0.1
    activation : "relu", "gelu" or a callable, default="relu"
    layer_norm_eps : float, default=1e-5
    batch_first : bool, default=False
    norm_first : bool, default=False
    bias : bool, default=True
        Biases of the linear layers and the LayerNorms.

    forward(src (S, N, E) or (N, S, E), src_mask (S, S), src_key_padding_mask (N, S),
    is_causal) -> (S, N, E) or (N, S, E).
    """

    def __init__(
        self,
        d_model: int,
        nhead: int,
        dim_feedforward: int = 2048,
        dropout: float = 0.1,
        activation: str | Callable[[Tensor], Tensor] = "relu",
        layer_norm_eps: float = 1e-5,
        batch_first: bool = False,
        norm_first: bool = False,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
        *,
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__()
        kw: dict[str, Any] = {"dtype": factory_dtype("TransformerEncoderLayer", device, dtype)}
        self.self_attn = MultiheadAttention(
            d_model, nhead, dropout=dropout, bias=bias, batch_first=batch_first, rng=rng, **kw
        )
        _feed_forward(self, d_model, dim_feedforward, dropout, bias, rng, kw)
        self.norm_first = norm_first
        self.norm1 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **kw)
        self.norm2 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **kw)
        self.dropout1 = Dropout(dropout, rng=rng)
        self.dropout2 = Dropout(dropout, rng=rng)
        self.activation = _activation("TransformerEncoderLayer", activation)

    def forward(
        self,
        src: Tensor,
        src_mask: Any = None,
        src_key_padding_mask: Any = None,
        is_causal: bool = False,
    ) -> Tensor:
        self._check(src=src)
        x = src
        if self.norm_first:
            x = x + self._sa_block(self.norm1(x), src_mask, src_key_padding_mask, is_causal)
            return x + self._ff_block(self.norm2(x), self.dropout2)
        x = self.norm1(x + self._sa_block(x, src_mask, src_key_padding_mask, is_causal))
        return self.norm2(x + self._ff_block(x, self.dropout2))


def _feed_forward(
    layer: Module, d_model: int, dim_ff: int, dropout: float, bias: bool, rng: Any, kw: dict
) -> None:
    """linear1, dropout, linear2: registered in PyTorch's order."""
    layer.linear1 = Linear(d_model, dim_ff, bias=bias, rng=rng, **kw)
    layer.dropout = Dropout(dropout, rng=rng)
    layer.linear2 = Linear(dim_ff, d_model, bias=bias, rng=rng, **kw)


class TransformerDecoderLayer(_Block):
    """Masked self-attention, cross-attention over the encoder's memory, then a feed-forward
    network, each with a residual and LayerNorm. Parameters as ``TransformerEncoderLayer``.

    forward(tgt (T, N, E), memory (S, N, E), tgt_mask (T, T), memory_mask (T, S),
    tgt_key_padding_mask (N, T), memory_key_padding_mask (N, S), tgt_is_causal,
    memory_is_causal) -> (T, N, E) (batch first with ``batch_first``).
    """

    def __init__(
        self,
        d_model: int,
        nhead: int,
        dim_feedforward: int = 2048,
        dropout: float = 0.1,
        activation: str | Callable[[Tensor], Tensor] = "relu",
        layer_norm_eps: float = 1e-5,
        batch_first: bool = False,
        norm_first: bool = False,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
        *,
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__()
        kw: dict[str, Any] = {"dtype": factory_dtype("TransformerDecoderLayer", device, dtype)}
        mha: dict[str, Any] = {
            "dropout": dropout,
            "bias": bias,
            "batch_first": batch_first,
            "rng": rng,
        }
        self.self_attn = MultiheadAttention(d_model, nhead, **mha, **kw)
        self.multihead_attn = MultiheadAttention(d_model, nhead, **mha, **kw)
        _feed_forward(self, d_model, dim_feedforward, dropout, bias, rng, kw)
        self.norm_first = norm_first
        self.norm1 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **kw)
        self.norm2 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **kw)
        self.norm3 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **kw)
        self.dropout1 = Dropout(dropout, rng=rng)
        self.dropout2 = Dropout(dropout, rng=rng)
        self.dropout3 = Dropout(dropout, rng=rng)
        self.activation = _activation("TransformerDecoderLayer", activation)

    def forward(
        self,
        tgt: Tensor,
        memory: Tensor,
        tgt_mask: Any = None,
        memory_mask: Any = None,
        tgt_key_padding_mask: Any = None,
        memory_key_padding_mask: Any = None,
        tgt_is_causal: bool = False,
        memory_is_causal: bool = False,
    ) -> Tensor:
        self._check(tgt=tgt, memory=memory)
        x, sa = tgt, (tgt_mask, tgt_key_padding_mask, tgt_is_causal)
        ca = (memory_mask, memory_key_padding_mask, memory_is_causal)
        if self.norm_first:
            x = x + self._sa_block(self.norm1(x), *sa)
            x = x + self._mha_block(self.norm2(x), memory, *ca)
            return x + self._ff_block(self.norm3(x), self.dropout3)
        x = self.norm1(x + self._sa_block(x, *sa))
        x = self.norm2(x + self._mha_block(x, memory, *ca))
        return self.norm3(x + self._ff_block(x, self.dropout3))

    def _mha_block(
        self, x: Tensor, memory: Tensor, mask: Any, padding: Any, is_causal: bool
    ) -> Tensor:
        out = self.multihead_attn(
            x,
            memory,
            memory,
            attn_mask=mask,
            key_padding_mask=padding,
            need_weights=False,
            is_causal=is_causal,
        )[0]
        return self.dropout2(out)


def _clones(layer: Module, n: int) -> ModuleList:
    """n deep copies of ``layer`` (same initial weights, as PyTorch's); a Generator held for
    dropout stays shared, so the copies do not draw the same masks."""
    shared = {id(v): v for m in layer.modules() for v in vars(m).values()}
    shared = {k: v for k, v in shared.items() if isinstance(v, np.random.Generator)}
    return ModuleList(copy.deepcopy(layer, dict(shared)) for _ in range(n))


class TransformerEncoder(Module):
    """A stack of ``num_layers`` copies of an encoder layer, then ``norm`` if given.

    forward(src, mask=None, src_key_padding_mask=None, is_causal=None): each layer gets the
    same masks; the output has the shape of src.
    """

    def __init__(
        self,
        encoder_layer: TransformerEncoderLayer,
        num_layers: int,
        norm: Module | None = None,
        enable_nested_tensor: bool = True,
        mask_check: bool = True,
    ) -> None:
        super().__init__()
        check_positive_int("TransformerEncoder", num_layers=num_layers)
        self.layers = _clones(encoder_layer, num_layers)
        self.num_layers, self.norm = num_layers, norm

    def forward(
        self,
        src: Tensor,
        mask: Any = None,
        src_key_padding_mask: Any = None,
        is_causal: bool | None = None,
    ) -> Tensor:
        x = src
        for layer in self.layers:
            x = layer(x, mask, src_key_padding_mask, bool(is_causal))
        return x if self.norm is None else self.norm(x)


class TransformerDecoder(Module):
    """A stack of ``num_layers`` copies of a decoder layer, then ``norm`` if given.

    forward(tgt, memory, tgt_mask, memory_mask, tgt_key_padding_mask,
    memory_key_padding_mask, tgt_is_causal, memory_is_causal) -> the shape of tgt.
    """

    def __init__(
        self, decoder_layer: TransformerDecoderLayer, num_layers: int, norm: Module | None = None
    ) -> None:
        super().__init__()
        check_positive_int("TransformerDecoder", num_layers=num_layers)
        self.layers = _clones(decoder_layer, num_layers)
        self.num_layers, self.norm = num_layers, norm

    def forward(
        self,
        tgt: Tensor,
        memory: Tensor,
        tgt_mask: Any = None,
        memory_mask: Any = None,
        tgt_key_padding_mask: Any = None,
        memory_key_padding_mask: Any = None,
        tgt_is_causal: bool | None = None,
        memory_is_causal: bool = False,
    ) -> Tensor:
        x = tgt
        for layer in self.layers:
            x = layer(
                x,
                memory,
                tgt_mask,
                memory_mask,
                tgt_key_padding_mask,
                memory_key_padding_mask,
                bool(tgt_is_causal),
                memory_is_causal,
            )
        return x if self.norm is None else self.norm(x)


class Transformer(Module):
    """Encoder-decoder Transformer: memory = encoder(src); out = decoder(tgt, memory).

    Parameters as PyTorch's (d_model=512, nhead=8, num_encoder_layers=6,
    num_decoder_layers=6, dim_feedforward=2048, dropout=0.1, activation="relu",
    custom_encoder, custom_decoder, layer_norm_eps, batch_first, norm_first, bias); each stack
    ends with a LayerNorm, and every weight matrix starts Xavier-uniform.

    forward(src (S, N, E), tgt (T, N, E), src_mask, tgt_mask, memory_mask,
    src_key_padding_mask, tgt_key_padding_mask, memory_key_padding_mask, src_is_causal,
    tgt_is_causal, memory_is_causal) -> (T, N, E); batch first with ``batch_first``.
    """

    def __init__(
        self,
        d_model: int = 512,
        nhead: int = 8,
        num_encoder_layers: int = 6,
        num_decoder_layers: int = 6,
        dim_feedforward: int = 2048,
        dropout: float = 0.1,
        activation: str | Callable[[Tensor], Tensor] = "relu",
        custom_encoder: Module | None = None,
        custom_decoder: Module | None = None,
        layer_norm_eps: float = 1e-5,
        batch_first: bool = False,
        norm_first: bool = False,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
        *,
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__()
        kw: dict[str, Any] = {"dtype": factory_dtype("Transformer", device, dtype)}
        layer_kw: dict[str, Any] = {
            "dim_feedforward": dim_feedforward,
            "dropout": dropout,
            "activation": activation,
            "layer_norm_eps": layer_norm_eps,
            "batch_first": batch_first,
            "norm_first": norm_first,
            "bias": bias,
            "rng": rng,
            **kw,
        }
        self.encoder = custom_encoder or TransformerEncoder(
            TransformerEncoderLayer(d_model, nhead, **layer_kw),
            num_encoder_layers,
            LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **kw),
        )
        self.decoder = custom_decoder or TransformerDecoder(
            TransformerDecoderLayer(d_model, nhead, **layer_kw),
            num_decoder_layers,
            LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **kw),
        )
        self.d_model, self.nhead, self.batch_first = d_model, nhead, batch_first
        for p in self.parameters():
            if p.ndim > 1:
                init.xavier_uniform_(p, rng=rng)

    def forward(
        self,
        src: Tensor,
        tgt: Tensor,
        src_mask: Any = None,
        tgt_mask: Any = None,
        memory_mask: Any = None,
        src_key_padding_mask: Any = None,
        tgt_key_padding_mask: Any = None,
        memory_key_padding_mask: Any = None,
        src_is_causal: bool | None = None,
        tgt_is_causal: bool | None = None,
        memory_is_causal: bool = False,
    ) -> Tensor:
        batch_dim = 0 if self.batch_first else 1
        if src.ndim == 3 and (src.ndim != tgt.ndim or src.shape[batch_dim] != tgt.shape[batch_dim]):
            raise ShapeError(
                f"{type(self).__name__}: src and tgt must have the same batch size, got shapes "
                f"{src.shape} and {tgt.shape}"
            )
        if src.shape[-1] != self.d_model or tgt.shape[-1] != self.d_model:
            raise ShapeError(
                f"{type(self).__name__}: the feature size of src and tgt must be d_model = "
                f"{self.d_model}, got shapes {src.shape} and {tgt.shape}"
            )
        memory = self.encoder(src, src_mask, src_key_padding_mask, src_is_causal)
        return self.decoder(
            tgt,
            memory,
            tgt_mask,
            memory_mask,
            tgt_key_padding_mask,
            memory_key_padding_mask,
            tgt_is_causal,
            memory_is_causal,
        )

    generate_square_subsequent_mask = staticmethod(generate_square_subsequent_mask)
