"""YOLO v1 targets (encode, decode), its loss (float64 gradcheck) and windows/anchors."""

from __future__ import annotations

import numpy as np
import pytest

import lamina
from lamina.autodiff.gradcheck import gradcheck
from lamina.errors import ShapeError
from lamina.vision import (
    YOLOv1Loss,
    anchor_boxes,
    box_convert,
    sliding_windows,
    yolo_decode,
    yolo_encode,
    yolo_v1_loss,
)


def boxes_in_distinct_cells(rng: np.random.Generator, S: int, k: int) -> np.ndarray:
    cells = rng.choice(S * S, k, replace=False)
    centre = (np.stack([cells % S, cells // S], 1) + rng.uniform(0.05, 0.95, (k, 2))) / S
    size = rng.uniform(0.05, 0.5, (k, 2))
    return box_convert(np.concatenate([centre, size], 1), "cxcywh", "xyxy")


@pytest.mark.parametrize("seed", range(5))
def test_yolo_encode_then_decode_returns_the_boxes_when_no_two_share_a_cell(seed: int) -> None:
    rng = np.random.default_rng(seed)
    S, B, C = 7, 2, 5
    boxes = boxes_in_distinct_cells(rng, S, 6) * 448  # pixel coordinates of a 448 image
    labels = rng.integers(0, C, 6)
    target = yolo_encode(boxes, labels, S, B, C, image_size=448)
    assert target.shape == (S, S, 5 * B + C) and target.dtype == np.float32
    assert target[..., 4].sum() == 6 and target[..., 5 * B :].sum() == 6
    got, scores, classes = yolo_decode(target.astype(np.float64), B, 0.5, 0.5, image_size=448)
    order = np.lexsort(boxes.T[::-1])
    got_order = np.lexsort(got.T[::-1])
    np.testing.assert_allclose(got[got_order], boxes[order], rtol=1e-6, atol=1e-4)  # float32 grid
    np.testing.assert_array_equal(classes[got_order], labels[order])
    np.testing.assert_array_equal(scores, 1.0)


def test_yolo_encode_formula_for_one_box_and_the_first_box_wins_a_shared_cell() -> None:
    t = yolo_encode([[0.1, 0.2, 0.3, 0.6], [0.15, 0.25, 0.2, 0.3]], [1, 0], S=4, B=2, C=3)
    # centre (0.2, 0.4) -> cell row floor(0.4 * 4) = 1, column floor(0.2 * 4) = 0
    np.testing.assert_allclose(t[1, 0], [0.8, 0.6, 0.2, 0.4, 1] * 2 + [0, 1, 0], rtol=1e-6)
    assert t.sum() == pytest.approx(t[1, 0].sum())  # the second box (same cell) is left out


def test_yolo_decode_scores_thresholds_and_suppresses() -> None:
    p = np.zeros((2, 2, 5 * 2 + 2))
    p[0, 0, :5] = [0.5, 0.5, 0.4, 0.4, 0.9]  # cell (0, 0), box 0
    p[0, 0, 5:10] = [0.55, 0.5, 0.4, 0.4, 0.8]  # nearly the same box: suppressed
    p[0, 0, 10:] = [0.25, 0.75]
    p[1, 1, :5] = [0.5, 0.5, 0.2, 0.2, 0.3]
    p[1, 1, 10:] = [0.9, 0.1]
    boxes, scores, classes = yolo_decode(p, B=2, conf_threshold=0.2, iou_threshold=0.5)
    np.testing.assert_allclose(scores, [0.9 * 0.75, 0.3 * 0.9])
    np.testing.assert_array_equal(classes, [1, 0])
    np.testing.assert_allclose(boxes[0], [0.05, 0.05, 0.45, 0.45])
    assert len(yolo_decode(p, B=2, conf_threshold=0.2, iou_threshold=None)[0]) == 3


def yolo_inputs(rng: np.random.Generator) -> tuple[lamina.Tensor, np.ndarray]:
    S, B, C = 3, 2, 2
    pred = lamina.tensor(rng.uniform(0.1, 0.9, (2, S, S, 5 * B + C)), requires_grad=True)
    targets = [yolo_encode(boxes_in_distinct_cells(rng, S, 2), [0, 1], S, B, C) for _ in range(2)]
    return pred, np.stack(targets).astype(np.float64)


def test_yolo_v1_loss_gradient_matches_finite_differences_in_float64() -> None:
    pred, target = yolo_inputs(np.random.default_rng(0))
    assert gradcheck(lambda p: yolo_v1_loss(p, target, B=2), [pred])
    assert gradcheck(lambda p: YOLOv1Loss(2, 3.0, 0.25)(p, target), [pred])


def test_yolo_v1_loss_terms_by_hand_for_one_cell() -> None:
    target = yolo_encode([[0.0, 0.0, 0.5, 0.5]], [0], S=1, B=1, C=1)[None]  # one cell, one box
    pred = np.array([[[[0.4, 0.5, 0.25, 0.16, 0.7, 0.2]]]])  # x y w h c p
    t = target[0, 0, 0]
    assert np.allclose(t, [0.25, 0.25, 0.5, 0.5, 1, 1])
    coord = 0.15**2 + 0.25**2 + (0.5 - np.sqrt(0.5)) ** 2 + (0.4 - np.sqrt(0.5)) ** 2
    want = 5 * coord + (0.7 - 1) ** 2 + (0.2 - 1) ** 2
    got = yolo_v1_loss(pred, target, B=1).item()
    assert got == pytest.approx(want, rel=1e-6)
    assert (
        pred.dtype == np.float64
        and yolo_v1_loss(pred.astype(np.float32), target, 1).dtype == np.float32
    )


def test_yolo_functions_reject_bad_shapes_naming_themselves() -> None:
    with pytest.raises(ShapeError, match=r"yolo_v1_loss: expected prediction and target"):
        yolo_v1_loss(np.zeros((1, 3, 3, 13)), np.zeros((1, 3, 3, 12)))
    with pytest.raises(ShapeError, match="YOLOv1Loss"):
        YOLOv1Loss(2)(lamina.tensor(np.zeros((1, 3, 3, 13))), np.zeros((1, 3, 3, 12)))
    with pytest.raises(ValueError, match=r"yolo_encode: labels must be in \[0, 3\)"):
        yolo_encode([[0, 0, 0.5, 0.5]], [3], S=2, B=1, C=3)
    with pytest.raises(ShapeError, match="yolo_decode: expected a prediction"):
        yolo_decode(np.zeros((3, 4, 12)), B=2)


def test_sliding_windows_cover_the_image_like_a_strided_convolution() -> None:
    x = np.arange(5 * 7).reshape(5, 7)
    windows, boxes = sliding_windows(x, (2, 3), stride=(2, 2))
    assert windows.shape == (2 * 3, 2, 3) and boxes.shape == (6, 4)  # floor((5-2)/2)+1 rows ...
    for w, (x1, y1, x2, y2) in zip(windows, boxes.astype(int), strict=True):
        np.testing.assert_array_equal(w, x[y1:y2, x1:x2])
    chw, _ = sliding_windows(np.stack([x, -x]), 3, 2)
    np.testing.assert_array_equal(chw[:, 1], -chw[:, 0])
    with pytest.raises(ShapeError, match="sliding_windows: window"):
        sliding_windows(x, 6)


def test_anchor_boxes_have_the_scale_area_ratio_and_cell_centres() -> None:
    a = anchor_boxes((2, 3), stride=16, scales=(32, 64), aspect_ratios=(0.5, 1, 2))
    assert a.shape == (2 * 3 * 2 * 3, 4)
    w, h = a[:, 2] - a[:, 0], a[:, 3] - a[:, 1]
    np.testing.assert_allclose(w * h, np.tile(np.repeat([32.0**2, 64.0**2], 3), 6), rtol=1e-5)
    np.testing.assert_allclose(h / w, np.tile([0.5, 1, 2], 12), rtol=1e-5)
    centres = (a[:, :2] + a[:, 2:]) / 2
    np.testing.assert_allclose(
        centres[::6], [[8, 8], [24, 8], [40, 8], [8, 24], [24, 24], [40, 24]]
    )
