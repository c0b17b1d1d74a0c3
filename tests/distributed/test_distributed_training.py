"""Trainer under mpiexec: a failing or killed rank ends the job; a resumed run continues exactly."""

from __future__ import annotations

import time

import numpy as np
import pytest
from mpi_jobs import check_ok, run_mpi

from lamina.serialization import load

TRAIN = """
import os, signal, sys
import numpy as np
import lamina
import lamina.distributed as d
from lamina import nn, optim, metrics
from lamina.training import CSVLogger, ModelCheckpoint, Trainer

mode, epochs = sys.argv[1], int(sys.argv[2])
lamina.manual_seed(0)
net = nn.Sequential(nn.Linear(4, 16, dtype="float64"), nn.ReLU(), nn.Dropout(0.2),
                    nn.Linear(16, 3, dtype="float64"))
opt = optim.Adam(net.parameters(), lr=0.01)
trainer = Trainer(net, opt, nn.CrossEntropyLoss(), {"accuracy": metrics.accuracy})
rng = np.random.default_rng(0)
x = rng.normal(size=(60, 4)); y = (x[:, 0] > 0).astype(np.int64) + (x[:, 1] > 1)

class Fail(ModelCheckpoint.__mro__[-2]):  # a Callback
    def on_epoch_end(self, epoch, logs):
        if mode == "kill" and epoch == 2 and d.rank() == 1:
            os.kill(os.getpid(), signal.SIGKILL)
        if mode == "raise" and epoch == 1 and d.rank() == 2:
            raise RuntimeError("rank 2 fails")

callbacks = [Fail(), CSVLogger("history.csv"),
             ModelCheckpoint("ckpt.npz", save_best_only=False, full_state=True)]
if mode == "resume":
    trainer.load_state_dict(lamina.load("ckpt.npz"), callbacks)
trainer.fit((x, y), epochs, validation=(x[:20], y[:20]), callbacks=callbacks, batch_size=12,
            seed=3)
ev = trainer.evaluate((x, y))
if d.is_main():
    np.savez(f"{mode}.npz", *[p.data for p in net.parameters()])
    print("evaluate", ev["loss"], ev["accuracy"])
"""


def test_a_rank_that_raises_ends_every_rank_within_seconds(tmp_path):
    started = time.monotonic()
    proc = run_mpi(tmp_path, 3, TRAIN, "raise", "5", timeout=60)
    assert proc.returncode != 0
    assert time.monotonic() - started < 30
    # the failing rank's report is on stderr, but the abort can cut its traceback short
    # (MPI_Abort races the flush), so either of its two lines is enough
    assert "rank 2 fail" in proc.stderr or "Traceback" in proc.stderr, proc.stderr


def test_a_killed_rank_ends_the_job_and_the_last_checkpoint_loads(tmp_path):
    proc = run_mpi(tmp_path, 2, TRAIN, "kill", "6", timeout=60)
    assert proc.returncode != 0
    state = load(tmp_path / "ckpt.npz")
    assert 1 <= state["epoch"] <= 3  # written by rank 0 before rank 1 died
    assert set(state["model"]) == {"0.weight", "0.bias", "3.weight", "3.bias"}


@pytest.mark.slow
def test_resumed_run_equals_uninterrupted_run_and_metrics_are_global(tmp_path):
    full = check_ok(run_mpi(tmp_path, 2, TRAIN, "full", "4"))
    (tmp_path / "ckpt.npz").rename(tmp_path / "full-ckpt.npz")
    check_ok(run_mpi(tmp_path, 2, TRAIN, "first", "2"))
    resumed = check_ok(run_mpi(tmp_path, 2, TRAIN, "resume", "4"))
    with np.load(tmp_path / "full.npz") as a, np.load(tmp_path / "resume.npz") as b:
        for k in a.files:
            np.testing.assert_array_equal(a[k], b[k])
    assert full.split()[1:] == resumed.split()[1:]
    rows = (tmp_path / "history.csv").read_text().splitlines()
    assert len(rows) == 5 and rows[0].startswith("epoch,")  # one writer, no doubled rows
    # evaluate on 2 ranks = the loss and accuracy of one process with the same weights
    import lamina
    from lamina import metrics, nn
    from lamina.training import Trainer

    net = nn.Sequential(
        nn.Linear(4, 16, dtype="float64"),
        nn.ReLU(),
        nn.Dropout(0.2),
        nn.Linear(16, 3, dtype="float64"),
    )
    net.load_state_dict(lamina.load(tmp_path / "full-ckpt.npz")["model"])
    rng = np.random.default_rng(0)
    x = rng.normal(size=(60, 4))
    y = (x[:, 0] > 0).astype(np.int64) + (x[:, 1] > 1)
    ev = Trainer(net, None, nn.CrossEntropyLoss(), {"accuracy": metrics.accuracy}).evaluate((x, y))
    loss, acc = (float(v) for v in full.split()[1:3])
    assert abs(loss - ev["loss"]) < 1e-12 and acc == ev["accuracy"]


def test_keras_model_fit_shards_the_data_and_only_rank_0_reports(tmp_path):
    proc = run_mpi(
        tmp_path,
        2,
        """
        import logging, sys
        import numpy as np
        import lamina
        import lamina.distributed as d
        from lamina import nn
        from lamina.training import Model
        logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
        lamina.manual_seed(0)
        model = Model(nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 2)))
        model.compile("adam", "cross_entropy", metrics=["accuracy"], lr=0.05)
        seen = []
        orig = model.module.forward
        model.module.forward = lambda x: (seen.append(len(x)), orig(x))[1]
        rng = np.random.default_rng(0)
        x = rng.normal(size=(200, 2)).astype(np.float32)
        y = (x[:, 0] * x[:, 1] > 0).astype(np.int64) | (x[:, 0] > 0)
        history = model.fit(x, y, epochs=3, batch_size=20, validation_split=0.2, verbose=1)
        # an epoch: 8 steps on half of each global batch of 20 (160 training samples), then
        # validation on this rank's half of the 40 held-out samples
        assert seen[:9] == [10] * 8 + [20], seen[:9]
        ev = model.evaluate(x, y)
        if d.is_main():
            print("acc", history.history["val_accuracy"][-1], ev["accuracy"])
    """,
    )
    out = check_ok(proc)
    assert out.split()[0] == "acc" and float(out.split()[2]) > 0.8
    assert proc.stderr.count("epoch 3/3") == 1  # one rank reports
