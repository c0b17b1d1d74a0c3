"""Benchmark: a character LSTM language model in lamina and in PyTorch (CPU, 2 threads).

Embedding 65 -> 32, one LSTM layer of 256, linear 256 -> 65, cross-entropy at every step;
sequences of 64, batch 32, 100 batches per epoch of random character ids, Adam, float32.
Prints seconds per epoch (median of 3 after a warm-up, the frameworks interleaved) and the
ratio lamina / PyTorch.  Run: python benchmarks/charlstm.py
"""

from __future__ import annotations

import numpy as np
import torch
from _timing import compare, setup_torch

import lamina as L
import lamina.nn.functional as F
from lamina import optim
from lamina.nn.embedding import Embedding
from lamina.nn.linear import Linear
from lamina.nn.module import Module
from lamina.nn.recurrent import LSTM

VOCAB, EMBED, HIDDEN, STEPS, BATCH, BATCHES = 65, 32, 256, 64, 32, 100


class CharLSTM(Module):
    def __init__(self) -> None:
        super().__init__()
        self.embed = Embedding(VOCAB, EMBED)
        self.lstm = LSTM(EMBED, HIDDEN)
        self.head = Linear(HIDDEN, VOCAB)

    def forward(self, ids: L.Tensor) -> L.Tensor:
        out, _ = self.lstm(self.embed(ids))
        return self.head(out.reshape(-1, HIDDEN))


class TorchCharLSTM(torch.nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.embed = torch.nn.Embedding(VOCAB, EMBED)
        self.lstm = torch.nn.LSTM(EMBED, HIDDEN)
        self.head = torch.nn.Linear(HIDDEN, VOCAB)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        out, _ = self.lstm(self.embed(ids))
        return self.head(out.reshape(-1, HIDDEN))


def main() -> dict[str, float]:
    setup_torch()
    rng = np.random.default_rng(0)
    text = rng.integers(0, VOCAB, (BATCHES, STEPS + 1, BATCH))  # time-major batches
    model, tmodel = CharLSTM(), TorchCharLSTM()
    model.load_state_dict({k: v.numpy() for k, v in tmodel.state_dict().items()})
    opt = optim.Adam(model.parameters(), lr=2e-3)
    topt = torch.optim.Adam(tmodel.parameters(), lr=2e-3)
    ttext = torch.from_numpy(text)

    def lamina_epoch() -> None:
        for b in range(BATCHES):
            x, y = L.tensor(text[b, :-1]), L.tensor(text[b, 1:].reshape(-1))
            loss = F.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()

    def torch_epoch() -> None:
        for b in range(BATCHES):
            x, y = ttext[b, :-1], ttext[b, 1:].reshape(-1)
            loss = torch.nn.functional.cross_entropy(tmodel(x), y)
            topt.zero_grad()
            loss.backward()
            topt.step()

    return compare("charlstm", lamina_epoch, torch_epoch, repeats=3)


if __name__ == "__main__":
    main()
