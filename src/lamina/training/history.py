"""``History``: what ``fit`` returns, one list per logged quantity, one entry per epoch."""

from __future__ import annotations

from typing import Any

__all__ = ["History"]


class History:
    """Per-epoch logs of a training run: ``history["val_loss"][-1]``, ``history.epoch``.

    Each epoch's logs are kept as the dict the trainer passed to the callbacks, so a value a
    callback adds at the end of an epoch (the learning rate) lands in the same row.
    """

    def __init__(self) -> None:
        self.epoch: list[int] = []
        self.rows: list[dict[str, float]] = []

    def append(self, epoch: int, logs: dict[str, float]) -> None:
        self.epoch.append(epoch)
        self.rows.append(logs)

    @property
    def history(self) -> dict[str, list[float]]:
        """Logged name -> one value per epoch (NaN where an epoch did not log it)."""
        keys = list(dict.fromkeys(k for row in self.rows for k in row))
        return {k: [float(row.get(k, float("nan"))) for row in self.rows] for k in keys}

    def __getitem__(self, key: str) -> list[float]:
        return self.history[key]

    def __contains__(self, key: object) -> bool:
        return any(key in row for row in self.rows)

    def __len__(self) -> int:
        return len(self.epoch)

    def state_dict(self) -> dict[str, Any]:
        return {"epoch": list(self.epoch), "rows": [dict(r) for r in self.rows]}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.epoch = [int(e) for e in state["epoch"]]
        self.rows = [{k: float(v) for k, v in row.items()} for row in state["rows"]]

    def __repr__(self) -> str:
        last = {k: round(v, 4) for k, v in self.rows[-1].items()} if self.rows else {}
        return f"History(epochs={len(self.epoch)}, last={last})"
