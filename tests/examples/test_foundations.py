"""The foundations and optimization examples: each runs and shows what it claims."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from _scripts import number, run_example

PART = Path(__file__).resolve().parents[2] / "examples" / "foundations"


def run(name: str, out: Path | None = None) -> str:
    """Run one example as a script (as a learner would) and return what it printed."""
    return run_example(PART / f"{name}.py", *([] if out is None else ["--out", str(out)]))


@pytest.mark.slow
def test_eight_optimizers_descend_the_ill_conditioned_quadratic(tmp_path: Path) -> None:
    out = run("optimizers_loss_surface", tmp_path)
    start = number(out, "start loss")
    names = ["SGD", "momentum", "Nesterov", "AdaGrad", "RMSprop", "AdaDelta", "Adam", "AdaMax"]
    final = {name: number(out, f"{name} final loss") for name in names}
    assert all(value < start / 1000 for value in final.values()), final
    assert final["momentum"] < final["SGD"] / 10
    assert final["Nesterov"] < final["SGD"] / 10
    # plain gradient descent is stable just below lr = 2 / max curvature, diverges above it
    assert number(out, "SGD lr=0.039 final loss") < start
    assert number(out, "SGD lr=0.041 final loss") > 100 * start
    assert (tmp_path / "optimizers_loss_surface.png").stat().st_size > 0


@pytest.mark.slow
def test_lr_schedules_follow_their_formulas(tmp_path: Path) -> None:
    out = run("lr_schedules", tmp_path)
    assert number(out, "StepLR lr[20]") == 0.01
    assert math.isclose(number(out, "StepLR lr[59]"), 0.001)
    assert number(out, "MultiStepLR lr[20]") == 0.1
    assert math.isclose(number(out, "MultiStepLR lr[30]"), 0.01)
    assert math.isclose(number(out, "ExponentialLR lr[10]"), 0.1 * 0.95**10, rel_tol=1e-6)
    assert math.isclose(number(out, "InverseTimeLR lr[10]"), 0.1 / (1 + 0.1 * 10), rel_tol=1e-6)
    assert math.isclose(number(out, "CosineAnnealingLR lr[30]"), 0.05, rel_tol=1e-6)
    assert math.isclose(number(out, "LambdaLR warm-up lr[0]"), 0.01, rel_tol=1e-6)
    assert number(out, "LambdaLR warm-up lr[10]") == 0.1
    # the made-up validation loss is flat from epoch 15: 6 bad epochs > patience 5, then a cut
    assert number(out, "ReduceLROnPlateau first cut at epoch") == 22
    assert math.isclose(number(out, "ReduceLROnPlateau lr[59]"), 1e-4)
    assert (tmp_path / "lr_schedules.png").stat().st_size > 0


def test_perceptron_converges_on_separable_data_fails_xor_hidden_layer_solves_it() -> None:
    out = run("perceptron_xor")
    assert number(out, "separable: epochs to converge") < 100
    assert number(out, "separable: perceptron accuracy") == 1.0
    assert number(out, "xor: perceptron accuracy") < 1.0
    assert number(out, "xor: hidden-layer network accuracy") == 1.0


def test_activation_derivatives_match_closed_forms(tmp_path: Path) -> None:
    out = run("activations", tmp_path)
    for name in ("sigmoid", "tanh", "relu", "leaky_relu", "elu"):
        assert number(out, f"{name}: max |autograd - closed form|") < 1e-12
    assert math.isclose(number(out, "sigmoid: max derivative"), 0.25, abs_tol=1e-4)
    assert math.isclose(number(out, "tanh: max derivative"), 1.0, abs_tol=1e-4)
    assert number(out, "relu: derivative at z=-5") == 0.0  # a dead region
    assert number(out, "leaky_relu: derivative at z=-5") == 0.01
    assert number(out, "max |tanh(z) - (2 sigmoid(2z) - 1)|") < 1e-12
    assert math.isclose(number(out, "softmax sum"), 1.0)
    assert (tmp_path / "activations.png").stat().st_size > 0


def test_cross_entropy_identities_and_mse_saturation() -> None:
    out = run("losses_entropy")
    assert abs(number(out, "H(p) + KL - H(p,q)")) < 1e-12
    assert number(out, "KL(p||q)") > 0
    assert number(out, "cross_entropy vs -log softmax") < 1e-12
    assert number(out, "max |dCE/dz - (softmax - onehot)|") < 1e-12
    assert number(out, "binary cross-entropy vs two-class CE") < 1e-12
    # confidently wrong: MSE through a sigmoid barely moves, cross-entropy pushes ~ -1
    assert abs(number(out, "logit -6: MSE gradient")) < 0.01
    assert number(out, "logit -6: CE gradient") < -0.99


def test_backprop_by_hand_matches_autograd() -> None:
    out = run("backprop_by_hand")
    for name in ("W1", "b1", "W2", "b2"):
        assert number(out, f"dC/d{name}: max |autograd - by hand|") < 1e-12


def test_smaller_batches_more_updates_noisier_loss() -> None:
    out = run("gradient_descent_variants")
    names = ("batch", "mini-batch", "stochastic")
    assert [number(out, f"{n} updates") for n in names] == [10, 80, 2560]
    std = [number(out, f"{n} loss std over the last epoch") for n in names]
    assert std[0] == 0.0 and std[0] < std[1] < std[2]
    mse = {n: number(out, f"{n} final training MSE") for n in names}
    assert mse["mini-batch"] < mse["batch"] and mse["stochastic"] < mse["batch"]
    assert mse["mini-batch"] < 0.35  # the noise floor is 0.25


@pytest.mark.slow
def test_mmse_ml_map_and_bayes_rule_match_their_closed_forms() -> None:
    out = run("estimation_mmse_ml_map")
    assert math.isclose(number(out, "mse: best constant"), number(out, "sample mean"), abs_tol=1e-3)
    assert math.isclose(
        number(out, "l1: best constant"), number(out, "sample median"), abs_tol=1e-2
    )
    assert number(out, "ML weights vs least squares, max diff") < 1e-6
    assert number(out, "ML noise variance vs mean squared residual") < 1e-6
    assert number(out, "MAP weights vs ridge closed form, max diff") < 1e-3
    assert number(out, "MAP weight norm / ML weight norm") < 1.0  # the prior shrinks
    assert number(out, "logistic posterior vs Bayes posterior, max diff") < 0.05
    assert abs(number(out, "learned threshold") - number(out, "Bayes threshold")) < 0.1


@pytest.mark.slow
def test_cross_validated_search_picks_a_config_that_does_well_on_the_test_set() -> None:
    out = run("hyperparameter_search")
    assert number(out, "train size") == 300 and number(out, "test size") == 100
    assert number(out, "configurations") == 6
    assert number(out, "best CV accuracy") > number(out, "worst CV accuracy") + 0.2
    assert number(out, "best lr") == 0.05  # 40 epochs at lr 1e-3 are far too few
    assert number(out, "test accuracy of the chosen model") > 0.85


@pytest.mark.slow
def test_one_hidden_layer_approximates_the_target_given_enough_units(tmp_path: Path) -> None:
    out = run("universal_approximation", tmp_path)
    errors = {w: number(out, f"width {w}: max error") for w in (1, 2, 4, 8, 16)}
    assert errors[1] > 0.3 and errors[2] > 0.3
    assert errors[8] < 0.05 and errors[16] < 0.05
    assert (tmp_path / "universal_approximation.png").stat().st_size > 0


def test_autograd_equals_the_product_of_jacobians_along_the_graph() -> None:
    out = run("computational_graph")
    assert "MatMul" in out and "Log" in out  # the recorded graph, printed as a tree
    for name in ("a", "W", "b"):
        assert number(out, f"dC/d{name}: max |autograd - Jacobian product|") < 1e-12
    assert "softmax Jacobian shape = (3, 3)" in out
    assert number(out, "softmax Jacobian vs diag(y) - y y^T") < 1e-12
    assert number(out, "softmax Jacobian vs finite differences") < 1e-8
    assert number(out, "softmax Jacobian row sums") < 1e-12  # softmax's outputs sum to 1
