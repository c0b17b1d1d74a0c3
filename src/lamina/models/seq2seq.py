"""Sequence-to-sequence: a recurrent encoder-decoder (Sutskever et al., 2014) with optional
attention (Bahdanau et al., 2015; Luong et al., 2015), teacher forcing, and greedy and beam
search decoding.

Encoder:  h_1..h_S = RNN(embed(x_1..x_S))
Decoder:  s_t = cell([embed(y_{t-1}); c_{t-1}], s_{t-1}),  c_t = attention(s_t, h, mask)
          p(y_t | y_<t, x) = softmax(W [s_t; c_t] + b)
Without attention c_t is absent and s_0 is the encoder's final state.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from lamina.autodiff.grad_mode import no_grad
from lamina.autodiff.tensor import Tensor, as_tensor
from lamina.errors import check_in, check_positive_int
from lamina.nn.attention import AdditiveAttention, MultiplicativeAttention
from lamina.nn.embedding import Embedding
from lamina.nn.linear import Linear
from lamina.nn.module import Module
from lamina.nn.recurrent import GRU, LSTM
from lamina.nn.rnn_cells import GRUCell, LSTMCell
from lamina.ops.activation import log_softmax
from lamina.ops.shape import cat, stack

__all__ = ["Hypothesis", "Seq2Seq", "beam_search"]

StepFn = Callable[[np.ndarray, Any], tuple[np.ndarray, Any]]


@dataclass(frozen=True)
class Hypothesis:
    """One decoded sequence: its tokens (EOS included when reached), its total
    log-probability and its ranking score logp / len**length_penalty."""

    tokens: tuple[int, ...]
    log_prob: float
    score: float


def _take(state: Any, index: np.ndarray) -> Any:
    """Rows ``index`` of every tensor or array in a (nested) state."""
    if isinstance(state, (tuple, list)):
        return type(state)(_take(s, index) for s in state)
    if state is None:
        return None
    return state[Tensor._wrap(index)] if isinstance(state, Tensor) else state[index]


def beam_search(
    step: StepFn,
    state: Any,
    sos: int,
    eos: int,
    beam_width: int = 5,
    max_length: int = 50,
    n_best: int = 1,
    length_penalty: float = 1.0,
) -> list[Hypothesis]:
    """Beam search over a decoder given as ``step(last_tokens (B,), state) -> (log_probs (B, V),
    state)``, the state's tensors holding one row per live hypothesis.

    Each step extends every live hypothesis by every token and keeps the ``beam_width`` best
    by total log-probability; a hypothesis ending in ``eos`` is finished, and at
    ``max_length`` tokens the live ones are finished as they stand. The finished ones are
    ranked by score = log_prob / len**length_penalty (0 ranks by log_prob alone; 1 is the
    per-token average) and the ``n_best`` best returned.
    """
    check_positive_int("beam_search", beam_width=beam_width, max_length=max_length, n_best=n_best)
    live: list[tuple[tuple[int, ...], float]] = [((), 0.0)]
    finished: list[tuple[tuple[int, ...], float]] = []
    for t in range(max_length):
        last = np.array([toks[-1] if toks else sos for toks, _ in live])
        log_probs, state = step(last, state)
        total = np.array([lp for _, lp in live])[:, None] + np.asarray(log_probs, np.float64)
        order = np.argsort(-total, axis=None, kind="stable")[:beam_width]
        rows, tokens = np.unravel_index(order, total.shape)
        keep, extended = [], []
        for r, tok in zip(rows, tokens):
            hyp = (live[r][0] + (int(tok),), float(total[r, tok]))
            if tok == eos or t == max_length - 1:
                finished.append(hyp)
            else:
                extended.append(hyp)
                keep.append(r)
        live = extended
        if not live:
            break
        state = _take(state, np.array(keep))

    def score(lp: float, n: int) -> float:
        return lp / n**length_penalty

    ranked = sorted(finished, key=lambda h: -score(h[1], len(h[0])))
    return [Hypothesis(toks, lp, score(lp, len(toks))) for toks, lp in ranked[:n_best]]


class Seq2Seq(Module):
    """Recurrent encoder-decoder over token ids, with or without attention.

    Parameters
    ----------
    src_vocab, tgt_vocab : int
        Vocabulary sizes; token ids index ``nn.Embedding`` tables.
    embed_dim, hidden_size : int
    cell : {"gru", "lstm"}, default="gru"
    attention : {None, "additive", "dot", "general"}, default="additive"
    sos, eos : int, default=1, 2
        Target ids of the start and end tokens.
    rng : numpy.random.Generator, optional

    ``forward(src (N, S), tgt_in (N, T), src_padding (N, S) bool, teacher_forcing_ratio)``
    returns logits (N, T, tgt_vocab); tgt_in starts with ``sos``. With ratio < 1 each step
    feeds the model's own previous argmax instead of the true token with probability
    1 - ratio (Bengio et al., 2015's scheduled sampling draws the same way).
    """

    def __init__(
        self,
        src_vocab: int,
        tgt_vocab: int,
        embed_dim: int = 32,
        hidden_size: int = 64,
        cell: str = "gru",
        attention: str | None = "additive",
        sos: int = 1,
        eos: int = 2,
        *,
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__()
        check_positive_int(
            "Seq2Seq",
            src_vocab=src_vocab,
            tgt_vocab=tgt_vocab,
            embed_dim=embed_dim,
            hidden_size=hidden_size,
        )
        check_in("Seq2Seq", "cell", cell, ("gru", "lstm"))
        check_in("Seq2Seq", "attention", attention, (None, "additive", "dot", "general"))
        self.cell_type, self.attention_type, self.sos, self.eos = cell, attention, sos, eos
        self.hidden_size, self.rng = hidden_size, rng or np.random.default_rng()
        h, ctx = hidden_size, hidden_size if attention else 0
        self.src_embed = Embedding(src_vocab, embed_dim, rng=rng)
        self.tgt_embed = Embedding(tgt_vocab, embed_dim, rng=rng)
        rnn, step_cell = (GRU, GRUCell) if cell == "gru" else (LSTM, LSTMCell)
        self.encoder = rnn(embed_dim, h, batch_first=True, rng=rng)
        self.decoder = step_cell(embed_dim + ctx, h, rng=rng)
        if attention is not None:
            self.attention: Module = (
                AdditiveAttention(h, h, h, rng=rng)
                if attention == "additive"
                else MultiplicativeAttention(h, h, score=attention, rng=rng)
            )
        self.out = Linear(h + ctx, tgt_vocab, rng=rng)

    def encode(self, src: Any, src_padding: Any = None) -> tuple[Tensor, Any]:
        """Encoder outputs (N, S, H) and the decoder's first state (with a zero context)."""
        outputs, final = self.encoder(self.src_embed(as_tensor(src)))
        h = final if self.cell_type == "gru" else final[0]
        state = h[-1] if self.cell_type == "gru" else (h[-1], final[1][-1])
        ctx = outputs[:, 0] * 0.0 if self.attention_type else None
        return outputs, (state, ctx)

    def step(
        self, tokens: Any, state: Any, memory: Tensor, src_padding: Any = None
    ) -> tuple[Tensor, Any, Tensor | None]:
        """One decoder step: logits (N, V), the next state, attention weights (N, S)."""
        hidden, ctx = state
        x = self.tgt_embed(as_tensor(tokens))
        if ctx is not None:
            x = cat([x, ctx], -1)
        hidden = self.decoder(x, hidden)
        s = hidden if self.cell_type == "gru" else hidden[0]
        weights = None
        if self.attention_type:
            ctx, weights = self.attention(s, memory, src_padding)
            s = cat([s, ctx], -1)
        return self.out(s), (hidden, ctx), weights

    def forward(
        self, src: Any, tgt_in: Any, src_padding: Any = None, teacher_forcing_ratio: float = 1.0
    ) -> Tensor:
        memory, state = self.encode(src, src_padding)
        tgt = np.asarray(tgt_in.data if isinstance(tgt_in, Tensor) else tgt_in)
        tokens, logits = tgt[:, 0], []
        for t in range(tgt.shape[1]):
            out, state, _ = self.step(tokens, state, memory, src_padding)
            logits.append(out)
            if t + 1 < tgt.shape[1]:
                forced = self.rng.random(len(tokens)) < teacher_forcing_ratio
                tokens = np.where(forced, tgt[:, t + 1], out.data.argmax(-1))
        return stack(logits, 1)

    def greedy(
        self, src: Any, max_length: int = 50, src_padding: Any = None
    ) -> tuple[np.ndarray, np.ndarray | None]:
        """Argmax decoding of a batch: tokens (N, max_length), EOS then padding by EOS, and the
        attention weights (N, steps, S) (None without attention)."""
        with no_grad():
            memory, state = self.encode(src, src_padding)
            tokens = np.full(memory.shape[0], self.sos)
            out_tokens: list[np.ndarray] = []
            maps: list[np.ndarray] = []
            done = np.zeros(len(tokens), bool)
            for _ in range(max_length):
                logits, state, weights = self.step(tokens, state, memory, src_padding)
                tokens = np.where(done, self.eos, logits.data.argmax(-1))
                out_tokens.append(tokens)
                if weights is not None:
                    maps.append(weights.numpy())
                done |= tokens == self.eos
                if done.all():
                    break
        attn = None if self.attention_type is None else np.stack(maps, 1)
        return np.stack(out_tokens, 1), attn

    def beam_search(
        self,
        src: Sequence[int],
        beam_width: int = 5,
        max_length: int = 50,
        n_best: int = 1,
        length_penalty: float = 1.0,
        src_padding: Any = None,
    ) -> list[Hypothesis]:
        """The ``n_best`` hypotheses for one source sequence (S,), its padding mask (S,) bool
        given as in training (see ``beam_search``)."""
        pad = None if src_padding is None else np.asarray(src_padding, bool)[None]
        with no_grad():
            memory, state = self.encode(np.asarray(src)[None], pad)

            def step(last: np.ndarray, st: Any) -> tuple[np.ndarray, Any]:
                rows = np.zeros(len(last), np.int64)  # every hypothesis reads the one source
                mem = memory[Tensor._wrap(rows)]
                logits, st, _ = self.step(last, st, mem, None if pad is None else pad[rows])
                return log_softmax(logits, -1).numpy(), st

            return beam_search(
                step, state, self.sos, self.eos, beam_width, max_length, n_best, length_penalty
            )
