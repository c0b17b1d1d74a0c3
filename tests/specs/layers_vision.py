"""Layer records: the vision losses (lamina.vision), each against a PyTorch twin written here.

PyTorch has no contrastive or YOLO v1 loss: the twins below are the formulas written with
torch operations (an independent implementation); float64 gradchecks live in tests/vision.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from lamina.vision import ContrastiveLoss, YOLOv1Loss, yolo_encode
from specs.layers import LayerSpec

S, B, C = 3, 2, 3


class TorchContrastiveLoss(torch.nn.Module):
    """l = same * d**2 / 2 + (1 - same) * max(margin - d, 0)**2 / 2, d = pairwise_distance."""

    def __init__(self, margin: float = 1.0) -> None:
        super().__init__()
        self.margin = margin

    def forward(self, x1: torch.Tensor, x2: torch.Tensor, same: torch.Tensor) -> Any:
        d = torch.nn.functional.pairwise_distance(x1, x2)
        y = same.to(d.dtype)
        return (0.5 * (y * d**2 + (1 - y) * torch.relu(self.margin - d) ** 2)).mean()


class TorchYOLOv1Loss(torch.nn.Module):
    """The YOLO v1 loss with torch operations, cell by cell (slow, plain)."""

    def __init__(self, B: int = 2, lambda_coord: float = 5.0, lambda_noobj: float = 0.5) -> None:
        super().__init__()
        self.B, self.lc, self.ln = B, lambda_coord, lambda_noobj

    def forward(self, pred: torch.Tensor, target: torch.Tensor) -> Any:
        target = target.detach()
        n, s = pred.shape[0], pred.shape[1]
        total = pred.sum() * 0
        for b in range(n):
            for i in range(s):
                for j in range(s):
                    total = total + self._cell(pred[b, i, j], target[b, i, j], s)
        return total / n

    def _cell(self, p: torch.Tensor, t: torch.Tensor, s: int) -> Any:
        eps, B = 1e-9, self.B
        loss = p.sum() * 0
        if t[4] != 1:
            return loss + self.ln * sum(p[5 * k + 4] ** 2 for k in range(B))

        def corners(v: torch.Tensor) -> torch.Tensor:
            return torch.stack(
                [v[0] - v[2] * s / 2, v[1] - v[3] * s / 2, v[0] + v[2] * s / 2, v[1] + v[3] * s / 2]
            )

        def iou(u: torch.Tensor, v: torch.Tensor) -> float:
            w = (torch.minimum(u[2], v[2]) - torch.maximum(u[0], v[0])).clamp(min=0)
            h = (torch.minimum(u[3], v[3]) - torch.maximum(u[1], v[1])).clamp(min=0)
            inter = w * h
            area = (u[2] - u[0]) * (u[3] - u[1]) + (v[2] - v[0]) * (v[3] - v[1])
            return float(inter / (area - inter))

        ious = [iou(corners(p[5 * k : 5 * k + 4].detach()), corners(t[:4])) for k in range(B)]
        r = int(np.argmax(ious))
        for k in range(B):
            x, y, w, h, c = p[5 * k : 5 * k + 5]
            if k != r:
                loss = loss + self.ln * c**2
                continue
            loss = loss + self.lc * (
                (x - t[0]) ** 2
                + (y - t[1]) ** 2
                + (torch.sqrt(w + eps) - torch.sqrt(t[2] + eps)) ** 2
                + (torch.sqrt(h + eps) - torch.sqrt(t[3] + eps)) ** 2
            )
            loss = loss + (c - 1) ** 2
        return loss + ((p[5 * B :] - t[5 * B :]) ** 2).sum()


def embedding_pairs(rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    a = rng.standard_normal((6, 4))
    b = a + rng.standard_normal((6, 4)) * np.array([0.2, 0.2, 0.2, 2, 2, 2])[:, None]
    return a, b, np.array([1, 1, 1, 0, 0, 0])


def yolo_batch(rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    pred = rng.uniform(0.05, 0.95, (2, S, S, 5 * B + C))
    boxes = [
        np.array([[0.1, 0.1, 0.3, 0.4], [0.5, 0.6, 0.9, 0.8]]),
        np.array([[0.4, 0.4, 0.6, 0.55]]),
    ]
    labels = [np.array([0, 2]), np.array([1])]
    target = np.stack([yolo_encode(b, k, S, B, C) for b, k in zip(boxes, labels, strict=True)])
    return pred, target


LAYERS = [
    LayerSpec(
        "ContrastiveLoss",
        lambda: ContrastiveLoss(margin=1.5),
        lambda: TorchContrastiveLoss(margin=1.5),
        embedding_pairs,
        bad_inputs=lambda rng: (
            rng.standard_normal((4, 3)),
            rng.standard_normal((4, 2)),
            np.array([1, 0, 1, 0]),
        ),
    ),
    LayerSpec(
        "YOLOv1Loss",
        lambda: YOLOv1Loss(B=B),
        lambda: TorchYOLOv1Loss(B=B),
        yolo_batch,
        bad_inputs=lambda rng: (rng.random((2, S, S, 5 * B + C)), rng.random((2, S, S, 4))),
    ),
]
