"""Character-level language model: embedding, LSTM (or GRU/RNN), linear to the vocabulary."""

from __future__ import annotations

import numpy as np

from lamina.autodiff.grad_mode import no_grad
from lamina.autodiff.tensor import Tensor
from lamina.nn.embedding import Embedding
from lamina.nn.linear import Linear
from lamina.nn.module import Module
from lamina.nn.recurrent import GRU, LSTM, RNN
from lamina.ops.activation import softmax

__all__ = ["CharRNN"]

_CELLS = {"lstm": LSTM, "gru": GRU, "rnn": RNN}


class CharRNN(Module):
    """p(c_t | c_<t) = softmax(W h_t + b), h_t = cell(embed(c_t-1), h_t-1).

    Input (N, L) integer ids, output (N, L, vocab_size) logits; trained with cross-entropy
    at every step. ``generate`` samples text with a temperature.
    """

    def __init__(
        self,
        vocab_size: int,
        embedding_dim: int = 32,
        hidden_size: int = 256,
        num_layers: int = 1,
        cell: str = "lstm",
        *,
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__()
        if cell not in _CELLS:
            raise ValueError(f"CharRNN: cell must be one of {sorted(_CELLS)}, got {cell!r}")
        self.embedding = Embedding(vocab_size, embedding_dim, rng=rng)
        self.rnn = _CELLS[cell](embedding_dim, hidden_size, num_layers, batch_first=True, rng=rng)
        self.head = Linear(hidden_size, vocab_size, rng=rng)

    def forward(self, ids: Tensor, state: object = None) -> Tensor:
        out, _ = self.rnn(self.embedding(ids), state)
        return self.head(out)

    def step(self, ids: Tensor, state: object = None) -> tuple[Tensor, object]:
        """Logits for the next character and the carried state (for sampling)."""
        out, state = self.rnn(self.embedding(ids), state)
        return self.head(out), state

    def generate(
        self,
        prime: list[int],
        length: int,
        temperature: float = 1.0,
        rng: np.random.Generator | None = None,
    ) -> list[int]:
        """Sample ``length`` ids after ``prime`` from softmax(logits / temperature).

        Low temperatures approach greedy decoding; high ones flatten the distribution.
        """
        if temperature <= 0:
            raise ValueError(f"CharRNN.generate: temperature must be > 0, got {temperature}")
        if not prime:
            raise ValueError("CharRNN.generate: prime needs at least one id")
        gen = rng if rng is not None else np.random.default_rng()
        was_training = self.training
        self.eval()
        out: list[int] = []
        with no_grad():
            logits, state = self.step(Tensor(np.asarray([prime])))
            for _ in range(length):
                p = softmax(logits[0, -1] / temperature, -1).numpy().astype(np.float64)
                nxt = int(gen.choice(len(p), p=p / p.sum()))
                out.append(nxt)
                logits, state = self.step(Tensor(np.asarray([[nxt]])), state)
        self.train(was_training)
        return out
