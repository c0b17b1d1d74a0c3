"""``mpiexec -n 2 lamina train``: data-parallel to the recipe's accuracy, one run folder."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from mpi_jobs import MPIEXEC, mpi_env

from lamina.serialization import load

LAMINA = str(Path(sys.executable).parent / "lamina")


def _lamina(tmp_path: Path, *args: str, ranks: int = 2) -> subprocess.CompletedProcess[str]:
    cmd = [str(MPIEXEC), "-n", str(ranks), LAMINA, *args]
    return subprocess.run(
        cmd, capture_output=True, text=True, timeout=300, cwd=tmp_path, env=mpi_env()
    )


@pytest.mark.slow
def test_two_ranks_train_mlp_digits_to_its_accuracy_into_one_run_folder(tmp_path):
    proc = _lamina(tmp_path, "train", "mlp-digits", "--out", "run", "--quiet")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count("test_accuracy:") == 1 and proc.stdout.count("run folder:") == 1
    assert [p.name for p in tmp_path.iterdir()] == ["run"]  # no folder, no file from rank 1
    metrics = json.loads((tmp_path / "run" / "metrics.json").read_text())
    assert metrics["test_accuracy"] >= 0.97  # the recipe's documented target
    rows = (tmp_path / "run" / "history.csv").read_text().splitlines()
    assert len(rows) == 1 + 80  # one writer: a header and one row per epoch
    again = subprocess.run(
        [LAMINA, "evaluate", "run"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env=mpi_env(),
    )
    assert again.returncode == 0, again.stderr
    assert f"test_accuracy: {metrics['test_accuracy']:.4f}" in again.stdout


def test_an_error_on_rank_0_ends_every_rank(tmp_path):
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "keep.txt").write_text("another run's file")
    started = time.monotonic()
    proc = _lamina(tmp_path, "train", "mlp-digits", "--out", "run", "--quiet")
    assert proc.returncode == 2  # rank 1 would otherwise train alone and wait forever
    assert time.monotonic() - started < 30
    assert "run folder is not empty" in proc.stderr


def test_train_help_shows_mpiexec_and_a_host_file():
    proc = subprocess.run([LAMINA, "train", "--help"], capture_output=True, text=True, timeout=60)
    assert "mpiexec -n 2 lamina train" in proc.stdout
    assert "mpiexec -f hosts -n 8" in proc.stdout


@pytest.mark.slow
def test_a_killed_two_rank_run_resumes_to_the_uninterrupted_result(tmp_path):
    args = ["train", "mlp-digits", "--epochs", "30", "--quiet"]
    full = _lamina(tmp_path, *args, "--out", "full")
    assert full.returncode == 0, full.stderr
    cmd = [str(MPIEXEC), "-n", "2", LAMINA, *args, "--out", "cut"]
    job = subprocess.Popen(
        cmd,
        cwd=tmp_path,
        env=mpi_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    checkpoint = tmp_path / "cut" / "checkpoint.npz"
    deadline = time.monotonic() + 120
    while not checkpoint.exists() and time.monotonic() < deadline and job.poll() is None:
        time.sleep(0.02)
    os.killpg(job.pid, signal.SIGKILL)  # mpiexec and both ranks, mid-run
    job.wait(timeout=30)
    assert 1 <= load(checkpoint)["epoch"] < 30
    resumed = _lamina(tmp_path, "train", "--resume", "cut", "--quiet")
    assert resumed.returncode == 0, resumed.stderr
    got, want = (json.loads((tmp_path / r / "metrics.json").read_text()) for r in ("cut", "full"))
    for key in ("val_loss", "val_accuracy", "test_loss", "test_accuracy"):
        assert got[key] == want[key], key
