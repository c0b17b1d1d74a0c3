"""Embedding lookup: ``embedding(ids, W)[..., :] = W[ids[...], :]``, the table of a layer."""

from __future__ import annotations

from typing import Any

import numpy as np

from lamina.autodiff.function import Function
from lamina.autodiff.tensor import Tensor, TensorLike, as_tensor
from lamina.errors import ShapeError, check_nonnegative, owner_name
from lamina.ops.index import index_add

__all__ = ["embedding"]


class _Lookup(Function):
    """y = weight[ids] (weight 2-D, ids any integer array).  dweight = ids' rows of g summed.

    ``scale`` (shaped like ids, or None) multiplies each id's gradient: 0 for the padding row,
    1 / count(id) with ``scale_grad_by_freq``.
    """

    def forward(ctx, weight, ids, scale):
        ctx.ids, ctx.scale = ids, scale
        return weight[ids]

    def backward(ctx, g):
        shape, scale = ctx.input_shapes[0], ctx.scale
        if scale is not None:
            g = g * Tensor._wrap(scale[..., None].astype(g.dtype))
        return index_add(g, ctx.ids, shape)


def padding_row(owner: Any, padding_idx: int | None, rows: int) -> int | None:
    """``padding_idx`` as a row in [0, rows) (negative counts from the end), or a ValueError."""
    if padding_idx is None:
        return None
    if (
        isinstance(padding_idx, bool)
        or not isinstance(padding_idx, (int, np.integer))
        or not (-rows <= padding_idx < rows)
    ):
        raise ValueError(
            f"{owner_name(owner)}: padding_idx must be an int in [-{rows}, {rows}), "
            f"got {padding_idx!r}"
        )
    return int(padding_idx) % rows


def _renorm_(weight: Tensor, ids: np.ndarray, max_norm: float, norm_type: float) -> None:
    """Rescale in place each looked-up row whose p-norm exceeds max_norm to max_norm.

    w_r <- w_r * max_norm / (||w_r||_p + 1e-7) when ||w_r||_p > max_norm (PyTorch's
    ``embedding_renorm_``, outside the graph).
    """
    rows = np.unique(ids)
    w = weight.data
    norms = np.linalg.norm(w[rows], ord=norm_type, axis=1)
    big = norms > max_norm
    w[rows[big]] *= (max_norm / (norms[big] + 1e-7))[:, None].astype(w.dtype)


def _embedding(
    owner: Any,
    input: TensorLike,
    weight: Tensor,
    padding_idx: int | None = None,
    max_norm: float | None = None,
    norm_type: float = 2.0,
    scale_grad_by_freq: bool = False,
) -> Tensor:
    """``embedding`` with errors naming ``owner`` (a function name or the calling layer)."""
    name = owner_name(owner)
    idx = as_tensor(input).data
    if idx.dtype.kind not in "iu":
        raise TypeError(f"{name}: expected integer ids, got {idx.dtype}")
    if weight.ndim != 2:
        raise ShapeError(
            f"{name}: expected weight (num_embeddings, embedding_dim), got {weight.shape}"
        )
    rows = weight.shape[0]
    if idx.size and (idx.min() < 0 or idx.max() >= rows):
        raise IndexError(
            f"{name}: expected ids in [0, {rows}), got values in [{idx.min()}, {idx.max()}]"
        )
    pad = padding_row(owner, padding_idx, rows)
    if max_norm is not None:
        check_nonnegative(owner, max_norm=max_norm)
        _renorm_(weight, idx, max_norm, norm_type)
    scale = None
    if scale_grad_by_freq:
        counts = np.bincount(idx.reshape(-1), minlength=rows)
        scale = 1.0 / counts[idx]
    if pad is not None:
        keep = idx != pad
        scale = keep.astype(np.float64) if scale is None else scale * keep
    return _Lookup.apply(weight, ids=idx, scale=scale)


def embedding(
    input: TensorLike,
    weight: Tensor,
    padding_idx: int | None = None,
    max_norm: float | None = None,
    norm_type: float = 2.0,
    scale_grad_by_freq: bool = False,
    sparse: bool = False,
) -> Tensor:
    """y[..., :] = weight[input[...], :], as ``torch.nn.functional.embedding``.

    Parameters
    ----------
    input : integer tensor of any shape (...)
        Token ids in [0, num_embeddings); any other id is an IndexError, as in PyTorch.
    weight : Tensor (num_embeddings, embedding_dim)
    padding_idx : int, optional
        Its row is looked up as it is but receives no gradient (negative counts from the end).
    max_norm : float, optional
        Before the lookup, every looked-up row with ||w_r||_p > max_norm is rescaled in place
        to w_r * max_norm / (||w_r||_p + 1e-7) (p = ``norm_type``).
    norm_type : float, default=2.0
    scale_grad_by_freq : bool, default=False
        Divide each row's gradient by the number of times its id occurs in ``input``.
    sparse : bool, default=False
        PyTorch's sparse-gradient flag; lamina's gradient is always a dense array (the same
        values), so it changes nothing.

    Returns
    -------
    Tensor (..., embedding_dim)
    """
    return _embedding(
        "embedding", input, weight, padding_idx, max_norm, norm_type, scale_grad_by_freq
    )
