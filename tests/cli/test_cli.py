"""The ``lamina`` command line: every recipe trains briefly, run folders, clean errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from lamina.cli.__main__ import main


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lamina", *args], capture_output=True, text=True, timeout=300
    )


def test_recipes_lists_every_recipe(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["recipes"]) == 0
    out = capsys.readouterr().out
    for name in ("lenet-mnist", "mlp-digits", "spirals-mlp", "charlstm-pydocs"):
        assert name in out


@pytest.mark.parametrize(
    "recipe,args",
    [
        ("spirals-mlp", ["--epochs", "3"]),
        ("mlp-digits", ["--epochs", "2"]),
        ("lenet-mnist", ["--epochs", "1", "--steps-per-epoch", "4"]),
    ],
)
def test_classifier_recipe_trains_briefly_into_a_run_folder(
    recipe: str, args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = tmp_path / "run"
    assert main(["train", recipe, *args, "--out", str(run), "--quiet"]) == 0
    assert "test_accuracy" in capsys.readouterr().out
    for name in (
        "model.npz",
        "config.json",
        "metrics.json",
        "history.csv",
        "curves.png",
        "confusion.png",
    ):
        assert (run / name).is_file(), name
    metrics = json.loads((run / "metrics.json").read_text())
    assert 0.0 <= metrics["test_accuracy"] <= 1.0
    assert main(["evaluate", str(run)]) == 0
    assert f"test_accuracy: {metrics['test_accuracy']:.4f}" in capsys.readouterr().out


def test_spirals_run_predicts_from_a_npy_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = tmp_path / "run"
    assert main(["train", "spirals-mlp", "--epochs", "2", "--out", str(run), "--quiet"]) == 0
    assert (run / "decision.png").is_file()
    np.save(tmp_path / "points.npy", np.array([[0.1, 0.2], [-0.5, 0.3]], np.float32))
    capsys.readouterr()
    assert main(["predict", str(run), str(tmp_path / "points.npy")]) == 0
    lines = capsys.readouterr().out.splitlines()  # source, class name, probability
    labels = [line.split("\t")[1] for line in lines]
    assert len(labels) == 2 and all(label in {"0", "1", "2"} for label in labels)


def test_language_model_recipe_trains_and_generates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = tmp_path / "lm"
    assert (
        main(
            [
                "train",
                "charlstm-pydocs",
                "--epochs",
                "1",
                "--steps-per-epoch",
                "3",
                "--out",
                str(run),
                "--quiet",
            ]
        )
        == 0
    )
    metrics = json.loads((run / "metrics.json").read_text())
    assert metrics["test_perplexity"] > 1.0
    capsys.readouterr()
    assert (
        main(["generate", str(run), "--length", "40", "--temperature", "0.5", "--prime", "def "])
        == 0
    )
    text = capsys.readouterr().out.rstrip("\n")
    assert text.startswith("def ") and len(text) == 44


def test_summary_prints_the_lenet_parameter_count(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary", "lenet-mnist"]) == 0
    assert "Total params: 61,706" in capsys.readouterr().out


def test_help_and_bad_arguments() -> None:
    assert "train" in run_cli("--help").stdout
    assert "--epochs" in run_cli("train", "--help").stdout
    bad = run_cli("train", "--epochs", "0")
    assert bad.returncode == 2 and "must be a positive integer" in bad.stderr


def test_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    unknown = run_cli("train", "no-such-recipe")
    assert unknown.returncode == 2 and "Traceback" not in unknown.stderr
    assert "unknown recipe 'no-such-recipe'; choose one of lenet-mnist" in unknown.stderr
    not_a_run = run_cli("evaluate", str(tmp_path))
    assert not_a_run.returncode == 2 and "is not a run folder" in not_a_run.stderr
    assert len(not_a_run.stderr.strip().splitlines()) == 1


def test_corrupt_checkpoint_is_reported_cleanly(tmp_path: Path) -> None:
    run = tmp_path / "run"
    assert main(["train", "spirals-mlp", "--epochs", "1", "--out", str(run), "--quiet"]) == 0
    data = (run / "model.npz").read_bytes()
    (run / "model.npz").write_bytes(data[: len(data) // 2])
    result = run_cli("evaluate", str(run))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "model.npz cannot be loaded" in result.stderr
