"""The kernels example runs on scikit-learn's sample photograph and writes its PNG grid."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from _scripts import run_example

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "vision" / "kernels_photo.py"


@pytest.mark.slow  # ~6 s of CPU (a subprocess importing matplotlib and scikit-learn)
def test_kernels_example_writes_a_png_grid_of_the_filtered_photograph(tmp_path: Path) -> None:
    out = run_example(EXAMPLE, "--out", str(tmp_path))
    png = tmp_path / "kernels.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 100_000
    mean_edge = float(out.split("mean ")[1].split(",")[0])
    assert 0.05 < mean_edge < 2  # a photograph has edges; Sobel of [0, 1] values is at most 5.7


def run(name: str) -> str:
    return run_example(EXAMPLE.parent / name)


def test_edge_kernels_on_the_course_images() -> None:
    out = run("edge_detection.py")
    assert "vertical edges: [[0, 30, 30, 0], [0, 30, 30, 0], [0, 30, 30, 0], [0, 30, 30, 0]]" in out
    assert "conv2d equals cross-correlation: True" in out
    assert "dark to bright: [0, -30, -30, 0]" in out
    assert "true convolution flips the sign here: True" in out
    assert "horizontal edges: [0, 30, 30, 0]" in out
    assert "vertical kernel sum 0, on a solid fill of 7: 0.00" in out
    assert "sharpen  kernel sum 1, on a solid fill of 7: 7.00" in out


def test_iou_by_hand_and_non_max_suppression_keep_one_box_per_object() -> None:
    out = run("iou_nms.py")
    rows = re.findall(r"by hand (\S+) box_iou (\S+) -> (\w+)", out)
    assert len(rows) == 5 and all(a == b for a, b, _ in rows)
    assert [v for _, _, v in rows] == ["correct", "correct", "wrong", "wrong", "wrong"]
    assert rows[1][0] == "0.8000" and rows[-1][0] == "0.0000"
    assert "after the 0.6 score cut: [0, 1, 2, 3, 4]" in out
    assert "after non-max suppression: [0, 4] scores [0.9, 0.85]" in out


def test_detection_targets_windows_yolo_grid_and_anchors() -> None:
    out = run("detection_targets.py")
    assert "-> corners [0.3, 0.55, 0.7, 0.85]" in out
    assert "8x8 stride 4: 77 (formula 77)" in out and "16x16 stride 8: 15 (formula 15)" in out
    assert "YOLO target shape: (3, 3, 13)" in out
    assert "responsible cells (row, col): [(1, 0), (1, 2)]" in out
    assert "car cell vector: [0.25, 0.8, 0.4, 0.3, 1.0," in out and out.count("0.0, 1.0, 0.0]") == 1
    assert "decoded back equal: True, classes [0, 1]" in out
    assert "2 scales x 3 ratios: 54 boxes" in out
    assert "anchor areas: [1024, 1024, 1024, 4096, 4096, 4096]" in out


@pytest.mark.slow  # a siamese embedding trained for 8 epochs on 8x8 digits (~3 s of CPU)
def test_triplet_training_makes_verification_and_one_shot_work() -> None:
    out = run("face_verification.py")
    by_hand, lib = re.search(r"by hand (\S+) TripletMarginLoss (\S+)", out).groups()
    assert by_hand == lib
    first, last = map(float, re.search(r"first epoch (\S+) last epoch (\S+)", out).groups())
    assert last < first
    before, after = map(float, re.search(r"untrained (\S+) trained (\S+)", out).groups())
    assert after > before + 0.1 and after > 0.85
    assert float(re.search(r"one-shot accuracy .*?: (\S+)", out)[1]) > 0.8
