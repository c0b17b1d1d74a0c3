"""A small YOLO v1 style detector: a convolutional network to an S x S x (5B + C) grid."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from lamina import nn
from lamina.autodiff.grad_mode import no_grad
from lamina.autodiff.tensor import Tensor, as_tensor
from lamina.errors import ShapeError, check_positive_int
from lamina.nn.module import Module
from lamina.optim import Adam
from lamina.optim.lr_scheduler import CosineAnnealingLR
from lamina.vision.yolo import yolo_decode, yolo_encode
from lamina.vision.yolo_loss import YOLOv1Loss

__all__ = ["TinyYOLO", "detect", "fit_detector"]


class TinyYOLO(Module):
    """Conv(3x3)-BatchNorm-ReLU-MaxPool(2) blocks down to an S x S grid, then a 1x1 conv.

    y = sigmoid(conv1x1(features(x))) permuted to (N, S, S, 5B + C): every box coordinate,
    confidence and class probability in (0, 1), as the YOLO v1 loss expects.

    Parameters
    ----------
    S, B, C : int
        Grid size, boxes per cell, classes.
    in_channels : int
    image_size : int
        Input side; image_size / S must be a power of 2 (one pooling per halving).
    channels : sequence of int
        Width of each conv block; the blocks after the last pooling keep the grid size.
    """

    def __init__(
        self,
        S: int = 6,
        B: int = 2,
        C: int = 3,
        in_channels: int = 1,
        image_size: int = 48,
        channels: Sequence[int] = (16, 32, 64, 64),
    ) -> None:
        super().__init__()
        check_positive_int("TinyYOLO", S=S, B=B, C=C, in_channels=in_channels)
        pools = int(np.log2(image_size / S)) if image_size % S == 0 else -1
        if pools < 0 or S * 2**pools != image_size or pools > len(channels):
            raise ValueError(
                f"TinyYOLO: image_size / S must be a power of 2 up to 2**{len(channels)}, "
                f"got {image_size} / {S}"
            )
        self.S, self.B, self.C, self.image_size = S, B, C, image_size
        layers: list[Module] = []
        c = in_channels
        for k, out in enumerate(channels):
            layers += [nn.Conv2d(c, out, 3, padding=1), nn.BatchNorm2d(out), nn.ReLU()]
            layers += [nn.MaxPool2d(2)] if k < pools else []
            c = out
        self.features = nn.Sequential(*layers)
        self.head = nn.Conv2d(c, 5 * B + C, 1)

    def forward(self, x: Tensor) -> Tensor:
        x = as_tensor(x)
        if x.ndim != 4 or x.shape[2:] != (self.image_size, self.image_size):
            raise ShapeError(
                f"{self!r}: expected input (N, C, {self.image_size}, {self.image_size}), "
                f"got {x.shape}"
            )
        return self.head(self.features(x)).sigmoid().permute(0, 2, 3, 1)

    def extra_repr(self) -> str:
        return f"S={self.S}, B={self.B}, C={self.C}, image_size={self.image_size}"


def fit_detector(
    model: TinyYOLO,
    images: np.ndarray,
    boxes: Sequence[np.ndarray],
    labels: Sequence[np.ndarray],
    epochs: int = 30,
    batch_size: int = 32,
    lr: float = 2e-3,
    seed: int = 0,
    on_epoch: Callable[[int, float], Any] | None = None,
) -> list[float]:
    """Train ``model`` with the YOLO v1 loss and Adam (cosine-annealed ``lr``).

    Boxes are ``xyxy`` pixel coordinates of images (N, C, H, W); targets come from
    ``yolo_encode``. Returns the mean training loss of each epoch (also passed to
    ``on_epoch(epoch, loss)``).
    """
    check_positive_int("fit_detector", epochs=epochs, batch_size=batch_size)
    S, B, C = model.S, model.B, model.C
    targets = np.stack(
        [
            yolo_encode(b, lab, S, B, C, model.image_size)
            for b, lab in zip(boxes, labels, strict=True)
        ]
    )
    loss_fn = YOLOv1Loss(B)
    optimizer = Adam(model.parameters(), lr=lr)
    schedule = CosineAnnealingLR(optimizer, T_max=epochs)
    rng = np.random.default_rng(seed)
    history = []
    model.train()
    for epoch in range(epochs):
        order = rng.permutation(len(images))
        total = 0.0
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            optimizer.zero_grad()
            loss = loss_fn(model(images[idx]), targets[idx])
            loss.backward()
            optimizer.step()
            total += float(loss.item()) * len(idx)
        schedule.step()
        history.append(total / len(images))
        if on_epoch is not None:
            on_epoch(epoch, history[-1])
    return history


def detect(
    model: TinyYOLO,
    images: np.ndarray,
    conf_threshold: float = 0.05,
    iou_threshold: float = 0.5,
    batch_size: int = 128,
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(boxes ``xyxy`` in pixels, scores, classes) per image: the model's decoded output."""
    model.eval()
    found = []
    with no_grad():
        for start in range(0, len(images), batch_size):
            out = model(images[start : start + batch_size]).data
            found += [
                yolo_decode(p, model.B, conf_threshold, iou_threshold, model.image_size)
                for p in out
            ]
    return found
