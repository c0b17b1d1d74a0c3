"""Op records of attention and the Transformer's activation: scaled_dot_product_attention
(plain, causal, scaled, 4-D batches, bool and float masks) and gelu (exact and tanh).

Each is checked for PyTorch parity of values and gradients (float32 and float64), against
finite differences (first and second order), and for its error inputs by the generic suites.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
import torch.nn.functional as TF
from hypothesis import strategies as st

import lamina.nn.functional as F
from lamina.errors import ShapeError
from specs.opspec import ErrorCase, OpSpec, fixed, grid, listed, unary

QKV = ((2, 3, 4), (2, 5, 4), (2, 5, 3))  # query (N, L, E), key (N, S, E), value (N, S, Ev)
QKV4 = ((2, 2, 3, 2), (2, 1, 4, 2), (1, 2, 4, 3))  # leading batch dims that broadcast


def _torch_sdpa(q: Any, k: Any, v: Any, m: Any = None, **kw: Any) -> Any:
    if m is not None and m.dtype != torch.bool:
        m = m.to(q.dtype)  # torch wants a float mask in the query's dtype
    return TF.scaled_dot_product_attention(q, k, v, attn_mask=m, **kw)


def _lamina_sdpa(q: Any, k: Any, v: Any, m: Any = None, **kw: Any) -> Any:
    return F.scaled_dot_product_attention(q, k, v, attn_mask=m, **kw)


def _bool_mask(rng: np.random.Generator, shapes: Any, params: dict) -> tuple:
    m = rng.random((shapes[0][-2], shapes[1][-2])) < 0.6
    m[:, 0] = True  # every query keeps one key: a fully masked row is NaN in PyTorch too
    return (m,)


def _float_mask(rng: np.random.Generator, shapes: Any, params: dict) -> tuple:
    return (rng.standard_normal((shapes[0][0], shapes[0][-2], shapes[1][-2])),)


_E_SHAPE = ErrorCase(
    (np.zeros((2, 3, 4)), np.zeros((2, 5, 3)), np.zeros((2, 5, 3))),
    ShapeError,
    r"scaled_dot_product_attention: expected query \(\.\.\., L, E\), key \(\.\.\., S, E\)",
)
_E_BOTH = ErrorCase(
    (np.zeros((3, 4)), np.zeros((3, 4)), np.zeros((3, 4))),
    ValueError,
    r"scaled_dot_product_attention: give attn_mask or is_causal, not both",
    {"m": np.ones((3, 3), bool), "is_causal": True},
)

OPS = [
    OpSpec(
        "scaled_dot_product_attention",
        _lamina_sdpa,
        _torch_sdpa,
        **listed(
            [((QKV), p) for p in grid(is_causal=[False, True], scale=[None, 0.7])]
            + [(QKV4, {}), (QKV4, {"is_causal": True})]
        ),
        errors=(_E_SHAPE, _E_BOTH),
    ),
    OpSpec(
        "scaled_dot_product_attention_bool_mask",
        _lamina_sdpa,
        _torch_sdpa,
        fixed(*QKV),
        extra=_bool_mask,
    ),
    OpSpec(
        "scaled_dot_product_attention_float_mask",
        _lamina_sdpa,
        _torch_sdpa,
        fixed(*QKV),
        extra=_float_mask,
    ),
    OpSpec(
        "gelu",
        F.gelu,
        TF.gelu,
        unary(),
        lambda s: st.fixed_dictionaries({"approximate": st.sampled_from(["none", "tanh"])}),
        domain=(-4.0, 4.0),
        errors=(
            ErrorCase(
                (np.zeros(3),),
                ValueError,
                r"gelu: approximate must be one of 'none', 'tanh', got 'erf'",
                {"approximate": "erf"},
            ),
        ),
    ),
]
