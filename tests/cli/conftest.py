"""Shared helpers of the CLI tests: run ``main`` in-process and get (status, stdout, stderr)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from lamina.cli.__main__ import main

Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Cli:
    """``cli("train", ...)`` -> (exit status, stdout, stderr); argparse exits are caught."""

    def call(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            code = main(list(args))
        except SystemExit as e:
            code = int(e.code or 0)
        out, err = capsys.readouterr()
        return code, out, err

    return call


@pytest.fixture
def child_cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    """``child_cli("train", ...)``: ``python -m lamina ...`` in a child process."""

    def call(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "lamina", *args], capture_output=True, text=True, timeout=300
        )

    return call


@pytest.fixture(scope="session")
def spirals_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A briefly trained spirals-mlp run folder, shared read-only by the tests."""
    run = tmp_path_factory.mktemp("shared") / "spirals"
    assert main(["train", "spirals-mlp", "--epochs", "2", "--out", str(run), "--quiet"]) == 0
    return run
