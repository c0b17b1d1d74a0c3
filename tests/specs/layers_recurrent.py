"""Layer records: the recurrent family."""

from __future__ import annotations

from specs.layers import LayerSpec

LAYERS: list[LayerSpec] = []
