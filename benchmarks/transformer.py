"""Benchmark: a 2-layer Transformer encoder in lamina and in PyTorch (CPU, 2 threads).

TransformerEncoder of 2 layers (d_model 256, 8 heads, feed-forward 1,024, ReLU, dropout 0.1,
post-norm), sequences of 128, batch 32, 50 batches per epoch of random inputs against random
targets (mean squared error), Adam, float32, batch first. Prints seconds per epoch (median
of 3 after a warm-up, the frameworks interleaved) and the ratio lamina / PyTorch.
Run: python benchmarks/transformer.py
"""

from __future__ import annotations

import numpy as np
import torch
from _timing import compare, setup_torch

import lamina as L
import lamina.nn.functional as F
from lamina import nn, optim

D_MODEL, HEADS, FF, LAYERS, SEQ, BATCH, BATCHES = 256, 8, 1024, 2, 128, 32, 50


def main(batches: int = BATCHES, repeats: int = 3) -> dict[str, float]:
    setup_torch()
    rng = np.random.default_rng(0)
    x = rng.standard_normal((batches, BATCH, SEQ, D_MODEL)).astype(np.float32)
    y = rng.standard_normal((batches, BATCH, SEQ, D_MODEL)).astype(np.float32)
    tmodel = torch.nn.TransformerEncoder(
        torch.nn.TransformerEncoderLayer(D_MODEL, HEADS, FF, batch_first=True),
        LAYERS,
        enable_nested_tensor=False,
    )
    model = nn.TransformerEncoder(
        nn.TransformerEncoderLayer(D_MODEL, HEADS, FF, batch_first=True), LAYERS
    )
    model.load_state_dict({k: v.numpy() for k, v in tmodel.state_dict().items()})
    opt = optim.Adam(model.parameters(), lr=1e-4)
    topt = torch.optim.Adam(tmodel.parameters(), lr=1e-4)
    tx, ty = torch.from_numpy(x), torch.from_numpy(y)

    def lamina_epoch() -> None:
        for b in range(batches):
            loss = F.mse_loss(model(L.tensor(x[b])), L.tensor(y[b]))
            opt.zero_grad()
            loss.backward()
            opt.step()

    def torch_epoch() -> None:
        for b in range(batches):
            loss = torch.nn.functional.mse_loss(tmodel(tx[b]), ty[b])
            topt.zero_grad()
            loss.backward()
            topt.step()

    return compare("transformer", lamina_epoch, torch_epoch, repeats=repeats)


if __name__ == "__main__":
    main()
