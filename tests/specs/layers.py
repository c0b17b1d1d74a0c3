"""The layer registry: one record per layer, driving the layer contract suite.

A record builds the lamina layer and its PyTorch twin (same constructor arguments), makes
inputs, and names a wrong input that must raise an error naming the layer. Families keep
their records in their own files (``specs/layers_<family>.py``); ``all_layers`` joins them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

Arrays = tuple[np.ndarray, ...]


@dataclass(frozen=True)
class LayerSpec:
    name: str
    lamina: Callable[[], Any]
    torch: Callable[[], Any]
    inputs: Callable[[np.random.Generator], Arrays]
    bad_inputs: Callable[[np.random.Generator], Arrays] | None = None
    bad_match: str | None = None  # default: the start of the layer's repr
    stochastic: bool = False  # train-mode outputs are random: compare in eval mode only
    rtol32: float = 1e-4
    atol32: float = 1e-5

    def __repr__(self) -> str:
        return self.name


def randn(*shape: int) -> Callable[[np.random.Generator], Arrays]:
    return lambda rng: (rng.standard_normal(shape),)


def flat_outputs(out: Any) -> list[Any]:
    """Nested tuples of outputs ((output, (h, c)) for an LSTM) as a flat list."""
    if isinstance(out, (tuple, list)):
        return [o for part in out for o in flat_outputs(part)]
    return [out]


def all_layers() -> list[LayerSpec]:
    """Every family file's records (``specs/layers_*.py``, each defining ``LAYERS``)."""
    import importlib
    import pkgutil

    import specs

    layers: list[LayerSpec] = []
    for info in sorted(pkgutil.iter_modules(specs.__path__), key=lambda m: m.name):
        if info.name.startswith("layers_"):
            layers += importlib.import_module(f"specs.{info.name}").LAYERS
    names = [s.name for s in layers]
    assert len(set(names)) == len(names), "duplicate layer record names"
    return layers
