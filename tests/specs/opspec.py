"""What an op record is, and the strategies records draw their shapes and inputs from.

A record names the lamina callable and its PyTorch twin, the shapes of its float inputs
(a Hypothesis strategy), extra parameters drawn per shape, the input domain (kept off kinks
and poles), extra non-differentiable inputs (targets, indices) and the error cases. A record
covers the exported op or Tensor method of its own name and those it lists in ``covers``.
A record built with ``listed(...)`` has a fixed list of cases (a grid of arguments), and the
parity suite runs every one of them instead of a Hypothesis sample.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, mutually_broadcastable_shapes

Shapes = tuple[tuple[int, ...], ...]


@dataclass(frozen=True)
class ErrorCase:
    """Inputs (as NumPy arrays, plus params) that must raise ``exc`` matching ``match``."""

    arrays: tuple[Any, ...]
    exc: type[BaseException]
    match: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class OpSpec:
    name: str
    lamina: Callable[..., Any]
    torch: Callable[..., Any]
    shapes: st.SearchStrategy[Shapes]
    params: Callable[[Shapes], st.SearchStrategy[dict[str, Any]]] = lambda s: st.just({})
    domain: tuple[float, float] = (-2.0, 2.0)
    extra: (
        Callable[[np.random.Generator, Shapes, dict[str, Any]], tuple[np.ndarray, ...]] | None
    ) = None
    differentiable: bool = True
    second_order: bool = True
    rtol32: float = 1e-4
    atol32: float = 1e-5
    errors: tuple[ErrorCase, ...] = ()
    covers: tuple[str, ...] = ()
    cases: tuple[tuple[Shapes, dict[str, Any]], ...] = ()

    def __repr__(self) -> str:
        return self.name


# ------------------------------------------------------------------ shape strategies
def unary(min_dims: int = 0, max_dims: int = 3, max_side: int = 4) -> st.SearchStrategy[Shapes]:
    return array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=1, max_side=max_side).map(
        lambda s: (s,)
    )


def broadcastable(n: int, max_dims: int = 3) -> st.SearchStrategy[Shapes]:
    return mutually_broadcastable_shapes(
        num_shapes=n, max_dims=max_dims, min_side=1, max_side=4
    ).map(lambda r: r.input_shapes)


def gufunc(signature: str) -> st.SearchStrategy[Shapes]:
    return mutually_broadcastable_shapes(
        signature=signature, max_dims=2, min_side=1, max_side=4
    ).map(lambda r: r.input_shapes)


def same(n: int, min_dims: int = 1, max_dims: int = 3) -> st.SearchStrategy[Shapes]:
    return array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=1, max_side=4).map(
        lambda s: (s,) * n
    )


def fixed(*shapes: tuple[int, ...]) -> st.SearchStrategy[Shapes]:
    return st.just(tuple(shapes))


def listed(cases: Sequence[tuple[Shapes, dict[str, Any]]]) -> dict[str, Any]:
    """A record's ``shapes``, ``params`` and ``cases`` from a list of (shapes, params) cases."""
    by_shapes: dict[Shapes, list[dict[str, Any]]] = {}
    for shapes, params in cases:
        by_shapes.setdefault(shapes, []).append(params)
    return {
        "shapes": st.sampled_from(list(by_shapes)),
        "params": lambda s: st.sampled_from(by_shapes[s]),
        "cases": tuple(cases),
    }


def grid(**axes: Sequence[Any]) -> list[dict[str, Any]]:
    """Every combination of the named argument values, as keyword dicts."""
    return [dict(zip(axes, values)) for values in itertools.product(*axes.values())]


# ------------------------------------------------------------------ parameter strategies
def dim_of(shapes: Shapes, allow_none: bool = True) -> st.SearchStrategy[Any]:
    nd = len(shapes[0])
    choices: st.SearchStrategy[Any] = st.integers(-nd, nd - 1) if nd else st.just(None)
    return st.one_of(st.none(), choices) if allow_none else choices


def reduce_params(shapes: Shapes) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({"dim": dim_of(shapes), "keepdim": st.booleans()})


def multi_reduce_params(shapes: Shapes) -> st.SearchStrategy[dict[str, Any]]:
    """Reductions over None or a tuple of dims (an integer dim makes max return indices)."""
    nd = len(shapes[0])
    dims = st.lists(st.integers(0, nd - 1), min_size=1, max_size=nd, unique=True).map(tuple)
    dim = st.one_of(st.none(), dims) if nd else st.none()
    return st.fixed_dictionaries({"dim": dim, "keepdim": st.booleans()})


def dim_params(shapes: Shapes) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({"dim": dim_of(shapes, allow_none=False)})


def _torch_reduce(fn: Callable[..., Any]) -> Callable[..., Any]:
    """PyTorch's reductions want no ``dim`` argument at all for 'every dim'."""

    def call(x: torch.Tensor, dim: Any = None, keepdim: bool = False, **kw: Any) -> Any:
        if dim is None:
            out = fn(x, **kw)
            return out.reshape((1,) * x.ndim) if keepdim else out
        return fn(x, dim=dim, keepdim=keepdim, **kw)

    return call


# ------------------------------------------------------------------ extra inputs
def class_targets(rng: np.random.Generator, shapes: Shapes, params: dict[str, Any]) -> tuple:
    n, c = shapes[0][0], shapes[0][1]
    t = rng.integers(0, c, size=(n, *shapes[0][2:]))
    if params.get("ignore_index", -100) != -100 and t.size > 1:
        t.flat[0] = params["ignore_index"]
    return (t,)


def prob_targets(rng: np.random.Generator, shapes: Shapes, params: dict[str, Any]) -> tuple:
    p = rng.random(shapes[0]) + 0.1
    return ((p / p.sum(axis=1, keepdims=True)),)


def binary_targets(rng: np.random.Generator, shapes: Shapes, params: dict[str, Any]) -> tuple:
    return (rng.random(shapes[0]),)


def bool_mask(rng: np.random.Generator, shapes: Shapes, params: dict[str, Any]) -> tuple:
    return (rng.random(shapes[0]) > 0.5,)


def gather_index(rng: np.random.Generator, shapes: Shapes, params: dict[str, Any]) -> tuple:
    shape, d = shapes[0], params["dim"] % len(shapes[0])
    out = tuple(max(1, n - 1) if i != d else n + 1 for i, n in enumerate(shape))
    return (rng.integers(0, shape[d], size=out),)


def repeated_rows(rng: np.random.Generator, shapes: Shapes, params: dict[str, Any]) -> tuple:
    return (rng.integers(0, shapes[0][0], size=7),)


def where_cond(rng: np.random.Generator, shapes: Shapes, params: dict[str, Any]) -> tuple:
    return (rng.random(np.broadcast_shapes(*shapes)) > 0.5,)
