"""Training and classifier plots as PNG files (needs matplotlib: ``pip install lamina[plot]``).

Learning curves, a confusion matrix, a 2-D decision boundary and per-layer gradient norms, plus
the figure helpers that :mod:`lamina.training.plot_images` shares. Every function draws on its
own ``matplotlib.figure.Figure`` with the Agg canvas (never ``pyplot``, so no global backend
or figure state is touched), writes the PNG atomically (a temporary file in the same folder,
then ``os.replace``) and returns the path.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from lamina.errors import ShapeError
from lamina.training.files import atomic_open

__all__ = [
    "plot_attention",
    "plot_confusion_matrix",
    "plot_decision_boundary",
    "plot_gradient_norms",
    "plot_history",
]

PathLike = str | os.PathLike[str]


def _figure(owner: str, figsize: tuple[float, float], dpi: int) -> Any:
    """A fresh Agg-backed Figure; ImportError naming the extra when matplotlib is missing."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as err:
        raise ImportError(f"{owner} needs matplotlib: pip install lamina[plot]") from err
    fig = Figure(figsize=figsize, dpi=dpi)
    FigureCanvasAgg(fig)
    return fig


def _save(fig: Any, path: PathLike) -> Path:
    """Write ``fig`` to ``path`` as PNG atomically: a per-process temp file, then replace."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_open(path, "wb") as f:
        fig.savefig(f, format="png")
    return path


def _array(owner: str, value: Any, name: str, ndim: int, dtype: Any = np.float64) -> np.ndarray:
    arr = np.asarray(getattr(value, "data", value), dtype=dtype)
    if arr.ndim != ndim:
        raise ShapeError(f"{owner}: expected {name} with {ndim} dimensions, got shape {arr.shape}")
    return arr


def plot_history(
    history: Any,
    path: PathLike,
    *,
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
    dpi: int = 100,
) -> Path:
    """Learning curves: one panel for the loss and one per metric, training and validation.

    Parameters
    ----------
    history : History or dict of str -> list of float
        What ``fit`` returns; keys ``name`` and ``val_name`` share a panel.
    path : str or PathLike
        Where the PNG goes.
    title : str or None, default=None
    figsize : (width, height) in inches or None, default=None
        None gives 4 inches of width per panel and 3.2 of height.
    dpi : int, default=100

    Returns
    -------
    Path of the written PNG.

    Raises
    ------
    ValueError
        If nothing was logged.
    """
    logs: Mapping[str, Sequence[float]] = getattr(history, "history", history)
    logs = {k: list(v) for k, v in logs.items() if len(v)}
    if not logs:
        raise ValueError(
            "plot_history: expected a history with at least one logged epoch, got none"
        )
    names = list(dict.fromkeys(k.removeprefix("val_") for k in logs))
    names.sort(key=lambda k: k != "loss")  # the loss panel first
    fig = _figure("plot_history", figsize or (4.0 * len(names), 3.2), dpi)
    for i, name in enumerate(names):
        ax = fig.add_subplot(1, len(names), i + 1)
        for key, label in ((name, "train"), (f"val_{name}", "validation")):
            if key in logs:
                epochs = np.arange(1, len(logs[key]) + 1)
                ax.plot(epochs, logs[key], marker="o", markersize=3, label=label)
        ax.set_xlabel("epoch")
        ax.set_title(name)
        ax.grid(alpha=0.3)
        if f"val_{name}" in logs:  # a legend only where training and validation share a panel
            ax.legend()
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return _save(fig, path)


def plot_confusion_matrix(
    cm: Any,
    path: PathLike,
    class_names: Sequence[str] | None = None,
    *,
    title: str = "confusion matrix",
    figsize: tuple[float, float] | None = None,
    dpi: int = 100,
) -> Path:
    """A confusion matrix as a heat map with the count written in each cell.

    Parameters
    ----------
    cm : array_like of shape (k, k)
        ``cm[i, j]`` counts samples of true class i predicted as j (``metrics.confusion_matrix``).
    path : str or PathLike
    class_names : sequence of k str or None, default=None
        Tick labels; None numbers the classes 0..k-1.
    title : str, default="confusion matrix"
    figsize : (width, height) or None, default=None
    dpi : int, default=100

    Returns
    -------
    Path of the written PNG.
    """
    cm = _array("plot_confusion_matrix", cm, "cm", 2)
    k = cm.shape[0]
    if cm.shape != (k, k) or k == 0:
        raise ShapeError(f"plot_confusion_matrix: expected a square matrix (k, k), got {cm.shape}")
    names = [str(c) for c in class_names] if class_names is not None else [str(i) for i in range(k)]
    if len(names) != k:
        raise ValueError(f"plot_confusion_matrix: expected {k} class names, got {len(names)}")
    side = max(3.5, 0.5 * k + 2)
    fig = _figure("plot_confusion_matrix", figsize or (side + 0.8, side), dpi)
    ax = fig.add_subplot()
    image = ax.imshow(cm, cmap="Blues")
    fig.colorbar(image, ax=ax)
    ax.set_xticks(range(k), names, rotation=45 if max(map(len, names)) > 2 else 0)
    ax.set_yticks(range(k), names)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(title)
    threshold = (cm.max() + cm.min()) / 2  # white text on the dark cells
    for i in range(k):
        for j in range(k):
            text = f"{cm[i, j]:.0f}" if float(cm[i, j]).is_integer() else f"{cm[i, j]:.2f}"
            color = "white" if cm[i, j] > threshold else "black"
            ax.text(j, i, text, ha="center", va="center", color=color, fontsize=8)
    fig.tight_layout()
    return _save(fig, path)


def _labels_of(owner: str, out: Any, m: int) -> np.ndarray:
    """Class labels from predictions: labels (m,), probabilities (m, 1) or scores (m, k)."""
    out = np.asarray(getattr(out, "data", out))
    if out.ndim == 2 and out.shape[1] == 1:
        return (out[:, 0] > 0.5).astype(np.int64)
    if out.ndim == 2:
        return out.argmax(axis=1)
    if out.ndim == 1 and out.shape[0] == m:
        return out
    raise ShapeError(f"{owner}: predict_fn must return shape ({m},) or ({m}, k), got {out.shape}")


def plot_decision_boundary(
    predict_fn: Callable[[np.ndarray], Any],
    X: Any,
    y: Any,
    path: PathLike,
    resolution: int = 200,
    *,
    title: str = "decision boundary",
    figsize: tuple[float, float] = (5.0, 4.5),
    dpi: int = 100,
) -> Path:
    """The regions a classifier gives each class over a 2-D input plane, with the data on top.

    Parameters
    ----------
    predict_fn : callable
        Maps a float array (m, 2) to labels (m,), class scores (m, k) (argmax taken) or
        probabilities of class 1 (m, 1) (thresholded at 0.5). A Tensor result is accepted.
    X : array_like of shape (n, 2)
    y : array_like of shape (n,)
        The class of each point.
    path : str or PathLike
    resolution : int, default=200
        Grid points per axis; the grid spans the data plus a margin of 10 %.
    title : str, default="decision boundary"
    figsize : (width, height), default=(5.0, 4.5)
    dpi : int, default=100

    Returns
    -------
    Path of the written PNG.
    """
    owner = "plot_decision_boundary"
    X = _array(owner, X, "X", 2)
    if X.shape[1] != 2 or X.shape[0] == 0:
        raise ShapeError(f"{owner}: expected X of shape (n, 2), got {X.shape}")
    y = np.asarray(y).reshape(-1) if np.ndim(y) else np.asarray(y)
    if y.shape != (X.shape[0],):
        raise ShapeError(f"{owner}: expected y of shape ({X.shape[0]},), got {np.shape(y)}")
    if int(resolution) < 2:
        raise ValueError(f"{owner}: resolution must be at least 2, got {resolution}")
    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = 0.1 * np.where(hi > lo, hi - lo, 1.0)
    xs, ys = (np.linspace(lo[d] - pad[d], hi[d] + pad[d], int(resolution)) for d in range(2))
    gx, gy = np.meshgrid(xs, ys)
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    regions = _labels_of(owner, predict_fn(grid), grid.shape[0])
    classes = np.unique(np.concatenate([np.unique(regions), np.unique(y)]))
    codes = np.searchsorted(classes, regions).reshape(gx.shape)
    fig = _figure(owner, figsize, dpi)
    ax = fig.add_subplot()
    levels = np.arange(len(classes) + 1) - 0.5
    ax.contourf(gx, gy, codes, levels=levels, cmap="tab10", alpha=0.3, vmin=0, vmax=9)
    ax.scatter(
        X[:, 0],
        X[:, 1],
        c=np.searchsorted(classes, y),
        cmap="tab10",
        vmin=0,
        vmax=9,
        s=12,
        edgecolors="k",
        linewidths=0.3,
    )
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    ax.set_title(title)
    fig.tight_layout()
    return _save(fig, path)


def plot_gradient_norms(
    norms: Mapping[str, Sequence[float]],
    path: PathLike,
    *,
    title: str = "gradient norm per layer",
    figsize: tuple[float, float] = (6.0, 4.0),
    dpi: int = 100,
) -> Path:
    """Per-layer gradient norms over epochs on a log scale (``GradientMonitor.norms``).

    Vanishing gradients show as the first layers' curves lying orders of magnitude below the
    last layers'.

    Parameters
    ----------
    norms : dict of layer name -> list of float
        One value per epoch for each layer.
    path : str or PathLike
    title : str, default="gradient norm per layer"
    figsize : (width, height), default=(6.0, 4.0)
    dpi : int, default=100

    Returns
    -------
    Path of the written PNG.
    """
    series = {str(k): np.asarray(v, dtype=np.float64).reshape(-1) for k, v in norms.items()}
    series = {k: v for k, v in series.items() if v.size}
    if not series:
        raise ValueError("plot_gradient_norms: expected at least one layer with values, got none")
    fig = _figure("plot_gradient_norms", figsize, dpi)
    ax = fig.add_subplot()
    for name, values in series.items():
        ax.plot(np.arange(1, values.size + 1), values, marker="o", markersize=3, label=name)
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("mean gradient norm")
    ax.set_title(title)
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=7)
    fig.tight_layout()
    return _save(fig, path)


def plot_attention(
    weights: Any,
    path: PathLike,
    source: Sequence[str] | None = None,
    target: Sequence[str] | None = None,
    *,
    title: str = "attention",
    dpi: int = 100,
) -> Path:
    """Attention weights as a heat map: source tokens across, target tokens down.

    Parameters
    ----------
    weights : array_like of shape (T, S)
        ``weights[t, s]``: how much target step t attends to source step s (rows sum to 1).
    path : str or PathLike
    source, target : sequence of S (T) str or None
        Tick labels; None numbers the steps.
    title : str, default="attention"
    dpi : int, default=100

    Returns
    -------
    Path of the written PNG.
    """
    w = _array("plot_attention", weights, "weights", 2)
    t, s = w.shape
    src = [str(c) for c in source] if source is not None else [str(i) for i in range(s)]
    tgt = [str(c) for c in target] if target is not None else [str(i) for i in range(t)]
    if (len(tgt), len(src)) != (t, s):
        raise ValueError(
            f"plot_attention: expected {s} source and {t} target labels for weights of shape "
            f"{w.shape}, got {len(src)} and {len(tgt)}"
        )
    fig = _figure("plot_attention", (max(3.5, 0.3 * s + 1.5), max(3.0, 0.3 * t + 1.2)), dpi)
    ax = fig.add_subplot()
    image = ax.imshow(w, cmap="viridis", vmin=0.0, vmax=1.0, aspect="auto")
    fig.colorbar(image, ax=ax)
    ax.set_xticks(range(s), src)
    ax.set_yticks(range(t), tgt)
    ax.set_xlabel("source")
    ax.set_ylabel("target")
    ax.set_title(title)
    fig.tight_layout()
    return _save(fig, path)
