"""The RNN and language examples run and show what they claim (examples/rnn/, issue 22)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from _scripts import run_example

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "rnn"


def run(name: str, *args: str) -> str:
    return run_example(EXAMPLES / name, *args)


def number(out: str, pattern: str) -> float:
    found = re.search(pattern, out)
    assert found, f"{pattern!r} not in output:\n{out}"
    return float(found[1])


def test_one_step_of_each_cell_matches_the_gate_equations() -> None:
    out = run("cells_by_hand.py")
    for cell in ("RNN", "LSTM", "GRU"):
        assert number(out, rf"{cell} step max difference: (\S+)") < 1e-6
    counts = re.findall(r"params (\w+): formula (\d+) counted (\d+)", out)
    assert counts == [("RNN", "36", "36"), ("LSTM", "144", "144"), ("GRU", "108", "108")]


def test_sequence_task_shapes() -> None:
    out = run("sequence_shapes.py")
    assert "input (7, 2, 5) -> outputs (7, 2, 8), last state (1, 2, 8)" in out
    assert "many-to-one logits: (2, 3)" in out and "many-to-many logits: (7, 2, 4)" in out
    assert "one-to-many generated steps: 7 of shape (2, 5)" in out
    assert "causal: the state at step 0 depends on x_0 alone: True" in out
    assert "deep LSTM (3 layers): outputs (7, 2, 8), h_n (3, 2, 8), c_n (3, 2, 8)" in out


def test_bidirectional_output_at_step_0_sees_the_last_input() -> None:
    out = run("bidirectional.py")
    assert "bidirectional outputs: (6, 1, 10)" in out
    assert number(out, r"forward half moves (\S+)") == 0.0
    assert number(out, r"backward half moves (\S+)") > 1e-3
    assert "params bidirectional LSTM: 440 = 2 x 220" in out


def test_beam_search_finds_the_likelier_sentence_greedy_misses() -> None:
    out = run("beam_search.py")
    assert "greedy: a cat  P = 0.20" in out
    assert "beam width 1: a cat  P = 0.20" in out  # a beam of one is greedy
    assert "beam width 2: the cat  P = 0.36" in out and "beam width 3: the cat  P = 0.36" in out


def test_truncated_bptt_cuts_the_gradient_and_clipping_bounds_its_norm() -> None:
    out = run("bptt_clipping.py")
    assert "full BPTT: steps with a gradient 12 of 12" in out
    assert "truncated every 4: steps with a gradient 4 of 12" in out
    assert number(out, r"before clipping (\S+)") > 100
    assert number(out, r"after (\S+)") == pytest.approx(1.0, abs=1e-3)


def test_character_language_model_spells_hello() -> None:
    out = run("char_lm_hello.py")
    assert "generated from 'h': hello" in out
    assert number(out, r"final loss (\S+)") < 0.05


@pytest.mark.slow  # three recurrent nets trained for 150 steps (~4 s of CPU)
def test_rnn_lstm_gru_all_beat_the_naive_forecast() -> None:
    out = run("rnn_lstm_gru.py")
    naive = number(out, r"test MSE (\S+)")
    for kind, params in (("RNN", 304), ("LSTM", 1216), ("GRU", 912)):
        assert number(out, rf"{kind}\s+test MSE (\S+)") < naive / 4
        assert f"{kind:<4} test MSE" in out and f"recurrent params {params}" in out


@pytest.mark.slow  # a seq2seq model trained for 100 steps (~3 s of CPU)
def test_attention_weights_concentrate_on_the_anti_diagonal(tmp_path: Path) -> None:
    out = run("attention_seq2seq.py", "--out", str(tmp_path))
    assert number(out, r"exact reversals of unseen sequences: (\S+)") > 0.8
    assert "attention rows sum to 1: True" in out
    assert number(out, r"anti-diagonal (\S+)") > 0.5  # uniform would be 0.2
    assert (tmp_path / "attention.png").stat().st_size > 1000


@pytest.mark.slow  # two Transformer encoders trained for 150 steps (~3 s of CPU)
def test_transformer_reverses_with_positions_and_guesses_without() -> None:
    out = run("transformer_toy.py")
    assert number(out, r"with positional encoding: (\S+)") > 0.95
    assert number(out, r"without positions: (\S+)") < 0.5


def test_lstm_reads_negation_that_averaged_embeddings_cannot() -> None:
    out = run("sentiment_rnn.py")
    averaged = number(out, r"averaged embeddings: test accuracy (\S+)")
    lstm = number(out, r"LSTM: test accuracy (\S+)")
    assert lstm > 0.95 and averaged < 0.8  # "not" flips the meaning: an XOR
    same = re.search(
        r"averaged embeddings: P\(positive\) 'good , not bad' (\S+) 'bad , not good' (\S+)", out
    )
    assert same[1] == same[2]  # the same bag of words, the same score
    flipped = re.search(r"LSTM: P\(positive\) 'good , not bad' (\S+) 'bad , not good' (\S+)", out)
    assert float(flipped[1]) > 0.5 > float(flipped[2])
