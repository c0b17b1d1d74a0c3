"""Op records of the factories: the tensor each makes equals PyTorch's (values, shape, dtype).

arange, linspace, logspace, eye, full, zeros, ones, empty (lamina's values are zeros, so it is
compared with torch.zeros), the *_like and new_* factories, as_tensor and from_numpy. They take
no float input to differentiate, so only the parity suite runs them (``differentiable=False``).
device=, requires_grad= and the size errors are tested in tests/autodiff/test_everyday.py.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

import lamina as L
from specs.opspec import OpSpec, Shapes, fixed, listed, unary

O = L.ops


def _options(*choices: dict[str, Any]) -> dict[str, Any]:
    """Every one of the argument sets is run (no float input: nothing to draw)."""
    return listed([((), c) for c in choices])


def _factory(name: str, cases: dict[str, Any], lamina: Any = None, twin: Any = None) -> OpSpec:
    """A record of a factory (lamina.ops.<name> and torch.<name> unless given)."""
    return OpSpec(
        name,
        lamina or getattr(O, name),
        twin or getattr(torch, name),
        differentiable=False,
        **cases,
    )


def _new(name: str, *args: Any, twin: str | None = None) -> OpSpec:
    return OpSpec(
        name,
        lambda x: getattr(x, name)(*args),
        lambda x: getattr(x, twin or name)(*args),
        unary(),
        differentiable=False,
    )


def _array(rng: np.random.Generator, shapes: Shapes, params: dict[str, Any]) -> tuple:
    return (rng.standard_normal((2, 3)),)


_SIZE = [{"size": (2, 3)}, {"size": (4,)}, {"size": (1, 2, 1)}]


def _sized(fn: Any) -> Any:
    return lambda size, **kw: fn(*size, **kw)


_ARANGE = _options(
    {"args": (5,)},
    {"args": (1, 7, 2)},
    {"args": (0.5, 2.0, 0.25)},
    {"args": (3, -2.5, -0.5)},
    {"args": (0, 4), "dtype": np.float64},
)

OPS: list[OpSpec] = [
    _factory(
        "arange",
        _ARANGE,
        lambda args, **kw: O.arange(*args, **kw),
        lambda args, dtype=None: torch.arange(*args, dtype=_torch_dtype(dtype)),
    ),
    _factory(
        "linspace",
        _options({"start": -1.0, "end": 2.0, "steps": 7}, {"start": 0, "end": 1, "steps": 1}),
    ),
    _factory(
        "logspace",
        _options(
            {"start": -1.0, "end": 2.0, "steps": 5}, {"start": 0, "end": 3, "steps": 4, "base": 2.0}
        ),
    ),
    _factory("eye", _options({"n": 3}, {"n": 2, "m": 4})),
    _factory(
        "full",
        _options({"size": (2, 3), "fill_value": 1.5}, {"size": (2,), "fill_value": -2.0}),
        lambda size, fill_value: O.full(size, fill_value),
    ),
    _factory("zeros", _options(*_SIZE), _sized(O.zeros), _sized(torch.zeros)),
    _factory("ones", _options(*_SIZE), _sized(O.ones), _sized(torch.ones)),
    _factory("empty", _options(*_SIZE), _sized(O.empty), _sized(torch.zeros)),
    _factory(
        "as_tensor", _options({"data": [1.0, 2.5]}, {"data": [[1, 2], [3, 4]]}, {"data": 3.0})
    ),
    OpSpec("zeros_like", O.zeros_like, torch.zeros_like, unary(), differentiable=False),
    OpSpec("ones_like", O.ones_like, torch.ones_like, unary(), differentiable=False),
    _new("new_zeros", 2, 3),
    _new("new_ones", (4,)),
    _new("new_empty", 3, twin="new_zeros"),
    _new("new_full", (2, 2), 0.25),
    _new("new_tensor", [[1.0, 2.0]]),
    OpSpec(
        "from_numpy",
        O.from_numpy,
        lambda t: torch.from_numpy(t.numpy()),  # the parity suite hands PyTorch a tensor
        fixed(),
        extra=_array,
        differentiable=False,
    ),
]


def _torch_dtype(dtype: Any) -> Any:
    return None if dtype is None else getattr(torch, np.dtype(dtype).name)
