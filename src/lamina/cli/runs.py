"""Run folders: train a recipe into one, and evaluate, predict or generate from one.

A run folder holds ``model.npz`` (weights and what the recipe's data needs at prediction
time), ``config.json``, ``metrics.json``, ``history.csv``, ``curves.png`` and, for
classifiers, ``confusion.png`` (and ``decision.png`` for 2-D inputs).
"""

from __future__ import annotations

import math
import os
import time
import uuid
from pathlib import Path
from typing import Any

import numpy as np

import lamina
from lamina import metrics as M
from lamina.cli.folder import (
    RunError,
    check_not_in_use,
    claim_run_folder,
    read_json,
    write_json,
)
from lamina.cli.recipes import Recipe, get_recipe
from lamina.data import DataLoader, TensorDataset, load_image
from lamina.errors import check_positive_int
from lamina.nn.module import Module
from lamina.optim.lr_scheduler import CosineAnnealingLR
from lamina.serialization import load
from lamina.training import (
    CSVLogger,
    GradientMonitor,
    LearningRateScheduler,
    ModelCheckpoint,
    ProgressBar,
    Trainer,
    plots,
)
from lamina.training.files import save_file
from lamina.training.registry import OPTIMIZERS

__all__ = ["RunError", "check_seed", "evaluate", "generate", "load_run", "predict", "train"]


MAX_SEED = 2**32 - 1
MAX_LENGTH = 1_000_000


def check_seed(owner: str, seed: Any) -> int:
    """``seed`` as an int in [0, 2**32 - 1], else a RunError naming ``owner``."""
    if (
        isinstance(seed, bool)
        or not isinstance(seed, (int, np.integer))
        or not 0 <= seed <= MAX_SEED
    ):
        raise RunError(f"{owner}: seed must be an integer in [0, {MAX_SEED}], got {seed!r}")
    return int(seed)


def _metrics(
    recipe: Recipe, trainer: Trainer, split: tuple[np.ndarray, np.ndarray], name: str
) -> dict[str, float]:
    logs = trainer.evaluate(split, prefix=f"{name}_")
    if recipe.kind == "language_model":
        logs[f"{name}_perplexity"] = M.perplexity(logs[f"{name}_loss"])
    return logs


def train(
    name: str = "lenet-mnist",
    epochs: int | None = None,
    batch_size: int | None = None,
    lr: float | None = None,
    seed: int = 0,
    out: str | os.PathLike[str] | None = None,
    verbose: int = 1,
    steps_per_epoch: int | None = None,
    overwrite: bool = False,
) -> tuple[Path, dict[str, float]]:
    """Train recipe ``name`` into a run folder; return the folder and its test metrics.

    The folder is locked while the run writes it; a folder holding another run's files is
    refused unless ``overwrite`` (which deletes them first).
    """
    recipe = get_recipe(name)
    seed = check_seed("train", seed)
    epochs = recipe.epochs if epochs is None else epochs  # 0 is an error, not "the default"
    batch_size = recipe.batch_size if batch_size is None else batch_size
    lr = recipe.lr if lr is None else lr
    try:  # checked before the run folder is touched
        check_positive_int("train", epochs=epochs, batch_size=batch_size)
        if steps_per_epoch is not None:
            check_positive_int("train", steps_per_epoch=steps_per_epoch)
    except ValueError as e:
        raise RunError(str(e)) from None
    if not (isinstance(lr, (int, float)) and math.isfinite(lr) and lr > 0):
        raise RunError(f"train: lr must be a finite number > 0, got {lr!r}")
    run = Path(out) if out else Path("runs") / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}"
    with claim_run_folder(run, overwrite):
        results = _train_into(recipe, run, epochs, batch_size, lr, seed, verbose, steps_per_epoch)
    return run, results


def _train_into(
    recipe: Recipe,
    run: Path,
    epochs: int,
    batch_size: int,
    lr: float,
    seed: int,
    verbose: int,
    steps_per_epoch: int | None,
) -> dict[str, float]:
    lamina.manual_seed(seed)
    data = recipe.data(seed)
    model = recipe.build(data.extra)
    optimizer = OPTIMIZERS[recipe.optimizer](model.parameters(), lr=lr)
    metric_fns = {"accuracy": M.accuracy} if recipe.kind == "classifier" else {}
    trainer = Trainer(model, optimizer, recipe.loss, metric_fns)
    grads = GradientMonitor()
    checkpoint = ModelCheckpoint(run / "checkpoint.npz", save_best_only=False, full_state=True)
    schedule = LearningRateScheduler(CosineAnnealingLR(optimizer, T_max=epochs))
    best = ModelCheckpoint(run / "best.npz", monitor="val_loss", save_best_only=True)
    log = CSVLogger(run / "history.csv")
    callbacks = [schedule, log, ProgressBar(verbose), grads, best, checkpoint]
    run_id = uuid.uuid4().hex  # in config.json and model.npz: load_run checks they match
    config: dict[str, Any] = {
        "recipe": recipe.name, "epochs": epochs, "batch_size": batch_size, "lr": lr,
        "seed": seed, "optimizer": recipe.optimizer, "steps_per_epoch": steps_per_epoch,
        "lamina": lamina.__version__, "run_id": run_id,
    }  # fmt: skip
    write_json(run / "config.json", config)
    started = time.perf_counter()
    transform = recipe.augment(seed) if recipe.augment else None
    loader = DataLoader(TensorDataset(*data.train), batch_size, shuffle=True, seed=seed,
                        transform=transform)  # fmt: skip
    history = trainer.fit(loader, epochs, data.val, callbacks, steps_per_epoch=steps_per_epoch)
    model.load_state_dict(load(run / "best.npz"))  # the epoch with the lowest validation loss
    results = {
        **_metrics(recipe, trainer, data.val, "val"),
        **_metrics(recipe, trainer, data.test, "test"),
    }
    results["train_seconds"] = round(time.perf_counter() - started, 2)
    save_file({"model": model.state_dict(), "extra": data.extra, "run_id": run_id},
              run / "model.npz")  # fmt: skip
    write_json(run / "metrics.json", results)
    _pictures(recipe, trainer, data, run, history, grads)
    return results


def _pictures(
    recipe: Recipe, trainer: Trainer, data: Any, run: Path, history: Any, grads: GradientMonitor
) -> None:
    plots.plot_history(history, run / "curves.png")
    plots.plot_gradient_norms(grads.norms, run / "gradients.png")
    if recipe.kind != "classifier":
        return
    x, y = data.test
    pred = trainer.predict(x)
    classes = data.extra.get("classes")
    plots.plot_confusion_matrix(M.confusion_matrix(y, pred), run / "confusion.png", classes)
    if x.ndim == 2 and x.shape[1] == 2:
        plots.plot_decision_boundary(trainer.predict, x, y, run / "decision.png")


def load_run(run: str | os.PathLike[str]) -> tuple[Recipe, Module, dict[str, Any], dict[str, Any]]:
    """The recipe, the trained model, the saved ``extra`` and the config of a run folder.

    ``config.json`` and ``model.npz`` must carry the same run id: files of two runs mixed in
    one folder are refused.
    """
    run = Path(run)
    if not run.is_dir():
        raise RunError(f"{run}: no such run folder")
    check_not_in_use(run)
    if not (run / "config.json").is_file() or not (run / "model.npz").is_file():
        raise RunError(f"{run} is not a run folder (expected config.json and model.npz in it)")
    config = read_json(run / "config.json")
    for key, kind in (("recipe", str), ("seed", int), ("run_id", str)):
        if not isinstance(config.get(key), kind) or isinstance(config.get(key), bool):
            raise RunError(
                f"{run}/config.json is damaged: {key!r} must be of type {kind.__name__}, "
                f"got {config.get(key)!r}"
            )
    try:
        recipe = get_recipe(config["recipe"])
        check_seed(f"{run}/config.json", config["seed"])
    except KeyError as e:
        raise RunError(f"{run}/config.json is damaged ({e.args[0]})") from None
    try:
        saved = load(run / "model.npz")
        extra = dict(saved["extra"])
        model = recipe.build(extra)
        model.load_state_dict(saved["model"])
        model_id = saved.get("run_id")
    except (ValueError, KeyError, TypeError) as e:
        raise RunError(f"{run}/model.npz cannot be loaded: {e}") from None
    if model_id != config["run_id"]:
        raise RunError(
            f"{run}: model.npz (run {model_id}) and config.json (run {config['run_id']}) come "
            f"from different runs; retrain into an empty folder"
        )
    return recipe, model, extra, config


def evaluate(run: str | os.PathLike[str]) -> dict[str, float]:
    """Re-evaluate a run's model on its recipe's test split."""
    recipe, model, _, config = load_run(run)
    data = recipe.data(config["seed"])
    trainer = Trainer(
        model, None, recipe.loss, {"accuracy": M.accuracy} if recipe.kind == "classifier" else {}
    )
    return _metrics(recipe, trainer, data.test, "test")


def _resize(img: np.ndarray, h: int, w: int) -> np.ndarray:
    """Bilinear resize of (C, H0, W0) to (C, h, w), pixel centres aligned (half-pixel)."""
    _, h0, w0 = img.shape
    ys = np.clip((np.arange(h) + 0.5) * h0 / h - 0.5, 0, h0 - 1)
    xs = np.clip((np.arange(w) + 0.5) * w0 / w - 0.5, 0, w0 - 1)
    y0, x0 = np.floor(ys).astype(int), np.floor(xs).astype(int)
    y1, x1 = np.minimum(y0 + 1, h0 - 1), np.minimum(x0 + 1, w0 - 1)
    fy, fx = (ys - y0)[:, None], (xs - x0)[None, :]
    top = img[:, y0][:, :, x0] * (1 - fx) + img[:, y0][:, :, x1] * fx
    bottom = img[:, y1][:, :, x0] * (1 - fx) + img[:, y1][:, :, x1] * fx
    return top * (1 - fy) + bottom * fy


def _read_image(path: Path, shape: tuple[int, ...], recipe: Recipe) -> np.ndarray:
    """An image file as one sample of ``shape`` (C, H, W): channels converted, resized."""
    if len(shape) != 3:
        raise RunError(f"{path}: recipe {recipe.name} takes inputs of shape {shape}, not images")
    img = load_image(path)  # (C, H, W) in [0, 1]
    c = shape[0]
    if img.shape[0] != c:
        if c == 1:  # ITU-R 601 luma
            img = np.tensordot(np.array([0.299, 0.587, 0.114], np.float32), img[:3], axes=1)[None]
        else:
            img = np.repeat(img[:1], c, axis=0)
    if img.shape[1:] != shape[1:]:
        img = _resize(img, shape[1], shape[2])
    return img.astype(np.float32)


def _read_inputs(path: Path, recipe: Recipe, extra: dict[str, Any]) -> np.ndarray:
    if not path.is_file():
        raise RunError(f"no such input file: {path}")
    shape = recipe.input_shape(extra)
    if path.suffix == ".npy":
        try:
            x = np.load(path, allow_pickle=False)
        except (ValueError, OSError, EOFError) as e:
            raise RunError(f"{path}: not a readable .npy array ({e})") from None
        if x.dtype.kind not in "biuf":
            raise RunError(f"{path}: expected a numeric array, got dtype {x.dtype}")
        x = x.astype(np.float32)
    else:
        x = _read_image(path, shape, recipe)
    if x.size == 0:
        raise RunError(f"{path}: the array is empty (shape {x.shape}); expected samples of {shape}")
    if x.shape == shape:
        x = x.reshape(1, *shape)
    if x.shape[1:] != shape:
        raise RunError(f"{path}: expected inputs of shape {shape} or (N, *{shape}), got {x.shape}")
    bad = ~np.isfinite(x)
    if bad.any():
        raise RunError(
            f"{path}: {int(bad.sum())} of {x.size} values are NaN or infinite; "
            f"inputs must be finite"
        )
    if "mean" in extra:  # the recipe standardized its inputs with training statistics
        x = (x - extra["mean"]) / extra["scale"]
    return x.astype(np.float32)


def predict(run: str | os.PathLike[str], path: str | os.PathLike[str]) -> np.ndarray:
    """Class predictions of a classifier run for a ``.npy`` array or an image file."""
    recipe, model, extra, _ = load_run(run)
    if recipe.kind != "classifier":
        raise RunError(f"{recipe.name} is a {recipe.kind}; use 'lamina generate' instead")
    scores = Trainer(model, None, recipe.loss).predict(_read_inputs(Path(path), recipe, extra))
    return scores.argmax(axis=1)


def generate(
    run: str | os.PathLike[str],
    length: int = 200,
    temperature: float = 1.0,
    seed: int = 0,
    prime: str = "The ",
) -> str:
    """Text sampled from a language-model run, starting from ``prime``."""
    if (
        isinstance(length, bool)
        or not isinstance(length, (int, np.integer))
        or not (1 <= length <= MAX_LENGTH)
    ):
        raise RunError(f"generate: length must be an integer in [1, {MAX_LENGTH}], got {length!r}")
    if not (isinstance(temperature, (int, float)) and math.isfinite(temperature)) or not (
        temperature > 0
    ):
        raise RunError(f"generate: temperature must be a finite number > 0, got {temperature!r}")
    seed = check_seed("generate", seed)
    recipe, model, extra, _ = load_run(run)
    if recipe.kind != "language_model":
        raise RunError(f"{recipe.name} is a {recipe.kind}; 'generate' needs a language model")
    vocab = str(extra["vocab"])
    lookup = {c: i for i, c in enumerate(vocab)}
    unknown = sorted({c for c in prime if c not in lookup})
    if unknown or not prime:
        raise RunError(
            f"generate: prime must be non-empty text over the run's vocabulary; "
            f"{'unknown characters: ' + repr(''.join(unknown)) if unknown else 'got empty text'}"
        )
    ids = model.generate(
        [lookup[c] for c in prime], int(length), float(temperature), np.random.default_rng(seed)
    )
    return prime + "".join(vocab[i] for i in ids)
