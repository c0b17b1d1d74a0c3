"""A neural language model (Bengio et al., 2003): word vectors let it generalize to n-grams
it never saw.

"I want a glass of orange ___" (juice), "a glass of cold ___" (milk): the model reads the
embeddings of the previous four words, concatenated, through a tanh layer to a softmax over
the vocabulary. The training text never has "glass of grape", but "grape" is eaten where
"orange", "apple" and "mango" are, so its learnt vector is shaped by the same contexts as
theirs, and the model predicts "juice" after "a glass of grape": a count-based model has no
count for that context to go on.

Run: python examples/nlp/neural_lm.py
"""

from __future__ import annotations

import numpy as np

import lamina as L
import lamina.nn.functional as F
from lamina import models, optim

CONTEXT = 4
PEOPLE = ["i", "she", "he", "we", "they"]
JUICED = ["orange", "apple", "mango"]  # seen before "juice"
FRUIT = [*JUICED, "grape"]  # "grape" only ever eaten
MILKY = ["cold", "warm", "fresh"]  # seen before "milk"


def corpus(rng: np.random.Generator, n: int) -> list[list[str]]:
    sentences = []
    for _ in range(n):
        who, kind = rng.choice(PEOPLE), rng.integers(4)
        if kind == 0:
            words = f"{who} wants a glass of {rng.choice(JUICED)} juice"
        elif kind == 1:
            words = f"{who} wants a glass of {rng.choice(MILKY)} milk"
        elif kind == 2:
            words = f"{who} eats a {rng.choice(FRUIT)} every day"
        else:
            words = f"{who} likes it {rng.choice(MILKY)}"
        sentences.append(["<s>"] * CONTEXT + words.split() + ["</s>"])
    return sentences


def main() -> None:
    rng = np.random.default_rng(0)
    sentences = corpus(rng, 600)
    vocab = sorted({w for s in sentences for w in s})
    index = {w: i for i, w in enumerate(vocab)}
    ids = [[index[w] for w in s] for s in sentences]
    x = np.array([s[t - CONTEXT : t] for s in ids for t in range(CONTEXT, len(s))])
    y = np.array([s[t] for s in ids for t in range(CONTEXT, len(s))])
    seen = {tuple(vocab[i] for i in row) for row in x}
    unseen = ("a", "glass", "of", "grape") in seen
    print(f"{len(x)} training n-grams; 'a glass of grape' among them: {unseen}")

    model = models.NNLM(len(vocab), CONTEXT, embedding_dim=10, hidden_size=32, rng=rng)
    opt = optim.Adam(model.parameters(), lr=0.01)
    for _ in range(6):
        for batch in np.array_split(rng.permutation(len(x)), len(x) // 128):
            loss = F.cross_entropy(model(L.tensor(x[batch])), L.tensor(y[batch]))
            opt.zero_grad()
            loss.backward()
            opt.step()
    print(f"training loss {loss.item():.4f}")

    with L.no_grad():
        for context in ("a glass of orange", "a glass of grape", "a glass of warm"):
            row = np.array([[index[w] for w in context.split()]])
            p = F.softmax(model(L.tensor(row)), dim=-1).numpy()[0]
            best = vocab[int(p.argmax())]
            print(f"after {context!r}: {best} (P {p.max():.2f})")


if __name__ == "__main__":
    main()
