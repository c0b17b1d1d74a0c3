"""The vision recipes' data and runs: ``detection`` (detect-shapes) and ``verification``.

Their training loops are ``lamina.vision.fit_detector`` and ``fit_embedding`` (a detector's
targets and a triplet batch do not fit the classifier trainer); this module only prepares
the data, builds the model from the recipe, and writes the run folder: ``config.json``,
``model.npz``, ``metrics.json``, ``history.csv`` and the pictures.
"""

from __future__ import annotations

import csv
import time
import uuid
from pathlib import Path
from typing import Any

import numpy as np

import lamina
from lamina import datasets
from lamina.cli.folder import write_json
from lamina.cli.recipes import Data, Recipe
from lamina.datasets.shapes import SHAPE_CLASSES, make_shapes
from lamina.nn.module import Module
from lamina.serialization import save
from lamina.vision import (
    EmbeddingNet,
    TinyYOLO,
    auc,
    best_threshold,
    detect,
    embed,
    equal_error_rate,
    fit_detector,
    fit_embedding,
    make_pairs,
    mean_average_precision,
    roc_curve,
)

__all__ = [
    "VISION_TASKS",
    "build_vision_model",
    "evaluate_vision",
    "mnist_unseen_data",
    "shapes_data",
    "train_vision",
]

VISION_TASKS = ("detection", "verification")
SHAPES_SIZES = (2000, 300, 500)  # train, validation, test images (500 held out, as issue 18)
TRAIN_DIGITS = 7  # verification trains on digits 0..6; 7, 8, 9 are never seen in training


def _objects(boxes: list[np.ndarray], labels: list[np.ndarray]) -> np.ndarray:
    """Per image one (K, 5) array of x1, y1, x2, y2, class: an object array (N,)."""
    out = np.empty(len(boxes), dtype=object)
    for i, (b, k) in enumerate(zip(boxes, labels, strict=True)):
        out[i] = np.concatenate([b, k[:, None].astype(np.float32)], 1)
    return out


def shapes_data(seed: int) -> Data:
    """Generated shapes (``make_shapes``): 2,000 training, 300 validation, 500 test images."""
    splits = [make_shapes(n, seed=seed * 3 + k) for k, n in enumerate(SHAPES_SIZES)]
    train, val, test = ((x, _objects(b, lab)) for x, b, lab in splits)
    extra = {"classes": list(SHAPE_CLASSES), "input_shape": (1, 48, 48), "task": "detection"}
    return Data(train, val, test, extra)


def mnist_unseen_data(seed: int) -> Data:
    """MNIST sample digits 0-6 for training; 7-9 split in two for validation and test pairs."""
    (x, y), (xt, yt) = datasets.load_mnist_sample()
    x, y = np.concatenate([x, xt]), np.concatenate([y, yt])
    seen = y < TRAIN_DIGITS
    rest = np.random.default_rng(seed).permutation(np.flatnonzero(~seen))
    half = len(rest) // 2
    val, test = rest[:half], rest[half:]
    extra = {
        "classes": [str(i) for i in range(10)],
        "input_shape": (1, 28, 28),
        "task": "verification",
    }
    return Data((x[seen], y[seen]), (x[val], y[val]), (x[test], y[test]), extra)


def build_vision_model(spec: dict[str, Any], extra: dict[str, Any]) -> Module:
    """TinyYOLO or EmbeddingNet from a recipe's ``model`` table (loss settings left out)."""
    c, h, _ = extra["input_shape"]
    if spec["network"] == "TinyYOLO":
        return TinyYOLO(
            spec.get("grid", 6),
            spec.get("boxes", 2),
            len(extra["classes"]),
            c,
            h,
            spec.get("channels", [16, 32, 64, 64]),
        )
    return EmbeddingNet(
        c, h, spec.get("channels", [16, 32]), spec.get("hidden", 128), spec.get("embedding_dim", 32)
    )


def _history(path: Path, losses: list[float]) -> None:
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "loss"])
        w.writerows([e + 1, f"{loss:.6g}"] for e, loss in enumerate(losses))


def _log(verbose: int, text: str) -> None:
    if verbose:
        import logging

        logging.getLogger("lamina.cli").info(text)


def _detection(recipe: Recipe, model: Any, data: Data, run: Path, verbose: int) -> dict:
    spec = recipe.spec
    (x, obj) = data.train
    losses = fit_detector(
        model,
        x,
        [o[:, :4] for o in obj],
        [o[:, 4].astype(np.int64) for o in obj],
        spec["epochs"],
        spec["batch_size"],
        spec["lr"],
        spec["seed"],
        on_epoch=lambda e, loss: _log(verbose, f"epoch {e + 1}: loss {loss:.4f}"),
    )
    results = {**_map50(model, data.val, "val"), **_map50(model, data.test, "test")}
    found = detect(model, data.test[0][:8])
    _detections_png(data.test[0][:8], found, data.extra["classes"], run / "detections.png")
    _history(run / "history.csv", losses)
    return results


def _map50(model: Any, split: tuple[np.ndarray, np.ndarray], name: str) -> dict[str, float]:
    xs, objs = split
    truths = [(o[:, :4], o[:, 4].astype(np.int64)) for o in objs]
    return {f"{name}_map50": mean_average_precision(detect(model, xs), truths, 0.5, model.C)}


def _detections_png(images: np.ndarray, found: list, classes: list, path: Path) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    fig = Figure(figsize=(10, 5.4), dpi=100)
    FigureCanvasAgg(fig)
    for k, (img, (boxes, scores, labels)) in enumerate(zip(images, found, strict=True)):
        ax = fig.add_subplot(2, 4, k + 1) if len(images) > 4 else fig.add_subplot(1, 4, k + 1)
        ax.imshow(img[0], cmap="gray")
        for (x1, y1, x2, y2), s, c in zip(boxes, scores, labels, strict=True):
            if s < 0.3:
                continue
            ax.add_patch(
                Rectangle(
                    (x1 - 0.5, y1 - 0.5),
                    x2 - x1,
                    y2 - y1,
                    fill=False,
                    color="C" + str(c + 1),
                    lw=1.5,
                )
            )
            ax.text(x1, y1 - 1, f"{classes[c]} {s:.2f}", color="C" + str(c + 1), fontsize=6)
        ax.axis("off")
    fig.tight_layout()
    fig.savefig(path, format="png")


def _verification(recipe: Recipe, model: Any, data: Data, run: Path, verbose: int) -> dict:
    spec, m = recipe.spec, recipe.spec["model"]
    x, y = data.train
    losses = fit_embedding(
        model,
        x,
        y,
        m.get("mining", "batch_all"),
        m.get("margin", 0.5),
        spec["epochs"],
        TRAIN_DIGITS,
        max(spec["batch_size"] // TRAIN_DIGITS, 2),
        spec["lr"],
        spec["seed"],
        on_epoch=lambda e, loss, f: _log(
            verbose, f"epoch {e + 1}: loss {loss:.4f}, active {f:.3f}"
        ),
    )

    results = _verification_metrics(model, data, spec["seed"])
    from lamina.training.plot_images import plot_embeddings

    xs, ys = data.test
    plot_embeddings(
        embed(model, xs[:600]),
        [str(v) for v in ys[:600]],
        run / "embeddings.png",
        title="unseen digits 7-9: embeddings (PCA)",
    )
    _history(run / "history.csv", losses)
    return results


def _verification_metrics(model: Any, data: Data, seed: int) -> dict[str, float]:
    """Threshold chosen on 2,000 validation pairs; accuracy, AUC and EER on 2,000 test pairs."""

    def distances(split: tuple[np.ndarray, np.ndarray], seed: int) -> tuple[np.ndarray, ...]:
        pairs, same = make_pairs(split[1], 2000, seed)
        e = embed(model, split[0])
        return np.linalg.norm(e[pairs[:, 0]] - e[pairs[:, 1]], axis=1), same

    dv, sv = distances(data.val, seed + 1)
    threshold, val_acc = best_threshold(dv, sv)
    dt, st = distances(data.test, seed + 2)
    fpr, tpr, _ = roc_curve(dt, st)
    return {
        "threshold": threshold,
        "val_verification_accuracy": val_acc,
        "test_verification_accuracy": float(((dt <= threshold) == st).mean()),
        "test_auc": auc(fpr, tpr),
        "test_eer": equal_error_rate(dt, st)[0],
    }


def evaluate_vision(recipe: Recipe, model: Module, data: Data) -> dict[str, float]:
    """A vision run's held-out metrics again (``lamina evaluate``): the same pairs and images."""
    if recipe.task == "detection":
        return _map50(model, data.test, "test")
    results = _verification_metrics(model, data, recipe.spec["seed"])
    return {k: v for k, v in results.items() if k.startswith("test_")}


def train_vision(recipe: Recipe, run: Path, verbose: int, data: Data) -> dict[str, float]:
    """Train a detection or verification recipe into ``run``; returns its metrics."""
    lamina.manual_seed(recipe.spec["seed"])
    model = build_vision_model(recipe.spec["model"], data.extra)
    run_id = uuid.uuid4().hex
    write_json(
        run / "config.json",
        {**recipe.spec, "recipe": recipe.name, "lamina": lamina.__version__, "run_id": run_id},
    )
    started = time.perf_counter()
    if recipe.task == "detection":
        results = _detection(recipe, model, data, run, verbose)
    else:
        results = _verification(recipe, model, data, run, verbose)
    results["train_seconds"] = round(time.perf_counter() - started, 2)
    save({"model": model.state_dict(), "extra": data.extra, "run_id": run_id}, run / "model.npz")
    write_json(run / "metrics.json", results)
    return results
