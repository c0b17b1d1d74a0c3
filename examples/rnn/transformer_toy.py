"""A Transformer encoder on a toy task: reverse a sequence in one parallel pass.

No recurrence: every position attends to every other through multi-head self-attention,
softmax(Q K^T / sqrt(d)) V, and the order of the tokens is known only from the positional
encoding added to the embeddings (sin/cos of the position at several frequencies). Output
position t must copy input position L - 1 - t: without positions the encoder could not tell
them apart and can only guess from the bag of tokens; with them it learns the task.

Run: python examples/rnn/transformer_toy.py
"""

from __future__ import annotations

import numpy as np

import lamina as L
import lamina.nn.functional as F
from lamina import nn, optim

VOCAB, LENGTH, D_MODEL, STEPS = 10, 6, 32, 150


class Reverser(nn.Module):
    def __init__(self, positions: bool, rng: np.random.Generator) -> None:
        super().__init__()
        self.embed = nn.Embedding(VOCAB, D_MODEL, rng=rng)
        self.positions = (
            nn.SinusoidalPositionalEncoding(D_MODEL, batch_first=True) if positions else None
        )
        layer = nn.TransformerEncoderLayer(
            D_MODEL, nhead=4, dim_feedforward=64, dropout=0.0, batch_first=True, rng=rng
        )
        self.encoder = nn.TransformerEncoder(layer, num_layers=2)
        self.head = nn.Linear(D_MODEL, VOCAB, rng=rng)

    def forward(self, ids: L.Tensor) -> L.Tensor:
        h = self.embed(ids)
        if self.positions is not None:
            h = self.positions(h)  # adds sin/cos of each position
        return self.head(self.encoder(h))  # (batch, length, vocab)


def accuracy(positions: bool) -> float:
    rng = np.random.default_rng(0)
    model = Reverser(positions, rng)
    opt = optim.Adam(model.parameters(), lr=0.003)
    for _ in range(STEPS):
        x = rng.integers(0, VOCAB, (32, LENGTH))
        logits = model(L.tensor(x))
        loss = F.cross_entropy(logits.reshape(-1, VOCAB), L.tensor(x[:, ::-1].reshape(-1)))
        opt.zero_grad()
        loss.backward()
        opt.step()
    x = np.random.default_rng(1).integers(0, VOCAB, (300, LENGTH))
    with L.no_grad():
        pred = model(L.tensor(x)).numpy().argmax(-1)
    return float(np.mean(pred == x[:, ::-1]))


def main() -> None:
    print(f"token accuracy with positional encoding: {accuracy(True):.3f}")
    print(f"token accuracy without positions: {accuracy(False):.3f} (chance {1 / VOCAB:.3f})")


if __name__ == "__main__":
    main()
