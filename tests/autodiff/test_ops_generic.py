"""Generic suites over every record of the op registry (tests/specs/ops.py).

For each op: parity with PyTorch 2.13 (values, dtypes, shapes and every input gradient) in
float32 and float64 on Hypothesis-drawn inputs (or on every case of a record with a listed
grid of arguments); a float64 finite-difference gradient check
with a random upstream gradient; a second-order check for smooth ops; and its error inputs.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lamina as L
from specs.ops import OPS, OpSpec
from specs.parity import TOL, assert_matches_torch, outputs, random_upstream


@st.composite
def cases(draw: st.DrawFn, spec: OpSpec) -> tuple[Any, dict[str, Any], int]:
    shapes = draw(spec.shapes)
    return shapes, draw(spec.params(shapes)), draw(st.integers(0, 2**32 - 1))


def arrays(spec: OpSpec, shapes: Any, params: dict[str, Any], seed: int) -> tuple[list, tuple]:
    rng = np.random.default_rng(seed)
    floats = [rng.uniform(*spec.domain, size=s) for s in shapes]
    return floats, (spec.extra(rng, shapes, params) if spec.extra else ())


def float_outputs(out: Any) -> Any:
    """One tensor of every float output, flattened and joined (for gradient checks)."""
    outs = [o for o in outputs(out) if o.dtype.kind == "f"]
    return outs[0] if len(outs) == 1 else L.cat([o.reshape(-1) for o in outs])


def _tol(spec: OpSpec, dtype: type) -> dict[str, float]:
    return {"rtol": spec.rtol32, "atol": spec.atol32} if dtype == np.float32 else TOL[dtype]


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
@pytest.mark.parametrize("spec", [s for s in OPS if not s.cases], ids=str)
@given(data=st.data())
def test_op_matches_torch(spec: OpSpec, dtype: type, data: st.DataObject) -> None:
    shapes, params, seed = data.draw(cases(spec))
    _check_parity(spec, dtype, shapes, params, seed)


LISTED = [(spec, i) for spec in OPS for i in range(len(spec.cases))]


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
@pytest.mark.parametrize("spec,index", LISTED, ids=[f"{s.name}-{s.cases[i][1]}" for s, i in LISTED])
def test_op_matches_torch_on_every_listed_case(spec: OpSpec, index: int, dtype: type) -> None:
    shapes, params = spec.cases[index]
    _check_parity(spec, dtype, shapes, params, seed=index)


def _check_parity(spec: OpSpec, dtype: type, shapes: Any, params: dict, seed: int) -> None:
    floats, extras = arrays(spec, shapes, params, seed)
    assert_matches_torch(
        lambda *xs: spec.lamina(*xs, **params),
        lambda *xs: spec.torch(*xs, **params),
        floats,
        dtype,
        extras,
        tol=_tol(spec, dtype),
        grad=spec.differentiable,
        upstream=random_upstream(seed + 1),
        name=spec.name,
    )


DIFFERENTIABLE = [s for s in OPS if s.differentiable]


@pytest.mark.parametrize("spec", DIFFERENTIABLE, ids=str)
@settings(max_examples=4)
@given(data=st.data())
def test_op_gradient_matches_finite_differences(spec: OpSpec, data: st.DataObject) -> None:
    shapes, params, seed = data.draw(cases(spec))
    floats, extras = arrays(spec, shapes, params, seed)
    xs = [L.tensor(a, requires_grad=True) for a in floats]
    assert L.gradcheck(lambda *t: float_outputs(spec.lamina(*t, *extras, **params)), xs)


@pytest.mark.parametrize("spec", [s for s in DIFFERENTIABLE if s.second_order], ids=str)
@settings(max_examples=3)
@given(data=st.data())
def test_op_second_derivative_matches_finite_differences(spec: OpSpec, data: st.DataObject) -> None:
    shapes, params, seed = data.draw(cases(spec))
    floats, extras = arrays(spec, shapes, params, seed)
    xs = [L.tensor(a, requires_grad=True) for a in floats]
    assert L.gradgradcheck(lambda *t: float_outputs(spec.lamina(*t, *extras, **params)), xs)


ERRORS = [(spec, case) for spec in OPS for case in spec.errors]


@pytest.mark.parametrize(
    "spec,case", ERRORS, ids=[f"{s.name}-{i}" for i, (s, _) in enumerate(ERRORS)]
)
def test_op_rejects_bad_input_with_clear_error(spec: OpSpec, case: Any) -> None:
    with pytest.raises(case.exc, match=case.match):
        spec.lamina(*(L.tensor(a) for a in case.arrays), **case.params)
