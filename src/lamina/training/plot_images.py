"""Plots of learned representations as PNG files (needs matplotlib: ``pip install lamina[plot]``).

First-layer filters and feature maps as grids of image tiles, and a 2-D PCA view of embeddings.
Like :mod:`lamina.training.plots`, whose figure helpers they share, every function draws on its
own Agg-backed ``Figure`` (never ``pyplot``), writes the PNG atomically and returns the path.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from lamina.classic import PCA
from lamina.errors import ShapeError
from lamina.training.plots import PathLike, _array, _figure, _save

__all__ = ["plot_embeddings", "plot_feature_maps", "plot_filters"]


def _grid(n: int) -> tuple[int, int]:
    cols = math.ceil(math.sqrt(n))
    return math.ceil(n / cols), cols


def _tiles(fig: Any, images: np.ndarray, cmap: str, titles: Sequence[str] = ()) -> None:
    """Draw images (n, h, w) or (n, h, w, 3) in a near-square grid without ticks."""
    rows, cols = _grid(len(images))
    for i, img in enumerate(images):
        ax = fig.add_subplot(rows, cols, i + 1)
        ax.imshow(img, cmap=cmap, interpolation="nearest")
        ax.set_xticks([])
        ax.set_yticks([])
        if i < len(titles):
            ax.set_title(titles[i], fontsize=7)


def plot_filters(
    weight: Any,
    path: PathLike,
    *,
    max_filters: int = 64,
    figsize: tuple[float, float] | None = None,
    dpi: int = 100,
) -> Path:
    """First-layer convolution filters as a grid of small images.

    Parameters
    ----------
    weight : array_like or Parameter of shape (out_channels, in_channels, kh, kw)
        With 3 input channels each filter is one RGB image (each filter scaled to [0, 1]);
        otherwise each (filter, input channel) pair is a grayscale tile.
    path : str or PathLike
    max_filters : int, default=64
        Tiles drawn at most.
    figsize : (width, height) or None, default=None
    dpi : int, default=100

    Returns
    -------
    Path of the written PNG.
    """
    w = _array("plot_filters", weight, "weight (out, in, kh, kw)", 4)
    if w.size == 0:
        raise ShapeError(f"plot_filters: expected a non-empty weight, got shape {w.shape}")
    out, cin, kh, kw = w.shape
    if cin == 3:
        tiles = w.transpose(0, 2, 3, 1)[:max_filters]
        lo = tiles.min(axis=(1, 2, 3), keepdims=True)
        span = np.ptp(tiles, axis=(1, 2, 3), keepdims=True)
        tiles = (tiles - lo) / np.where(span > 0, span, 1.0)
        titles = [str(i) for i in range(len(tiles))]
    else:
        tiles = w.reshape(out * cin, kh, kw)[:max_filters]
        titles = [f"{i // cin}" if cin == 1 else f"{i // cin}.{i % cin}" for i in range(len(tiles))]
    rows, cols = _grid(len(tiles))
    fig = _figure("plot_filters", figsize or (1.1 * cols, 1.2 * rows + 0.4), dpi)
    _tiles(fig, tiles, "gray", titles)
    fig.suptitle(f"filters {w.shape}")
    return _save(fig, path)


def plot_feature_maps(
    maps: Any,
    path: PathLike,
    *,
    max_maps: int = 64,
    figsize: tuple[float, float] | None = None,
    dpi: int = 100,
) -> Path:
    """A layer's feature maps for one input, one grayscale tile per channel.

    Parameters
    ----------
    maps : array_like or Tensor of shape (C, H, W)
    path : str or PathLike
    max_maps : int, default=64
    figsize : (width, height) or None, default=None
    dpi : int, default=100

    Returns
    -------
    Path of the written PNG.
    """
    m = _array("plot_feature_maps", maps, "maps (C, H, W)", 3)
    if m.size == 0:
        raise ShapeError(f"plot_feature_maps: expected non-empty maps, got shape {m.shape}")
    shape, m = m.shape, m[:max_maps]
    rows, cols = _grid(len(m))
    fig = _figure("plot_feature_maps", figsize or (1.3 * cols, 1.4 * rows + 0.4), dpi)
    _tiles(fig, m, "viridis", [str(i) for i in range(len(m))])
    fig.suptitle(f"feature maps {shape}")
    return _save(fig, path)


def plot_embeddings(
    vectors: Any,
    labels: Sequence[Any],
    path: PathLike,
    *,
    title: str = "embeddings (PCA)",
    figsize: tuple[float, float] = (6.0, 5.0),
    dpi: int = 100,
) -> Path:
    """Vectors projected on their first two principal components (``lamina.classic.PCA``).

    Parameters
    ----------
    vectors : array_like of shape (n, d), n >= 2, d >= 2
        Word vectors or features.
    labels : sequence of n values
        All distinct (words): each point is annotated with its label. With repeats (classes):
        points are coloured by label, with a legend.
    path : str or PathLike
    title : str, default="embeddings (PCA)"
    figsize : (width, height), default=(6.0, 5.0)
    dpi : int, default=100

    Returns
    -------
    Path of the written PNG.
    """
    owner = "plot_embeddings"
    v = _array(owner, vectors, "vectors (n, d)", 2)
    if v.shape[0] < 2 or v.shape[1] < 2:
        raise ShapeError(f"{owner}: expected vectors of shape (n, d) with n, d >= 2, got {v.shape}")
    names = [str(lab) for lab in labels]
    if len(names) != v.shape[0]:
        raise ShapeError(f"{owner}: expected {v.shape[0]} labels, got {len(names)}")
    xy = PCA(n_components=2).fit_transform(v)
    fig = _figure(owner, figsize, dpi)
    ax = fig.add_subplot()
    if len(set(names)) == len(names):
        ax.scatter(xy[:, 0], xy[:, 1], s=10)
        for (px, py), name in zip(xy, names, strict=True):
            ax.annotate(name, (px, py), fontsize=7, xytext=(2, 2), textcoords="offset points")
    else:
        for name in dict.fromkeys(names):
            mask = np.array([n == name for n in names])
            ax.scatter(xy[mask, 0], xy[mask, 1], s=10, label=name)
        ax.legend(fontsize=7, markerscale=1.5)
    ax.set_xlabel("PC 1")
    ax.set_ylabel("PC 2")
    ax.set_title(title)
    fig.tight_layout()
    return _save(fig, path)
