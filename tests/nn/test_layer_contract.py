"""One contract over every layer record (tests/specs/layers*.py).

Each layer: parameter and state names and shapes equal PyTorch's; with PyTorch's weights
copied in, the same outputs, input gradients and parameter gradients in float64 (tight) and
float32 (loose), in train and eval mode, and the same buffers afterwards; every parameter
receives a gradient; the state survives save/load; a wrong input names the layer.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

import lamina as L
from specs.layers import LayerSpec, all_layers, flat_outputs

LAYERS = all_layers()
TOL = {np.float64: {"rtol": 1e-9, "atol": 1e-11}}


def twins(spec: LayerSpec, dtype: type) -> tuple[Any, Any]:
    torch.manual_seed(0)
    tm = spec.torch().to(torch.float64 if dtype == np.float64 else torch.float32)
    lm = spec.lamina().to(dtype)
    lm.load_state_dict({k: v.detach().numpy() for k, v in tm.state_dict().items()})
    return lm, tm


def run(spec: LayerSpec, dtype: type, train: bool) -> tuple[tuple, tuple]:
    lm, tm = twins(spec, dtype)
    lm.train(train)
    tm.train(train)
    arrays = spec.inputs(np.random.default_rng(1))
    lin = [
        L.tensor(a.astype(dtype), requires_grad=True) if a.dtype.kind == "f" else L.tensor(a)
        for a in arrays
    ]
    tin = [
        torch.tensor(a.astype(dtype), requires_grad=True)
        if a.dtype.kind == "f"
        else torch.tensor(a)
        for a in arrays
    ]
    lout, tout = flat_outputs(lm(*lin)), flat_outputs(tm(*tin))
    return (lm, lin, lout), (tm, tin, tout)


@pytest.mark.parametrize("spec", LAYERS, ids=str)
def test_layer_names_and_shapes_match_torch(spec: LayerSpec) -> None:
    lm, tm = spec.lamina(), spec.torch()
    assert [(n, p.shape) for n, p in lm.named_parameters()] == [
        (n, tuple(p.shape)) for n, p in tm.named_parameters()
    ]
    assert [(k, v.shape) for k, v in lm.state_dict().items()] == [
        (k, tuple(v.shape)) for k, v in tm.state_dict().items()
    ]


# Stochastic layers (dropout) are random in training mode: compared in eval mode only here;
# their training-mode statistics are tested in test_dropout.py.
PARITY = [
    pytest.param(
        spec, dtype, train, id=f"{spec.name}-{dtype.__name__}-{'train' if train else 'eval'}"
    )
    for spec in LAYERS
    for dtype in (np.float32, np.float64)
    for train in (True, False)
    if not (spec.stochastic and train)
]


@pytest.mark.parametrize("spec,dtype,train", PARITY)
def test_layer_matches_torch_with_copied_weights(spec: LayerSpec, dtype: type, train: bool) -> None:
    (lm, lin, lout), (tm, tin, tout) = run(spec, dtype, train)
    tol = TOL.get(dtype, {"rtol": spec.rtol32, "atol": spec.atol32})
    assert len(lout) == len(tout)
    for lo, to in zip(lout, tout):
        assert lo.shape == tuple(to.shape) and str(lo.dtype) == str(to.dtype).removeprefix("torch.")
        np.testing.assert_allclose(
            lo.numpy(), to.detach().numpy(), **tol, err_msg=f"{spec.name} output"
        )
    rng = np.random.default_rng(2)
    pairs = [
        (lo, to) for lo, to in zip(lout, tout) if to.dtype.is_floating_point and to.requires_grad
    ]
    if not pairs:
        return
    vs = [rng.standard_normal(lo.shape).astype(dtype) for lo, _ in pairs]
    sum((lo * L.tensor(v)).sum() for (lo, _), v in zip(pairs, vs)).backward()
    sum((to * torch.from_numpy(v)).sum() for (_, to), v in zip(pairs, vs)).backward()
    for i, (a, b) in enumerate(zip(lin, tin)):
        if b.grad is not None:
            np.testing.assert_allclose(
                a.grad.numpy(), b.grad.numpy(), **tol, err_msg=f"{spec.name} input grad {i}"
            )
    tgrads = {n: p.grad for n, p in tm.named_parameters()}
    for n, p in lm.named_parameters():
        assert p.grad is not None, f"{spec.name}: parameter {n} received no gradient"
        np.testing.assert_allclose(
            p.grad.numpy(), tgrads[n].numpy(), **tol, err_msg=f"{spec.name} grad {n}"
        )
    for k, v in tm.state_dict().items():  # running statistics after the step
        np.testing.assert_allclose(
            lm.state_dict()[k], v.numpy(), **tol, err_msg=f"{spec.name} state {k}"
        )


@pytest.mark.parametrize("spec", LAYERS, ids=str)
def test_layer_state_survives_save_and_load(spec: LayerSpec, tmp_path: Path) -> None:
    lm = spec.lamina()
    L.save(lm.state_dict(), tmp_path / "layer.npz")
    fresh = spec.lamina()
    fresh.load_state_dict(L.load(tmp_path / "layer.npz"))
    for (k, a), (k2, b) in zip(lm.state_dict().items(), fresh.state_dict().items()):
        assert k == k2
        np.testing.assert_array_equal(a, b)


BAD = [s for s in LAYERS if s.bad_inputs is not None]


@pytest.mark.parametrize("spec", BAD, ids=str)
def test_layer_rejects_wrong_input_naming_itself(spec: LayerSpec) -> None:
    lm = spec.lamina()
    arrays = spec.bad_inputs(np.random.default_rng(0))
    inputs = [
        L.tensor(a.astype(np.float32)) if a.dtype.kind == "f" else L.tensor(a) for a in arrays
    ]
    pattern = spec.bad_match or re.escape(repr(lm).split("\n")[0][:12])
    with pytest.raises((ValueError, TypeError, IndexError), match=pattern):
        lm(*inputs)
