"""Generic suites over every record of the op registry (tests/specs/ops.py).

For each op: parity with PyTorch 2.13 (values, dtypes, shapes and every input gradient) in
float32 and float64 on Hypothesis-drawn inputs; a float64 finite-difference gradient check
with a random upstream gradient; a second-order check for smooth ops; and its error inputs.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import lamina as L
from specs.ops import OPS, OpSpec

TOL = {np.float32: {}, np.float64: {"rtol": 1e-10, "atol": 1e-12}}


@st.composite
def cases(draw: st.DrawFn, spec: OpSpec) -> tuple[Any, dict[str, Any], int]:
    shapes = draw(spec.shapes)
    return shapes, draw(spec.params(shapes)), draw(st.integers(0, 2**32 - 1))


def arrays(spec: OpSpec, shapes: Any, params: dict[str, Any], seed: int) -> tuple[list, tuple]:
    rng = np.random.default_rng(seed)
    floats = [rng.uniform(*spec.domain, size=s) for s in shapes]
    return floats, (spec.extra(rng, shapes, params) if spec.extra else ())


def outputs(out: Any) -> list[Any]:
    return list(out) if isinstance(out, (tuple, list)) else [out]


def float_outputs(out: Any) -> Any:
    """One tensor of every float output, flattened and joined (for gradient checks)."""
    outs = [o for o in outputs(out) if o.dtype.kind == "f"]
    return outs[0] if len(outs) == 1 else L.cat([o.reshape(-1) for o in outs])


def torch_dtype_name(t: torch.Tensor) -> str:
    return str(t.dtype).removeprefix("torch.")


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
@pytest.mark.parametrize("spec", OPS, ids=str)
@given(data=st.data())
def test_op_matches_torch(spec: OpSpec, dtype: type, data: st.DataObject) -> None:
    shapes, params, seed = data.draw(cases(spec))
    floats, extras = arrays(spec, shapes, params, seed)
    grad = spec.differentiable
    lt = [L.tensor(a.astype(dtype), requires_grad=grad) for a in floats]
    tt = [torch.tensor(a.astype(dtype), requires_grad=grad) for a in floats]
    lout = outputs(spec.lamina(*lt, *extras, **params))
    tout = outputs(spec.torch(*tt, *(torch.from_numpy(np.asarray(e)) for e in extras), **params))
    tol = TOL[dtype] or {"rtol": spec.rtol32, "atol": spec.atol32}
    assert len(lout) == len(tout)
    for lo, to in zip(lout, tout):
        assert lo.shape == tuple(to.shape), f"{spec.name}: shape {lo.shape} != {tuple(to.shape)}"
        assert str(lo.dtype) == torch_dtype_name(to), f"{spec.name}: dtype {lo.dtype} != {to.dtype}"
        np.testing.assert_allclose(lo.numpy(), to.detach().numpy(), **tol, err_msg=spec.name)
    if not grad:
        return
    rng = np.random.default_rng(seed + 1)
    pairs = [(lo, to) for lo, to in zip(lout, tout) if to.dtype.is_floating_point]
    vs = [rng.standard_normal(lo.shape).astype(dtype) for lo, _ in pairs]
    sum(
        ((lo * L.tensor(v)).sum() for (lo, _), v in zip(pairs, vs)), L.tensor(0.0, dtype=dtype)
    ).backward()
    sum((to * torch.from_numpy(v)).sum() for (_, to), v in zip(pairs, vs)).backward()
    for i, (a, b) in enumerate(zip(lt, tt)):
        expected = np.zeros(a.shape, dtype) if b.grad is None else b.grad.numpy()
        assert a.grad is not None, f"{spec.name}: input {i} got no gradient"
        assert a.grad.dtype == dtype, f"{spec.name}: gradient {i} has dtype {a.grad.dtype}"
        np.testing.assert_allclose(a.grad.numpy(), expected, **tol, err_msg=f"{spec.name} grad {i}")


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
