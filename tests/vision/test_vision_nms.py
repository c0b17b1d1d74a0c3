"""Non-maximum suppression against a brute-force reference, ties and speed included."""

from __future__ import annotations

import time

import numpy as np
import pytest

from lamina.errors import ShapeError
from lamina.vision import batched_nms, box_iou, nms


def brute_nms(boxes: np.ndarray, scores: np.ndarray, t: float) -> list[int]:
    """torchvision's definition, one box at a time: sorted by (-score, index)."""
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    iou = box_iou(boxes, boxes)
    keep: list[int] = []
    for i in order:
        if all(not iou[i, k] > t for k in keep):
            keep.append(i)
    return keep


def random_boxes(rng: np.random.Generator, n: int, side: float = 100) -> np.ndarray:
    xy = rng.uniform(0, side, (n, 2))
    return np.concatenate([xy, xy + rng.uniform(1, side / 3, (n, 2))], 1)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("threshold", [0.0, 0.3, 0.5, 0.9], ids=lambda t: f"iou{t}")
def test_nms_equals_brute_force_with_many_equal_scores(seed: int, threshold: float) -> None:
    rng = np.random.default_rng(seed)
    boxes = random_boxes(rng, 80)
    scores = rng.integers(0, 4, 80).astype(np.float64)  # 4 distinct values: many ties
    keep = nms(boxes, scores, threshold)
    assert keep.dtype == np.int64
    assert keep.tolist() == brute_nms(boxes, scores, threshold)


def test_nms_drops_only_overlaps_strictly_above_the_threshold() -> None:
    boxes = np.array([[0, 0, 10, 10], [0, 0, 10, 5], [0, 0, 10, 10]], np.float64)  # IoU .5, 1
    assert nms(boxes, [0.9, 0.8, 0.9], 0.5).tolist() == [0, 1]  # tie keeps index 0; 0.5 stays
    assert nms(boxes, [0.9, 0.8, 0.9], 0.49).tolist() == [0]
    assert nms(np.zeros((0, 4)), np.zeros(0), 0.5).tolist() == []


@pytest.mark.parametrize("seed", range(4))
def test_batched_nms_equals_per_class_brute_force_merged_by_score(seed: int) -> None:
    rng = np.random.default_rng(10 + seed)
    boxes, classes = random_boxes(rng, 90), rng.integers(0, 3, 90)
    scores = rng.integers(0, 5, 90).astype(np.float64)
    want = []
    for c in range(3):
        idx = np.flatnonzero(classes == c)
        want += [int(idx[k]) for k in brute_nms(boxes[idx], scores[idx], 0.4)]
    want.sort(key=lambda i: (-scores[i], i))
    assert batched_nms(boxes, scores, classes, 0.4).tolist() == want


def test_nms_of_ten_thousand_boxes_takes_well_under_a_second() -> None:
    rng = np.random.default_rng(0)
    xy = rng.uniform(0, 1000, (10_000, 2))  # boxes of side 10..100 in a 1000 x 1000 image
    boxes, scores = (
        np.concatenate([xy, xy + rng.uniform(10, 100, (10_000, 2))], 1),
        rng.random(10_000),
    )
    start = time.process_time()  # this process's CPU time: other jobs on the machine not counted
    keep = nms(boxes, scores, 0.5)
    elapsed = time.process_time() - start
    assert 0 < len(keep) < 10_000
    assert elapsed < 1.0, f"nms of 10,000 boxes took {elapsed:.2f} s"  # measured 0.10 s


def test_nms_rejects_scores_of_another_length() -> None:
    with pytest.raises(ShapeError, match=r"nms: expected boxes \(N, 4\) and scores \(N,\)"):
        nms(np.zeros((3, 4)), np.zeros(2), 0.5)
