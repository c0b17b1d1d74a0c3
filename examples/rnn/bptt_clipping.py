"""Backpropagation through time, truncated, and gradient clipping.

BPTT unrolls the RNN over the sequence and backpropagates through every step: the loss at the
end reaches every input. Truncated BPTT cuts the graph every k steps (the hidden state is
carried forward as a constant, ``detach``), so inputs more than k steps back get no gradient,
and memory stays bounded. Gradient clipping rescales the whole gradient when its norm exceeds
a threshold, g <- g * max_norm / ||g||, keeping exploding gradients from wrecking a step.

Run: python examples/rnn/bptt_clipping.py
"""

from __future__ import annotations

import numpy as np

import lamina as L
from lamina import nn
from lamina.nn.utils import clip_grad_norm_

T, K, X_SIZE, H_SIZE = 12, 4, 3, 8


def input_gradients(truncate: int | None) -> np.ndarray:
    """|dL/dx_t| per step, for a loss on the last hidden state."""
    rng = np.random.default_rng(0)
    cell = nn.RNNCell(X_SIZE, H_SIZE, rng=rng)
    xs = [L.tensor(rng.normal(size=(1, X_SIZE)), requires_grad=True) for _ in range(T)]
    h = None
    for t, x in enumerate(xs):
        if truncate and t % truncate == 0 and h is not None:
            h = h.detach()  # cut the graph: earlier steps get no gradient through h
        h = cell(x.float(), h)
    (h**2).sum().backward()
    return np.array([0.0 if x.grad is None else np.abs(x.grad.numpy()).sum() for x in xs])


def main() -> None:
    full, cut = input_gradients(None), input_gradients(K)
    print(f"full BPTT: steps with a gradient {int((full > 0).sum())} of {T}")
    print(f"truncated every {K}: steps with a gradient {int((cut > 0).sum())} of {T}")

    rng = np.random.default_rng(1)
    layer = nn.Linear(4, 4, rng=rng)
    (layer(L.tensor(rng.normal(size=(2, 4)).astype(np.float32))) * 1000).sum().backward()
    before = clip_grad_norm_(layer.parameters(), max_norm=1.0)  # returns the norm before
    after = np.sqrt(sum(float((p.grad.numpy() ** 2).sum()) for p in layer.parameters()))
    print(f"gradient norm before clipping {float(before):.1f} after {after:.4f}")


if __name__ == "__main__":
    main()
