"""PyTorch's type promotion, type names and device handling."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch

import lamina as L
from lamina.autodiff.dtypes import result_type

DTYPES = [np.float32, np.float64, np.int64, np.int32, np.uint8, np.int8, np.bool_]


def _operands() -> list[tuple[object, object]]:
    pairs: list[tuple[object, object]] = []
    for dt in DTYPES:
        for ndim in (0, 1):
            a = np.ones((2,) * ndim, dt)
            pairs.append((a, torch.from_numpy(a)))
    pairs += [(2, 2), (2.5, 2.5), (True, True)]
    return pairs


def test_result_type_equals_torch_for_every_pair() -> None:
    checked = 0
    for (a, ta), (b, tb) in itertools.product(_operands(), repeat=2):
        if not hasattr(a, "dtype") and not hasattr(b, "dtype"):
            continue
        assert str(result_type(a, b)) == str(torch.result_type(ta, tb)).removeprefix("torch.")
        checked += 1
    assert checked == 280


@pytest.mark.parametrize("op", ["add", "sub", "mul", "div", "maximum"])
def test_binary_ops_promote_like_torch(op: str) -> None:
    cases = [
        (np.ones(3, np.float32), np.arange(1, 4)),  # float32 with int64: float32 (NumPy: float64)
        (np.arange(3), np.arange(1, 4)),  # int / int: true division in the default float
        (np.ones(3, np.float32), np.array(2.0)),  # a 0-d float64 does not widen float32
        (np.arange(3), np.array(2.5)),  # a 0-d float64 does widen an int tensor
        (np.arange(3, dtype=np.int32), np.arange(1, 4)),
    ]
    for a, b in cases:
        lout = getattr(L.ops, op)(L.tensor(a), L.tensor(b))
        tout = getattr(torch, op)(torch.from_numpy(a), torch.from_numpy(b))
        assert str(lout.dtype) == str(tout.dtype).removeprefix("torch."), (a.dtype, b.dtype)
        np.testing.assert_allclose(lout.data, tout.numpy(), rtol=1e-6)
    scalar = getattr(L.ops, op)(L.tensor(np.arange(3)), 1.5)
    assert scalar.dtype == np.float32


def test_float32_parameter_in_float64_maths_gets_a_float32_gradient() -> None:
    p = L.tensor([1.0, 2.0], requires_grad=True)
    y = p * L.tensor([3.0, 4.0], dtype=np.float64)
    assert y.dtype == np.float64
    y.sum().backward()
    assert p.grad.dtype == np.float32
    np.testing.assert_array_equal(p.grad.data, [3.0, 4.0])
    with pytest.raises(TypeError, match="matmul: operands must share a dtype"):  # as torch
        L.tensor([1.0, 2.0]) @ L.tensor([1.0, 1.0], dtype=np.float64)


def test_type_names_and_conversions() -> None:
    assert (L.float, L.double, L.long, L.int, L.bool) == (
        np.float32,
        np.float64,
        np.int64,
        np.int32,
        np.bool_,
    )
    x = L.tensor([1.5, -2.5])
    assert x.double().dtype == np.float64 and x.long().dtype == np.int64
    assert x.int().dtype == np.int32 and x.bool().dtype == np.bool_
    assert x.type() == "lamina.float32" and x.type(L.double).dtype == np.float64
    assert x.to(L.float64).dtype == np.float64 and x.to(L.tensor([1])).dtype == np.int64
    assert x.to("cpu") is x and x.to(L.device("cpu"), L.float32) is x
    assert x.to(dtype=L.float32, copy=True) is not x
    with pytest.raises(TypeError, match="float16 .half. is not supported"):
        x.half()
    with pytest.raises(TypeError, match="Tensor.type: 'no' is not a dtype"):
        x.type("no")
    with pytest.raises(TypeError, match="to: unexpected keyword"):
        x.to(dtyp=L.float64)


def test_devices_pick_the_cpu_and_refuse_others_clearly() -> None:
    dev = L.device("cuda" if L.cuda.is_available() else "cpu")
    assert dev == L.device("cpu") == "cpu" and str(dev) == "cpu"
    assert repr(L.device("cuda:1")) == "device(type='cuda', index=1)"
    assert not L.accelerator.is_available() and not L.backends.mps.is_available()
    L.backends.cudnn.deterministic = True  # accepted, as programs set it
    x = L.tensor([1.0])
    assert x.device == dev and not x.is_cuda and x.cpu() is x
    for bad in ("cuda", "cuda:0", 0, L.device("mps")):
        with pytest.raises(RuntimeError, match="is not available; lamina computes with NumPy"):
            x.to(bad)
    with pytest.raises(RuntimeError, match="Tensor.cuda: device 'cuda' is not available"):
        x.cuda()
    with pytest.raises(RuntimeError, match="device: expected one of cpu, cuda"):
        L.device("gpu")


def test_module_to_moves_nothing_and_converts_dtype() -> None:
    model = L.nn.Sequential(L.nn.Linear(2, 3), L.nn.BatchNorm1d(3))
    weight = model[0].weight
    assert model.to("cpu") is model and model.cpu() is model
    assert model[0].weight is weight and weight.dtype == np.float32
    model.to(L.float64)
    assert model[0].weight is weight and weight.dtype == np.float64
    assert model[1].running_mean.dtype == np.float64
    out = model(L.tensor(np.ones((4, 2))))
    assert out.dtype == np.float64
    model.float()
    assert weight.dtype == np.float32
    with pytest.raises(RuntimeError, match=r"Sequential.to: device 'cuda' is not available"):
        model.to("cuda")
    with pytest.raises(RuntimeError, match=r"Sequential.cuda: device 'cuda' is not available"):
        model.cuda()


@pytest.mark.parametrize(
    "make, shape",
    [
        (lambda: L.nn.BatchNorm1d(3), (4, 3)),
        (lambda: L.nn.BatchNorm2d(3), (2, 3, 4, 4)),
        (lambda: L.nn.LayerNorm(3), (4, 3)),
        (lambda: L.nn.GroupNorm(1, 3), (2, 3, 4)),
        (lambda: L.nn.InstanceNorm2d(3, affine=True), (2, 3, 4, 4)),
        (lambda: L.nn.Linear(3, 2), (4, 3)),
        (lambda: L.nn.Conv1d(3, 2, 1), (2, 3, 5)),
    ],
    ids=[
        "BatchNorm1d",
        "BatchNorm2d",
        "LayerNorm",
        "GroupNorm",
        "InstanceNorm2d",
        "Linear",
        "Conv1d",
    ],
)
def test_every_layer_refuses_an_input_of_another_dtype_than_its_parameters(make, shape) -> None:
    layer = make()  # float32 parameters, as PyTorch's, which refuse mixed dtypes too
    with pytest.raises(TypeError, match=r"must share a dtype|dtype float32 differs"):
        layer(L.tensor(np.ones(shape)))  # float64
    assert layer.double()(L.tensor(np.ones(shape))).dtype == np.float64
