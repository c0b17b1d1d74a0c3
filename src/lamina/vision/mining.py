"""Online triplet mining: triplet losses from one batch of labelled embeddings.

A triplet (a, p, n) has label(a) = label(p), a != p, label(n) != label(a); its loss is
max(D[a, p] - D[a, n] + margin, 0) with D the Euclidean distance matrix of the batch
(``pairwise_distance``, eps = 1e-6 as PyTorch's TripletMarginLoss). A triplet is active when
its loss is > 0.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lamina.autodiff.tensor import Tensor, TensorLike, as_tensor
from lamina.errors import ShapeError, check_in
from lamina.ops import relu
from lamina.ops._loss_args import check_positive
from lamina.ops.loss import pairwise_distance

__all__ = ["MINING", "distance_matrix", "triplet_mining_loss"]

MINING = ("batch_all", "batch_hard", "semi_hard")


def distance_matrix(embeddings: TensorLike) -> Tensor:
    """D[i, j] = ||e_i - e_j + eps||_2 (eps = 1e-6) for embeddings (B, E); shape (B, B)."""
    e = as_tensor(embeddings)
    return pairwise_distance(e.unsqueeze(1), e.unsqueeze(0))


def triplet_mining_loss(
    embeddings: TensorLike, labels: Any, margin: float = 1.0, mining: str = "batch_hard"
) -> tuple[Tensor, float]:
    """The triplet loss of a batch under one mining strategy, and the fraction active.

    - ``batch_all``: every valid triplet; loss = sum of the losses / number of active
      triplets (0 if none); fraction = active / valid triplets.
    - ``batch_hard`` (Hermans, Beyer and Leibe, 2017): per anchor, its farthest positive and
      nearest negative: loss = mean_a max(max_p D[a, p] - min_n D[a, n] + margin, 0) over the
      anchors with a positive and a negative; fraction = active anchors / those anchors.
    - ``semi_hard`` (FaceNet, Schroff et al., 2015): per positive pair (a, p), the nearest
      negative farther than the positive, D[a, p] < D[a, n] (inside the margin when active);
      if there is none, the farthest negative; loss = mean over positive pairs;
      fraction = active pairs / positive pairs.

    Parameters
    ----------
    embeddings : Tensor (B, E)
    labels : array (B,) of int
    margin : float, default=1.0
    mining : {"batch_all", "batch_hard", "semi_hard"}

    Returns
    -------
    loss : Tensor, scalar
    fraction : float, the fraction of active triplets (or anchors, or pairs)
    """
    check_in("triplet_mining_loss", "mining", mining, MINING)
    check_positive("triplet_mining_loss", margin=margin)
    e = as_tensor(embeddings)
    y = np.asarray(labels).reshape(-1)
    if e.ndim != 2 or y.shape != e.shape[:1]:
        raise ShapeError(
            f"triplet_mining_loss: expected embeddings (B, E) and labels (B,), got "
            f"{e.shape} and {np.asarray(labels).shape}"
        )
    d = distance_matrix(e)
    same = y[:, None] == y[None, :]
    positive = same & ~np.eye(len(y), dtype=bool)
    negative = ~same
    if mining == "batch_all":
        valid = positive[:, :, None] & negative[:, None, :]
        loss = relu(d.unsqueeze(2) - d.unsqueeze(1) + margin) * valid.astype(e.dtype)
        active = int(((loss.data > 0) & valid).sum())
        fraction = active / max(int(valid.sum()), 1)
        return loss.sum() / max(active, 1), fraction
    if mining == "batch_hard":
        rows = np.flatnonzero(positive.any(1) & negative.any(1))
        far = np.where(positive, d.data, -np.inf).argmax(1)[rows]
        near = np.where(negative, d.data, np.inf).argmin(1)[rows]
        loss = relu(d[rows, far] - d[rows, near] + margin)
    else:
        a, p = np.nonzero(positive & negative.any(1)[:, None])
        dap, dan = d.data[a, p][:, None], np.where(negative[a], d.data[a], np.nan)
        outside = np.where(dan > dap, dan, np.inf)
        has = np.isfinite(outside).any(1)
        n = np.where(has, np.argmin(outside, 1), np.nanargmax(dan, 1)) if len(a) else a
        loss = relu(d[a, p] - d[a, n] + margin)
    if loss.shape[0] == 0:
        return (d * 0).sum(), 0.0
    return loss.mean(), float((loss.data > 0).mean())
