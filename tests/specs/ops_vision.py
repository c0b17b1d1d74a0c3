"""Op records: lamina.vision's differentiable functions, against PyTorch formulas.

filter2d is conv2d per channel; distance_matrix is pairwise_distance over all pairs; the
contrastive and YOLO v1 losses have no PyTorch function, so their twins are the formulas
written with torch operations (specs/layers_vision.py holds the YOLO one).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import torch
from hypothesis import strategies as st

from lamina.vision import contrastive_loss, distance_matrix, filter2d, sobel_x, yolo_v1_loss
from specs.layers_vision import TorchContrastiveLoss, TorchYOLOv1Loss, yolo_batch
from specs.opspec import OpSpec, fixed

KERNEL = np.array([[1.0, -2.0, 0.5], [0.0, 1.5, -1.0]])  # asymmetric: correlation shows


def _torch_filter2d(x: torch.Tensor, mode: str) -> Any:
    k = torch.tensor(KERNEL, dtype=x.dtype)[None, None]
    planes = x.reshape(-1, 1, *x.shape[-2:])
    if mode == "same":  # PyTorch's "same" puts an even kernel's extra zero at the end
        with warnings.catch_warnings():  # its note that an even kernel pads a copy
            warnings.simplefilter("ignore", UserWarning)
            out = torch.nn.functional.conv2d(planes, k, padding="same")
    else:
        pad = (0, 0) if mode == "valid" else (k.shape[2] - 1, k.shape[3] - 1)
        out = torch.nn.functional.conv2d(planes, k, padding=pad)
    return out.reshape(*x.shape[:-2], *out.shape[-2:])


def _yolo_target(rng: np.random.Generator, s: Any, p: Any) -> tuple[np.ndarray, ...]:
    return (yolo_batch(rng)[1],)


OPS = [
    OpSpec(
        "filter2d",
        lambda x, mode: filter2d(x, KERNEL, mode),
        _torch_filter2d,
        fixed((2, 4, 5)),
        lambda s: st.sampled_from([{"mode": "valid"}, {"mode": "same"}, {"mode": "full"}]),
    ),
    OpSpec(
        "filter2d_sobel_batch",
        lambda x: filter2d(x, sobel_x()),
        lambda x: torch.nn.functional.conv2d(
            x.reshape(-1, 1, 5, 5), torch.tensor(sobel_x(), dtype=x.dtype)[None, None], padding=1
        ).reshape(2, 2, 5, 5),
        fixed((2, 2, 5, 5)),
    ),
    OpSpec(
        "distance_matrix",
        distance_matrix,
        lambda x: torch.nn.functional.pairwise_distance(x[:, None], x[None]),
        fixed((5, 3)),
    ),
    OpSpec(
        "contrastive_loss",
        lambda a, b, same: contrastive_loss(a, b, same, margin=1.5),
        lambda a, b, same: TorchContrastiveLoss(1.5)(a, b, same),
        fixed((6, 3), (6, 3)),
        extra=lambda rng, s, p: (np.array([1, 0, 1, 0, 0, 1]),),
    ),
    OpSpec(
        "yolo_v1_loss",
        lambda pred, target: yolo_v1_loss(pred, target, B=2),
        lambda pred, target: TorchYOLOv1Loss(2)(pred, torch.as_tensor(target).to(pred.dtype)),
        fixed((2, 3, 3, 13)),
        domain=(0.1, 0.9),
        extra=_yolo_target,
    ),
]
