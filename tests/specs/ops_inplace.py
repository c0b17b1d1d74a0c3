"""Op records of the in-place ops, run on a non-leaf (``x * 1``) so the change is recorded.

add_, sub_ (with alpha), mul_, div_, pow_, clamp_, copy_, fill_, zero_, masked_fill_,
``t[index] = v`` (setitem and Tensor.__setitem__), index_put (its out-of-place form) and
update_ (the machinery every one of them is built on): values and gradients equal PyTorch's
in-place ops on the same graph. Leaves, views, version counters and the random fills are
tested in tests/autodiff/test_inplace.py.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import lamina as L
from specs.opspec import OpSpec, Shapes, bool_mask, fixed, same, unary

O = L.ops


def _rows(rng: np.random.Generator, shapes: Shapes, params: dict[str, Any]) -> tuple:
    """Distinct row indices, as many as the value has rows (repeats would make PyTorch guess)."""
    return (rng.permutation(shapes[0][0])[: shapes[1][0]],)


def _setitem(x: Any, v: Any, i: Any) -> Any:
    t = x * 1
    t[i] = v
    return t


def _setitem_method(x: Any, v: Any) -> Any:
    t = x * 1
    t[1:, ::2] = v
    return t


OPS: list[OpSpec] = [
    OpSpec(
        "add_",
        lambda x, y: O.add_(x * 1, y, alpha=2.0),
        lambda x, y: (x * 1).add_(y, alpha=2.0),
        same(2),
    ),
    OpSpec(
        "sub_",
        lambda x, y: (x * 1).sub_(y, alpha=0.5),
        lambda x, y: (x * 1).sub_(y, alpha=0.5),
        same(2),
    ),
    OpSpec("mul_", lambda x, y: O.mul_(x * 1, y), lambda x, y: (x * 1).mul_(y), same(2)),
    OpSpec(
        "div_",
        lambda x, y: (x * 1).div_(y),
        lambda x, y: (x * 1).div_(y),
        same(2),
        domain=(0.5, 2.0),
    ),
    OpSpec("pow_", lambda x: O.pow_(x * 1, 3), lambda x: (x * 1).pow_(3), unary()),
    OpSpec(
        "clamp_",
        lambda x: (x * 1).clamp_(-0.5, 0.7),
        lambda x: (x * 1).clamp_(-0.5, 0.7),
        unary(),
        second_order=False,
    ),
    OpSpec("copy_", lambda x, y: O.copy_(x * 1, y) + x, lambda x, y: (x * 1).copy_(y) + x, same(2)),
    OpSpec("fill_", lambda x: (x * 1).fill_(0.5) * x, lambda x: (x * 1).fill_(0.5) * x, unary()),
    OpSpec("zero_", lambda x: O.zero_(x * 1) + x, lambda x: (x * 1).zero_() + x, unary()),
    OpSpec(
        "masked_fill_",
        lambda x, m: O.masked_fill_(x * 1, m, 0.5),
        lambda x, m: (x * 1).masked_fill_(m, 0.5),
        unary(),
        extra=bool_mask,
    ),
    OpSpec(
        "setitem",
        _setitem,
        _setitem,
        fixed((5, 3), (2, 3)),
        extra=_rows,
        covers=("__setitem__",),
    ),
    OpSpec("setitem_slices", _setitem_method, _setitem_method, fixed((3, 4), (2, 2))),
    OpSpec(
        "index_put",
        lambda x, v, i: O.index_put(x, i, v),
        lambda x, v, i: x.index_put((i,), v),
        fixed((5, 3), (2, 3)),
        extra=_rows,
    ),
    OpSpec(
        "update_",
        lambda x: O.update_("twice_", x * 1, lambda t: t * 2),
        lambda x: (x * 1).mul_(2),
        unary(),
    ),
]
