"""CNNs for text: one-dimensional convolutions over one-hot characters, then max over time.

A sentence becomes a (alphabet size) x (length) one-hot matrix; a Conv1d filter of width 3
scores every character trigram, and max pooling over the whole length keeps the best score
wherever the trigram was: the feature is position-invariant. Here one filter is set by hand
to detect "cat" (weight 1 on c, a, t at positions 0, 1, 2).

Run: python examples/cnn/char_cnn.py
"""

from __future__ import annotations

import numpy as np

import lamina as L
from lamina import models, nn

ALPHABET = "abcdefghijklmnopqrstuvwxyz "
LENGTH = 24


def one_hot(texts: list[str]) -> np.ndarray:
    """(batch, alphabet, length) one-hot characters, zero columns after the text ends."""
    x = np.zeros((len(texts), len(ALPHABET), LENGTH), dtype=np.float32)
    for i, text in enumerate(texts):
        for t, ch in enumerate(text[:LENGTH]):
            x[i, ALPHABET.index(ch), t] = 1.0
    return x


def main() -> None:
    conv = nn.Conv1d(len(ALPHABET), 1, 3, bias=False)
    w = np.zeros((1, len(ALPHABET), 3), dtype=np.float32)
    for pos, ch in enumerate("cat"):
        w[0, ALPHABET.index(ch), pos] = 1.0
    conv.weight.data[...] = w
    texts = ["the cat sat", "a dog and a cat", "cat naps", "no pets here", "cart act tac"]
    x = one_hot(texts)
    print(f"one-hot input: {x.shape} (batch, alphabet, length)")
    scores = conv(L.tensor(x))  # (batch, 1, length - 2): one score per trigram
    best = nn.MaxPool1d(LENGTH - 2)(scores).numpy()[:, 0, 0]  # max over time
    where = scores.numpy()[:, 0].argmax(axis=1)
    for text, b, at in zip(texts, best, where):
        print(f"{text!r:<20} max-pooled 'cat' score {b:.0f} at position {at}")
    # lamina's character CNN (Zhang et al., 2015) stacks six such layers and pools in between.
    net = models.CharCNN(num_classes=2, alphabet=ALPHABET, length=128, features=32, hidden=64)
    logits = net(L.tensor(models.encode_chars(texts, alphabet=ALPHABET, length=128)))
    print(f"CharCNN logits: {logits.shape}, {sum(p.numel() for p in net.parameters()):,} params")


if __name__ == "__main__":
    main()
