"""The one PyTorch-parity comparison every suite uses: values, dtypes, shapes and gradients.

``assert_matches_torch`` runs a lamina function and its PyTorch twin on the same float
inputs (as leaves that require grad), checks every output's shape, dtype and values, then
back-propagates the same upstream gradient v through both, sum_k <out_k, v_k> over the float
outputs, and checks every input's gradient (zero where PyTorch gives none). NaN and inf must
sit in the same places (``numpy.testing.assert_allclose`` compares them by position).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch

import lamina as L

# float32: a few ulps of a short sum; float64: what reordered float64 sums keep
TOL: dict[type, dict[str, float]] = {
    np.float32: {"rtol": 1e-4, "atol": 1e-5},
    np.float64: {"rtol": 1e-10, "atol": 1e-12},
}


def outputs(out: Any) -> list[Any]:
    """An op's outputs as a list (a tuple or list of tensors, or one tensor)."""
    return list(out) if isinstance(out, (tuple, list)) else [out]


def random_upstream(seed: int) -> Callable[[tuple[int, ...], type], np.ndarray]:
    """Upstream gradients drawn from N(0, 1) with a fixed seed."""
    rng = np.random.default_rng(seed)
    return lambda shape, dtype: rng.standard_normal(shape).astype(dtype)


def assert_matches_torch(
    lamina_fn: Callable[..., Any],
    torch_fn: Callable[..., Any],
    floats: Sequence[np.ndarray],
    dtype: type,
    extras: Sequence[Any] = (),
    *,
    tol: dict[str, float] | None = None,
    grad: bool = True,
    upstream: Callable[[tuple[int, ...], type], np.ndarray] | None = None,
    name: str = "",
) -> tuple[list[Any], list[Any]]:
    """Assert lamina_fn(*floats, *extras) equals torch_fn(...) in values and input gradients.

    ``floats`` become leaf tensors of ``dtype``; ``extras`` (targets, indices, masks) are
    passed as they are to lamina and as ``torch.from_numpy`` arrays to PyTorch. Returns both
    lists of outputs for further checks.
    """
    tol = TOL[dtype] if tol is None else tol
    arrays = [np.asarray(a).astype(dtype) for a in floats]
    lt = [L.tensor(a, requires_grad=grad) for a in arrays]
    tt = [torch.tensor(a, requires_grad=grad) for a in arrays]
    lout = outputs(lamina_fn(*lt, *extras))
    tout = outputs(torch_fn(*tt, *(torch.from_numpy(np.asarray(e)) for e in extras)))
    assert len(lout) == len(tout), f"{name}: {len(lout)} outputs, PyTorch gives {len(tout)}"
    for i, (lo, to) in enumerate(zip(lout, tout)):
        assert lo.shape == tuple(to.shape), f"{name}: shape {lo.shape} != {tuple(to.shape)}"
        tname = str(to.dtype).removeprefix("torch.")
        assert str(lo.dtype) == tname, f"{name}: output {i} dtype {lo.dtype} != {tname}"
        np.testing.assert_allclose(
            lo.numpy(), to.detach().numpy(), **tol, err_msg=f"{name} output {i}"
        )
    if not grad:
        return lout, tout
    draw = upstream or random_upstream(0)
    pairs = [(lo, to) for lo, to in zip(lout, tout) if to.dtype.is_floating_point]
    vs = [draw(lo.shape, dtype) for lo, _ in pairs]
    lsum = sum(((lo * L.tensor(v)).sum() for (lo, _), v in zip(pairs, vs)), L.tensor(0.0, dtype))
    lsum.backward()
    sum((to * torch.from_numpy(v)).sum() for (_, to), v in zip(pairs, vs)).backward()
    for i, (a, b) in enumerate(zip(lt, tt)):
        expected = np.zeros(a.shape, dtype) if b.grad is None else b.grad.numpy()
        assert a.grad is not None, f"{name}: input {i} got no gradient"
        assert a.grad.dtype == dtype, f"{name}: gradient {i} has dtype {a.grad.dtype}"
        np.testing.assert_allclose(a.grad.numpy(), expected, **tol, err_msg=f"{name} grad {i}")
    return lout, tout
