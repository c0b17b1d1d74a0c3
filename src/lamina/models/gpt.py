"""A small decoder-only character Transformer (GPT-style, Radford et al., 2018).

h_0 = embed(c) + P[:L]  (learned positions);  h_l = block_l(h_{l-1}) under a causal mask;
p(c_t | c_<t) = softmax(W LayerNorm(h_L)_t + b). Each block is pre-norm self-attention
then a GELU feed-forward network (``TransformerEncoderLayer(norm_first=True)``).
"""

from __future__ import annotations

import numpy as np

from lamina.autodiff.grad_mode import no_grad
from lamina.autodiff.tensor import Tensor, as_tensor
from lamina.errors import ShapeError, check_positive_int
from lamina.nn.embedding import Embedding
from lamina.nn.linear import Linear
from lamina.nn.module import Module
from lamina.nn.norm import LayerNorm
from lamina.nn.positional import LearnedPositionalEmbedding
from lamina.nn.transformer import (
    TransformerEncoder,
    TransformerEncoderLayer,
    generate_square_subsequent_mask,
)

__all__ = ["CharTransformer", "sample_next"]


def sample_next(
    logits: np.ndarray, temperature: float, top_k: int | None, rng: np.random.Generator
) -> int:
    """Draw one id from softmax(logits / temperature), restricted to the top_k largest logits
    when top_k is given (the others get probability 0)."""
    if temperature <= 0:
        raise ValueError(f"sample_next: temperature must be > 0, got {temperature}")
    z = np.asarray(logits, np.float64) / temperature
    if top_k is not None:
        check_positive_int("sample_next", top_k=top_k)
        if top_k < len(z):
            z = np.where(z >= np.sort(z)[-top_k], z, -np.inf)
    p = np.exp(z - z.max())
    return int(rng.choice(len(p), p=p / p.sum()))


class CharTransformer(Module):
    """Decoder-only Transformer language model over character ids.

    Parameters
    ----------
    vocab_size : int
    d_model, nhead, num_layers, dim_feedforward : int, default 128, 4, 2, 512
    max_len : int, default=256
        The longest context (learned positions).
    dropout : float, default=0.1
    rng : numpy.random.Generator, optional

    Input (N, L) ids with L <= max_len, output (N, L, vocab_size) logits.
    """

    def __init__(
        self,
        vocab_size: int,
        d_model: int = 128,
        nhead: int = 4,
        num_layers: int = 2,
        dim_feedforward: int = 512,
        max_len: int = 256,
        dropout: float = 0.1,
        *,
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__()
        check_positive_int("CharTransformer", vocab_size=vocab_size, max_len=max_len)
        self.max_len = max_len
        self.embedding = Embedding(vocab_size, d_model, rng=rng)
        self.positions = LearnedPositionalEmbedding(max_len, d_model, batch_first=True, rng=rng)
        block = TransformerEncoderLayer(
            d_model,
            nhead,
            dim_feedforward,
            dropout,
            activation="gelu",
            batch_first=True,
            norm_first=True,
            rng=rng,
        )
        self.blocks = TransformerEncoder(block, num_layers, LayerNorm(d_model))
        self.head = Linear(d_model, vocab_size, rng=rng)

    def forward(self, ids: Tensor) -> Tensor:
        ids = as_tensor(ids)
        if ids.ndim != 2 or ids.shape[1] > self.max_len:
            raise ShapeError(
                f"CharTransformer: expected ids (N, L) with L <= {self.max_len}, got {ids.shape}"
            )
        x = self.positions(self.embedding(ids))
        mask = generate_square_subsequent_mask(ids.shape[1], dtype=x.dtype)
        return self.head(self.blocks(x, mask, is_causal=True))

    def generate(
        self,
        prime: list[int],
        length: int,
        temperature: float = 1.0,
        top_k: int | None = None,
        rng: np.random.Generator | None = None,
    ) -> list[int]:
        """Sample ``length`` ids after ``prime``, each from the last ``max_len`` ids."""
        if not prime:
            raise ValueError("CharTransformer.generate: prime needs at least one id")
        gen = rng if rng is not None else np.random.default_rng()
        was_training, ids = self.training, list(prime)
        self.eval()
        with no_grad():
            for _ in range(length):
                logits = self(Tensor(np.asarray([ids[-self.max_len :]])))
                ids.append(sample_next(logits.numpy()[0, -1], temperature, top_k, gen))
        self.train(was_training)
        return ids[len(prime) :]
