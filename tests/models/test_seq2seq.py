"""Seq2Seq and beam search: beam search wide enough never to prune returns the exhaustive
search's n best on a decoder whose probabilities are known; width 1 is greedy decoding;
teacher forcing 0 feeds the model's own argmax; every parameter gets a gradient."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from lamina.models.seq2seq import Seq2Seq, beam_search

V, EOS, SOS, MAX_LEN = 4, 3, 4, 4


def _known_decoder(seed: int = 0):
    """log p(y_t | y_<t) from a fixed random table per prefix; the state is the prefix code."""
    rng = np.random.default_rng(seed)
    table: dict[int, np.ndarray] = {}

    def log_probs(code: int) -> np.ndarray:
        if code not in table:
            logits = rng.standard_normal(V) * 2
            table[code] = logits - np.log(np.exp(logits).sum())
        return table[code]

    def step(last: np.ndarray, codes: np.ndarray):
        new = codes * (V + 2) + last + 1  # the prefix code extended by the fed token
        return np.stack([log_probs(int(c)) for c in new]), new

    return step


def _exhaustive(step, length_penalty: float) -> list[tuple[tuple[int, ...], float]]:
    """Every sequence that ends in EOS within MAX_LEN tokens or reaches MAX_LEN, scored."""
    found = []
    for n in range(1, MAX_LEN + 1):
        for toks in itertools.product(range(V), repeat=n):
            if EOS in toks[:-1] or (toks[-1] != EOS and n < MAX_LEN):
                continue
            code, lp, last = np.array([0]), 0.0, SOS
            for tok in toks:
                logp, code = step(np.array([last]), code)
                lp, last = lp + logp[0, tok], tok
            found.append((toks, lp / n**length_penalty))
    return sorted(found, key=lambda h: -h[1])


@pytest.mark.parametrize("length_penalty", [0.0, 0.6, 1.0])
def test_unpruned_beam_search_returns_the_exhaustive_n_best(length_penalty: float) -> None:
    step = _known_decoder()
    expected = _exhaustive(step, length_penalty)[:5]
    got = beam_search(
        step,
        np.array([0]),
        SOS,
        EOS,
        beam_width=V**MAX_LEN,
        max_length=MAX_LEN,
        n_best=5,
        length_penalty=length_penalty,
    )
    assert [h.tokens for h in got] == [t for t, _ in expected]
    np.testing.assert_allclose([h.score for h in got], [s for _, s in expected], rtol=1e-12)


def test_narrow_beam_search_can_miss_the_best_that_a_wide_one_finds() -> None:
    """Over 10 known decoders width 1 (greedy) misses the best at least once; the wide beam
    never does, and the narrow one never scores above the best."""
    misses = 0
    for seed in range(10):
        step = _known_decoder(seed)
        best = _exhaustive(step, 0.0)[0]
        narrow = beam_search(step, np.array([0]), SOS, EOS, 1, MAX_LEN, length_penalty=0.0)[0]
        wide = beam_search(step, np.array([0]), SOS, EOS, V**MAX_LEN, MAX_LEN, length_penalty=0.0)
        assert narrow.score <= best[1] + 1e-12 and wide[0].tokens == best[0]
        misses += narrow.tokens != best[0]
    assert misses > 0


@pytest.fixture(params=[("gru", "additive"), ("lstm", "general"), ("gru", None), ("lstm", "dot")])
def model(request) -> Seq2Seq:
    cell, attention = request.param
    return Seq2Seq(9, 7, 8, 12, cell=cell, attention=attention, rng=np.random.default_rng(0))


SRC = np.random.default_rng(1).integers(3, 9, (3, 6))


def test_beam_width_one_is_greedy_decoding(model: Seq2Seq) -> None:
    tokens, _ = model.greedy(SRC, max_length=8)
    for i in range(len(SRC)):
        hyp = model.beam_search(SRC[i], beam_width=1, max_length=8)[0]
        assert hyp.tokens == tuple(tokens[i, : len(hyp.tokens)])


def test_beam_width_one_is_greedy_decoding_under_padding(model: Seq2Seq) -> None:
    src = SRC.copy()
    src[0, :2] = 0  # left padding, masked from attention
    pad = src == 0
    tokens, _ = model.greedy(src, max_length=8, src_padding=pad)
    for i in range(len(src)):
        hyp = model.beam_search(src[i], beam_width=1, max_length=8, src_padding=pad[i])[0]
        assert hyp.tokens == tuple(tokens[i, : len(hyp.tokens)])


def test_teacher_forcing_zero_feeds_the_models_own_argmax(model: Seq2Seq) -> None:
    tgt = np.random.default_rng(2).integers(0, 7, (3, 5))
    tgt[:, 0] = model.sos
    logits = model(SRC, tgt, teacher_forcing_ratio=0.0)
    tokens, _ = model.greedy(SRC, max_length=5)
    steps = logits.numpy().argmax(-1)
    for i in range(len(SRC)):  # greedy pads with EOS once a row has ended
        n = int(np.argmax(tokens[i] == model.eos)) + 1 if (tokens[i] == model.eos).any() else 5
        np.testing.assert_array_equal(steps[i, :n], tokens[i, :n])


def test_every_parameter_gets_a_gradient_under_teacher_forcing(model: Seq2Seq) -> None:
    tgt = np.random.default_rng(3).integers(0, 7, (3, 5))
    model(SRC, tgt).sum().backward()
    for name, p in model.named_parameters():
        assert p.grad is not None and np.abs(p.grad.numpy()).sum() > 0, name


def test_greedy_attention_maps_are_distributions_over_unpadded_steps() -> None:
    model = Seq2Seq(9, 7, 8, 12, rng=np.random.default_rng(0))
    pad = np.zeros(SRC.shape, bool)
    pad[0, 4:] = True
    _, maps = model.greedy(SRC, max_length=4, src_padding=pad)
    np.testing.assert_allclose(maps.sum(-1), 1.0, rtol=1e-5)
    assert np.all(maps[0, :, 4:] == 0)


def test_seq2seq_rejects_an_unknown_cell() -> None:
    with pytest.raises(ValueError, match="Seq2Seq: cell must be one of 'gru', 'lstm', got 'rnn'"):
        Seq2Seq(5, 5, cell="rnn")
