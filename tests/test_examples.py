"""Examples that no other test runs: each must run and show what it promises."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "foundations"


def test_autodiff_two_layer_example_drives_the_loss_down() -> None:
    out = subprocess.run(
        [sys.executable, str(EXAMPLES / "autodiff_two_layer.py")],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    losses = [float(line.split()[-1]) for line in out.splitlines() if line.startswith("step")]
    assert len(losses) >= 5 and losses[-1] < losses[0] / 5
