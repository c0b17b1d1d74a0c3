"""Exact resume: a run interrupted after any epoch and resumed ends bit-identical to a straight run.

Each setup holds state that a checkpoint must carry: a learning-rate schedule, early stopping
with its best weights, a Dropout with its own Generator. The resumed run is built in a
different random world (other seeds everywhere), as a new process would be.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

import lamina as L
import lamina.nn as nn
from lamina import metrics, optim
from lamina.data import DataLoader, StandardScaler, TensorDataset, train_test_split
from lamina.datasets import load_iris
from lamina.optim.lr_scheduler import StepLR
from lamina.training import (
    CSVLogger,
    EarlyStopping,
    GradientMonitor,
    LearningRateScheduler,
    ModelCheckpoint,
    Trainer,
)
from lamina.training.trainer import module_generators

EPOCHS = 12


@pytest.fixture(scope="module")
def iris() -> tuple[np.ndarray, ...]:
    x, y = load_iris()
    xtr, xte, ytr, yte = train_test_split(x, y, test_size=0.3, seed=0, stratify=y)
    scaler = StandardScaler().fit(xtr)
    return (
        scaler.transform(xtr).astype(np.float32),
        ytr,
        scaler.transform(xte).astype(np.float32),
        yte,
    )


def build(setup: str, seed: int, path: Path) -> tuple[Trainer, list[Any]]:
    """A trainer and its callbacks for ``setup``; ``seed`` sets every generator it owns."""
    L.manual_seed(seed)
    own = np.random.default_rng(seed) if setup == "dropout_rng" else None
    model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Dropout(0.3, rng=own), nn.Linear(16, 3))
    opt = optim.Adam(model.parameters(), lr=0.2 if setup == "early_stopping" else 0.05)
    trainer = Trainer(model, opt, nn.CrossEntropyLoss(), {"accuracy": metrics.accuracy})
    callbacks: list[Any] = [GradientMonitor(), CSVLogger(path.with_suffix(".csv"))]
    if setup == "scheduler":
        callbacks.append(LearningRateScheduler(StepLR(opt, 2, 0.5)))
    if setup == "early_stopping":
        callbacks.append(EarlyStopping("val_loss", patience=1, restore_best_weights=True))
    callbacks.append(ModelCheckpoint(path, save_best_only=False, full_state=True))
    return trainer, callbacks


def fit(trainer: Trainer, callbacks: list[Any], epochs: int, data: Any, seed: int) -> None:
    xtr, ytr, xte, yte = data
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=16, shuffle=True, seed=seed)
    trainer.fit(loader, epochs, (xte, yte), callbacks)


def assert_same_run(a: Trainer, b: Trainer) -> None:
    for (name, wa), wb in zip(a.model.state_dict().items(), b.model.state_dict().values()):
        np.testing.assert_array_equal(wa, wb, err_msg=name)
    assert a.history.history == b.history.history
    assert a.epoch == b.epoch


def resumed_run(setup: str, stop_after: int, data: Any, tmp_path: Path) -> Trainer:
    first, cbs = build(setup, 5, tmp_path / "state.npz")
    fit(first, cbs, stop_after, data, seed=3)
    L.manual_seed(999)  # a fresh process has another random state
    resumed, cbs = build(setup, 123, tmp_path / "again.npz")
    resumed.load_state_dict(L.load(tmp_path / "state.npz"), cbs)
    fit(resumed, cbs, EPOCHS, data, seed=77)  # the loader's order comes from the checkpoint
    return resumed


@pytest.mark.parametrize("setup", ["scheduler", "early_stopping", "dropout_rng"])
def test_resume_after_any_epoch_is_bit_exact(
    setup: str, iris: tuple[np.ndarray, ...], tmp_path: Path
) -> None:
    straight, cbs = build(setup, 5, tmp_path / "straight.npz")
    fit(straight, cbs, EPOCHS, iris, seed=3)
    done = len(straight.history)
    if setup == "early_stopping":  # it must really stop early and restore the best weights
        stop = cbs[2]
        assert stop.stopped_epoch is not None and done < EPOCHS
        best = min(straight.history["val_loss"])
        assert straight.evaluate(iris[2:])["loss"] == pytest.approx(best, rel=1e-6)
    for stop_after in sorted({1, 2, done // 2, done - 1, done}):
        assert_same_run(straight, resumed_run(setup, stop_after, iris, tmp_path))
        csv = (tmp_path / "again.csv").read_text()
        assert csv == (tmp_path / "straight.csv").read_text() and csv.count("\n") == done + 1


def test_a_stale_dropout_generator_would_change_the_run(
    iris: tuple[np.ndarray, ...], tmp_path: Path
) -> None:
    """The control: the Dropout generator's state is what makes the resume above exact."""
    straight, cbs = build("dropout_rng", 5, tmp_path / "s.npz")
    fit(straight, cbs, 4, iris, seed=3)
    first, cbs = build("dropout_rng", 5, tmp_path / "state.npz")
    fit(first, cbs, 2, iris, seed=3)
    state = L.load(tmp_path / "state.npz")
    resumed, cbs = build("dropout_rng", 123, tmp_path / "again.npz")
    resumed.load_state_dict(state, cbs)
    assert set(module_generators(resumed.model)) == {"2.rng"}
    module_generators(resumed.model)["2.rng"].bit_generator.state = np.random.default_rng(
        123
    ).bit_generator.state
    fit(resumed, cbs, 4, iris, seed=3)
    assert straight.history["loss"][2] != resumed.history["loss"][2]


def test_loading_without_the_callbacks_names_them(
    iris: tuple[np.ndarray, ...], tmp_path: Path
) -> None:
    first, cbs = build("scheduler", 5, tmp_path / "state.npz")
    fit(first, cbs, 2, iris, seed=3)
    state = L.load(tmp_path / "state.npz")
    resumed, cbs = build("scheduler", 5, tmp_path / "again.npz")
    saved = r"\['GradientMonitor', 'CSVLogger', 'LearningRateScheduler', 'ModelCheckpoint'\]"
    with pytest.raises(ValueError, match=f"holds callbacks {saved}, got \\[\\]"):
        resumed.load_state_dict(state)
    with pytest.raises(ValueError, match="got \\['GradientMonitor', 'ModelCheckpoint'\\]"):
        resumed.load_state_dict(state, [cbs[0], cbs[3]])
    resumed.load_state_dict(state, cbs)
    with pytest.raises(ValueError, match=r"not all passed to fit \(missing \['LearningRate"):
        fit(resumed, [cbs[0], cbs[1], cbs[3]], 4, iris, seed=3)


def test_missing_state_pieces_are_errors(iris: tuple[np.ndarray, ...], tmp_path: Path) -> None:
    first, cbs = build("dropout_rng", 5, tmp_path / "state.npz")
    fit(first, cbs, 1, iris, seed=3)
    state = dict(L.load(tmp_path / "state.npz"))
    plain, plain_cbs = build("scheduler", 5, tmp_path / "x.npz")
    with pytest.raises(ValueError, match=r"generators \['2.rng'\] but the model has \[\]"):
        plain.load_state_dict(state, plain_cbs[:2] + plain_cbs[3:])
    del state["generators"]
    resumed, cbs = build("dropout_rng", 5, tmp_path / "again.npz")
    with pytest.raises(KeyError, match=r"the state has no \['generators'\]"):
        resumed.load_state_dict(state, cbs)
    with pytest.raises(KeyError, match="EarlyStopping.load_state_dict: the state has no"):
        EarlyStopping().load_state_dict({"best": 1.0, "wait": 0})


def test_a_resumed_run_needs_the_same_kind_of_training_data(
    iris: tuple[np.ndarray, ...], tmp_path: Path
) -> None:
    first, cbs = build("scheduler", 5, tmp_path / "state.npz")
    fit(first, cbs, 1, iris, seed=3)
    resumed, cbs = build("scheduler", 5, tmp_path / "again.npz")
    resumed.load_state_dict(L.load(tmp_path / "state.npz"), cbs)
    xtr, ytr = (L.tensor(a) for a in iris[:2])
    with pytest.raises(ValueError, match="holds a DataLoader's loader state but the training"):
        resumed.fit([(xtr, ytr)], 2, callbacks=cbs)


def test_full_state_checkpoint_must_come_last(iris: tuple[np.ndarray, ...], tmp_path: Path) -> None:
    trainer, cbs = build("scheduler", 5, tmp_path / "state.npz")
    with pytest.raises(ValueError, match=r"comes before \['LearningRateScheduler'\]"):
        fit(trainer, [cbs[0], cbs[3], cbs[2]], 1, iris, seed=3)
