"""Trainer, Keras-style Model, callbacks and exact resume, on real held-out data."""

from __future__ import annotations

import csv
import logging
from pathlib import Path

import numpy as np
import pytest

import lamina as L
import lamina.nn as nn
from lamina import metrics, optim
from lamina.data import DataLoader, StandardScaler, TensorDataset, train_test_split
from lamina.datasets import load_iris, make_spirals
from lamina.models import MLP
from lamina.optim.lr_scheduler import StepLR
from lamina.training import (
    CSVLogger,
    EarlyStopping,
    GradientMonitor,
    LearningRateScheduler,
    Model,
    ModelCheckpoint,
    ProgressBar,
    TerminateOnNaN,
    Trainer,
)


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


def make_trainer(seed: int = 0, dropout: float = 0.0) -> Trainer:
    L.manual_seed(seed)
    model = MLP((4, 16, 3), dropout=dropout)
    return Trainer(
        model,
        optim.Adam(model.parameters(), lr=0.05),
        nn.CrossEntropyLoss(),
        {"accuracy": metrics.accuracy},
    )


def test_plain_pytorch_style_loop_learns_spirals_on_held_out_data() -> None:
    x, y = make_spirals(n_samples=600, seed=1)
    xtr, xte, ytr, yte = train_test_split(x, y, test_size=0.25, seed=1, stratify=y)
    L.manual_seed(1)
    model = nn.Sequential(
        nn.Linear(2, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 3)
    )
    opt = optim.Adam(model.parameters(), lr=0.01)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True, seed=1)
    for _ in range(60):
        for xb, yb in loader:
            loss = nn.functional.cross_entropy(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
    with L.no_grad():
        acc = metrics.accuracy(yte, model(L.tensor(xte)).numpy())
    assert acc >= 0.95


def test_trainer_fits_iris_and_reports_held_out_metrics(iris: tuple[np.ndarray, ...]) -> None:
    xtr, ytr, xte, yte = iris
    trainer = make_trainer()
    history = trainer.fit((xtr, ytr), epochs=30, validation=(xte, yte), batch_size=16, seed=0)
    assert len(history) == 30 and history["loss"][-1] < history["loss"][0]
    assert {"loss", "accuracy", "val_loss", "val_accuracy"} <= set(history.history)
    result = trainer.evaluate((xte, yte))
    assert result["accuracy"] >= 0.9
    assert trainer.predict(xte).shape == (len(xte), 3)


def test_keras_style_compile_fit_evaluate_predict(iris: tuple[np.ndarray, ...]) -> None:
    xtr, ytr, xte, yte = iris
    L.manual_seed(0)
    model = Model(MLP((4, 16, 3)))
    model.compile(optimizer="adam", loss="cross_entropy", metrics=["accuracy"], lr=0.05)
    history = model.fit(xtr, ytr, epochs=25, batch_size=16, validation_split=0.2, seed=0, verbose=0)
    assert "val_accuracy" in history
    assert model.evaluate(xte, yte)["accuracy"] >= 0.9
    assert model.predict(xte).argmax(1).shape == yte.shape


def test_keras_style_errors_name_the_valid_choices() -> None:
    model = Model(MLP((4, 3)))
    with pytest.raises(ValueError, match="unknown optimizer 'adamm'; choose one of .*adam"):
        model.compile(optimizer="adamm")
    with pytest.raises(ValueError, match="unknown loss 'hinge'"):
        model.compile(loss="hinge")
    with pytest.raises(RuntimeError, match="call compile"):
        Model(MLP((4, 3))).fit(np.zeros((2, 4)), np.zeros(2, np.int64))


def test_early_stopping_stops_and_restores_best_weights(iris: tuple[np.ndarray, ...]) -> None:
    xtr, ytr, xte, yte = iris
    trainer = make_trainer()
    stop = EarlyStopping("val_loss", patience=2, restore_best_weights=True)
    trainer.fit((xtr, ytr), 200, (xte, yte), [stop], batch_size=16, seed=0)
    assert stop.stopped_epoch is not None and len(trainer.history) < 200
    best = min(trainer.history["val_loss"])
    assert trainer.evaluate((xte, yte))["loss"] == pytest.approx(best, rel=1e-5)


def test_checkpoint_keeps_the_best_model_and_csv_logs_every_epoch(
    iris: tuple[np.ndarray, ...], tmp_path: Path
) -> None:
    xtr, ytr, xte, yte = iris
    trainer = make_trainer()
    ckpt = ModelCheckpoint(tmp_path / "best.npz", monitor="val_accuracy")
    trainer.fit((xtr, ytr), 8, (xte, yte), [ckpt, CSVLogger(tmp_path / "log.csv")], batch_size=16)
    rows = list(csv.DictReader((tmp_path / "log.csv").open()))
    assert len(rows) == 8 and float(rows[-1]["val_accuracy"]) == pytest.approx(
        trainer.history["val_accuracy"][-1], abs=1e-5
    )
    assert ckpt.best == max(trainer.history["val_accuracy"])
    assert set(L.load(tmp_path / "best.npz")) == set(trainer.model.state_dict())


def test_learning_rate_scheduler_callback_steps_per_epoch(iris: tuple[np.ndarray, ...]) -> None:
    xtr, ytr, _, _ = iris
    trainer = make_trainer()
    sched = LearningRateScheduler(StepLR(trainer.optimizer, step_size=2, gamma=0.5))
    trainer.fit((xtr, ytr), 5, callbacks=[sched], batch_size=32)
    assert trainer.history["lr"] == pytest.approx([0.05, 0.05, 0.025, 0.025, 0.0125])


def test_terminate_on_nan_names_the_step(iris: tuple[np.ndarray, ...]) -> None:
    xtr, ytr, _, _ = iris
    trainer = make_trainer()
    trainer.optimizer.param_groups[0]["lr"] = 1e30
    stop = TerminateOnNaN()
    trainer.loss = lambda out, y: nn.functional.mse_loss(out * 1e30, out.detach() * 0)
    with np.errstate(all="ignore"):
        trainer.fit((xtr, ytr), 3, callbacks=[stop], batch_size=16)
    assert stop.message is not None and "at epoch 0, batch" in stop.message


def test_gradient_monitor_shows_vanishing_gradients_with_sigmoid() -> None:
    x, y = make_spirals(n_samples=300, seed=0)
    L.manual_seed(0)
    model = MLP((2, 32, 32, 32, 32, 3), activation="sigmoid")
    trainer = Trainer(model, optim.SGD(model.parameters(), lr=0.1), nn.CrossEntropyLoss())
    monitor = GradientMonitor()
    trainer.fit((x, y), 2, callbacks=[monitor], batch_size=32)
    names = list(monitor.norms)
    assert len(names) == 5 and all(len(v) == 2 for v in monitor.norms.values())
    assert monitor.norms[names[0]][-1] < monitor.norms[names[-1]][-1] / 10


def test_progress_bar_is_silent_off_a_terminal(
    iris: tuple[np.ndarray, ...], caplog: pytest.LogCaptureFixture
) -> None:
    xtr, ytr, _, _ = iris
    trainer = make_trainer()
    with caplog.at_level(logging.INFO, logger="lamina.training"):
        trainer.fit((xtr, ytr), 2, callbacks=[ProgressBar(verbose=0)], batch_size=32)
    assert caplog.records == []


def _run(epochs: int, trainer: Trainer, data: tuple[np.ndarray, ...], callbacks: list) -> None:
    xtr, ytr, xte, yte = data
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=16, shuffle=True, seed=3)
    trainer.fit(loader, epochs, (xte, yte), callbacks)


def test_resume_after_epoch_3_of_6_is_bit_exact(
    iris: tuple[np.ndarray, ...], tmp_path: Path
) -> None:
    straight = make_trainer(seed=5, dropout=0.3)
    _run(6, straight, iris, [LearningRateScheduler(StepLR(straight.optimizer, 2, 0.5))])

    first = make_trainer(seed=5, dropout=0.3)
    save = ModelCheckpoint(tmp_path / "state.npz", save_best_only=False, full_state=True)
    _run(3, first, iris, [LearningRateScheduler(StepLR(first.optimizer, 2, 0.5)), save])
    L.manual_seed(999)  # a fresh process would have another random state
    resumed = make_trainer(seed=123, dropout=0.3)
    callbacks = [LearningRateScheduler(StepLR(resumed.optimizer, 2, 0.5))]
    callbacks.append(ModelCheckpoint(tmp_path / "again.npz", save_best_only=False, full_state=True))
    resumed.load_state_dict(L.load(tmp_path / "state.npz"), callbacks)
    _run(6, resumed, iris, callbacks)

    for (name, a), b in zip(
        straight.model.state_dict().items(), resumed.model.state_dict().values()
    ):
        np.testing.assert_array_equal(a, b, err_msg=name)
    assert straight.history.history == resumed.history.history


def test_fit_refuses_empty_data_and_bad_counts(iris: tuple[np.ndarray, ...]) -> None:
    xtr, ytr, xte, yte = iris
    trainer = make_trainer()
    with pytest.raises(ValueError, match="Trainer.fit: the training data has no samples"):
        trainer.fit((xtr[:0], ytr[:0]), 2)
    for bad in (-1, 0, 1.5, True):
        with pytest.raises(
            ValueError, match=f"Trainer.fit: epochs must be a positive integer, got {bad!r}"
        ):
            trainer.fit((xtr, ytr), bad)
    with pytest.raises(ValueError, match="batch_size must be a positive integer, got 0"):
        trainer.fit((xtr, ytr), 1, batch_size=0)
    with pytest.raises(ValueError, match="steps_per_epoch must be a positive integer, got -2"):
        trainer.fit((xtr, ytr), 1, steps_per_epoch=-2)
    with pytest.raises(ValueError, match="as_loader: x has 10 samples but y has 9"):
        trainer.fit((xtr[:10], ytr[:9]), 1)
    with pytest.raises(ValueError, match="Trainer.evaluate: the data has no samples"):
        trainer.evaluate((xte[:0], yte[:0]))
    with pytest.raises(ValueError, match="Trainer.predict: the input has no samples"):
        trainer.predict(xte[:0])
    assert len(trainer.history) == 0


def test_keras_model_takes_any_float_dtype_alike_in_fit_evaluate_predict(
    iris: tuple[np.ndarray, ...],
) -> None:
    xtr, ytr, xte, yte = iris
    results = {}
    for dtype in (np.float16, np.float32, np.float64):
        L.manual_seed(0)
        model = Model(MLP((4, 16, 3)))
        model.compile("adam", "cross_entropy", metrics=["accuracy"], lr=0.05)
        xt = xtr.astype(np.float64).astype(dtype)
        model.fit(
            xt,
            ytr,
            epochs=3,
            batch_size=16,
            seed=0,
            verbose=0,
            validation_data=(xte.astype(dtype), yte),
        )
        scores = model.predict(xte.astype(dtype))
        assert scores.dtype == np.float32
        results[dtype] = (model.evaluate(xte.astype(dtype), yte)["loss"], scores)
    loss32, scores32 = results[np.float32]
    loss64, scores64 = results[np.float64]  # float64 inputs are the float32 values, cast back
    assert loss64 == loss32
    np.testing.assert_array_equal(scores64, scores32)
    assert np.isfinite(results[np.float16][0])


def test_cast_floats_keeps_integer_targets_and_casts_float_targets() -> None:
    from lamina.training.trainer import cast_floats

    ids = np.array([0, 2, 1], np.int64)
    assert cast_floats(ids, np.float32).dtype == np.int64
    assert cast_floats(np.array([0.5, 1.5]), np.float32).dtype == np.float32
    assert cast_floats(L.tensor(np.ones(2, np.float64)), np.float32).dtype == np.float32
    assert cast_floats(np.array([True]), np.float32).dtype == np.bool_
