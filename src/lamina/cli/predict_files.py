"""``lamina predict RUN FILE...``: inputs in their natural form, class names with probabilities.

A run takes what it was trained on as ordinary files: ``.npy``/``.npz`` arrays of one sample
or a batch in the data set's own shape (8x8 digits for a 64-feature run, 28x28 images for
(1, 28, 28)), CSV rows with the training table's columns, image files of any size and
channel count (resized and converted), or a folder of images.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from lamina.cli.folder import RunError
from lamina.cli.recipes import Recipe
from lamina.cli.runs import load_run
from lamina.cli.user_data import encode_rows
from lamina.data import convert_channels, load_image, read_csv_rows, resize_image
from lamina.data.files import IMAGE_EXTENSIONS
from lamina.training import Trainer

__all__ = ["format_predictions", "predict_files", "read_inputs", "write_predictions"]

Inputs = list[tuple[str, np.ndarray]]  # (where each sample came from, one sample)


def _as_batch(x: np.ndarray, shape: tuple[int, ...], path: Path) -> np.ndarray:
    """A batch (N, *shape): ``shape`` itself, (N, *shape), or either in another layout of the
    same size per sample (8x8 for (64,), (28, 28) for (1, 28, 28))."""
    size = int(np.prod(shape))
    if x.shape == shape or (x.ndim >= 1 and x.size == size and x.shape[1:] != shape):
        return x.reshape(1, *shape)
    if x.shape[1:] == shape:
        return x
    if x.ndim >= 2 and int(np.prod(x.shape[1:])) == size:
        return x.reshape(len(x), *shape)
    raise RunError(f"{path}: expected inputs of shape {shape} or (N, *{shape}), got {x.shape}")


def _array(path: Path, shape: tuple[int, ...], extra: dict[str, Any]) -> Inputs:
    try:
        x = np.load(path, allow_pickle=False)
        if hasattr(x, "files"):  # an .npz archive: its x (or X, or only) array
            with x as archive:
                keys = [k for k in ("x", "X") if k in archive.files] or archive.files[:1]
                x = archive[keys[0]] if keys else np.zeros((0,))
    except (ValueError, OSError, EOFError) as e:
        raise RunError(f"{path}: not a readable .npy array ({e})") from None
    if x.dtype.kind not in "biuf":
        raise RunError(f"{path}: expected a numeric array, got dtype {x.dtype}")
    if x.size == 0:
        raise RunError(f"{path}: the array is empty (shape {x.shape}); expected samples of {shape}")
    x = _as_batch(x.astype(np.float32), shape, path)
    bad = ~np.isfinite(x)
    if bad.any():
        raise RunError(
            f"{path}: {int(bad.sum())} of {x.size} values are NaN or infinite; "
            f"inputs must be finite"
        )
    if "mean" in extra:  # the run standardized its inputs with training statistics
        x = (x - extra["mean"]) / extra["scale"]
    return [(f"{path}[{i}]" if len(x) > 1 else str(path), xi) for i, xi in enumerate(x)]


def _image(path: Path, shape: tuple[int, ...], recipe: Recipe) -> Inputs:
    if len(shape) != 3:
        raise RunError(f"{path}: recipe {recipe.name} takes inputs of shape {shape}, not images")
    try:
        img = load_image(path)
    except ValueError as e:
        raise RunError(str(e)) from None
    img = resize_image(convert_channels(img, shape[0]), (shape[1], shape[2]))
    return [(str(path), img.astype(np.float32))]


def _table_rows(path: Path, extra: dict[str, Any]) -> Inputs:
    table = extra.get("table")
    if table is None:
        raise RunError(f"{path}: this run was not trained on a CSV table; give a .npy array")
    try:
        names, lines, rows = read_csv_rows(path)
    except ValueError as e:
        raise RunError(str(e)) from None
    missing = [c for c in table["columns"] if c not in names]
    if missing:
        raise RunError(f"{path}: expected the training table's columns; missing {missing}")
    order = [names.index(c) for c in table["columns"]]
    try:
        x = encode_rows([[r[j] for j in order] for r in rows], table)
    except RunError as e:
        raise RunError(f"{path}: {e}") from None
    return [(f"{path}:{line}", xi) for line, xi in zip(lines, x)]


def read_inputs(path: Path, recipe: Recipe, extra: dict[str, Any]) -> Inputs:
    """The samples of one file or folder, each named by where it came from."""
    if not path.exists():
        raise RunError(f"no such input file: {path}")
    shape = recipe.input_shape(extra)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.suffix.lower() in IMAGE_EXTENSIONS)
        if not files:
            raise RunError(f"{path}: no image files in the folder")
        return [s for f in files for s in _image(f, shape, recipe)]
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _table_rows(path, extra)
    if suffix in (".npy", ".npz"):
        return _array(path, shape, extra)
    return _image(path, shape, recipe)


def predict_files(
    run: str | os.PathLike[str], paths: Sequence[str | os.PathLike[str]]
) -> list[tuple[str, np.ndarray]]:
    """The model's raw output for every sample of every file: (source, output row) pairs."""
    return _predict(load_run(run), paths)


def _predict(
    loaded: tuple[Recipe, Any, dict[str, Any], Any], paths: Sequence[str | os.PathLike[str]]
) -> list[tuple[str, np.ndarray]]:
    recipe, model, extra, _ = loaded
    if recipe.kind == "language_model":
        raise RunError(f"{recipe.name} is a {recipe.kind}; use 'lamina generate' instead")
    inputs = [s for p in paths for s in read_inputs(Path(p), recipe, extra)]
    scores = Trainer(model, None, recipe.loss).predict(np.stack([x for _, x in inputs]))
    return [(source, row[None]) for (source, _), row in zip(inputs, scores)]


def _softmax(z: np.ndarray) -> np.ndarray:
    """p_k = exp(z_k - max z) / sum_j exp(z_j - max z)."""
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def format_predictions(
    run: str | os.PathLike[str], paths: Sequence[str | os.PathLike[str]]
) -> tuple[list[str], list[list[Any]]]:
    """CSV header and rows: source, predicted class name, its probability, every class's
    probability; for a regression run source and predicted value."""
    loaded = load_run(run)
    recipe, _, extra, _ = loaded
    if recipe.kind in ("detector", "embedding"):  # the vision runs: lamina.vision's functions
        raise RunError(
            f"{run}: 'lamina predict' serves classifiers and regressors; this "
            f"{recipe.kind} run is used from Python (lamina.vision.detect, embed)"
        )
    results = _predict(loaded, paths)
    if recipe.kind == "regressor":
        return ["source", "prediction"], [[s, float(out[0, 0])] for s, out in results]
    classes = [str(c) for c in extra.get("classes", [])]
    rows = []
    for source, out in results:
        p = _softmax(out[0].astype(np.float64))
        k = int(p.argmax())
        name = classes[k] if k < len(classes) else str(k)
        rows.append([source, name, round(float(p[k]), 6), *(round(float(v), 6) for v in p)])
    header = ["source", "prediction", "probability"]
    return header + [f"p({c})" for c in classes or map(str, range(len(p)))], rows


def write_predictions(header: list[str], rows: list[list[Any]], out: str | os.PathLike) -> None:
    """Write the predictions as a CSV file with a header line."""
    with open(out, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
