"""Feature scaling and one-hot encoding, re-exported from their one implementation in
``lamina.classic.preprocessing``. Fit a scaler on the training split only."""

from __future__ import annotations

from lamina.classic.preprocessing import MinMaxScaler, StandardScaler, one_hot

__all__ = ["MinMaxScaler", "StandardScaler", "one_hot"]
