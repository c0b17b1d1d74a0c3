"""Wrong values of every CLI flag and input file: one error line, exit status 2.

Also ``lamina predict`` on real PNG files (grayscale and colour, other sizes).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from lamina.cli.folder import LOCK
from lamina.cli.runs import RunError, generate, predict

Cli = Callable[..., tuple[int, str, str]]


def one_line_error(code: int, err: str, *needles: str) -> None:
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


BAD_FLAGS = [
    (["train", "--epochs", "0"], "--epochs must be a positive integer"),
    (["train", "--epochs", "-3"], "--epochs must be a positive integer"),
    (["train", "--epochs", "10000000000"], "--epochs must be a positive integer up to"),
    (["train", "--epochs", "nan"], "invalid int value: 'nan'"),
    (["train", "--batch-size", "0"], "--batch-size must be a positive integer"),
    (["train", "--batch-size", "-8"], "--batch-size must be a positive integer"),
    (["train", "--batch-size", str(10**12)], "--batch-size must be a positive integer up to"),
    (["train", "--steps-per-epoch", "0"], "--steps-per-epoch must be a positive integer"),
    (["train", "--steps-per-epoch", "-1"], "--steps-per-epoch must be a positive integer"),
    (["train", "--lr", "0"], "--lr must be a finite number > 0, got 0.0"),
    (["train", "--lr", "-0.1"], "--lr must be a finite number > 0"),
    (["train", "--lr", "nan"], "--lr must be a finite number > 0, got nan"),
    (["train", "--lr", "inf"], "--lr must be a finite number > 0, got inf"),
    (["train", "--lr", "1e999"], "--lr must be a finite number > 0, got inf"),
    (["train", "--seed", "-1"], "--seed must be an integer in [0, 4294967295], got -1"),
    (["train", "--seed", str(2**32)], "--seed must be an integer in [0, 4294967295]"),
    (["train", "--seed", "1e3"], "invalid int value: '1e3'"),
    (["generate", "run", "--length", "0"], "--length must be a positive integer"),
    (["generate", "run", "--length", "-5"], "--length must be a positive integer"),
    (["generate", "run", "--length", str(10**9)], "--length must be a positive integer up to"),
    (["generate", "run", "--temperature", "0"], "--temperature must be a finite number > 0"),
    (["generate", "run", "--temperature", "-1"], "--temperature must be a finite number > 0"),
    (["generate", "run", "--temperature", "nan"], "--temperature must be a finite number > 0"),
    (["generate", "run", "--temperature", "inf"], "--temperature must be a finite number > 0"),
    (["generate", "run", "--seed", "-2"], "--seed must be an integer in [0, 4294967295]"),
    (["train", "--no-such-flag"], "unrecognized arguments: --no-such-flag"),
    (["summary", "no-such-recipe"], "unknown recipe 'no-such-recipe'"),
]


@pytest.mark.parametrize("args,needle", BAD_FLAGS, ids=[" ".join(a) for a, _ in BAD_FLAGS])
def test_every_bad_flag_is_one_line_and_exit_2(args: list[str], needle: str, cli: Cli) -> None:
    code, out, err = cli(*args)
    one_line_error(code, err, needle)
    assert out == ""


@pytest.mark.slow  # ~12 s: two trainings
def test_two_concurrent_trainings_into_one_folder(
    tmp_path: Path, child_cli: Callable[..., Any]
) -> None:
    """A real second process: refused while the first trains; the first's files are whole."""
    import subprocess
    import sys

    run = tmp_path / "run"
    first = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "lamina",
            "train",
            "spirals-mlp",
            "--epochs",
            "60",
            "--out",
            str(run),
            "--quiet",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not (run / "config.json").exists() and first.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert (run / LOCK).exists()
    second = child_cli("train", "spirals-mlp", "--epochs", "1", "--out", str(run), "--quiet")
    one_line_error(second.returncode, second.stderr, "in use by another run", f"pid {first.pid}")
    assert first.wait(timeout=300) == 0, first.stderr.read() if first.stderr else ""
    rows = (run / "history.csv").read_text().splitlines()
    assert len(rows) == 61 and rows[0].startswith("epoch,")
    assert not (run / LOCK).exists()


def test_predict_refuses_non_finite_empty_and_malformed_inputs(
    tmp_path: Path, cli: Cli, spirals_run: Path
) -> None:
    cases = {
        "nan.npy": (np.full((3, 2), np.nan, np.float32), "6 of 6 values are NaN or infinite"),
        "inf.npy": (np.array([[np.inf, 0.0]]), "1 of 2 values are NaN or infinite"),
        "empty.npy": (np.zeros((0, 2), np.float32), "the array is empty (shape (0, 2))"),
        "flat.npy": (np.array([], np.float32), "the array is empty (shape (0,))"),
        "shape.npy": (np.zeros((4, 3), np.float32), "expected inputs of shape (2,)"),
        "text.npy": (np.array(["a", "b"]), "expected a numeric array, got dtype <U1"),
    }
    for name, (array, message) in cases.items():
        np.save(tmp_path / name, array)
        code, _, err = cli("predict", str(spirals_run), str(tmp_path / name))
        one_line_error(code, err, name, message)
    (tmp_path / "junk.npy").write_bytes(b"not an array")
    code, _, err = cli("predict", str(spirals_run), str(tmp_path / "junk.npy"))
    one_line_error(code, err, "junk.npy", "not a readable .npy array")
    Image.fromarray(np.zeros((8, 8), np.uint8)).save(tmp_path / "img.png")
    code, _, err = cli("predict", str(spirals_run), str(tmp_path / "img.png"))
    one_line_error(code, err, "takes inputs of shape (2,), not images")
    code, _, err = cli("predict", str(spirals_run), str(tmp_path / "missing.npy"))
    one_line_error(code, err, "no such input file")


@pytest.fixture(scope="module")
def lenet_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from lamina.cli.__main__ import main

    run = tmp_path_factory.mktemp("lenet") / "run"
    args = ["train", "lenet-mnist", "--epochs", "1", "--steps-per-epoch", "2", "--out", str(run)]
    assert main([*args, "--quiet"]) == 0
    return run


def test_predict_reads_png_files_of_any_size_and_channel_count(
    tmp_path: Path, cli: Cli, lenet_run: Path
) -> None:
    from lamina.datasets import load_mnist_sample

    (_, _), (x_test, _) = load_mnist_sample()
    digits = np.round(x_test[:3, 0] * 255).astype(np.uint8)  # (3, 28, 28)
    np.save(tmp_path / "digits.npy", digits[:, None].astype(np.float32) / 255)
    expected = predict(lenet_run, tmp_path / "digits.npy")
    for i, digit in enumerate(digits):
        Image.fromarray(digit, mode="L").save(tmp_path / f"gray{i}.png")
        rgb = np.repeat(digit[:, :, None], 3, axis=2)
        Image.fromarray(rgb, mode="RGB").save(tmp_path / f"rgb{i}.png")
        code, out, err = cli("predict", str(lenet_run), str(tmp_path / f"gray{i}.png"))
        labels = [line.split("\t")[1] for line in out.splitlines()]  # source, class, p
        assert code == 0 and labels == [str(expected[i])], err
        assert predict(lenet_run, tmp_path / f"rgb{i}.png").tolist() == [expected[i]]
    big = np.kron(digits[0], np.ones((2, 2), np.uint8))  # 56 x 56: resized to 28 x 28
    Image.fromarray(big, mode="L").save(tmp_path / "big.png")
    code, out, err = cli("predict", str(lenet_run), str(tmp_path / "big.png"))
    assert code == 0 and out.split("\t")[1] in {str(c) for c in range(10)}, err
    assert len(out.splitlines()) == 1


def test_generate_validates_its_arguments_before_loading(tmp_path: Path) -> None:
    nowhere = tmp_path / "nowhere"
    for kwargs, message in [
        ({"length": 0}, "length must be an integer in [1, "),
        ({"length": 2.5}, "length must be an integer"),
        ({"temperature": float("nan")}, "temperature must be a finite number > 0, got nan"),
        ({"temperature": 0.0}, "temperature must be a finite number > 0"),
        ({"seed": -1}, "seed must be an integer in [0, 4294967295], got -1"),
    ]:
        with pytest.raises(RunError, match=message.replace("[", r"\[")):
            generate(nowhere, **kwargs)
    with pytest.raises(RunError, match="no such run folder"):
        generate(nowhere)


def test_generate_refuses_a_prime_outside_the_vocabulary(
    tmp_path: Path, cli: Cli, spirals_run: Path
) -> None:
    run = tmp_path / "lm"
    code, _, err = cli(
        "train",
        "charlstm-pydocs",
        "--epochs",
        "1",
        "--steps-per-epoch",
        "1",
        "--out",
        str(run),
        "--quiet",
    )
    assert code == 0, err
    code, _, err = cli("generate", str(run), "--prime", "héllo\u2603")
    one_line_error(
        code,
        err,
        "prime must be non-empty text over the run's vocabulary",
        "unknown characters: 'é☃'",
    )
    code, _, err = cli("generate", str(run), "--prime", "")
    one_line_error(code, err, "got empty text")
    code, out, err = cli("generate", str(run), "--length", "1", "--temperature", "1e-6")
    assert code == 0 and len(out.rstrip("\n")) == len("The ") + 1, err
    code, _, err = cli("generate", str(spirals_run))
    one_line_error(code, err, "spirals-mlp is a classifier")


def test_python_train_checks_its_arguments_before_touching_the_folder(tmp_path: Path) -> None:
    from lamina.cli.runs import train

    run = tmp_path / "run"
    for kwargs, message in [
        ({"epochs": -1}, "train: epochs must be a positive integer, got -1"),
        ({"epochs": 0}, "train: epochs must be a positive integer, got 0"),
        ({"lr": 0.0}, "train: lr must be a finite number > 0, got 0.0"),
        ({"batch_size": 2.5}, "train: batch_size must be a positive integer, got 2.5"),
        ({"steps_per_epoch": 0}, "train: steps_per_epoch must be a positive integer, got 0"),
        ({"lr": float("nan")}, "train: lr must be a finite number > 0, got nan"),
        ({"seed": -3}, "train: seed must be an integer in"),
        ({"seed": 1.0}, "train: seed must be an integer in"),
    ]:
        with pytest.raises(RunError, match=message.replace("(", r"\(")):
            train("spirals-mlp", out=run, verbose=0, **kwargs)
        assert not run.exists()
