"""Op records of convolution, pooling and normalization: grids of arguments against PyTorch.

conv1d/conv2d (stride, padding incl. "same", dilation, groups), the transposed convolutions
(output_padding), max/avg/lp/l2/adaptive/global pooling (ceil mode, padding, count_include_pad,
indices, a channels-first input), batch norm (train and eval, running statistics) and layer
norm. Every pooling case also checks pool_geometry, the window arithmetic the pooling ops and
layers share. Each grid record runs every case for parity in float32 and float64; the generic suites
also check a sample of its cases against finite differences, first and second order.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
import torch.nn.functional as TF

import lamina as L
from lamina.ops import conv as C
from lamina.ops import normalization as N
from lamina.ops import pool as P
from specs.opspec import OpSpec, Shapes, fixed, grid, listed


def _same_stride_one(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """PyTorch refuses padding='same' with a stride other than 1."""
    return [c for c in cases if not (c["padding"] == "same" and c["stride"] != 1)]


def _output_padding_fits(case: dict[str, Any]) -> bool:
    """PyTorch's rule: output_padding must be smaller than the stride or the dilation."""
    s = case["stride"] if isinstance(case["stride"], tuple) else (case["stride"],) * 2
    return case["output_padding"] < max(min(s), case.get("dilation", 1))


_CONV2D = [
    (((2, 4, 7, 6), (4, 4 // c["groups"], 3, 2), (4,)), c)
    for c in _same_stride_one(
        grid(stride=[1, 2, (2, 1)], padding=[0, 1, "same"], dilation=[1, 2], groups=[1, 2, 4])
    )
]
_CONV1D = [
    (((2, 4, 11), (6, 4 // c["groups"], 4)), c)
    for c in _same_stride_one(
        grid(stride=[1, 3], padding=[0, 2, "same", "valid"], dilation=[1, 2], groups=[1, 2])
    )
]
_TRANSPOSED2D = [
    (((2, 4, 4, 5), (4, 6 // c["groups"], 3, 2), (6,)), c)
    for c in grid(
        stride=[1, 2, (3, 2)], padding=[0, 1], output_padding=[0, 1], dilation=[1, 2], groups=[1, 2]
    )
    if _output_padding_fits(c)
]
_TRANSPOSED1D = [
    (((2, 4, 6), (4, 3, 3), (3,)), c)
    for c in grid(stride=[1, 2], padding=[0, 1], output_padding=[0, 1])
    if c["output_padding"] < c["stride"]
]
_POOL2D = grid(
    kernel_size=[2, 3, (3, 2)], stride=[None, 1, 2], padding=[0, 1], ceil_mode=[False, True]
)
_POOL1D = grid(kernel_size=[3], stride=[2], padding=[0, 1], ceil_mode=[False, True])
_X2D: Shapes = ((2, 3, 7, 8),)


def _on(shapes: Shapes, cases: list[dict[str, Any]]) -> dict[str, Any]:
    return listed([(shapes, c) for c in cases])


def _l2_pool_torch(x: torch.Tensor, kernel_size: Any, dims: int) -> torch.Tensor:
    """The course's L2 pooling from PyTorch's average pool: sqrt(k * mean(x**2)) / k."""
    k = kernel_size**dims
    pool = TF.avg_pool2d if dims == 2 else TF.avg_pool1d
    return torch.sqrt(pool(x * x, kernel_size) * k) / k


def _running_stats(rng: np.random.Generator, shapes: Shapes, params: dict[str, Any]) -> tuple:
    c = shapes[0][1]
    return rng.standard_normal(c), rng.random(c) + 0.5


def _batch_norm(x: Any, w: Any, b: Any, mean: Any, var: Any, **p: Any) -> Any:
    stats = L.tensor(mean, dtype=x.dtype), L.tensor(var, dtype=x.dtype)  # as the torch twin
    return N.batch_norm(x, *stats, w, b, momentum=0.3, eps=1e-3, **p)


def _torch_batch_norm(x: Any, w: Any, b: Any, mean: Any, var: Any, **p: Any) -> Any:
    stats = mean.to(x.dtype).clone(), var.to(x.dtype).clone()
    return TF.batch_norm(x, *stats, w, b, momentum=0.3, eps=1e-3, **p)


_NORM_SHAPES = [((5, 3), (3,), (3,)), ((4, 3, 6), (3,), (3,)), ((2, 3, 4, 5), (3,), (3,))]

OPS: list[OpSpec] = [
    OpSpec("conv2d", C.conv2d, TF.conv2d, **listed(_CONV2D)),
    OpSpec("conv1d", C.conv1d, TF.conv1d, **listed(_CONV1D)),
    OpSpec("conv_transpose2d", C.conv_transpose2d, TF.conv_transpose2d, **listed(_TRANSPOSED2D)),
    OpSpec("conv_transpose1d", C.conv_transpose1d, TF.conv_transpose1d, **listed(_TRANSPOSED1D)),
    OpSpec("max_pool2d", P.max_pool2d, TF.max_pool2d, second_order=False, **_on(_X2D, _POOL2D)),
    OpSpec(
        "max_pool2d_indices",
        lambda x: P.max_pool2d(x, 3, 2, 1, ceil_mode=True, return_indices=True),
        lambda x: TF.max_pool2d(x, 3, 2, 1, ceil_mode=True, return_indices=True),
        fixed(_X2D[0]),
        second_order=False,
    ),
    OpSpec(
        "max_pool2d_channels_first",  # the leaf is (C, N, H, W): its permutation is a view
        lambda x: P.max_pool2d(x.permute(1, 0, 2, 3), 2, ceil_mode=True),
        lambda x: TF.max_pool2d(x.permute(1, 0, 2, 3), 2, ceil_mode=True),
        fixed((3, 2, 3, 5)),
        second_order=False,
    ),
    OpSpec(
        "max_pool1d",
        P.max_pool1d,
        TF.max_pool1d,
        second_order=False,
        **_on(((2, 3, 9),), [*_POOL1D, {"kernel_size": 2, "stride": 1, "dilation": 2}]),
    ),
    OpSpec(
        "avg_pool2d",
        P.avg_pool2d,
        TF.avg_pool2d,
        **_on(_X2D, [{**c, "count_include_pad": i} for c in _POOL2D for i in (True, False)]),
    ),
    OpSpec("avg_pool1d", P.avg_pool1d, TF.avg_pool1d, **_on(((2, 3, 9),), _POOL1D)),
    OpSpec(
        "lp_pool2d",
        P.lp_pool2d,
        TF.lp_pool2d,
        domain=(0.2, 2.0),
        **_on(_X2D, grid(norm_type=[1, 2, 3.5], kernel_size=[3], stride=[2], ceil_mode=[True])),
    ),
    OpSpec(
        "lp_pool1d",
        P.lp_pool1d,
        TF.lp_pool1d,
        domain=(0.2, 2.0),
        **_on(((3, 7, 8),), grid(norm_type=[1, 2, 3.5], kernel_size=[2])),
    ),
    OpSpec(
        "l2_pool2d",
        lambda x: P.l2_pool2d(x, 2),
        lambda x: _l2_pool_torch(x, 2, 2),
        fixed((1, 2, 4, 4)),
        domain=(0.2, 2.0),
    ),
    OpSpec(
        "l2_pool1d",
        lambda x: P.l2_pool1d(x, 3),
        lambda x: _l2_pool_torch(x, 3, 1),
        fixed((2, 3, 9)),
        domain=(0.2, 2.0),
    ),
    OpSpec(
        "adaptive_avg_pool2d",
        lambda x, size: P.adaptive_avg_pool2d(x, size),
        lambda x, size: TF.adaptive_avg_pool2d(x, size),
        **_on(_X2D, grid(size=[1, 3, (2, 5), (None, 2), (7, 8)])),
    ),
    OpSpec(
        "adaptive_avg_pool1d",
        lambda x, size: P.adaptive_avg_pool1d(x, size),
        lambda x, size: TF.adaptive_avg_pool1d(x, size),
        **_on(((2, 3, 7),), grid(size=[1, 3, 7])),
    ),
    OpSpec(
        "global_avg_pool2d",
        P.global_avg_pool2d,
        lambda x, keepdim: x.mean((2, 3), keepdim=keepdim),
        **_on(((2, 2, 3, 3),), grid(keepdim=[False, True])),
    ),
    OpSpec(
        "batch_norm",
        _batch_norm,
        _torch_batch_norm,
        extra=_running_stats,
        **listed([(s, {"training": t}) for s in _NORM_SHAPES for t in (True, False)]),
    ),
    OpSpec(
        "batch_norm_no_stats",
        lambda x, w, b: N.batch_norm(x, None, None, w, b, training=True),
        lambda x, w, b: TF.batch_norm(x, None, None, w, b, training=True),
        fixed((4, 2, 3), (2,), (2,)),
    ),
    OpSpec(
        "layer_norm",
        lambda x, w, b, shape: N.layer_norm(x, shape, w, b),
        lambda x, w, b, shape: TF.layer_norm(x, tuple(np.atleast_1d(shape)), w, b),
        **listed(
            [
                (((2, 3, 4), (3, 4), (3, 4)), {"shape": (3, 4)}),
                (((4, 3), (3,), (3,)), {"shape": (3,)}),
                (((4, 3), (3,), (3,)), {"shape": 3}),
            ]
        ),
    ),
]
