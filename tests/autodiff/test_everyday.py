"""The everyday functions without a gradient to check, against PyTorch 2.13.

Sort and topk indices, argsort, comparison methods, factories (values, dtypes, memory
sharing, ``device=``, size errors), ``format``/``index`` of tensors, ``inference_mode`` and
the gradient of ``norm`` at 0. The differentiable ops have records in
``specs/ops_everyday.py``, checked by the generic op suites.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

import lamina as L
from lamina.errors import ShapeError


def _same(lt: L.Tensor, tt: torch.Tensor, **tol: float) -> None:
    assert lt.shape == tuple(tt.shape)
    assert str(lt.dtype) == str(tt.dtype).removeprefix("torch.")
    np.testing.assert_allclose(lt.numpy(), tt.numpy(), **tol)


# ------------------------------------------------------------------ sort, argsort, topk
TIES = np.array([[1.0, 3.0, 1.0, 2.0, 3.0, 0.0], [2.0, 2.0, 2.0, -1.0, 5.0, 2.0]])


@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_sort_with_ties_matches_torch_stable_sort(descending: bool, dim: int) -> None:
    got = L.tensor(TIES).sort(dim, descending, stable=True)
    want = torch.tensor(TIES).sort(dim=dim, descending=descending, stable=True)
    _same(got.values, want.values)
    _same(got.indices, want.indices)
    _same(L.argsort(L.tensor(TIES), dim, descending), want.indices)


@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
def test_sort_puts_nan_where_torch_does(descending: bool) -> None:
    x = np.array([1.0, np.nan, 1.0, 0.0, -np.inf, np.nan])
    got = L.sort(L.tensor(x), descending=descending, stable=True)
    want = torch.sort(torch.tensor(x), descending=descending, stable=True)
    _same(got.indices, want.indices)
    _same(got.values, want.values)


@pytest.mark.parametrize("dtype", [np.int64, np.bool_], ids=["int64", "bool"])
def test_sort_of_integers_and_bools_matches_torch(dtype: type) -> None:
    x = np.array([[3, 0, 1, 1, 0, 2]]).astype(dtype)
    for descending in (False, True):
        got = L.tensor(x).sort(descending=descending, stable=True)
        want = torch.tensor(x).sort(descending=descending, stable=True)
        _same(got.values, want.values)
        _same(got.indices, want.indices)


def test_argsort_method_and_function_agree_with_torch() -> None:
    x = np.random.default_rng(0).standard_normal((3, 5))
    _same(L.tensor(x).argsort(dim=0, descending=True), torch.tensor(x).argsort(0, True))
    _same(L.argsort(L.tensor(x)), torch.argsort(torch.tensor(x)))


@pytest.mark.parametrize("largest", [True, False], ids=["largest", "smallest"])
def test_topk_returns_named_values_and_indices_like_torch(largest: bool) -> None:
    x = np.random.default_rng(1).standard_normal((4, 6))
    got = L.topk(L.tensor(x), 3, dim=1, largest=largest)
    want = torch.topk(torch.tensor(x), 3, dim=1, largest=largest)
    values, indices = got
    assert values is got.values and indices is got.indices
    _same(got.values, want.values)
    _same(got.indices, want.indices)
    _same(L.tensor(x).topk(0).values, torch.tensor(x).topk(0).values)


def test_sort_and_topk_of_a_zero_dim_tensor_match_torch() -> None:
    _same(L.tensor(2.5).sort().indices, torch.tensor(2.5).sort().indices)
    _same(L.tensor(2.5).topk(1).values, torch.tensor(2.5).topk(1).values)


# ------------------------------------------------------------------ comparison methods
@pytest.mark.parametrize("name", ["eq", "ne", "lt", "le", "gt", "ge"])
def test_comparison_methods_match_torch(name: str) -> None:
    a = np.array([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]])
    b = np.array([2.0, 2.0, 2.0])
    _same(getattr(L.tensor(a), name)(L.tensor(b)), getattr(torch.tensor(a), name)(torch.tensor(b)))
    _same(getattr(L.tensor(a), name)(2.0), getattr(torch.tensor(a), name)(2.0))
    _same(getattr(L, name)(L.tensor(a), 2.0), getattr(torch, name)(torch.tensor(a), 2.0))


# ------------------------------------------------------------------ factories
@pytest.mark.parametrize(
    "args",
    [(0.0, 1.0, 5), (-3.0, 7.0, 11), (2.0, 2.0, 1), (0.0, 1.0, 0), (5, -1, 4)],
    ids=str,
)
def test_linspace_and_logspace_match_torch(args: tuple) -> None:
    _same(L.linspace(*args), torch.linspace(*args), rtol=1e-6, atol=1e-6)
    _same(L.logspace(*args), torch.logspace(*args), rtol=1e-5)
    _same(L.logspace(*args, base=2.0), torch.logspace(*args, base=2.0), rtol=1e-5)
    got = L.linspace(*args, dtype=L.float64, requires_grad=True)
    _same(got.detach(), torch.linspace(*args, dtype=torch.float64), atol=1e-12)
    assert got.requires_grad and got.is_leaf


@pytest.mark.parametrize("source", [np.float64, np.float32, np.int64], ids=str)
def test_new_factories_take_the_dtype_of_their_tensor_like_torch(source: type) -> None:
    lx, tx = L.tensor(np.zeros(2, source)), torch.tensor(np.zeros(2, source))
    _same(lx.new_zeros(2, 3), tx.new_zeros(2, 3))
    _same(lx.new_ones((3,)), tx.new_ones((3,)))
    _same(lx.new_empty(0, 2), tx.new_empty(0, 2))
    _same(lx.new_full((2, 2), 7), tx.new_full((2, 2), 7))
    _same(lx.new_tensor([1, 2]), tx.new_tensor([1, 2]))
    _same(lx.new_zeros(2, dtype=L.float32), tx.new_zeros(2, dtype=torch.float32))
    assert lx.new_ones(2, dtype=L.float64, requires_grad=True).requires_grad


def test_new_tensor_copies_its_data() -> None:
    data = np.ones(3)
    t = L.zeros(1).new_tensor(data)
    data[0] = 5.0
    assert t.numpy()[0] == 1.0


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.float16, np.int32, np.uint8, bool])
def test_from_numpy_shares_memory_and_keeps_the_dtype_like_torch(dtype: type) -> None:
    a = np.arange(6).reshape(2, 3).astype(dtype)
    t = L.from_numpy(a)
    assert t.dtype == torch.from_numpy(a).numpy().dtype
    a[0, 0] = 1
    assert t.numpy()[0, 0] == 1
    t.numpy()[1, 2] = 0
    assert a[1, 2] == 0


def test_from_numpy_refuses_what_is_not_an_array() -> None:
    with pytest.raises(TypeError, match=r"from_numpy: expected np.ndarray, got list"):
        L.from_numpy([1.0, 2.0])
    with pytest.raises(TypeError, match=r"from_numpy: can't convert an array of dtype object"):
        L.from_numpy(np.array(["a"], dtype=object))


def test_as_tensor_shares_memory_when_no_conversion_is_needed() -> None:
    a = np.ones(3)
    t = L.as_tensor(a)
    a[0] = 4.0
    assert t.numpy()[0] == 4.0 and t.dtype == np.float64
    copied = L.as_tensor(a, dtype=L.float32)
    a[1] = 9.0
    assert copied.numpy()[1] == 1.0 and copied.dtype == np.float32
    x = L.ones(2)
    assert L.as_tensor(x) is x
    assert L.as_tensor(x, dtype=L.float64).dtype == np.float64
    for data in ([1, 2], [1.5], 3.5, True):
        _same(L.as_tensor(data), torch.as_tensor(data))


FACTORIES: dict[str, Callable[[Any], L.Tensor]] = {
    "zeros": lambda d: L.zeros(2, 3, device=d),
    "ones": lambda d: L.ones((2,), device=d),
    "empty": lambda d: L.empty(2, device=d),
    "full": lambda d: L.full((2,), 1.5, device=d),
    "eye": lambda d: L.eye(3, device=d),
    "arange": lambda d: L.arange(4, device=d),
    "rand": lambda d: L.rand(2, device=d),
    "randn": lambda d: L.randn(2, device=d),
    "zeros_like": lambda d: L.zeros_like(L.ones(2), device=d),
    "ones_like": lambda d: L.ones_like(L.ones(2), device=d),
    "tensor": lambda d: L.tensor([1.0], device=d),
    "linspace": lambda d: L.linspace(0, 1, 3, device=d),
    "logspace": lambda d: L.logspace(0, 1, 3, device=d),
    "as_tensor": lambda d: L.as_tensor([1.0], device=d),
    "new_zeros": lambda d: L.ones(1).new_zeros(2, device=d),
    "new_ones": lambda d: L.ones(1).new_ones(2, device=d),
    "new_empty": lambda d: L.ones(1).new_empty(2, device=d),
    "new_full": lambda d: L.ones(1).new_full((2,), 3.0, device=d),
    "new_tensor": lambda d: L.ones(1).new_tensor([2.0], device=d),
}


@pytest.mark.parametrize("name", list(FACTORIES))
def test_factories_take_the_cpu_device_and_refuse_cuda_by_name(name: str) -> None:
    for device in (None, "cpu", L.device("cpu")):
        assert isinstance(FACTORIES[name](device), L.Tensor)
    with pytest.raises(RuntimeError, match=rf"^{name}: device 'cuda' is not available"):
        FACTORIES[name]("cuda")


BAD_SIZES = [
    ("zeros", lambda: L.zeros(-1), ValueError, r"zeros: sizes must be non-negative, got -1"),
    (
        "zeros_float",
        lambda: L.zeros(2.5),
        TypeError,
        r"zeros: size must be a tuple of ints, got "
        r"float 2\.5",
    ),
    ("ones_tuple", lambda: L.ones((2, -3)), ValueError, r"ones: .* got -3 in \(2, -3\)"),
    ("empty", lambda: L.empty(3, -2), ValueError, r"empty: .* got -2 in \(3, -2\)"),
    ("full", lambda: L.full((2, -1), 1.0), ValueError, r"full: .* got -1"),
    ("full_float", lambda: L.full((2.0,), 1.0), TypeError, r"full: .* got float 2\.0"),
    ("eye", lambda: L.eye(-2), ValueError, r"eye: .* got -2"),
    ("eye_float", lambda: L.eye(2, 1.5), TypeError, r"eye: .* got float 1\.5"),
    ("rand", lambda: L.rand(-1, 2), ValueError, r"rand: .* got -1"),
    ("randn", lambda: L.randn(1.5), TypeError, r"randn: .* got float 1\.5"),
    ("new_zeros", lambda: L.ones(1).new_zeros(-4), ValueError, r"new_zeros: .* got -4"),
    ("new_ones", lambda: L.ones(1).new_ones(0.5), TypeError, r"new_ones: .* got float 0\.5"),
    ("new_full", lambda: L.ones(1).new_full((-1,), 0.0), ValueError, r"new_full: .* got -1"),
    ("new_empty", lambda: L.ones(1).new_empty(-1), ValueError, r"new_empty: .* got -1"),
    ("linspace", lambda: L.linspace(0, 1, -1), ValueError, r"linspace: steps must be non-neg"),
    ("logspace", lambda: L.logspace(0, 1, 2.5), TypeError, r"logspace: steps must be an int"),
    ("repeat", lambda: L.ones(2).repeat(-1), ValueError, r"repeat: .* got -1"),
]


def test_factories_take_sizes_as_integer_tensors_and_numpy_integers() -> None:
    assert L.zeros(L.tensor(2), np.int64(3)).shape == (2, 3)
    assert L.ones((np.int32(0), 2)).shape == (0, 2)


# ------------------------------------------------------------------ format and index
def test_format_of_a_one_element_tensor_formats_its_value_like_torch() -> None:
    for spec in (".3f", "", "e", ">10.2f"):
        assert format(L.tensor(1.23456), spec) == format(torch.tensor(1.23456), spec)
    assert f"{L.tensor(7):d}" == f"{torch.tensor(7):d}"
    assert f"{L.tensor([[0.5]]):.2f}" == "0.50"  # PyTorch wants 0-dim; lamina any one element


def test_format_of_a_bigger_tensor_is_its_repr_and_refuses_a_spec() -> None:
    x = L.tensor([1.0, 2.0])
    assert format(x) == repr(x) == f"{x}"
    with pytest.raises(TypeError, match=r"unsupported format string '\.2f'"):
        format(x, ".2f")
    with pytest.raises(TypeError):
        format(torch.tensor([1.0, 2.0]), ".2f")


def test_integer_one_element_tensors_are_indices_like_torch() -> None:
    assert list(range(L.tensor(3))) == list(range(torch.tensor(3))) == [0, 1, 2]
    assert ["a", "b", "c"][L.tensor([2])] == "c"
    assert [0, 1][L.tensor(True)] == [0, 1][torch.tensor(True)]


@pytest.mark.parametrize("value", [2.0, [1, 2]], ids=["float", "two_elements"])
def test_float_or_multi_element_tensors_are_refused_as_indices_like_torch(value: Any) -> None:
    msg = r"only integer tensors of a single element can be converted to an index"
    with pytest.raises(TypeError, match=msg):
        range(torch.tensor(value))
    with pytest.raises(TypeError, match=msg):
        range(L.tensor(value))


# ------------------------------------------------------------------ inference_mode
def _records_graph() -> bool:
    x = L.ones(2, requires_grad=True)
    return (x * 2).requires_grad


def test_inference_mode_as_a_context_manager_records_no_graph() -> None:
    with L.inference_mode():
        assert not _records_graph()
        assert not L.is_grad_enabled()
    assert _records_graph()
    with L.inference_mode(False):
        assert _records_graph()
    with L.no_grad(), L.inference_mode(False):
        assert not _records_graph()


def test_inference_mode_as_a_decorator_with_and_without_parentheses() -> None:
    @L.inference_mode
    def bare() -> bool:
        return _records_graph()

    @L.inference_mode()
    def called() -> bool:
        return _records_graph()

    assert bare() is False and called() is False and called() is False
    assert _records_graph()


def test_inference_mode_restores_grad_mode_after_an_error() -> None:
    with pytest.raises(KeyError), L.inference_mode():
        raise KeyError("x")
    assert L.is_grad_enabled()


# ------------------------------------------------------------------ norm at 0
@pytest.mark.parametrize("p", [2, 1, math.inf, -math.inf, "fro"], ids=str)
@pytest.mark.parametrize("dim", [None, 1], ids=["all", "dim1"])
def test_norm_gradient_at_zero_matches_torch(p: Any, dim: Any) -> None:
    x = np.array([[0.0, 0.0, 0.0], [3.0, -4.0, 0.0]])
    lx, tx = L.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ly = L.norm(lx, p, dim)
    ty = torch.linalg.vector_norm(tx, 2 if p == "fro" else p, dim=dim)
    _same(ly.detach(), ty.detach())
    ly.sum().backward()
    ty.sum().backward()
    assert np.isfinite(lx.grad.numpy()).all()
    np.testing.assert_allclose(lx.grad.numpy(), tx.grad.numpy(), atol=1e-12)


def test_norm_splits_the_gradient_among_ties_like_torch() -> None:
    x = np.array([[2.0, -2.0, 1.0], [0.5, 0.5, 0.5]])
    lx, tx = L.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    L.norm(lx, math.inf, 1).sum().backward()
    torch.linalg.vector_norm(tx, math.inf, dim=1).sum().backward()
    np.testing.assert_allclose(lx.grad.numpy(), tx.grad.numpy(), atol=1e-12)


# ------------------------------------------------------------------ smaller contracts
@pytest.mark.parametrize("dtype", [np.int64, np.bool_, np.float32], ids=str)
def test_cumsum_dtype_matches_torch(dtype: type) -> None:
    x = np.array([[1, 0, 1], [1, 1, 0]]).astype(dtype)
    _same(L.cumsum(L.tensor(x), 1), torch.cumsum(torch.tensor(x), 1))
    _same(L.tensor(x).cumsum(0, dtype=L.float64), torch.tensor(x).cumsum(0, dtype=torch.float64))


def test_contiguous_returns_itself_or_a_contiguous_copy() -> None:
    x = L.ones(2, 3)
    assert x.contiguous() is x
    y = x.T.contiguous()
    assert y.numpy().flags.c_contiguous and y.shape == (3, 2)


def test_clone_does_not_share_memory() -> None:
    x = L.ones(3)
    y = x.clone()
    y.numpy()[0] = 5.0
    assert x.numpy()[0] == 1.0


def test_masked_fill_takes_a_tensor_value_in_the_dtype_of_the_input() -> None:
    x, mask = np.arange(4.0).astype(np.float32), np.array([True, False, True, False])
    got = L.tensor(x).masked_fill(L.tensor(mask), L.tensor(9.0, dtype=L.float64))
    _same(got, torch.tensor(x).masked_fill(torch.tensor(mask), torch.tensor(9.0).double()))


ERRORS = [
    (
        "masked_fill_int_mask",
        lambda: L.ones(2).masked_fill(L.tensor([1, 0]), 0.0),
        TypeError,
        r"masked_fill: mask must be a bool tensor, got int64",
    ),
    (
        "masked_fill_shape",
        lambda: L.ones(2).masked_fill(L.ones(3, 2) > 0, 0.0),
        ShapeError,
        r"masked_fill: mask of shape \(3, 2\) does not broadcast to \(2,\)",
    ),
    ("tril_1d", lambda: L.tril(L.ones(3)), ShapeError, r"tril: expected a tensor with at least 2"),
    (
        "narrow",
        lambda: L.ones(4).narrow(0, 2, 3),
        ShapeError,
        r"narrow: start \(2\) \+ length \(3\) exceeds dim 0 of size 4",
    ),
    (
        "roll",
        lambda: L.ones(2, 2).roll((1, 2), 0),
        ValueError,
        r"roll: shifts and dims must have the same length",
    ),
    (
        "einsum_count",
        lambda: L.einsum("ij,jk->ik", L.ones(2, 2)),
        ValueError,
        r"einsum: equation 'ij,jk->ik' names 2 operands, got 1 tensors",
    ),
    (
        "einsum_dims",
        lambda: L.einsum("ijk->i", L.ones(2, 2)),
        ShapeError,
        r"einsum: operand 0 has 2 dims but subscripts 'ijk' name 3",
    ),
    (
        "einsum_ellipsis",
        lambda: L.einsum("...i->i", L.ones(2, 2)),
        ValueError,
        r"einsum: equation '...i->i' has '...' in its operands but not in its output",
    ),
    (
        "einsum_output",
        lambda: L.einsum("ij->k", L.ones(2, 2)),
        ValueError,
        r"einsum: output subscripts of 'ij->k' must be distinct letters found in the inputs",
    ),
    (
        "einsum_dtype",
        lambda: L.einsum("i,i", L.ones(2), L.ones(2, dtype=L.float64)),
        TypeError,
        r"einsum: operands must share a dtype",
    ),
    ("norm_int", lambda: L.norm(L.tensor([1, 2])), TypeError, r"norm: expected a float tensor"),
    ("sort_dim", lambda: L.ones(2).sort(dim=1), ShapeError, r"sort: dim 1 is out of range"),
]


BAD_INPUT = BAD_SIZES + ERRORS


@pytest.mark.parametrize(
    "call,exc,match", [e[1:] for e in BAD_INPUT], ids=[e[0] for e in BAD_INPUT]
)
def test_bad_input_raises_an_error_naming_the_function_and_what_came(
    call: Callable[[], Any], exc: type, match: str
) -> None:
    with pytest.raises(exc, match=match):
        call()


def test_einsum_takes_operands_as_one_list_like_torch() -> None:
    a, b = np.ones((2, 3)), np.arange(12.0).reshape(3, 4)
    _same(
        L.einsum("ij,jk", [L.tensor(a), L.tensor(b)]),
        torch.einsum("ij,jk", [torch.tensor(a), torch.tensor(b)]),
    )
    _same(
        L.einsum(" i j , j k -> i k ", L.tensor(a), L.tensor(b)),
        torch.einsum(" i j , j k -> i k ", torch.tensor(a), torch.tensor(b)),
    )


def test_mm_bmm_t_and_pow_methods_and_functions_match_torch() -> None:
    rng = np.random.default_rng(2)
    a, b, c = rng.random((2, 3)), rng.random((3, 4)), rng.random((5, 2, 3))
    _same(L.tensor(a).mm(L.tensor(b)), torch.tensor(a).mm(torch.tensor(b)))
    _same(
        L.bmm(L.tensor(c), L.tensor(c).transpose(1, 2)),
        torch.bmm(torch.tensor(c), torch.tensor(c).transpose(1, 2)),
    )
    _same(L.tensor(a).t(), torch.tensor(a).t())
    _same(L.pow(L.tensor(a), 2.5), torch.pow(torch.tensor(a), 2.5))
