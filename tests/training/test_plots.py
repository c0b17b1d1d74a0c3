"""Every plot writes a valid PNG of the requested size and rejects badly shaped input."""

from __future__ import annotations

import sys

import matplotlib.image
import numpy as np
import pytest

from lamina.errors import ShapeError
from lamina.training.history import History
from lamina.training.plot_images import plot_embeddings, plot_feature_maps, plot_filters
from lamina.training.plots import (
    plot_confusion_matrix,
    plot_decision_boundary,
    plot_gradient_norms,
    plot_history,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SIZE = {"figsize": (4.0, 3.0), "dpi": 50}  # 200 x 150 pixels


def _history() -> History:
    h = History()
    for epoch in range(4):
        h.append(
            epoch,
            {
                "loss": 1.0 / (epoch + 1),
                "accuracy": 0.5 + 0.1 * epoch,
                "val_loss": 1.2 / (epoch + 1),
                "val_accuracy": 0.45 + 0.1 * epoch,
            },
        )
    return h


def _linear_scores(grid: np.ndarray) -> np.ndarray:
    return np.column_stack([grid[:, 0] - grid[:, 1], grid[:, 1] - grid[:, 0]])


rng = np.random.default_rng(0)
X2 = rng.normal(size=(40, 2))
y2 = (X2[:, 0] > X2[:, 1]).astype(int)

CASES = {
    "history": lambda p: plot_history(_history(), p, **SIZE),
    "history_dict": lambda p: plot_history({"loss": [3.0, 2.0], "mse": [1.0, 0.5]}, p, **SIZE),
    "confusion": lambda p: plot_confusion_matrix(
        np.array([[5, 1], [2, 7]]), p, ["cat", "dog"], **SIZE
    ),
    "boundary_scores": lambda p: plot_decision_boundary(_linear_scores, X2, y2, p, 30, **SIZE),
    "boundary_labels": lambda p: plot_decision_boundary(
        lambda g: (g[:, 0] > 0).astype(int), X2, y2, p, resolution=25, **SIZE
    ),
    "boundary_probability": lambda p: plot_decision_boundary(
        lambda g: 1 / (1 + np.exp(-g[:, :1])), X2, y2, p, resolution=25, **SIZE
    ),
    "filters_gray": lambda p: plot_filters(rng.normal(size=(6, 1, 5, 5)), p, **SIZE),
    "filters_rgb": lambda p: plot_filters(rng.normal(size=(4, 3, 3, 3)), p, **SIZE),
    "feature_maps": lambda p: plot_feature_maps(rng.normal(size=(5, 8, 8)), p, **SIZE),
    "gradient_norms": lambda p: plot_gradient_norms(
        {"0": [1e-4, 2e-4, 3e-4], "2": [1e-1, 5e-2, 2e-2]}, p, **SIZE
    ),
    "embeddings_words": lambda p: plot_embeddings(
        rng.normal(size=(6, 5)), ["king", "queen", "man", "woman", "apple", "pear"], p, **SIZE
    ),
    "embeddings_classes": lambda p: plot_embeddings(
        rng.normal(size=(12, 4)), [0, 1, 2] * 4, p, **SIZE
    ),
}


@pytest.mark.parametrize("draw", CASES.values(), ids=CASES.keys())
def test_plot_writes_png_of_requested_size(draw, tmp_path):
    path = tmp_path / "sub" / "figure.png"
    returned = draw(path)
    assert returned == path
    data = path.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    image = matplotlib.image.imread(path)
    assert image.shape[:2] == (150, 200)
    assert image.std() > 0  # something was drawn
    assert [p.name for p in path.parent.iterdir()] == ["figure.png"]  # no temp file left


def test_plot_overwrites_existing_file_atomically(tmp_path):
    path = tmp_path / "curves.png"
    path.write_bytes(b"old")
    plot_history(_history(), str(path), **SIZE)
    assert path.read_bytes().startswith(PNG_SIGNATURE)
    assert len(list(tmp_path.iterdir())) == 1


def test_plot_history_default_size_has_one_panel_per_quantity(tmp_path):
    path = plot_history(_history(), tmp_path / "h.png", dpi=50)
    height, width = matplotlib.image.imread(path).shape[:2]
    assert (width, height) == (400, 160)  # 2 panels (loss, accuracy) of 4 x 3.2 inches


BAD = {
    "history_empty": (
        lambda p: plot_history(History(), p),
        ValueError,
        "at least one logged epoch",
    ),
    "confusion_not_square": (
        lambda p: plot_confusion_matrix(np.ones((2, 3)), p),
        ShapeError,
        r"square matrix.*\(2, 3\)",
    ),
    "confusion_names": (
        lambda p: plot_confusion_matrix(np.eye(3), p, ["a", "b"]),
        ValueError,
        "expected 3 class names",
    ),
    "boundary_3d_input": (
        lambda p: plot_decision_boundary(_linear_scores, np.ones((5, 3)), np.ones(5), p),
        ShapeError,
        r"X of shape \(n, 2\), got \(5, 3\)",
    ),
    "boundary_y_length": (
        lambda p: plot_decision_boundary(_linear_scores, X2, y2[:-1], p),
        ShapeError,
        r"y of shape \(40,\)",
    ),
    "boundary_bad_predict": (
        lambda p: plot_decision_boundary(lambda g: g[:3, 0], X2, y2, p, resolution=10),
        ShapeError,
        "predict_fn must return",
    ),
    "filters_3d": (
        lambda p: plot_filters(np.ones((4, 5, 5)), p),
        ShapeError,
        r"4 dimensions.*\(4, 5, 5\)",
    ),
    "feature_maps_4d": (
        lambda p: plot_feature_maps(np.ones((1, 2, 4, 4)), p),
        ShapeError,
        r"3 dimensions.*\(1, 2, 4, 4\)",
    ),
    "gradient_norms_empty": (
        lambda p: plot_gradient_norms({}, p),
        ValueError,
        "at least one layer",
    ),
    "embeddings_1d": (
        lambda p: plot_embeddings(np.ones((4, 1)), "abcd", p),
        ShapeError,
        r"n, d >= 2",
    ),
    "embeddings_labels": (
        lambda p: plot_embeddings(np.ones((4, 3)), ["a"], p),
        ShapeError,
        "expected 4 labels, got 1",
    ),
}


@pytest.mark.parametrize(("draw", "error", "match"), BAD.values(), ids=BAD.keys())
def test_plot_rejects_bad_input_naming_itself(draw, error, match, tmp_path):
    with pytest.raises(error, match=match):
        draw(tmp_path / "x.png")
    assert not (tmp_path / "x.png").exists()


def test_plot_without_matplotlib_names_the_extra(tmp_path, monkeypatch):
    for name in list(sys.modules):
        if name == "matplotlib" or name.startswith("matplotlib."):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(
        ImportError, match=r"plot_history needs matplotlib: pip install lamina\[plot\]"
    ):
        plot_history(_history(), tmp_path / "h.png")
