"""The regularization and initialization examples: each runs and shows what it claims."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

PART = Path(__file__).resolve().parents[2] / "examples" / "regularization"


def run(name: str, out: Path | None = None) -> str:
    """Run one example as a script (as a learner would) and return what it printed."""
    cmd = [sys.executable, str(PART / f"{name}.py")]
    if out is not None:
        cmd += ["--out", str(out)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=True).stdout


def number(stdout: str, key: str) -> float:
    """The value of the line ``<key> = <number>`` the example printed."""
    match = re.search(rf"^{re.escape(key)} = (\S+)$", stdout, re.MULTILINE)
    assert match, f"no line {key!r} = ... in:\n{stdout}"
    return float(match.group(1))


def test_sigmoid_gradients_vanish_relu_keep_scale_large_weights_explode(tmp_path: Path) -> None:
    out = run("vanishing_exploding_gradients", tmp_path)
    assert number(out, "sigmoid first/last ratio") < 1e-3
    assert 1e-2 < number(out, "relu first/last ratio") < 1e2
    # weights twice He's scale: the whole gradient is thousands of times larger
    assert number(out, "relu_x2 total norm") > 1e3 * number(out, "relu total norm")
    assert re.search(r"after = 1\.0000$", out, re.MULTILINE)
    assert (tmp_path / "vanishing_exploding_gradients.png").stat().st_size > 0


def test_rnn_gradient_vanishes_through_time_lstm_cell_path_keeps_it(tmp_path: Path) -> None:
    out = run("rnn_vs_lstm_gradients", tmp_path)
    assert number(out, "rnn first/last ratio") < 1e-10
    assert number(out, "lstm first/last ratio") < 1e-10  # f_t ~ 0.5 by default: still vanishes
    assert number(out, "lstm_forget_bias_3 first/last ratio") > 1e-1
    assert (tmp_path / "rnn_vs_lstm_gradients.png").stat().st_size > 0


@pytest.mark.slow
def test_matching_initializer_keeps_activation_scale_through_20_layers(tmp_path: Path) -> None:
    out = run("initializers_by_activation", tmp_path)
    ratio = {
        name: number(out, f"{name}: last/first std ratio")
        for name in ("tanh + xavier", "relu + he", "selu + lecun", "relu + xavier")
    }
    assert 0.5 < ratio["tanh + xavier"] < 2
    assert 0.5 < ratio["relu + he"] < 2
    assert 0.5 < ratio["selu + lecun"] < 2
    assert ratio["relu + xavier"] < 1e-2  # variance halves at each ReLU layer
    assert number(out, "tanh + N(0,0.01^2): last/first std ratio") < 1e-10
    assert number(out, "tanh + N(0,1): saturated share") > 0.5
    assert (tmp_path / "initializers_by_activation.png").stat().st_size > 0


def test_constant_initialization_keeps_hidden_units_identical() -> None:
    out = run("initialization_symmetry")
    assert number(out, "constant: max difference between hidden units") == 0.0
    assert number(out, "zeros: max difference between hidden units") == 0.0
    assert number(out, "random: max difference between hidden units") > 0.1
    assert number(out, "random: accuracy") > 0.95
    assert number(out, "constant: accuracy") < 0.8
