"""``lamina train --resume RUN``: a run interrupted after an epoch and resumed ends with the
same weights, history and metrics as an uninterrupted run, bit for bit."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from lamina.serialization import load
from lamina.training import ModelCheckpoint

Cli = Callable[..., tuple[int, str, str]]


class Interrupted(Exception):
    """Stands for a killed process: raised right after the checkpoint of one epoch."""


def interrupt_after(monkeypatch: pytest.MonkeyPatch, epochs_done: int) -> None:
    original = ModelCheckpoint.on_epoch_end

    def on_epoch_end(self: ModelCheckpoint, epoch: int, logs: dict[str, float]) -> None:
        original(self, epoch, logs)
        if self.full_state and epoch + 1 == epochs_done:
            raise Interrupted

    monkeypatch.setattr(ModelCheckpoint, "on_epoch_end", on_epoch_end)


def write_table(path: Path) -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(80, 3))
    kinds = np.array(["a", "b"])[rng.integers(0, 2, 80)]
    y = np.where(x[:, 0] + (kinds == "a") > 0.5, "up", "down")
    rows = [f"{a:.3f},{b:.3f},{c:.3f},{k},{t}" for (a, b, c), k, t in zip(x, kinds, y)]
    path.write_text("f1,f2,f3,kind,label\n" + "\n".join(rows) + "\n")


def write_images(root: Path) -> None:
    rng = np.random.default_rng(4)
    for label, base in (("light", 190), ("shade", 60)):
        (root / label).mkdir(parents=True)
        for i in range(6):
            pixels = np.clip(base + rng.normal(0, 25, (10, 10)), 0, 255).astype(np.uint8)
            Image.fromarray(pixels, mode="L").save(root / label / f"{i}.png")


RECIPE = """
name = "tiny-cnn"
task = "classification"
lr = 0.01
epochs = 4
batch_size = 4
seed = 11
[model]
network = "SmallCNN"
channels = [4]
hidden = 8
dropout = 0.3
[data]
image_size = [8, 8]
[schedule]
name = "cosine"
[augment]
rotation = 15.0
translate = [0.1, 0.1]
hflip = true
"""


def data_args(kind: str, tmp_path: Path) -> list[str]:
    """A CSV table with the table default (dropout, early stopping, one-hot), or an image
    folder with a recipe of dropout, a cosine schedule and seeded augmentation."""
    if kind == "table":
        write_table(tmp_path / "t.csv")
        return ["--data", str(tmp_path / "t.csv"), "--target", "label", "--epochs", "5"]
    write_images(tmp_path / "images")
    (tmp_path / "tiny.toml").write_text(RECIPE)
    return [str(tmp_path / "tiny.toml"), "--data", str(tmp_path / "images")]


@pytest.mark.parametrize("kind", ["table", "images"])
def test_resumed_run_equals_an_uninterrupted_run_bit_for_bit(
    kind: str, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = data_args(kind, tmp_path)
    straight, broken = tmp_path / "straight", tmp_path / "broken"
    code, _, err = cli("train", *args, "--out", str(straight), "--quiet")
    assert code == 0, err
    with monkeypatch.context() as m:
        interrupt_after(m, 2)
        with pytest.raises(Interrupted):
            cli("train", *args, "--out", str(broken), "--quiet")
    assert not (broken / "model.npz").exists() and (broken / "checkpoint.npz").is_file()
    assert load(broken / "checkpoint.npz")["epoch"] == 2
    trained: list[int] = []
    with monkeypatch.context() as m:
        original = ModelCheckpoint.on_epoch_end

        def record(self: ModelCheckpoint, epoch: int, logs: dict[str, float]) -> None:
            if self.full_state:
                trained.append(epoch)
            original(self, epoch, logs)

        m.setattr(ModelCheckpoint, "on_epoch_end", record)
        code, out, err = cli("train", "--resume", str(broken), "--quiet")
    assert code == 0 and "test_accuracy" in out, err
    epochs = json.loads((straight / "config.json").read_text())["epochs"]
    assert trained == list(range(2, epochs))  # only the epochs left, not a fresh run
    a, b = load(straight / "model.npz")["model"], load(broken / "model.npz")["model"]
    assert list(a) == list(b)
    for key in a:
        np.testing.assert_array_equal(a[key], b[key], err_msg=key)  # bit for bit
    assert (straight / "history.csv").read_text() == (broken / "history.csv").read_text()
    ma, mb = (json.loads((r / "metrics.json").read_text()) for r in (straight, broken))
    ma.pop("train_seconds"), mb.pop("train_seconds")
    assert ma == mb


def test_resume_refuses_flags_and_folders_it_cannot_continue(tmp_path: Path, cli: Cli) -> None:
    code, _, err = cli("train", "--resume", str(tmp_path), "--epochs", "3")
    assert code == 2 and "drop epochs" in err
    code, _, err = cli("train", "--resume", str(tmp_path / "none"))
    assert code == 2 and "not a run folder (no config.json) to resume" in err
    (tmp_path / "config.json").write_text("{}")
    code, _, err = cli("train", "--resume", str(tmp_path))
    assert code == 2 and "no checkpoint.npz to resume from" in err
