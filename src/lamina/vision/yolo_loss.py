"""The YOLO v1 loss: sum-squared error on boxes, confidences and classes (Redmon et al.)."""

from __future__ import annotations

import numpy as np

from lamina.autodiff.tensor import Tensor, TensorLike, as_tensor
from lamina.errors import (
    ShapeError,
    check_finite,
    check_nonnegative,
    check_positive_int,
    owner_name,
)
from lamina.nn.module import Module
from lamina.vision.boxes import box_iou

__all__ = ["YOLOv1Loss", "yolo_v1_loss"]

EPS = 1e-9  # inside sqrt(w): a finite gradient where w = 0 (that term is then masked out)


def _cell_boxes(cells: np.ndarray) -> np.ndarray:
    """(..., 5) cell-relative (x, y, w, h, c) as ``xyxy`` in one cell's units (S scales w, h)."""
    x, y = cells[..., 0], cells[..., 1]
    w, h = cells[..., 2], cells[..., 3]
    return np.stack([x - w / 2, y - h / 2, x + w / 2, y + h / 2], -1)


def _responsible(pred: np.ndarray, target: np.ndarray, S: int) -> np.ndarray:
    """One-hot (N, S, S, B) of the predictor with the highest IoU per object cell."""
    scale = np.array([1, 1, S, S, 1])
    p = _cell_boxes(pred * scale)  # (N, S, S, B, 4)
    t = _cell_boxes(target[..., :1, :] * scale)  # (N, S, S, 1, 4)
    iou = np.nan_to_num(box_iou(p[..., None, :], t[..., None, :])[..., 0, 0])  # (N, S, S, B)
    best = np.argmax(iou, axis=-1)  # ties: the first predictor, as argmax
    onehot = np.arange(pred.shape[-2]) == best[..., None]
    return onehot & (target[..., :1, 4] == 1)


def yolo_v1_loss(
    prediction: TensorLike,
    target: TensorLike,
    B: int = 2,
    lambda_coord: float = 5.0,
    lambda_noobj: float = 0.5,
) -> Tensor:
    """The YOLO v1 loss of a batch, summed over cells and averaged over images.

    L = lambda_coord * sum_ij 1obj_ij * ((x - x^)**2 + (y - y^)**2
                                        + (sqrt(w) - sqrt(w^))**2 + (sqrt(h) - sqrt(h^))**2)
        + sum_ij 1obj_ij * (c_ij - 1)**2 + lambda_noobj * sum_ij 1noobj_ij * c_ij**2
        + sum_i 1obj_i * sum_k (p_i(k) - p^_i(k))**2,   divided by N.

    1obj_ij is 1 for the predictor j of an object's cell i whose box has the highest IoU with
    the object (the "responsible" one), 1noobj_ij = 1 - 1obj_ij. sqrt(w) is taken as
    sqrt(w + 1e-9).

    Notes
    -----
    The paper sets the responsible confidence's target to that IoU (darknet's "rescore"),
    a target that moves with the boxes but is held constant in the gradient; the target 1
    used here (as most re-implementations) keeps the loss a function whose gradient is
    exactly its derivative, checked by finite differences.

    Parameters
    ----------
    prediction : Tensor (N, S, S, 5B + C)
        Box widths and heights must be >= 0 (a sigmoid output layer gives that).
    target : array (N, S, S, 5B + C), from ``yolo_encode``
    B : int
    lambda_coord, lambda_noobj : float
        The paper's 5 and 0.5.

    Returns
    -------
    Tensor, scalar
    """
    return _yolo_v1_loss("yolo_v1_loss", prediction, target, B, lambda_coord, lambda_noobj)


def _yolo_v1_loss(
    owner: object,
    prediction: TensorLike,
    target: TensorLike,
    B: int,
    lambda_coord: float,
    lambda_noobj: float,
) -> Tensor:
    """``yolo_v1_loss`` with errors naming ``owner`` (the function or the calling module)."""
    check_positive_int(owner, B=B)
    check_nonnegative(owner, lambda_coord=lambda_coord, lambda_noobj=lambda_noobj)
    p, t = as_tensor(prediction), np.asarray(getattr(target, "data", target))
    if p.ndim != 4 or p.shape[1] != p.shape[2] or p.shape[3] <= 5 * B or t.shape != p.shape:
        raise ShapeError(
            f"{owner_name(owner)}: expected prediction and target (N, S, S, 5*{B} + C) of one "
            f"shape, got {p.shape} and {t.shape}"
        )
    check_finite(owner, p.data, "prediction")
    n, S = p.shape[0], p.shape[1]
    boxes = p[..., : 5 * B].reshape(n, S, S, B, 5)
    t = t.astype(p.dtype, copy=False)
    tboxes = t[..., : 5 * B].reshape(n, S, S, B, 5)
    resp = _responsible(boxes.data, tboxes, S)
    obj = resp.astype(p.dtype)
    x, y, w, h, c = (boxes[..., k] for k in range(5))
    tx, ty, tw, th = (tboxes[..., k] for k in range(4))
    coord = (x - tx) ** 2 + (y - ty) ** 2
    coord = coord + ((w + EPS).sqrt() - np.sqrt(tw + EPS)) ** 2
    coord = coord + ((h + EPS).sqrt() - np.sqrt(th + EPS)) ** 2
    conf_obj = (c - 1) ** 2
    cell_obj = t[..., 4:5]  # (N, S, S, 1): the cell holds an object
    classes = ((p[..., 5 * B :] - t[..., 5 * B :]) ** 2) * cell_obj
    total = (lambda_coord * coord * obj).sum() + (conf_obj * obj).sum()
    total = total + lambda_noobj * (c**2 * (1 - obj)).sum() + classes.sum()
    return total / n


class YOLOv1Loss(Module):
    """The YOLO v1 loss as a module; see ``yolo_v1_loss`` for the formula.

    Parameters
    ----------
    B : int, default=2
    lambda_coord : float, default=5.0
    lambda_noobj : float, default=0.5
    """

    def __init__(self, B: int = 2, lambda_coord: float = 5.0, lambda_noobj: float = 0.5) -> None:
        super().__init__()
        check_positive_int("YOLOv1Loss", B=B)
        check_nonnegative("YOLOv1Loss", lambda_coord=lambda_coord, lambda_noobj=lambda_noobj)
        self.B, self.lambda_coord, self.lambda_noobj = B, lambda_coord, lambda_noobj

    def forward(self, prediction: Tensor, target: TensorLike) -> Tensor:
        return _yolo_v1_loss(self, prediction, target, self.B, self.lambda_coord, self.lambda_noobj)

    def extra_repr(self) -> str:
        return f"B={self.B}, lambda_coord={self.lambda_coord}, lambda_noobj={self.lambda_noobj}"
