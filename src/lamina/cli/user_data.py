"""A recipe's ``data.path``: a CSV table, a ``.npz`` (or two ``.npy``) of arrays, an image folder.

Splits are seeded (the same seed gives the same rows), scaling and category lists are fitted
on the training split only, and the test split serves only the final evaluation. What a run
needs again (classes, the table's encoding, the scaling, the file's fingerprint, the split
indices) is returned in ``Data.extra`` and saved in the run's ``model.npz``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from lamina.cli.folder import RunError
from lamina.cli.recipes import Data
from lamina.data import load_image_folder, load_npy, load_npz, read_csv_rows, train_test_split

__all__ = ["MAX_CLASSES", "encode_rows", "fingerprint", "load_user_data"]

MAX_CLASSES = 20  # whole-number targets with at most this many values are class labels


def fingerprint(path: Path) -> str:
    """SHA-256 over the file, or over every file below a folder (names and bytes, sorted)."""
    h = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for f in files:
        h.update(str(f.relative_to(path) if path.is_dir() else f.name).encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _task_of(values: Sequence[str] | np.ndarray, task: str | None) -> str:
    """``task`` if given; else classification for text or few whole numbers, else regression."""
    if task is not None:
        return task
    arr = np.asarray(values)
    if arr.dtype.kind in "US" and not all(_is_number(str(v)) for v in arr):
        return "classification"
    nums = arr.astype(np.float64)
    whole = bool(np.all(nums == np.round(nums)))
    return "classification" if whole and len(np.unique(nums)) <= MAX_CLASSES else "regression"


def _targets(
    values: Sequence[Any] | np.ndarray, task: str, where: str
) -> tuple[np.ndarray, list[str]]:
    """Class indices and sorted class names, or float32 (N, 1) targets for regression."""
    arr = np.asarray(values)
    if task == "regression":
        if arr.dtype.kind in "US" and not all(_is_number(str(v)) for v in arr):
            raise RunError(f"{where}: task is regression but the target is not numeric")
        return arr.astype(np.float32).reshape(-1, 1), []
    if arr.dtype.kind in "US" and all(_is_number(str(v)) for v in arr):
        arr = arr.astype(np.float64)
    if arr.dtype.kind == "f" and np.all(arr == np.round(arr)):
        arr = arr.astype(np.int64)
    uniques, y = np.unique(arr, return_inverse=True)
    if len(uniques) < 2:
        raise RunError(f"{where}: classification needs at least 2 classes, got {len(uniques)}")
    return y.astype(np.int64), [str(u) for u in uniques]


def _split(n: int, y: np.ndarray, task: str, spec: dict[str, Any], seed: int) -> dict[str, Any]:
    """Seeded train/val/test row indices, stratified by class where every class can be."""
    idx = np.arange(n)
    strat = y if task == "classification" and np.bincount(y).min() >= 3 else None
    rest, test = train_test_split(
        idx, test_size=spec.get("test_size", 0.2), seed=seed, stratify=strat
    )
    strat = None if strat is None else y[rest]
    train, val = train_test_split(
        rest, test_size=spec.get("val_size", 0.1), seed=seed, stratify=strat
    )
    return {"train": np.sort(train), "val": np.sort(val), "test": np.sort(test)}


def _fit_scaling(x: np.ndarray, how: str) -> tuple[np.ndarray, np.ndarray]:
    """Per-feature (center, scale) from training rows: standard (mean, std) or minmax."""
    if how == "none":
        return np.zeros(x.shape[1:], np.float32), np.ones(x.shape[1:], np.float32)
    if how == "minmax":
        center, scale = x.min(axis=0), x.max(axis=0) - x.min(axis=0)
    else:
        center, scale = x.mean(axis=0), x.std(axis=0)
    scale = np.where(scale > 0, scale, 1.0)  # a constant feature stays 0, never NaN
    return center.astype(np.float32), scale.astype(np.float32)


def encode_rows(rows: Sequence[Sequence[str]], table: dict[str, Any]) -> np.ndarray:
    """Feature rows (text cells, target left out) as float32 features, per ``table``.

    Numeric columns: (value - center) / scale. Categorical columns: one-hot over the
    categories seen in training; an unseen category is all zeros.
    """
    out = []
    for j, cats in enumerate(table["categories"]):
        col = [r[j] for r in rows]
        if cats:
            lookup = {c: i for i, c in enumerate(cats)}
            block = np.zeros((len(rows), len(cats)), np.float32)
            for i, v in enumerate(col):
                if v in lookup:
                    block[i, lookup[v]] = 1.0
            out.append(block)
        else:
            try:
                out.append(np.array(col, np.float32)[:, None])
            except ValueError:
                bad = next(v for v in col if not _is_number(v))
                raise RunError(
                    f"column {table['columns'][j]!r}: expected a number, got {bad!r}"
                ) from None
    x = np.concatenate(out, axis=1)
    numeric = np.concatenate([np.zeros(len(c)) if c else np.ones(1) for c in table["categories"]])
    mask = numeric.astype(bool)
    x[:, mask] = (x[:, mask] - table["center"]) / table["scale"]
    return x.astype(np.float32)


def _table(path: Path, spec: dict[str, Any], task: str | None, seed: int) -> Data:
    try:
        names, _, rows = read_csv_rows(path)
    except ValueError as e:
        raise RunError(str(e)) from None
    target = spec.get("target")
    if target is None or target not in names:
        got = "no --target" if target is None else f"{target!r}"
        raise RunError(f"{path}: expected --target to name one of the columns {names}, got {got}")
    t = names.index(target)
    task = _task_of([r[t] for r in rows], task)
    y, classes = _targets([r[t] for r in rows], task, f"{path} column {target!r}")
    features = [[c for j, c in enumerate(r) if j != t] for r in rows]
    columns = [n for j, n in enumerate(names) if j != t]
    split = _split(len(rows), y, task, spec, seed)
    train_rows = [features[i] for i in split["train"]]
    cats = [
        [] if all(_is_number(r[j]) for r in features) else sorted({r[j] for r in train_rows})
        for j in range(len(columns))
    ]
    numeric = [j for j, c in enumerate(cats) if not c]
    raw = np.array([[float(r[j]) for j in numeric] for r in train_rows], np.float32)
    center, scale = _fit_scaling(
        raw.reshape(len(train_rows), len(numeric)), spec.get("scale", "standard")
    )
    table = {
        "columns": columns,
        "categories": cats,
        "center": center,
        "scale": scale,
        "target": target,
    }
    x = encode_rows(features, table)
    extra = {"table": table, "input_shape": (x.shape[1],)}
    return _assemble(x, y, classes, task, split, extra)


def _arrays(path: Path, spec: dict[str, Any], task: str | None, seed: int) -> Data:
    try:
        if path.suffix.lower() == ".npz":
            arrays = load_npz(path)
            keys = [k for k in ("x", "X") if k in arrays]
            if not keys or "y" not in arrays:
                raise RunError(f"{path}: expected arrays named x and y, got {sorted(arrays)}")
            x, y_raw = arrays[keys[0]], arrays["y"]
        else:
            if not spec.get("target"):
                raise RunError(f"{path}: a .npy of inputs needs --target LABELS.npy")
            target = Path(spec["target"])
            target = target if target.is_absolute() else path.parent / target
            x, y_raw = load_npy(path), load_npy(target)
    except ValueError as e:
        raise RunError(str(e)) from None
    if x.dtype.kind not in "biuf" or y_raw.ndim != 1 or len(x) != len(y_raw) or x.ndim < 2:
        raise RunError(
            f"{path}: expected numeric inputs (N, ...) and targets (N,), got {x.shape} "
            f"{x.dtype} and {y_raw.shape}"
        )
    if not np.all(np.isfinite(x)):
        raise RunError(f"{path}: inputs hold NaN or infinite values")
    task = _task_of(y_raw, task)
    y, classes = _targets(y_raw, task, str(path))
    x = x.astype(np.float32)
    split = _split(len(x), y, task, spec, seed)
    center, scale = _fit_scaling(x[split["train"]], spec.get("scale", "standard"))
    extra = {"mean": center, "scale": scale, "input_shape": tuple(x.shape[1:])}
    return _assemble((x - center) / scale, y, classes, task, split, extra)


def _images(path: Path, spec: dict[str, Any], seed: int) -> Data:
    size = tuple(spec.get("image_size", (32, 32)))
    try:
        x, y, classes = load_image_folder(path, size=size, channels=spec.get("channels", 3))
    except ValueError as e:
        raise RunError(str(e)) from None
    channels = spec.get("channels")
    if channels is None:  # gray when every image is: R == G == B everywhere
        channels = 1 if np.array_equal(x[:, 0], x[:, 1]) and np.array_equal(x[:, 1], x[:, 2]) else 3
        x = x[:, :1] if channels == 1 else x
    if len(classes) < 2:
        raise RunError(f"{path}: an image folder needs at least 2 class sub-folders")
    split = _split(len(x), y, "classification", spec, seed)
    extra = {"input_shape": (channels, *size), "channels": channels}
    return _assemble(x.astype(np.float32), y, classes, "classification", split, extra)


def _assemble(
    x: np.ndarray,
    y: np.ndarray,
    classes: list[str],
    task: str,
    split: dict[str, Any],
    extra: dict[str, Any],
) -> Data:
    parts = [(x[split[k]], y[split[k]]) for k in ("train", "val", "test")]
    for name, (px, _) in zip(("train", "val", "test"), parts):
        if len(px) == 0:
            raise RunError(f"data: the {name} split is empty; use more rows or other sizes")
    extra = {**extra, "task": task, "split": split}
    if classes:
        extra["classes"] = classes
    return Data(parts[0], parts[1], parts[2], extra)


def load_user_data(spec: dict[str, Any], task: str | None, seed: int) -> Data:
    """The splits of the file or folder ``spec["path"]``; ``task`` None chooses it.

    Raises
    ------
    RunError
        For a missing path, an unknown kind of file or unusable contents, naming the file.
    """
    path = Path(spec["path"])
    if not path.exists():
        raise RunError(f"{path}: no such data file or folder")
    if path.is_dir():
        data = _images(path, spec, seed)
    elif path.suffix.lower() == ".csv":
        data = _table(path, spec, task, seed)
    elif path.suffix.lower() in (".npy", ".npz"):
        data = _arrays(path, spec, task, seed)
    else:
        raise RunError(
            f"{path}: expected a .csv table, a .npz/.npy of arrays or a folder of images, "
            f"got '{path.suffix}'"
        )
    data.extra["fingerprint"] = fingerprint(path)
    return data
