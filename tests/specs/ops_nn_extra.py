"""Op records of the everyday layer functions beyond the core set.

pad modes (reflect, replicate, circular), dropout2d, interpolate (nearest, linear, bilinear),
group_norm, instance_norm, smooth_l1_loss, huber_loss, kl_div and weighted BCE: each is
checked for PyTorch parity of values and gradients (float32 and float64), against finite
differences, and for its error inputs by the generic suites.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import torch
import torch.nn.functional as TF
from hypothesis import strategies as st

import lamina as L
import lamina.nn.functional as F
from lamina.errors import ShapeError
from specs.opspec import ErrorCase, OpSpec, Shapes, binary_targets, fixed, same

_REDUCTION = st.sampled_from(["mean", "sum", "none"])


def _options(**choices: list[Any]) -> Any:
    """A params strategy drawing each named option from its list."""
    return lambda s: st.fixed_dictionaries({k: st.sampled_from(v) for k, v in choices.items()})


def _kl_targets(rng: np.random.Generator, shapes: Shapes, params: dict[str, Any]) -> tuple:
    """Probabilities along dim 1, one of them 0 (y * log(y) is 0 there); or their logs."""
    p = rng.random(shapes[0]) + 0.1
    p /= p.sum(axis=1, keepdims=True)
    if params["log_target"]:
        return (np.log(p),)
    p.flat[0] = 0.0
    return (p,)


def _torch_kl_div(x: torch.Tensor, t: torch.Tensor, **params: Any) -> torch.Tensor:
    """PyTorch's kl_div, without its warning that "mean" divides by every element."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return TF.kl_div(x, t, **params)


def _pad_case(pad: tuple[int, ...], mode: str, shape: tuple[int, ...], match: str) -> ErrorCase:
    return ErrorCase((np.zeros(shape),), ShapeError, match, {"pad": pad, "mode": mode})


OPS = [
    OpSpec(
        "pad_modes",
        lambda x, pad, mode: F.pad(x, pad, mode=mode),
        lambda x, pad, mode: TF.pad(x, pad, mode=mode),
        fixed((2, 3, 4, 5)),
        _options(
            pad=[(2, 1, 1, 3), (0, 4, 3, 0), (1, 1, 1, 1)],
            mode=["reflect", "replicate", "circular", "constant"],
        ),
        errors=(
            _pad_case((5, 0, 0, 0), "reflect", (1, 1, 3, 5), r"pad: reflect padding must be less"),
            _pad_case((0, 0, 4, 0), "circular", (1, 1, 3, 5), r"pad: circular padding must be at"),
            ErrorCase(
                (np.zeros((1, 1, 3, 3)),),
                ValueError,
                r"pad: mode must be one of",
                {"pad": (1, 1), "mode": "mirror"},
            ),
        ),
    ),
    OpSpec(
        "pad_reflect_1d",
        lambda x: F.pad(x, (3, 2), mode="reflect"),
        lambda x: TF.pad(x, (3, 2), mode="reflect"),
        fixed((2, 3, 4)),
    ),
    OpSpec(
        "dropout2d_eval",
        lambda x, **p: F.dropout2d(x, 0.5, training=False, **p),
        lambda x, **p: TF.dropout2d(x, 0.5, training=False, **p),
        fixed((2, 3, 2, 2)),
        _options(inplace=[False, True]),
        covers=("dropout2d",),
        errors=(
            ErrorCase((np.zeros((2, 3)),), ShapeError, r"dropout2d: expected input \(N, C, H, W\)"),
        ),
    ),
    OpSpec(
        "interpolate_nearest",
        lambda x, **p: F.interpolate(x, **p),
        lambda x, **p: TF.interpolate(x, **p),
        fixed((2, 3, 4, 5)),
        lambda s: st.sampled_from(
            [
                {"scale_factor": 2},
                {"scale_factor": 1.5},
                {"scale_factor": (0.7, 2.3)},
                {"size": (7, 3)},
                {"size": (4, 10)},
            ]
        ),
        covers=("interpolate",),
        errors=(
            ErrorCase(
                (np.zeros((1, 1, 2, 2)),),
                ValueError,
                r"interpolate: give exactly one of size",
                {"size": 3, "scale_factor": 2.0},
            ),
            ErrorCase(
                (np.zeros((1, 1, 2, 2)),),
                ShapeError,
                r"interpolate: mode 'linear' expects a 3-D",
                {"size": 3, "mode": "linear"},
            ),
            ErrorCase(
                (np.zeros((1, 1, 2, 2)),),
                ValueError,
                r"interpolate: align_corners can only",
                {"size": 3, "align_corners": True},
            ),
        ),
    ),
    OpSpec(
        "interpolate_bilinear",
        lambda x, **p: F.interpolate(x, mode="bilinear", **p),
        lambda x, **p: TF.interpolate(x, mode="bilinear", **p),
        fixed((2, 3, 4, 5)),
        lambda s: st.sampled_from(
            [
                {"scale_factor": 2},
                {"scale_factor": 1.5},
                {"scale_factor": (0.5, 2.3)},
                {"size": (7, 3)},
                {"size": (7, 3), "align_corners": True},
                {"size": (1, 8), "align_corners": True},
                {"size": (3, 2), "align_corners": False},
            ]
        ),
    ),
    OpSpec(
        "interpolate_1d",
        lambda x, **p: F.interpolate(x, **p),
        lambda x, **p: TF.interpolate(x, **p),
        fixed((2, 3, 5)),
        lambda s: st.sampled_from(
            [
                {"scale_factor": 2.5},
                {"size": 3},
                {"size": 8, "mode": "linear"},
                {"size": 8, "mode": "linear", "align_corners": True},
                {"scale_factor": 0.6, "mode": "linear"},
            ]
        ),
    ),
    OpSpec(
        "group_norm",
        lambda x, w, b, **p: F.group_norm(x, weight=w, bias=b, **p),
        lambda x, w, b, **p: TF.group_norm(x, weight=w, bias=b, **p),
        fixed((2, 6, 3, 2), (6,), (6,)),
        _options(num_groups=[1, 2, 3, 6]),
        errors=(
            ErrorCase(
                (np.zeros((2, 6, 3)), np.ones(6), np.zeros(6)),
                ValueError,
                r"group_norm: the 6 channels must split into num_groups=4",
                {"num_groups": 4},
            ),
            ErrorCase(
                (np.zeros((2, 6, 3)), np.ones(4), np.zeros(6)),
                ShapeError,
                r"group_norm: weight must have shape \(6,\), got \(4,\)",
                {"num_groups": 2},
            ),
        ),
    ),
    OpSpec(
        "instance_norm",
        lambda x, w, b, **p: F.instance_norm(x, weight=w, bias=b, **p),
        lambda x, w, b, **p: TF.instance_norm(x, weight=w, bias=b, **p),
        fixed((2, 3, 4, 3), (3,), (3,)),
        _options(eps=[1e-5, 0.1]),
        errors=(
            ErrorCase(
                (np.zeros((2, 3)), np.ones(3), np.zeros(3)),
                ShapeError,
                r"instance_norm: expected input \(N, C, \*\)",
            ),
        ),
    ),
    OpSpec(
        "instance_norm_1d",
        lambda x: F.instance_norm(x),
        lambda x: TF.instance_norm(x),
        fixed((3, 2, 5)),
    ),
    OpSpec(
        "smooth_l1_loss",
        F.smooth_l1_loss,
        TF.smooth_l1_loss,
        same(2),
        _options(reduction=["mean", "sum", "none"], beta=[0.0, 0.5, 1.0, 2.0]),
        errors=(
            ErrorCase(
                (np.zeros(3), np.zeros(3)),
                ValueError,
                r"smooth_l1_loss: beta must be >= 0",
                {"beta": -1.0},
            ),
            ErrorCase(
                (np.zeros((2, 3)), np.zeros(3)),
                ShapeError,
                r"smooth_l1_loss: input and target must have the same shape",
            ),
        ),
    ),
    OpSpec(
        "huber_loss",
        F.huber_loss,
        TF.huber_loss,
        same(2),
        _options(reduction=["mean", "sum", "none"], delta=[0.3, 1.0, 2.5]),
        errors=(
            ErrorCase(
                (np.zeros(3), np.zeros(3)),
                ValueError,
                r"huber_loss: delta must be greater than 0, got 0",
                {"delta": 0.0},
            ),
            ErrorCase(
                (np.zeros(3), np.zeros(3)),
                ValueError,
                r"huber_loss: reduction must be one of",
                {"reduction": "avg"},
            ),
        ),
    ),
    OpSpec(
        "kl_div",
        lambda x, t, **p: F.kl_div(x, L.tensor(t).to(x.dtype), **p),
        lambda x, t, **p: _torch_kl_div(x, t.to(x.dtype), **p),
        fixed((4, 5)),
        _options(reduction=["mean", "sum", "batchmean", "none"], log_target=[False, True]),
        domain=(-4.0, -0.1),
        extra=_kl_targets,
        errors=(
            ErrorCase(
                (np.zeros((2, 3)), np.zeros((3, 2))),
                ShapeError,
                r"kl_div: input and target must have the same shape",
            ),
            ErrorCase(
                (np.zeros(3), np.zeros(3)),
                ValueError,
                r"kl_div: reduction must be one of",
                {"reduction": "batch"},
            ),
        ),
    ),
    OpSpec(
        "binary_cross_entropy_weighted",
        lambda x, t, **p: F.binary_cross_entropy(
            x, L.tensor(t).to(x.dtype), weight=L.tensor([0.5, 2.0, 1.0]).to(x.dtype), **p
        ),
        lambda x, t, **p: TF.binary_cross_entropy(
            x, t.to(x.dtype), weight=torch.tensor([0.5, 2.0, 1.0], dtype=x.dtype), **p
        ),
        fixed((4, 3)),
        _options(reduction=["mean", "sum", "none"]),
        domain=(0.02, 0.98),
        extra=binary_targets,
        errors=(
            ErrorCase(
                (np.full(3, 0.5), np.array([0.0, 1.5, 1.0])),
                ValueError,
                r"binary_cross_entropy: target must hold values in \[0, 1\]",
            ),
            ErrorCase(
                (np.full(3, 1.5), np.zeros(3)),
                ValueError,
                r"binary_cross_entropy: input must hold values in \[0, 1\]",
            ),
        ),
    ),
]
