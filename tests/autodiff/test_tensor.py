"""Tensor creation, dtypes, conversion and the public API surface."""

from __future__ import annotations

import numpy as np
import pytest

import lamina as L


def test_float_data_defaults_to_float32_and_float64_arrays_stay() -> None:
    assert L.tensor([1.0, 2.0]).dtype == L.float32
    assert L.tensor(np.zeros(2)).dtype == L.float64
    assert L.tensor(np.zeros(2, np.float32)).dtype == L.float32
    assert L.tensor([1, 2]).dtype == L.int64
    assert L.tensor([True]).dtype == np.bool_
    assert L.tensor([1.0], dtype=L.float64).dtype == L.float64


def test_scalars_never_widen_float32() -> None:
    x = L.tensor([1.0, 2.0], requires_grad=True)
    for y in (x * 2.0, 2.0 * x, x / 3, x + np.float64(1.5), x**2, 1 - x, x.mean(), x.var()):
        assert y.dtype == L.float32
    (x * 2.0).sum().backward()
    assert x.grad.dtype == L.float32


def test_tensor_copies_its_data() -> None:
    a = np.zeros(3)
    t = L.tensor(a)
    a[0] = 1
    assert t.numpy()[0] == 0


def test_integer_tensors_cannot_require_grad() -> None:
    with pytest.raises(TypeError, match="only float tensors"):
        L.tensor([1, 2], requires_grad=True)


def test_conversions() -> None:
    x = L.tensor([[1.0, 2.0]], requires_grad=True)
    assert x.numpy().shape == (1, 2) and len(x) == 1
    assert np.asarray(x).dtype == np.float32
    assert L.tensor([3.5]).item() == 3.5
    assert x.double().dtype == L.float64 and x.double().float().dtype == L.float32
    assert x.to(L.float64).requires_grad
    assert x.detach().requires_grad is False
    with pytest.raises(ValueError, match="item: expected a tensor with one element"):
        x.item()


def test_factories_and_seeding() -> None:
    assert L.zeros(2, 3).shape == (2, 3) and L.ones((2,)).dtype == L.float32
    assert L.full((2, 2), 7.0).numpy().sum() == 28
    assert L.eye(3).numpy().trace() == 3
    assert L.arange(5).dtype == L.int64 and L.arange(0.0, 1.0, 0.5).dtype == L.float32
    assert L.zeros_like(L.ones(2, dtype=L.float64)).dtype == L.float64
    L.manual_seed(3)
    a = L.randn(4).numpy()
    L.manual_seed(3)
    np.testing.assert_array_equal(a, L.randn(4).numpy())
    assert L.rand(100).numpy().min() >= 0


def test_reductions_accept_numpy_names() -> None:
    x = L.tensor(np.arange(6.0).reshape(2, 3))
    np.testing.assert_array_equal(x.sum(axis=1, keepdims=True).numpy(), [[3.0], [12.0]])
    _values, indices = x.max(dim=1)
    np.testing.assert_array_equal(indices.numpy(), [2, 2])


def test_ndarray_times_tensor_gives_a_tensor() -> None:
    x = L.tensor([1.0, 2.0], requires_grad=True)
    y = np.array([2.0, 3.0], np.float32) * x
    assert isinstance(y, L.Tensor) and y.requires_grad


def test_default_dtype_context() -> None:
    with L.default_dtype(L.float64):
        assert L.tensor([1.0]).dtype == L.float64 and L.zeros(1).dtype == L.float64
    assert L.tensor([1.0]).dtype == L.float32


def test_repr_is_readable() -> None:
    assert repr(L.tensor([1.0, 2.0])) == "tensor([1., 2.])"
    assert "grad_fn" in repr(L.tensor([1.0], requires_grad=True) * 2)


def test_bad_dim_names_the_function() -> None:
    with pytest.raises(ValueError, match="sum: dim 3 is out of range"):
        L.tensor(np.zeros((2, 2))).sum(3)
