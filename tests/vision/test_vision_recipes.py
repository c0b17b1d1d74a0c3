"""The vision recipes, shortened to one epoch, reach their stated held-out figures.

Full default runs (README): detect-shapes 6 epochs, siamese-mnist 10 epochs; these
one-epoch runs have their own thresholds, below what one epoch measured.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from lamina.cli.__main__ import main
from lamina.cli.recipes import RECIPES
from lamina.cli.runs import evaluate


@pytest.mark.slow  # ~15 s of CPU
def test_detect_shapes_one_epoch_reaches_map50_of_0_7_and_draws_its_detections(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["train", "detect-shapes", "--epochs", "1", "--out", str(tmp_path / "r"), "--quiet"])
        == 0
    )
    metrics = json.loads((tmp_path / "r" / "metrics.json").read_text())
    assert metrics["test_map50"] >= 0.7  # measured 0.793 (500 held-out images)
    assert (tmp_path / "r" / "detections.png").stat().st_size > 10_000
    assert json.loads((tmp_path / "r" / "config.json").read_text())["task"] == "detection"
    assert evaluate(tmp_path / "r") == {"test_map50": metrics["test_map50"]}  # reloaded model
    np.save(tmp_path / "one.npy", np.zeros((1, 48, 48), np.float32))
    assert main(["predict", str(tmp_path / "r"), str(tmp_path / "one.npy")]) == 2
    assert "'lamina predict' serves classifiers and regressors" in capsys.readouterr().err


@pytest.mark.slow  # ~6 s of CPU
def test_siamese_mnist_one_epoch_verifies_unseen_digits_and_plots_embeddings(
    tmp_path: Path,
) -> None:
    assert (
        main(["train", "siamese-mnist", "--epochs", "1", "--out", str(tmp_path / "r"), "--quiet"])
        == 0
    )
    metrics = json.loads((tmp_path / "r" / "metrics.json").read_text())
    assert metrics["test_auc"] >= 0.62  # measured 0.673 on pairs of digits 7-9, never trained on
    assert metrics["test_verification_accuracy"] >= 0.6  # measured 0.642
    assert 0 < metrics["test_eer"] < 0.5 and metrics["threshold"] > 0
    assert (tmp_path / "r" / "embeddings.png").stat().st_size > 10_000
    again = evaluate(tmp_path / "r")  # the reloaded model on the same seeded pairs
    assert again == {k: v for k, v in metrics.items() if k.startswith("test_")}


def test_vision_recipes_are_listed_with_their_tasks() -> None:
    assert RECIPES["detect-shapes"].kind == "detector"
    assert RECIPES["siamese-mnist"].kind == "embedding"
    assert RECIPES["siamese-mnist"].spec["model"]["mining"] == "batch_all"
