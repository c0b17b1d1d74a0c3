"""Bidirectional RNNs: getting information from the future of the sequence.

"He said, Teddy bears are on sale" against "He said, Teddy Roosevelt was a great
President": whether "Teddy" is a name depends on words after it. A unidirectional RNN's state
at step t has only read x_1..x_t; a bidirectional one runs a second RNN from the end and
concatenates both states, so its output at step t has read the whole sentence. Changing only
the last input shows it: the forward half of step 0 does not move, the backward half does.

Run: python examples/rnn/bidirectional.py
"""

from __future__ import annotations

import numpy as np

import lamina as L
from lamina import nn

T, B, X_SIZE, H_SIZE = 6, 1, 4, 5


def main() -> None:
    rng = np.random.default_rng(0)
    brnn = nn.LSTM(X_SIZE, H_SIZE, bidirectional=True, rng=rng)
    x = rng.normal(size=(T, B, X_SIZE)).astype(np.float32)
    changed = x.copy()
    changed[-1] += 1.0  # a different last word
    out, _ = brnn(L.tensor(x))
    out2, _ = brnn(L.tensor(changed))
    print(f"bidirectional outputs: {out.shape} (time, batch, 2 * hidden)")
    forward_move = np.abs(out2.numpy()[0, :, :H_SIZE] - out.numpy()[0, :, :H_SIZE]).max()
    backward_move = np.abs(out2.numpy()[0, :, H_SIZE:] - out.numpy()[0, :, H_SIZE:]).max()
    print(f"step 0 after changing the last input: forward half moves {forward_move:.2e}")
    print(f"step 0 after changing the last input: backward half moves {backward_move:.2e}")
    params = sum(p.numel() for p in brnn.parameters())
    one_way = 4 * H_SIZE * (X_SIZE + H_SIZE + 2)
    print(f"params bidirectional LSTM: {params} = 2 x {one_way}")


if __name__ == "__main__":
    main()
