"""``lamina train --data``: the user's own CSV table, arrays and image folder, end to end.

Classification and regression are chosen from the target; splits are seeded and saved with
the run; scaling and categories come from the training split only; bad files are refused
with the file, the line and what was expected, before a run folder is made.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from lamina.cli.runs import load_run
from lamina.data import load_image

Cli = Callable[..., tuple[int, str, str]]
COLORS = ("red", "green", "blue")


def write_table(path: Path, n: int = 90, regression: bool = False, seed: int = 0) -> None:
    """Columns x1, x2 (numbers), color (text) and a target: a class name or a number."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 2))
    color = rng.integers(0, 3, n)
    lines = ["x1,x2,color,target"]
    for (a, b), c in zip(x, color):
        value = 2 * a - b + c if regression else ("yes" if a + (c == 1) > 0.3 else "no")
        lines.append(f"{a:.4f},{b:.4f},{COLORS[c]},{value if not regression else f'{value:.4f}'}")
    path.write_text("\n".join(lines) + "\n")


def write_images(root: Path, per_class: int = 8) -> None:
    """Two classes (bright, dark) as PNG and JPEG, gray and colour, of different sizes."""
    rng = np.random.default_rng(1)
    for label, base in (("bright", 200), ("dark", 40)):
        (root / label).mkdir(parents=True)
        for i in range(per_class):
            size = (12 + 2 * (i % 3), 14)
            pixels = np.clip(base + rng.normal(0, 20, size), 0, 255).astype(np.uint8)
            if i % 2:
                rgb = np.stack([pixels, pixels // 2, pixels], axis=-1)
                Image.fromarray(rgb, mode="RGB").save(root / label / f"{i}.jpg", quality=90)
            else:
                Image.fromarray(pixels, mode="L").save(root / label / f"{i}.png")


def train_args(data: Path, run: Path, *extra: str) -> list[str]:
    return ["train", "--data", str(data), *extra, "--out", str(run), "--quiet"]


def test_csv_classification_with_a_categorical_column(tmp_path: Path, cli: Cli) -> None:
    write_table(tmp_path / "t.csv")
    run = tmp_path / "run"
    code, out, err = cli(
        *train_args(tmp_path / "t.csv", run, "--target", "target", "--epochs", "4")
    )
    assert code == 0, err
    assert "test_accuracy" in out
    recipe, model, extra, config = load_run(run)
    assert config["task"] == "classification" and config["model"]["network"] == "MLP"
    assert config["data"]["path"] == str((tmp_path / "t.csv").resolve())
    assert recipe.kind == "classifier" and extra["classes"] == ["no", "yes"]
    table = extra["table"]
    assert table["columns"] == ["x1", "x2", "color"] and table["categories"][2] == sorted(COLORS)
    assert model.layers[1].in_features == 2 + 3  # two numbers, a one-hot of three colours
    split = extra["split"]
    rows = np.concatenate([split["train"], split["val"], split["test"]])
    assert sorted(rows.tolist()) == list(range(90)) and len(split["test"]) == 18
    raw = np.loadtxt(tmp_path / "t.csv", delimiter=",", skiprows=1, usecols=(0, 1))
    np.testing.assert_allclose(table["center"], raw[split["train"]].mean(axis=0), rtol=1e-5)
    np.testing.assert_allclose(table["scale"], raw[split["train"]].std(axis=0), rtol=1e-5)
    metrics = json.loads((run / "metrics.json").read_text())
    code, out, err = cli("evaluate", str(run))
    assert code == 0 and f"test_accuracy: {metrics['test_accuracy']:.4f}" in out, err
    (tmp_path / "t.csv").write_text((tmp_path / "t.csv").read_text() + "0,0,red,no\n")
    code, _, err = cli("evaluate", str(run))
    assert code == 2 and "changed since training" in err


def test_csv_regression_reports_rmse(tmp_path: Path, cli: Cli) -> None:
    write_table(tmp_path / "r.csv", regression=True)
    run = tmp_path / "run"
    code, out, err = cli(
        *train_args(tmp_path / "r.csv", run, "--target", "target", "--epochs", "30", "--lr", "0.01")
    )
    assert code == 0, err
    assert "test_rmse" in out
    config = json.loads((run / "config.json").read_text())
    metrics = json.loads((run / "metrics.json").read_text())
    assert config["task"] == "regression"
    y = np.loadtxt(tmp_path / "r.csv", delimiter=",", skiprows=1, usecols=3)
    assert metrics["test_rmse"] < 0.6 * y.std()  # learned, not the mean
    assert not (run / "confusion.png").exists()


@pytest.mark.parametrize(
    "text,needle",
    [
        ("a,b,target\n1,2,x\n3,,y\n", "line 3: missing value in column 'b'"),
        ("a,b,target\n1,2,x\n3,NA,y\n", "line 3: missing value in column 'b' (got 'NA')"),
        ("a,b,target\n1,2,x\n3,4\n", "line 3: expected 3 columns, got 2"),
        ("a,b,label\n1,2,x\n3,4,y\n", "expected --target to name one of the columns"),
    ],
    ids=["empty-cell", "NA", "short-row", "no-target-column"],
)
def test_bad_csv_is_refused_with_the_line_before_a_run_folder(
    text: str, needle: str, tmp_path: Path, cli: Cli
) -> None:
    (tmp_path / "bad.csv").write_text(text)
    code, _, err = cli(*train_args(tmp_path / "bad.csv", tmp_path / "run", "--target", "target"))
    assert code == 2 and "bad.csv" in err and needle in err, err
    assert len(err.strip().splitlines()) == 1


def test_npz_and_a_pair_of_npy_files(tmp_path: Path, cli: Cli) -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(60, 4, 4)).astype(np.float32)
    y = (x[:, 0, 0] > 0).astype(np.int64)
    np.savez(tmp_path / "d.npz", x=x, y=y)
    code, out, err = cli(*train_args(tmp_path / "d.npz", tmp_path / "c", "--epochs", "3"))
    assert code == 0 and "test_accuracy" in out, err
    _, _, extra, _ = load_run(tmp_path / "c")
    assert tuple(extra["input_shape"]) == (4, 4) and extra["classes"] == ["0", "1"]
    np.save(tmp_path / "x.npy", x.reshape(60, 16))
    np.save(tmp_path / "y.npy", x[:, 0, 0] * 3.5 + 0.25)
    code, out, err = cli(
        *train_args(tmp_path / "x.npy", tmp_path / "r", "--target", "y.npy", "--epochs", "3")
    )
    assert code == 0 and "test_rmse" in out, err
    np.save(tmp_path / "y3.npy", np.zeros(7))
    code, _, err = cli(*train_args(tmp_path / "x.npy", tmp_path / "bad", "--target", "y3.npy"))
    assert code == 2 and "expected numeric inputs (N, ...) and targets (N,)" in err


def test_image_folder_with_png_and_jpeg(tmp_path: Path, cli: Cli) -> None:
    write_images(tmp_path / "images")
    run = tmp_path / "run"
    code, out, err = cli(*train_args(tmp_path / "images", run, "--epochs", "3"))
    assert code == 0 and "test_accuracy" in out, err
    _, _, extra, config = load_run(run)
    assert config["model"]["network"] == "SmallCNN" and extra["classes"] == ["bright", "dark"]
    assert tuple(extra["input_shape"]) == (3, 32, 32)  # colour files in it: three channels
    (tmp_path / "images" / "dark" / "broken.jpg").write_bytes(b"not a jpeg at all")
    code, _, err = cli(*train_args(tmp_path / "images", tmp_path / "run2"))
    assert code == 2 and "broken.jpg' is not a readable image" in err, err
    assert not (tmp_path / "run2").exists()


def test_pillow_reads_jpeg_bmp_gif_and_gray_stays_one_channel(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    gray = rng.integers(0, 256, (9, 7), dtype=np.uint8)
    rgb = rng.integers(0, 256, (9, 7, 3), dtype=np.uint8)
    Image.fromarray(gray, mode="L").save(tmp_path / "g.bmp")
    Image.fromarray(rgb, mode="RGB").save(tmp_path / "c.bmp")
    Image.fromarray(gray, mode="L").save(tmp_path / "g.gif")
    smooth = np.kron(np.array([[30, 220], [120, 60]], np.uint8), np.ones((8, 8), np.uint8))
    Image.fromarray(smooth, mode="L").save(tmp_path / "s.jpg", quality=95)
    np.testing.assert_array_equal(load_image(tmp_path / "g.bmp"), gray[None] / np.float32(255))
    np.testing.assert_array_equal(
        load_image(tmp_path / "c.bmp"), rgb.transpose(2, 0, 1) / np.float32(255)
    )
    assert load_image(tmp_path / "g.gif").shape == (1, 9, 7)
    jpeg = load_image(tmp_path / "s.jpg")
    assert jpeg.shape == (1, 16, 16) and jpeg.dtype == np.float32
    assert np.abs(jpeg[0] - smooth / 255).max() < 0.06  # lossy, but close


def test_without_pillow_png_names_the_extra_and_pgm_still_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Image.fromarray(np.zeros((4, 4), np.uint8)).save(tmp_path / "a.png")
    (tmp_path / "b.pgm").write_bytes(b"P5 2 2 255\n" + bytes([0, 51, 102, 255]))
    monkeypatch.setitem(sys.modules, "PIL", None)  # import PIL now fails
    with pytest.raises(ImportError, match=r"needs Pillow: pip install 'lamina\[images\]'"):
        load_image(tmp_path / "a.png")
    np.testing.assert_allclose(load_image(tmp_path / "b.pgm")[0], [[0, 0.2], [0.4, 1]], rtol=1e-6)
