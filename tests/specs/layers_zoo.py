"""Layer records of the layers the zoo networks brought: ReLU6 (MobileNet) and Hardtanh,
plain and in place."""

from __future__ import annotations

import numpy as np
import torch

import lamina.nn as nn
from specs.layers import LayerSpec
from specs.layers_extra import _LaminaOnCopy, _OnCopy


def spread(rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """(4, 5) values across both bounds of ReLU6 and of Hardtanh(-1, 1)."""
    return (rng.uniform(-3.0, 9.0, (4, 5)),)


LAYERS = [
    LayerSpec("ReLU6", lambda: nn.ReLU6(), lambda: torch.nn.ReLU6(), spread),
    LayerSpec(
        "ReLU6_inplace",
        lambda: _LaminaOnCopy(nn.ReLU6(True)),
        lambda: _OnCopy(torch.nn.ReLU6(True)),
        spread,
    ),
    LayerSpec("Hardtanh", lambda: nn.Hardtanh(), lambda: torch.nn.Hardtanh(), spread),
    LayerSpec(
        "Hardtanh_bounds",
        lambda: nn.Hardtanh(-0.5, 2.0, inplace=False),
        lambda: torch.nn.Hardtanh(-0.5, 2.0),
        spread,
    ),
]
