"""The backward engine: depth, accumulation, graph freeing, higher order, grad mode."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import lamina as L


def test_backward_through_a_10000_op_chain_does_not_recurse() -> None:
    x = L.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(10_000):
        y = y * 1.0001
    y.backward()
    assert x.grad is not None
    np.testing.assert_allclose(x.grad.item(), 1.0001**10_000, rtol=1e-3)


def test_gradients_accumulate_where_a_tensor_is_used_twice() -> None:
    x = L.tensor([2.0, 3.0], requires_grad=True)
    (x * x + x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [5.0, 7.0])


def test_gradients_accumulate_over_repeated_backward_calls_like_torch() -> None:
    x = L.tensor([1.0, -2.0], requires_grad=True)
    (x**2).sum().backward()
    (x**2).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [4.0, -8.0])


def test_second_backward_through_freed_graph_raises_clear_error() -> None:
    x = L.tensor([1.0, 2.0], requires_grad=True)
    y = (x.exp() * 2).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="already freed"):
        y.backward()


def test_retain_graph_allows_a_second_backward() -> None:
    x = L.tensor([1.0, 2.0], requires_grad=True)
    y = (x.exp() * 2).sum()
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_allclose(x.grad.numpy(), 4 * np.exp([1.0, 2.0]), rtol=1e-6)


def test_backward_frees_saved_tensors() -> None:
    x = L.tensor([1.0, 2.0], requires_grad=True)
    y = (x * 3).sum()
    fn = y.grad_fn
    y.backward()
    assert fn.released and not hasattr(fn, "inputs")


def test_hessian_vector_product_matches_torch() -> None:
    rng = np.random.default_rng(0)
    a, v = rng.standard_normal(5), rng.standard_normal(5)

    def f(x, lib):
        return (lib.tanh(x) * x**3).sum() + (x.sum()) ** 2

    x = L.tensor(a, requires_grad=True)
    (g,) = L.grad(f(x, L), x, create_graph=True)
    (g * L.tensor(v)).sum().backward()
    xt = torch.tensor(a, requires_grad=True)
    (gt,) = torch.autograd.grad(f(xt, torch), xt, create_graph=True)
    (gt * torch.tensor(v)).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), xt.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_backward_with_create_graph_makes_grad_differentiable() -> None:
    x = L.tensor(3.0, dtype=L.float64, requires_grad=True)
    y = x**3
    y.backward(create_graph=True)
    first = x.grad
    assert first.requires_grad
    x.grad = None
    first.backward()
    assert x.grad.item() == pytest.approx(18.0)


def test_no_grad_records_no_graph() -> None:
    x = L.tensor([1.0], requires_grad=True)
    with L.no_grad():
        y = x * 2
        with L.enable_grad():
            z = x * 2
    assert not y.requires_grad and y.grad_fn is None
    assert z.requires_grad
    assert L.is_grad_enabled()


def test_grad_returns_gradients_without_touching_dot_grad() -> None:
    x = L.tensor([1.0, 2.0], requires_grad=True)
    (g,) = L.grad((x**2).sum(), x)
    np.testing.assert_allclose(g.numpy(), [2.0, 4.0])
    assert x.grad is None


def test_grad_of_an_unused_input_raises_unless_allowed() -> None:
    x, y = L.tensor([1.0], requires_grad=True), L.tensor([1.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="not used"):
        L.grad((x * 2).sum(), [x, y])
    assert L.grad((x * 2).sum(), [x, y], allow_unused=True)[1] is None


def test_backward_on_non_scalar_needs_an_explicit_gradient() -> None:
    x = L.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="scalar output"):
        (x * 2).backward()
    (x * 2).backward(L.tensor([1.0, 1.0]))
    np.testing.assert_allclose(x.grad.numpy(), [2.0, 2.0])


def test_detach_cuts_the_graph() -> None:
    x = L.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x.detach()).sum()
    y.backward()
    np.testing.assert_allclose(x.grad.numpy(), [1.0, 2.0])


def test_gradcheck_reports_a_wrong_backward() -> None:
    class BadSquare(L.autodiff.Function):
        def forward(ctx, x):
            return x * x

        def backward(ctx, g):
            return g * ctx.inputs[0]  # missing the factor 2

    x = L.tensor(np.array([1.0, 2.0]), requires_grad=True)
    with pytest.raises(L.autodiff.GradcheckError, match="input 0"):
        L.gradcheck(BadSquare.apply, [x])


def test_gradcheck_refuses_float32_inputs() -> None:
    with pytest.raises(TypeError, match="float64"):
        L.gradcheck(lambda x: x * 2, [L.tensor([1.0], requires_grad=True)])


def test_jacobian_of_small_function_matches_finite_differences() -> None:
    x = L.tensor(np.array([0.5, -1.0, 2.0]), requires_grad=True)
    ((analytic, numerical),) = L.jacobian(lambda t: t.exp() / t.exp().sum(), [x])
    np.testing.assert_allclose(analytic, numerical, atol=1e-8)
    assert analytic.shape == (3, 3)


def test_gradcheck_handles_non_contiguous_inputs() -> None:
    x = L.tensor(np.arange(6.0).reshape(2, 3) / 7, requires_grad=True)
    x.data = x.data.T  # a transposed view
    assert L.gradcheck(lambda t: (t * t).sum(0), [x])
