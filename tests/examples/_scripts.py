"""Running an example as a learner would, and reading the figures it prints."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def run_example(script: Path, *args: str, warnings_as_errors: bool = False) -> str:
    """Run ``script`` in a fresh interpreter; its stdout (its stderr if it failed)."""
    flags = ["-W", "error"] if warnings_as_errors else []
    done = subprocess.run(
        [sys.executable, *flags, str(script), *args], capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def number(stdout: str, key: str) -> float:
    """The value of the line ``<key> = <number>`` the example printed."""
    match = re.search(rf"^{re.escape(key)} = (\S+)$", stdout, re.MULTILINE)
    assert match, f"no line {key!r} = ... in:\n{stdout}"
    return float(match.group(1))
