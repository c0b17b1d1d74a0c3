"""Run folders: train a recipe into one, resume it, and evaluate, predict or generate from one.

A run folder holds ``model.npz`` (weights and what the recipe's data needs at prediction
time), ``config.json``, ``metrics.json``, ``history.csv``, ``curves.png``, ``filters.png``
for a convolutional model (its first layer's filters) and, for classifiers, ``confusion.png``
(and ``decision.png`` for 2-D inputs).
"""

from __future__ import annotations

import math
import os
import time
import uuid
from contextlib import nullcontext
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
from lamina.cli.lm_runs import LM_SOURCES, check_top_k, generate_text, kneser_ney_baseline
from lamina.cli.recipe_file import RUN_KEYS, check_recipe, merge, read_recipe_file
from lamina.cli.recipes import Data, Recipe, get_recipe
from lamina.cli.text_baselines import TEXT_BASELINES
from lamina.data import DataLoader, TensorDataset
from lamina.distributed import broadcast_module, is_main
from lamina.errors import check_positive_int
from lamina.nn.conv import Conv1d, Conv2d
from lamina.nn.module import Module
from lamina.optim.lr_scheduler import CosineAnnealingLR, ExponentialLR, StepLR
from lamina.serialization import load, save
from lamina.training import (
    CSVLogger,
    EarlyStopping,
    GradientMonitor,
    LearningRateScheduler,
    ModelCheckpoint,
    ProgressBar,
    Trainer,
    plots,
)
from lamina.training.plot_images import plot_filters
from lamina.training.registry import OPTIMIZERS

__all__ = [
    "RunError",
    "check_seed",
    "evaluate",
    "generate",
    "load_run",
    "predict",
    "resolve_recipe",
    "resume",
    "train",
]


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


def _check_arguments(
    epochs: Any, batch_size: Any, lr: Any, seed: Any, steps_per_epoch: Any
) -> None:
    """The Python arguments' own checks, before any recipe or folder is touched."""
    try:
        if epochs is not None:
            check_positive_int("train", epochs=epochs)
        if batch_size is not None:
            check_positive_int("train", batch_size=batch_size)
        if steps_per_epoch is not None:
            check_positive_int("train", steps_per_epoch=steps_per_epoch)
    except ValueError as e:
        raise RunError(str(e)) from None
    if lr is not None and not (isinstance(lr, (int, float)) and math.isfinite(lr) and lr > 0):
        raise RunError(f"train: lr must be a finite number > 0, got {lr!r}")
    if seed is not None:
        check_seed("train", seed)


def resolve_recipe(name: str | os.PathLike[str] | None, overrides: dict[str, Any]) -> Recipe:
    """A built-in name or a recipe file, with ``overrides`` merged in, checked whole.

    No name with ``data.path`` given takes the embedded default for that kind of data
    (``images-default`` for a folder, else ``table-default``).
    """
    path = overrides.get("data.path")
    if name is None:
        name = (
            "lenet-mnist"
            if path is None
            else ("images-default" if Path(path).is_dir() else "table-default")
        )
    text = str(name)
    if text.endswith((".toml", ".json")) or os.sep in text or Path(text).is_file():
        spec, source = read_recipe_file(text), text
        where = spec.get("data", {}).get("path") if isinstance(spec.get("data"), dict) else None
        if isinstance(where, str) and not Path(where).is_absolute():  # beside the recipe file
            spec["data"]["path"] = str((Path(text).parent / where).resolve())
    else:
        spec, source = dict(get_recipe(text).spec), f"recipe {text}"
    spec = merge(spec, overrides)
    if path is not None and isinstance(spec.get("data"), dict):
        spec["data"].pop("source", None)  # --data replaces a built-in source
    return Recipe(check_recipe(spec, source))


def train(
    name: str | os.PathLike[str] | None = "lenet-mnist",
    epochs: int | None = None,
    batch_size: int | None = None,
    lr: float | None = None,
    seed: int | None = None,
    out: str | os.PathLike[str] | None = None,
    verbose: int = 1,
    steps_per_epoch: int | None = None,
    overwrite: bool = False,
    data: str | os.PathLike[str] | None = None,
    target: str | None = None,
    attention: str | None = None,
) -> tuple[Path, dict[str, float]]:
    """Train a recipe (a built-in name or a TOML/JSON file) into a run folder.

    Arguments that are not None override the recipe's values; ``data`` and ``target`` set
    its ``data.path`` and ``data.target``. Returns the folder and its final metrics. The
    folder is locked while the run writes it; a folder holding another run's files is
    refused unless ``overwrite`` (which deletes them first).
    """
    _check_arguments(epochs, batch_size, lr, seed, steps_per_epoch)
    overrides = {
        "epochs": epochs,
        "batch_size": batch_size,
        "lr": lr,
        "seed": seed,
        "steps_per_epoch": steps_per_epoch,
        "data.target": target,
        "model.attention": attention,
        "data.path": None if data is None else str(Path(data).resolve()),
    }
    recipe = resolve_recipe(name, overrides)
    splits = recipe.data(recipe.spec["seed"])  # a bad data file is refused before any folder
    stamp = time.strftime("%Y%m%d-%H%M%S")
    run = Path(out) if out else Path("runs") / f"{recipe.name}-{stamp}"
    with claim_run_folder(run, overwrite) if is_main() else nullcontext():  # mpiexec: rank 0
        if recipe.task in ("detection", "verification"):  # their own loops: vision_runs
            from lamina.cli.vision_runs import train_vision

            return run, train_vision(recipe, run, verbose, splits)
        if recipe.task == "translation":  # its own loop: seq2seq_runs
            from lamina.cli.seq2seq_runs import train_translation

            return run, train_translation(recipe, run, verbose, splits)
        if recipe.task == "tagging":  # its own loop: sequence_runs
            from lamina.cli.sequence_runs import train_tagging

            return run, train_tagging(recipe, run, verbose, splits)
        results = _train_into(recipe, run, verbose, data=splits)
    return run, results


def resume(run: str | os.PathLike[str], verbose: int = 1) -> tuple[Path, dict[str, float]]:
    """Continue an interrupted run from its ``checkpoint.npz`` to the end of its recipe.

    The result equals an uninterrupted run bit for bit: the checkpoint holds the weights,
    the optimizer, the callbacks, the random generators and the loader's order.
    """
    run = Path(run)
    if not (run / "config.json").is_file():
        raise RunError(f"{run}: not a run folder (no config.json) to resume")
    with claim_run_folder(run, keep=True) if is_main() else nullcontext():  # mpiexec: rank 0
        config = read_json(run / "config.json")
        if not (run / "checkpoint.npz").is_file():
            raise RunError(f"{run}: no checkpoint.npz to resume from (no epoch finished)")
        recipe = _recipe_of(run, config)
        try:
            state = load(run / "checkpoint.npz")
        except (ValueError, KeyError, OSError) as e:
            raise RunError(f"{run}/checkpoint.npz cannot be loaded: {e}") from None
        results = _train_into(recipe, run, verbose, state, str(config["run_id"]))
    return run, results


def _optimizer(spec: dict[str, Any], model: Module) -> Any:
    kwargs: dict[str, Any] = {"lr": spec["lr"]}
    if spec.get("weight_decay"):
        kwargs["weight_decay"] = spec["weight_decay"]
    if spec.get("momentum"):
        kwargs["momentum"] = spec["momentum"]
    return OPTIMIZERS[spec["optimizer"].lower()](model.parameters(), **kwargs)


def _schedule(spec: dict[str, Any], optimizer: Any, epochs: int) -> list[Any]:
    s = spec["schedule"]
    if s["name"] == "cosine":
        return [LearningRateScheduler(CosineAnnealingLR(optimizer, T_max=epochs))]
    if s["name"] == "step":
        return [
            LearningRateScheduler(
                StepLR(optimizer, step_size=s.get("step_size", 10), gamma=s.get("gamma", 0.1))
            )
        ]
    if s["name"] == "exponential":
        return [LearningRateScheduler(ExponentialLR(optimizer, gamma=s.get("gamma", 0.95)))]
    return []


def _train_into(
    recipe: Recipe,
    run: Path,
    verbose: int,
    state: Any = None,
    run_id: str | None = None,
    data: Data | None = None,
) -> dict[str, float]:
    spec = recipe.spec
    epochs, batch_size, seed = spec["epochs"], spec["batch_size"], spec["seed"]
    lamina.manual_seed(seed)
    data = recipe.data(seed) if data is None else data
    recipe = recipe.with_task(data.extra.get("task", ""))
    model = recipe.build(data.extra)
    optimizer = _optimizer(spec, model)
    trainer = Trainer(model, optimizer, recipe.loss, recipe.metrics())
    grads = GradientMonitor()
    checkpoint = ModelCheckpoint(run / "checkpoint.npz", save_best_only=False, full_state=True)
    best = ModelCheckpoint(run / "best.npz", monitor="val_loss", save_best_only=True)
    stop = [EarlyStopping(patience=spec["patience"])] if spec.get("patience") else []
    callbacks = [
        *_schedule(spec, optimizer, epochs),
        CSVLogger(run / "history.csv"),
        ProgressBar(verbose),
        grads,
        *stop,
        best,
        checkpoint,
    ]
    if state is None:
        run_id = uuid.uuid4().hex  # in config.json and model.npz: load_run checks they match
        config = {
            **recipe.spec,
            "recipe": recipe.name,
            "lamina": lamina.__version__,
            "run_id": run_id,
        }
        if is_main():
            write_json(run / "config.json", config)
    started = time.perf_counter()
    transform = recipe.augment(seed)
    loader = DataLoader(
        TensorDataset(*data.train), batch_size, shuffle=True, seed=seed, transform=transform
    )
    if state is not None:
        trainer.load_state_dict(state, callbacks)
    history = trainer.fit(
        loader, epochs, data.val, callbacks, seed=seed, steps_per_epoch=spec["steps_per_epoch"]
    )
    if is_main():
        model.load_state_dict(load(run / "best.npz"))  # the epoch with the lowest validation loss
    broadcast_module(model)  # under mpiexec: every rank evaluates its part with those weights
    results = {
        **_metrics(recipe, trainer, data.val, "val"),
        **_metrics(recipe, trainer, data.test, "test"),
    }
    results["train_seconds"] = round(time.perf_counter() - started, 2)
    if not is_main():
        return results  # under mpiexec rank 0 writes the run folder
    if recipe.kind == "language_model" and spec["data"].get("source") in LM_SOURCES:
        results.update(kneser_ney_baseline(spec["data"]["source"]))  # beside test_perplexity
    if spec["data"].get("source") in TEXT_BASELINES:  # e.g. TF-IDF beside a char CNN
        results.update(TEXT_BASELINES[spec["data"]["source"]](seed))
    save({"model": model.state_dict(), "extra": data.extra, "run_id": run_id}, run / "model.npz")
    write_json(run / "metrics.json", results)
    _pictures(recipe, trainer, data, run, history, grads)
    return results


def _pictures(
    recipe: Recipe, trainer: Trainer, data: Any, run: Path, history: Any, grads: GradientMonitor
) -> None:
    plots.plot_history(history, run / "curves.png")
    plots.plot_gradient_norms(grads.norms, run / "gradients.png")
    _first_filters(trainer.model, run / "filters.png")
    if recipe.kind != "classifier":
        return
    x, y = data.test
    pred = trainer.predict(x)
    classes = data.extra.get("classes")
    plots.plot_confusion_matrix(M.confusion_matrix(y, pred), run / "confusion.png", classes)
    if x.ndim == 2 and x.shape[1] == 2:
        plots.plot_decision_boundary(trainer.predict, x, y, run / "decision.png")


def _first_filters(model: Module, path: Path) -> None:
    """``filters.png``: the trained weights of the model's first Conv1d or Conv2d (none for a
    model without one). A Conv1d filter (in_channels, k) is one tile, rows the input channels
    (a character CNN's: the alphabet), columns the k positions."""
    conv = next((m for m in model.modules() if isinstance(m, (Conv1d, Conv2d))), None)
    if conv is not None:
        w = conv.weight.data
        plot_filters(w[:, None] if w.ndim == 3 else w, path)


def _recipe_of(run: Path, config: dict[str, Any]) -> Recipe:
    """The recipe a run's config.json records (an older run: its built-in recipe's name)."""
    for key, kind in (("recipe", str), ("seed", int), ("run_id", str)):
        if not isinstance(config.get(key), kind) or isinstance(config.get(key), bool):
            raise RunError(
                f"{run}/config.json is damaged: {key!r} must be of type {kind.__name__}, "
                f"got {config.get(key)!r}"
            )
    try:
        check_seed(f"{run}/config.json", config["seed"])
        if "model" not in config:
            return get_recipe(config["recipe"])
        spec = {k: v for k, v in config.items() if k not in RUN_KEYS and v is not None}
        return Recipe(check_recipe(spec, f"{run}/config.json"))
    except KeyError as e:
        raise RunError(f"{run}/config.json is damaged ({e.args[0]})") from None


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
    recipe = _recipe_of(run, config)
    try:
        saved = load(run / "model.npz")
        extra = dict(saved["extra"])
        recipe = recipe.with_task(str(extra.get("task", "")))
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
    """Re-evaluate a run's model on its test split (the same rows, by the same seed).

    A run on the user's own file refuses a file that changed since training.
    """
    recipe, model, extra, config = load_run(run)
    data = recipe.data(config["seed"])
    if recipe.task in ("detection", "verification"):
        from lamina.cli.vision_runs import evaluate_vision

        return evaluate_vision(recipe, model, data)
    if recipe.task == "translation":
        from lamina.cli.seq2seq_runs import evaluate_translation

        # a translation run's model is the Seq2Seq its recipe built; load_run types it Module
        return evaluate_translation(model, data)  # type: ignore[arg-type]
    if recipe.task == "tagging":
        from lamina.cli.sequence_runs import evaluate_tagging

        return evaluate_tagging(model, data)
    if data.extra.get("fingerprint") != extra.get("fingerprint"):
        raise RunError(
            f"{run}: the data file {recipe.spec['data'].get('path')} changed since training; "
            f"its test split is no longer the one the run held out"
        )
    trainer = Trainer(model, None, recipe.loss, recipe.metrics())
    return _metrics(recipe, trainer, data.test, "test")


def predict(run: str | os.PathLike[str], path: str | os.PathLike[str]) -> np.ndarray:
    """Class indices a classifier run predicts for one input file (see ``predict_files``)."""
    from lamina.cli.predict_files import predict_files

    recipe = load_run(run)[0]
    if recipe.kind != "classifier":
        raise RunError(f"{recipe.name} is a {recipe.kind}; use 'lamina generate' instead")
    return np.concatenate([scores.argmax(axis=1) for _, scores in predict_files(run, [path])])


def generate(
    run: str | os.PathLike[str],
    length: int = 200,
    temperature: float = 1.0,
    seed: int = 0,
    prime: str = "The ",
    top_k: int | None = None,
) -> str:
    """Text sampled from a language-model run, starting from ``prime``.

    Each token is drawn from softmax(logits / temperature), restricted to the ``top_k``
    most probable tokens when given (renormalized; 1 is greedy decoding).
    """
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
    check_top_k(top_k, MAX_LENGTH)
    recipe, model, extra, _ = load_run(run)
    if recipe.kind != "language_model":
        raise RunError(f"{recipe.name} is a {recipe.kind}; 'generate' needs a language model")
    return generate_text(model, extra, prime, int(length), float(temperature), top_k, seed)
