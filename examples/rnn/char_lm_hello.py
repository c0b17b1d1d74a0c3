"""A character-level language model learns to spell "hello".

The course's example: vocabulary [h, e, l, o], training sequence "hello". At every step the
RNN reads one character and predicts the next (h->e, e->l, l->l, l->o): the two "l" steps
need different answers, so the hidden state must remember what came before. At test time
it is given "h" and its own predictions are fed back one at a time (greedy sampling).

Run: python examples/rnn/char_lm_hello.py
"""

from __future__ import annotations

import numpy as np

import lamina as L
import lamina.nn.functional as F
from lamina import models, optim

VOCAB = "helo"


def main() -> None:
    ids = np.array([[VOCAB.index(c) for c in "hello"]])
    model = models.CharRNN(
        len(VOCAB), embedding_dim=8, hidden_size=16, rng=np.random.default_rng(0)
    )
    opt = optim.Adam(model.parameters(), lr=0.05)
    for step in range(60):
        logits = model(L.tensor(ids[:, :-1]))  # (1, 4, vocab): a prediction after each char
        loss = F.cross_entropy(logits.reshape(-1, len(VOCAB)), L.tensor(ids[0, 1:]))
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 20 == 0:
            print(f"step {step:2d}  loss {loss.item():.4f}")
    print(f"final loss {loss.item():.4f}")
    text = "h"
    with L.no_grad():
        for _ in range(4):  # feed the model its own output
            x = L.tensor(np.array([[VOCAB.index(c) for c in text]]))
            text += VOCAB[int(model(x).numpy()[0, -1].argmax())]
    print(f"generated from 'h': {text}")


if __name__ == "__main__":
    main()
