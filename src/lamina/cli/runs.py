"""Run folders: train a recipe into one, and evaluate, predict or generate from one.

A run folder holds ``model.npz`` (weights and what the recipe's data needs at prediction
time), ``config.json``, ``metrics.json``, ``history.csv``, ``curves.png`` and, for
classifiers, ``confusion.png`` (and ``decision.png`` for 2-D inputs).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import numpy as np

import lamina
from lamina import metrics as M
from lamina.cli.recipes import Recipe, get_recipe
from lamina.data import DataLoader, TensorDataset, load_image
from lamina.nn.module import Module
from lamina.optim.lr_scheduler import CosineAnnealingLR
from lamina.serialization import load, save
from lamina.training import (
    CSVLogger,
    GradientMonitor,
    LearningRateScheduler,
    ModelCheckpoint,
    ProgressBar,
    Trainer,
    plots,
)
from lamina.training.registry import OPTIMIZERS

__all__ = ["RunError", "evaluate", "generate", "load_run", "predict", "train"]


class RunError(ValueError):
    """A run folder is missing, incomplete or damaged."""


def _write_json(path: Path, obj: dict[str, Any]) -> None:
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(obj, indent=2) + "\n")
    os.replace(tmp, path)


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
) -> tuple[Path, dict[str, float]]:
    """Train recipe ``name`` into a new run folder; return the folder and its test metrics."""
    recipe = get_recipe(name)
    epochs, batch_size = epochs or recipe.epochs, batch_size or recipe.batch_size
    lr = lr or recipe.lr
    run = Path(out) if out else Path("runs") / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}"
    run.mkdir(parents=True, exist_ok=True)
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
    config: dict[str, Any] = {
        "recipe": name, "epochs": epochs, "batch_size": batch_size, "lr": lr, "seed": seed,
        "optimizer": recipe.optimizer, "steps_per_epoch": steps_per_epoch,
        "lamina": lamina.__version__,
    }  # fmt: skip
    _write_json(run / "config.json", config)
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
    save({"model": model.state_dict(), "extra": data.extra}, run / "model.npz")
    _write_json(run / "metrics.json", results)
    _pictures(recipe, trainer, data, run, history, grads)
    return run, results


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
    """The recipe, the trained model, the saved ``extra`` and the config of a run folder."""
    run = Path(run)
    if not (run / "config.json").is_file() or not (run / "model.npz").is_file():
        raise RunError(f"{run} is not a run folder (expected config.json and model.npz in it)")
    try:
        config = json.loads((run / "config.json").read_text())
        recipe = get_recipe(config["recipe"])
    except (json.JSONDecodeError, KeyError) as e:
        raise RunError(f"{run}/config.json is damaged ({e})") from None
    try:
        saved = load(run / "model.npz")
        extra = dict(saved["extra"])
        model = recipe.build(extra)
        model.load_state_dict(saved["model"])
    except (ValueError, KeyError) as e:
        raise RunError(f"{run}/model.npz cannot be loaded: {e}") from None
    return recipe, model, extra, config


def evaluate(run: str | os.PathLike[str]) -> dict[str, float]:
    """Re-evaluate a run's model on its recipe's test split."""
    recipe, model, _, config = load_run(run)
    data = recipe.data(int(config.get("seed", 0)))
    trainer = Trainer(
        model, None, recipe.loss, {"accuracy": M.accuracy} if recipe.kind == "classifier" else {}
    )
    return _metrics(recipe, trainer, data.test, "test")


def _read_inputs(path: Path, recipe: Recipe, extra: dict[str, Any]) -> np.ndarray:
    if not path.is_file():
        raise RunError(f"no such input file: {path}")
    if path.suffix == ".npy":
        x = np.load(path, allow_pickle=False).astype(np.float32)
    else:
        x = load_image(path, grayscale=True).astype(np.float32)
    shape = recipe.input_shape(extra)
    if x.shape == shape or x.shape == shape[1:]:
        x = x.reshape(1, *shape)
    if x.shape[1:] != shape:
        raise RunError(f"{path}: expected inputs of shape {shape} or (N, *{shape}), got {x.shape}")
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
    recipe, model, extra, _ = load_run(run)
    if recipe.kind != "language_model":
        raise RunError(f"{recipe.name} is a {recipe.kind}; 'generate' needs a language model")
    vocab = str(extra["vocab"])
    lookup = {c: i for i, c in enumerate(vocab)}
    unknown = sorted({c for c in prime if c not in lookup})
    if unknown or not prime:
        raise RunError(
            f"prime must be non-empty text over the run's vocabulary; unknown: {unknown}"
        )
    ids = model.generate(
        [lookup[c] for c in prime], length, temperature, np.random.default_rng(seed)
    )
    return prime + "".join(vocab[i] for i in ids)
