"""The shapes of sequence tasks: many-to-one, many-to-many, one-to-many, and a deep RNN.

One recurrent layer reads a (time, batch, features) sequence and returns every hidden state
(time, batch, hidden) and the last one (layers, batch, hidden). What the task reads off it:

- many-to-one (sentiment of a sentence): a classifier on the last hidden state;
- many-to-many, same length (tagging each word, e.g. named entities): one on every state;
- one-to-many (music or text generation): feed each output back in as the next input;
- deep RNN: layers stacked, each reading the hidden states of the one below.

Run: python examples/rnn/sequence_shapes.py
"""

from __future__ import annotations

import numpy as np

import lamina as L
from lamina import nn

T, B, X_SIZE, H_SIZE, CLASSES, TAGS = 7, 2, 5, 8, 3, 4


def main() -> None:
    rng = np.random.default_rng(0)
    x = L.tensor(rng.normal(size=(T, B, X_SIZE)).astype(np.float32))
    gru = nn.GRU(X_SIZE, H_SIZE, rng=rng)
    outputs, h_n = gru(x)
    print(f"input {x.shape} -> outputs {outputs.shape}, last state {h_n.shape}")

    sentiment = nn.Linear(H_SIZE, CLASSES, rng=rng)(h_n[-1])  # many-to-one
    print(f"many-to-one logits: {sentiment.shape}")
    tags = nn.Linear(H_SIZE, TAGS, rng=rng)(outputs)  # many-to-many: one per step
    print(f"many-to-many logits: {tags.shape}")

    cell, head = nn.GRUCell(X_SIZE, H_SIZE, rng=rng), nn.Linear(H_SIZE, X_SIZE, rng=rng)
    inp, h, generated = x[0], None, []
    for _ in range(T):  # one-to-many: one seed input, each output fed back as the next input
        h = cell(inp, h)
        inp = head(h)
        generated.append(inp)
    print(f"one-to-many generated steps: {len(generated)} of shape {generated[0].shape}")
    causal = np.allclose(outputs[0].numpy(), gru(x[:1])[0][0].numpy())
    print(f"causal: the state at step 0 depends on x_0 alone: {causal}")

    deep = nn.LSTM(X_SIZE, H_SIZE, num_layers=3, rng=rng)
    out3, (h3, c3) = deep(x)
    print(f"deep LSTM (3 layers): outputs {out3.shape}, h_n {h3.shape}, c_n {c3.shape}")


if __name__ == "__main__":
    main()
