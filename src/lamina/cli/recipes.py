"""Recipes: a model, its data and its training settings, under one name.

Each recipe is data for ``lamina.cli.runs.train``: nothing here trains by itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from lamina import datasets
from lamina.autodiff.tensor import Tensor
from lamina.data import (
    Compose,
    RandomRotation,
    RandomTranslation,
    StandardScaler,
    train_test_split,
)
from lamina.models import MLP, CharRNN, LeNet5
from lamina.nn.module import Module
from lamina.ops.loss import cross_entropy

__all__ = ["RECIPES", "Data", "Recipe", "get_recipe"]


@dataclass
class Data:
    """Arrays of one recipe: train, validation and test splits, plus what a run must keep."""

    train: tuple[np.ndarray, np.ndarray]
    val: tuple[np.ndarray, np.ndarray]
    test: tuple[np.ndarray, np.ndarray]
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Recipe:
    """What to train and how; ``build(extra)`` makes the model from the data's ``extra``."""

    name: str
    description: str
    kind: str  # "classifier" or "language_model"
    build: Callable[[dict[str, Any]], Module]
    data: Callable[[int], Data]
    input_shape: Callable[[dict[str, Any]], tuple[int, ...]]
    epochs: int
    batch_size: int
    lr: float
    optimizer: str = "adam"
    loss: Callable[[Tensor, Tensor], Tensor] = cross_entropy
    input_dtype: str = "float32"
    augment: Callable[[int], Callable[[np.ndarray], np.ndarray]] | None = None


def _mnist(seed: int) -> Data:
    (x, y), test = datasets.load_mnist_sample()
    xtr, xval, ytr, yval = train_test_split(x, y, test_size=0.1, seed=seed, stratify=y)
    return Data((xtr, ytr), (xval, yval), test, {"classes": [str(i) for i in range(10)]})


def _digits(seed: int) -> Data:
    x, y = datasets.load_digits()
    xtr, xte, ytr, yte = train_test_split(x, y, test_size=0.25, seed=seed, stratify=y)
    xtr, xval, ytr, yval = train_test_split(xtr, ytr, test_size=0.1, seed=seed, stratify=ytr)
    scaler = StandardScaler().fit(xtr)  # fitted on training data only
    xtr, xval, xte = (scaler.transform(a).astype(np.float32) for a in (xtr, xval, xte))
    extra = {"classes": [str(i) for i in range(10)], "mean": scaler.mean_, "scale": scaler.scale_}
    return Data((xtr, ytr), (xval, yval), (xte, yte), extra)


def _spirals(seed: int) -> Data:
    x, y = datasets.make_spirals(n_samples=900, n_classes=3, noise=0.2, seed=seed)
    xtr, xte, ytr, yte = train_test_split(x, y, test_size=0.2, seed=seed, stratify=y)
    xtr, xval, ytr, yval = train_test_split(xtr, ytr, test_size=0.1, seed=seed, stratify=ytr)
    return Data((xtr, ytr), (xval, yval), (xte, yte), {"classes": ["0", "1", "2"]})


def char_windows(ids: np.ndarray, seq_len: int) -> tuple[np.ndarray, np.ndarray]:
    """Non-overlapping (input, next-character target) windows of length ``seq_len``."""
    n = (len(ids) - 1) // seq_len
    x = ids[: n * seq_len].reshape(n, seq_len)
    y = ids[1 : n * seq_len + 1].reshape(n, seq_len)
    return x, y


def _pydocs(seed: int, chars: int = 300_000, seq_len: int = 64) -> Data:
    text = datasets.load_text("python-docs")[:chars]
    vocab = sorted(set(text))
    lookup = {c: i for i, c in enumerate(vocab)}
    ids = np.fromiter((lookup[c] for c in text), np.int64, len(text))
    cut1, cut2 = int(len(ids) * 0.9), int(len(ids) * 0.95)
    train = char_windows(ids[:cut1], seq_len)
    return Data(train, char_windows(ids[cut1:cut2], seq_len), char_windows(ids[cut2:], seq_len),
                {"vocab": "".join(vocab)})  # fmt: skip


def _digit_augmentation(seed: int) -> Callable[[np.ndarray], np.ndarray]:
    """Small rotations and shifts of each training digit: the classic MNIST augmentation."""
    return Compose([RandomRotation(10, seed=seed), RandomTranslation((0.1, 0.1), seed=seed + 1)])


def _sequence_loss(logits: Tensor, target: Tensor) -> Tensor:
    """Cross-entropy at every step: logits (N, L, V) against ids (N, L)."""
    return cross_entropy(logits.reshape(-1, logits.shape[-1]), target.reshape(-1))


RECIPES: dict[str, Recipe] = {
    r.name: r
    for r in [
        Recipe("lenet-mnist", "LeNet-5 on the 5,000-digit MNIST sample (default)", "classifier",
               lambda extra: LeNet5(10), _mnist, lambda extra: (1, 28, 28),
               epochs=30, batch_size=64, lr=2e-3, augment=_digit_augmentation),
        Recipe("mlp-digits", "MLP 64-128-10 on scikit-learn's 8x8 digits", "classifier",
               lambda extra: MLP((64, 128, 10), dropout=0.1), _digits, lambda extra: (64,),
               epochs=80, batch_size=32, lr=1e-3),
        Recipe("spirals-mlp", "MLP 2-64-64-3 on three generated spirals", "classifier",
               lambda extra: MLP((2, 64, 64, 3)), _spirals, lambda extra: (2,),
               epochs=150, batch_size=32, lr=1e-2),
        Recipe("charlstm-pydocs", "character LSTM on Python's own documentation text",
               "language_model", lambda extra: CharRNN(len(extra["vocab"]), 32, 256),
               _pydocs, lambda extra: (64,), epochs=3, batch_size=32, lr=2e-3,
               loss=_sequence_loss, input_dtype="int64"),
    ]
}  # fmt: skip


def get_recipe(name: str) -> Recipe:
    """The recipe called ``name``; an unknown name lists the known ones."""
    if name not in RECIPES:
        raise KeyError(f"unknown recipe {name!r}; choose one of {', '.join(RECIPES)}")
    return RECIPES[name]
