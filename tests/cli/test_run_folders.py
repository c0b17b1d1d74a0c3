"""Run folders: one writer at a time, no mixed generations, stale temps cleaned, umask kept,
file-system problems as one line and exit status 2."""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from lamina.cli.folder import LOCK, RunError, claim_run_folder
from lamina.cli.runs import load_run

Cli = Callable[..., tuple[int, str, str]]
TRAIN = ("train", "spirals-mlp", "--epochs", "1", "--quiet")


def one_line_error(code: int, err: str, *needles: str) -> None:
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


def test_a_second_writer_is_refused_while_the_first_holds_the_folder(
    tmp_path: Path, child_cli: Callable[..., Any]
) -> None:
    run = tmp_path / "run"
    with claim_run_folder(run):
        second = child_cli(*TRAIN, "--out", str(run))  # another process
        one_line_error(
            second.returncode,
            second.stderr,
            str(run),
            "in use by another run",
            f"pid {os.getpid()}",
        )
        with pytest.raises(RunError, match="in use by another run"):
            claim_run_folder(run)  # and in this process too
        assert sorted(p.name for p in run.iterdir()) == [LOCK]
        evaluate = child_cli("evaluate", str(run))  # a reader is refused too
        one_line_error(evaluate.returncode, evaluate.stderr, "being written by a training run")
    assert not (run / LOCK).exists()  # released: the lock file goes with the lock


def test_a_lock_left_by_a_killed_run_is_taken_over(tmp_path: Path, cli: Cli) -> None:
    """flock dies with its process: a left-over .lock naming a dead pid is no obstacle."""
    run = tmp_path / "run"
    run.mkdir()
    (run / LOCK).write_text("999999\n")
    (run / ".model.npz.abc123.tmp").write_bytes(b"half a file")  # lamina.save's temp
    (run / f".config.json.{os.getpid() + 1}.tmp").write_text("{")  # a run-folder write's temp
    code, _, err = cli(*TRAIN, "--out", str(run))
    assert code == 0, err
    assert not list(run.glob("*.tmp")) and not (run / LOCK).exists()
    assert load_run(run)[3]["epochs"] == 1


def test_a_non_empty_folder_needs_overwrite_which_clears_it(
    tmp_path: Path, cli: Cli, spirals_run: Path
) -> None:
    run = tmp_path / "run"
    shutil.copytree(spirals_run, run)
    old_id = load_run(run)[3]["run_id"]
    code, _, err = cli(*TRAIN, "--out", str(run))
    one_line_error(code, err, str(run), "not empty", "--overwrite")
    assert load_run(run)[3]["run_id"] == old_id  # untouched
    (run / "decision.png").unlink()
    (run / ".curves.png.4242.tmp").write_bytes(b"")
    code, _, err = cli(*TRAIN, "--out", str(run), "--lr", "0.02", "--overwrite")
    assert code == 0, err
    config = load_run(run)[3]
    assert config["run_id"] != old_id and config["lr"] == 0.02 and config["epochs"] == 1
    assert (run / "decision.png").is_file() and not list(run.glob("*.tmp"))
    (run / "notes.txt").write_text("mine")
    code, _, err = cli(*TRAIN, "--out", str(run), "--overwrite")
    one_line_error(code, err, "deletes only a run's own files", "notes.txt")
    assert (run / "notes.txt").read_text() == "mine"


def test_files_of_two_runs_in_one_folder_are_refused(
    tmp_path: Path, cli: Cli, spirals_run: Path
) -> None:
    other = tmp_path / "other"
    assert cli(*TRAIN, "--out", str(other), "--seed", "7")[0] == 0
    mixed = tmp_path / "mixed"
    shutil.copytree(spirals_run, mixed)
    shutil.copy(other / "model.npz", mixed / "model.npz")
    for command in (["evaluate", str(mixed)], ["predict", str(mixed), str(tmp_path / "x.npy")]):
        code, _, err = cli(*command)
        one_line_error(code, err, str(mixed), "come from different runs")


def test_every_saved_file_respects_the_umask(tmp_path: Path, cli: Cli) -> None:
    for umask in (0o027, 0o002):
        run = tmp_path / f"run{umask:o}"
        old = os.umask(umask)
        try:
            code, _, err = cli(*TRAIN, "--out", str(run))
        finally:
            os.umask(old)
        assert code == 0, err
        files = list(run.iterdir())
        assert len(files) == 10
        for f in files:
            assert stat.S_IMODE(f.stat().st_mode) == 0o666 & ~umask, f.name


def test_file_system_problems_are_one_line_naming_the_path(tmp_path: Path, cli: Cli) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("x")
    code, _, err = cli(*TRAIN, "--out", str(a_file))
    one_line_error(code, err, str(a_file), "exists and is not a folder")
    code, _, err = cli(*TRAIN, "--out", "/dev/null")
    one_line_error(code, err, "/dev/null", "not a folder")
    code, _, err = cli(*TRAIN, "--out", str(a_file / "run"))
    one_line_error(code, err, str(a_file / "run"), "cannot create the run folder")
    if os.geteuid() == 0:  # root writes through file modes: take a read-only file system
        read_only = Path("/sys/kernel")
    else:
        read_only = tmp_path / "ro"
        read_only.mkdir(mode=0o555)
    code, _, err = cli(*TRAIN, "--out", str(read_only))
    one_line_error(code, err, str(read_only), "cannot write to the run folder")
    code, _, err = cli("evaluate", str(a_file))
    one_line_error(code, err, str(a_file), "no such run folder")


@pytest.mark.parametrize(
    "content,problem",
    [
        (b"[1, 2]", "expected a JSON object, got list"),
        (b"\xff\xfe\x00garbage", "not UTF-8 text"),
        (b'{"recipe": "spirals-mlp"', "not JSON"),
        (b'{"recipe": "spirals-mlp", "seed": -1, "run_id": "x"}', "seed must be an integer"),
        (b'{"recipe": "spirals-mlp", "seed": "0", "run_id": "x"}', "'seed' must be of type int"),
        (b'{"recipe": "nope", "seed": 0, "run_id": "x"}', "unknown recipe 'nope'"),
    ],
)
def test_a_damaged_config_is_one_line(
    content: bytes, problem: str, tmp_path: Path, cli: Cli, spirals_run: Path
) -> None:
    run = tmp_path / "run"
    shutil.copytree(spirals_run, run)
    (run / "config.json").write_bytes(content)
    code, _, err = cli("evaluate", str(run))
    one_line_error(code, err, "config.json", problem)


def test_after_kill_9_the_next_run_takes_the_folder_over(tmp_path: Path, cli: Cli) -> None:
    """A run killed mid-training leaves its lock file and files: no stale lock, only --overwrite."""
    import signal
    import subprocess
    import sys
    import time

    run = tmp_path / "run"
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "lamina",
            "train",
            "spirals-mlp",
            "--epochs",
            "150",
            "--out",
            str(run),
            "--quiet",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while not (run / "checkpoint.npz").exists():
        assert child.poll() is None and time.monotonic() < deadline
        time.sleep(0.02)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=60)
    assert (run / LOCK).read_text().strip() == str(child.pid)  # left behind, but not held
    code, _, err = cli(*TRAIN, "--out", str(run))
    one_line_error(code, err, "not empty", "--overwrite")
    code, _, err = cli(*TRAIN, "--out", str(run), "--overwrite")
    assert code == 0, err
    assert load_run(run)[3]["epochs"] == 1 and not list(run.glob("*.tmp"))
