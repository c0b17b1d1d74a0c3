"""RNN, LSTM and GRU trained on the same toy task: predicting the next value of a sine wave.

Each network reads a wave one step at a time (many-to-many) and predicts the next value from
its hidden state through a dense layer. A sine's next value depends on where the wave is
going, not just where it is, so the hidden state must carry the past: all three learn it, and
all three beat the naive forecast "the next value equals this one".

Run: python examples/rnn/rnn_lstm_gru.py
"""

from __future__ import annotations

import numpy as np

import lamina as L
import lamina.nn.functional as F
from lamina import datasets, nn, optim

HIDDEN, STEPS = 16, 150


class Forecaster(nn.Module):
    def __init__(self, kind: str, rng: np.random.Generator) -> None:
        super().__init__()
        self.rnn = getattr(nn, kind)(1, HIDDEN, batch_first=True, rng=rng)
        self.head = nn.Linear(HIDDEN, 1, rng=rng)

    def forward(self, x: L.Tensor) -> L.Tensor:
        out, _ = self.rnn(x)  # (batch, time, hidden): every hidden state
        return self.head(out)


def main() -> None:
    x, y = datasets.make_sine_sequences(256, 30, seed=0)
    x_test, y_test = datasets.make_sine_sequences(64, 30, seed=1)
    x, y, x_test, y_test = (a.astype(np.float32) for a in (x, y, x_test, y_test))
    naive = float(np.mean((x_test - y_test) ** 2))
    print(f"naive forecast (repeat the last value) test MSE {naive:.4f}")
    for kind in ("RNN", "LSTM", "GRU"):
        rng = np.random.default_rng(0)
        model = Forecaster(kind, rng)
        opt = optim.Adam(model.parameters(), lr=0.01)
        for _ in range(STEPS):
            batch = rng.choice(len(x), 32, replace=False)
            loss = F.mse_loss(model(L.tensor(x[batch])), L.tensor(y[batch]))
            opt.zero_grad()
            loss.backward()
            opt.step()
        with L.no_grad():
            test = F.mse_loss(model(L.tensor(x_test)), L.tensor(y_test)).item()
        params = sum(p.numel() for p in model.rnn.parameters())
        print(f"{kind:<4} test MSE {test:.4f}  recurrent params {params}")


if __name__ == "__main__":
    main()
