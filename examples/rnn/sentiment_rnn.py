"""Sentiment classification: averaged word vectors against an LSTM (many-to-one).

The simplest model averages the embeddings of a review's words and classifies the average.
It cannot see word order: "good , not bad" and "bad , not good" have the same words, so it
gives them the same score, and "not" flipping the next word's meaning is beyond a linear
classifier of the average (an XOR of "not" and "good"). An LSTM reads the words in order and
classifies its last hidden state; it learns both.

Run: python examples/rnn/sentiment_rnn.py
"""

from __future__ import annotations

import numpy as np

import lamina as L
import lamina.nn.functional as F
from lamina import nn, optim

GOOD, BAD = ["good", "great", "tasty"], ["bad", "awful", "slow"]
SUBJECTS = ["the food", "the service", "the dessert", "the meal"]
VOCAB = sorted({"<pad>", "was", "not", ",", *GOOD, *BAD, *" ".join(SUBJECTS).split()})
LENGTH = 8


def review(rng: np.random.Generator) -> tuple[list[str], int]:
    negated = bool(rng.integers(2))
    positive = bool(rng.integers(2))
    word = rng.choice(GOOD if positive else BAD)
    words = [*rng.choice(SUBJECTS).split(), "was", *(["not"] if negated else []), str(word)]
    return words, int(positive != negated)  # "not good" is negative, "not bad" positive


def encode(words: list[str]) -> list[int]:
    ids = [VOCAB.index(w) for w in words]
    return [VOCAB.index("<pad>")] * (LENGTH - len(ids)) + ids  # left-pad: the end is last


class Averaged(nn.Module):
    def __init__(self, rng: np.random.Generator) -> None:
        super().__init__()
        self.embed = nn.Embedding(len(VOCAB), 16, rng=rng)
        self.head = nn.Linear(16, 2, rng=rng)

    def forward(self, ids: L.Tensor) -> L.Tensor:
        return self.head(self.embed(ids).mean(dim=1))  # word order is lost here


class Recurrent(nn.Module):
    def __init__(self, rng: np.random.Generator) -> None:
        super().__init__()
        self.embed = nn.Embedding(len(VOCAB), 16, rng=rng)
        self.lstm = nn.LSTM(16, 32, batch_first=True, rng=rng)
        self.head = nn.Linear(32, 2, rng=rng)

    def forward(self, ids: L.Tensor) -> L.Tensor:
        _, (h, _) = self.lstm(self.embed(ids))
        return self.head(h[-1])  # many-to-one: the last hidden state


def dataset(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    reviews = [review(rng) for _ in range(n)]
    return np.array([encode(w) for w, _ in reviews]), np.array([label for _, label in reviews])


def main() -> None:
    x, y = dataset(600, seed=0)
    x_test, y_test = dataset(300, seed=1)
    pair = np.array(
        [encode(s.split()) for s in ("the food was good , not bad", "the food was bad , not good")]
    )
    rng = np.random.default_rng(0)
    for name, model in (
        ("averaged embeddings", Averaged(np.random.default_rng(0))),
        ("LSTM", Recurrent(np.random.default_rng(0))),
    ):
        opt = optim.Adam(model.parameters(), lr=0.01)
        for _ in range(150):
            batch = rng.choice(len(x), 32, replace=False)
            loss = F.cross_entropy(model(L.tensor(x[batch])), L.tensor(y[batch]))
            opt.zero_grad()
            loss.backward()
            opt.step()
        with L.no_grad():
            acc = float((model(L.tensor(x_test)).numpy().argmax(1) == y_test).mean())
            p = F.softmax(model(L.tensor(pair)), dim=-1).numpy()[:, 1]
        print(f"{name}: test accuracy {acc:.3f}")
        print(f"{name}: P(positive) 'good , not bad' {p[0]:.3f} 'bad , not good' {p[1]:.3f}")


if __name__ == "__main__":
    main()
