"""Layer records: dense layers, activations, dropout, containers, losses."""

from __future__ import annotations

import numpy as np
import torch

import lamina.nn as nn
from specs.layers import LayerSpec, randn


def targets(rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    return rng.standard_normal((4, 5)), rng.integers(0, 5, 4)


def pair(rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    return rng.standard_normal((4, 3)), rng.standard_normal((4, 3))


def binary(rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    return rng.standard_normal((4, 3)), (rng.random((4, 3)) > 0.5).astype(np.float64)


def triplet(rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    return tuple(rng.standard_normal((4, 6)) for _ in range(3))


LAYERS = [
    LayerSpec(
        "Linear", lambda: nn.Linear(4, 3), lambda: torch.nn.Linear(4, 3), randn(5, 4), randn(8, 5)
    ),
    LayerSpec(
        "Linear_3d_nobias",
        lambda: nn.Linear(4, 2, bias=False),
        lambda: torch.nn.Linear(4, 2, bias=False),
        randn(2, 3, 4),
        randn(2, 3),
    ),
    LayerSpec("Identity", nn.Identity, torch.nn.Identity, randn(2, 3)),
    LayerSpec("Flatten", nn.Flatten, torch.nn.Flatten, randn(2, 3, 2, 2)),
    LayerSpec("ReLU", nn.ReLU, torch.nn.ReLU, randn(3, 4)),
    LayerSpec("Sigmoid", nn.Sigmoid, torch.nn.Sigmoid, randn(3, 4)),
    LayerSpec("Tanh", nn.Tanh, torch.nn.Tanh, randn(3, 4)),
    LayerSpec("LeakyReLU", lambda: nn.LeakyReLU(0.2), lambda: torch.nn.LeakyReLU(0.2), randn(3, 4)),
    LayerSpec("ELU", lambda: nn.ELU(0.7), lambda: torch.nn.ELU(0.7), randn(3, 4)),
    LayerSpec("SELU", nn.SELU, torch.nn.SELU, randn(3, 4)),
    LayerSpec("Softplus", nn.Softplus, torch.nn.Softplus, randn(3, 4)),
    LayerSpec("Softsign", nn.Softsign, torch.nn.Softsign, randn(3, 4)),
    LayerSpec("Softmax", lambda: nn.Softmax(1), lambda: torch.nn.Softmax(1), randn(3, 4)),
    LayerSpec(
        "LogSoftmax", lambda: nn.LogSoftmax(-1), lambda: torch.nn.LogSoftmax(-1), randn(3, 4)
    ),
    LayerSpec(
        "Dropout",
        lambda: nn.Dropout(0.3),
        lambda: torch.nn.Dropout(0.3),
        randn(6, 5),
        stochastic=True,
    ),
    LayerSpec(
        "Sequential_mlp",
        lambda: nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2)),
        lambda: torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 2)),
        randn(5, 4),
        randn(5, 3),
        bad_match=r"Linear\(in_features=4",
    ),
    LayerSpec(
        "MSELoss",
        nn.MSELoss,
        torch.nn.MSELoss,
        pair,
        lambda rng: (np.zeros((4, 3)), np.zeros(3)),
        bad_match="mse_loss",
    ),
    LayerSpec(
        "L1Loss", lambda: nn.L1Loss(reduction="sum"), lambda: torch.nn.L1Loss(reduction="sum"), pair
    ),
    LayerSpec(
        "CrossEntropyLoss",
        lambda: nn.CrossEntropyLoss(label_smoothing=0.1),
        lambda: torch.nn.CrossEntropyLoss(label_smoothing=0.1),
        targets,
        lambda rng: (np.zeros((4, 5)), np.zeros(3, np.int64)),
        bad_match="nll_loss|cross_entropy",
    ),
    LayerSpec("NLLLoss", nn.NLLLoss, torch.nn.NLLLoss, targets),
    LayerSpec("BCEWithLogitsLoss", nn.BCEWithLogitsLoss, torch.nn.BCEWithLogitsLoss, binary),
    LayerSpec(
        "TripletMarginLoss",
        lambda: nn.TripletMarginLoss(margin=2.0),
        lambda: torch.nn.TripletMarginLoss(margin=2.0),
        triplet,
    ),
]
