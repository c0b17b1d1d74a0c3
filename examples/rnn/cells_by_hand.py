"""RNN, LSTM and GRU cells: one time step from the course's equations against lamina's cells.

    RNN   h' = tanh(W_ih x + b_ih + W_hh h + b_hh)
    LSTM  i, f, g, o = sigma(.), sigma(.), tanh(.), sigma(.) of W_ih x + b_ih + W_hh h + b_hh
          c' = f * c + i * g          (forget part of the old memory, write the new)
          h' = o * tanh(c')           (expose part of the memory)
    GRU   r, z = sigma(.), sigma(.);  n = tanh(W_in x + b_in + r * (W_hn h + b_hn))
          h' = (1 - z) * n + z * h    (the update gate mixes old and candidate state)

The gates are stacked in the weight matrices in PyTorch's order (LSTM i, f, g, o; GRU r, z,
n), so an LSTM has 4 times and a GRU 3 times the parameters of a plain RNN cell.

Run: python examples/rnn/cells_by_hand.py
"""

from __future__ import annotations

import numpy as np

import lamina as L
from lamina import nn

X_SIZE, H_SIZE = 3, 4


def sigmoid(a: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-a))


def weights(cell: nn.Module) -> tuple[np.ndarray, ...]:
    return tuple(
        getattr(cell, n).numpy().astype(np.float64)
        for n in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
    )


def main() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(1, X_SIZE)).astype(np.float32)
    h = rng.normal(size=(1, H_SIZE)).astype(np.float32)
    c = rng.normal(size=(1, H_SIZE)).astype(np.float32)

    rnn = nn.RNNCell(X_SIZE, H_SIZE, rng=rng)
    w_ih, w_hh, b_ih, b_hh = weights(rnn)
    by_hand = np.tanh(x @ w_ih.T + b_ih + h @ w_hh.T + b_hh)
    lib = rnn(L.tensor(x), L.tensor(h)).numpy()
    print(f"RNN step max difference: {np.abs(by_hand - lib).max():.2e}")

    lstm = nn.LSTMCell(X_SIZE, H_SIZE, rng=rng)
    w_ih, w_hh, b_ih, b_hh = weights(lstm)
    i, f, g, o = np.split(x @ w_ih.T + b_ih + h @ w_hh.T + b_hh, 4, axis=1)
    c_new = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
    h_new = sigmoid(o) * np.tanh(c_new)
    h_lib, c_lib = lstm(L.tensor(x), (L.tensor(h), L.tensor(c)))
    diff = max(np.abs(h_new - h_lib.numpy()).max(), np.abs(c_new - c_lib.numpy()).max())
    print(f"LSTM step max difference: {diff:.2e}")

    gru = nn.GRUCell(X_SIZE, H_SIZE, rng=rng)
    w_ih, w_hh, b_ih, b_hh = weights(gru)
    gi, gh = x @ w_ih.T + b_ih, h @ w_hh.T + b_hh
    (ri, zi, ni), (rh, zh, nh) = np.split(gi, 3, axis=1), np.split(gh, 3, axis=1)
    r, z = sigmoid(ri + rh), sigmoid(zi + zh)
    n = np.tanh(ni + r * nh)
    by_hand = (1 - z) * n + z * h
    lib = gru(L.tensor(x), L.tensor(h)).numpy()
    print(f"GRU step max difference: {np.abs(by_hand - lib).max():.2e}")

    base = H_SIZE * (X_SIZE + H_SIZE + 2)  # W_ih, W_hh and two biases of one gate
    for name, cell, gates in (("RNN", rnn, 1), ("LSTM", lstm, 4), ("GRU", gru, 3)):
        counted = sum(p.numel() for p in cell.parameters())
        print(f"params {name}: formula {gates * base} counted {counted}")


if __name__ == "__main__":
    main()
