"""Op records of the everyday tensor functions PyTorch programs use.

sin, cos, pow, clone, contiguous, norm, tril, triu, roll, repeat, narrow, t, masked_fill,
topk, sort, cumsum, mm, bmm and einsum: each is checked for PyTorch parity of values and
gradients (float32 and float64) and against finite differences by the generic suites.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch
from hypothesis import strategies as st

import lamina as L
from lamina.errors import ShapeError
from specs.opspec import (
    ErrorCase,
    OpSpec,
    Shapes,
    bool_mask,
    broadcastable,
    dim_of,
    dim_params,
    fixed,
    multi_reduce_params,
    unary,
)


def _norm_torch(x: torch.Tensor, p: Any, dim: Any = None, keepdim: bool = False) -> Any:
    """PyTorch's vector norm (torch.norm sends 'fro' over 3 dims to matrix_norm, which refuses)."""
    return torch.linalg.vector_norm(x, 2 if p == "fro" else p, dim=dim, keepdim=keepdim)


def _norm_params(p: Any) -> Any:
    return lambda s: multi_reduce_params(s).map(lambda d: {"p": p, **d})


def _diagonal(shapes: Shapes) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({"diagonal": st.integers(-3, 3)})


def _roll_dims(shapes: Shapes) -> st.SearchStrategy[dict[str, Any]]:
    nd = len(shapes[0])
    dims = st.lists(st.integers(-nd, nd - 1), min_size=1, max_size=nd)
    return dims.flatmap(
        lambda ds: st.fixed_dictionaries(
            {
                "shifts": st.lists(st.integers(-5, 5), min_size=len(ds), max_size=len(ds)).map(
                    tuple
                ),
                "dims": st.just(tuple(ds)),
            }
        )
    )


def _repeat_sizes(shapes: Shapes) -> st.SearchStrategy[dict[str, Any]]:
    n = len(shapes[0]) + 1
    return st.fixed_dictionaries(
        {"sizes": st.lists(st.integers(1, 3), min_size=max(n - 1, 1), max_size=n).map(tuple)}
    )


@st.composite
def _narrow(draw: st.DrawFn, shapes: Shapes) -> dict[str, Any]:
    dim = draw(dim_of(shapes, allow_none=False))
    n = shapes[0][dim]
    start = draw(st.integers(-n, n - 1))
    length = draw(st.integers(0, n - start % n))
    return {"dim": dim, "start": start, "length": length}


@st.composite
def _topk(draw: st.DrawFn, shapes: Shapes) -> dict[str, Any]:
    dim = draw(dim_of(shapes, allow_none=False))
    k = draw(st.integers(1, shapes[0][dim]))
    return {"k": k, "dim": dim, "largest": draw(st.booleans())}


def _sort(shapes: Shapes) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "dim": dim_of(shapes, allow_none=False),
            "descending": st.booleans(),
            "stable": st.booleans(),
        }
    )


_sides = st.integers(1, 4)
_MM = st.tuples(_sides, _sides, _sides).map(lambda t: ((t[0], t[1]), (t[1], t[2])))
_BMM = st.tuples(_sides, _sides, _sides, _sides).map(
    lambda t: ((t[0], t[1], t[2]), (t[0], t[2], t[3]))
)

# equation, operand shapes: products, traces and diagonals, implicit outputs, ellipsis with
# broadcasting (also of a size-1 subscript), three operands
_EINSUM = [
    ("matmul", "ij,jk->ik", ((2, 3), (3, 4))),
    ("batched", "bij,bjk->bik", ((2, 3, 4), (2, 4, 2))),
    ("attention", "bhqd,bhkd->bhqk", ((2, 2, 3, 4), (2, 2, 5, 4))),
    ("diagonal", "ii->i", ((3, 3),)),
    ("trace_implicit", "ii", ((3, 3),)),
    ("outer_implicit", "i,j", ((3,), (4,))),
    ("transpose_implicit", "ba", ((2, 3),)),
    ("case_order_implicit", "ba,Ab", ((2, 3), (4, 2))),
    ("sum_all", "ij->", ((2, 3),)),
    ("sum_one_operand_only", "ij,j->j", ((2, 3), (3,))),
    ("ellipsis_broadcast", "...ij,...jk", ((2, 1, 2, 3), (5, 3, 4))),
    ("ellipsis_explicit", "...ij,...jk->...ik", ((2, 3, 4), (4, 2))),
    ("label_broadcast", "ij,jk->ik", ((2, 1), (3, 4))),
    ("three_operands", "ijk,ikl,il->jl", ((2, 3, 4), (2, 4, 2), (2, 2))),
    ("diagonal_times", "iij,j->ij", ((3, 3, 2), (2,))),
]


def _einsum_record(name: str, equation: str, shapes: tuple[tuple[int, ...], ...]) -> OpSpec:
    return OpSpec(
        f"einsum_{name}",
        lambda *xs: L.einsum(equation, *xs),
        lambda *xs: torch.einsum(equation, *xs),
        fixed(*shapes),
        covers=("einsum",) if name == "matmul" else (),
    )


_E_MM = ErrorCase(
    (np.zeros((2, 3, 4)), np.zeros((4, 5))), ShapeError, r"mm: expected two 2-D tensors"
)
_E_BMM = ErrorCase(
    (np.zeros((2, 3, 4)), np.zeros((3, 4, 5))), ShapeError, r"bmm: batch sizes differ"
)
_E_EINSUM = ErrorCase(
    (np.zeros((2, 3)), np.zeros((4, 5))),
    ShapeError,
    r"einsum: subscript 'j' has size 3 and size 4",
)
_E_NORM = ErrorCase((np.zeros((2, 3)),), ValueError, r"norm: p must be one of", {"p": 3})
_E_T = ErrorCase((np.zeros((2, 3, 4)),), ShapeError, r"t: expected a tensor with at most 2")
_E_TOPK = ErrorCase(
    (np.zeros((2, 3)),), ShapeError, r"topk: k must be an int in \[0, 3\]", {"k": 4}
)
_E_REPEAT = ErrorCase(
    (np.zeros((2, 3)),), ShapeError, r"repeat: expected at least 2 repeat sizes", {"sizes": (2,)}
)

OPS: list[OpSpec] = [
    OpSpec("sin", L.sin, torch.sin, unary(), domain=(-4.0, 4.0)),
    OpSpec("cos", L.cos, torch.cos, unary(), domain=(-4.0, 4.0)),
    OpSpec("sin_method", lambda x: x.sin().cos(), lambda x: x.sin().cos(), unary()),
    OpSpec("pow_function", L.pow, torch.pow, broadcastable(2), domain=(0.5, 2.0)),
    OpSpec("pow_method", lambda x: x.pow(3), lambda x: x.pow(3), unary()),
    OpSpec("clone", lambda x: L.clone(x) * 2, lambda x: torch.clone(x) * 2, unary()),
    OpSpec(
        "contiguous",
        lambda x: x.transpose(0, -1).contiguous(),
        lambda x: x.transpose(0, -1).contiguous(),
        unary(1),
    ),
    OpSpec("norm_2", L.norm, _norm_torch, unary(), _norm_params(2), covers=("norm",)),
    OpSpec("norm_fro", lambda x, **p: x.norm(**p), _norm_torch, unary(), _norm_params("fro")),
    OpSpec(
        "norm_1",
        L.norm,
        _norm_torch,
        unary(),
        _norm_params(1),
        second_order=False,
        errors=(_E_NORM,),
    ),
    OpSpec("norm_inf", L.norm, _norm_torch, unary(), _norm_params(math.inf), second_order=False),
    OpSpec(
        "norm_minus_inf",
        L.norm,
        _norm_torch,
        unary(),
        _norm_params(-math.inf),
        # min |x| near 0 sits on the kink of |x|, where finite differences straddle it (a
        # drawn 8.8e-7 did): positive inputs keep the check on the smooth side
        domain=(0.05, 2.0),
        second_order=False,
    ),
    OpSpec("tril", L.tril, torch.tril, unary(2, 3), _diagonal),
    OpSpec("triu", lambda x, **p: x.triu(**p), torch.triu, unary(2, 3), _diagonal),
    OpSpec("roll_flat", lambda x: L.roll(x, 2), lambda x: torch.roll(x, 2), unary()),
    OpSpec("roll_dims", L.roll, torch.roll, unary(1), _roll_dims, covers=("roll",)),
    OpSpec(
        "argsort",
        lambda x, **p: x.argsort(**p),
        torch.argsort,
        unary(1),
        _sort,
        differentiable=False,
    ),
    OpSpec(
        "repeat",
        lambda x, sizes: x.repeat(*sizes),
        lambda x, sizes: x.repeat(*sizes),
        unary(0, 2),
        _repeat_sizes,
        errors=(_E_REPEAT,),
    ),
    OpSpec("narrow", L.narrow, torch.narrow, unary(1), _narrow),
    OpSpec("t", L.t, torch.t, unary(0, 2), errors=(_E_T,)),
    OpSpec(
        "masked_fill",
        lambda x, m: x.masked_fill(m, 0.5),
        lambda x, m: x.masked_fill(m, 0.5),
        unary(),
        extra=bool_mask,
    ),
    OpSpec("topk", L.topk, torch.topk, unary(1), _topk, errors=(_E_TOPK,)),
    OpSpec("sort", L.sort, torch.sort, unary(1), _sort),
    OpSpec("cumsum", L.cumsum, torch.cumsum, unary(1), dim_params),
    OpSpec("cumsum_method", lambda x, dim: x.cumsum(dim), torch.cumsum, unary(1), dim_params),
    OpSpec("mm", L.mm, torch.mm, _MM, errors=(_E_MM,)),
    OpSpec("bmm", lambda a, b: a.bmm(b), torch.bmm, _BMM, errors=(_E_BMM,)),
    OpSpec(
        "einsum_error",
        lambda a, b: L.einsum("ij,jk->ik", a, b),
        lambda a, b: torch.einsum("ij,jk->ik", a, b),
        fixed((2, 3), (3, 4)),
        errors=(_E_EINSUM,),
    ),
    *(_einsum_record(*case) for case in _EINSUM),
]
