"""Word-level neural language models: Bengio et al.'s neural probabilistic language model
(2003) and an LSTM language model with optional tied input/output embeddings."""

from __future__ import annotations

import numpy as np

from lamina.autodiff.tensor import Tensor, as_tensor
from lamina.errors import ShapeError, check_positive_int
from lamina.nn.embedding import Embedding
from lamina.nn.linear import Linear
from lamina.nn.module import Module
from lamina.nn.recurrent import LSTM
from lamina.ops.elementwise import tanh

__all__ = ["NNLM", "WordLSTM"]


class NNLM(Module):
    """The neural probabilistic language model (Bengio et al., 2003).

    x = [C(w_{t-n+1}); ...; C(w_{t-1})]            (the n-1 previous words' embeddings)
    y = b + W x + U tanh(d + H x),  p(w_t | context) = softmax(y)

    Parameters
    ----------
    vocab_size : int
    context : int
        n - 1, the number of previous words read.
    embedding_dim, hidden_size : int, default 30, 100
    direct : bool, default=False
        The optional direct connections W from the embeddings to the output.

    Input (N, context) word ids, output (N, vocab_size) logits. Parameters: embedding.weight
    C (V, m), hidden (H, d), output (U, b) and, with ``direct``, direct.weight W.
    """

    def __init__(
        self,
        vocab_size: int,
        context: int,
        embedding_dim: int = 30,
        hidden_size: int = 100,
        direct: bool = False,
        *,
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__()
        check_positive_int("NNLM", vocab_size=vocab_size, context=context)
        self.context = context
        self.embedding = Embedding(vocab_size, embedding_dim, rng=rng)
        self.hidden = Linear(context * embedding_dim, hidden_size, rng=rng)
        self.output = Linear(hidden_size, vocab_size, rng=rng)
        self.direct = (
            Linear(context * embedding_dim, vocab_size, bias=False, rng=rng) if direct else None
        )

    def forward(self, ids: Tensor) -> Tensor:
        ids = as_tensor(ids)
        if ids.ndim != 2 or ids.shape[1] != self.context:
            raise ShapeError(f"NNLM: expected ids (N, {self.context}), got shape {ids.shape}")
        x = self.embedding(ids).reshape(ids.shape[0], -1)
        y = self.output(tanh(self.hidden(x)))
        return y if self.direct is None else y + self.direct(x)


class WordLSTM(Module):
    """p(w_t | w_<t) = softmax(W h_t + b), h_t = LSTM(embed(w_{t-1}), h_{t-1}).

    Parameters
    ----------
    vocab_size : int
    embedding_dim, hidden_size, num_layers : int, default 128, 128, 1
    dropout : float, default=0.0
        Between LSTM layers (PyTorch's ``dropout``).
    tie_weights : bool, default=False
        Share the output weight with the input embedding (Press & Wolf, 2017; Inan et al.,
        2017): W = embedding.weight, which needs embedding_dim == hidden_size.

    Input (N, L) ids, output (N, L, vocab_size) logits.
    """

    def __init__(
        self,
        vocab_size: int,
        embedding_dim: int = 128,
        hidden_size: int = 128,
        num_layers: int = 1,
        dropout: float = 0.0,
        tie_weights: bool = False,
        *,
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__()
        if tie_weights and embedding_dim != hidden_size:
            raise ValueError(
                "WordLSTM: tie_weights needs embedding_dim == hidden_size, got "
                f"{embedding_dim} and {hidden_size}"
            )
        self.embedding = Embedding(vocab_size, embedding_dim, rng=rng)
        self.rnn = LSTM(
            embedding_dim, hidden_size, num_layers, batch_first=True, dropout=dropout, rng=rng
        )
        self.head = Linear(hidden_size, vocab_size, rng=rng)
        if tie_weights:
            self.head.weight = self.embedding.weight

    def forward(self, ids: Tensor, state: object = None) -> Tensor:
        out, _ = self.rnn(self.embedding(as_tensor(ids)), state)
        return self.head(out)

    def step(self, ids: Tensor, state: object = None) -> tuple[Tensor, object]:
        """Logits (N, L, vocab_size) and the LSTM's final (h, c), to carry on sampling."""
        out, state = self.rnn(self.embedding(as_tensor(ids)), state)
        return self.head(out), state
