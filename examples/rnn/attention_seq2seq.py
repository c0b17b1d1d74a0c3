"""Attention in a sequence-to-sequence model: the decoder learns where to look.

An encoder GRU reads a digit sequence; a decoder GRU writes it reversed. With (additive,
Bahdanau) attention, each decoder step scores every encoder state, turns the scores into
weights by a softmax (they sum to 1) and reads their weighted sum (the context). To reverse,
output step t needs input step L - 1 - t, so the learnt weights concentrate on the
anti-diagonal, drawn as a heat map.

Run: python examples/rnn/attention_seq2seq.py [--out DIR]   -> DIR/attention.png
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np

import lamina as L
import lamina.nn.functional as F
from lamina.models import Seq2Seq
from lamina.training import plot_attention

SOS, EOS, DIGITS, LENGTH, STEPS = 1, 2, 10, 5, 100  # digit d is token d + 3


def batch(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    x = rng.integers(0, DIGITS, (n, LENGTH)) + 3
    return x, x[:, ::-1]


def main(out: Path) -> None:
    rng = np.random.default_rng(0)
    model = Seq2Seq(DIGITS + 3, DIGITS + 3, 16, 32, attention="additive", rng=rng)
    opt = L.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(STEPS):
        x, y = batch(rng, 32)
        tgt_in = np.concatenate([np.full((32, 1), SOS), y], 1)  # teacher forcing
        tgt_out = np.concatenate([y, np.full((32, 1), EOS)], 1)
        logits = model(x, tgt_in)
        loss = F.cross_entropy(logits.reshape(-1, DIGITS + 3), L.tensor(tgt_out.reshape(-1)))
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"final training loss {loss.item():.4f}")
    x, y = batch(np.random.default_rng(1), 200)
    decoded, weights = model.greedy(x, max_length=LENGTH + 1)
    print(
        f"exact reversals of unseen sequences: {np.mean(np.all(decoded[:, :LENGTH] == y, 1)):.3f}"
    )
    w = weights[:, :LENGTH].mean(axis=0)  # (output step, input step), averaged over the batch
    print(f"attention rows sum to 1: {bool(np.allclose(w.sum(axis=1), 1, atol=1e-4))}")
    anti = float(np.mean([w[t, LENGTH - 1 - t] for t in range(LENGTH)]))
    print(f"mean weight on the anti-diagonal {anti:.3f} (uniform would be {1 / LENGTH:.3f})")
    out.mkdir(parents=True, exist_ok=True)
    src = [str(d - 3) for d in x[0]]
    tgt = [str(d - 3) for d in y[0]]
    print(f"wrote {plot_attention(weights[0, :LENGTH], out / 'attention.png', src, tgt)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Attention weights of a seq2seq model.")
    parser.add_argument("--out", type=Path, help="folder for the PNG (default: a temporary one)")
    main(parser.parse_args().out or Path(tempfile.mkdtemp(prefix="lamina-attention-")))
