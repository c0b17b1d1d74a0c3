"""The foundations and optimization examples: each runs and shows what it claims."""

from __future__ import annotations

import math
import re
import subprocess
import sys
from pathlib import Path

import pytest

PART = Path(__file__).resolve().parents[2] / "examples" / "foundations"


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
