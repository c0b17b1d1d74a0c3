"""Box formats, areas, clipping, IoU and GIoU against torchvision.ops.boxes."""

from __future__ import annotations

import sys

import numpy as np
import pytest
import torch

from lamina.errors import ShapeError
from lamina.vision import (
    box_area,
    box_convert,
    box_iou,
    clip_boxes_to_image,
    generalized_box_iou,
)
from models._torchvision import torchvision_module

TV = torchvision_module("ops.boxes")  # missing torchvision fails here: parity must run


def random_boxes(rng: np.random.Generator, n: int, dtype: type = np.float64) -> np.ndarray:
    xy = rng.uniform(0, 50, (n, 2))
    return np.concatenate([xy, xy + rng.uniform(0, 30, (n, 2))], 1).astype(dtype)


DEGENERATE = np.array(
    [
        [0, 0, 10, 10],  # a box
        [0, 0, 10, 10],  # identical
        [2, 2, 5, 5],  # nested
        [10, 0, 20, 10],  # touching the first along x = 10
        [3, 3, 3, 8],  # zero width
        [4, 4, 4, 4],  # a point
        [4, 4, 4, 4],  # the same point
        [30, 30, 40, 35],  # disjoint
    ],
    dtype=np.float64,
)


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
def test_box_iou_and_giou_equal_torchvision_on_random_boxes(dtype: type) -> None:
    rng = np.random.default_rng(0)
    a, b = random_boxes(rng, 40, dtype), random_boxes(rng, 30, dtype)
    ta, tb = torch.from_numpy(a), torch.from_numpy(b)
    iou, giou = box_iou(a, b), generalized_box_iou(a, b)
    assert iou.shape == (40, 30) and iou.dtype == dtype and giou.dtype == dtype
    tol = {"rtol": 1e-6, "atol": 1e-7} if dtype == np.float32 else {"rtol": 1e-14, "atol": 0}
    np.testing.assert_allclose(iou, TV.box_iou(ta, tb).numpy(), **tol)
    np.testing.assert_allclose(giou, TV.generalized_box_iou(ta, tb).numpy(), **tol)


def test_box_iou_and_giou_equal_torchvision_on_degenerate_boxes_nan_included() -> None:
    t = torch.from_numpy(DEGENERATE)
    iou, giou = box_iou(DEGENERATE, DEGENERATE), generalized_box_iou(DEGENERATE, DEGENERATE)
    np.testing.assert_array_equal(iou, TV.box_iou(t, t).numpy())  # nan where 0 / 0, as torch
    np.testing.assert_array_equal(giou, TV.generalized_box_iou(t, t).numpy())
    assert iou[0, 1] == 1 and iou[0, 2] == 9 / 100 and iou[0, 3] == 0  # identical, nested, touch
    assert np.isnan(iou[5, 6]) and iou[4, 4] != iou[4, 4]  # two empty boxes: 0 / 0


@pytest.mark.parametrize("fmt", ["xyxy", "xywh", "cxcywh"])
def test_box_convert_area_and_iou_formats_equal_torchvision(fmt: str) -> None:
    rng = np.random.default_rng(1)
    a = random_boxes(rng, 12)
    for out in ("xyxy", "xywh", "cxcywh"):
        want = TV.box_convert(torch.from_numpy(a), "xyxy", out).numpy()
        np.testing.assert_allclose(box_convert(a, "xyxy", out), want, rtol=1e-14)
    a_fmt = box_convert(a, "xyxy", fmt)
    np.testing.assert_allclose(box_convert(a_fmt, fmt, "xyxy"), a, rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(
        box_area(a_fmt, fmt), TV.box_area(torch.from_numpy(a)).numpy(), rtol=1e-13
    )
    np.testing.assert_allclose(box_iou(a_fmt, a_fmt, fmt), box_iou(a, a), rtol=1e-12, atol=1e-15)


def test_clip_boxes_to_image_equals_torchvision(monkeypatch: pytest.MonkeyPatch) -> None:
    # the bare torchvision package (its __init__ skipped) lacks the helper clip asks for
    monkeypatch.setattr(sys.modules["torchvision"], "_is_tracing", lambda: False, raising=False)
    boxes = np.array([[-5, -3, 20, 40], [10, 10, 12, 12], [30, -1, 70, 90]], np.float64)
    want = TV.clip_boxes_to_image(torch.from_numpy(boxes), (32, 48)).numpy()
    np.testing.assert_array_equal(clip_boxes_to_image(boxes, (32, 48)), want)


def test_boxes_reject_wrong_shapes_and_formats_naming_the_function() -> None:
    with pytest.raises(ShapeError, match=r"box_iou: expected boxes2 of shape \(\.\.\., 4\), got"):
        box_iou(np.zeros((2, 4)), np.zeros((2, 3)))
    with pytest.raises(ValueError, match="box_convert: in_fmt"):
        box_convert(np.zeros((1, 4)), "xy", "xyxy")
