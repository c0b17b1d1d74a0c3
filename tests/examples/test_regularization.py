"""The regularization and initialization examples: each runs and shows what it claims."""

from __future__ import annotations

import itertools
import math
import re
from pathlib import Path

import pytest
from _scripts import number, run_example

PART = Path(__file__).resolve().parents[2] / "examples" / "regularization"


def run(name: str, out: Path | None = None) -> str:
    """Run one example as a script (as a learner would) and return what it printed."""
    return run_example(PART / f"{name}.py", *([] if out is None else ["--out", str(out)]))


@pytest.mark.slow
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


def test_mc_dropout_average_approaches_the_eval_output() -> None:
    out = run("dropout_ensemble")
    assert abs(number(out, "dropout share of zeros") - 0.5) < 0.01
    assert abs(number(out, "dropout mean of kept-and-scaled ones") - 1.0) < 0.02
    assert number(out, "dropout backward vs mask / (1 - p)") == 0.0
    assert number(out, "eval passes differ by") == 0.0
    assert number(out, "std across train-mode passes") > 0.01
    gaps = [number(out, f"MC mean of {k} passes vs eval, mean abs gap") for k in (1, 10, 100, 1000)]
    assert gaps == sorted(gaps, reverse=True), gaps
    assert gaps[-1] < gaps[0] / 10


@pytest.mark.slow
def test_batch_norm_trains_the_deep_sigmoid_net_the_plain_one_does_not(tmp_path: Path) -> None:
    out = run("batchnorm_training", tmp_path)
    assert number(out, "batch norm vs gamma * x_hat + beta") < 1e-12
    assert number(out, "normalized batch mean") < 1e-12
    plain, bn = number(out, "plain final loss"), number(out, "bn final loss")
    assert plain > 1.0  # still near log(3) = 1.0986: chance level on three classes
    assert bn < 0.5 * plain
    assert (tmp_path / "batchnorm_training.png").stat().st_size > 0


@pytest.mark.slow
def test_bias_variance_curves_against_degree_and_l2_strength(tmp_path: Path) -> None:
    out = run("bias_variance", tmp_path)
    degrees, lambdas = (
        (1, 2, 3, 5, 7, 9, 12),
        ("1e-08", "1e-06", "0.0001", "0.001", "0.01", "0.1", "1"),
    )
    train_d = [number(out, f"degree {d}: train MSE") for d in degrees]
    val_d = [number(out, f"degree {d}: val MSE") for d in degrees]
    assert all(b <= a + 1e-4 for a, b in itertools.pairwise(train_d)), train_d  # more capacity
    best_d = int(number(out, "best degree"))
    assert 3 <= best_d <= 7
    assert min(val_d) < val_d[0] / 2 and min(val_d) < val_d[-1] / 10  # U-shaped validation
    train_l = [number(out, f"lambda {lam}: train MSE") for lam in lambdas]
    val_l = [number(out, f"lambda {lam}: val MSE") for lam in lambdas]
    assert all(b >= a - 1e-4 for a, b in itertools.pairwise(train_l)), train_l  # more bias
    assert number(out, "best lambda") not in (1e-8, 1.0)
    assert min(val_l) < val_l[0] / 10 and min(val_l) < val_l[-1] / 2
    assert (tmp_path / "bias_variance.png").stat().st_size > 0


def test_l1_zeroes_useless_weights_l2_only_shrinks() -> None:
    out = run("l1_vs_l2")
    assert number(out, "l1: zero weights (|w| < 1e-2)") >= 12  # of the 17 useless ones
    assert number(out, "l2: zero weights (|w| < 1e-2)") <= 6
    assert number(out, "l1: mean |useless weight|") < number(out, "l2: mean |useless weight|") / 5
    assert number(out, "l2: norm of useful weights") < number(out, "none: norm of useful weights")


def test_early_stopping_stops_near_the_validation_minimum_and_restores_it() -> None:
    out = run("early_stopping")
    best_epoch = number(out, "full run: best epoch")
    assert number(out, "full run: final val_loss") > 1.2 * number(out, "full run: best val_loss")
    # patience 20: the run ends 20 epochs without improvement after the best (+1 for Keras's
    # count, which includes the epoch that reached the limit)
    assert best_epoch + 20 <= number(out, "early stopping: epochs") <= best_epoch + 21
    restored = number(out, "early stopping: restored val_loss")
    assert math.isclose(restored, number(out, "full run: best val_loss"), rel_tol=1e-3)


@pytest.mark.slow
def test_augmented_training_keeps_accuracy_on_shifted_digits() -> None:
    out = run("data_augmentation")
    plain_shifted = number(out, "plain: shifted test accuracy")
    assert number(out, "plain: test accuracy") > plain_shifted + 0.3  # shifts hurt the plain net
    assert number(out, "augmented: shifted test accuracy") > plain_shifted + 0.3
    assert number(out, "augmented: test accuracy") > 0.85


def test_max_norm_bounds_rows_clip_value_bounds_elements_elastic_net_mixes() -> None:
    out = run("weight_constraints")
    assert number(out, "free: largest row norm of the first layer") > 1.5
    assert number(out, "max-norm: largest row norm of the first layer") <= 1.0 + 1e-5
    assert number(out, "largest |clipped gradient|") == 2.0
    assert "clipped gradient = [ 2.   1.  -0.1  2. ]" in out
    assert math.isclose(
        number(out, "elastic net penalty"),
        number(out, "l1_ratio * L1 + (1 - l1_ratio)/2 * L2"),
        rel_tol=1e-12,
    )
