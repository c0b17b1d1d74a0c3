"""``lamina predict RUN FILE...`` on inputs in their natural form: 8x8 digit arrays for a
64-feature run, CSV rows with the training table's columns, image files of any size and a
folder of them; class names with probabilities on stdout or as CSV with ``--out``."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from lamina.cli.runs import predict
from lamina.datasets import load_digits

Cli = Callable[..., tuple[int, str, str]]


def lines(out: str) -> list[list[str]]:
    return [line.split("\t") for line in out.strip().splitlines()]


@pytest.fixture(scope="module")
def digits_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from lamina.cli.__main__ import main

    run = tmp_path_factory.mktemp("digits") / "run"
    assert main(["train", "mlp-digits", "--epochs", "2", "--out", str(run), "--quiet"]) == 0
    return run


def test_digits_run_takes_8x8_arrays_one_or_a_batch(
    tmp_path: Path, cli: Cli, digits_run: Path
) -> None:
    x, _ = load_digits()
    np.save(tmp_path / "flat.npy", x[:5])
    np.save(tmp_path / "square.npy", x[:5].reshape(5, 8, 8))  # the data set's own shape
    np.save(tmp_path / "one.npy", x[7].reshape(8, 8))
    expected = predict(digits_run, tmp_path / "flat.npy")
    np.testing.assert_array_equal(predict(digits_run, tmp_path / "square.npy"), expected)
    code, out, err = cli(
        "predict", str(digits_run), str(tmp_path / "square.npy"), str(tmp_path / "one.npy")
    )
    assert code == 0, err
    rows = lines(out)
    assert [r[0] for r in rows] == [f"{tmp_path / 'square.npy'}[{i}]" for i in range(5)] + [
        str(tmp_path / "one.npy")
    ]
    assert [r[1] for r in rows[:5]] == [str(c) for c in expected]
    assert all(0.1 <= float(r[2]) <= 1.0 for r in rows)  # the top class of 10
    np.save(tmp_path / "odd.npy", np.zeros((3, 7, 7)))
    code, _, err = cli("predict", str(digits_run), str(tmp_path / "odd.npy"))
    assert code == 2 and "expected inputs of shape (64,) or (N, *(64,)), got (3, 7, 7)" in err


def write_table(path: Path, n: int = 80) -> None:
    rng = np.random.default_rng(5)
    x = rng.normal(size=(n, 2))
    shape = np.array(["round", "square"])[rng.integers(0, 2, n)]
    label = np.where(x[:, 0] > 0, "cat", np.where(shape == "round", "dog", "eel"))
    rows = [f"{a:.3f},{s},{b:.3f},{t}" for (a, b), s, t in zip(x, shape, label)]
    path.write_text("size,shape,weight,animal\n" + "\n".join(rows) + "\n")


def test_table_run_predicts_csv_rows_with_class_names_and_writes_csv(
    tmp_path: Path, cli: Cli
) -> None:
    write_table(tmp_path / "zoo.csv")
    run = tmp_path / "run"
    code, _, err = cli(
        "train",
        "--data",
        str(tmp_path / "zoo.csv"),
        "--target",
        "animal",
        "--epochs",
        "3",
        "--out",
        str(run),
        "--quiet",
    )
    assert code == 0, err
    # new rows: columns in another order, no target column, a category never seen
    (tmp_path / "new.csv").write_text("weight,shape,size\n0.1,round,1.5\n0.2,oval,-1.0\n")
    code, out, err = cli("predict", str(run), str(tmp_path / "new.csv"))
    assert code == 0, err
    rows = lines(out)
    assert [r[0] for r in rows] == [f"{tmp_path / 'new.csv'}:2", f"{tmp_path / 'new.csv'}:3"]
    assert all(r[1] in {"cat", "dog", "eel"} for r in rows)
    code, out, err = cli(
        "predict", str(run), str(tmp_path / "zoo.csv"), "--out", str(tmp_path / "p.csv")
    )
    assert code == 0 and "80 predictions written" in out, err
    with open(tmp_path / "p.csv", newline="") as f:
        table = list(csv.reader(f))
    assert table[0] == ["source", "prediction", "probability", "p(cat)", "p(dog)", "p(eel)"]
    probs = np.array([[float(v) for v in row[3:]] for row in table[1:]])
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    top = np.array([float(row[2]) for row in table[1:]])
    np.testing.assert_allclose(top, probs.max(axis=1))
    (tmp_path / "short.csv").write_text("size,weight\n1,2\n")
    code, _, err = cli("predict", str(run), str(tmp_path / "short.csv"))
    assert code == 2 and "missing ['shape']" in err


def test_regression_run_prints_values(tmp_path: Path, cli: Cli) -> None:
    rng = np.random.default_rng(6)
    x = rng.normal(size=(50, 3)).astype(np.float32)
    np.savez(tmp_path / "r.npz", x=x, y=x @ np.array([1.0, -2.0, 0.5]) + 0.3)
    run = tmp_path / "run"
    code, out, err = cli(
        "train", "--data", str(tmp_path / "r.npz"), "--epochs", "2", "--out", str(run), "--quiet"
    )
    assert code == 0 and "test_rmse" in out, err
    np.save(tmp_path / "q.npy", x[:3])
    code, out, err = cli("predict", str(run), str(tmp_path / "q.npy"))
    assert code == 0, err
    values = [float(r[1]) for r in lines(out)]
    assert len(values) == 3 and all(np.isfinite(values))


def test_image_run_predicts_files_of_any_size_and_a_folder(tmp_path: Path, cli: Cli) -> None:
    rng = np.random.default_rng(7)
    for label, base in (("day", 210), ("night", 30)):
        (tmp_path / "images" / label).mkdir(parents=True)
        for i in range(8):
            pixels = np.clip(base + rng.normal(0, 15, (12, 12)), 0, 255).astype(np.uint8)
            Image.fromarray(pixels, mode="L").save(tmp_path / "images" / label / f"{i}.png")
    run = tmp_path / "run"
    code, _, err = cli(
        "train", "--data", str(tmp_path / "images"), "--epochs", "8", "--out", str(run), "--quiet"
    )
    assert code == 0, err
    (tmp_path / "new").mkdir()
    Image.fromarray(np.full((40, 30, 3), 220, np.uint8)).save(tmp_path / "new" / "bright.jpg")
    Image.fromarray(np.full((9, 9), 20, np.uint8)).save(tmp_path / "new" / "dark.bmp")
    code, out, err = cli("predict", str(run), str(tmp_path / "new"))
    assert code == 0, err
    rows = {Path(r[0]).name: r[1] for r in lines(out)}
    assert rows == {"bright.jpg": "day", "dark.bmp": "night"}
    (tmp_path / "bad.png").write_bytes(b"\x89PNG broken")
    code, _, err = cli("predict", str(run), str(tmp_path / "bad.png"))
    assert code == 2 and "bad.png' is not a readable image" in err
