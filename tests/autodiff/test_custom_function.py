"""``lamina.autograd.Function`` runs custom operations written the PyTorch way."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import lamina as L


def _twins(module):  # lamina or torch
    class Exp(module.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            y = x.exp()
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, grad):
            (y,) = ctx.saved_tensors
            return grad * y

    class ScaledMulWithArgmax(module.autograd.Function):
        """Two tensor inputs, a number, two outputs (one of them indices)."""

        @staticmethod
        def forward(ctx, a, b, scale):
            ctx.save_for_backward(a, b)
            ctx.scale = scale
            idx = (a * b).argmax(-1)
            ctx.mark_non_differentiable(idx)
            return a * b * scale, idx

        @staticmethod
        def backward(ctx, grad, grad_idx):
            a, b = ctx.saved_tensors
            ga = grad * b * ctx.scale if ctx.needs_input_grad[0] else None
            gb = grad * a * ctx.scale if ctx.needs_input_grad[1] else None
            return ga, gb, None

    return Exp, ScaledMulWithArgmax


def test_custom_functions_match_torch_values_gradients_and_flags() -> None:
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    results = {}
    for lib in (L, torch):
        Exp, SMul = _twins(lib)
        x = lib.tensor(a, requires_grad=True)
        y = lib.tensor(b, requires_grad=False)
        out, idx = SMul.apply(Exp.apply(x), y, 2.5)
        assert not idx.requires_grad and out.requires_grad
        (out * out).sum().backward()
        results[lib.__name__] = (out.detach().numpy(), np.asarray(idx), x.grad.numpy())
    for mine, ref in zip(results["lamina"], results["torch"]):
        np.testing.assert_allclose(mine, ref, rtol=1e-13)


def test_custom_function_is_differentiable_twice_and_gradchecks() -> None:
    Exp, _ = _twins(L)
    x = L.tensor([0.3, -1.2], dtype=np.float64, requires_grad=True)
    (g,) = L.grad(Exp.apply(x).sum(), x, create_graph=True)
    (gg,) = L.grad(g.sum(), x)
    np.testing.assert_allclose(gg.data, np.exp(x.data), rtol=1e-15)
    assert L.gradcheck(
        Exp.apply, (L.tensor(np.random.default_rng(1).random(5), requires_grad=True),)
    )


def test_saved_tensor_changed_in_place_is_detected() -> None:
    class Square(L.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * g * x

    x = L.tensor([1.0, 2.0], requires_grad=True)
    h = x * 1.0
    y = Square.apply(h)
    h.add_(1)
    with pytest.raises(RuntimeError, match="saved tensor 0 of Square .* modified by an in-place"):
        y.sum().backward()


def test_no_gradient_wanted_records_nothing_and_passthrough_is_a_new_tensor() -> None:
    class Identity(L.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x

        @staticmethod
        def backward(ctx, g):
            return g

    x = L.tensor([1.0, 2.0])
    assert Identity.apply(x).grad_fn is None
    w = L.tensor([1.0, 2.0], requires_grad=True)
    y = Identity.apply(w)
    assert y is not w and w.is_leaf and y.grad_fn is not None
    (y * 3).sum().backward()
    np.testing.assert_array_equal(w.grad.data, [3.0, 3.0])


def test_mistakes_are_reported_clearly() -> None:
    with pytest.raises(TypeError, match=r"Bad.forward must be a @staticmethod"):

        class Bad(L.autograd.Function):
            def forward(self, ctx, x):  # type: ignore[override]
                return x

    class TooFew(L.autograd.Function):
        @staticmethod
        def forward(ctx, x, y):
            return x * y

        @staticmethod
        def backward(ctx, g):
            return g

    x = L.tensor([1.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"TooFew.backward returned 1 gradients, expected 2"):
        TooFew.apply(x, x).sum().backward()

    class SavesArray(L.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x.numpy())
            return x

    with pytest.raises(TypeError, match="save_for_backward: expected Tensors or None"):
        SavesArray.apply(x)


def test_autograd_backward_and_grad_names() -> None:
    x = L.tensor([1.0, 2.0], requires_grad=True)
    L.autograd.backward([(x * x).sum()])
    np.testing.assert_array_equal(x.grad.data, [2.0, 4.0])
    (g,) = L.autograd.grad((x**3).sum(), x)
    np.testing.assert_array_equal(g.data, [3.0, 12.0])
