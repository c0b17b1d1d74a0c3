"""Layer records: the conv family."""

from __future__ import annotations

from specs.layers import LayerSpec

LAYERS: list[LayerSpec] = []
