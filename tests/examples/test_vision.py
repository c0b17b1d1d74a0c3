"""The kernels example runs on scikit-learn's sample photograph and writes its PNG grid."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "vision" / "kernels_photo.py"


@pytest.mark.slow  # ~6 s of CPU (a subprocess importing matplotlib and scikit-learn)
def test_kernels_example_writes_a_png_grid_of_the_filtered_photograph(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, str(EXAMPLE), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    png = tmp_path / "kernels.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 100_000
    mean_edge = float(out.split("mean ")[1].split(",")[0])
    assert 0.05 < mean_edge < 2  # a photograph has edges; Sobel of [0, 1] values is at most 5.7
