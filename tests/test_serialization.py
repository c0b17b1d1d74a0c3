"""save/load: round trips, atomic writes, damaged and foreign files."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

import lamina as L
import lamina.nn as nn


def test_nested_state_round_trips(tmp_path: Path) -> None:
    state = {
        "model": nn.Linear(3, 2).state_dict(),
        "optimizer": {"state": {0: {"step": 3, "exp_avg": np.ones(2)}}, "lr": 0.1},
        "epoch": 4,
        "name": "lenet",
        "flags": [True, None, (1, 2.5)],
    }
    L.save(state, tmp_path / "ckpt.npz")
    back = L.load(tmp_path / "ckpt.npz")
    assert (
        back["epoch"] == 4 and back["name"] == "lenet" and back["flags"] == [True, None, (1, 2.5)]
    )
    assert back["optimizer"]["state"][0]["step"] == 3
    np.testing.assert_array_equal(back["model"]["weight"], state["model"]["weight"])
    assert back["model"]["weight"].dtype == np.float32


def test_interrupted_save_leaves_the_old_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ckpt.npz"
    L.save({"v": np.arange(3)}, path)

    def crash(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        L.save({"v": np.arange(10)}, path)
    monkeypatch.undo()
    np.testing.assert_array_equal(L.load(path)["v"], np.arange(3))
    assert [p.name for p in tmp_path.iterdir()] == ["ckpt.npz"]  # no temporary left behind


def test_truncated_file_raises_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "ckpt.npz"
    L.save({"v": np.arange(1000)}, path)
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(ValueError, match="damaged or not a lamina file"):
        L.load(path)


def test_foreign_npz_is_refused(tmp_path: Path) -> None:
    np.savez(tmp_path / "other.npz", a=np.ones(2))
    with pytest.raises(ValueError, match="not a lamina file"):
        L.load(tmp_path / "other.npz")


def test_pickled_npz_is_never_unpickled(tmp_path: Path) -> None:
    np.save(tmp_path / "obj.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(ValueError, match="damaged or not a lamina file"):
        L.load(tmp_path / "obj.npy")


def test_missing_file_and_unsupported_objects(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no such file"):
        L.load(tmp_path / "missing.npz")
    with pytest.raises(TypeError, match="cannot save an object of type set"):
        L.save({"s": {1, 2}}, tmp_path / "x.npz")
